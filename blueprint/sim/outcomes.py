"""What happened to each customer, and what it costs over their lifetime (docs/loyalty.md).

A customer walks with a *mark*: how many fail points hit them, whether they
waited past a step's tolerance, the chance they stay silent about the fail
points (each fail point's `complaint` share), the first fail point that hit
them and where they were lost, and three uniform numbers drawn when they
arrived — so the same customer decides the same way in every scenario of a
study (common random numbers). When they leave, :class:`Judged` books them:

- lost (balked, reneged, abandoned): they complain with chance
  1 − (1 − after_loss)·Π(1 − complaint);
- hit by fail points: they complain with chance 1 − Π(1 − complaint), and if
  they do not, they are `failed` (one hit) or `failed_twice` (the double
  deviation);
- a complaint is resolved with chance `resolved`, and quickly with chance
  `quickly` of those; a lost customer whose complaint is not resolved stays
  lost.

Each outcome has its retention, and CLV lost is CLV(served) − CLV(outcome).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["FIRST", "HITS", "LATE", "LOSS", "QUIET", "SEEN", "Judged", "OutcomePlan"]

HITS, LATE, QUIET, FIRST, LOSS, SPEAK, SETTLE, QUICK, SEEN = range(9)
"""The places of a customer's mark: fail points that hit, waited past tolerance, the chance of
staying silent, the first fail point, where lost, and the three uniforms of the complaint."""


@dataclass(frozen=True)
class OutcomePlan:
    """Complaints and loyalty compiled for the engine."""

    after_loss: float
    resolved: float
    quickly: float
    clv: dict[str, float] | None  # each outcome's lifetime value (None: no loyalty given)
    complaints: bool = True  # False: loyalty without a `complaints` block, where nobody complains
    process: Any = None      # the complaint desk's Plan, where `complaints.process` links one
    to_process: tuple[float, float] = (1.0, 0.0)  # its time = scale x ours + offset
    quickly_within: float = 0.0  # a quick resolution, in the desk's time unit


@dataclass
class Judged:
    """The customers of one replication, by outcome and by cause."""

    plan: OutcomePlan
    complaints: int = 0
    dissatisfied: int = 0
    customers: dict[str, int] = field(default_factory=dict)
    clv_lost: dict[str, float] = field(default_factory=dict)
    causes: dict[str, list[float]] = field(default_factory=dict)  # customers, complaints, clv lost
    # with a complaint desk: each complaint waits for it (time made, lost, what else, cause)
    complaint_times: list[float] = field(default_factory=list)
    pending: list[tuple[bool, str, Any]] = field(default_factory=list)
    omitted: int = 0
    desk_arrivals: list[float] = field(default_factory=list)
    resolve_times: list[float] = field(default_factory=list)

    def judge(self, lost: bool, mark: list[Any], now: float = 0.0) -> None:
        """Book one customer who has left (`lost`: balked, reneged or abandoned); with a
        complaint desk, a complaint waits for it (:meth:`settle`)."""
        plan = self.plan
        hits = int(mark[HITS])
        silent = float(mark[QUIET])
        if lost:
            speak = 1.0 - (1.0 - plan.after_loss) * silent
            base, cause = "lost", mark[LOSS] or mark[FIRST]
        elif hits:
            speak = 1.0 - silent
            base, cause = ("failed_twice" if hits > 1 else "failed"), mark[FIRST]
        else:
            speak, base, cause = 0.0, "served", None
        complained = plan.complaints and float(mark[SPEAK]) < speak
        outcome = base
        if complained and plan.process is not None:
            self.complaints += 1
            if lost or hits or mark[LATE]:
                self.dissatisfied += 1
            self.complaint_times.append(now)
            self.pending.append((lost, base, cause))
            return
        if complained:
            self.complaints += 1
            if float(mark[SETTLE]) < plan.resolved:
                outcome = "resolved_quickly" if float(mark[QUICK]) < plan.quickly else \
                    "complained_resolved"
            elif not lost:
                outcome = "complained_unresolved"
        if lost or hits or mark[LATE]:
            self.dissatisfied += 1
        self._book(outcome, cause, complained)

    def _book(self, outcome: str, cause: Any, complained: bool) -> None:
        plan = self.plan
        self.customers[outcome] = self.customers.get(outcome, 0) + 1
        cost = 0.0
        if plan.clv is not None:
            cost = plan.clv["served"] - plan.clv[outcome]
            self.clv_lost[outcome] = self.clv_lost.get(outcome, 0.0) + cost
        if cause is not None:
            book = self.causes.setdefault(str(cause), [0.0, 0.0, 0.0])
            book[0] += 1
            book[1] += complained
            book[2] += cost

    def settle(self, log: list[tuple[int, int, float]], arrivals: Any, unrecorded: set[int]) -> None:
        """Each waiting complaint as the desk handled it: `log` holds (arrival number, outcome,
        time to resolve) of its customers, in arrival order. A complaint the desk lost, or one
        an `omission` fail point hit there (`unrecorded`), is an omission; one it lost is not
        resolved."""
        served = 0  # the engine's SERVED outcome
        quick = self.plan.quickly_within
        self.desk_arrivals = list(arrivals)
        for (lost, _base, cause), (ticket, outcome, stay) in zip(self.pending, log, strict=True):
            if ticket in unrecorded and outcome == served:
                self.omitted += 1
            if outcome == served:
                self.resolve_times.append(stay)
                result = "resolved_quickly" if stay <= quick + 1e-12 else "complained_resolved"
            else:
                self.omitted += 1
                result = "lost" if lost else "complained_unresolved"
            self._book(result, cause, True)
        self.pending = []
