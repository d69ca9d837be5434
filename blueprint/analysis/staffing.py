"""Staffing to a service level: the fewest servers each hour, checked by simulating the day.

Capacity perishes, so every hour needs its own answer. The first answer comes
from queueing theory: that hour's offered load at the resource, Erlang C (or
Erlang A when customers have a patience) for the fewest servers meeting "80%
within 5 minutes". But queues carry over from one hour into the next, which
hour-by-hour formulas cannot see; so the whole day is then simulated with
that schedule, and every hour that misses the target gets one more server,
until every hour meets it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from blueprint.analysis.overrides import apply_overrides
from blueprint.analysis.queueing import erlang_a, servers_for_service_level
from blueprint.api import Blueprint
from blueprint.graph import visit_ratios
from blueprint.loader import load_plain
from blueprint.model import MINUTES_PER_UNIT, DayHorizon, Exponential, format_clock

__all__ = ["StaffingResult", "StaffingTarget", "parse_target", "recommend_staff"]

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
    if not 0 < share <= 1:
        raise ValueError(f"the share in {text!r} must be between 0 and 100%")
    unit = _UNIT[(match["unit"] or time_unit).lower()] if match["unit"] else time_unit
    within = float(match["within"]) * MINUTES_PER_UNIT[unit] / MINUTES_PER_UNIT[time_unit]
    return StaffingTarget(share, within, text.strip())


@dataclass
class StaffingResult:
    resource: str
    target: StaffingTarget
    hours: list[tuple[float, float]]          # (from, to) in minutes after midnight
    erlang: list[int]                         # first answer per hour, from the formulas
    servers: list[int]                        # after checking by simulation
    current: list[float]                      # the model's own capacity per hour (mean)
    service_level: list[float | None]
    abandonment_rate: list[float | None]
    staff_cost: float
    current_cost: float
    rounds: int
    met: bool
    notes: list[str] = field(default_factory=list)

    def schedule(self) -> list[dict[str, Any]]:
        """The recommendation as shift windows (equal neighbouring hours merged)."""
        windows: list[dict[str, Any]] = []
        for (start, end), servers in zip(self.hours, self.servers, strict=True):
            if windows and windows[-1]["capacity"] == servers:
                windows[-1]["to"] = format_clock(end)
            else:
                windows.append({"from": format_clock(start), "to": format_clock(end),
                                "capacity": servers})
        return windows

    def to_dict(self) -> dict[str, Any]:
        return {
            "resource": self.resource,
            "target": self.target.text,
            "schedule": self.schedule(),
            "achieved": [
                {"from": format_clock(a), "to": format_clock(b), "service_level": sl,
                 "abandonment_rate": ab, "servers": n, "erlang_estimate": e, "current": c}
                for (a, b), sl, ab, n, e, c in zip(self.hours, self.service_level,
                                                   self.abandonment_rate, self.servers,
                                                   self.erlang, self.current, strict=True)
            ],
            "staff_cost": self.staff_cost,
            "current_staff_cost": self.current_cost,
            "target_met_every_hour": self.met,
            "simulation_rounds": self.rounds,
            "notes": self.notes,
        }

    def yaml_block(self) -> str:
        """A `schedule:` block ready to paste under the resource in the model."""
        lines = ["schedule:"]
        lines += [f'  - {{from: "{w["from"]}", to: "{w["to"]}", capacity: {w["capacity"]}}}'
                  for w in self.schedule()]
        return "\n".join(lines)


def _hours(bp: Blueprint) -> list[tuple[float, float]]:
    horizon = bp.model.horizon
    if not isinstance(horizon, DayHorizon):
        raise ValueError("staffing by hour needs a day horizon {open, close}")
    starts = range(horizon.open, horizon.close, 60)
    return [(s, min(s + 60, horizon.close)) for s in starts]


def _erlang_answer(bp: Blueprint, resource: str, target: StaffingTarget,
                   hours: list[tuple[float, float]], max_abandonment: float | None) -> list[int]:
    model = bp.model
    steps = [s for s in model.steps if s.resource == resource and s.duration is not None]
    if not steps:
        raise ValueError(f"no step uses {resource!r} with a duration: nothing to staff")
    visits = visit_ratios(bp.graph, model)
    per_customer = sum(visits[s.id] for s in steps)
    mean_service = sum(visits[s.id] * s.duration.mean for s in steps) / per_customer
    patience = model.demand.patience
    theta = 1 / patience.mean if isinstance(patience, Exponential) else None
    answers = []
    for start, end in hours:
        a, b = model.clock_to_time(start), model.clock_to_time(end)
        arrivals = sum(max(0.0, min(b, hi) - max(a, lo)) * rate
                       for lo, hi, rate in model.arrival_pieces or [])
        rate = arrivals * model.demand.scale * per_customer / (b - a)
        if rate <= 0:
            answers.append(0)
            continue
        servers = servers_for_service_level(rate, 1 / mean_service, target.within, target.share,
                                            patience_rate=theta)
        while max_abandonment is not None and theta and \
                erlang_a(servers, rate, 1 / mean_service, theta).prob_abandon > max_abandonment:
            servers += 1
        answers.append(servers)
    return answers


def _with_schedule(bp: Blueprint, resource: str, hours: list[tuple[float, float]],
                   servers: list[int]) -> Blueprint:
    windows = [{"from": format_clock(a), "to": format_clock(b), "capacity": n}
               for (a, b), n in zip(hours, servers, strict=True)]
    cost = bp.model.resources[resource].cost_per_hour
    edited = apply_overrides(bp.document, {f"resources.{resource}": {
        "schedule": windows, "cost_per_hour": cost}})
    base = bp.path.parent if bp.path else None
    return Blueprint(load_plain(edited, bp.source, base=base))


def _by_hour(results: Any, steps: list[str], within: float, count: int) -> tuple[list, list]:
    """Service level and abandonment per hour at the resource's steps (weighted by entries)."""
    key = f"{within:g}"
    levels, lost = [], []
    for h in range(count):
        entered = started = good = 0.0
        for sid in steps:
            data = results.data["steps"][sid]
            e = _at(data["entries_by_hour"], h)
            entered += e
            started += _at(data["started_by_hour"], h)
            good += e * (_at(data["service_levels"][key]["by_hour"], h) or 0.0)
        levels.append(good / entered if entered else None)
        lost.append(1 - started / entered if entered else None)
    return levels, lost


