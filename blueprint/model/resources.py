"""Resources: the staff, desks and machines customers queue for.

Capacity perishes: a teller idle at 10:00 cannot serve the 12:30 rush. So a
resource's capacity can follow the day in shifts (`schedule`) instead of being
one fixed number.
"""

from __future__ import annotations

from typing import Any

from pydantic import (
    ConfigDict,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from blueprint.model.base import (
    ClockTime,
    Strict,
    format_clock,
    one_of_schema,
    refuse_both,
    require_one_of,
)

__all__ = ["Resource", "ShiftWindow"]


class ShiftWindow(Strict):
    """From `from` to `to` (clock times), `capacity` units are on duty."""

    start: ClockTime = Field(alias="from", description='Start of the window, "HH:MM".')
    end: ClockTime = Field(alias="to", description='End of the window, "HH:MM".')
    capacity: NonNegativeInt = Field(description="Units (servers) on duty in this window.")

    @field_validator("end")
    @classmethod
    def _forward(cls, end: int, info: ValidationInfo) -> int:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise PydanticCustomError(
                "bad-schedule",
                f"the shift ends at {format_clock(end)}, not after it starts at {format_clock(start)}",
            )
        return end


class Resource(Strict):
    """A pool of identical servers, with a fixed `capacity` or a shift `schedule`."""

    model_config = ConfigDict(json_schema_extra=one_of_schema(("capacity", "schedule")))

    name: str | None = Field(None, description="Display name (defaults to the id).")
    capacity: NonNegativeInt | None = Field(None, description="Servers on duty all day.")
    schedule: list[ShiftWindow] | None = Field(
        None, min_length=1, description="Capacity over the day, in windows that do not overlap."
    )
    cost_per_hour: NonNegativeFloat = Field(0.0, description="Cost of one server for one hour.")
    description: str | None = Field(None, description="Notes for the reader.")

    @model_validator(mode="before")
    @classmethod
    def _one_of_capacity_or_schedule(cls, data: Any) -> Any:
        return require_one_of(data, ("capacity", "schedule"),
                              "a resource needs `capacity: N` or a `schedule` of shifts")

    @field_validator("schedule")
    @classmethod
    def _not_with_capacity(cls, schedule: Any, info: ValidationInfo) -> Any:
        return refuse_both(schedule, info, "capacity", "bad-schedule",
                           "give either `capacity` or `schedule`, not both")

    @property
    def peak_capacity(self) -> int:
        if self.schedule is None:
            return self.capacity or 0
        return max(w.capacity for w in self.schedule)
