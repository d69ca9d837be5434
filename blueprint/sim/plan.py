"""The model compiled for simulation: indexes instead of names, once per study.

A customer walks steps by index, looks up its class by index, and finds the
cumulative branch probabilities of its class ready for a binary search: the
hot path never touches a dict keyed by name or a pydantic object.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx

from blueprint.graph import fork_joins
from blueprint.model import END, Distribution, Fork, ServiceModel, branch_probabilities
from blueprint.model.loyalty import OUTCOMES, Complaints, lifetime_value
from blueprint.sim.budget import RunBudget
from blueprint.sim.outcomes import OutcomePlan

__all__ = ["END_INDEX", "MAX_HOURS", "FailPlan", "Plan", "StepPlan", "compile_plan", "outcome_plan",
           "served_clv"]

END_INDEX = -1
MAX_HOURS = 168  # hourly series of a steady-state run cover its first week at most
SINGLE, BRANCHES, FORK = 0, 1, 2


@dataclass(frozen=True)
class FailPlan:
    id: str
    p: float
    effect: str
    target: int
    delay: Distribution | None
    complaint: float = 0.0    # share of the customers it hits who complain
    omission: bool = False    # at a complaint desk: the complaint is not recorded


@dataclass
class StepPlan:
    index: int
    id: str
    resource: str | None
    duration: Distribution | None
    tolerance: float | None
    patience: list[Distribution | None]   # by class
    balk_at: list[int | None]              # by class
    fails: list[FailPlan]
    route: int
    targets: list[int]
    cumulative: list[list[float]]          # by class, for BRANCHES
    join: int = END_INDEX                  # for FORK: where the branches meet
    material_cost: float = 0.0             # per visit
    standard: float | None = None          # execution standard (service time)
    promise: float | None = None           # the promised longest wait (gap 4)


@dataclass
class Plan:
    """Everything a replication needs, in simulation terms (model time units)."""

    name: str
    steps: list[StepPlan]
    classes: list[str | None]
    class_cumulative: list[float]
    priorities: list[int]
    values: list[float]
    arrival_pieces: list[tuple[float, float, float]] | None
    trace: list[tuple[float, int]] | None
    capacity_changes: dict[str, list[tuple[float, int]]]
    costs: dict[str, float]
    scheduled: dict[str, list[float]]      # scheduled server-time per hour bucket (the series)
    scheduled_total: dict[str, float]      # scheduled server-time over the whole measured period
    is_day: bool
    horizon_end: float
    warmup: float
    hour: float                            # one hour in model time units
    minutes_per_unit: float
    hours: int = 0
    thresholds: dict[str, tuple[float, ...]] = field(default_factory=dict)  # service levels to report
    customers: float = 0.0                 # expected arrivals per replication (its price) ...
    visits: float = 0.0                    # ... and step visits: how much work a replication is
    outcomes: OutcomePlan | None = None    # complaints and loyalty, where the model has them
    log_customers: bool = False            # keep each customer's outcome and time (a complaint desk)


def compile_plan(model: ServiceModel, g: nx.MultiDiGraph, budget: RunBudget | None = None) -> Plan:
    """Compile a checked model (and its graph) for the engine; the `budget` (what a
    replication costs, :func:`~blueprint.sim.budget.run_budget`) says how to run it."""
    index = {s.id: i for i, s in enumerate(model.steps)}
    index[END] = END_INDEX
    demand = model.demand
    classes: list[str | None] = list(demand.classes) if demand.classes else [None]
    specs = [demand.classes[c] if demand.classes and c else None for c in classes]
    shares = [spec.share if spec else 1.0 for spec in specs]
    cumulative = [sum(shares[: i + 1]) for i in range(len(shares))]
    joins = fork_joins(g)
    steps = []
    for i, step in enumerate(model.steps):
        following = index[model.steps[i + 1].id] if i + 1 < len(model.steps) else END_INDEX
        route, targets, cum = SINGLE, [following], [[1.0]]
        if isinstance(step.next, str):
            targets = [index[step.next]]
        elif isinstance(step.next, Fork):
            route, targets = FORK, [index[t] for t in step.next.all]
        elif isinstance(step.next, list):
            route, targets = BRANCHES, [index[b.to] for b in step.next]
            table = branch_probabilities(step.next, [c for c in classes if c])
            cum = []
            for c in classes:
                probs = table.get(c, table.get(None, []))
                running, row = 0.0, []
                for p in probs:
                    running += max(p, 0.0)
                    row.append(running)
                cum.append(row)
        steps.append(StepPlan(
            index=i, id=step.id, resource=step.resource, duration=step.duration,
            tolerance=step.tolerance,
            patience=[_first(step.patience, spec.patience if spec else None, demand.patience)
                      for spec in specs],
            balk_at=[_first(step.balk_at, spec.balk_at if spec else None, demand.balk_at)
                     for spec in specs],
            fails=[FailPlan(f.id, f.p, f.effect, index[f.goto] if f.goto else END_INDEX, f.delay,
                            f.complaint, f.omission) for f in step.fail_points],
            route=route, targets=targets, cumulative=cum,
            join=index[joins[step.id]] if step.id in joins else END_INDEX,
            material_cost=step.material_cost,
            standard=step.standard,
            promise=step.promise.within if step.promise is not None else None,
        ))
    hour = 60.0 / model.minutes_per_unit
    end = model.horizon_end
    warmup = 0.0 if model.is_day else model.horizon.warmup  # type: ignore[union-attr]
    hours = max(1, math.ceil((end - warmup) / hour - 1e-9))
    if not model.is_day:
        hours = min(hours, MAX_HOURS)
    scale = demand.scale
    pieces = model.arrival_pieces
    trace = None
    if model.trace is not None:
        trace = [(t, classes.index(c) if c in classes else -1) for t, c in model.trace]
    return Plan(
        name=model.name, steps=steps, classes=classes, class_cumulative=cumulative,
        priorities=[spec.priority if spec else 1 for spec in specs],
        values=[spec.value if spec and spec.value is not None else demand.value for spec in specs],
        arrival_pieces=[(a, b, r * scale) for a, b, r in pieces] if pieces is not None else None,
        trace=trace,
        capacity_changes={rid: _changes(model, rid) for rid in model.resources},
        costs={rid: r.cost_per_hour for rid, r in model.resources.items()},
        scheduled={rid: _scheduled(model, rid, warmup, end, hour, hours) for rid in model.resources},
        scheduled_total={rid: sum(capacity * max(0.0, min(b, end) - max(a, warmup))
                                  for a, b, capacity in model.capacity_pieces(rid))
                         for rid in model.resources},
        is_day=model.is_day, horizon_end=end, warmup=warmup, hour=hour,
        minutes_per_unit=model.minutes_per_unit, hours=hours,
        customers=budget.customers if budget else 0.0, visits=budget.visits if budget else 0.0,
        outcomes=outcome_plan(model),
    )


def _lifetime_values(model: ServiceModel) -> dict[str, float] | None:
    """Each outcome's customer lifetime value, or None where the model gives no loyalty."""
    loyalty = model.demand.loyalty
    if loyalty is None:
        return None
    margin = loyalty.margin if loyalty.margin is not None else model.demand.value
    return {o: lifetime_value(margin, loyalty.visits_per_year, loyalty.retained(o),
                              loyalty.discount_rate) for o in OUTCOMES}


