"""SERVQUAL's dimensions, as a designer may name them: five, the original ten, or in Chinese.

Parasuraman, Zeithaml and Berry first found ten determinants of service
quality (1985) and then, by factor analysis, folded them into five (1988):
competence, courtesy, credibility and security became *assurance*; access,
communication and understanding the customer became *empathy*. Designers
taught either list may tag a step with either, and Chinese teaching material
names them 有形性, 可靠性, 响应性, 保证性 and 移情性. A tag is kept as written (the
drawing and the questionnaire say what the designer wrote) and is counted
under its one of the five by :func:`servqual_dimension`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from blueprint.diagnostics import did_you_mean

__all__ = [
    "DIMENSIONS",
    "DIMENSION_TAGS",
    "FIVE",
    "ORIGINAL_TEN",
    "TEN_TAGS",
    "DimensionName",
    "DimensionTag",
    "servqual_dimension",
]

DimensionName = Literal["tangibles", "reliability", "responsiveness", "assurance", "empathy"]
DIMENSIONS: tuple[str, ...] = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
"""The five dimensions, in SERVQUAL's order (the order of the 22-item form)."""

FIVE = DIMENSIONS

ORIGINAL_TEN: dict[str, str] = {
    "tangibles": "tangibles",
    "reliability": "reliability",
    "responsiveness": "responsiveness",
    "competence": "assurance",
    "courtesy": "assurance",
    "credibility": "assurance",
    "security": "assurance",
    "access": "empathy",
    "communication": "empathy",
    "understanding": "empathy",
}
"""The ten determinants of 1985, each with the dimension of 1988 it was folded into."""

_SPELLINGS: dict[str, str] = {
    "understanding_the_customer": "empathy",
    "knowing_the_customer": "empathy",
    # Chinese: the five, with the variants textbooks use
    "有形性": "tangibles",
    "可靠性": "reliability",
    "响应性": "responsiveness",
    "反应性": "responsiveness",
    "保证性": "assurance",
    "移情性": "empathy",
    "关怀性": "empathy",
    "同理性": "empathy",
    # ... and the ten
    "能力": "assurance",
    "礼貌": "assurance",
    "可信性": "assurance",
    "安全性": "assurance",
    "可接近性": "empathy",
    "沟通": "empathy",
    "了解顾客": "empathy",
}

DIMENSION_TAGS: dict[str, str] = {**{d: d for d in DIMENSIONS}, **ORIGINAL_TEN, **_SPELLINGS}

TEN_TAGS: frozenset[str] = frozenset(
    {*ORIGINAL_TEN, "understanding_the_customer", "knowing_the_customer", "能力", "礼貌", "可信性",
     "安全性", "可接近性", "沟通", "了解顾客"} - set(DIMENSIONS))
"""The tags that name one of the original ten determinants that is not one of the five."""
"""Every tag accepted for a dimension, with the one of the five it counts under."""


def servqual_dimension(tag: str) -> str:
    """The one of the five dimensions that `tag` (five, ten, or Chinese) counts under."""
    return DIMENSION_TAGS[tag.strip().lower()]


def _known(tag: str) -> str:
    if tag.strip().lower() not in DIMENSION_TAGS:
        raise PydanticCustomError(
            "bad-value",
            f"{tag!r} is not a SERVQUAL dimension: use tangibles, reliability, responsiveness, "
            "assurance or empathy (or one of the original ten, or 有形性, 可靠性, 响应性, 保证性, "
            f"移情性){did_you_mean(tag, DIMENSION_TAGS)}",
        )
    return tag


DimensionTag = Annotated[
    str,
    AfterValidator(_known),
    WithJsonSchema({"type": "string", "enum": list(DIMENSION_TAGS),
                    "description": "One of the five SERVQUAL dimensions, one of the original ten "
                                   "(counted under its one of the five), or its Chinese name."}),
]
"""A dimension as a designer writes it; :func:`servqual_dimension` gives its one of the five."""
