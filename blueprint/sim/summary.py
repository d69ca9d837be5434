"""One replication's statistics, from the engine's books to plain numbers.

Definitions (docs/results.md): `wait` is the time from reaching a step to
starting service, over customers who started it; `within_tolerance` is the
share of customers reaching the step who started within its tolerance (those
who left count as failures); `utilization` is busy server-time over scheduled
server-time; idle server-hours are the capacity that perished unused;
`abandoned` = balked + reneged + fail-point abandons.

Every money figure of a replication is computed here and nowhere else —
revenue, staff and material cost, profit, cost per served customer, idle
hours and their cost — so the economics, a study's KPIs and the report read
one number, not three versions of it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from blueprint.results import service_level_key

__all__ = ["summarise"]

PERCENTILES = (50, 90, 95)
SAMPLE = 400  # waits kept per step and replication, evenly spaced, for distribution plots


def _percentiles(values: Any) -> list[float | None]:
    """The PERCENTILES of a column (an array('d') or a numpy array)."""
    if not len(values):
        return [None] * len(PERCENTILES)
    data = values if isinstance(values, np.ndarray) else np.frombuffer(values, dtype=float)
    return [float(v) for v in np.percentile(data, PERCENTILES)]


def _hour_of(times: np.ndarray, plan: Any, hours: int) -> np.ndarray:
    """The hour bucket of each time; -1 past the last bucket of a (long) steady-state run.

    In a day, customers served after closing count in the last hour.
    """
    index = ((times - plan.warmup) // plan.hour).astype(int)
    if plan.is_day:
        return np.clip(index, 0, hours - 1)
    return np.where(index < hours, np.maximum(index, 0), -1)


def _per_hour(hours_of: np.ndarray, hours: int, weights: np.ndarray | None = None) -> np.ndarray:
    keep = hours_of >= 0
    picked = None if weights is None else weights[keep]
    return np.bincount(hours_of[keep], weights=picked, minlength=hours)[:hours].astype(float)


def _queue_by_hour(start: np.ndarray, end: np.ndarray, plan: Any, hours: int) -> list[float]:
    """Time-average number waiting in each hour, from every queue stay [start, end).

    The area up to time t is sum(t - s for s < t) - sum(t - e for e < t); with the
    starts and ends sorted once, each hour boundary costs a binary search.
    """
    bounds = plan.warmup + plan.hour * np.arange(hours + 1)
    starts, ends = np.sort(start), np.sort(end)
    cum_s = np.concatenate([[0.0], np.cumsum(starts)])
    cum_e = np.concatenate([[0.0], np.cumsum(ends)])
    n_s = np.searchsorted(starts, bounds)
    n_e = np.searchsorted(ends, bounds)
    area = bounds * n_s - cum_s[n_s] - (bounds * n_e - cum_e[n_e])
    return (np.diff(area) / plan.hour).tolist()


def _p90_by_hour(waits: np.ndarray, hour_of: np.ndarray, hours: int) -> list[float | None]:
    """The 90th percentile of the waits of each hour (None for an hour without any).

    Every hour at once: the waits sorted by hour and value, then each hour's
    percentile by numpy's default ("linear", Hyndman & Fan's method 7): the
    value at rank 0.9 (n - 1), interpolated between its neighbours exactly as
    ``np.percentile`` does it (tests/test_sim_behaviour.py checks the two agree).
    """
    keep = hour_of >= 0
    waits, hour_of = waits[keep], hour_of[keep]
    ordered = waits[np.lexsort((waits, hour_of))]
    edges = np.searchsorted(np.sort(hour_of), np.arange(hours + 1))
    first, count = edges[:-1], np.diff(edges)
    present = count > 0
    rank = (count[present] - 1) * 0.9
    below = np.floor(rank)
    last = rank >= count[present] - 1
    gamma = rank - np.where(last, -1.0, below)
    low_at = first[present] + np.where(last, count[present] - 1, below.astype(np.intp))
    high_at = first[present] + np.where(last, count[present] - 1, below.astype(np.intp) + 1)
    low, high = ordered[low_at], ordered[high_at]
    step = high - low
    values = np.where(gamma >= 0.5, high - step * (1 - gamma), low + step * gamma)
    out: list[float | None] = [None] * hours
    for h, value in zip(np.flatnonzero(present).tolist(), values.tolist(), strict=True):
        out[h] = value
    return out


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
    queued = step.resource is not None  # at a pure delay everyone starts at once: within any wait

    def share_within(limit: float) -> float | None:
        if not queued:
            return 1.0 if n else None
        return float((waits <= limit + 1e-12).sum()) / n if n else None

    def share_by_hour(limit: float) -> list[float | None]:
        if not queued:
            return [1.0 if e else None for e in entered]
        within = _per_hour(wait_at[waits <= limit + 1e-12], hours)
        return [float(w / e) if e else None for w, e in zip(within, entered, strict=True)]

    limits = plan.thresholds.get(step.id, ())
    p90_by_hour = _p90_by_hour(waits, wait_at, hours)
    stride = max(1, len(waits) // SAMPLE)
    by_class = {}
    if len(plan.classes) > 1:
        entry_classes = np.frombuffer(book.entry_classes, dtype=np.int16)
        wait_classes = np.frombuffer(book.wait_classes, dtype=np.int16)
        for c, name in enumerate(plan.classes):
            by_class[name] = _class_at_step(waits[wait_classes == c],
                                            int((entry_classes == c).sum()), step.tolerance, queued)
    return {
        "entries": n,
        "balked": book.balked,
        "reneged": book.reneged,
        "entries_by_hour": entered.tolist(),
        "started_by_hour": started.tolist(),
        "wait_mean": float(waits.mean()) if len(waits) else None,
        "wait_p50": p50, "wait_p90": p90, "wait_p95": p95,
        "wait_by_hour": [float(w / c) if c else None for w, c in zip(waited, started, strict=True)],
        "wait_p90_by_hour": p90_by_hour,
        "wait_sample": waits[::stride][:SAMPLE].tolist(),
        "service_mean": book.service / book.served if book.served else None,
        "within_tolerance": share_within(step.tolerance) if step.tolerance is not None else None,
        "within_promise": share_within(step.promise) if step.promise is not None else None,
        "beyond_standard": (book.over_standard / book.served
                            if step.standard is not None and book.served else None),
        "service_levels": {service_level_key(limit): share_within(limit) for limit in limits},
        "service_levels_by_hour": {service_level_key(limit): share_by_hour(limit) for limit in limits},
        "queue_length_mean": queue_time / period,
        "queue_length_by_hour": _queue_by_hour(start, end, plan, hours),
        "queue_time_total": queue_time,
        "fail_points": dict(book.fails),
        "classes": by_class,
    }


def _class_at_step(waits: np.ndarray, entries: int, tolerance: float | None,
                   queued: bool) -> dict[str, Any]:
    """One class's visits and waits at a step (`queued`: the step has a resource to wait for)."""
    within = None
    if tolerance is not None and entries:
        within = float((waits <= tolerance + 1e-12).sum()) / entries if queued else 1.0
    p50, p90, p95 = _percentiles(waits)
    return {
        "entries": entries,
        "wait_mean": float(waits.mean()) if len(waits) else None,
        "wait_p50": p50, "wait_p90": p90, "wait_p95": p95,
        "within_tolerance": within,
    }


