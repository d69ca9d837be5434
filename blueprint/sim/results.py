"""From replications to results: every figure as a mean with its 95% interval.

A replication is one possible day; the interval says how sure the mean of
many days is (Student t with n - 1 degrees of freedom). The typed document
(:class:`~blueprint.results.SimulationResults`) is what ``--json`` writes and
what overlays, reports and other tools read; its layout is in docs/results.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from blueprint.model.loyalty import OUTCOMES
from blueprint.results.loyalty import CauseResults, LoyaltyResults, OutcomeResults
from blueprint.results.simulation import (
    ClassResults,
    MeanOnly,
    QueueLength,
    Replication,
    ResourceResults,
    ServiceLevelResults,
    SimulationResults,
    Statistic,
    StepClassResults,
    StepResults,
    SystemResults,
    TimeInSystem,
    WaitStatistics,
)
from blueprint.sim.student_t import t_quantile

__all__ = ["aggregate", "statistic", "t_quantile"]


def statistic(values: Sequence[float | None]) -> Statistic | None:
    """The mean and 95% interval over the replications that have a value (None if none has)."""
    present = [float(v) for v in values if v is not None]
    if not present:
        return None
    n = len(present)
    mean = math.fsum(present) / n
    if n < 2:
        return Statistic(mean=mean, ci95=[mean, mean])
    try:
        sd = math.sqrt(math.fsum((v - mean) ** 2 for v in present) / (n - 1))
    except OverflowError:  # figures near the largest float: the deviations measured in a unit
        scale = max(abs(v - mean) for v in present)  # of the largest, squared without overflow
        sd = scale * math.sqrt(math.fsum(((v - mean) / scale) ** 2 for v in present) / (n - 1))
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    return Statistic(mean=mean, ci95=[mean - half, mean + half])


def _series(rows: Sequence[Sequence[float | None]]) -> list[Statistic | None]:
    length = max((len(r) for r in rows), default=0)
    return [statistic([r[h] if h < len(r) else None for r in rows]) for h in range(length)]


def _over(records: Sequence[Any], key: str) -> Statistic | None:
    return statistic([getattr(r, key) for r in records])


def _step(sid: str, runs: Sequence[Replication], name: str | None = None) -> StepResults:
    col = [r.steps[sid] for r in runs]
    first = col[0]
    classes = {
        name: StepClassResults(
            entries=statistic([c.classes[name].entries for c in col]),
            wait=WaitStatistics(**{q: statistic([getattr(c.classes[name], f"wait_{q}") for c in col])
                                   for q in ("mean", "p50", "p90", "p95")}),
            within_tolerance=statistic([c.classes[name].within_tolerance for c in col]),
        )
        for name in first.classes
    }
    return StepResults(
        name=name,
        entries=_over(col, "entries"),
        balked=_over(col, "balked"),
        reneged=_over(col, "reneged"),
        wait=WaitStatistics(**{name: _over(col, f"wait_{name}") for name in ("mean", "p50", "p90",
                                                                             "p95")}),
        wait_by_hour=_series([c.wait_by_hour for c in col]),
        wait_p90_by_hour=_series([c.wait_p90_by_hour for c in col]),
        service=MeanOnly(mean=_over(col, "service_mean")),
        within_tolerance=_over(col, "within_tolerance"),
        within_promise=_over(col, "within_promise"),
        beyond_standard=_over(col, "beyond_standard"),
        queue_length=QueueLength(mean=_over(col, "queue_length_mean"),
                                 by_hour=_series([c.queue_length_by_hour for c in col])),
        entries_by_hour=_series([c.entries_by_hour for c in col]),
        started_by_hour=_series([c.started_by_hour for c in col]),
        service_levels={
            limit: ServiceLevelResults(
                overall=statistic([c.service_levels[limit] for c in col]),
                by_hour=_series([c.service_levels_by_hour[limit] for c in col]))
            for limit in first.service_levels
        },
        fail_points={fid: statistic([c.fail_points[fid] for c in col]) for fid in first.fail_points},
        classes=classes,
    )


def _resource(rid: str, runs: Sequence[Replication]) -> ResourceResults:
    col = [r.resources[rid] for r in runs]
    return ResourceResults(
        **{key: _over(col, key) for key in ("utilization", "idle_hours", "idle_cost", "busy_hours",
                                            "scheduled_hours", "overtime_hours")},
        utilization_by_hour=_series([c.utilization_by_hour for c in col]),
    )


_SYSTEM = ("arrivals", "served", "balked", "reneged", "abandoned", "abandonment_rate", "revenue",
           "lost_revenue", "staff_cost", "material_cost", "profit", "cost_per_served", "idle_hours",
           "idle_cost", "in_system_at_end", "in_system_mean")


def aggregate(runs: Sequence[Replication], model: str, seed: int, time_unit: str = "min",
              warnings: Sequence[str] = (), currency: str | None = None,
              names: dict[str, str | None] | None = None, clv: float | None = None) -> SimulationResults:
    """The results document from the replications (kept with it as ``.runs``)."""
    first = runs[0]
    system = SystemResults(
        **{key: _over(runs, key) for key in _SYSTEM},
        time_in_system=TimeInSystem(mean=_over(runs, "time_in_system_mean"),
                                    p90=_over(runs, "time_in_system_p90")),
        classes={
            name: ClassResults(**{key: statistic([getattr(r.classes[name], key) for r in runs])
                                  for key in ("arrivals", "served", "time_in_system_mean")})
            for name in first.classes
        },
        arrivals_by_hour=_series([r.arrivals_by_hour for r in runs]),
        **_controls(runs),
    )
    results = SimulationResults(
        model=model, replications=len(runs), seed=seed, time_unit=time_unit,  # type: ignore[arg-type]
        currency=currency,
        system=system,
        steps={sid: _step(sid, runs, (names or {}).get(sid)) for sid in first.steps},
        resources={rid: _resource(rid, runs) for rid in first.resources},
        warnings=list(warnings),
        loyalty=_loyalty(runs, clv),
    )
    return results.with_runs(list(runs))


def _controls(runs: Sequence[Replication]) -> dict[str, Statistic | None]:
    """The three controls of complaint handling (and the complaints), where they are followed."""
    if runs[0].outcomes is None:
        return {}
    keys = ("complaints", "complaint_rate", "dissatisfied", "dissatisfaction_rate", "omission_rate",
            "time_to_resolve")
    return {key: statistic([getattr(r.outcomes, key) for r in runs]) for key in keys}


def _loyalty(runs: Sequence[Replication], clv: float | None) -> LoyaltyResults | None:
    """Lifetime value lost by outcome and by cause; a day without an outcome or a cause counts 0."""
    if runs[0].outcomes is None or clv is None:
        return None
    days = [r.outcomes for r in runs if r.outcomes is not None]
    outcomes = sorted({o for d in days for o in d.customers}, key=lambda o: OUTCOMES.index(o))
    causes = sorted({c for d in days for c in d.causes})
    return LoyaltyResults(
        clv=statistic([d.clv if d.clv is not None else clv for d in days]),
        clv_lost=statistic([d.clv_lost for d in days]),
        by_outcome={o: OutcomeResults(customers=statistic([d.customers.get(o, 0) for d in days]),
                                      clv_lost=statistic([d.clv_lost_by_outcome.get(o, 0.0)
                                                          for d in days]))
                    for o in outcomes},
        by_cause={c: CauseResults(**{key: statistic([getattr(d.causes[c], key) if c in d.causes else 0
                                                     for d in days])
                                     for key in ("customers", "complaints", "clv_lost")})
                  for c in causes})
