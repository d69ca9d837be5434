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

import contextlib
import math
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed

import networkx as nx

from blueprint.interrupts import children, deferred, end_processes, quiet_worker
from blueprint.model import ServiceModel
from blueprint.results import Replication, SimulationResults
from blueprint.sim.budget import BudgetExceeded, RunBudget, over_budget, run_budget
from blueprint.sim.engine import SimulationLimit, run_replication
from blueprint.sim.plan import Plan, compile_plan
from blueprint.sim.results import aggregate, statistic

__all__ = [
    "BudgetExceeded",
    "Plan",
    "RunBudget",
    "SimulationLimit",
    "SimulationResults",
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
    plan = compile_plan(model, g)
    plan.thresholds = {step: tuple(sorted(set(limits))) for step, limits in (service_levels or {}).items()}
    (runs,) = run_plans([plan], replications=replications, seed=seed, jobs=jobs,
                        executor=executor, progress=progress)
    return aggregate(runs, model.name, seed, model.time_unit, budget.warnings(model))


def run_plans(plans: list[Plan], *, replications: int, seed: int, jobs: int | None = 1,
              executor: Executor | None = None,
              progress: Callable[[int, int], None] | None = None,
              first: int = 0) -> list[list[Replication]]:
    """Every replication of every plan, all in one pool: a sweep keeps every worker busy.

    Replications travel in small batches (a quarter of a plan's at most), so a
    plan is sent to a worker a few times, not once per replication. Returns,
    per plan, its replications in order: numbers ``first`` .. ``first +
    replications - 1`` (more replications of a run already made draw the
    numbers the next ones would have).
    """
    if replications < 1:
        raise ValueError("replications must be at least 1")
    total = len(plans) * replications
    runs: list[list[dict]] = [[{}] * replications for _ in plans]
    workers = (os.cpu_count() or 1) if jobs is None else max(1, jobs)
    if executor is None and (workers == 1 or total == 1):
        done = 0
        for p, plan in enumerate(plans):
            for k in range(replications):
                runs[p][k] = run_replication(plan, seed, first + k)
                done += 1
                if progress:
                    progress(done, total)
    elif executor is None:
        with _own_pool(min(workers, total)) as pool:
            _run_on(pool, plans, runs, seed, first, progress, cancel=False)
    else:
        _run_on(executor, plans, runs, seed, first, progress, cancel=True)
    return [[Replication.model_validate(summary) for summary in plan_runs] for plan_runs in runs]


@contextlib.contextmanager
def _own_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers are ended, not waited for, when the run stops early.

    An interrupt or an error leaves nothing running: the queued batches are
    dropped and the workers terminated (killed if they linger), so no batch
    that nobody will read goes on burning the machine.
    """
    before = children()
    with deferred():
        pool = ProcessPoolExecutor(max_workers=workers, initializer=quiet_worker)
    try:
        yield pool
    except BaseException:
        with deferred():
            started = children() - before
            end_processes(started)
            # the pool's own thread sees its workers gone, fails what is left and ends: wait
            # for it (or the interpreter's exit may wake a pipe it is closing: a traceback)
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()


def _run_on(executor: Executor, plans: list[Plan], runs: list[list[dict]], seed: int, first: int,
            progress: Callable[[int, int], None] | None, *, cancel: bool) -> None:
    """The batches on an executor; if the run stops early and `cancel`, those not begun are
    cancelled (a pool of our own is ended whole instead: its futures are its own to settle)."""
    replications = len(runs[0])
    total = len(plans) * replications
    size = max(1, math.ceil(replications / 4))
    batches: dict[Future[list[dict]], tuple[int, int]] = {}
    try:
        with deferred():  # a pool starts its workers as batches arrive: not half of one
            for p in range(len(plans)):
                for start in range(0, replications, size):
                    batches[executor.submit(run_batch, plans[p], seed, first + start,
                                            first + min(start + size, replications))] = (p, start)
        done = 0
        for future in as_completed(batches):
            p, start = batches[future]
            for offset, summary in enumerate(future.result()):
                runs[p][start + offset] = summary
            done += len(future.result())
            if progress:
                progress(done, total)
    except BaseException:
        for future in batches if cancel else ():
            future.cancel()
        raise


def run_batch(plan: Plan, seed: int, start: int, stop: int) -> list[dict]:
    """Replications start..stop-1 of a plan (one task for a worker)."""
    return [run_replication(plan, seed, k) for k in range(start, stop)]


def load_warnings(model: ServiceModel, g: nx.MultiDiGraph) -> list[str]:
    """Resources offered more work than their schedule can do (see :class:`RunBudget`)."""
    return run_budget(model, g).warnings(model)
