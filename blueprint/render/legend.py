"""The legend under the drawing: what each line, mark and colour means, and the fail points' notes.

Only what the drawing shows is explained (a model without forks has no fork in
its legend). The keys are measured in the drawing's font and packed into rows
as wide as the drawing; the notes wrap to it; the frame is as tall as what it
holds.
"""

from __future__ import annotations

import pygraphviz as pgv

from blueprint.model import ServiceModel
from blueprint.render.graphviz import inches
from blueprint.render.labels import html_label, text_line, wrap
from blueprint.render.layout import Geometry
from blueprint.render.measure import fit_labels, label_sizes
from blueprint.render.overlay import NEAR, AnyOverlay, Overlay, neutral
from blueprint.render.quality import MOMENTS_OF_TRUTH, QualityOverlay, signed
from blueprint.render.theme import Theme

__all__ = ["add_legend", "fit_legend", "legend_keys"]

_SEPARATOR = 14.0   # room between two keys on a row, points
_PAD = 10.0         # room between the frame and the legend's text, points


def legend_keys(model: ServiceModel, theme: Theme) -> list[str]:
    """A key (glyph and meaning, as label markup) for each kind of mark the drawing has."""

    def key(glyph: str, colour: str, meaning: str) -> str:
        return f"{text_line(glyph, 9, colour, bold=True)} {text_line(meaning, 8.5, theme.text)}"

    steps = model.steps
    forks = any(getattr(s.next, "all", None) for s in steps)
    jumps = any(f.effect == "goto" for s in steps for f in s.fail_points)
    kinds = {e.kind for s in steps for e in s.evidence}
    keys = [
        key("━━▶", theme.touchpoint, "flow across the line of interaction (touchpoint)"),
        key("▢", theme.touchpoint, "touchpoint step (heavy border)"),
        key("──▶", theme.flow, "flow (its share where the way branches)"),
    ]
    if forks:
        keys += [key("◇━▶", theme.fork, "fork: the branches run in parallel"),
                 key("┃▶", theme.fork, "join: waits for all the branches")]
    if jumps:
        keys.append(key("╍╍▶", theme.fail, "fail-point jump"))
    if model.links:
        keys.append(key("┄┄▶", theme.link, "information link"))
    if any(s.fail_points for s in steps):
        keys.append(key("F", theme.fail, "fail point"))
    if any(s.wait_point for s in steps):
        keys.append(key("W", theme.wait, "wait point: the wait may exceed the standard"))
    if any(s.standard is not None or s.tolerance is not None for s in steps):
        keys.append(key("std / tol", theme.text, "execution standard / longest acceptable wait"))
    if "core" in kinds:
        keys.append(key("▪", theme.text, "core evidence"))
    if "peripheral" in kinds:
        keys.append(key("◆", theme.text, "peripheral evidence (the customer keeps it)"))
    return keys


def _swatch(colour: str, theme: Theme) -> str:
    """A square of `colour`; an outlined one where it would vanish into the background."""
    if colour.lower() == theme.background.lower():
        return text_line("□", 11, theme.text)
    return text_line("■", 11, colour)


def _overlay_keys(overlay: AnyOverlay, model: ServiceModel, theme: Theme) -> list[str]:
    if isinstance(overlay, QualityOverlay):
        return _quality_keys(overlay, model, theme)
    return _wait_keys(overlay, model, theme)


def _quality_keys(overlay: QualityOverlay, model: ServiceModel, theme: Theme) -> list[str]:
    low, high = overlay.scale
    top = overlay.saturation
    end = f"{top:.1f}".rstrip("0").rstrip(".")
    if overlay.shade(top, theme) != overlay.shade(0.0, theme):  # a diverging scale
        shown = [top * (i - 4) / 4 for i in range(9)]
        rest = f" +{end} or more (red: below what customers expected, blue: above it)"
    else:  # only gaps below expectation are shaded; the rest is the background
        shown = [top * (i - 4) / 4 for i in range(4)]
        rest = " to 0 or more, unshaded (darker: further below what customers expected)"
    cells = "".join(text_line("█", 10, overlay.shade(gap, theme)) for gap in shown)
    scale = (f"{text_line(f'−{end} or less ', 8.5, theme.text)}{cells}"
             f"{text_line(rest, 8.5, theme.text)}")
    keys = [text_line(f"Survey gap, perception − expectation ({low:g}–{high:g} scale):", 8.5,
                      theme.text, bold=True),
            scale,
            f"{text_line('gap −1.4 ±0.2 · n 150', 8.5, theme.text, bold=True)} "
            f"{text_line('the mean gap ± half its 95% interval, over n respondents', 8.5, theme.text)}"]
    found = {gap.significance for gap in overlay.steps.values()}
    if "below" in found:
        border = "a heavy red border" if theme.name == "colour" else "a heavy border"
        below = f"significantly below expectation (all of the interval under 0), with {border}"
        keys.append(f"{text_line('▼', 9, theme.fail, bold=True)} {text_line(below, 8.5, theme.text)}")
    if "above" in found:
        above = "significantly above expectation (all of the interval over 0)"
        keys.append(f"{text_line('▲', 9, theme.text, bold=True)} {text_line(above, 8.5, theme.text)}")
    if any(gap.expectation is not None and gap.perception is not None
           for gap in overlay.steps.values()):
        keys.append(text_line("expected · perceived: the mean answers", 8.5, theme.text))
    if any(s.zone in MOMENTS_OF_TRUTH and s.id not in overlay.steps for s in model.steps):
        keys.append(text_line("a customer or frontstage step in its usual colour: no survey answers "
                              "for it", 8.5, theme.text))
    if overlay.servqual is not None:
        score = overlay.servqual
        spread = f" ±{_half(score.ci95)}" if score.ci95 else ""
        weighted = (f" (weighted by importance {signed(overlay.servqual_weighted.mean)})"
                    if overlay.servqual_weighted is not None else "")
        who = f", {overlay.respondents} respondents" if overlay.respondents else ""
        keys.append(text_line(f"SERVQUAL score, the mean gap of the dimensions: {signed(score.mean)}"
                              f"{spread}{weighted}{who}", 8.5, theme.text, bold=True))
    return keys


