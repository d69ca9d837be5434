"""Drawing the blueprint with Graphviz, in two passes, inside this process.

Pass 1 (:mod:`blueprint.render.routing`) pins every box where
:mod:`blueprint.render.layout` put it and lets Graphviz's `nop` engine route
the edges as splines around them. Pass 2 builds
the final picture — zone bands, lines, lanes, title, legend first, then the
boxes, then the routed edges — and renders it with `nop2`, which draws nodes
and edges exactly where they are. Bands drawn in pass 1 would have pushed the
edges around them; in pass 2 they are only paint.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pygraphviz as pgv

from blueprint.model import END, MINUTES_PER_UNIT, DayHorizon, ServiceModel, format_clock
from blueprint.render.graphviz import GraphvizWarning, graphviz_messages, inches, pinned
from blueprint.render.labels import html_label, text_line, tooltip, wrap
from blueprint.render.layout import Box, Geometry, compute_layout, evidence_lines
from blueprint.render.legend import add_legend, legend_rows
from blueprint.render.overlay import Overlay, text_on
from blueprint.render.routing import BADGE, badges, route
from blueprint.render.theme import Theme, cjk_font

__all__ = ["FORMATS", "GraphvizWarning", "build_drawing", "render_bytes"]

FORMATS = ("svg", "png", "pdf", "dot")

# --- pass 2: the picture -------------------------------------------------------------------


def build_drawing(model: ServiceModel, g: nx.MultiDiGraph, theme: Theme,
                  overlay: Overlay | None = None) -> pgv.AGraph:
    """The final Graphviz graph with every position fixed, ready for `nop2`."""
    geo = compute_layout(g, model, extra_rows=2 if overlay is not None else 0)
    routed = route(g, geo, model)
    legend = legend_rows(model, theme, overlay, geo.width - 32)
    legend_h = 28 + 15 * len(legend)
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
        return pinned(x, y, height)

    _bands(picture, geo, model, theme, place)
    _furniture(picture, geo, model, theme, place, overlay)
    _steps(picture, geo, model, g, theme, place, overlay)
    _marks(picture, geo, model, theme, place)
    _edges(picture, routed, theme, height - geo_height)
    add_legend(picture, geo, legend, legend_h, theme, place)
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
                     pos=place(row.x, row.y), width=inches(row.w), height=inches(row.h),
                     fixedsize="true", tooltip="Physical evidence")
    for zone, box in geo.zones.items():
        picture.add_node(f"zone-{zone}", id=f"zone-{zone}", shape="box", style="filled",
                         fillcolor=theme.zone_fill[zone], color=theme.zone_fill[zone], label="",
                         pos=place(box.x, box.y), width=inches(box.w), height=inches(box.h),
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
                         width=inches(box.w), height=inches(box.h), fixedsize="true",
                         penwidth="0.6", tooltip=tooltip(name))
        label_box_h = min(lane.height - 6, 40)
        picture.add_node(f"lane-label-{k}", shape="plaintext", label=html_label(rows, align="LEFT"),
                         pos=place(68, lane.top + lane.height / 2), width=inches(120),
                         height=inches(label_box_h))
    evidence_label = [text_line("Physical", 10, theme.text, bold=True),
                      text_line("evidence", 10, theme.text, bold=True)]
    picture.add_node("zone-evidence-label", shape="plaintext",
                     label=html_label(evidence_label, align="LEFT"),
                     pos=place(68, row.y), width=inches(120), height=inches(30), fixedsize="true")
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
                         pos=place(66, y - 7), width=inches(120), height=inches(11))


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
                     pos=place(16 + (title.w - 32) / 2, title.y), width=inches(title.w - 32),
                     height=inches(title.h - 8), fixedsize="true")
    for name, box in geo.phases.items():
        picture.add_node(f"phase-{name}", id=f"phase-{_css_id(name)}", shape="box",
                         style="rounded,filled", fillcolor=theme.phase_fill, color=theme.phase_fill,
                         label=html_label([text_line(name, 10, theme.text, bold=True)]),
                         pos=place(box.x, box.y), width=inches(box.w), height=inches(box.h),
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
                         width=inches(box.w), height=inches(box.h), fixedsize="true",
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
            label=html_label(rows), pos=place(box.x, box.y), width=inches(box.w),
            height=inches(box.h), fixedsize="true",
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
    boxes = {badge: box for (badge, _), box in badges(geo, model).items()}

    def badge(node_id: str, letter: str, colour: str, hint: str) -> None:
        solid = theme.name == "colour"  # in print, an outlined letter on white
        box = boxes[node_id]
        picture.add_node(
            node_id, id=node_id, shape="circle", style="filled",
            fillcolor=colour if solid else "#ffffff", color=colour, penwidth="1.2",
            fixedsize="true", width=inches(BADGE), height=inches(BADGE),
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
            attributes["label"] = html_label([text_line(d["text"], 8, theme.muted)],
                                             background=theme.background + "d9")
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
    with graphviz_messages():
        data = picture.draw(format=fmt, prog="nop2")
    return data
