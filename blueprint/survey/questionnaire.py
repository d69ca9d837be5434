"""The questionnaire a survey tool is loaded with: each moment of truth, asked on its dimensions.

One row per moment of truth × dimension (the step's `dimensions`, or all five
where it names none), each with an expectation and a perception statement in
the model's language; and the classic 22-item form for the service as a whole.
The `step` and `dimension` columns are the ones a response file gives back
(docs/quality.md), so answers exported from the survey tool read straight in.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from blueprint.files import Output, csv_text, write_outputs
from blueprint.model import DIMENSIONS, ServiceModel, Step, servqual_dimension
from blueprint.survey.items import ITEMS_PER_DIMENSION, SCALE_WORDS, TOUCHPOINT_STATEMENTS, TWENTY_TWO

__all__ = [
    "FORM_HEADER",
    "QUESTIONNAIRE_HEADER",
    "Question",
    "form_csv",
    "language",
    "moments_of_truth",
    "questionnaire",
    "questionnaire_csv",
    "twenty_two",
    "write_questionnaire",
]

MOMENT_ZONES = ("customer", "frontstage")

QUESTIONNAIRE_HEADER = ("item", "step", "step_name", "dimension", "tagged_as", "expectation_statement",
                        "perception_statement", "scale_low", "scale_high", "low_means", "high_means")
FORM_HEADER = ("item", "step", "dimension", "expectation_statement", "perception_statement",
               "scale_low", "scale_high", "low_means", "high_means")


@dataclass(frozen=True)
class Question:
    """One row of the questionnaire: a dimension asked at a step (``step`` None: model-wide)."""

    item: str
    step: str | None
    step_name: str | None
    dimension: str
    tagged_as: tuple[str, ...]
    expectation: str
    perception: str


def moments_of_truth(model: ServiceModel) -> list[Step]:
    """The steps a customer does or sees (customer and frontstage zones), in journey order."""
    return [s for s in model.steps if s.zone in MOMENT_ZONES]


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F


def language(model: ServiceModel) -> str:
    """``zh`` for a model written in Chinese (its name or its step names), else ``en``."""
    texts = [model.name, *(s.label for s in model.steps)]
    return "zh" if any(_is_cjk(c) for text in texts for c in text) else "en"


def questionnaire(model: ServiceModel) -> list[Question]:
    """Every moment of truth × dimension, with its two statements in the model's language."""
    lang = language(model)
    words = TOUCHPOINT_STATEMENTS[lang]
    rows = []
    for step in moments_of_truth(model):
        dimensions = step.servqual or list(DIMENSIONS)
        for dim in dimensions:
            tags = tuple(t for t in step.dimensions if servqual_dimension(t) == dim and t != dim)
            expectation, perception = words[dim]
            rows.append(Question(f"{step.id}.{dim}", step.id, step.label, dim, tags,
                                 expectation.format(step=step.label), perception.format(step=step.label)))
    return rows


def twenty_two(model: ServiceModel) -> list[Question]:
    """The classic model-wide form: 22 items, 4/5/4/4/5 over the five dimensions."""
    lang = language(model)
    assert sum(ITEMS_PER_DIMENSION.values()) == len(TWENTY_TWO) == 22
    return [Question(f"Q{item.number:02d}", None, None, item.dimension, (),
                     item.expectation[lang], item.perception[lang]) for item in TWENTY_TWO]


def _scale_cells(model: ServiceModel, scale: tuple[float, float]) -> tuple[str, str, str, str]:
    low, high = SCALE_WORDS[language(model)]
    return f"{scale[0]:g}", f"{scale[1]:g}", low, high


def questionnaire_csv(model: ServiceModel, scale: tuple[float, float] = (1, 7)) -> str:
    """The touchpoint questionnaire as CSV (:data:`QUESTIONNAIRE_HEADER`)."""
    cells = _scale_cells(model, scale)
    return csv_text(QUESTIONNAIRE_HEADER, (
        (q.item, q.step, q.step_name, q.dimension, " ".join(q.tagged_as), q.expectation, q.perception,
         *cells) for q in questionnaire(model)))


def form_csv(model: ServiceModel, scale: tuple[float, float] = (1, 7)) -> str:
    """The 22-item model-wide form as CSV (:data:`FORM_HEADER`); its `step` column is empty."""
    cells = _scale_cells(model, scale)
    return csv_text(FORM_HEADER, ((q.item, None, q.dimension, q.expectation, q.perception, *cells)
                                  for q in twenty_two(model)))


def write_questionnaire(model: ServiceModel, path: str | os.PathLike[str] | None,
                        form: str | os.PathLike[str] | None, scale: tuple[float, float],
                        protect: Iterable[str | os.PathLike[str]], names: tuple[str, str] = ("path", "form")
                        ) -> None:
    """The questionnaire to `path` and the 22-item form to `form` (either may be None): both
    checked — never onto an input in `protect`, never one file — before either is written.
    `names` are the options that gave them, for messages."""
    planned = []
    if path is not None:
        planned.append((Output(Path(path), names[0]), questionnaire_csv(model, scale)))
    if form is not None:
        planned.append((Output(Path(form), names[1]), form_csv(model, scale)))
    write_outputs(planned, protect)
