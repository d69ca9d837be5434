"""A survey laid over the blueprint: where customers found less than they expected.

Each moment of truth (a customer or frontstage step) the survey asked about is
filled by its SERVQUAL gap, perception − expectation, on a diverging scale:
red below expectation, pale near none, blue above; full colour at a gap of
:data:`SATURATION` of the answer scale's span (2 points on 1–7) or more. The
step also carries the gap in words — ``gap −1.4 ±0.2``, the mean over
respondents and half its 95% interval — with ``▼`` where the whole interval
is below zero (significantly below expectation; the border is heavy and red
as well) and ``▲`` where it is above, and the mean expectation and perception.
So no colour has to be told apart to be read, and the greyscale print theme,
which shades only gaps below expectation, loses nothing. Steps the survey has
no answers for keep their usual fill.

The input is the quality file of ``blueprint quality --json`` (its layout:
the ``touchpoints``, ``servqual`` and ``scale`` of a quality document), read
leniently, since a file may come from elsewhere; a step it names that the
model does not have, or that is no moment of truth, is an error placed at the
step's key in the file.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from typing import Any

from blueprint.diagnostics import Diagnostic, ModelError, did_you_mean
from blueprint.model import ServiceModel
from blueprint.model.ids import nfc
from blueprint.render.theme import THEMES, Theme, mix, text_on

__all__ = ["MOMENTS_OF_TRUTH", "SATURATION", "Gap", "QualityOverlay", "figure_number", "is_quality",
           "read_quality"]

SATURATION = 2 / 6                       # full colour at this share of the scale's span
MOMENTS_OF_TRUTH = ("customer", "frontstage")
_SCALE = (1.0, 7.0)                      # the answers' scale where the file names none


def is_quality(document: object) -> bool:
    """Whether a parsed JSON document is a quality file (it has `touchpoints` and `servqual`)."""
    return isinstance(document, dict) and "touchpoints" in document and "servqual" in document


@dataclass(frozen=True)
class Gap:
    """A touchpoint's survey figures: its gap (perception − expectation) and what it is made of."""

    mean: float
    ci95: tuple[float, float] | None = None
    n: int | None = None
    expectation: float | None = None      # the touchpoint's importance (mean expectation)
    perception: float | None = None       # its performance (mean perception)
    quadrant: str | None = None
    dimensions: dict[str, float] = field(default_factory=dict)

    @property
    def significance(self) -> str | None:
        """'below' where the 95% interval lies under zero, 'above' where over it, else None."""
        if self.ci95 is None:
            return None
        if self.ci95[1] < 0:
            return "below"
        if self.ci95[0] > 0:
            return "above"
        return None

    @property
    def half_width(self) -> float | None:
        return None if self.ci95 is None else (self.ci95[1] - self.ci95[0]) / 2


