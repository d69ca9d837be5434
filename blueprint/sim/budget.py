"""What a run will cost, known before it starts: customers, step visits, customers held at once.

A model can ask for more than a machine can give — a billion arrivals an
hour, a steady-state run a billion minutes long, a queue that only grows
because demand is ten times the capacity and nobody leaves. Simulating first
and failing later would take minutes and gigabytes to say what the model
already says. So every run is priced from the model first (expected arrivals
from the rates, visits from the routing, the backlog a resource builds when
its offered work exceeds its scheduled time) and refused, with the place in
the model that asks for too much, past documented limits:

- ``MAX_CUSTOMERS`` expected arrivals in one replication (``max_customers``,
  ``--max-customers``, raises it);
- ``VISITS_PER_CUSTOMER`` times that in step visits (rework loops);
- ``MAX_HELD`` customers inside at once (each is a live process), which the
  engine also enforces as the run goes;
- ``MAX_REPLICATIONS`` replications.

The work a resource is offered against the time it is scheduled also gives
the warnings a reader must see beside the figures (a queue that grows
without end, a day served far into overtime).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from blueprint.diagnostics import Finding
from blueprint.figures import significant
from blueprint.graph import visit_ratios
from blueprint.limits import MAX_CUSTOMERS, MAX_INSIDE, MAX_REPLICATIONS, VISITS_PER_CUSTOMER
from blueprint.model import DayHorizon, ServiceModel

__all__ = [
    "MAX_CUSTOMERS",
    "MAX_HELD",
    "MAX_REPLICATIONS",
    "VISITS_PER_CUSTOMER",
    "BudgetExceeded",
    "ResourceLoad",
    "RunBudget",
    "over_budget",
    "run_budget",
]

MAX_HELD = MAX_INSIDE
"""Customers inside at once (the engine stops a run that passes it anyway)."""


class BudgetExceeded(ValueError):
    """A run the model prices beyond the limits; carries the findings, located in the model."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__("; ".join(f.message for f in findings))


@dataclass(frozen=True)
class ResourceLoad:
    """The work a resource is offered over the horizon against the time it is scheduled."""

    resource: str
    offered_hours: float     # server-hours of work offered (arrivals x visits x duration)
    scheduled_hours: float   # server-hours on shift (for a day: within open-close)
    backlog: float           # customers still waiting when the horizon ends, if nobody leaves
    customers_leave: bool    # patience or balking bounds the queue

    @property
    def load(self) -> float:
        return self.offered_hours / self.scheduled_hours if self.scheduled_hours else float("inf")


@dataclass(frozen=True)
class RunBudget:
    """The price of one replication, from the model alone."""

    customers: float                 # expected arrivals, warm-up included
    visits: float                    # expected step visits
    held_at_once: float              # customers inside at the busiest moment (estimate)
    resources: list[ResourceLoad] = field(default_factory=list)

    def warnings(self, model: ServiceModel) -> list[str]:
        """What a reader must know about the capacity before trusting the figures."""
        notes = []
        for r in self.resources:
            if r.offered_hours <= 0 or r.load < 1:
                continue
            if model.is_day:
                if r.customers_leave:
                    continue
                notes.append(
                    f"resource {r.resource!r} is offered {r.offered_hours:,.0f} server-hours of work "
                    f"against {r.scheduled_hours:,.0f} on shift (load {r.load:.2f}): about "
                    f"{r.backlog:,.0f} customers are still waiting at closing and are served in "
                    "overtime")
            else:
                notes.append(
                    f"resource {r.resource!r} is offered more work than it can do (load "
                    f"{r.load:.2f} of its capacity): its queue grows without end, and the results "
                    "depend on the run's length")
        return notes


def _arrivals(model: ServiceModel) -> float:
    if model.trace is not None:
        return float(len(model.trace))
    return sum((b - a) * r for a, b, r in model.arrival_pieces or []) * model.demand.scale


def _horizon_span(model: ServiceModel) -> tuple[float, float]:
    """Where scheduled capacity counts: the day, or the whole steady-state run."""
    return 0.0, model.horizon_end


