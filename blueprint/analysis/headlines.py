"""What the numbers mean, in sentences: the executive summary of a simulated service.

A client reads four things first: where customers are lost and why, when the
service is busiest, which moment of truth fails its customers most, and —
with a study — which option meets the targets at the least cost. Each is
worked out here from the results (means over the replications, the same
figures the tables show) and written in the designer's words: step names,
the model's time unit turned into minutes or hours, its currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from blueprint.figures import duration, money, percent, significant
from blueprint.model import ServiceModel, format_clock
from blueprint.results import SimulationResults, Statistic
from blueprint.results.quality import FiveGaps, Quality
from blueprint.results.study import StudyResults

__all__ = ["Headline", "headlines", "step_name"]

MOMENTS_OF_TRUTH = ("customer", "frontstage")


@dataclass(frozen=True)
class Headline:
    """One finding: what it is about (`lost`, `busiest`, `touchpoint`, `money`, `scenario`),
    and the sentence that says it."""

    topic: str
    text: str


def step_name(model: ServiceModel, step_id: str) -> str:
    """The name a client knows a step by (its id where it has none)."""
    step = model.steps_by_id.get(step_id)
    return step.name if step is not None and step.name else step_id


def _mean(stat: Statistic | None) -> float:
    return 0.0 if stat is None else stat.mean


def headlines(model: ServiceModel, results: SimulationResults,
              study: StudyResults | None = None, *, quality: Quality | None = None,
              gaps: FiveGaps | None = None) -> list[Headline]:
    """The executive summary, in reading order; with a survey (`quality`) and the five gaps,
    what customers think of it and the promises the simulated day does not keep."""
    found = [_lost(model, results), _busiest(model, results), _touchpoint(model, results),
             _money(model, results), _lifetime(model, results)]
    if quality is not None:
        found.append(_verdict(quality))
    if gaps is not None:
        found.append(_promises(gaps, model))
    if study is not None:
        found.append(_scenario(model, study))
    return [h for h in found if h is not None]


def _lifetime(model: ServiceModel, results: SimulationResults) -> Headline | None:
    """What the day's failures and losses cost over the years, and where most of it comes from."""
    loyalty = results.loyalty
    if loyalty is None or loyalty.clv_lost is None:
        return None
    per = "a day" if model.is_day else "a run"
    text = (f"Beyond the day's takings, its failures and losses cost "
            f"{money(loyalty.clv_lost.mean, currency=results.currency)} {per} of customers' lifetime "
            f"value")
    worst = max(loyalty.by_cause.items(), key=lambda kv: kv[1].clv_lost.mean if kv[1].clv_lost else 0.0,
                default=None)
    if worst is not None and worst[1].clv_lost is not None and worst[1].clv_lost.mean > 0:
        cause, figures = worst
        kind, _, step = cause.partition(":")
        where = (f"customers {'giving up waiting' if kind == 'reneged' else 'walking away'} at "
                 f"{step_name(model, step)}") if step else next(
            (f.name for s in model.steps for f in s.fail_points if f.id == cause), cause)
        text += (f"; most of it ({money(figures.clv_lost.mean, currency=results.currency)}) from "  # type: ignore[union-attr]
                 f"{where}")
    if results.system.complaints is not None and results.system.complaint_rate is not None:
        text += f"; {percent(results.system.complaint_rate.mean)} of customers served complain"
    return Headline("lifetime", text + ".")


def _verdict(quality: Quality) -> Headline | None:
    """The survey's word: the score, the worst moment of truth and its dimension, the NPS."""
    worst = next((w for w in quality.worst if w.significant), None)
    score = quality.servqual.unweighted
    if score is None:
        return None
    text = (f"Customers rate the service {abs(score):.2f} points "
            f"{'below' if score < 0 else 'above'} what they expect (SERVQUAL, "
            f"{quality.respondents} respondents)")
    if worst is not None:
        dims = quality.touchpoints[worst.step].dimensions
        low = min(((d, t.gap.mean) for d, t in dims.items() if t.gap is not None),
                  key=lambda item: item[1], default=None)
        text += (f"; the worst moment of truth is “{worst.name}”, {abs(worst.gap.mean):.2f} below"
                 + (f", on {low[0]}" if low is not None and len(dims) > 1 else ""))
    if quality.nps is not None:
        text += f"; the Net Promoter Score is {quality.nps.score:+.0f}"
    return Headline("quality", text + ".")


def _promises(gaps: FiveGaps, model: ServiceModel) -> Headline | None:
    """A promise the simulated day does not keep (gap 4), or that every one is kept."""
    if gaps.gap4 is None or not gaps.gap4.promises:
        return None
    shaky = [p for p in gaps.gap4.promises if p.verdict in ("broken", "too close to call")]
    if not shaky:
        return Headline("promises", f"Every promise made to customers is kept on the simulated "
                                    f"{'days' if model.is_day else 'runs'}.")
    p = min(shaky, key=lambda p: (p.delivered.mean if p.delivered else 0.0) - p.share)
    said = f"“{p.says}”" if p.says else f"{p.share:.0%} served within {p.within:g} {model.time_unit}"
    got = "no one reaches the step" if p.delivered is None else f"{p.delivered.mean:.0%} start in time"
    word = "is broken" if p.verdict == "broken" else "is not safely kept"
    return Headline("promises", f"The promise {said} at “{p.name}” {word}: {got} "
                                f"(gap 4; promised {p.share:.0%}).")