def summarise(rep: Any) -> dict[str, Any]:
    """Plain, picklable numbers for one replication (`rep` is an engine replication)."""
    plan = rep.plan
    start, end = plan.warmup, rep.measured_end
    period = max(end - start, 1e-12)
    served, balked, reneged, abandons = rep.outcomes
    arrived = np.frombuffer(rep.arrival_times, dtype=float)
    arrivals = len(arrived)
    lost = balked + reneged + abandons
    sojourn = np.frombuffer(rep.sojourn, dtype=float) if len(rep.sojourn) else None
    hours = plan.hours
    steps = {step.id: _step(step, book, plan, period, hours)
             for step, book in zip(plan.steps, rep.books, strict=True)}
    resources = {}
    staff_cost = idle_hours = idle_cost = 0.0
    for rid, pool in rep.pools.items():
        scheduled = plan.scheduled[rid]
        busy = [pool.busy_by_hour.get(h, 0.0) for h in range(len(scheduled))]
        # totals over the whole measured period; the hourly series may stop at a week
        total_scheduled, total_busy = plan.scheduled_total[rid], sum(pool.busy_by_hour.values())
        hour = plan.hour
        staff_cost += plan.costs[rid] * total_scheduled / hour
        idle = max(total_scheduled - total_busy, 0.0) / hour
        idle_hours += idle
        idle_cost += plan.costs[rid] * idle
        resources[rid] = {
            "utilization": total_busy / total_scheduled if total_scheduled else None,
            "idle_hours": idle,
            "idle_cost": plan.costs[rid] * idle,
            "busy_hours": total_busy / hour,
            "scheduled_hours": total_scheduled / hour,
            "overtime_hours": pool.overtime / hour,
            "utilization_by_hour": [b / s if s else None for b, s in zip(busy, scheduled, strict=True)],
        }
    revenue = rep.outcome_value[0]
    materials = sum(step.material_cost * steps[step.id]["entries"] for step in plan.steps)
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
        "material_cost": materials,
        "profit": revenue - staff_cost - materials,
        "cost_per_served": (staff_cost + materials) / served if served else None,
        "idle_hours": idle_hours,
        "idle_cost": idle_cost,
        # counted customers (arrived after the warm-up) still inside when the run stops
        "in_system_at_end": rep.in_system if not plan.is_day else 0,
        "in_system_mean": rep.system_area / period,
        "time_in_system_total": rep.total_time,
        "measured_hours": period / plan.hour,
        "arrivals_by_hour": _per_hour(np.floor_divide(arrived - plan.warmup, plan.hour).astype(int),
                                      hours).astype(int).tolist(),
        "classes": {
            name or "all": {"arrivals": int(n), "served": done,
                            "time_in_system_mean": total / done if done else None}
            for name, n, done, total in zip(
                plan.classes, np.bincount(np.frombuffer(rep.arrival_classes, dtype=np.int16),
                                          minlength=len(plan.classes)),
                rep.served_count, rep.served_time, strict=True)
        },
        "steps": steps,
        "resources": resources,
        "outcomes": _outcomes(rep.judged, arrivals, served) if rep.judged is not None else None,
    }


