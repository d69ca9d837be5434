"""One replication: customers walking the blueprint's steps, on SimPy's clock.

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

A customer is not a SimPy process but a small object whose walk is resumed by
the callbacks of SimPy events: only what takes time is an event — an arrival,
a service, a delay, a patience running out — and a customer who reaches a
free server or an instant step goes on at once. A customer served after
queueing, a reneging customer and the branches of a fork resume in events of
their own at the same moment, as SimPy processes would, so the order of
everything that happens at one instant is that of a process-per-customer
model: a customer's walk starts, like a new process, as soon as the event
that created it has been handled, in the order customers were created.

Statistics are kept as they happen, in flat counters and ``array('d')``
columns, never as per-event objects.
"""

from __future__ import annotations

import bisect
import math
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import replace
from functools import partial
from typing import Any, cast

import simpy
from simpy.events import Timeout

from blueprint.limits import MAX_ARRIVALS, MAX_INSIDE, MAX_VISITS
from blueprint.sim.outcomes import FIRST, HITS, LATE, LOSS, QUIET, SEEN, Judged
from blueprint.sim.plan import BRANCHES, END_INDEX, SINGLE, Plan
from blueprint.sim.servers import ServerPool
from blueprint.sim.streams import Streams

__all__ = ["MAX_ARRIVALS", "MAX_INSIDE", "MAX_VISITS", "SimulationLimit", "run_replication"]

SERVED, BALKED, RENEGED_OUT, ABANDONED = 0, 1, 2, 3

Wake = Callable[[Any], None]
"""What resumes a paused walk: ``next`` on its generator, as an event's callback."""


class SimulationLimit(RuntimeError):
    """A run stopped because it would not end (or not in any reasonable time)."""


class _StepBook:
    """What happened at one step in one replication, as flat columns.

    Times are appended as they happen; everything else (waits by hour, queue
    length by hour, shares within any threshold) is computed from these
    columns once, after the run, with numpy.
    """

    __slots__ = ("balked", "entries", "entry_classes", "fails", "over_standard", "queue_end",
                 "queue_start", "reneged", "served", "service", "standard", "wait_classes",
                 "wait_times", "waits")

    def __init__(self, fail_ids: list[str], standard: float | None = None):
        self.entries = array("d")      # when each recorded customer reached the step
        self.entry_classes = array("h")  # ... and its class (index)
        self.waits = array("d")        # waits of those who started service ...
        self.wait_times = array("d")   # ... when they had reached the step ...
        self.wait_classes = array("h")   # ... and their class
        self.queue_start = array("d")  # every stay in the queue, served or not
        self.queue_end = array("d")
        self.service = 0.0
        self.served = 0
        self.standard = math.inf if standard is None else standard  # the execution standard ...
        self.over_standard = 0         # ... and the services that took longer
        self.balked = 0                # customers who would not join this step's queue ...
        self.reneged = 0               # ... and who left it, their patience run out
        self.fails = dict.fromkeys(fail_ids, 0)


class _Fork:
    """A customer's fork: its branches' outcomes, and the walk to resume once all are in."""

    __slots__ = ("env", "outcomes", "pending", "resume")

    def __init__(self, env: simpy.Environment, branches: int, resume: Wake):
        self.env = env
        self.outcomes = [SERVED] * branches
        self.pending = branches
        self.resume = resume

    def branch_done(self, branch: int, outcome: int, _event: simpy.Event) -> None:
        """A branch's end, in an event of its own (as a process's end is); the join is met in
        another once all of them are in (as SimPy's all_of is)."""
        self.outcomes[branch] = outcome
        self.pending -= 1
        if not self.pending:
            Timeout(self.env, 0).callbacks.append(self.resume)


