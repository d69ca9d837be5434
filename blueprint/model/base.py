"""Shared pieces of the schema: a strict base model and clock times.

Every model forbids unknown keys, and says which key was probably meant, so a
designer who types ``duraton`` learns about it at once instead of getting a
step that silently takes no time.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Tag,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError
from pydantic_core._pydantic_core import list_all_errors

from blueprint.diagnostics import did_you_mean

__all__ = [
    "AT_KEY",
    "ClockTime",
    "Identifier",
    "Strict",
    "format_clock",
    "number_or_mapping",
    "parse_clock",
    "refuse_both",
    "require_one_of",
]

AT_KEY = {"at_key": True}
"""Context for an error about a key's presence: the loader points at the key, not its value."""

_CLOCK = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
IDENTIFIER_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
_IDENTIFIER = re.compile(IDENTIFIER_PATTERN)


class Strict(BaseModel):
    """Base of every schema class: unknown keys are errors with a 'did you mean' hint."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _explain_unknown_keys(cls, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            errors = exc.errors()
            if not any(e["type"] == "extra_forbidden" and len(e["loc"]) == 1 for e in errors):
                raise
            raise ValidationError.from_exception_data(cls.__name__, _with_hints(cls, errors)) from None


def _with_hints(cls: type[BaseModel], errors: list[Any]) -> list[InitErrorDetails]:
    """Rewrite this model's own extra_forbidden errors; pass the others through unchanged."""
    known = [field.alias or name for name, field in cls.model_fields.items()]
    details: list[InitErrorDetails] = []
    for error in errors:
        if error["type"] == "extra_forbidden" and len(error["loc"]) == 1:
            key = error["loc"][0]
            hint = did_you_mean(key, known) or f"; {cls.__name__.lower()} keys are: {', '.join(known)}"
            kind = PydanticCustomError("unknown-key", f"unknown key {key!r}{hint}")
            details.append({"type": kind, "loc": error["loc"], "input": error["input"]})
        elif error["type"] in _BUILTIN_TYPES:
            detail: InitErrorDetails = {"type": error["type"], "loc": error["loc"], "input": error["input"]}
            if "ctx" in error:
                detail["ctx"] = error["ctx"]
            details.append(detail)
        else:
            kind = PydanticCustomError(error["type"], error["msg"])
            details.append({"type": kind, "loc": error["loc"], "input": error["input"]})
    return details


_BUILTIN_TYPES = frozenset(e["type"] for e in list_all_errors())


def parse_clock(value: Any) -> int:
    """'09:30' -> 570 minutes after midnight; anything else is a `bad-time` error."""
    if isinstance(value, str):
        match = _CLOCK.match(value.strip())
        if match:
            minutes = int(match.group(1)) * 60 + int(match.group(2))
            if minutes <= 24 * 60:
                return minutes
    raise PydanticCustomError(
        "bad-time", f'{value!r} is not a clock time; write it as "HH:MM", e.g. "09:30"'
    )


def format_clock(minutes: float) -> str:
    """570 -> '09:30' (the inverse of :func:`parse_clock`, for messages and drawings)."""
    whole = round(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"


ClockTime = Annotated[
    int,
    BeforeValidator(parse_clock),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01]?\d|2[0-4]):[0-5]\d$",
            "description": 'A clock time "HH:MM" (24-hour), e.g. "09:30".',
        }
    ),
]

def _check_identifier(value: str) -> str:
    if not _IDENTIFIER.match(value):
        raise PydanticCustomError(
            "bad-id",
            f"{value!r} is not a valid id: use letters, digits and underscores, not starting "
            "with a digit",
        )
    return value


Identifier = Annotated[
    str,
    AfterValidator(_check_identifier),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": IDENTIFIER_PATTERN,
            "description": "An identifier: letters, digits and underscores, not starting with a digit.",
        }
    ),
]


def number_or_mapping(number: Any, mapping: Any, message: str) -> Any:
    """A value that is either one number or a mapping of numbers, with one clear error.

    A plain union would report a failure against each member; tagging the
    members by the input's shape reports only the one the user meant.
    """

    def shape(value: Any) -> str | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float):
            return "number"
        return "mapping" if isinstance(value, dict) else None

    return Annotated[
        Annotated[number, Tag("number")] | Annotated[mapping, Tag("mapping")],
        Discriminator(shape, custom_error_type="wrong-type", custom_error_message=message),
    ]


def require_one_of(data: Any, keys: tuple[str, str], message: str) -> Any:
    """A before-validator's check that a mapping gives at least one of two alternative keys."""
    if isinstance(data, dict) and not any(key in data for key in keys):
        raise PydanticCustomError("missing-key", message)
    return data


def refuse_both(value: Any, info: Any, other: str, code: str, message: str) -> Any:
    """A field validator's check that its alternative key was not given as well."""
    if info.data.get(other) is not None:
        raise PydanticCustomError(code, message, AT_KEY)
    return value
