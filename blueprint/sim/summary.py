"""One replication's statistics, from the engine's books to plain numbers.

Definitions (DESIGN §4): `wait` is the time from reaching a step to starting
service, over customers who started it; `within_tolerance` is the share of
customers reaching the step who started within its tolerance (those who left
count as failures); `utilization` is busy server-time over scheduled
server-time; idle server-hours are the capacity that perished unused;
`abandoned` = balked + reneged + fail-point abandons.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["summarise"]

PERCENTILES = (50, 90, 95)


def _percentiles(values: Any) -> list[float | None]:
    if not len(values):
        return [None] * len(PERCENTILES)
    data = np.frombuffer(values, dtype=float)
    return [float(v) for v in np.percentile(data, PERCENTILES)]


def summarise(rep: Any) -> dict[str, Any]:
    """Plain, picklable numbers for one replication (`rep` is an engine replication)."""
    plan = rep.plan
    start, end = plan.warmup, rep.measured_end
    period = max(end - start, 1e-12)
    served, balked, reneged, abandons = rep.outcomes
    arrivals = rep.recorded
    lost = balked + reneged + abandons
    sojourn = np.frombuffer(rep.sojourn, dtype=float) if len(rep.sojourn) else None
    hours = max(plan.hours, 1 + max(rep.arrivals_by_hour, default=0))
    steps = {}
    for step, book in zip(plan.steps, rep.books, strict=True):
        waits = book.waits
        p50, p90, p95 = _percentiles(waits)
        steps[step.id] = {
            "entries": book.entries,
            "wait_mean": float(np.frombuffer(waits, dtype=float).mean()) if len(waits) else None,
            "wait_p50": p50, "wait_p90": p90, "wait_p95": p95,
            "wait_by_hour": [
                (cell[0] / cell[1]) if (cell := book.wait_by_hour.get(h)) else None
                for h in range(hours)
            ],
            "service_mean": book.service / book.served if book.served else None,
            "within_tolerance": (book.within / book.entries
                                 if step.tolerance is not None and book.entries else None),
            "queue_length_mean": book.area / period,
            "queue_time_total": book.queue_time,
            "fail_points": dict(book.fails),
        }
    resources = {}
    staff_cost = 0.0
    for rid, pool in rep.pools.items():
        scheduled = plan.scheduled[rid]
        busy = [pool.busy_by_hour.get(h, 0.0) for h in range(len(scheduled))]
        total_scheduled, total_busy = sum(scheduled), sum(busy)
        hour = plan.hour
        staff_cost += plan.costs[rid] * total_scheduled / hour
        resources[rid] = {
            "utilization": total_busy / total_scheduled if total_scheduled else None,
            "idle_hours": max(total_scheduled - total_busy, 0.0) / hour,
            "busy_hours": total_busy / hour,
            "scheduled_hours": total_scheduled / hour,
            "overtime_hours": pool.overtime / hour,
            "utilization_by_hour": [b / s if s else None for b, s in zip(busy, scheduled, strict=True)],
        }
    revenue = rep.outcome_value[0]
    return {
        "arrivals": arrivals,
        "served": served,
        "balked": balked,
        "reneged": reneged,
        "abandoned": lost,
        "abandonment_rate": lost / arrivals if arrivals else 0.0,
        "time_in_system_mean": float(sojourn.mean()) if sojourn is not None else None,
        "time_in_system_p90": float(np.percentile(sojourn, 90)) if sojourn is not None else None,
        "revenue": revenue,
        "lost_revenue": sum(rep.outcome_value[1:]),
        "staff_cost": staff_cost,
        "in_system_at_end": rep.arrivals - sum(rep.outcomes) if not plan.is_day else 0,
        "in_system_mean": rep.system_area / period,
        "time_in_system_total": rep.total_time,
        "measured_hours": period / plan.hour,
        "arrivals_by_hour": [rep.arrivals_by_hour.get(h, 0) for h in range(hours)],
        "classes": {
            name or "all": {"arrivals": n, "served": done,
                            "time_in_system_mean": total / done if done else None}
            for name, (n, done, total) in zip(plan.classes, rep.by_class, strict=True)
        },
        "steps": steps,
        "resources": resources,
    }
