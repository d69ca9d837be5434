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
from collections.abc import Callable

import simpy
from simpy.events import Timeout

__all__ = ["ServerPool", "Waiting"]


Waiting = Callable[[simpy.Event], object]
"""How a queued customer is woken, by an event, when a server is its or its patience ran out."""


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
        self._queue: list[list] = []  # [priority, arrival number, wake or None, reneged]
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
        start = self.start
        if busy and last >= start and now <= self.close:
            # the usual case first: the time since the last change lies within one hour
            hour = self.hour
            bucket = int((last - start) // hour)
            end = start + (bucket + 1) * hour
            if end <= last:  # last sits on a boundary, rounded down: it is the next hour
                bucket += 1
                end = start + (bucket + 1) * hour
            if now <= end:
                self.busy_by_hour[bucket] = self.busy_by_hour.get(bucket, 0.0) + busy * (now - last)
                self._last = now
                return
        if busy:
            if last < start:
                last = min(start, now)
            close = self.close
            hour = self.hour
            while last < now:
                bucket = int((last - start) // hour)
                end = min(now, start + (bucket + 1) * hour)
                if end <= last:
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

    def enqueue(self, priority: int, wake: Waiting) -> list:
        """Queue a customer, to be woken when a server is its (by :meth:`_dispatch`).

        The entry returned is what a patience timer hands to :meth:`renege`; its
        last item says whether the customer was woken because it gave up.
        """
        self._seq += 1
        entry = [priority, self._seq, wake, False]
        heapq.heappush(self._queue, entry)
        self.waiting += 1
        return entry

    def renege(self, entry: list, _timer: object = None) -> None:
        """Patience timer: the customer leaves the queue unless it was served meanwhile.

        It is woken in an event of its own, at this same moment, as a customer
        being served is woken in one.
        """
        wake = entry[2]
        if wake is not None:
            entry[2] = None  # stays in the heap; _dispatch skips it
            entry[3] = True
            self.waiting -= 1
            Timeout(self.env, 0).callbacks.append(wake)

    def release(self) -> None:
        self._advance()
        self.busy -= 1
        if self._queue:
            self._dispatch()

    def set_capacity(self, capacity: int) -> None:
        self._advance()
        self.capacity = capacity
        self._dispatch()

    def _dispatch(self) -> None:
        queue = self._queue
        while self.busy < self.capacity and queue:
            entry = heapq.heappop(queue)
            wake = entry[2]
            if wake is None:  # reneged while queued
                continue
            entry[2] = None
            self.busy += 1
            self.waiting -= 1
            # the customer starts in an event of its own at this moment, after those already due
            Timeout(self.env, 0).callbacks.append(wake)
