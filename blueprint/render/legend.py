"""The legend under the drawing: what each line and mark means, and the fail points' notes."""

from __future__ import annotations

import pygraphviz as pgv

from blueprint.model import ServiceModel
from blueprint.render.graphviz import inches
from blueprint.render.labels import text_line, wrap
from blueprint.render.layout import Geometry
from blueprint.render.measure import fit_labels
from blueprint.render.overlay import Overlay, viridis
from blueprint.render.theme import Theme

__all__ = ["add_legend", "fit_legend", "legend_rows"]

_CHAR_W = 4.9  # rough width of a letter at 8.5 pt, for packing the legend into its box


def legend_rows(model: ServiceModel, theme: Theme, overlay: Overlay | None,
                 width: float) -> list[str]:
    """Legend lines packed to the drawing's width; fail-point footnotes wrapped."""

    def key(glyph: str, colour: str, meaning: str) -> tuple[str, int]:
        markup = f"{text_line(glyph, 9, colour, bold=True)} {text_line(meaning, 8.5, theme.text)}"
        return markup, len(glyph) + len(meaning) + 4

    keys = [
        key("━━▶", theme.touchpoint, "flow across the line of interaction (touchpoint)"),
        key("▢", theme.touchpoint, "touchpoint step (heavy border)"),
        key("──▶", theme.flow, "flow"),
        key("◇━▶", theme.fork, "parallel work (fork)"),
        key("╍╍▶", theme.fail, "fail-point jump"),
        key("┄┄▶", theme.link, "information link"),
        key("F", theme.fail, "fail point"),
        key("W", theme.wait, "wait point: the wait may exceed the standard"),
        key("std / tol", theme.text, "execution standard / longest acceptable wait"),
        key("▪", theme.text, "core evidence"),
        key("◆", theme.text, "peripheral evidence"),
    ]
    room = max(int((width - 40) / _CHAR_W), 40)
    rows = [text_line("Legend", 9.5, theme.text, bold=True)]
    line: list[str] = []
    used = 0
    for markup, size in keys:
        if line and used + size > room:
            rows.append("   ".join(line))
            line, used = [], 0
        line.append(markup)
        used += size
    rows.append("   ".join(line))
    for step in model.steps:
        for fail in step.fail_points:
            recovery = f" — recovery: {fail.recovery}" if fail.recovery else ""
            note = f"F {fail.id} at {step.id}: {fail.name} (p {fail.p:.0%}, {fail.effect}){recovery}"
            rows += [text_line(part, 8.5, theme.text) for part in wrap(note, room, 4)]
    if overlay is not None:
        cells = " ".join(text_line("█", 10, viridis(i / 9)) for i in range(10))
        rows.append(f'{text_line("mean wait  0 ", 8.5, theme.text)}{cells}'
                    f'{text_line(f" {overlay.scale_max:.3g} {model.time_unit}", 8.5, theme.text)}')
    return rows


def _legend_label(rows: list[str], width: float) -> str:
    cells = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows)
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" '
            f'WIDTH="{width - 24:.0f}">{cells}</TABLE>>')


def fit_legend(model: ServiceModel, theme: Theme, overlay: Overlay | None, width: float,
               font: str) -> tuple[str, float]:
    """The legend's label packed to fit `width` as measured in `font`, and the legend's height."""

    def label_for(room: int) -> str:
        return _legend_label(legend_rows(model, theme, overlay, room), width)

    fitted = fit_labels({"legend": (label_for, int(width), width - 24)}, font)["legend"]
    rows = fitted.label.count("<TR>")
    return fitted.label, max(28 + 15 * rows, fitted.height + 18)


def add_legend(picture: pgv.AGraph, geo: Geometry, label: str, height: float, theme: Theme,
               place) -> None:
    width = geo.width - 32
    picture.add_node("legend", id="legend", shape="box", style="rounded", color=theme.lane_rule,
                     label=label, pos=place(16 + width / 2, geo.height + height / 2 - 4),
                     width=inches(width), height=inches(height - 10), fixedsize="true",
                     penwidth="0.8")