class _Replication:
    def __init__(self, plan: Plan, seed: int, k: int):
        self.plan = plan
        self.seed, self.k = seed, k
        # (arrival number, outcome, time inside) of each customer, where a run is asked for them
        self.log: list[tuple[int, int, float]] | None = [] if plan.log_customers else None
        self.omissions: set[int] = set()  # ... and those an `omission` fail point hit
        self.env = env = simpy.Environment()
        streams = Streams(seed, k)
        end = plan.horizon_end
        self.pools = {rid: ServerPool(env, rid, changes[0][1] if changes else 0, plan.hour,
                                      end if plan.is_day else float("inf"))
                      for rid, changes in plan.capacity_changes.items()}
        self.steps = plan.steps
        self.step_pools = [self.pools[s.resource] if s.resource else None for s in plan.steps]
        self.nexts = [s.targets[0] if s.route == SINGLE else None for s in plan.steps]
        self.priorities = plan.priorities
        self.durations = [streams.durations(f"duration:{s.id}", s.duration) if s.duration else None
                          for s in plan.steps]
        # a stream only where it can be drawn from: patience where a queue can form, routing
        # where the way branches (the numbers of each stream do not depend on the others)
        self.patience = [[streams.durations(f"patience:{s.id}:{c}", p) if p and s.resource else None
                          for c, p in zip(plan.classes, s.patience, strict=True)]
                         for s in plan.steps]
        self.routing = [streams.uniforms(f"routing:{s.id}") if s.route == BRANCHES else None
                        for s in plan.steps]
        self.fail_draws = [[streams.uniforms(f"fail:{f.id}") for f in s.fails] for s in plan.steps]
        self.delays = [[streams.durations(f"delay:{f.id}", f.delay) if f.delay else None
                        for f in s.fails] for s in plan.steps]
        self.arrival_gaps = streams.exponentials("arrivals")
        self.class_draws = streams.uniforms("classes")
        self.several_classes = len(plan.class_cumulative) > 1
        self.books = [_StepBook([f.id for f in s.fails], s.standard) for s in plan.steps]
        # what happens to each customer, where complaints and loyalty are followed
        self.judged = Judged(plan.outcomes) if plan.outcomes is not None else None
        self.complaint_draws = streams.uniforms("complaints") if plan.outcomes is not None else None
        # walks to start at this moment, once the event being handled is done, in this order
        # (what SimPy does with a new process); `settle` starts them
        self.soon: deque[Wake] = deque()
        self.settling = False
        self.warmup = plan.warmup
        self.values = plan.values
        self.arrival_times = array("d")    # of every counted customer ...
        self.arrival_classes = array("h")  # ... and its class
        self.served_count = [0] * len(plan.classes)   # served, by class ...
        self.served_time = [0.0] * len(plan.classes)  # ... and their time in the system
        self.in_system = 0
        self.system_area = 0.0
        self.system_last = 0.0
        self.total_time = 0.0  # time in system of every recorded customer, served or lost
        self.outcomes = [0, 0, 0, 0]
        self.outcome_value = [0.0, 0.0, 0.0, 0.0]
        self.arrivals = 0
        self.sojourn = array("d")
        self.last_departure = 0.0
        # where the arrivals are: the piece of the rate, the time in it and the unit
        # exponential still to run down; or the next row of a trace
        self._piece = 0
        self._t = 0.0
        self._residual = 0.0
        self._stop = self._rate = 0.0  # the piece the next arrival falls in
        self._row = 0

    def settle(self) -> None:
        """Start the walks due now, in the order they were made (new walks join the line).

        Called where walks are made: at the end of an arrival's callback, and by a
        fork, before the walk that forked pauses (so nothing else happens between).
        """
        if self.settling:
            return  # the line is being worked through already: the new walks wait their turn
        soon = self.soon
        self.settling = True
        try:
            while soon:
                soon.popleft()(None)
        finally:
            self.settling = False

    def new_walk(self, step: int, stop: int, cls: int, record: bool, fork: _Fork | None = None,
                 branch: int = 0, mark: list[Any] | None = None, ticket: int = -1) -> Wake:
        """A new walk (a customer, or a fork's branch): its wake starts it. `mark` is what
        happens to the customer (a fork's branches share it), where outcomes are followed;
        `ticket` its arrival number, where the run logs each customer."""
        me: list[Wake] = []
        walk = self._walk(step, stop, cls, record, me, fork, branch, mark, ticket)
        me.append(cast(Wake, partial(next, walk)))
        return me[0]

    def _walk(self, i: int, stop: int, cls: int, record: bool, me: list[Wake], fork: _Fork | None,
              branch: int, mark: list[Any] | None = None, ticket: int = -1) -> Iterator[None]:
        """Walk from step i until `stop` (END or a join), then book how it ended.

        The walk pauses at each ``yield`` until its `wake` (``next`` on this very
        generator) is called back by the event it waits for: a service or a delay
        ending, a server becoming free (or patience running out), a fork's join.
        """
        env, steps, books, pools = self.env, self.steps, self.books, self.step_pools
        durations, nexts, fail_draws, routing = self.durations, self.nexts, self.fail_draws, self.routing
        timeout, end, most = Timeout, END_INDEX, MAX_VISITS  # read once, used at every step
        wake = me[0]
        arrived = env.now
        outcome = SERVED
        visits = 0
        while i != stop and i != end:
            visits += 1
            if visits > most:
                raise SimulationLimit(
                    f"a customer visited steps more than {MAX_VISITS:,} times (last at "
                    f"{steps[i].id!r}): a rework loop that almost never lets go?")
            reached = env.now
            if record:
                book = books[i]
                book.entries.append(reached)
                book.entry_classes.append(cls)
            pool = pools[i]
            if pool is not None:
                if not pool.try_acquire():
                    limit = steps[i].balk_at[cls]
                    if limit is not None and pool.waiting >= limit:
                        if record:
                            book.balked += 1
                        outcome = BALKED
                        if mark is not None:
                            mark[LOSS] = f"balked:{steps[i].id}"
                        break
                    entry = pool.enqueue(self.priorities[cls], wake)
                    patience = self.patience[i][cls]
                    if patience is not None:
                        timeout(env, next(patience)).callbacks.append(partial(pool.renege, entry))
                    yield  # until a server is free, or patience runs out
                    if record:
                        book.queue_start.append(reached)
                        book.queue_end.append(env.now)
                    if entry[3]:
                        if record:
                            book.reneged += 1
                        outcome = RENEGED_OUT
                        if mark is not None:
                            mark[LOSS] = f"reneged:{steps[i].id}"
                        break
                if mark is not None:
                    tolerance = steps[i].tolerance
                    if tolerance is not None and env.now - reached > tolerance + 1e-12:
                        mark[LATE] = True
                if record:
                    book.waits.append(env.now - reached)
                    book.wait_times.append(reached)
                    book.wait_classes.append(cls)
            duration = durations[i]
            service = next(duration) if duration is not None else 0.0
            if service > 0:
                timeout(env, service).callbacks.append(wake)
                yield
            if pool is not None:
                pool.release()
            if record:
                book.service += service
                book.served += 1
                if service > book.standard:
                    book.over_standard += 1
            step = steps[i]
            following = None
            if step.fails:
                for k, fail in enumerate(step.fails):
                    if next(fail_draws[i][k]) < fail.p:
                        if record:
                            book.fails[fail.id] += 1
                        if mark is not None:
                            mark[HITS] += 1
                            if fail.id not in mark[SEEN]:  # each fail point asks once
                                mark[SEEN].add(fail.id)
                                mark[QUIET] *= 1.0 - fail.complaint
                            mark[FIRST] = mark[FIRST] or fail.id
                        if fail.omission and self.log is not None and ticket >= 0:
                            self.omissions.add(ticket)
                        if fail.effect == "redo":
                            following = i
                        elif fail.effect == "goto":
                            following = fail.target
                        elif fail.effect == "abandon":
                            outcome = ABANDONED
                            if mark is not None:
                                mark[LOSS] = fail.id
                        else:
                            delay = self.delays[i][k]
                            assert delay is not None  # a delay fail point always has its duration
                            timeout(env, next(delay)).callbacks.append(wake)
                            yield
                            continue
                        break
                if outcome != SERVED:
                    break
            single = nexts[i]
            if following is not None:
                i = following
            elif single is not None:  # one next step: the usual case
                i = single
            elif step.route == BRANCHES:
                row = step.cumulative[cls] if len(step.cumulative) > 1 else step.cumulative[0]
                draws = routing[i]
                assert draws is not None  # a branching step always has its routing stream
                pick = bisect.bisect_right(row, next(draws))
                i = step.targets[min(pick, len(step.targets) - 1)]
            else:  # a fork
                joined = _Fork(env, len(step.targets), wake)
                # the branches start at this moment, in the order written, after the walks
                # started before them (as SimPy starts new processes): see settle
                for b, target in enumerate(step.targets):
                    self.soon.append(self.new_walk(target, step.join, cls, record, joined, b, mark,
                                                   ticket))
                self.settle()
                yield  # until every branch is at the join
                lost = [o for o in joined.outcomes if o != SERVED]
                if lost:
                    outcome = lost[0]
                    break
                i = step.join
        if fork is not None:
            Timeout(env, 0).callbacks.append(partial(fork.branch_done, branch, outcome))
        elif record:
            self.finished(cls, arrived, outcome)
            if mark is not None and self.judged is not None:
                self.judged.judge(outcome != SERVED, mark, env.now)
            if self.log is not None and ticket >= 0:
                self.log.append((ticket, outcome, env.now - arrived))

    # --- arrivals ---------------------------------------------------------------------------

    def _first_arrivals(self) -> None:
        if self.plan.trace is not None:
            self._next_in_trace()
        else:
            self._residual = next(self.arrival_gaps)
            self._next_poisson(entering=True)

    def _next_poisson(self, entering: bool) -> None:
        """Schedule the next arrival: the exponential runs down at each piece's rate in turn
        (memoryless: what a piece leaves unused carries into the next)."""
        pieces = self.plan.arrival_pieces or []
        piece, t, residual = self._piece, self._t, self._residual
        while piece < len(pieces):
            start, stop, rate = pieces[piece]
            if rate <= 0:
                piece += 1
                entering = True
                continue
            if entering:
                t, entering = start, False
            gap = residual / rate
            if t + gap >= stop:
                residual -= (stop - t) * rate
                piece += 1
                entering = True
                continue
            t += gap
            Timeout(self.env, t - self.env.now).callbacks.append(self._poisson_arrival)
            self._stop, self._rate = stop, rate
            break
        self._piece, self._t, self._residual = piece, t, residual

    def _poisson_arrival(self, _event: simpy.Event) -> None:
        walk = self._arrive(self._draw_class() if self.several_classes else 0)
        residual = next(self.arrival_gaps)
        t = self._t + residual / self._rate
        if t < self._stop:  # the usual case, spelt out: the next one comes within this piece
            self._t, self._residual = t, residual
            Timeout(self.env, t - self.env.now).callbacks.append(self._poisson_arrival)
        else:
            self._residual = residual
            self._next_poisson(entering=False)
        walk(None)  # once the next arrival is scheduled, as a new SimPy process would start

    def _next_in_trace(self) -> None:
        """Everyone the trace brings at this moment; then wait for the next row's time."""
        trace = self.plan.trace or []
        env = self.env
        while self._row < len(trace):
            if trace[self._row][0] > env.now:
                Timeout(env, trace[self._row][0] - env.now).callbacks.append(self._trace_arrival)
                return
            self._arrive_from_trace()

    def _trace_arrival(self, _event: simpy.Event) -> None:
        self._arrive_from_trace()
        self._next_in_trace()
        self.settle()

    def _arrive_from_trace(self) -> None:
        _, cls = (self.plan.trace or [])[self._row]
        self._row += 1
        # those arriving together walk in the trace's order, once all of them are in
        self.soon.append(self._arrive(cls if cls >= 0 else self._draw_class()))

    def _draw_class(self) -> int:
        cumulative = self.plan.class_cumulative
        if len(cumulative) == 1:
            return 0
        return min(bisect.bisect_right(cumulative, next(self.class_draws)), len(cumulative) - 1)

    def _arrive(self, cls: int) -> Wake:
        """A customer comes in: counted (past the warm-up); its walk, to start."""
        self.arrivals += 1
        if self.arrivals > MAX_ARRIVALS:
            raise SimulationLimit(f"more than {MAX_ARRIVALS:,} customers in one replication; "
                                  "shorten the horizon or lower the demand")
        arrived = self.env.now
        record = arrived >= self.warmup
        mark: list[Any] | None = None
        draws = self.complaint_draws
        if draws is not None and record:  # its chances drawn now, in arrival order: the same
            # customer draws the same in every scenario of a study
            mark = [0, False, 1.0, None, None, next(draws), next(draws), next(draws), set()]
        walk = self.new_walk(0, END_INDEX, cls, record, mark=mark,
                             ticket=self.arrivals - 1 if self.log is not None else -1)
        if record:
            self.arrival_times.append(arrived)
            self.arrival_classes.append(cls)
            self.system_area += self.in_system * (arrived - self.system_last)
            self.system_last = arrived
            self.in_system += 1
            if self.in_system > MAX_INSIDE:
                raise SimulationLimit(
                    f"more than {MAX_INSIDE:,} customers inside at once (at time {arrived:,.0f}): the "
                    "demand outruns the capacity and nobody leaves; add capacity, or give customers "
                    "a patience or balk_at")
        return walk

    def finished(self, cls: int, arrived: float, outcome: int) -> None:
        """Book a counted customer who left: served, balked, reneged or abandoned."""
        now = self.env.now
        self.system_area += self.in_system * (now - self.system_last)
        self.system_last = now
        self.in_system -= 1
        stay = now - arrived
        self.total_time += stay
        self.outcomes[outcome] += 1
        self.outcome_value[outcome] += self.values[cls]
        if outcome == SERVED:
            self.sojourn.append(stay)
            self.served_count[cls] += 1
            self.served_time[cls] += stay
        if now > self.last_departure:
            self.last_departure = now

    # --- the run ----------------------------------------------------------------------------

    def _next_shift(self, pool: ServerPool, changes: list[tuple[float, int]], k: int) -> None:
        if k < len(changes):
            Timeout(self.env, changes[k][0] - self.env.now).callbacks.append(
                partial(self._shift_change, pool, changes, k))

    def _shift_change(self, pool: ServerPool, changes: list[tuple[float, int]], k: int,
                      _event: simpy.Event) -> None:
        pool.set_capacity(changes[k][1])
        self._next_shift(pool, changes, k + 1)

    def _warmup_over(self, _event: simpy.Event) -> None:
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
        self._first_arrivals()
        for rid, pool in self.pools.items():
            self._next_shift(pool, plan.capacity_changes[rid], 1)
        if plan.warmup > 0:
            Timeout(env, plan.warmup).callbacks.append(self._warmup_over)
        self.settle()
        if plan.is_day:
            env.run()
        else:
            env.run(until=plan.horizon_end)
        if self.judged is not None and self.judged.plan.process is not None:
            self._handle_complaints(self.judged)
        return self._summary()

    def _handle_complaints(self, judged: Judged) -> None:
        """The day's complaints, at the times they were made, become the arrivals of the
        complaint-handling model, run with this replication's seed; each complaint's time to
        resolve there (or its loss there: an omission) decides how it ends."""
        outcome_plan = judged.plan
        assert outcome_plan.process is not None
        scale, offset = outcome_plan.to_process
        times = [max(0.0, scale * t + offset) for t in judged.complaint_times]
        process = replace(outcome_plan.process, trace=[(t, -1) for t in times], log_customers=True)
        desk = _Replication(process, self.seed, self.k)
        desk.run()
        assert desk.log is not None
        judged.settle(sorted(desk.log), desk.arrival_times, desk.omissions)

    def _summary(self) -> dict:
        from blueprint.sim.summary import summarise

        now = self.measured_end
        for pool in self.pools.values():
            pool.finish()
        if now > self.system_last:
            self.system_area += self.in_system * (now - self.system_last)
            self.system_last = now
        return summarise(self)


def run_replication(plan: Plan, seed: int, k: int) -> dict:
    """Run replication k of `seed` and return its statistics (plain, picklable data)."""
    return _Replication(plan, seed, k).run()