@dataclass
class QualityOverlay:
    """Survey gaps per touchpoint, and the scale they are on."""

    steps: dict[str, Gap] = field(default_factory=dict)
    scale: tuple[float, float] = _SCALE
    respondents: int | None = None
    servqual: Gap | None = None            # the unweighted SERVQUAL score (mean of the dimensions)
    servqual_weighted: Gap | None = None
    source: str = ""

    @property
    def saturation(self) -> float:
        """The gap, either way, at which a step's colour is full."""
        return (self.scale[1] - self.scale[0]) * SATURATION

    @property
    def caption(self) -> str:
        """What the colours of the drawing say, for its subtitle."""
        who = f", {self.respondents} respondents" if self.respondents else ""
        return f"moments of truth coloured by survey gap (perception − expectation{who})"

    def shade(self, gap: float, theme: Theme = THEMES["colour"]) -> str:
        """The fill for a gap: the theme's diverging scale, full at :attr:`saturation` either way."""
        stops = theme.gap_scale
        middle = (len(stops) - 1) / 2
        share = gap / self.saturation if self.saturation > 0 else math.copysign(gap != 0, gap)
        position = middle + max(-1.0, min(1.0, share)) * middle
        low = min(int(position), len(stops) - 2)
        return mix(stops[low], stops[low + 1], position - low)

    def colour(self, step_id: str, theme: Theme = THEMES["colour"]) -> str | None:
        """The fill of a step: its gap's shade, or None without survey answers."""
        gap = self.steps.get(step_id)
        return None if gap is None else self.shade(gap.mean, theme)

    def ink(self, step_id: str, theme: Theme = THEMES["colour"]) -> str:
        """The colour of text on the step's fill."""
        colour = self.colour(step_id, theme)
        return text_on(colour) if colour else "#000000"

    def border(self, step_id: str, theme: Theme = THEMES["colour"]) -> tuple[str, float] | None:
        """A heavy border (colour, width) for a gap significantly below expectation."""
        gap = self.steps.get(step_id)
        if gap is None or gap.significance != "below":
            return None
        return theme.fail, 3.5

    def figures_text(self, step_id: str, unit: str = "") -> list[str]:
        """The lines of figures written on a step: its gap, then what it is made of."""
        gap = self.steps[step_id]
        mark = {"below": "▼ ", "above": "▲ "}.get(gap.significance or "", "")
        spread = f" ±{_plain(gap.half_width)}" if gap.half_width is not None else ""
        count = f" · n {gap.n}" if gap.n is not None else ""
        rows = [f"{mark}gap {signed(gap.mean)}{spread}{count}"]
        if gap.expectation is not None and gap.perception is not None:
            rows.append(f"expected {_plain(gap.expectation)} · perceived {_plain(gap.perception)}")
        return rows

    def hint(self, step_id: str) -> str | None:
        """The figures in full, for the step's tooltip."""
        gap = self.steps.get(step_id)
        if gap is None:
            return None
        lines = [f"Survey gap {signed(gap.mean)}"
                 + (f" (95% interval {signed(gap.ci95[0])} to {signed(gap.ci95[1])})"
                    if gap.ci95 is not None else "")
                 + (f", {gap.n} respondents" if gap.n is not None else "")]
        if gap.significance == "below":
            lines.append("significantly below expectation")
        elif gap.significance == "above":
            lines.append("significantly above expectation")
        if gap.expectation is not None and gap.perception is not None:
            lines.append(f"expectation {_plain(gap.expectation)}, perception {_plain(gap.perception)}")
        if gap.quadrant:
            lines.append(f"importance–performance: {gap.quadrant}")
        if gap.dimensions:
            lines.append(", ".join(f"{d} {signed(v)}" for d, v in gap.dimensions.items()))
        return "\n".join(lines)


def signed(value: float) -> str:
    """A gap to one decimal, with its sign (a true minus): −1.4, +0.2, 0.0."""
    text = f"{value:.1f}"
    if text.lstrip("-") == "0.0":
        return "0.0"
    return text.replace("-", "−") if value < 0 else "+" + text


def _plain(value: float | None) -> str:
    """A figure to one decimal (two where one would say 0.0)."""
    if value is None:
        return "-"
    text = f"{value:.1f}"
    return f"{value:.2f}" if text in ("0.0", "-0.0") and value != 0 else text


# --- reading -----------------------------------------------------------------------------


def figure_number(value: Any) -> float | None:
    """A finite number, or the mean of a {"mean": x, ...}; None for anything else."""
    if isinstance(value, dict):
        value = value.get("mean")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _interval(value: Any) -> tuple[float, float] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    low, high = (figure_number(v) for v in value)
    if low is None or high is None:
        return None
    return (low, high) if low <= high else (high, low)


def _count(value: Any) -> int | None:
    """A count: a whole number, not negative."""
    number = figure_number(value) if not isinstance(value, dict) else None
    return int(number) if number is not None and number >= 0 and number.is_integer() else None


def _gap(value: Any, **more: Any) -> Gap | None:
    """A {"mean", "ci95", "n"} read leniently (a bare number is a mean); None without a mean."""
    mean = figure_number(value)
    if mean is None:
        return None
    if not isinstance(value, dict):
        return Gap(mean, **more)
    return Gap(mean, _interval(value.get("ci95")), _count(value.get("n")), **more)


def _touchpoint(entry: Any) -> Gap | None:
    if not isinstance(entry, dict):
        return None
    dimensions = entry.get("dimensions")
    per_dimension = {}
    if isinstance(dimensions, dict):
        for name, figures in dimensions.items():
            mean = figure_number(figures.get("gap")) if isinstance(figures, dict) else None
            if isinstance(name, str) and mean is not None:
                per_dimension[name] = mean
    quadrant = entry.get("quadrant")
    return _gap(entry.get("gap"), expectation=figure_number(entry.get("importance")),
                perception=figure_number(entry.get("performance")),
                quadrant=quadrant if isinstance(quadrant, str) else None, dimensions=per_dimension)


def _scale(value: Any, name: str) -> tuple[float, float]:
    """The answers' scale, [lowest, highest]; 1–7 (with a warning) where it is not one."""
    if value is None:
        return _SCALE
    bounds = [figure_number(v) for v in value] if isinstance(value, list) else []
    if len(bounds) == 2 and bounds[0] is not None and bounds[1] is not None \
            and bounds[0] < bounds[1]:
        return bounds[0], bounds[1]
    warnings.warn(f"{name}: `scale` is not [lowest, highest] answer, so the gaps are read on a "
                  f"{_SCALE[0]:g}–{_SCALE[1]:g} scale", UserWarning, stacklevel=5)
    return _SCALE


