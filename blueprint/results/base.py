"""What every result document is made of: records and statistics over replications.

One simulated day is one possible day; a figure over many days is a mean with
its 95% interval, so a reader sees at once how sure it is. Every document the
toolkit writes is a :class:`Record`: a typed pydantic model whose JSON is the
file, whose JSON Schema is committed in ``models/``, and which also reads like
its JSON (``results["system"]["served"]``) for scripts written against files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from blueprint.diagnostics import did_you_mean

__all__ = ["ById", "KeyedDict", "Record", "ResultKeyError", "Statistic", "mean_at", "mean_of", "walk"]

_SHOWN_KEYS = 60  # a message lists at most this many valid keys


class ResultKeyError(KeyError):
    """A key a result document does not have: the message says where, and which keys are there.

    ``path`` is the path that was found, ``key`` the key that was not there
    (None when the path stopped short of a statistic), ``valid`` the keys that are.
    """

    def __init__(self, message: str, *, path: Sequence[str] = (), key: object = None,
                 valid: Sequence[str] = ()):
        super().__init__(message)
        self.path, self.key, self.valid = tuple(path), key, list(valid)

    def __str__(self) -> str:  # KeyError's own would quote the whole message
        return str(self.args[0])

    @classmethod
    def missing(cls, where: str, key: object, valid: Sequence[str],
                path: Sequence[str] = ()) -> ResultKeyError:
        """`key` is not among the `valid` keys at `where` (the path so far, as the user wrote it)."""
        there = f"valid keys: {shown(valid)}" if valid else "it holds no keys"
        return cls(f"{where} has no key {key!r}{did_you_mean(key, valid)}; {there}",
                   path=path, key=key, valid=valid)


def shown(keys: Sequence[str]) -> str:
    """Keys for a message: quoted, comma-separated, the first :data:`_SHOWN_KEYS` of them."""
    text = ", ".join(repr(k) for k in keys[:_SHOWN_KEYS])
    return text + (f", … ({len(keys) - _SHOWN_KEYS} more)" if len(keys) > _SHOWN_KEYS else "")


class KeyedDict(dict[str, Any]):
    """A dict of a document — steps by id, scenarios by name —, where a key that is not there
    is a :class:`ResultKeyError` naming the dict and the keys that are."""

    def __init__(self, items: Mapping[str, Any] | None = None, name: str = "this dict"):
        super().__init__(items or {})
        self.name = name

    def __missing__(self, key: str) -> Any:
        raise ResultKeyError.missing(self.name, key, list(self))


def _keyed(value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    return KeyedDict(value, info.field_name or "this dict")


V = TypeVar("V")
ById = Annotated[dict[str, V], AfterValidator(_keyed)]
"""A dict field of a document (steps by id, …): a dict in the JSON, a :class:`KeyedDict` in
Python, so ``results.steps["depost"]`` says which steps there are."""


class Record(BaseModel):
    """Base of every result document: typed fields, no unknown keys, item access as in JSON."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def __getitem__(self, key: str) -> Any:
        field = _field_for(type(self), key)
        if field is None:
            raise ResultKeyError.missing(f"this {type(self).__name__}", key, self.keys())
        return getattr(self, field)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and _field_for(type(self), key) is not None

    def keys(self) -> list[str]:
        """The JSON keys of this record, in order."""
        return [f.alias or name for name, f in type(self).model_fields.items()]

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON data (what ``--json`` writes)."""
        return self.model_dump(mode="json", by_alias=True)


def where(name: str, path: Sequence[str | int]) -> str:
    """A path as one would write it in Python: ``results['steps']['deposit']``."""
    return name + "".join(f"[{k!r}]" for k in path)


def walk(root: Record, path: Sequence[str | int], name: str) -> Any:
    """The node at `path` in a document, read like its JSON: record fields, dict keys, list
    indexes (a number, or its digits as text). A key that is not there is a
    :class:`ResultKeyError` naming the path so far (``name`` stands for the root, as in
    ``results['steps']``) and the keys that are there."""
    node: Any = root
    for depth, key in enumerate(path):
        valid = keys_under(node)
        if not (key in node if isinstance(node, Record | dict) else str(key) in valid):
            raise ResultKeyError.missing(where(name, path[:depth]), key, valid,
                                         [str(k) for k in path[:depth]])
        node = node[int(key)] if isinstance(node, list) else node[str(key)]
    return node


def keys_under(node: Any) -> list[str]:
    """What a path may go on with: a record's keys, a dict's, a list's indexes (as text)."""
    if isinstance(node, Record):
        return node.keys()
    if isinstance(node, dict):
        return list(node)
    if isinstance(node, list):
        return [str(i) for i in range(len(node))]
    return []  # a number, a text, null: nothing is under it


def mean_at(root: Record, path: Sequence[str | int], name: str) -> float | None:
    """The mean of the statistic at `path` (None where no replication had a value); a path
    that does not end at a statistic is a :class:`ResultKeyError` listing the keys under it."""
    node = walk(root, path, name)
    if node is None or isinstance(node, Statistic):
        return None if node is None else node.mean
    under = keys_under(node)
    more = f"go on with one of {shown(under)}" if under else "leave out the last key"
    raise ResultKeyError(f"{where(name, path)} is not a statistic (a mean with its interval): {more}",
                         path=[str(k) for k in path], valid=under)


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