def _at(series: list, h: int) -> float:
    return series[h]["mean"] if h < len(series) and series[h] is not None else 0.0


def recommend_staff(bp: Blueprint, resource: str, target: str | StaffingTarget, *,
                    max_abandonment: float | None = None, replications: int = 10, seed: int = 1,
                    jobs: int | None = 1, executor: Any = None, max_rounds: int = 8) -> StaffingResult:
    """The fewest servers per hour meeting `target` at every step that uses `resource`."""
    model = bp.model
    if resource not in model.resources:
        raise ValueError(f"{resource!r} is not a resource of this model")
    goal = target if isinstance(target, StaffingTarget) else parse_target(target, model.time_unit)
    hours = _hours(bp)
    first = _erlang_answer(bp, resource, goal, hours, max_abandonment)
    servers = list(first)
    steps = [s.id for s in model.steps if s.resource == resource]
    rounds, met = 0, False
    levels: list = []
    lost: list = []
    while rounds < max_rounds:
        rounds += 1
        candidate = _with_schedule(bp, resource, hours, servers)
        results = candidate.simulate(replications=replications, seed=seed, jobs=jobs,
                                     executor=executor,
                                     service_levels={sid: [goal.within] for sid in steps})
        levels, lost = _by_hour(results, steps, goal.within, len(hours))
        short = [h for h, (sl, ab) in enumerate(zip(levels, lost, strict=True))
                 if (sl is not None and sl < goal.share)
                 or (max_abandonment is not None and ab is not None and ab > max_abandonment)]
        if not short:
            met = True
            break
        for h in short:
            servers[h] += 1
    cost = model.resources[resource].cost_per_hour
    span = [(b - a) / 60 for a, b in hours]
    current = [_current(bp, resource, a, b) for a, b in hours]
    notes = [] if met else [f"after {rounds} rounds some hours still miss the target"]
    return StaffingResult(
        resource, goal, hours, first, servers, current, levels, lost,
        staff_cost=cost * sum(n * s for n, s in zip(servers, span, strict=True)),
        current_cost=cost * sum(c * s for c, s in zip(current, span, strict=True)),
        rounds=rounds, met=met, notes=notes)


def _current(bp: Blueprint, resource: str, start: float, end: float) -> float:
    """Mean servers on duty between two clock times in the model as it is."""
    model = bp.model
    a, b = model.clock_to_time(start), model.clock_to_time(end)
    covered = sum(max(0.0, min(b, hi) - max(a, lo)) * capacity
                  for lo, hi, capacity in model.capacity_pieces(resource))
    return covered / (b - a)
