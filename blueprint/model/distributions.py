"""Durations: how long a step, a patience or a fail-point delay takes.

A bare number is a fixed duration; otherwise ``{dist: NAME, ...}`` names one of
the distributions service analysts use: exponential for memoryless work,
triangular when a designer knows only "at least, usually, at most",
lognormal and gamma for skewed service times, empirical for measured values.
Parameters that make no sense (a negative mean, ``low > high``) are errors.
All values are in the model's ``time_unit``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    ConfigDict,
    Discriminator,
    Field,
    NonNegativeFloat,
    PositiveFloat,
    Tag,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from blueprint.model.base import Strict

__all__ = [
    "DISTRIBUTION_NAMES",
    "Distribution",
    "Duration",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "Lognormal",
    "Normal",
    "Triangular",
    "Uniform",
]


class Fixed(Strict):
    """Always the same time."""

    # in a file `dist` is how a mapping says which distribution it is, so it is required there
    model_config = ConfigDict(json_schema_extra={"required": ["dist", "value"]})

    dist: Literal["fixed"] = Field("fixed", description="A fixed duration.")
    value: NonNegativeFloat = Field(description="The duration, in the model's time_unit.")

    @property
    def mean(self) -> float:
        return self.value

    @property
    def variance(self) -> float:
        return 0.0


class Exponential(Strict):
    """Memoryless time, e.g. a phone enquiry: as likely to end in the next minute whatever its age."""

    dist: Literal["exponential"] = Field(description="Exponential distribution.")
    mean: PositiveFloat = Field(description="Mean duration (time_unit).")

    @property
    def variance(self) -> float:
        return self.mean**2


class Uniform(Strict):
    """Any time between low and high equally likely."""

    dist: Literal["uniform"] = Field(description="Uniform distribution.")
    low: NonNegativeFloat = Field(description="Shortest duration (time_unit).")
    high: NonNegativeFloat = Field(description="Longest duration (time_unit).")

    @field_validator("high")
    @classmethod
    def _above_low(cls, high: float, info: ValidationInfo) -> float:
        low = info.data.get("low")
        if low is not None and high <= low:
            raise PydanticCustomError(
                "bad-distribution", f"uniform needs low < high (got low {low:g}, high {high:g})"
            )
        return high

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    @property
    def variance(self) -> float:
        return (self.high - self.low) ** 2 / 12


class Triangular(Strict):
    """At least `low`, usually `mode`, at most `high`: the designer's three-point estimate."""

    dist: Literal["triangular"] = Field(description="Triangular distribution.")
    low: NonNegativeFloat = Field(description="Shortest duration (time_unit).")
    mode: NonNegativeFloat = Field(description="Most likely duration (time_unit).")
    high: NonNegativeFloat = Field(description="Longest duration (time_unit).")

    @field_validator("mode")
    @classmethod
    def _mode_above_low(cls, mode: float, info: ValidationInfo) -> float:
        low = info.data.get("low")
        if low is not None and mode < low:
            raise PydanticCustomError(
                "bad-distribution", f"triangular needs low <= mode (got low {low:g}, mode {mode:g})"
            )
        return mode

    @field_validator("high")
    @classmethod
    def _high_above_mode(cls, high: float, info: ValidationInfo) -> float:
        low, mode = info.data.get("low"), info.data.get("mode")
        if (mode is not None and high < mode) or (low is not None and high <= low):
            raise PydanticCustomError(
                "bad-distribution",
                f"triangular needs mode <= high and low < high (got high {high:g})",
            )
        return high

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    @property
    def variance(self) -> float:
        a, c, b = self.low, self.mode, self.high
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18


class Normal(Strict):
    """Symmetric variation around a mean; truncated at 0, since no step takes negative time."""

    dist: Literal["normal"] = Field(description="Normal distribution, truncated at 0.")
    mean: PositiveFloat = Field(description="Mean duration before truncation (time_unit).")
    sd: NonNegativeFloat = Field(description="Standard deviation (time_unit).")

    @property
    def variance(self) -> float:
        return self.sd**2


