"""What every result document is made of: records and statistics over replications.

One simulated day is one possible day; a figure over many days is a mean with
its 95% interval, so a reader sees at once how sure it is. Every document the
toolkit writes is a :class:`Record`: a typed pydantic model whose JSON is the
file, whose JSON Schema is committed in ``models/``, and which also reads like
its JSON (``results["system"]["served"]``) for scripts written against files.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Record", "Statistic", "mean_of"]


class Record(BaseModel):
    """Base of every result document: typed fields, no unknown keys, item access as in JSON."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def __getitem__(self, key: str) -> Any:
        field = _field_for(type(self), key)
        if field is None:
            raise KeyError(key)
        return getattr(self, field)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and _field_for(type(self), key) is not None

    def keys(self) -> list[str]:
        """The JSON keys of this record, in order."""
        return [f.alias or name for name, f in type(self).model_fields.items()]

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON data (what ``--json`` writes)."""
        return self.model_dump(mode="json", by_alias=True)


def _field_for(cls: type[BaseModel], key: str) -> str | None:
    for name, field in cls.model_fields.items():
        if key in (name, field.alias):
            return name
    return None


class Statistic(Record):
    """A figure over replications: its mean and the Student-t 95% interval of that mean."""

    mean: float = Field(description="Mean over the replications that have a value.")
    ci95: list[float] = Field(min_length=2, max_length=2,
                              description="95% confidence interval of the mean [low, high] "
                                          "(Student t, n - 1 degrees of freedom).")

    @property
    def low(self) -> float:
        return self.ci95[0]

    @property
    def high(self) -> float:
        return self.ci95[1]

    @property
    def half_width(self) -> float:
        return (self.ci95[1] - self.ci95[0]) / 2


def mean_of(stat: Statistic | None, default: float | None = None) -> float | None:
    """The mean of a statistic that may be missing (no replication had a value)."""
    return default if stat is None else stat.mean
