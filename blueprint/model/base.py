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
from blueprint.model.ids import (
    INVISIBLE,
    JOINERS,
    VARIATION_SELECTORS,
    char_class,
    check_id_text,
    check_name_text,
    nfc,
)

__all__ = [
    "AT_KEY",
    "CLOCK_PATTERN",
    "IDENTIFIER_PATTERN",
    "NAME_PATTERN",
    "SPACES",
    "ClockTime",
    "Identifier",
    "Name",
    "Strict",
    "format_clock",
    "number_or_mapping",
    "one_of_schema",
    "parse_clock",
    "refuse_both",
    "require_one_of",
]

AT_KEY = {"at_key": True}
"""Context for an error about a key's presence: the loader points at the key, not its value."""

# Clock times as parse_clock reads them: H:MM or HH:MM from 0:00 to 24:00, spaces around
# allowed, in a pattern Python and JavaScript (editors) read alike: not `$`, which Python
# also matches before a final newline.
CLOCK_PATTERN = r"^[ \t]*(?:(?:[01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)[ \t]*(?![\s\S])"
_CLOCK = re.compile(r"[ \t]*([01]?[0-9]|2[0-4]):([0-5][0-9])[ \t]*")

# What an editor can check of ids and names, as patterns that Python's `re` and JavaScript
# (with or without the `u` flag) read alike. Ids: exactly the ASCII identifiers, and beyond
# ASCII anything but spaces, controls and invisible characters (the loader also requires
# Unicode letters and digits there). Names: no control characters but tab and newline, no
# invisible characters, but joiners between two visible characters and variation selectors
# after one, as the loader says. Characters beyond U+FFFF are not in the classes.
_END = "(?![\\s\\S])"  # the very end of the text (Python's `$` also matches before a last \n)
_CONTROLS = frozenset(chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]) - {"\t", "\n"}
# the characters below U+FFFF whose str.isspace() is true, written out (a scan of all 65,536
# costs every start-up 5 ms; tests/test_model.py checks the list against the scan)
SPACES = frozenset("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
                   "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_NOT_ASCII_ID = frozenset(chr(c) for c in range(0x80) if not (chr(c).isalnum() or chr(c) == "_"))
_NOT_IN_ID = char_class(_NOT_ASCII_ID | _CONTROLS | SPACES | INVISIBLE
                        | frozenset("\x85\xa0\ufff9\ufffa\ufffb"))
IDENTIFIER_PATTERN = f"^[^0-9{_NOT_IN_ID}][^{_NOT_IN_ID}]*{_END}"
_ALWAYS = char_class(_CONTROLS | (INVISIBLE - JOINERS - VARIATION_SELECTORS))
_ATTACHED = char_class(JOINERS | VARIATION_SELECTORS)
_VISIBLE = f"[^{char_class(SPACES | _CONTROLS | INVISIBLE)}]"
NAME_PATTERN = (f"^(?:[^{_ALWAYS}{_ATTACHED}]|(?<={_VISIBLE})[{char_class(JOINERS)}](?={_VISIBLE})"
                f"|(?<={_VISIBLE})[{char_class(VARIATION_SELECTORS)}])*{_END}")


class Strict(BaseModel):
    """Base of every schema class: unknown keys are errors with a 'did you mean' hint.

    Every number must be finite: a duration, rate or cost of `.inf` or `.nan`
    would validate against `>= 0` (or slip past it) and only break the run.
    """

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=False,
                              allow_inf_nan=False)

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
    WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN}),
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
    WithJsonSchema({"type": "string", "pattern": IDENTIFIER_PATTERN}),
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
    WithJsonSchema({"type": "string", "pattern": NAME_PATTERN}),
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
    """A before-validator's check that a mapping gives at least one of two alternative keys
    (a key left empty, `capacity:`, gives nothing)."""
    if isinstance(data, dict) and all(data.get(key) is None for key in keys):
        raise PydanticCustomError("missing-key", message)
    return data


def one_of_schema(keys: tuple[str, str]) -> dict[str, Any]:
    """JSON Schema for :func:`require_one_of` with :func:`refuse_both`: exactly one key, not empty."""
    return {"oneOf": [{"required": [key], "properties": {key: {"not": {"type": "null"}}}}
                      for key in keys]}


def refuse_both(value: Any, info: Any, other: str, code: str, message: str) -> Any:
    """A field validator's check that its alternative key was not given as well."""
    if info.data.get(other) is not None:
        raise PydanticCustomError(code, message, AT_KEY)
    return value