class Lognormal(Strict):
    """Right-skewed time with a long tail: most visits are quick, a few take very long."""

    dist: Literal["lognormal"] = Field(description="Lognormal distribution, by mean and sd.")
    mean: PositiveFloat = Field(description="Mean duration (time_unit).")
    sd: PositiveFloat = Field(description="Standard deviation (time_unit).")

    @property
    def variance(self) -> float:
        return self.sd**2

    @property
    def log_parameters(self) -> tuple[float, float]:
        """(mu, sigma) of the underlying normal, so samples have this mean and sd."""
        sigma2 = math.log1p((self.sd / self.mean) ** 2)
        return math.log(self.mean) - sigma2 / 2, math.sqrt(sigma2)


class Gamma(Strict):
    """Skewed time, by mean and sd (shape = (mean/sd)^2); sd < mean gives a hump."""

    dist: Literal["gamma"] = Field(description="Gamma distribution, by mean and sd.")
    mean: PositiveFloat = Field(description="Mean duration (time_unit).")
    sd: PositiveFloat = Field(description="Standard deviation (time_unit).")

    @property
    def variance(self) -> float:
        return self.sd**2

    @property
    def shape_scale(self) -> tuple[float, float]:
        shape = (self.mean / self.sd) ** 2
        return shape, self.mean / shape


class Empirical(Strict):
    """Measured durations, replayed at random: what a stopwatch study gives."""

    dist: Literal["empirical"] = Field(description="Draw uniformly from measured values.")
    values: list[NonNegativeFloat] = Field(
        min_length=1, description="Observed durations (time_unit); each is equally likely."
    )

    @property
    def mean(self) -> float:
        return sum(self.values) / len(self.values)

    @property
    def variance(self) -> float:
        m = self.mean
        return sum((v - m) ** 2 for v in self.values) / len(self.values)


Distribution = Fixed | Exponential | Uniform | Triangular | Normal | Lognormal | Gamma | Empirical

_BY_NAME: dict[str, type[Strict]] = {
    "fixed": Fixed,
    "exponential": Exponential,
    "uniform": Uniform,
    "triangular": Triangular,
    "normal": Normal,
    "lognormal": Lognormal,
    "gamma": Gamma,
    "empirical": Empirical,
}
DISTRIBUTION_NAMES: tuple[str, ...] = tuple(_BY_NAME)


def _tag(value: Any) -> str | None:
    """Which member of the union a raw value is: its `dist` name, else 'number'.

    Anything that is not a mapping is checked as a number, so `duration: "5 min"`
    is reported as text where a number belongs.
    """
    if isinstance(value, dict):
        name = value.get("dist")
        return name if isinstance(name, str) else None
    if isinstance(value, Strict):
        return getattr(value, "dist", None)
    return "number"


def _as_distribution(value: Any) -> Distribution:
    if isinstance(value, int | float):
        return Fixed(dist="fixed", value=value)
    return value


if TYPE_CHECKING:  # what a validated model holds: a bare number has become Fixed
    Duration = Distribution
else:
    Duration = Annotated[
        Annotated[NonNegativeFloat, Tag("number")]
        | Annotated[Fixed, Tag("fixed")]
        | Annotated[Exponential, Tag("exponential")]
        | Annotated[Uniform, Tag("uniform")]
        | Annotated[Triangular, Tag("triangular")]
        | Annotated[Normal, Tag("normal")]
        | Annotated[Lognormal, Tag("lognormal")]
        | Annotated[Gamma, Tag("gamma")]
        | Annotated[Empirical, Tag("empirical")],
        Discriminator(
            _tag,
            custom_error_type="bad-distribution",
            custom_error_message=(
                "a duration is a number or {dist: NAME, ...} with NAME one of "
                + ", ".join(DISTRIBUTION_NAMES)
            ),
        ),
        AfterValidator(_as_distribution),
    ]
"""A duration in the model's time unit: a number (fixed) or a distribution."""
