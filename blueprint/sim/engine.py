"""One replication: customers as SimPy processes walking the blueprint's steps.

A customer arrives (non-homogeneous Poisson, exact per piece of the rate, or
replayed from a trace), is given a class, and walks from the first step. At a
step with a resource it takes a free server or queues (priority by class,
first come first served within it) — unless the queue is already `balk_at`
long, when it leaves at once (balking), or its patience runs out first
(reneging). It holds the server for the step's duration; a step without a
resource is a pure delay. After service each fail point may fire: redo the
step, go back to another step, add a delay, or lose the customer. Then it
follows `next`: one step, a branch drawn by its class's probabilities, or a
fork whose branches run in parallel and meet at the join.

Statistics are kept as they happen, in flat counters and ``array('d')``
columns, never as per-event objects.
"""

from __future__ import annotations

import bisect
from array import array
from functools import partial
from typing import cast

import simpy

from blueprint.limits import MAX_ARRIVALS, MAX_INSIDE, MAX_VISITS
from blueprint.sim.plan import BRANCHES, END_INDEX, FORK, Plan
from blueprint.sim.servers import RENEGED, ServerPool
from blueprint.sim.streams import Streams

__all__ = ["MAX_ARRIVALS", "MAX_INSIDE", "MAX_VISITS", "SimulationLimit", "run_replication"]

SERVED, BALKED, RENEGED_OUT, ABANDONED = 0, 1, 2, 3


class SimulationLimit(RuntimeError):
    """A run stopped because it would not end (or not in any reasonable time)."""


class _StepBook:
    """What happened at one step in one replication, as flat columns.

    Times are appended as they happen; everything else (waits by hour, queue
    length by hour, shares within any threshold) is computed from these
    columns once, after the run, with numpy.
    """

    __slots__ = ("entries", "entry_classes", "fails", "queue_end", "queue_start", "served",
                 "service", "wait_classes", "wait_times", "waits")

    def __init__(self, fail_ids: list[str]):
        self.entries = array("d")      # when each recorded customer reached the step
        self.entry_classes = array("h")  # ... and its class (index)
        self.waits = array("d")        # waits of those who started service ...
        self.wait_times = array("d")   # ... when they had reached the step ...
        self.wait_classes = array("h")   # ... and their class
        self.queue_start = array("d")  # every stay in the queue, served or not
        self.queue_end = array("d")
        self.service = 0.0
        self.served = 0
        self.fails = dict.fromkeys(fail_ids, 0)