def run_budget(model: ServiceModel, g: nx.MultiDiGraph) -> RunBudget:
    """Price one replication of a checked model."""
    customers = _arrivals(model)
    visits = visit_ratios(g, model)
    per_customer = sum(visits.values())
    hour = 60.0 / model.minutes_per_unit
    start, end = _horizon_span(model)
    loads = []
    for rid in model.resources:
        using = [s for s in model.steps if s.resource == rid and s.duration is not None]
        if not using:
            continue
        work = sum(customers * visits[s.id] * s.duration.mean for s in using if s.duration)
        demanded = sum(customers * visits[s.id] for s in using)
        mean_service = work / demanded if demanded else 0.0
        scheduled = sum(capacity * max(0.0, min(b, end) - max(a, start))
                        for a, b, capacity in model.capacity_pieces(rid))
        backlog = (work - scheduled) / mean_service if mean_service and work > scheduled else 0.0
        leave = _customers_leave(model, [s.id for s in using])
        loads.append(ResourceLoad(rid, work / hour, scheduled / hour, backlog, leave))
    held = max((r.backlog for r in loads if not r.customers_leave), default=0.0)
    return RunBudget(customers, customers * per_customer, held, loads)


def _customers_leave(model: ServiceModel, steps: list[str]) -> bool:
    """Whether patience or balking keeps the queues at these steps from growing without bound."""
    demand = model.demand
    for sid in steps:
        step = model.step(sid)
        if step.patience is None and step.balk_at is None and demand.patience is None \
                and demand.balk_at is None:
            classes = demand.classes or {}
            if not classes or any(c.patience is None and c.balk_at is None for c in classes.values()):
                return False
    return True


def over_budget(model: ServiceModel, budget: RunBudget, replications: int, *,
                max_customers: int | None = None) -> list[Finding]:
    """Every limit the run would pass, each at the place in the model that asks for it."""
    limit = max_customers or MAX_CUSTOMERS
    demand_at = ("demand", "trace") if model.trace is not None else ("demand", "arrivals_per_hour")
    found = []
    if budget.customers > limit:
        where = demand_at
        length = ""
        if not isinstance(model.horizon, DayHorizon):
            length = f" over a run of {model.horizon.length:,.0f} {model.time_unit}"
            week = 7 * 24 * 60 / model.minutes_per_unit
            if budget.customers * min(week / model.horizon.length, 1) <= limit:
                where = ("horizon", "length")  # a sensible rate, run for too long
        found.append(Finding(
            "over-budget",
            f"about {budget.customers:,.0f} customers arrive in one replication{length}, more than "
            f"the {limit:,} a run may simulate (--max-customers raises the limit)", where,
            at_key=True))
    elif budget.visits > VISITS_PER_CUSTOMER * limit:
        each = budget.visits / max(budget.customers, 1)
        found.append(Finding(
            "over-budget",
            f"about {budget.visits:,.0f} step visits in one replication ({each:,.0f} per customer: "
            f"rework loops), more than the {VISITS_PER_CUSTOMER * limit:,} a run may simulate "
            "(--max-customers raises the limit)", ("steps",), at_key=True))
    worst = max((r for r in budget.resources if not r.customers_leave), key=lambda r: r.backlog,
                default=None)
    if worst is not None and worst.backlog > MAX_HELD:
        found.append(Finding(
            "over-budget",
            f"resource {worst.resource!r} is offered {significant(worst.load)} times the work it is "
            f"scheduled for and nobody leaves its queue: about {worst.backlog:,.0f} customers would "
            f"wait at once, more than the {MAX_HELD:,} a run may hold; add capacity, or give "
            "customers a patience or balk_at", ("resources", worst.resource), at_key=True))
    if replications > MAX_REPLICATIONS:
        found.append(Finding("over-budget", f"{replications:,} replications, more than the "
                             f"{MAX_REPLICATIONS:,} a run may make", ()))
    return found
