"""Complaints, dissatisfied customers and lifetime value lost, per day and over the days.

Where a model has `complaints` or `demand.loyalty` (docs/loyalty.md), each
replication books what happened to every customer (:class:`OutcomeReplication`),
and the results add the three controls of complaint handling beside the
day's figures, and a `loyalty` block: one served customer's lifetime value,
the value lost today, by outcome and by cause.
"""

from __future__ import annotations

from pydantic import Field

from blueprint.results.base import ById, Record, Statistic

__all__ = ["CauseReplication", "CauseResults", "LoyaltyResults", "OutcomeReplication", "OutcomeResults"]

Number = float | None
Stat = Statistic | None


class CauseReplication(Record):
    customers: int = Field(description="Customers it hit (a fail point) or lost (a queue).")
    complaints: int = Field(description="Of them, those who complained.")
    clv_lost: float = Field(description="Their lifetime value lost.")


class OutcomeReplication(Record):
    """One day's customers by what happened to them."""

    complaints: int = Field(description="Customers who complained.")
    complaint_rate: Number = Field(description="complaints / customers served.")
    dissatisfied: int = Field(description="Hit by a fail point, waited past a tolerance, or lost.")
    dissatisfaction_rate: Number = Field(description="dissatisfied / arrivals.")
    customers: dict[str, int] = Field(description="Customers by outcome (docs/loyalty.md).")
    clv: Number = Field(None, description="One served customer's lifetime value (with loyalty).")
    clv_lost: Number = Field(description="Lifetime value lost, over the day's customers.")
    clv_lost_by_outcome: dict[str, float] = Field(description="The same, by outcome.")
    causes: ById[CauseReplication] = Field(
        description="By cause: a fail point's id, or balked:STEP / reneged:STEP.")
    omission_rate: Number = Field(None, description="Complaints the complaint desk lost or never "
                                                    "recorded / complaints (with `process`).")
    time_to_resolve: Number = Field(None, description="Mean time the desk took to resolve a "
                                                      "complaint (this model's time unit).")
    complaint_times: list[float] = Field(default_factory=list,
                                         description="When each complaint was made (with `process`).")
    desk_arrival_times: list[float] = Field(
        default_factory=list, description="When each reached the desk, in the desk model's time.")


class OutcomeResults(Record):
    customers: Stat = Field(description="Customers with this outcome a day.")
    clv_lost: Stat = Field(description="Their lifetime value lost a day.")


class CauseResults(Record):
    customers: Stat = Field(description="Customers it hit or lost a day.")
    complaints: Stat = Field(description="Of them, those who complained.")
    clv_lost: Stat = Field(description="Their lifetime value lost a day.")


class LoyaltyResults(Record):
    """Lifetime value: one served customer's, and what the day's outcomes lose of it."""

    clv: Stat = Field(description="One served customer's lifetime value, m·v·r/(1 + i − r).")
    clv_lost: Stat = Field(description="Σ over the day's customers of CLV(served) − CLV(outcome).")
    by_outcome: ById[OutcomeResults] = Field(description="By outcome.")
    by_cause: ById[CauseResults] = Field(description="By cause: which fail point, which queue.")