class _Replication:
    def __init__(self, plan: Plan, seed: int, k: int):
        self.plan = plan
        self.env = env = simpy.Environment()
        streams = Streams(seed, k)
        end = plan.horizon_end
        self.pools = {rid: ServerPool(env, rid, changes[0][1] if changes else 0, plan.hour,
                                      end if plan.is_day else float("inf"))
                      for rid, changes in plan.capacity_changes.items()}
        self.durations = [streams.durations(f"duration:{s.id}", s.duration) if s.duration else None
                          for s in plan.steps]
        self.patience = [[streams.durations(f"patience:{s.id}:{c}", p) if p else None
                          for c, p in zip(plan.classes, s.patience, strict=True)]
                         for s in plan.steps]
        self.routing = [streams.uniforms(f"routing:{s.id}") for s in plan.steps]
        self.fail_draws = [[streams.uniforms(f"fail:{f.id}") for f in s.fails] for s in plan.steps]
        self.delays = [[streams.durations(f"delay:{f.id}", f.delay) if f.delay else None
                        for f in s.fails] for s in plan.steps]
        self.arrival_gaps = streams.exponentials("arrivals")
        self.class_draws = streams.uniforms("classes")
        self.books = [_StepBook([f.id for f in s.fails]) for s in plan.steps]
        self.by_class = [[0, 0, 0.0] for _ in plan.classes]  # arrivals, served, time of served
        self.in_system = 0
        self.system_area = 0.0
        self.system_last = 0.0
        self.total_time = 0.0  # time in system of every recorded customer, served or lost
        self.outcomes = [0, 0, 0, 0]
        self.outcome_value = [0.0, 0.0, 0.0, 0.0]
        self.arrivals = 0
        self.recorded = 0
        self.arrivals_by_hour: dict[int, int] = {}
        self.sojourn = array("d")
        self.last_departure = 0.0

    # --- arrivals ---------------------------------------------------------------------------

    def _arrivals(self):
        env, plan = self.env, self.plan
        if plan.trace is not None:
            for time, cls in plan.trace:
                if time > env.now:
                    yield env.timeout(time - env.now)
                self._arrive(cls if cls >= 0 else self._draw_class())
            return
        gaps = self.arrival_gaps
        residual = next(gaps)
        for start, stop, rate in plan.arrival_pieces or []:
            if rate <= 0:
                continue
            t = start
            while True:
                gap = residual / rate
                if t + gap >= stop:  # memoryless: carry the unused part into the next piece
                    residual -= (stop - t) * rate
                    break
                t += gap
                yield env.timeout(t - env.now)
                self._arrive(self._draw_class())
                residual = next(gaps)

    def _draw_class(self) -> int:
        cumulative = self.plan.class_cumulative
        if len(cumulative) == 1:
            return 0
        return min(bisect.bisect_right(cumulative, next(self.class_draws)), len(cumulative) - 1)

    def _arrive(self, cls: int) -> None:
        self.arrivals += 1
        if self.arrivals > MAX_ARRIVALS:
            raise SimulationLimit(f"more than {MAX_ARRIVALS:,} customers in one replication; "
                                  "shorten the horizon or lower the demand")
        env = self.env
        arrived = env.now
        record = arrived >= self.plan.warmup
        # The walk is the process itself; its outcome is booked by a callback, so no
        # second generator frame sits between SimPy and the customer on every resume.
        process = env.process(self._walk(0, END_INDEX, cls, record))
        if record:
            self.recorded += 1
            self.by_class[cls][0] += 1
            bucket = int((arrived - self.plan.warmup) // self.plan.hour)
            self.arrivals_by_hour[bucket] = self.arrivals_by_hour.get(bucket, 0) + 1
            self._count_in_system(1)
            if self.in_system > MAX_INSIDE:
                raise SimulationLimit(
                    f"more than {MAX_INSIDE:,} customers inside at once (at time {arrived:,.0f}): the "
                    "demand outruns the capacity and nobody leaves; add capacity, or give customers "
                    "a patience or balk_at")
            process.callbacks.append(partial(self._finished, cls, arrived))

    def _finished(self, cls: int, arrived: float, process: simpy.Process) -> None:
        if not process.ok:  # the walk raised (a limit): SimPy re-raises it from run()
            return
        outcome = cast(int, process.value)
        now = self.env.now
        self._count_in_system(-1)
        stay = now - arrived
        self.total_time += stay
        self.outcomes[outcome] += 1
        self.outcome_value[outcome] += self.plan.values[cls]
        if outcome == SERVED:
            self.sojourn.append(stay)
            self.by_class[cls][1] += 1
            self.by_class[cls][2] += stay
        if now > self.last_departure:
            self.last_departure = now

    def _walk(self, i: int, stop: int, cls: int, record: bool):
        """Walk from step i until `stop` (END or a join); return the outcome."""
        env, plan, steps = self.env, self.plan, self.plan.steps
        visits = 0
        while i != stop and i != END_INDEX:
            visits += 1
            if visits > MAX_VISITS:
                raise SimulationLimit(
                    f"a customer visited steps more than {MAX_VISITS:,} times (last at "
                    f"{steps[i].id!r}): a rework loop that almost never lets go?")
            step = steps[i]
            book = self.books[i]
            arrived = env.now
            if record:
                book.entries.append(arrived)
                book.entry_classes.append(cls)
            pool = self.pools[step.resource] if step.resource else None
            if pool is not None:
                if pool.try_acquire():
                    wait = 0.0
                else:
                    limit = step.balk_at[cls]
                    if limit is not None and pool.waiting >= limit:
                        return BALKED
                    request = pool.request(plan.priorities[cls])
                    patience = self.patience[i][cls]
                    if patience is not None:
                        timer = env.timeout(next(patience))
                        timer.callbacks.append(partial(_renege, pool, request))
                    value = yield request
                    wait = env.now - arrived
                    if record:
                        book.queue_start.append(arrived)
                        book.queue_end.append(env.now)
                    if value is RENEGED:
                        return RENEGED_OUT
                if record:
                    book.waits.append(wait)
                    book.wait_times.append(arrived)
                    book.wait_classes.append(cls)
            duration = self.durations[i]
            service = next(duration) if duration is not None else 0.0
            if service > 0:
                yield env.timeout(service)
            if pool is not None:
                pool.release()
            if record:
                book.service += service
                book.served += 1
            following = None
            for k, fail in enumerate(step.fails):
                if next(self.fail_draws[i][k]) < fail.p:
                    if record:
                        book.fails[fail.id] += 1
                    if fail.effect == "redo":
                        following = i
                    elif fail.effect == "goto":
                        following = fail.target
                    elif fail.effect == "abandon":
                        return ABANDONED
                    else:
                        delay = self.delays[i][k]
                        assert delay is not None  # a delay fail point always has its duration
                        yield env.timeout(next(delay))
                        continue
                    break
            if following is not None:
                i = following
            elif step.route == BRANCHES:
                row = step.cumulative[cls] if len(step.cumulative) > 1 else step.cumulative[0]
                pick = bisect.bisect_right(row, next(self.routing[i]))
                i = step.targets[min(pick, len(step.targets) - 1)]
            elif step.route == FORK:
                branches = [env.process(self._walk(t, step.join, cls, record)) for t in step.targets]
                done = yield env.all_of(branches)
                lost = [o for o in done.values() if o != SERVED]
                if lost:
                    return lost[0]
                i = step.join
            else:
                i = step.targets[0]
        return SERVED

    def _count_in_system(self, change: int) -> None:
        now = self.env.now
        self.system_area += self.in_system * (now - self.system_last)
        self.system_last = now
        self.in_system += change

    # --- the run ----------------------------------------------------------------------------

    def _capacity(self, pool: ServerPool, changes: list[tuple[float, int]]):
        for time, capacity in changes[1:]:
            yield self.env.timeout(time - self.env.now)
            pool.set_capacity(capacity)

    def _warmup(self):
        yield self.env.timeout(self.plan.warmup)
        for pool in self.pools.values():
            pool.reset()
        self.system_area, self.system_last = 0.0, self.env.now

    @property
    def measured_end(self) -> float:
        """End of the measured period: the last departure (day) or the run's length."""
        if self.plan.is_day:
            return max(self.plan.horizon_end, self.last_departure)
        return self.plan.horizon_end

    def run(self) -> dict:
        env, plan = self.env, self.plan
        env.process(self._arrivals())
        for rid, pool in self.pools.items():
            env.process(self._capacity(pool, plan.capacity_changes[rid]))
        if plan.warmup > 0:
            env.process(self._warmup())
        if plan.is_day:
            env.run()
        else:
            env.run(until=plan.horizon_end)
        return self._summary()

    def _summary(self) -> dict:
        from blueprint.sim.summary import summarise

        now = self.measured_end
        for pool in self.pools.values():
            pool.finish()
        if now > self.system_last:
            self.system_area += self.in_system * (now - self.system_last)
            self.system_last = now
        return summarise(self)


def _renege(pool: ServerPool, request: simpy.Event, _timer: simpy.Event) -> None:
    """A patience timer's callback: the customer leaves the queue unless served meanwhile."""
    pool.renege(request)


def run_replication(plan: Plan, seed: int, k: int) -> dict:
    """Run replication k of `seed` and return its statistics (plain, picklable data)."""
    return _Replication(plan, seed, k).run()
