"""Drawing the blueprint with Graphviz, in two passes, inside this process.

First the text of every box is set and measured in the drawing's font
(:mod:`blueprint.render.content`), so the grid has room for it. Pass 1
(:mod:`blueprint.render.routing`) pins every box where
:mod:`blueprint.render.layout` put it and lets Graphviz's `nop` engine route
the edges as splines around them; then each edge's label is placed clear of
everything else (:mod:`blueprint.render.edges`). Pass 2 builds the final
picture — zone bands, lines, lanes, title, legend first, then the boxes and
marks, then the routed edges — and renders it with `nop2`, which draws nodes
and edges exactly where they are. Bands drawn in pass 1 would have pushed the
edges around them; in pass 2 they are only paint.

A PDF can be laid on an A4 or A3 landscape page (:data:`PAGES`), the drawing
scaled to fit it.
"""

from __future__ import annotations

import networkx as nx
import pygraphviz as pgv

from blueprint import graph
from blueprint.model import ServiceModel
from blueprint.render import fonts
from blueprint.render.content import (
    BoxLabels,
    Names,
    badge_label,
    box_labels,
    evidence_label,
    readable_duration,
)
from blueprint.render.edges import add_edges, place_edge_labels
from blueprint.render.graphviz import GraphvizWarning, graphviz_messages, inches, one_drawing, pinned
from blueprint.render.labels import html_label, text_line, tooltip
from blueprint.render.layout import LANE_LABEL_W, STEP_W, Box, Geometry, compute_layout
from blueprint.render.legend import add_legend, fit_legend
from blueprint.render.overlay import AnyOverlay
from blueprint.render.routing import badges, fork_node, join_node, route
from blueprint.render.theme import Theme

__all__ = ["FORMATS", "PAGES", "GraphvizWarning", "build_drawing", "render_bytes"]

FORMATS = ("svg", "png", "pdf", "dot")
PAGES = {"a4": (297.0, 210.0), "a3": (420.0, 297.0)}  # landscape, millimetres
PAGE_MARGIN = 10.0                                      # millimetres all round

# --- pass 2: the picture -------------------------------------------------------------------


def build_drawing(model: ServiceModel, g: nx.MultiDiGraph, theme: Theme,
                  overlay: AnyOverlay | None = None, *, step_w: float = STEP_W) -> pgv.AGraph:
    """The final Graphviz graph with every position fixed, ready for `nop2`.

    ``step_w`` is the width of a step box in points; names wrap to it.
    """
    text = model.model_dump_json()  # every word of the model, to choose the font by
    font = fonts.drawing_font(text, theme.font)
    names = Names.of(model)
    labels = box_labels(model, g, theme, overlay, font, step_w, names)
    geo = compute_layout(g, model, extra_rows=2 if overlay is not None else 0, room=labels.room,
                         step_w=step_w)
    routes = route(g, geo, model)
    edge_labels = place_edge_labels(routes, geo, model, theme, font)
    legend, legend_h = fit_legend(model, theme, overlay, geo.width - 32, font)
    height = geo.height + legend_h
    picture = pgv.AGraph(directed=True, strict=False, outputorder="nodesfirst",
                         notranslate="true", bgcolor=theme.background, pad="0.1",
                         bb=f"0,0,{geo.width:.2f},{height:.2f}", fontname=font,
                         id="blueprint", tooltip=tooltip(model.name))
    picture.node_attr.update(fontname=font, margin="0", penwidth="1")
    picture.edge_attr.update(fontname=font, fontsize="8", arrowsize="0.7")

    def place(x: float, y: float) -> str:
        return pinned(x, y, height)

    _bands(picture, geo, theme, place, labels)
    _furniture(picture, geo, model, theme, place, labels)
    _steps(picture, geo, model, g, theme, place, overlay, labels)
    _marks(picture, geo, model, theme, place)
    _forks_and_joins(picture, geo, model, theme, place)
    add_edges(picture, routes, edge_labels, g, theme, height, geo.height)
    add_legend(picture, geo, legend, legend_h, theme, place)
    if fonts.glyphs_missing(text):
        _sized_for_the_viewer(picture)
    return picture


def _sized_for_the_viewer(picture: pgv.AGraph) -> None:
    """Boxes keep their size though Graphviz measures CJK text as missing-glyph boxes.

    With no CJK font here, the text was measured as a CJK font sets it (what an SVG
    viewer will draw); Graphviz's own measure of it is that of the boxes it would draw
    in place of each character, which PNG and PDF get (with a FontWarning). So its
    check of labels against their fixed boxes is beside the point: ``fixedsize=shape``
    keeps the sizes and leaves the label to the font that will draw it.
    """
    for node in picture.nodes():
        if node.attr.get("fixedsize") == "true" and node.attr.get("label"):
            node.attr["fixedsize"] = "shape"


