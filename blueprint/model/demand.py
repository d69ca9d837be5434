"""Demand: who arrives, when, and how long they are willing to wait.

Demand rises and falls through the day, and capacity cannot be stored for the
peak, so arrivals are given per clock time (`{"09:00": 20, "12:00": 45}`: 45
an hour from noon until the next change), or as one constant rate, or replayed
from a recorded trace. Customers who find too long a queue walk away (balking)
or give up waiting (reneging): that is lost demand and lost value.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    ConfigDict,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from blueprint.model.base import (
    CLOCK_PATTERN,
    Identifier,
    Strict,
    number_or_mapping,
    one_of_schema,
    parse_clock,
    refuse_both,
    require_one_of,
)
from blueprint.model.distributions import Duration
from blueprint.model.loyalty import Loyalty

__all__ = ["CustomerClass", "Demand"]


def _clock_key(value: str) -> str:
    parse_clock(value)
    return value


ClockKey = Annotated[str, AfterValidator(_clock_key)]

RatesByClock = Annotated[
    dict[ClockKey, NonNegativeFloat],
    WithJsonSchema({
        "type": "object",
        "minProperties": 1,
        "propertyNames": {"type": "string", "pattern": CLOCK_PATTERN},
        "additionalProperties": {"type": "number", "minimum": 0},
    }),
]
"""{"HH:MM": rate}: at least one rate, each from its clock time on."""


class CustomerClass(Strict):
    """A customer segment: its share of arrivals and its place in the queue."""

    share: float = Field(ge=0, le=1, description="Share of arrivals in this class.")
    priority: int = Field(1, description="Lower numbers are served first; FIFO within a class.")
    patience: Duration | None = Field(None, description="Overrides demand.patience for the class.")
    balk_at: NonNegativeInt | None = Field(None, description="Overrides demand.balk_at.")
    value: NonNegativeFloat | None = Field(None, description="Overrides demand.value.")


class Demand(Strict):
    """Arrivals (constant, by clock time, or a trace) and customer behaviour in queues."""

    model_config = ConfigDict(json_schema_extra=one_of_schema(("arrivals_per_hour", "trace")))

    arrivals_per_hour: number_or_mapping(  # type: ignore[valid-type]
        NonNegativeFloat,
        RatesByClock,
        'arrivals_per_hour is a number or a mapping {"HH:MM": rate}',
    ) | None = Field(
        None,
        description='Arrivals per hour: a number, or {"HH:MM": rate} changing at those times.',
    )
    trace: str | None = Field(
        None,
        description="CSV of recorded arrivals (column `time`: \"HH:MM[:SS]\" or time_unit from "
        "the start; optional column `class`), relative to the model file.",
    )
    scale: NonNegativeFloat = Field(1.0, description="What-if multiplier on the arrival rate.")
    classes: dict[Identifier, CustomerClass] | None = Field(
        None, description="Customer segments; shares sum to 1."
    )
    patience: Duration | None = Field(
        None, description="How long a customer waits in a queue before leaving (reneging)."
    )
    balk_at: NonNegativeInt | None = Field(
        None, description="A customer will not join a queue with this many already waiting."
    )
    value: NonNegativeFloat = Field(
        0.0, description="Revenue of one served customer, lost when they leave unserved."
    )
    loyalty: Loyalty | None = Field(
        None, description="A customer's value over the years: visits, margin, discount rate and "
                          "retention by outcome (docs/loyalty.md).")

    @model_validator(mode="after")
    def _loyalty_has_a_margin(self) -> Demand:
        if self.loyalty is not None and self.loyalty.margin is None and self.value == 0:
            raise PydanticCustomError(
                "missing-key", "loyalty needs a `margin` (profit of a visit), or a `value` in demand "
                               "to take it from: with neither, every customer is worth 0")
        return self

    @model_validator(mode="before")
    @classmethod
    def _one_source(cls, data: Any) -> Any:
        return require_one_of(data, ("arrivals_per_hour", "trace"),
                              "demand needs `arrivals_per_hour` or a `trace` file")

    @field_validator("arrivals_per_hour")
    @classmethod
    def _rates_by_clock(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        if not value:
            raise PydanticCustomError("bad-demand", "give at least one rate")
        return value

    @field_validator("trace")
    @classmethod
    def _not_with_rates(cls, trace: Any, info: ValidationInfo) -> Any:
        return refuse_both(trace, info, "arrivals_per_hour", "bad-demand",
                           "give either `arrivals_per_hour` or `trace`, not both")

    @field_validator("scale")
    @classmethod
    def _not_with_a_trace(cls, scale: float, info: ValidationInfo) -> float:
        if scale != 1 and info.data.get("trace") is not None:
            raise PydanticCustomError(
                "bad-demand", "`scale` multiplies arrival rates, and a trace is replayed as "
                "recorded: give `arrivals_per_hour` to scale demand, or edit the trace")
        return scale

    @field_validator("classes")
    @classmethod
    def _shares_sum_to_one(cls, value: Any) -> Any:
        if value:
            total = sum(c.share for c in value.values())
            if abs(total - 1) > 1e-9:
                raise PydanticCustomError(
                    "bad-shares", f"class shares must sum to 1 (they sum to {total:.6g})"
                )
        return value

    @property
    def class_names(self) -> list[str]:
        return list(self.classes) if self.classes else []
