"""The JSON Schema of the model format, for editors (hover help, completion).

Pydantic writes JSON Schema 2020-12; editors such as the YAML language server
read draft-07 best, so definitions move from ``$defs`` to ``definitions``.
"""

from __future__ import annotations

import json
from typing import Any

from blueprint.model.service import ServiceModel

__all__ = ["json_schema", "json_schema_text"]

SCHEMA_ID = "https://blueprint.dev/schema/blueprint-1.json"


def json_schema() -> dict[str, Any]:
    """The draft-07 compatible JSON Schema of a version-1 model file."""
    schema = ServiceModel.model_json_schema(
        by_alias=True, ref_template="#/definitions/{model}", mode="validation"
    )
    definitions = schema.pop("$defs", {})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **schema,
        "definitions": definitions,
    }


def json_schema_text() -> str:
    """The schema as the text committed in ``models/blueprint.schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
