"""Staffing to a service level: the fewest servers each hour, checked by simulating the day.

Capacity perishes, so every hour needs its own answer. The first answer comes
from queueing theory: that hour's offered load at the resource, Erlang C (or
Erlang A when customers have a patience) for the fewest servers meeting "80%
within 5 minutes". But queues carry over from one hour into the next, which
hour-by-hour formulas cannot see; so the whole day is then simulated with
that schedule, and an hour gets one more server only when it *clearly*
misses: the upper end of its 95% interval is below the target. Where the
target lies inside the interval, the verdict waits for more replications of
the same days (common random numbers), up to a bound, and says so if it is
still too close to call — a server added on noise costs the client money.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from blueprint.analysis.queueing import erlang_a, servers_for_service_level
from blueprint.graph import visit_ratios
from blueprint.model import MINUTES_PER_UNIT, DayHorizon, Exponential, Resource, ServiceModel, format_clock
from blueprint.results import Replication, Statistic, service_level_key
from blueprint.results.staffing import HourAchieved, ShiftRow, StaffingPlan
from blueprint.sim import BudgetExceeded, compile_plan, over_budget, run_budget, run_plans
from blueprint.sim.results import statistic

__all__ = ["MET", "MISSED", "TOO_CLOSE", "StaffingPlan", "StaffingTarget", "parse_target",
           "recommend_staff"]

MET, MISSED, TOO_CLOSE = "met", "missed", "too close to call"

_TARGET = re.compile(
    r"^\s*(?P<share>\d+(?:\.\d+)?)\s*(?P<pct>%?)\s*(?:of customers\s+)?(?:served\s+)?within\s+"
    r"(?P<within>\d+(?:\.\d+)?)\s*(?P<unit>s|sec|secs|seconds?|min|mins|minutes?|h|hours?)?\s*$",
    re.IGNORECASE)
_UNIT = {"s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s", "min": "min",
         "mins": "min", "minute": "min", "minutes": "min", "h": "h", "hour": "h", "hours": "h"}


@dataclass(frozen=True)
class StaffingTarget:
    share: float    # e.g. 0.8
    within: float   # in the model's time unit
    text: str


def parse_target(text: str, time_unit: str) -> StaffingTarget:
    """'80% within 5 min' (or '0.8 within 20 s') in the model's time unit."""
    match = _TARGET.match(text)
    if not match:
        raise ValueError(f"cannot read the target {text!r}; write it like \"80% within 5 min\"")
    share = float(match["share"]) / (100 if match["pct"] or float(match["share"]) > 1 else 1)
    if not 0 < share < 1:
        raise ValueError(f"the share in {text!r} must be above 0 and below 100% (no number of "
                         "servers makes every customer start within a wait with random arrivals)")
    unit = _UNIT[(match["unit"] or time_unit).lower()] if match["unit"] else time_unit
    within = float(match["within"]) * MINUTES_PER_UNIT[unit] / MINUTES_PER_UNIT[time_unit]
    return StaffingTarget(share, within, text.strip())


def _hours(model: ServiceModel) -> list[tuple[int, int]]:
    horizon = model.horizon
    if not isinstance(horizon, DayHorizon):
        raise ValueError("staffing by hour needs a day horizon {open, close}")
    return [(s, min(s + 60, horizon.close)) for s in range(horizon.open, horizon.close, 60)]


@dataclass(frozen=True)
class _Work:
    """The resource's work: its steps, a customer's visits to them, and their mean duration."""

    steps: list[str]
    visits: float           # visits to the resource's steps per arriving customer
    mean_service: float     # in model time units
    patience_rate: float | None  # 1 / mean patience, for Erlang A

    def servers(self, rate: float, target: StaffingTarget, max_abandonment: float | None) -> int:
        """Erlang C's (or A's) fewest servers for visits arriving at `rate` per time unit."""
        if rate <= 0:
            return 0
        mu, theta = 1 / self.mean_service, self.patience_rate
        servers = servers_for_service_level(rate, mu, target.within, target.share, patience_rate=theta)
        while max_abandonment is not None and theta and \
                erlang_a(servers, rate, mu, theta).prob_abandon > max_abandonment:
            servers += 1
        return servers


def _work(model: ServiceModel, g: nx.MultiDiGraph, resource: str) -> _Work:
    steps = [s for s in model.steps if s.resource == resource and s.duration is not None]
    if not steps:
        raise ValueError(f"no step uses {resource!r} with a duration: nothing to staff")
    visits = visit_ratios(g, model)
    per_customer = sum(visits[s.id] for s in steps)
    mean_service = sum(visits[s.id] * s.duration.mean for s in steps if s.duration) / per_customer
    patience = model.demand.patience
    theta = 1 / patience.mean if isinstance(patience, Exponential) else None
    return _Work([s.id for s in model.steps if s.resource == resource], per_customer, mean_service,
                 theta)


