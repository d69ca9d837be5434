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

from blueprint.diagnostics import did_you_mean
from blueprint.model.ids import check_id_text, check_name_text, nfc

__all__ = [
    "AT_KEY",
    "CLOCK_PATTERN",
    "IDENTIFIER_PATTERN",
    "NAME_PATTERN",
    "ClockTime",
    "Identifier",
    "Name",
    "Strict",
    "format_clock",
    "number_or_mapping",
    "parse_clock",
    "refuse_both",
    "require_one_of",
]

AT_KEY = {"at_key": True}
"""Context for an error about a key's presence: the loader points at the key, not its value."""

# Clock times as parse_clock reads them: H:MM or HH:MM from 0:00 to 24:00, spaces around
# allowed. The pattern says the same in both Python's `re` and JavaScript (editors), so it
# avoids `$`, which Python also matches before a final newline.
CLOCK_PATTERN = r"^[ \t]*(?:(?:[01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)[ \t]*(?![\s\S])"
_CLOCK = re.compile(r"[ \t]*([01]?[0-9]|2[0-4]):([0-5][0-9])[ \t]*")

# What an editor can check of an id, in a pattern both Python and JavaScript read: exactly
# the ASCII identifiers, and beyond ASCII anything but spaces, controls and the invisible
# characters the loader refuses (the loader also requires Unicode letters and digits).
_NOT_ASCII_ID = "\\x00-\\x2F\\x3A-\\x40\\x5B-\\x5E\\x60\\x7B-\\x7F"
_INVISIBLE_BMP = (
    "\\x80-\\xA0\\xAD\\u034F\\u061C\\u115F\\u1160\\u1680\\u17B4\\u17B5\\u180B-\\u180F"
    "\\u2000-\\u200F\\u2028-\\u202F\\u205F-\\u2064\\u2066-\\u206F\\u3000\\u3164\\uFE00-\\uFE0F"
    "\\uFEFF\\uFFA0\\uFFF9-\\uFFFB"
)
_END = "(?![\\s\\S])"  # the very end of the text, in both dialects
IDENTIFIER_PATTERN = f"^[^0-9{_NOT_ASCII_ID}{_INVISIBLE_BMP}][^{_NOT_ASCII_ID}{_INVISIBLE_BMP}]*{_END}"
# A name is free text: no bidi controls and no characters that are always invisible
# (the loader also allows joiners and variation selectors only inside words).
NAME_PATTERN = (
    "^[^\\x00-\\x08\\x0B-\\x1F\\x7F-\\x9F\\xAD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5"
    "\\u180B-\\u180F\\u200B\\u200E\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\u3164\\uFEFF"
    f"\\uFFA0]*{_END}"
)


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
        elif "-" not in error["type"]:  # pydantic's own types use underscores, ours hyphens
            detail: InitErrorDetails = {"type": error["type"], "loc": error["loc"], "input": error["input"]}
            if "ctx" in error:
                detail["ctx"] = error["ctx"]
            details.append(detail)
        else:
            kind = PydanticCustomError(error["type"], error["msg"])
            details.append({"type": kind, "loc": error["loc"], "input": error["input"]})
    return details


def parse_clock(value: Any) -> int:
    """'09:30' -> 570 minutes after midnight; anything else is a `bad-time` error."""
    if isinstance(value, str):
        match = _CLOCK.fullmatch(value)
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
            "pattern": CLOCK_PATTERN,
            "description": 'A clock time "HH:MM" (24-hour), e.g. "09:30".',
        }
    ),
]

def _check_identifier(value: str) -> str:
    value = nfc(value)
    problem = check_id_text(value)
    if problem:
        raise PydanticCustomError("bad-id", problem)
    return value


Identifier = Annotated[
    str,
    AfterValidator(_check_identifier),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": IDENTIFIER_PATTERN,
            "description": "An id: letters (of any script), digits and underscores, not starting "
            "with a digit.",
        }
    ),
]
"""A Unicode identifier (``str.isidentifier()``), in NFC, with no invisible characters."""


def _check_name(value: str) -> str:
    value = nfc(value)
    problem = check_name_text(value)
    if problem:
        raise PydanticCustomError("bad-name", problem)
    return value


Name = Annotated[
    str,
    AfterValidator(_check_name),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": NAME_PATTERN,
            "description": "A name (free text): no invisible characters or bidi controls.",
        }
    ),
]
"""Free text that steps refer to (actors, phases), in NFC, with nothing invisible in it."""


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
