"""Every file format of the toolkit, with its JSON Schema as committed in ``models/``.

The model and study files are what users write; the rest are what commands
write (``--json``, ``--output-format json``). Each format is one pydantic
class, so the schema an editor or a validator reads is generated from the
very class the toolkit reads or writes with — and a test keeps the committed
files equal to the generator.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

__all__ = ["FORMATS", "Format", "draft07", "schema_of", "schema_text"]

BASE_ID = "https://blueprint.dev/schema/"


@dataclass(frozen=True)
class Format:
    """A file format: its name, the class behind it, and its committed schema file."""

    name: str
    file: str              # under models/
    written_by: str        # which command reads or writes it
    load: str              # "module:Class"

    def cls(self) -> type[BaseModel]:
        import importlib

        module, name = self.load.split(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("model", "blueprint.schema.json", "the model files (read by every command)",
           "blueprint.model.service:ServiceModel"),
    Format("study", "study.schema.json", "the study files (read by `blueprint whatif`)",
           "blueprint.analysis.study:StudySpec"),
    Format("results", "results.schema.json", "`blueprint simulate --json`",
           "blueprint.results.simulation:SimulationResults"),
    Format("study-results", "study-results.schema.json", "`blueprint whatif --json`",
           "blueprint.results.study:StudyResults"),
    Format("staffing", "staffing.schema.json", "`blueprint staff --json`",
           "blueprint.results.staffing:StaffingPlan"),
    Format("economics", "economics.schema.json", "`blueprint economics --json`",
           "blueprint.results.economics:Economics"),
    Format("info", "info.schema.json", "`blueprint info --output-format json`",
           "blueprint.results.info:ModelSummary"),
    Format("check", "check.schema.json", "`blueprint validate|lint --output-format json`",
           "blueprint.results.info:CheckReport"),
    Format("quality", "quality.schema.json", "`blueprint quality --json`",
           "blueprint.results.quality:Quality"),
    Format("gaps", "gaps.schema.json", "`blueprint gaps --json`",
           "blueprint.results.quality:FiveGaps"),
)}


def draft07(cls: type[BaseModel], schema_id: str, *, mode: str = "validation") -> dict[str, Any]:
    """A class's JSON Schema in draft-07 form, which editors (the YAML language server) read best.

    Pydantic writes 2020-12, with definitions under ``$defs``; draft-07 keeps
    them under ``definitions``.
    """
    schema = cls.model_json_schema(by_alias=True, ref_template="#/definitions/{model}",
                                   mode=mode)  # type: ignore[arg-type]
    definitions = schema.pop("$defs", {})
    return {"$schema": "http://json-schema.org/draft-07/schema#", "$id": schema_id, **schema,
            "definitions": definitions}


def schema_of(name: str) -> dict[str, Any]:
    """The JSON Schema of one format, by name (see FORMATS)."""
    if name == "model":
        from blueprint.model.schema import json_schema

        return json_schema()
    fmt = FORMATS[name]
    # documents the toolkit writes are described as written (serialisation), files it reads
    # as accepted (validation)
    mode = "validation" if name in ("model", "study") else "serialization"
    schema = draft07(fmt.cls(), f"{BASE_ID}{fmt.file}", mode=mode)
    if name == "study":  # a file users write: its numbers are finite, as the model's are
        from blueprint.model.schema import finite_numbers

        schema = finite_numbers(schema)
    return schema


def schema_text(name: str) -> str:
    """The schema as committed in ``models/<file>``."""
    return json.dumps(schema_of(name), indent=2, ensure_ascii=False) + "\n"
