"""Simulating a service day: waits, lost customers, utilisation, perished capacity, cost.

Each customer is a SimPy process walking the blueprint's steps; demand rises
and falls through the day, staff come and go with their shifts, customers
balk at long queues and renege when their patience runs out. Replications run
in parallel processes (or on any `concurrent.futures.Executor`), each from its
own seeded random streams, so the numbers are the same whatever runs them.

>>> import blueprint
>>> counter = blueprint.loads('''
... blueprint: 1
... name: Post office counter
... horizon: {open: "09:00", close: "12:00"}
... resources: {clerk: {capacity: 2, cost_per_hour: 25}}
... demand: {arrivals_per_hour: 40, value: 6}
... steps:
...   - {id: queue, zone: customer, evidence: [Ticket], duration: 0.2}
...   - {id: counter, zone: frontstage, resource: clerk, duration: 2.5, tolerance: 5}
... ''')
>>> results = counter.simulate(replications=5, seed=1)
>>> results.system.staff_cost.mean          # 2 clerks x 3 hours x 25
150.0
>>> 0 <= results.steps["counter"].within_tolerance.mean <= 1
True
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor

import networkx as nx

from blueprint.model import ServiceModel
from blueprint.results import Replication, SimulationResults
from blueprint.sim.budget import BudgetExceeded, RunBudget, over_budget, run_budget
from blueprint.sim.engine import SimulationLimit, run_replication
from blueprint.sim.plan import Plan, compile_plan, served_clv
from blueprint.sim.results import aggregate, statistic
from blueprint.sim.workers import Workers, run_batch, run_on, seconds_of

__all__ = [
    "BudgetExceeded",
    "Plan",
    "RunBudget",
    "SimulationLimit",
    "SimulationResults",
    "Workers",
    "compile_plan",
    "load_warnings",
    "over_budget",
    "run_batch",
    "run_budget",
    "run_plans",
    "run_replication",
    "simulate",
    "statistic",
]


def simulate(model: ServiceModel, g: nx.MultiDiGraph, *, replications: int = 10, seed: int = 1,
             jobs: int | None = 1, executor: Executor | None = None,
             progress: Callable[[int, int], None] | None = None,
             service_levels: dict[str, list[float]] | None = None,
             max_customers: int | None = None) -> SimulationResults:
    """Run `replications` replications and aggregate them.

    ``jobs`` processes run them (None: one per core); an ``executor`` given
    instead runs them wherever it runs things. Replication k always draws the
    same numbers, so the results do not depend on either. ``service_levels``
    asks for the share of customers served within given waits at given steps
    (``{"deposit": [5.0]}``), overall and by hour. A run the model prices past
    the limits (:mod:`blueprint.sim.budget`) raises :class:`BudgetExceeded`
    before anything is simulated.
    """
    budget = run_budget(model, g)
    findings = over_budget(model, budget, replications, max_customers=max_customers)
    if findings:
        raise BudgetExceeded(findings)
    plan = compile_plan(model, g, budget)
    plan.thresholds = {step: tuple(sorted(set(limits))) for step, limits in (service_levels or {}).items()}
    (runs,) = run_plans([plan], replications=replications, seed=seed, jobs=jobs,
                        executor=executor, progress=progress)
    return aggregate(runs, model.name, seed, model.time_unit, budget.warnings(model), model.currency,
                     {s.id: s.name for s in model.steps}, served_clv(model))


def run_plans(plans: list[Plan], *, replications: int, seed: int, jobs: int | None = 1,
              executor: Executor | None = None,
              progress: Callable[[int, int], None] | None = None,
              first: int = 0) -> list[list[Replication]]:
    """Every replication of every plan, all in one pool: a sweep keeps every worker busy.

    ``jobs`` processes (None: one per core, or this one alone when the work is
    small: :mod:`blueprint.sim.workers`); an ``executor`` runs them instead (a
    :class:`Workers` pool shared by a whole command, or Dask). Returns, per
    plan, its replications in order: numbers ``first`` .. ``first +
    replications - 1`` (more replications of a run already made draw the
    numbers the next ones would have).
    """
    if replications < 1:
        raise ValueError("replications must be at least 1")
    total = len(plans) * replications
    runs: list[list[dict]] = [[{}] * replications for _ in plans]
    seconds = replications * sum(seconds_of(plan) for plan in plans)
    pool = executor if executor is not None else Workers(jobs)
    if total == 1 or (isinstance(pool, Workers) and pool.wants_serial(seconds)):
        done = 0
        for p, plan in enumerate(plans):
            for k in range(replications):
                runs[p][k] = run_replication(plan, seed, first + k)
                done += 1
                if progress:
                    progress(done, total)
    elif executor is None:
        with pool:  # ours alone: ended whole if the run stops early
            run_on(pool, plans, runs, seed, first, progress, cancel=False)
    else:
        run_on(executor, plans, runs, seed, first, progress, cancel=not isinstance(executor, Workers))
    return [[Replication.model_validate(summary) for summary in plan_runs] for plan_runs in runs]


def load_warnings(model: ServiceModel, g: nx.MultiDiGraph) -> list[str]:
    """Resources offered more work than their schedule can do (see :class:`RunBudget`)."""
    return run_budget(model, g).warnings(model)