def _lost(model: ServiceModel, results: SimulationResults) -> Headline:
    system = results.system
    arrivals, lost = _mean(system.arrivals), _mean(system.abandoned)
    per = "a day" if model.is_day else "a run"
    if lost < 0.05:
        return Headline("lost", f"Every customer is served: none of the {arrivals:,.0f} who come "
                                f"{per} leaves without service.")
    causes: list[tuple[float, str]] = []
    for step in model.steps:
        figures = results.steps[step.id]
        name = step_name(model, step.id)
        if _mean(figures.balked) >= 0.05:
            causes.append((_mean(figures.balked),
                           f"{significant(_mean(figures.balked))} walk away from the queue at {name}"))
        if _mean(figures.reneged) >= 0.05:
            causes.append((_mean(figures.reneged),
                           f"{significant(_mean(figures.reneged))} give up waiting at {name}"))
        for fail in step.fail_points:
            if fail.effect == "abandon":
                count = _mean(figures.fail_points.get(fail.id))
                if count >= 0.05:
                    causes.append((count, f"{significant(count)} are lost to {fail.name or fail.id} "
                                          f"at {name}"))
    causes.sort(key=lambda c: -c[0])
    shown = [text for _, text in causes[:3]]
    why = (": " + _and(shown)) if shown else ""
    rate = percent(_mean(system.abandonment_rate))
    value = _mean(system.lost_revenue)
    cost = (f", and {money(value, currency=results.currency)} of revenue with them"
            if value > 0 else "")
    return Headline("lost", f"{significant(lost)} of {arrivals:,.0f} customers {per} ({rate}) leave "
                            f"without being served{cost}{why}.")


def _busiest(model: ServiceModel, results: SimulationResults) -> Headline | None:
    arrivals = [_mean(s) for s in results.system.arrivals_by_hour]
    if not arrivals or not model.is_day:
        return None
    hour = max(range(len(arrivals)), key=lambda h: arrivals[h])
    start = model.time_to_clock(0) + 60 * hour
    span = f"{format_clock(start)}–{format_clock(start + 60)}"
    waits = []
    for step in model.steps:
        series = results.steps[step.id].wait_by_hour
        if step.resource and hour < len(series) and series[hour] is not None:
            waits.append((_mean(series[hour]), step.id))
    text = f"The busiest hour is {span}, with {arrivals[hour]:,.0f} arrivals"
    if waits:
        wait, sid = max(waits)
        if wait > 0:
            text += (f"; the longest waits are then at {step_name(model, sid)}, "
                     f"{duration(wait, model.time_unit)} on average")
    return Headline("busiest", text + ".")


def _touchpoint(model: ServiceModel, results: SimulationResults) -> Headline | None:
    judged: list[tuple[float, Any]] = []
    for s in model.steps:
        within = results.steps[s.id].within_tolerance
        if s.tolerance is not None and s.zone in MOMENTS_OF_TRUTH and s.resource and within:
            judged.append((within.mean, s))
    if not judged:
        return None
    share, step = min(judged, key=lambda j: j[0])
    assert step.tolerance is not None
    tolerance = duration(step.tolerance, model.time_unit)
    p90 = results.steps[step.id].wait.p90
    tail = f"; one in ten waits more than {duration(p90.mean, model.time_unit)}" if p90 else ""
    if share >= 0.95:
        return Headline("touchpoint", f"Every moment of truth with a tolerance serves at least "
                                      f"{percent(share)} of its customers within it; the tightest "
                                      f"is {step_name(model, step.id)} ({tolerance}{tail}).")
    return Headline("touchpoint", f"The touchpoint that fails its customers most is "
                                  f"{step_name(model, step.id)}: {percent(share)} start within the "
                                  f"{tolerance} they accept{tail}.")


def _money(model: ServiceModel, results: SimulationResults) -> Headline:
    system = results.system
    per = "a day" if model.is_day else "a run"
    idle = _mean(system.idle_hours)
    busiest_idle = max(results.resources.items(), key=lambda r: _mean(r[1].idle_hours), default=None)
    text = (f"Staff cost {money(_mean(system.staff_cost), currency=results.currency)} {per}; "
            f"{significant(idle)} server-hours are paid for and unused "
            f"({money(_mean(system.idle_cost), currency=results.currency)})")
    if busiest_idle is not None and _mean(busiest_idle[1].idle_hours) > 0:
        rid, figures = busiest_idle
        text += (f", most of them {rid}'s, busy {percent(_mean(figures.utilization))} of their "
                 f"scheduled time")
    return Headline("money", text + ".")


def _scenario(model: ServiceModel, study: StudyResults) -> Headline:
    meeting = [(name, entry) for name, entry in study.scenarios.items()
               if entry.targets and all(entry.targets.values())]
    if not any(entry.targets for entry in study.scenarios.values()):
        return Headline("scenario", f"The study “{study.study}” sets no targets: its "
                                    f"{len(study.scenarios)} scenarios are compared below.")
    if not meeting:
        closest = max(study.scenarios.items(), key=lambda s: sum(s[1].targets.values()))
        missed = [t.replace("_", " ") for t, ok in closest[1].targets.items() if not ok]
        return Headline("scenario", f"No scenario of “{study.study}” meets every target; the "
                                    f"closest, {closest[0]}, misses {_and(missed)}.")

    def cost(entry: object) -> float:
        kpi = getattr(entry, "kpis", {}).get("staff_cost")
        return kpi.value.mean if kpi is not None and kpi.value is not None else float("inf")

    name, best = min(meeting, key=lambda m: cost(m[1]))
    others = len(meeting) - 1
    also = f" ({others} other{'s' if others != 1 else ''} also meet{'' if others != 1 else 's'} them)"
    spent = cost(best)
    price = (f", at a staff cost of {money(spent, currency=best.results.currency)}"
             if spent < float("inf") else "")
    return Headline("scenario", f"Of the scenarios of “{study.study}”, {name} meets every target "
                                f"at the least cost{price}{also if others else ''}.")


def _and(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