def _erlang_answer(model: ServiceModel, work: _Work, target: StaffingTarget,
                   hours: list[tuple[int, int]], max_abandonment: float | None) -> list[int]:
    """Each hour's first answer, from the hour's arrivals as if they reached the resource at once."""
    answers = []
    for start, end in hours:
        a, b = model.clock_to_time(start), model.clock_to_time(end)
        arrivals = sum(max(0.0, min(b, hi) - max(a, lo)) * rate
                       for lo, hi, rate in model.arrival_pieces or [])
        rate = arrivals * model.demand.scale * work.visits / (b - a)
        answers.append(work.servers(rate, target, max_abandonment))
    return answers


def _with_schedule(model: ServiceModel, resource: str, hours: list[tuple[int, int]],
                   servers: list[int]) -> ServiceModel:
    """The model with the resource on the given servers hour by hour."""
    current = model.resources[resource]
    staffed = Resource.model_validate({
        "name": current.name, "cost_per_hour": current.cost_per_hour,
        "schedule": [{"from": format_clock(a), "to": format_clock(b), "capacity": n}
                     for (a, b), n in zip(hours, servers, strict=True)],
    }, strict=True)
    return model.with_resource(resource, staffed)


@dataclass(frozen=True)
class _Hour:
    """One hour's simulated service level and share lost, over the replications, and the
    visits that reached the resource's steps in it (mean per replication)."""

    level: Statistic | None
    lost: Statistic | None
    visits: float


def _hourly(runs: Sequence[Replication], steps: list[str], within: float, count: int) -> list[_Hour]:
    """Per hour, over replications: the share of visits (to the resource's steps) reached in
    that hour that started within `within`, and the share that left without starting."""
    key = service_level_key(within)
    hours = []
    for h in range(count):
        levels: list[float | None] = []
        lost: list[float | None] = []
        visits = 0.0
        for run in runs:
            entered = started = good = 0.0
            for sid in steps:
                step = run.steps[sid]
                e = step.entries_by_hour[h] if h < len(step.entries_by_hour) else 0.0
                share = step.service_levels_by_hour[key][h] if e else None
                entered += e
                started += step.started_by_hour[h] if h < len(step.started_by_hour) else 0.0
                good += e * (share or 0.0)
            levels.append(good / entered if entered else None)
            lost.append(1 - started / entered if entered else None)
            visits += entered
        hours.append(_Hour(statistic(levels), statistic(lost), visits / max(len(runs), 1)))
    return hours


def _verdict(hour: _Hour, share: float, ceiling: float | None) -> str:
    """MISSED when the whole interval is on the wrong side of the target, MET when the mean
    is on the right side, else TOO_CLOSE (more replications may tell)."""
    verdicts = []
    if hour.level is not None:
        level = hour.level
        verdicts.append(MISSED if level.high < share - 1e-12 else
                        MET if level.mean >= share - 1e-12 else TOO_CLOSE)
    if ceiling is not None and hour.lost is not None:
        lost = hour.lost
        verdicts.append(MISSED if lost.low > ceiling + 1e-12 else
                        MET if lost.mean <= ceiling + 1e-12 else TOO_CLOSE)
    for worst in (MISSED, TOO_CLOSE):
        if worst in verdicts:
            return worst
    return MET


