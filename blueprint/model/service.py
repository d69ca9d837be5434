"""The whole service model: one YAML file, format version 1.

Time is converted once, here: clock times become the model's own time unit
counted from the opening time, and arrival rates per hour become rates per
time unit, so nothing downstream ever converts units again.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Discriminator,
    Field,
    NonNegativeFloat,
    PositiveFloat,
    PrivateAttr,
    Tag,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from blueprint.model.base import ClockTime, Identifier, Name, Strict, format_clock, parse_clock
from blueprint.model.demand import Demand
from blueprint.model.loyalty import Complaints
from blueprint.model.resources import Resource
from blueprint.model.steps import NOT_END, Step, Zone

__all__ = ["MINUTES_PER_UNIT", "DayHorizon", "Link", "Piece", "ServiceModel", "SteadyStateHorizon"]

MINUTES_PER_UNIT: dict[str, float] = {"s": 1 / 60, "min": 1.0, "h": 60.0}
Piece = tuple[float, float, float]  # (start, end, value) in model time units


class DayHorizon(Strict):
    """A service day: arrivals from `open` to `close`; customers inside are finished."""

    open: ClockTime = Field(description='Arrivals start, "HH:MM".')
    close: ClockTime = Field(description='Arrivals stop, "HH:MM"; customers inside are finished.')

    @field_validator("close")
    @classmethod
    def _close_after_open(cls, close: int, info: ValidationInfo) -> int:
        opening = info.data.get("open")
        if opening is not None and close <= opening:
            raise PydanticCustomError(
                "bad-horizon", f"`close` ({format_clock(close)}) must be later than `open` "
                f"({format_clock(opening)})"
            )
        return close


class SteadyStateHorizon(Strict):
    """A long run for steady-state statistics, counted from a warm-up."""

    length: PositiveFloat = Field(description="Length of the run (time_unit).")
    warmup: NonNegativeFloat = Field(0.0, description="Statistics count arrivals after this.")

    @field_validator("warmup")
    @classmethod
    def _warmup_inside(cls, warmup: float, info: ValidationInfo) -> float:
        length = info.data.get("length")
        if length is not None and warmup >= length:
            raise PydanticCustomError("bad-horizon", "`warmup` must be shorter than `length`")
        return warmup


def _horizon_tag(value: Any) -> str | None:
    if isinstance(value, DayHorizon | SteadyStateHorizon):
        return "day" if isinstance(value, DayHorizon) else "steady"
    if isinstance(value, dict):
        if "open" in value or "close" in value:
            return "day"
        if "length" in value or "warmup" in value:
            return "steady"
    return None


Horizon = Annotated[
    Annotated[DayHorizon, Tag("day")] | Annotated[SteadyStateHorizon, Tag("steady")],
    Discriminator(
        _horizon_tag,
        custom_error_type="bad-horizon",
        custom_error_message='horizon is {open: "HH:MM", close: "HH:MM"} or {length: N, warmup: N}',
    ),
]


class Link(Strict):
    """An information or dependency flow that is drawn but not simulated."""

    source: Identifier = Field(alias="from", description="Step the flow starts at.",
                               json_schema_extra=NOT_END)
    target: Identifier = Field(alias="to", description="Step the flow reaches.",
                               json_schema_extra=NOT_END)
    label: str | None = Field(None, description="What flows (information, material).")
    both: bool = Field(False, description="A two-way flow, drawn with two arrow heads.")


class ServiceModel(Strict):
    """A service blueprint: zones, steps, resources and demand (format version 1)."""

    # a steady-state run has no clock: no rates by clock time, no shift schedules
    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"horizon": {"required": ["length"]}}, "required": ["horizon"]},
        "then": {"properties": {
            "demand": {"properties": {"arrivals_per_hour": {"not": {"type": "object"}}}},
            "resources": {"additionalProperties": {"properties": {"schedule": {"type": "null"}}}},
        }},
    })

    blueprint: Literal[1] = Field(description="Format version of the file; must be 1.")
    name: str = Field(min_length=1, description="Name of the service.")
    description: str | None = Field(None, description="What the service is, for the reader.")
    time_unit: Literal["s", "min", "h"] = Field(
        "min", description="Unit of every duration in the file: s, min or h."
    )
    currency: str | None = Field(
        None, json_schema_extra={"minLength": 1, "maxLength": 8, "pattern": "^\\S+$"},
        description="How money is written in outputs: a code (EUR, GBP, CNY) or a symbol "
                    "(€, £, ¥, 元); amounts are shown without one when none is given.")
    horizon: Horizon = Field(description="A service day (open/close) or a steady-state run.")
    phases: list[Name] = Field(default_factory=list, description="Journey stages, left to right.")
    actors: dict[Zone, list[Name]] = Field(
        default_factory=dict, description="Sub-lanes per zone, top to bottom."
    )
    resources: dict[Identifier, Resource] = Field(
        default_factory=dict, description="Staff and equipment customers queue for."
    )
    demand: Demand = Field(description="Arrivals and customer behaviour.")
    complaints: Complaints | None = Field(
        None, description="Who complains and how complaints are resolved (docs/loyalty.md).")
    steps: list[Step] = Field(min_length=1, description="The journey, in order.")
    links: list[Link] = Field(default_factory=list, description="Drawn information flows.")

    @field_validator("currency")
    @classmethod
    def _short_and_unbroken(cls, value: str | None) -> str | None:
        if value is not None and not (0 < len(value) <= 8 and value.split() == [value]):
            raise PydanticCustomError(
                "bad-value", f"{value!r} is not a currency: give a code or a symbol of at most 8 "
                             "characters, without spaces (EUR, GBP, CNY, €, £, ¥, 元)")
        return value

    _steps_by_id: dict[str, Step] = PrivateAttr(default_factory=dict)
    _arrival_pieces: list[Piece] | None = PrivateAttr(default=None)
    _capacity_pieces: dict[str, list[Piece]] = PrivateAttr(default_factory=dict)
    _trace: list[tuple[float, str | None]] | None = PrivateAttr(default=None)
    _process: Any = PrivateAttr(default=None)  # the complaint process: (ServiceModel, its graph)

    @model_validator(mode="after")
    def _convert_time_once(self) -> ServiceModel:
        return self._derive()

    def _derive(self) -> ServiceModel:
        """The views computed from the fields: steps by id, rates and capacity per time unit."""
        self._steps_by_id = {s.id: s for s in self.steps}
        self._arrival_pieces = self._rates_per_unit()
        self._capacity_pieces = {rid: self._capacity_of(r) for rid, r in self.resources.items()}
        return self

    # --- time -----------------------------------------------------------------------------

    @property
    def minutes_per_unit(self) -> float:
        return MINUTES_PER_UNIT[self.time_unit]

    @property
    def is_day(self) -> bool:
        return isinstance(self.horizon, DayHorizon)

    @property
    def horizon_end(self) -> float:
        """Close (day) or length (steady state), in time units from the start."""
        if isinstance(self.horizon, DayHorizon):
            return self.clock_to_time(self.horizon.close)
        return self.horizon.length

    def clock_to_time(self, minutes_after_midnight: float) -> float:
        """A clock time as model time: time units since opening."""
        opening = self.horizon.open if isinstance(self.horizon, DayHorizon) else 0
        return (minutes_after_midnight - opening) / self.minutes_per_unit

    def time_to_clock(self, time: float) -> float:
        """Model time back to minutes after midnight (for tables and drawings)."""
        opening = self.horizon.open if isinstance(self.horizon, DayHorizon) else 0
        return opening + time * self.minutes_per_unit

    # --- derived views --------------------------------------------------------------------

    @property
    def steps_by_id(self) -> dict[str, Step]:
        return self._steps_by_id

    def step(self, step_id: str) -> Step:
        return self._steps_by_id[step_id]

    @property
    def arrival_pieces(self) -> list[Piece] | None:
        """Piecewise-constant arrival rate per time unit (before `scale`); None for a trace."""
        return self._arrival_pieces

    def capacity_pieces(self, resource_id: str) -> list[Piece]:
        """Capacity over time: (start, end, servers); a fixed capacity is one endless piece."""
        return self._capacity_pieces[resource_id]

    @property
    def trace(self) -> list[tuple[float, str | None]] | None:
        """Recorded arrivals (time, class) once the loader has read `demand.trace`."""
        return self._trace

    def set_trace(self, arrivals: list[tuple[float, str | None]]) -> None:
        self._trace = arrivals

    @property
    def complaint_process(self) -> Any:
        """The linked complaint-handling model and its graph (``complaints.process``), or None."""
        return self._process

    def set_complaint_process(self, model: Any, graph: Any) -> None:
        self._process = (model, graph)

    def steps_in(self, zone: str) -> list[Step]:
        return [s for s in self.steps if s.zone == zone]

    def with_resource(self, resource_id: str, resource: Resource) -> ServiceModel:
        """A copy with one resource replaced (staffing what-ifs), its derived views recomputed.

        The steps and their graph are unchanged, so the graph of this model
        serves the copy too.
        """
        changed = self.model_copy(update={"resources": {**self.resources, resource_id: resource}})
        return changed._derive()

    def _rates_per_unit(self) -> list[Piece] | None:
        rates = self.demand.arrivals_per_hour
        if rates is None:
            return None
        per_unit = self.minutes_per_unit / 60
        end = self.horizon_end
        if not isinstance(rates, dict):
            return [(0.0, end, rates * per_unit)]
        starts = [self.clock_to_time(parse_clock(k)) for k in rates]
        values = list(rates.values())
        pieces: list[Piece] = []
        if starts[0] > 0:
            pieces.append((0.0, starts[0], 0.0))
        for i, (start, rate) in enumerate(zip(starts, values, strict=True)):
            stop = starts[i + 1] if i + 1 < len(starts) else end
            if stop > start:
                pieces.append((start, stop, rate * per_unit))
        return [(max(a, 0.0), min(b, end), r) for a, b, r in pieces if b > 0 and a < end]

    def _capacity_of(self, resource: Resource) -> list[Piece]:
        if resource.schedule is None:
            return [(0.0, math.inf, float(resource.capacity or 0))]
        windows = sorted(resource.schedule, key=lambda w: w.start)
        return [
            (self.clock_to_time(w.start), self.clock_to_time(w.end), float(w.capacity))
            for w in windows
        ]