def served_clv(model: ServiceModel) -> float | None:
    """One served customer's lifetime value, or None where the model gives no loyalty."""
    clv = _lifetime_values(model)
    return clv["served"] if clv is not None else None


def outcome_plan(model: ServiceModel) -> OutcomePlan | None:
    """Complaints and loyalty for the engine: None where the model has neither."""
    loyalty, complaints = model.demand.loyalty, model.complaints
    shares = any(f.complaint > 0 for s in model.steps for f in s.fail_points)
    if loyalty is None and complaints is None and not shares:
        return None
    clv = _lifetime_values(model)
    if complaints is None:  # fail points' complaint shares alone: no complaint after a loss, and
        defaults = Complaints()  # those made are resolved as the defaults say
        return OutcomePlan(after_loss=0.0, resolved=defaults.resolved, quickly=defaults.quickly,
                           clv=clv, complaints=shares)
    process, scale, offset, quick = None, 1.0, 0.0, complaints.quickly_within
    linked = model.complaint_process
    if linked is not None:
        desk, desk_graph = linked
        process = compile_plan(desk, desk_graph)
        scale = model.minutes_per_unit / desk.minutes_per_unit
        if model.is_day and desk.is_day:  # the same clock: a complaint at 14:05 reaches the desk then
            offset = (model.time_to_clock(0) - desk.time_to_clock(0)) / desk.minutes_per_unit
        quick = complaints.quickly_within * scale
    return OutcomePlan(after_loss=complaints.after_loss, resolved=complaints.resolved,
                       quickly=complaints.quickly, clv=clv, process=process, to_process=(scale, offset),
                       quickly_within=quick)


def _first(*values):
    return next((v for v in values if v is not None), None)


def _changes(model: ServiceModel, rid: str) -> list[tuple[float, int]]:
    """(time, capacity) at every change; after closing, the last shift stays to finish."""
    pieces = model.capacity_pieces(rid)

    def capacity_at(t: float) -> int:
        return next((int(c) for a, b, c in pieces if a <= t < b), 0)

    close = model.horizon_end
    times = sorted({0.0, *(a for a, _, _ in pieces), *(b for _, b, _ in pieces if math.isfinite(b))})
    changes: list[tuple[float, int]] = []
    for t in (t for t in times if t < close):
        if not changes or changes[-1][1] != capacity_at(t):
            changes.append((t, capacity_at(t)))
    if model.is_day:  # customers inside at closing are finished: overtime, never by nobody
        working = [int(c) for a, b, c in pieces if c > 0 and a < close]
        last = capacity_at(close - 1e-9) or (working[-1] if working else 0)
        changes.append((close, max(last, 1)))
    return changes


def _scheduled(model: ServiceModel, rid: str, start: float, end: float, hour: float,
               hours: int) -> list[float]:
    """Scheduled server-time in each hour of the measured period (model time units)."""
    buckets = [0.0] * hours
    for a, b, capacity in model.capacity_pieces(rid):
        a, b = max(a, start), min(b, end)
        for k in range(hours):
            lo, hi = start + k * hour, min(start + (k + 1) * hour, end)
            overlap = min(b, hi) - max(a, lo)
            if overlap > 0:
                buckets[k] += capacity * overlap
    return buckets
