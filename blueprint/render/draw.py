"""Drawing the blueprint with Graphviz, in two passes, inside this process.

Pass 1 pins every box where :mod:`blueprint.render.layout` put it and lets
Graphviz's `nop` engine route the edges as splines around them. Pass 2 builds
the final picture — zone bands, lines, lanes, title, legend first, then the
boxes, then the routed edges — and renders it with `nop2`, which draws nodes
and edges exactly where they are. Bands drawn in pass 1 would have pushed the
edges around them; in pass 2 they are only paint.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pygraphviz as pgv

from blueprint.model import END, MINUTES_PER_UNIT, DayHorizon, ServiceModel, format_clock
from blueprint.render.labels import escape, html_label, text_line, tooltip, wrap
from blueprint.render.layout import Box, Geometry, compute_layout, evidence_lines
from blueprint.render.overlay import Overlay, text_on, viridis
from blueprint.render.theme import Theme, cjk_font

__all__ = ["FORMATS", "GraphvizWarning", "build_drawing", "render_bytes"]

FORMATS = ("svg", "png", "pdf", "dot")
BADGE = 14.0
_FONTS_CONF = Path(__file__).with_name("fonts.conf")


class GraphvizWarning(UserWarning):
    """Something Graphviz said while drawing (overlapping nodes, missing fonts...)."""


# --- Graphviz in-process, its messages caught -----------------------------------------------


@contextlib.contextmanager
def _graphviz_messages() -> Iterator[None]:
    """Graphviz writes warnings to file descriptor 2; turn them into Python warnings."""
    os.environ.setdefault("FONTCONFIG_FILE", str(_FONTS_CONF))
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            said = sink.read().decode("utf-8", "replace")
    for line in said.splitlines():
        if line.strip() and "Fontconfig" not in line:
            warnings.warn(f"Graphviz: {line.strip()}", GraphvizWarning, stacklevel=3)


def _pos(x: float, y: float, height: float) -> str:
    return f"{x:.2f},{height - y:.2f}!"


def _inches(points: float) -> float:
    return round(points / 72.0, 4)


# --- pass 1: route edges between pinned boxes ----------------------------------------------


def _obstacles(graph: pgv.AGraph, geo: Geometry, model: ServiceModel,
               columns: range | None = None) -> None:
    """Pin the boxes edges must avoid (only those in `columns`, when given)."""

    def wanted(step_id: str) -> bool:
        return columns is None or geo.column_of[step_id] in columns

    for step_id, box in geo.steps.items():
        if wanted(step_id):
            graph.add_node(step_id, pos=_pos(box.x, box.y, geo.height), width=_inches(box.w),
                           height=_inches(box.h), shape="box", fixedsize="true", label="")
    for step_id, box in geo.evidence.items():
        if wanted(step_id):
            graph.add_node(f"evidence-{step_id}", pos=_pos(box.x, box.y, geo.height),
                           width=_inches(box.w), height=_inches(box.h), shape="box",
                           fixedsize="true", label="")
    for (node_id, step_id), box in _badges(geo, model).items():
        if wanted(step_id):
            graph.add_node(node_id, pos=_pos(box.x, box.y, geo.height), width=_inches(BADGE),
                           height=_inches(BADGE), shape="circle", fixedsize="true", label="")


def _badges(geo: Geometry, model: ServiceModel) -> dict[tuple[str, str], Box]:
    """F badges along the top right of a step, W at its top left: (badge id, step id) -> box."""
    boxes: dict[tuple[str, str], Box] = {}
    for step in model.steps:
        box = geo.steps[step.id]
        y = box.top - BADGE / 2 - 4
        for k, fail in enumerate(step.fail_points):
            boxes[(f"fail-{fail.id}", step.id)] = Box(box.right - BADGE / 2 - k * (BADGE + 6), y,
                                                      BADGE, BADGE)
        if step.wait_point:
            boxes[(f"wait-{step.id}", step.id)] = Box(box.left + BADGE / 2, y, BADGE, BADGE)
    return boxes


def _journey_edges(g: nx.MultiDiGraph, model: ServiceModel) -> list[tuple[str, str, dict]]:
    """The edges worth drawing: not the ones into `end`, not the redo loops (a badge says it)."""
    drawn = []
    for u, v, d in g.edges(data=True):
        if v == END or (d["kind"] == "fail" and d.get("effect") != "goto"):
            continue
        drawn.append((u, v, d))
    order = {s.id: i for i, s in enumerate(model.steps)}
    return sorted(drawn, key=lambda e: (order[e[0]], order.get(e[1], 0), e[2]["kind"]))


def _edge_label(d: dict, classes: list[str]) -> str | None:
    if d["kind"] == "fail":
        return f"F {d['fail_point']}"
    if d["kind"] == "link":
        return d.get("label")
    if d["kind"] != "flow":
        return None
    p = d["p"]
    if list(p) == [None]:
        value = p[None]
        text = None if value == 1 else f"{value:.0%}"
    else:
        text = " · ".join(f"{name} {p[name]:.0%}" for name in classes if p.get(name))
    label = d.get("label")
    return " ".join(part for part in (label, text) if part) or None


def _route(g: nx.MultiDiGraph, geo: Geometry, model: ServiceModel) -> list[tuple[str, str, dict]]:
    """Route every edge around the boxes of the columns it spans (and one either side).

    Routing all edges among all boxes at once grows much faster than the drawing;
    an edge only ever bends around the boxes near its path, so each group of
    edges with the same span is routed among just those boxes.
    """
    edges = _journey_edges(g, model)
    classes = model.demand.class_names
    spans: dict[range, list[int]] = {}
    for k, (u, v, _) in enumerate(edges):
        low, high = sorted((geo.column_of[u], geo.column_of[v]))
        spans.setdefault(range(low - 1, high + 2), []).append(k)
    routes: dict[int, tuple[str, str | None]] = {}
    for columns, members in spans.items():
        routing = pgv.AGraph(directed=True, strict=False, splines="true", notranslate="true",
                             bb=f"0,0,{geo.width:.2f},{geo.height:.2f}", sep="+2", esep="+1")
        routing.node_attr.update(fontsize="8", fontname="Helvetica")
        routing.edge_attr.update(fontsize="8", fontname="Helvetica")
        _obstacles(routing, geo, model, columns)
        for k in members:
            u, v, d = edges[k]
            attributes = {"key": str(k)}
            label = _edge_label(d, classes)
            if label:
                attributes["label"] = escape(label)
            if d["kind"] == "link" and d.get("both"):
                attributes["dir"] = "both"
            routing.add_edge(u, v, **attributes)
        with _graphviz_messages():
            routing.layout(prog="nop")
        for k in members:
            edge = routing.get_edge(edges[k][0], edges[k][1], key=str(k))
            routes[k] = (edge.attr.get("pos") or "", edge.attr.get("lp"))
    return [(u, v, {**d, "pos": routes[k][0], "lp": routes[k][1],
                    "text": _edge_label(d, classes)}) for k, (u, v, d) in enumerate(edges)]


# --- pass 2: the picture -------------------------------------------------------------------


def build_drawing(model: ServiceModel, g: nx.MultiDiGraph, theme: Theme,
                  overlay: Overlay | None = None) -> pgv.AGraph:
    """The final Graphviz graph with every position fixed, ready for `nop2`."""
    geo = compute_layout(g, model, extra_rows=2 if overlay is not None else 0)
    routed = _route(g, geo, model)
    legend_rows = _legend_rows(model, theme, overlay, geo.width - 32)
    legend_h = 28 + 15 * len(legend_rows)
    height = geo.height + legend_h
    geo_height = geo.height
    font = _font_for(model, theme)
    picture = pgv.AGraph(directed=True, strict=False, outputorder="nodesfirst",
                         notranslate="true", bgcolor=theme.background, pad="0.1",
                         bb=f"0,0,{geo.width:.2f},{height:.2f}", fontname=font,
                         id="blueprint", tooltip=tooltip(model.name))
    picture.node_attr.update(fontname=font, margin="0", penwidth="1")
    picture.edge_attr.update(fontname=font, fontsize="8", arrowsize="0.7")

    def place(x: float, y: float) -> str:
        return _pos(x, y, height)

    _bands(picture, geo, model, theme, place)
    _furniture(picture, geo, model, theme, place, overlay)
    _steps(picture, geo, model, g, theme, place, overlay)
    _marks(picture, geo, model, theme, place)
    _edges(picture, routed, theme, height - geo_height)
    _legend(picture, geo, legend_rows, legend_h, theme, place)
    return picture


def _font_for(model: ServiceModel, theme: Theme) -> str:
    texts = [model.name, *(s.label for s in model.steps)]
    if any(ord(ch) > 0x2E80 for text in texts for ch in text):
        family = cjk_font()
        if family:
            return f"{family},{theme.font}"
    return theme.font


def _bands(picture: pgv.AGraph, geo: Geometry, model: ServiceModel, theme: Theme, place) -> None:
    row = geo.evidence_row
    picture.add_node("zone-evidence", id="zone-evidence", shape="box", style="filled",
                     fillcolor="#ffffff", color=theme.lane_rule, label="",
                     pos=place(row.x, row.y), width=_inches(row.w), height=_inches(row.h),
                     fixedsize="true", tooltip="Physical evidence")
    for zone, box in geo.zones.items():
        picture.add_node(f"zone-{zone}", id=f"zone-{zone}", shape="box", style="filled",
                         fillcolor=theme.zone_fill[zone], color=theme.zone_fill[zone], label="",
                         pos=place(box.x, box.y), width=_inches(box.w), height=_inches(box.h),
                         fixedsize="true", tooltip=f"{zone} zone")
    for k, lane in enumerate(geo.lanes):
        name = lane.actor or lane.zone
        box = Box(geo.width / 2, lane.top + lane.height / 2, geo.width, lane.height)
        first = k == 0 or geo.lanes[k - 1].zone != lane.zone
        rows = [text_line(lane.zone.capitalize(), 10, theme.text, bold=True)] if first else []
        if lane.actor or not first:
            rows += [text_line(part, 9, theme.muted)
                     for part in wrap(lane.actor or "(no actor named)", 20, 2)]
        picture.add_node(f"lane-{k}", id=f"lane-{lane.zone}-{_css_id(lane.actor or 'main')}",
                         shape="box", style="",
                         color=theme.lane_rule, label="", pos=place(box.x, box.y),
                         width=_inches(box.w), height=_inches(box.h), fixedsize="true",
                         penwidth="0.6", tooltip=tooltip(name))
        label_box_h = min(lane.height - 6, 40)
        picture.add_node(f"lane-label-{k}", shape="plaintext", label=html_label(rows, align="LEFT"),
                         pos=place(68, lane.top + lane.height / 2), width=_inches(120),
                         height=_inches(label_box_h))
    evidence_label = [text_line("Physical", 10, theme.text, bold=True),
                      text_line("evidence", 10, theme.text, bold=True)]
    picture.add_node("zone-evidence-label", shape="plaintext",
                     label=html_label(evidence_label, align="LEFT"),
                     pos=place(68, row.y), width=_inches(120), height=_inches(30), fixedsize="true")
    names = {"interaction": "line of interaction", "visibility": "line of visibility",
             "internal": "line of internal interaction"}
    for line, y in geo.lines.items():
        left, right = f"line-{line}-start", f"line-{line}-end"
        for node, x in ((left, 0.0), (right, geo.width)):
            picture.add_node(node, shape="point", style="invis", width="0.01", height="0.01",
                             pos=place(x, y), label="")
        flipped = picture.get_node(left).attr["pos"].rstrip("!")
        x0, y0 = (float(v) for v in flipped.split(","))
        picture.add_edge(left, right, id=f"line-{line}", dir="none", style="dashed",
                         penwidth="1.6", color=theme.line_colour,
                         pos=f"{x0:.2f},{y0:.2f} {geo.width / 3:.2f},{y0:.2f} "
                             f"{2 * geo.width / 3:.2f},{y0:.2f} {geo.width:.2f},{y0:.2f}",
                         tooltip=names[line])
        picture.add_node(f"line-{line}-label", id=f"line-{line}-label", shape="plaintext",
                         label=html_label([text_line(names[line], 8, theme.line_colour,
                                                     italic=True)], align="LEFT"),
                         pos=place(66, y - 7), width=_inches(120), height=_inches(11))


def _furniture(picture: pgv.AGraph, geo: Geometry, model: ServiceModel, theme: Theme, place,
               overlay: Overlay | None) -> None:
    horizon = model.horizon
    when = (f"{format_clock(horizon.open)}–{format_clock(horizon.close)}"
            if isinstance(horizon, DayHorizon) else f"steady state, {horizon.length:g} {model.time_unit}")
    subtitle = f"Service blueprint · {len(model.steps)} steps · {when} · mean durations shown"
    if overlay is not None:
        subtitle += " · coloured by mean wait (simulated)"
    rows = [text_line(model.name, 17, theme.text, bold=True), text_line(subtitle, 9.5, theme.muted)]
    title = geo.title
    assert title is not None
    picture.add_node("title", id="title", shape="plaintext", label=html_label(rows, align="LEFT"),
                     pos=place(16 + (title.w - 32) / 2, title.y), width=_inches(title.w - 32),
                     height=_inches(title.h - 8), fixedsize="true")
    for name, box in geo.phases.items():
        picture.add_node(f"phase-{name}", id=f"phase-{_css_id(name)}", shape="box",
                         style="rounded,filled", fillcolor=theme.phase_fill, color=theme.phase_fill,
                         label=html_label([text_line(name, 10, theme.text, bold=True)]),
                         pos=place(box.x, box.y), width=_inches(box.w), height=_inches(box.h),
                         fixedsize="true")
    for step_id, box in geo.evidence.items():
        step = model.step(step_id)
        rows = [
            text_line(("◆ " if item.kind == "peripheral" else "▪ ") * (k == 0) + ("   " if k else "")
                      + line, 8.5, theme.text)
            for item in step.evidence for k, line in enumerate(evidence_lines(item.name))
        ]
        picture.add_node(f"evidence-{step_id}", id=f"evidence-{step_id}", shape="note",
                         style="filled", fillcolor=theme.evidence_fill, color=theme.evidence_border,
                         label=html_label(rows, align="LEFT"), pos=place(box.x, box.y),
                         width=_inches(box.w), height=_inches(box.h), fixedsize="true",
                         tooltip=tooltip("; ".join(f"{e.name} ({e.kind})" for e in step.evidence)))


def _css_id(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


def _duration_text(step, unit: str) -> str | None:
    if step.duration is None:
        return None
    approx = "" if getattr(step.duration, "dist", "fixed") == "fixed" else "~"
    return approx + readable_duration(step.duration.mean, unit)


def readable_duration(value: float, unit: str) -> str:
    """A duration in whichever of s, min, h reads best: 0.004 h -> '14.4 s', 150 min -> '2.5 h'."""
    minutes = value * MINUTES_PER_UNIT[unit]
    if minutes >= 120:
        return f"{_number(minutes / 60)} h"
    if minutes >= 1 or minutes == 0:
        return f"{_number(minutes)} min"
    return f"{_number(minutes * 60)} s"


def _number(value: float) -> str:
    """3 significant figures, but never in exponent notation: 1020, 4.67, 0.25."""
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _steps(picture: pgv.AGraph, geo: Geometry, model: ServiceModel, g: nx.MultiDiGraph,
           theme: Theme, place, overlay: Overlay | None) -> None:
    touch = {u for u, v, d in g.edges(data=True) if "interaction" in d["crosses"]} | {
        v for u, v, d in g.edges(data=True) if "interaction" in d["crosses"]}
    for step in model.steps:
        box = geo.steps[step.id]
        fill = theme.step_fill[step.zone]
        ink, muted = theme.text, theme.muted
        colour = overlay.colour(step.id) if overlay else None
        if colour is not None:
            fill = colour
            ink = muted = text_on(colour)
        rows = [text_line(line, 10, ink, bold=True) for line in wrap(step.label, 22, 2)]
        details = [part for part in (
            (step.resource and model.resources[step.resource].name) or step.resource,
            _duration_text(step, model.time_unit),
        ) if part]
        if details:
            rows.append(text_line(" · ".join(details), 8, muted))
        standards = []
        if step.standard is not None:
            standards.append(f"std {readable_duration(step.standard, model.time_unit)}")
        if step.tolerance is not None:
            standards.append(f"tol {readable_duration(step.tolerance, model.time_unit)}")
        if step.join == "all":
            standards.append("waits for all")
        ends = [d["p"] for _, v, d in g.out_edges(step.id, data=True) if v == END and d["kind"] == "flow"]
        if ends and list(ends[0]) == [None] and 0 < ends[0][None] < 1:
            standards.append(f"{ends[0][None]:.0%} leave")
        if standards:
            rows.append(text_line(" · ".join(standards), 8, muted))
        if overlay is not None and step.id in overlay.steps:
            rows += [text_line(text, 8, ink, bold=True)
                     for text in _overlay_text(overlay, step.id, model.time_unit)]
        joins = step.join == "all"
        border = (theme.fork if joins else
                  theme.touchpoint if step.id in touch and step.zone == "customer" else
                  theme.step_border)
        picture.add_node(
            step.id, id=f"step-{step.id}", shape="box", style="rounded,filled", fillcolor=fill,
            color=border, penwidth="2" if step.id in touch or joins else "1.1",
            peripheries="2" if joins else "1",
            label=html_label(rows), pos=place(box.x, box.y), width=_inches(box.w),
            height=_inches(box.h), fixedsize="true",
            tooltip=tooltip(f"{step.label} ({step.id}, {step.zone})"
                            + (f"\n{step.description}" if step.description else "")),
        )


def _overlay_text(overlay: Overlay, step_id: str, unit: str) -> list[str]:
    f = overlay.steps[step_id]
    rows = []
    if f.wait_mean is not None:
        p90 = f" · p90 {_number(f.wait_p90)}" if f.wait_p90 is not None else ""
        rows.append(f"wait {_number(f.wait_mean)}{p90} {unit}")
    if f.utilization is not None:
        rows.append(f"utilisation {f.utilization:.0%}")
    return rows


def _marks(picture: pgv.AGraph, geo: Geometry, model: ServiceModel, theme: Theme, place) -> None:
    boxes = {badge: box for (badge, _), box in _badges(geo, model).items()}

    def badge(node_id: str, letter: str, colour: str, hint: str) -> None:
        solid = theme.name == "colour"  # in print, an outlined letter on white
        box = boxes[node_id]
        picture.add_node(
            node_id, id=node_id, shape="circle", style="filled",
            fillcolor=colour if solid else "#ffffff", color=colour, penwidth="1.2",
            fixedsize="true", width=_inches(BADGE), height=_inches(BADGE),
            label=html_label([text_line(letter, 8.5, "#ffffff" if solid else theme.text,
                                        bold=True)]),
            pos=place(box.x, box.y), tooltip=tooltip(hint),
        )

    for step in model.steps:
        for fail in step.fail_points:
            recovery = f"\nRecovery: {fail.recovery}" if fail.recovery else ""
            badge(f"fail-{fail.id}", "F", theme.fail,
                  f"Fail point {fail.id}: {fail.name} (p {fail.p:.0%}, {fail.effect}){recovery}")
        if step.wait_point:
            limit = (f" (tolerance {readable_duration(step.tolerance, model.time_unit)})"
                     if step.tolerance is not None else "")
            badge(f"wait-{step.id}", "W", theme.wait,
                  f"Wait point: the wait at {step.label} may exceed the standard{limit}")


def _shift(pos: str, dy: float) -> str:
    """Move a routed spline by dy points (pass 2's canvas is taller: the legend)."""
    moved = []
    for token in pos.split():
        prefix = ""
        if token.startswith(("e,", "s,")):
            prefix, token = token[:2], token[2:]
        x, y = token.split(",")
        moved.append(f"{prefix}{x},{float(y) + dy:.2f}")
    return " ".join(moved)


def _edges(picture: pgv.AGraph, routed: list[tuple[str, str, dict]], theme: Theme,
           dy: float) -> None:
    for k, (u, v, d) in enumerate(routed):
        attributes: dict[str, Any] = {"id": f"edge-{u}-{v}-{k}", "key": str(k),
                                      "pos": _shift(d["pos"], dy)}
        if d.get("lp"):
            x, y = d["lp"].split(",")
            attributes["lp"] = f"{x},{float(y) + dy:.2f}"
        if d.get("text"):
            attributes["label"] = html_label([text_line(d["text"], 8, theme.muted)])
        kind = d["kind"]
        if kind == "flow":
            touch = "interaction" in d["crosses"]
            attributes.update(color=theme.touchpoint if touch else theme.flow,
                              penwidth="2.2" if touch else "1.2")
            attributes["class"] = "touchpoint" if touch else "flow"
        elif kind == "fork":
            attributes.update(color=theme.fork, penwidth="2", arrowtail="odiamond", dir="both",
                              style="bold")
            attributes["class"] = "fork"
        elif kind == "fail":
            attributes.update(color=theme.fail, style="dashed", penwidth="1.4",
                              fontcolor=theme.fail)
            attributes["class"] = "fail"
        else:
            attributes.update(color=theme.link, style="dashed", penwidth="1",
                              arrowhead="vee", dir="both" if d.get("both") else "forward",
                              arrowtail="vee")
            attributes["class"] = "link"
        picture.add_edge(u, v, **attributes)


_CHAR_W = 4.9  # rough width of a letter at 8.5 pt, for packing the legend into its box


def _legend_rows(model: ServiceModel, theme: Theme, overlay: Overlay | None,
                 width: float) -> list[str]:
    """Legend lines packed to the drawing's width; fail-point footnotes wrapped."""

    def key(glyph: str, colour: str, meaning: str) -> tuple[str, int]:
        markup = f"{text_line(glyph, 9, colour, bold=True)} {text_line(meaning, 8.5, theme.text)}"
        return markup, len(glyph) + len(meaning) + 4

    keys = [
        key("━━▶", theme.touchpoint, "flow across the line of interaction (touchpoint)"),
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
    rows, line, used = [text_line("Legend", 9.5, theme.text, bold=True)], [], 0
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


def _legend(picture: pgv.AGraph, geo: Geometry, rows: list[str], height: float, theme: Theme,
            place) -> None:
    width = geo.width - 32
    cells = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows)
    label = (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1" '
             f'WIDTH="{width - 24:.0f}">{cells}</TABLE>>')
    picture.add_node("legend", id="legend", shape="box", style="rounded", color=theme.lane_rule,
                     label=label, pos=place(16 + width / 2, geo.height + height / 2 - 4),
                     width=_inches(width), height=_inches(height - 10), fixedsize="true",
                     penwidth="0.8")


# --- output ---------------------------------------------------------------------------------


def render_bytes(model: ServiceModel, g: nx.MultiDiGraph, fmt: str, theme: Theme,
                 overlay: Overlay | None = None, dpi: float = 96.0) -> bytes:
    """The drawing in one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    picture = build_drawing(model, g, theme, overlay)
    if fmt == "dot":
        return picture.string().encode("utf-8")
    if fmt == "png":
        picture.graph_attr["dpi"] = f"{dpi:g}"
    with _graphviz_messages():
        data = picture.draw(format=fmt, prog="nop2")
    return data