def _outcomes(judged: Any, arrivals: int, served: int) -> dict[str, Any]:
    """The day's complaints, dissatisfied customers and lifetime value lost (docs/loyalty.md);
    with a complaint desk, its omissions and its time to resolve (in this model's time unit)."""
    desk = judged.plan.process is not None
    scale = judged.plan.to_process[0]
    resolved = judged.resolve_times
    return {
        "omission_rate": (judged.omitted / judged.complaints if judged.complaints else 0.0) if desk else None,
        "time_to_resolve": sum(resolved) / len(resolved) / scale if desk and resolved else None,
        "complaint_times": list(judged.complaint_times) if desk else [],
        "desk_arrival_times": list(judged.desk_arrivals) if desk else [],
        "complaints": judged.complaints,
        "complaint_rate": judged.complaints / served if served else None,
        "dissatisfied": judged.dissatisfied,
        "dissatisfaction_rate": judged.dissatisfied / arrivals if arrivals else None,
        "customers": dict(judged.customers),
        "clv": judged.plan.clv["served"] if judged.plan.clv is not None else None,
        "clv_lost": sum(judged.clv_lost.values()) if judged.plan.clv is not None else None,
        "clv_lost_by_outcome": dict(judged.clv_lost),
        "causes": {cause: {"customers": int(c), "complaints": int(k), "clv_lost": lost}
                   for cause, (c, k, lost) in sorted(judged.causes.items())},
    }
