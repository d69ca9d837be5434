"""A pool of servers whose number changes with the shifts.

SimPy's ``Resource.capacity`` is fixed once made, and a service's capacity is
not: tellers come on at 11:30 and go at 14:00. A :class:`ServerPool` keeps a
priority queue (lower class priority first, first come first served within a
class) and a capacity that can change at any time. A server whose shift ends
finishes the customer in hand; nobody new is started until the busy count is
below the new capacity.

It also keeps the books perishable capacity needs: busy server-time per hour
(the complement of the scheduled server-time is idle, perished capacity) and
busy time after closing (overtime).
"""

from __future__ import annotations

import heapq

import simpy

__all__ = ["RENEGED", "ServerPool"]

RENEGED = object()
"""The value a request succeeds with when the customer gave up waiting."""


class ServerPool:
    """Servers of one resource: capacity over time, a priority queue, busy-time books."""

    __slots__ = ("_last", "_queue", "_seq", "busy", "busy_by_hour", "capacity", "close",
                 "env", "hour", "name", "overtime", "start", "waiting")

    def __init__(self, env: simpy.Environment, name: str, capacity: int, hour: float,
                 close: float):
        self.env = env
        self.name = name
        self.capacity = capacity
        self.busy = 0
        self.waiting = 0
        self.hour = hour          # one hour in model time units
        self.close = close        # after this, busy time is overtime
        self.start = 0.0          # statistics start (the warm-up)
        self._queue: list[tuple[int, int, simpy.Event]] = []
        self._seq = 0
        self._last = 0.0
        self.busy_by_hour: dict[int, float] = {}
        self.overtime = 0.0

    # --- the books: busy server-time, split by hour ------------------------------------------

    def _advance(self) -> None:
        now = self.env.now
        last = self._last
        if now <= last:
            return
        busy = self.busy
        if busy:
            if last < self.start:
                last = min(self.start, now)
            close = self.close
            start, hour = self.start, self.hour
            while last < now:
                bucket = int((last - start) // hour)
                end = min(now, start + (bucket + 1) * hour)
                if end <= last:  # last sits on a boundary, rounded down: it is the next hour
                    bucket += 1
                    end = min(now, start + (bucket + 1) * hour)
                if last >= close:
                    self.overtime += busy * (now - last)
                    break
                if end > close:
                    end = close
                self.busy_by_hour[bucket] = self.busy_by_hour.get(bucket, 0.0) + busy * (end - last)
                last = end
        self._last = now

    def reset(self) -> None:
        """Start the books afresh (end of a warm-up)."""
        self._advance()
        self.start = self.env.now
        self.busy_by_hour.clear()
        self.overtime = 0.0

    def finish(self) -> None:
        self._advance()

    # --- serving --------------------------------------------------------------------------

    def try_acquire(self) -> bool:
        """Take a free server at once if one is free and nobody is waiting."""
        if self.busy < self.capacity and not self.waiting:
            self._advance()
            self.busy += 1
            return True
        return False

    def request(self, priority: int) -> simpy.Event:
        event = simpy.Event(self.env)
        self._seq += 1
        heapq.heappush(self._queue, (priority, self._seq, event))
        self.waiting += 1
        return event

    def renege(self, event: simpy.Event) -> None:
        """Timer callback: the customer leaves the queue unless served meanwhile."""
        if not event.triggered:
            event.succeed(RENEGED)  # stays in the heap; _dispatch skips it
            self.waiting -= 1

    def release(self) -> None:
        self._advance()
        self.busy -= 1
        self._dispatch()

    def set_capacity(self, capacity: int) -> None:
        self._advance()
        self.capacity = capacity
        self._dispatch()

    def _dispatch(self) -> None:
        queue = self._queue
        while self.busy < self.capacity and queue:
            _, _, event = heapq.heappop(queue)
            if event.triggered:  # reneged while queued
                continue
            self.busy += 1
            self.waiting -= 1
            event.succeed()
