"""What a failure costs over a customer's lifetime: complaints, recovery and retention.

A customer hit by a fail point, or lost to a queue, is not one lost sale.
Some complain; of those, some are recovered, quickly or not; the others, and
those who never complain, come back less. The chance that a customer stays
another year (retention) by what happened to them turns the day's outcomes
into customer lifetime value (Gupta & Lehmann 2003): CLV = m·v·r / (1 + i − r),
m the margin of a visit, v the visits a year, i the discount rate.

The default retention table follows TARP's published complaint studies
(docs/loyalty.md says which, and their limits): it is a starting point to be
replaced with the firm's own figures, not a law.
"""

from __future__ import annotations

from pydantic import Field, NonNegativeFloat, PositiveFloat

from blueprint.model.base import Strict

__all__ = ["OUTCOMES", "Complaints", "Loyalty", "Retention", "lifetime_value"]

OUTCOMES = ("served", "failed", "failed_twice", "complained_unresolved", "complained_resolved",
            "resolved_quickly", "lost")
"""What can happen to a customer, as the retention table and the results name it."""

Share = float


class Retention(Strict):
    """The chance of staying another year, by what happened to the customer."""

    served: float = Field(0.85, ge=0, lt=1, description="Served without a failure.")
    failed: float = Field(0.37, ge=0, lt=1,
                          description="Hit by a fail point, finished, did not complain.")
    failed_twice: float = Field(
        0.20, ge=0, lt=1,
        description="Hit by fail points twice or more (a redo that failed again: the double "
                    "deviation), did not complain.")
    complained_unresolved: float = Field(0.46, ge=0, lt=1,
                                         description="Complained; the complaint was not resolved.")
    complained_resolved: float = Field(0.70, ge=0, lt=1, description="Complained; resolved, slowly.")
    resolved_quickly: float = Field(0.95, ge=0, lt=1,
                                    description="Complained; resolved within `quickly_within`.")
    lost: float = Field(0.10, ge=0, lt=1,
                        description="Balked, reneged or abandoned, and did not win back by a complaint.")


class Loyalty(Strict):
    """A customer's value over the years (`demand.loyalty`)."""

    visits_per_year: PositiveFloat = Field(description="Visits a retained customer makes a year.")
    margin: NonNegativeFloat | None = Field(
        None, description="Profit of one visit (default: demand.value).")
    discount_rate: NonNegativeFloat = Field(0.10, description="Yearly discount rate, 0.10 for 10%.")
    retention: Retention = Field(default_factory=Retention,
                                 description="Chance of staying another year, by outcome.")
    recovery_paradox: bool = Field(
        False, description="Let a recovered customer be more loyal than one never failed (the "
                           "service recovery paradox). Off: recovered retention is capped at "
                           "`served`.")

    def retained(self, outcome: str) -> float:
        """The retention of an outcome, the recovery paradox applied or not."""
        r = float(getattr(self.retention, outcome))
        if outcome in ("complained_resolved", "resolved_quickly") and not self.recovery_paradox:
            return min(r, self.retention.served)
        return r


def lifetime_value(margin: float, visits: float, retention: float, discount: float) -> float:
    """Gupta & Lehmann's CLV of a customer who stays each year with chance `retention`:
    m·v·r / (1 + i − r), the margins of all future years, discounted."""
    # rounded to nine decimals: 15 x 12 x 0.85 / (1 + 0.1 - 0.85) is 612, not 611.9999999999998
    return round(margin * visits * retention / (1 + discount - retention), 9)


class Complaints(Strict):
    """Who complains, and how complaints are resolved (top-level `complaints`)."""

    after_loss: Share = Field(0.2, ge=0, le=1,
                              description="Share of lost customers (balked, reneged, abandoned) who "
                                          "complain.")
    resolved: Share = Field(0.8, ge=0, le=1,
                            description="Share of complaints resolved, where no `process` is given.")
    quickly: Share = Field(
        0.5, ge=0, le=1,
        description="Share of resolved complaints resolved within `quickly_within`, where no "
                    "`process` is given.")
    quickly_within: PositiveFloat = Field(
        60, description="A resolution this fast counts as quick (time_unit).")
    process: str | None = Field(
        None, description="A complaint-handling model (relative to this file): the day's complaints "
                          "arrive into it, and its time to resolve decides each one.")
