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
SAMPLE = 400  # waits kept per step and replication, evenly spaced, for distribution plots


def _percentiles(values: Any) -> list[float | None]:
    if not len(values):
        return [None] * len(PERCENTILES)
    data = np.frombuffer(values, dtype=float)
    return [float(v) for v in np.percentile(data, PERCENTILES)]


def _hour_of(times: np.ndarray, plan: Any, hours: int) -> np.ndarray:
    return np.clip(((times - plan.warmup) // plan.hour).astype(int), 0, hours - 1)


def _per_hour(hours_of: np.ndarray, hours: int, weights: np.ndarray | None = None) -> np.ndarray:
    return np.bincount(hours_of, weights=weights, minlength=hours)[:hours].astype(float)


def _queue_by_hour(start: np.ndarray, end: np.ndarray, plan: Any, hours: int) -> list[float]:
    """Time-average number waiting in each hour: overlap of every queue stay with the hour."""
    result = []
    for h in range(hours):
        lo = plan.warmup + h * plan.hour
        hi = lo + plan.hour
        overlap = np.clip(np.minimum(end, hi) - np.maximum(start, lo), 0, None)
        result.append(float(overlap.sum()) / plan.hour)
    return result


def _step(step: Any, book: Any, plan: Any, period: float, hours: int) -> dict[str, Any]:
    entries = np.frombuffer(book.entries, dtype=float)
    waits = np.frombuffer(book.waits, dtype=float)
    wait_at = _hour_of(np.frombuffer(book.wait_times, dtype=float), plan, hours)
    entered = _per_hour(_hour_of(entries, plan, hours), hours)
    started = _per_hour(wait_at, hours)
    waited = _per_hour(wait_at, hours, waits)
    start = np.frombuffer(book.queue_start, dtype=float)
    end = np.frombuffer(book.queue_end, dtype=float)
    queue_time = float((end - start).sum())
    p50, p90, p95 = _percentiles(book.waits)
    n = len(entries)

    def share_within(limit: float) -> float | None:
        return float((waits <= limit + 1e-12).sum()) / n if n else None

    def share_by_hour(limit: float) -> list[float | None]:
        within = _per_hour(wait_at[waits <= limit + 1e-12], hours)
        return [float(w / e) if e else None for w, e in zip(within, entered, strict=True)]

    limits = plan.thresholds.get(step.id, ())
    p90_by_hour = [float(np.percentile(waits[wait_at == h], 90)) if started[h] else None
                   for h in range(hours)]
    stride = max(1, len(waits) // SAMPLE)
    return {
        "entries": n,
        "entries_by_hour": entered.tolist(),
        "started_by_hour": started.tolist(),
        "wait_mean": float(waits.mean()) if len(waits) else None,
        "wait_p50": p50, "wait_p90": p90, "wait_p95": p95,
        "wait_by_hour": [float(w / c) if c else None for w, c in zip(waited, started, strict=True)],
        "wait_p90_by_hour": p90_by_hour,
        "wait_sample": waits[::stride][:SAMPLE].tolist(),
        "service_mean": book.service / book.served if book.served else None,
        "within_tolerance": share_within(step.tolerance) if step.tolerance is not None else None,
        "service_levels": {f"{limit:g}": share_within(limit) for limit in limits},
        "service_levels_by_hour": {f"{limit:g}": share_by_hour(limit) for limit in limits},
        "queue_length_mean": queue_time / period,
        "queue_length_by_hour": _queue_by_hour(start, end, plan, hours),
        "queue_time_total": queue_time,
        "fail_points": dict(book.fails),
    }


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
    steps = {step.id: _step(step, book, plan, period, hours)
             for step, book in zip(plan.steps, rep.books, strict=True)}
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