def _bands(picture: pgv.AGraph, geo: Geometry, theme: Theme, place, labels: BoxLabels) -> None:
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
        picture.add_node(f"lane-{k}", id=f"lane-{lane.zone}-{_css_id(lane.actor or 'main')}",
                         shape="box", style="",
                         color=theme.lane_rule, label="", pos=place(box.x, box.y),
                         width=inches(box.w), height=inches(box.h), fixedsize="true",
                         penwidth="0.6", tooltip=tooltip(name))
        picture.add_node(f"lane-label-{k}", shape="plaintext",
                         label=labels.lanes[(lane.zone, lane.actor)],
                         pos=place(8 + LANE_LABEL_W / 2, lane.top + lane.height / 2),
                         width=inches(LANE_LABEL_W), height=inches(min(lane.height - 6, 40)))
    picture.add_node("zone-evidence-label", shape="plaintext", label=evidence_label(theme),
                     pos=place(8 + LANE_LABEL_W / 2, row.y), width=inches(LANE_LABEL_W),
                     height=inches(max(30.0, labels.room.evidence_label)), fixedsize="true")
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
                                                     italic=True)], align="LEFT",
                                          width=LANE_LABEL_W - 8),
                         pos=place(8 + LANE_LABEL_W / 2, y - 7), width=inches(LANE_LABEL_W),
                         height=inches(11))


def _furniture(picture: pgv.AGraph, geo: Geometry, model: ServiceModel, theme: Theme, place,
               labels: BoxLabels) -> None:
    title = geo.title
    assert title is not None
    picture.add_node("title", id="title", shape="plaintext", label=labels.title,
                     pos=place(16 + (title.w - 32) / 2, title.y), width=inches(title.w - 32),
                     height=inches(title.h - 8), fixedsize="true")
    for name, box in geo.phases.items():
        picture.add_node(f"phase-{name}", id=f"phase-{_css_id(name)}", shape="box",
                         style="rounded,filled", fillcolor=theme.phase_fill, color=theme.phase_fill,
                         label=labels.phases[name], tooltip=tooltip(name),
                         pos=place(box.x, box.y), width=inches(box.w), height=inches(box.h),
                         fixedsize="true")
    for step_id, box in geo.evidence.items():
        step = model.step(step_id)
        picture.add_node(f"evidence-{step_id}", id=f"evidence-{step_id}", shape="note",
                         style="filled", fillcolor=theme.evidence_fill, color=theme.evidence_border,
                         label=labels.evidence[step_id], pos=place(box.x, box.y),
                         width=inches(box.w), height=inches(box.h), fixedsize="true",
                         tooltip=tooltip("; ".join(f"{e.name} ({e.kind})" for e in step.evidence)))


def _css_id(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)


def _steps(picture: pgv.AGraph, geo: Geometry, model: ServiceModel, g: nx.MultiDiGraph,
           theme: Theme, place, overlay: AnyOverlay | None, labels: BoxLabels) -> None:
    touch = set(graph.touchpoints(g))
    for step in model.steps:
        box = geo.steps[step.id]
        colour = overlay.colour(step.id, theme) if overlay else None
        touchpoint = step.id in touch
        border, pen = (theme.touchpoint, 2.0) if touchpoint else (theme.step_border, 1.1)
        border, pen = (overlay.border(step.id, theme) if overlay else None) or (border, pen)
        hint = overlay.hint(step.id) if overlay else None
        picture.add_node(
            step.id, id=f"step-{step.id}", shape="box", style="rounded,filled",
            fillcolor=colour or theme.step_fill[step.zone], color=border, penwidth=f"{pen:g}",
            label=labels.steps[step.id],
            pos=place(box.x, box.y), width=inches(box.w), height=inches(box.h), fixedsize="true",
            tooltip=tooltip(f"{step.label} ({step.id}, {step.zone})"
                            + (f"\n{step.description}" if step.description else "")
                            + (f"\n{hint}" if hint else "")),
            **{"class": "step touchpoint" if touchpoint else "step"},
        )


