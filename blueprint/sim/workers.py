"""The processes a command simulates with: started once, only when the work is worth it.

Starting worker processes costs a few tenths of a second; a bank's day of 250
customers simulates in a few milliseconds. So a run is priced first (the
expected arrivals and step visits of :mod:`blueprint.sim.budget`, times a
measured cost of each) and simulated in this process when it would take less
than :data:`SERIAL_SECONDS` — unless more processes were asked for by number.
Past that, one pool of processes, :class:`Workers`, serves the whole command:
a what-if study's scenarios, a staffing search's rounds and a report's runs
share it, started with the first batch and ended with the command.

Replications travel in batches of about :data:`BATCH_SECONDS` of work, so a
long replication is a batch of its own (the processes finish together) and
short ones do not cost a message each. Whatever runs them, replication *k*
draws the same numbers.
"""

from __future__ import annotations

import math
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from typing import Any

from blueprint.interrupts import children, deferred, end_processes, quiet_worker
from blueprint.limits import SERIAL_SECONDS
from blueprint.sim.engine import run_replication
from blueprint.sim.plan import Plan

__all__ = ["BATCH_SECONDS", "SECONDS_PER_CUSTOMER", "SECONDS_PER_VISIT", "Workers", "collect",
           "run_batch", "run_on", "seconds_of"]

SECONDS_PER_CUSTOMER = 4e-6
"""Engine time per arrival (arrival, class, booking the departure), measured on a 2-core laptop."""
SECONDS_PER_VISIT = 2.5e-6
"""Engine time per step visit (a service or a delay, a queue, a fail point)."""
BATCH_SECONDS = 0.2
"""About this much work goes to a worker at a time."""


def seconds_of(plan: Plan) -> float:
    """The expected engine time of one replication of `plan` (0 where it was not priced)."""
    return plan.customers * SECONDS_PER_CUSTOMER + plan.visits * SECONDS_PER_VISIT


def processes_for(jobs: int | None) -> int:
    return (os.cpu_count() or 1) if jobs is None else max(1, jobs)


class Workers(Executor):
    """A process pool for one command, started by the first task sent to it.

    ``jobs`` processes (None: one per core). Used as a context manager, it
    ends its processes when the block ends; if the block stops early (an
    interrupt, an error), the queued tasks are dropped and the processes
    terminated, not waited for, so nothing goes on burning the machine.
    """

    def __init__(self, jobs: int | None = None):
        self.jobs = jobs
        self.processes = processes_for(jobs)
        self._pool: ProcessPoolExecutor | None = None
        self._before: set[Any] = set()  # processes that were there before the pool's
        self._folder: str | None = None  # where workers leave their batches' replications

    def wants_serial(self, seconds: float) -> bool:
        """Whether work of this many seconds is better done in this process."""
        return self.processes == 1 or (self.jobs is None and seconds < SERIAL_SECONDS)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if self._pool is None:
            before = children()
            with deferred():  # not half a pool: its workers start as tasks arrive
                self._pool = ProcessPoolExecutor(max_workers=self.processes, initializer=quiet_worker)
            self._before = before
        return self._pool.submit(fn, *args, **kwargs)

    def submit_batch(self, plan: Plan, seed: int, start: int, stop: int) -> Future[str]:
        """Replications start..stop-1 of `plan` on a worker, which leaves them in a file of the
        pool's own folder and answers with its name (:func:`collect` reads it).

        An answer that short is written to the pool's pipe whole: a worker ended while
        answering (an interrupt) cannot leave the pool waiting for the rest of one.
        """
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="blueprint-runs-")
        return self.submit(_batch_into, self._folder, plan, seed, start, stop)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
            self._pool = None
        self._tidy()

    def end(self) -> None:
        """Stop now: terminate the workers (killed if they linger) and drop what is queued."""
        if self._pool is not None:
            with deferred():
                end_processes(children() - self._before)
                # the pool's own thread sees its workers gone, fails what is left and ends: wait
                # for it (or the interpreter's exit may wake a pipe it is closing: a traceback)
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
        self._tidy()

    def _tidy(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        if kind is None:
            self.shutdown()
        else:
            self.end()


def run_batch(plan: Plan, seed: int, start: int, stop: int) -> list[dict]:
    """Replications start..stop-1 of a plan (one task for a worker)."""
    return [run_replication(plan, seed, k) for k in range(start, stop)]


def _batch_into(folder: str, plan: Plan, seed: int, start: int, stop: int) -> str:
    """In a worker: a batch, left in a new file of `folder`; the file's name."""
    summaries = run_batch(plan, seed, start, stop)
    handle, path = tempfile.mkstemp(suffix=".pickle", dir=folder)
    with os.fdopen(handle, "wb") as stream:
        pickle.dump(summaries, stream, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def collect(path: str) -> list[dict]:
    """A batch a worker left (:meth:`Workers.submit_batch`); the file goes."""
    with open(path, "rb") as stream:
        summaries: list[dict] = pickle.load(stream)
    os.unlink(path)
    return summaries


def run_on(executor: Executor, plans: list[Plan], runs: list[list[dict]], seed: int, first: int,
           progress: Callable[[int, int], None] | None, *, cancel: bool) -> None:
    """Every plan's replications, in batches on an executor, into `runs`.

    If the run stops early and `cancel`, the batches not begun are cancelled
    (a :class:`Workers` pool is ended whole instead, by its owner).
    """
    replications = len(runs[0])
    total = len(plans) * replications
    # a cluster's task costs more to send than a local process's: bigger batches there
    spread, seconds = (executor.processes, BATCH_SECONDS) if isinstance(executor, Workers) else (4, 1.0)
    batches: dict[Future[Any], tuple[int, int]] = {}
    try:
        with deferred():  # a pool starts its workers as batches arrive: not half of one
            for p, plan in enumerate(plans):
                size = _batch_size(plan, replications, spread, seconds)
                for start in range(0, replications, size):
                    a, b = first + start, first + min(start + size, replications)
                    future = (executor.submit_batch(plan, seed, a, b) if isinstance(executor, Workers)
                              else executor.submit(run_batch, plan, seed, a, b))
                    batches[future] = (p, start)
        done = 0
        for future in as_completed(batches):
            p, start = batches[future]
            answer = future.result()
            summaries = collect(answer) if isinstance(answer, str) else answer
            for offset, summary in enumerate(summaries):
                runs[p][start + offset] = summary
            done += len(summaries)
            if progress:
                progress(done, total)
    except BaseException:
        for future in batches if cancel else ():
            future.cancel()
        raise


def _batch_size(plan: Plan, replications: int, processes: int, seconds: float = BATCH_SECONDS) -> int:
    """Replications per batch: about `seconds` of work, and every process given some."""
    each = seconds_of(plan)
    by_time = max(1, math.floor(seconds / each)) if each > 0 else math.ceil(replications / 4)
    return max(1, min(by_time, math.ceil(replications / processes)))