def key_positions(text: str, depth: int = 2) -> dict[tuple[str, ...], tuple[int, int]]:
    """1-based (line, column) of each key of a JSON text down to `depth` mappings deep, by its
    path of keys (mappings inside lists are not followed). The text is valid JSON."""
    scan = json.decoder.scanstring  # type: ignore[attr-defined]
    found: dict[tuple[str, ...], tuple[int, int]] = {}
    stack: list[list[Any]] = []      # [is a mapping, expects a key, its current key]
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            word, end = scan(text, i + 1)
            top = stack[-1] if stack else None
            if top is not None and top[0] and top[1]:
                top[1], top[2] = False, word
                path = tuple(entry[2] for entry in stack)
                if all(entry[0] for entry in stack) and len(path) <= depth and path not in found:
                    line = text.count("\n", 0, i) + 1
                    found[path] = (line, i - (text.rfind("\n", 0, i) + 1) + 1)
            i = end
            continue
        if ch == "{":
            stack.append([True, True, None])
        elif ch == "[":
            stack.append([False, False, None])
        elif ch in "}]" and stack:
            stack.pop()
        elif ch == "," and stack and stack[-1][0]:
            stack[-1][1] = True
        i += 1
    return found


def read_quality(document: dict[str, Any], model: ServiceModel, name: str,
                 text: str | None = None) -> QualityOverlay:
    """A quality document (parsed; `text` is the file's, to place errors in) as an overlay.

    A touchpoint the model does not have, or that is not one of its moments of truth, is an
    error at its key (all of them at once); a figure that is not a number is left out.
    """
    touchpoints = document.get("touchpoints")
    where: dict[tuple[str, ...], tuple[int, int]] = {}

    def at(*path: str) -> tuple[int, int]:
        if text is not None and not where:
            where.update(key_positions(text))
        return where.get(path) or where.get(path[:1]) or (1, 1)

    if not isinstance(touchpoints, dict):
        raise ModelError([Diagnostic(name, *at("touchpoints"), "bad-overlay",
                                     "a quality file's `touchpoints` maps each step id to its "
                                     "survey figures (blueprint quality --json)")])
    ids = [s.id for s in model.steps]
    moments = [s.id for s in model.steps if s.zone in MOMENTS_OF_TRUTH]
    figures: dict[str, Any] = {}   # by the step's id as the model writes it (composed, NFC)
    problems = []
    for key, entry in touchpoints.items():
        step_id = nfc(key)
        if step_id not in ids:
            problems.append(Diagnostic(name, *at("touchpoints", key), "unknown-step",
                                       f"{key!r} is not a step of {model.name!r}"
                                       f"{did_you_mean(step_id, ids)}"))
        elif step_id not in moments:
            zone = model.step(step_id).zone
            problems.append(Diagnostic(name, *at("touchpoints", key), "not-a-touchpoint",
                                       f"{key!r} is a {zone} step: customers do not see it, so a "
                                       "survey has no gap for it"))
        else:
            figures[step_id] = entry
    if problems:
        raise ModelError(problems)
    named = document.get("model")
    if isinstance(named, str) and named != model.name:
        warnings.warn(f"{name}: this survey is of {named!r}, not of {model.name!r}; its "
                      "touchpoints are matched to the steps by id", UserWarning, stacklevel=4)
    servqual = document.get("servqual")
    scores: dict[str, Any] = servqual if isinstance(servqual, dict) else {}
    respondents = _count(document.get("respondents"))
    overlay = QualityOverlay(scale=_scale(document.get("scale"), name), respondents=respondents,
                             servqual=_score(scores, "unweighted"),
                             servqual_weighted=_score(scores, "weighted"), source=name)
    for step_id in ids:  # in the model's order
        gap = _touchpoint(figures.get(step_id))
        if gap is not None:
            overlay.steps[step_id] = gap
    return overlay


def _score(scores: dict[str, Any], which: str) -> Gap | None:
    """servqual's `unweighted` or `weighted` score: a number or a {"mean", ...}, with its
    `<which>_ci95` beside it."""
    gap = _gap(scores.get(which))
    if gap is None or gap.ci95 is not None:
        return gap
    return Gap(gap.mean, _interval(scores.get(f"{which}_ci95")), gap.n)