def _marks(picture: pgv.AGraph, geo: Geometry, model: ServiceModel, theme: Theme, place) -> None:
    boxes = {badge: box for (badge, _), box in badges(geo, model).items()}

    def badge(node_id: str, letter: str, colour: str, hint: str) -> None:
        solid = theme.name == "colour"  # in print, an outlined letter on white
        box = boxes[node_id]
        picture.add_node(
            node_id, id=node_id, shape="circle", style="filled",
            fillcolor=colour if solid else "#ffffff", color=colour, penwidth="1.2",
            fixedsize="true", width=inches(box.w), height=inches(box.h),
            label=badge_label(letter, "#ffffff" if solid else theme.text),
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


def _forks_and_joins(picture: pgv.AGraph, geo: Geometry, model: ServiceModel, theme: Theme,
                     place) -> None:
    """A diamond where parallel work starts, a bar where its branches meet."""
    for step_id, box in geo.forks.items():
        step = model.step(step_id)
        branches = ", ".join(getattr(step.next, "all", []))
        picture.add_node(fork_node(step_id), id=fork_node(step_id), shape="diamond",
                         style="filled", fillcolor=theme.background, color=theme.fork,
                         penwidth="1.8", label="", fixedsize="true", width=inches(box.w),
                         height=inches(box.h), pos=place(box.x, box.y),
                         tooltip=tooltip(f"Fork: after {step.label}, {branches} run in parallel"),
                         **{"class": "fork"})
    for step_id, box in geo.joins.items():
        step = model.step(step_id)
        picture.add_node(join_node(step_id), id=join_node(step_id), shape="box", style="filled",
                         fillcolor=theme.fork, color=theme.fork, penwidth="1", label="",
                         fixedsize="true", width=inches(box.w), height=inches(box.h),
                         pos=place(box.x, box.y),
                         tooltip=tooltip(f"Join: {step.label} waits for all the parallel branches"),
                         **{"class": "join"})


# --- output ---------------------------------------------------------------------------------


def _on_page(picture: pgv.AGraph, page: str) -> None:
    """Scale the drawing to fit a landscape page inside its margins, centred; the PDF's page
    is then that size (to the point: Graphviz rounds it).

    Graphviz sizes the output to what it draws, not to `bb`: two invisible points at the
    canvas's corners make the two agree, so the scale is known here.
    """
    width_mm, height_mm = PAGES[page]
    page_w, page_h = width_mm / 25.4, height_mm / 25.4          # inches
    margin = PAGE_MARGIN / 25.4
    _, _, bb_w, bb_h = (float(v) / 72 for v in picture.graph_attr["bb"].split(","))
    for name, (x, y) in {"page-corner-low": (0.0, 0.0), "page-corner-high": (bb_w, bb_h)}.items():
        picture.add_node(name, shape="point", style="invis", width="0.01", height="0.01",
                         label="", pos=f"{x * 72:.2f},{y * 72:.2f}!")
    scale = min((page_w - 2 * margin) / bb_w, (page_h - 2 * margin) / bb_h)
    drawn_w, drawn_h = bb_w * scale, bb_h * scale
    picture.graph_attr.update(size=f"{drawn_w:.4f},{drawn_h:.4f}!", pad="0",
                              margin=f"{(page_w - drawn_w) / 2:.4f},{(page_h - drawn_h) / 2:.4f}")


def render_bytes(model: ServiceModel, g: nx.MultiDiGraph, fmt: str, theme: Theme,
                 overlay: AnyOverlay | None = None, dpi: float = 96.0, *, step_w: float = STEP_W,
                 page: str | None = None) -> bytes:
    """The drawing in one of FORMATS; ``page`` ('a4' or 'a3', PDF only) lays it on that page."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if page is not None and (page not in PAGES or fmt != "pdf"):
        raise ValueError(f"a page ({', '.join(PAGES)}) is for PDF output only" if page in PAGES
                         else f"unknown page {page!r}; use one of {', '.join(PAGES)}")
    with one_drawing():  # every Graphviz call of the drawing: each message said once
        picture = build_drawing(model, g, theme, overlay, step_w=step_w)
        if page is not None:
            _on_page(picture, page)
        if fmt == "dot":
            return picture.string().encode("utf-8")
        if fmt in ("png", "pdf"):
            fonts.warn_if_glyphs_missing([*(n.attr.get("label") or "" for n in picture.nodes()),
                                          *(e.attr.get("label") or "" for e in picture.edges())])
        if fmt == "png":
            picture.graph_attr["dpi"] = f"{dpi:g}"
        with graphviz_messages():
            data: bytes = picture.draw(format=fmt, prog="nop2")
    return data