def _half(interval: tuple[float, float] | None) -> str:
    return "-" if interval is None else f"{(interval[1] - interval[0]) / 2:.1f}"


def _wait_keys(overlay: Overlay, model: ServiceModel, theme: Theme) -> list[str]:
    unit = model.time_unit
    keys = []
    if overlay.statuses:
        keys.append(text_line("Mean wait against the step's tolerance (its standard where it has "
                              "no tolerance):", 8.5, theme.text, bold=True))
        keys += [f"{_swatch(theme.within, theme)} {text_line(f'within (up to {NEAR:.0%})', 8.5, theme.text)}",
                 f"{_swatch(theme.near, theme)} {text_line(f'near ({NEAR:.0%} to 100%)', 8.5, theme.text)}",
                 f"{_swatch(theme.beyond, theme)} {text_line('beyond it', 8.5, theme.text)}"]
    if overlay.neutral:
        cells = "".join(text_line("█", 10, neutral(i / 7, theme)) for i in range(8))
        top = f"{overlay.scale_max:.3g} {unit}"
        keys.append(text_line("No tolerance or standard:", 8.5, theme.text, bold=True))
        meaning = f" {top} (the longest of these steps: darker is a longer wait, not a worse one)"
        keys.append(f"{text_line('mean wait 0 ', 8.5, theme.text)}{cells}"
                    f"{text_line(meaning, 8.5, theme.text)}")
    return keys


def _pack(keys: list[str], widths: list[float], room: float) -> list[str]:
    """Keys into rows no wider than `room`, in order."""
    rows: list[str] = []
    line: list[str] = []
    used = 0.0
    for markup, width in zip(keys, widths, strict=True):
        if line and used + _SEPARATOR + width > room:
            rows.append("   ".join(line))
            line, used = [], 0.0
        used += width + (_SEPARATOR if line else 0.0)
        line.append(markup)
    if line:
        rows.append("   ".join(line))
    return rows


def _notes(model: ServiceModel, theme: Theme, columns: int) -> list[str]:
    rows = []
    for step in model.steps:
        for fail in step.fail_points:
            recovery = f" — recovery: {fail.recovery}" if fail.recovery else ""
            note = f"F {fail.id} at {step.id}: {fail.name} (p {fail.p:.0%}, {fail.effect}){recovery}"
            rows += [text_line(part, 8.5, theme.text) for part in wrap(note, columns)]
    return rows


def _legend_label(rows: list[str], width: float) -> str:
    cells = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" '
            f'WIDTH="{width:.0f}">{cells}</TABLE>>')


def fit_legend(model: ServiceModel, theme: Theme, overlay: AnyOverlay | None, width: float,
               font: str) -> tuple[str, float]:
    """The legend's label fitted to a frame `width` wide, as measured in `font`, and the
    height the legend takes under the drawing (its frame and the gap above it)."""
    room = width - 2 * _PAD
    keys = legend_keys(model, theme)
    overlay_keys = _overlay_keys(overlay, model, theme) if overlay is not None else []
    measured = label_sizes([html_label([k]) for k in keys + overlay_keys], font)
    widths = [w for w, _ in measured]
    rows = [text_line("Legend", 9.5, theme.text, bold=True),
            *_pack(keys, widths[:len(keys)], room - 4)]
    if overlay_keys:
        rows += _pack(overlay_keys, widths[len(keys):], room - 4)

    def label_for(columns: int) -> str:
        return _legend_label([*rows, *_notes(model, theme, columns)], room)

    fitted = fit_labels({"legend": (label_for, max(40, int(room / 4.4)), room + 1)}, font)["legend"]
    return fitted.label, fitted.height + 2 * _PAD + 10


def add_legend(picture: pgv.AGraph, geo: Geometry, label: str, height: float, theme: Theme,
               place) -> None:
    """The legend's frame and text under the drawing, `height` points including the gap above."""
    width = geo.width - 32
    picture.add_node("legend", id="legend", shape="box", style="rounded", color=theme.lane_rule,
                     label=label, pos=place(16 + width / 2, geo.height + height / 2 - 4),
                     width=inches(width), height=inches(height - 10), fixedsize="true",
                     penwidth="0.8")
