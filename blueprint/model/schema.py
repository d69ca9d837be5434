"""The JSON Schema of the model format, for editors (hover help, completion, checks).

The schema accepts what the loader accepts, as far as JSON Schema can say it
(tests/test_model_schema.py holds both to that and lists what it cannot say:
sums, one value against another, integers written `2.0`). Pydantic writes
JSON Schema 2020-12 from the model classes; editors such as the YAML
language server read draft-07 best, so this module turns it into draft-07:
definitions move from ``$defs`` to ``definitions``, mappings keyed by an id
check their keys with ``propertyNames`` (pydantic's ``patternProperties``
alone would let any other key through unchecked), and the long id, name and
clock-time patterns are written once, as definitions.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from blueprint.model.base import CLOCK_PATTERN, IDENTIFIER_PATTERN, NAME_PATTERN
from blueprint.model.service import ServiceModel

__all__ = ["finite_numbers", "json_schema", "json_schema_text"]

SCHEMA_ID = "https://blueprint.dev/schema/blueprint-1.json"

_SHARED = {
    IDENTIFIER_PATTERN: ("Id", "An id: letters of any script, digits and underscores, not starting "
                               "with a digit; no spaces or invisible characters."),
    NAME_PATTERN: ("Name", "A name (free text) with no invisible characters or bidi controls."),
    CLOCK_PATTERN: ("ClockTime", 'A clock time "HH:MM" (24-hour, 0:00 to 24:00), e.g. "09:30".'),
}
_ANNOTATIONS = ("title", "description", "default")


def json_schema() -> dict[str, Any]:
    """The draft-07 JSON Schema of a version-1 model file."""
    schema = ServiceModel.model_json_schema(
        by_alias=True, ref_template="#/definitions/{model}", mode="validation"
    )
    definitions = schema.pop("$defs", {})
    schema, definitions = _portable(schema), {k: _portable(v) for k, v in definitions.items()}
    for pattern, (name, description) in _SHARED.items():
        definitions[name] = {"type": "string", "pattern": pattern, "description": description}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **schema,
        "definitions": dict(sorted(definitions.items())),
    }


def finite_numbers(node: Any) -> Any:
    """A schema whose every number is bounded by the largest float, recursively.

    JSON cannot write infinity, but YAML can (`.inf`, or `1e309`, which
    overflows), and editors read YAML: a bound refuses it as the loader does.
    Not-a-number (`.nan`) fails no comparison, so no JSON Schema can refuse it.
    """
    if isinstance(node, list):
        return [finite_numbers(item) for item in node]
    if not isinstance(node, dict):
        return node
    return _bounded({key: finite_numbers(value) for key, value in node.items()})


def _bounded(node: dict[str, Any]) -> dict[str, Any]:
    if node.get("type") == "number":
        if "minimum" not in node and "exclusiveMinimum" not in node:
            node["minimum"] = -sys.float_info.max
        if "maximum" not in node and "exclusiveMaximum" not in node:
            node["maximum"] = sys.float_info.max
    return node


def _portable(node: Any) -> Any:
    """Draft-07 forms of a pydantic schema node, recursively."""
    if isinstance(node, list):
        return [_portable(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = _bounded({key: _portable(value) for key, value in node.items()})
    patterns = node.get("patternProperties")
    if isinstance(patterns, dict) and len(patterns) == 1 and "additionalProperties" not in node:
        (pattern, value), = patterns.items()
        del node["patternProperties"]
        node["propertyNames"] = _shared({"type": "string", "pattern": pattern})
        node["additionalProperties"] = value
    return _shared(node)


def _shared(node: dict[str, Any]) -> dict[str, Any]:
    """A string node with one of the shared patterns, as a reference to its definition.

    Draft-07 ignores every keyword beside a `$ref`, so other checks on the same
    node (a step id is not `end`) are kept beside an `allOf` instead.
    """
    pattern = node.get("pattern")
    shared = _SHARED.get(pattern) if isinstance(pattern, str) and node.get("type") == "string" else None
    if shared is None:
        return node
    ref = {"$ref": f"#/definitions/{shared[0]}"}
    rest = {k: v for k, v in node.items() if k not in ("type", "pattern")}
    notes = {k: rest.pop(k) for k in _ANNOTATIONS if k in rest}
    return {"allOf": [ref], **rest, **notes} if rest else {**ref, **notes}


def json_schema_text() -> str:
    """The schema as the text committed in ``models/blueprint.schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