def recommend_staff(model: ServiceModel, g: nx.MultiDiGraph, resource: str,
                    target: str | StaffingTarget, *, max_abandonment: float | None = None,
                    replications: int = 10, max_replications: int | None = None, seed: int = 1,
                    jobs: int | None = 1, executor: Any = None, max_rounds: int = 8,
                    max_customers: int | None = None) -> StaffingPlan:
    """The fewest servers per hour meeting `target` at every step that uses `resource`.

    ``replications`` days are simulated per round. An hour whose interval is
    wholly below the target gets more servers: at least one, or as many as
    Erlang asks for the visits the simulation saw in that hour. Where the
    target lies inside an hour's interval, more replications are added
    (doubling, the days already run kept) up to ``max_replications``
    (default 8 times ``replications``, at least 80); an hour still too close
    to call then gets one more server, decided on its mean, and a note.
    """
    if resource not in model.resources:
        raise ValueError(f"{resource!r} is not a resource of this model")
    goal = target if isinstance(target, StaffingTarget) else parse_target(target, model.time_unit)
    bound = max(max_replications or max(8 * replications, 80), replications)
    budget = run_budget(model, g)  # the arrivals and visits of a day: the schedule barely moves them
    findings = over_budget(model, budget, bound, max_customers=max_customers)
    if findings:  # priced before the first simulated day
        raise BudgetExceeded(findings)
    hours = _hours(model)
    work = _work(model, g, resource)
    first = _erlang_answer(model, work, goal, hours, max_abandonment)
    servers = list(first)
    rounds, met, days = 0, False, 0
    wanted = replications
    runs: list[Replication] = []
    verdicts: list[str] = []
    hourly: list[_Hour] = []
    notes: list[str] = []
    while rounds < max_rounds:
        rounds += 1
        plan = compile_plan(_with_schedule(model, resource, hours, servers), g, budget)
        plan.thresholds = {sid: (goal.within,) for sid in work.steps}
        runs = []
        while True:  # more days of the same schedule until every verdict is clear, or the bound
            (more,) = run_plans([plan], replications=wanted - len(runs), seed=seed, jobs=jobs,
                                executor=executor, first=len(runs))
            runs += more
            days += len(more)
            hourly = _hourly(runs, work.steps, goal.within, len(hours))
            verdicts = [_verdict(h, goal.share, max_abandonment) for h in hourly]
            if TOO_CLOSE not in verdicts or wanted >= bound:
                break
            wanted = min(2 * wanted, bound)
        idle = [h for h, hour in enumerate(hourly) if hour.visits == 0 and servers[h] > 0]
        if MISSED not in verdicts and TOO_CLOSE not in verdicts and not idle:
            met = True
            break
        if rounds == max_rounds:  # the figures shown must be those of the schedule shown
            break
        for h, (verdict, hour) in enumerate(zip(verdicts, hourly, strict=True)):
            (a, b) = hours[h]
            if h in idle:  # no work reached the resource in this hour on any simulated day
                servers[h] = 0
            elif verdict == MISSED:
                # queues carried over, or the work reached the resource later than the customers
                # arrived: the simulated visits of the hour say what Erlang should have been told
                # (the last hour's visits include those after closing, so its span does too)
                covered = _span(runs, hours, h)
                rate = hour.visits / (covered * 60 / model.minutes_per_unit)
                servers[h] = max(servers[h] + 1, work.servers(rate, goal, max_abandonment))
            elif verdict == TOO_CLOSE:
                servers[h] += 1
                notes.append(_close_call(a, b, hour, goal, len(runs)))
    if MISSED in verdicts or TOO_CLOSE in verdicts:
        notes.append(f"after {rounds} rounds some hours still miss the target")
    cost = model.resources[resource].cost_per_hour
    span = [(b - a) / 60 for a, b in hours]
    current = [_current(model, resource, a, b) for a, b in hours]
    achieved = [
        HourAchieved(start=format_clock(a), end=format_clock(b), servers=n, erlang_estimate=e,
                     current=c, service_level=h.level.mean if h.level else None,
                     service_level_ci95=list(h.level.ci95) if h.level else None,
                     abandonment_rate=h.lost.mean if h.lost else None, replications=len(runs),
                     verdict=v)
        for (a, b), n, e, c, h, v in zip(hours, servers, first, current, hourly, verdicts, strict=True)
    ]
    return StaffingPlan(
        resource=resource, target=goal.text, target_share=goal.share, target_within=goal.within,
        time_unit=model.time_unit, max_abandonment=max_abandonment,
        schedule=_merged(hours, servers), achieved=achieved,
        staff_cost=cost * sum(n * s for n, s in zip(servers, span, strict=True)),
        current_staff_cost=cost * sum(c * s for c, s in zip(current, span, strict=True)),
        target_met_every_hour=met, simulation_rounds=rounds, days_simulated=days, notes=notes)


def _span(runs: Sequence[Replication], hours: list[tuple[int, int]], h: int) -> float:
    """Clock hours the h-th hour's figures cover: the last one runs on until the last customer
    leaves (the mean over the days)."""
    if h < len(hours) - 1:
        return (hours[h][1] - hours[h][0]) / 60
    measured = sum(run.measured_hours for run in runs) / max(len(runs), 1)
    return max(measured - (hours[h][0] - hours[0][0]) / 60, (hours[h][1] - hours[h][0]) / 60)


def _close_call(start: int, end: int, hour: _Hour, goal: StaffingTarget, replications: int) -> str:
    level = hour.level
    shown = "" if level is None else (f" ({level.mean:.1%}, 95% interval {level.low:.1%}-"
                                      f"{level.high:.1%}, against {goal.share:.0%})")
    return (f"{format_clock(start)}-{format_clock(end)}: still too close to call after "
            f"{replications} replications{shown}; one more server, decided on the mean")


def _merged(hours: list[tuple[int, int]], servers: list[int]) -> list[ShiftRow]:
    """Hours with the same number of servers, merged into shift windows."""
    windows: list[ShiftRow] = []
    for (start, end), n in zip(hours, servers, strict=True):
        if windows and windows[-1].capacity == n:
            windows[-1].end = format_clock(end)
        else:
            windows.append(ShiftRow(start=format_clock(start), end=format_clock(end), capacity=n))
    return windows


def _current(model: ServiceModel, resource: str, start: float, end: float) -> float:
    """Mean servers on duty between two clock times in the model as it is."""
    a, b = model.clock_to_time(start), model.clock_to_time(end)
    covered = sum(max(0.0, min(b, hi) - max(a, lo)) * capacity
                  for lo, hi, capacity in model.capacity_pieces(resource))
    return covered / (b - a)
