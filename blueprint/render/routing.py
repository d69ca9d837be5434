"""Pass 1: route the edges as splines around boxes pinned where the layout put them.

Graphviz's `nop` engine keeps every node where it is told and only draws the
edges, avoiding the boxes. Routing all edges among all boxes grows much
faster than the drawing, and an edge only bends around the boxes near its
path, so each group of edges is routed among the boxes of the columns it
spans (and one either side).
"""

from __future__ import annotations

import networkx as nx
import pygraphviz as pgv

from blueprint.model import END, ServiceModel
from blueprint.render.graphviz import graphviz_messages, inches, pinned
from blueprint.render.labels import escape
from blueprint.render.layout import BADGE, Box, Geometry

__all__ = ["BADGE", "badges", "edge_label", "route"]


def _obstacles(graph: pgv.AGraph, geo: Geometry, model: ServiceModel,
               columns: range | None = None) -> None:
    """Pin the boxes edges must avoid (only those in `columns`, when given)."""

    def wanted(step_id: str) -> bool:
        return columns is None or geo.column_of[step_id] in columns

    for step_id, box in geo.steps.items():
        if wanted(step_id):
            graph.add_node(step_id, pos=pinned(box.x, box.y, geo.height), width=inches(box.w),
                           height=inches(box.h), shape="box", fixedsize="true", label="")
    for step_id, box in geo.evidence.items():
        if wanted(step_id):
            graph.add_node(f"evidence-{step_id}", pos=pinned(box.x, box.y, geo.height),
                           width=inches(box.w), height=inches(box.h), shape="box",
                           fixedsize="true", label="")
    for (node_id, step_id), box in badges(geo, model).items():
        if wanted(step_id):
            graph.add_node(node_id, pos=pinned(box.x, box.y, geo.height), width=inches(box.w),
                           height=inches(box.h), shape="circle", fixedsize="true", label="")


def badges(geo: Geometry, model: ServiceModel) -> dict[tuple[str, str], Box]:
    """F badges along the top right of a step, W at its top left: (badge id, step id) -> box."""
    boxes: dict[tuple[str, str], Box] = {}
    size = geo.badge
    for step in model.steps:
        box = geo.steps[step.id]
        y = box.top - size / 2 - 4
        for k, fail in enumerate(step.fail_points):
            boxes[(f"fail-{fail.id}", step.id)] = Box(box.right - size / 2 - k * (size + 6), y,
                                                      size, size)
        if step.wait_point:
            boxes[(f"wait-{step.id}", step.id)] = Box(box.left + size / 2, y, size, size)
    return boxes


def _journey_edges(g: nx.MultiDiGraph, model: ServiceModel) -> list[tuple[str, str, dict]]:
    """The edges worth drawing: not the ones into `end`, not the redo loops (a badge says it)."""
    drawn = []
    for u, v, key, d in g.edges(keys=True, data=True):
        if v == END or (d["kind"] == "fail" and d.get("effect") != "goto"):
            continue
        drawn.append((u, v, {**d, "key": key}))
    order = {s.id: i for i, s in enumerate(model.steps)}
    return sorted(drawn, key=lambda e: (order[e[0]], order.get(e[1], 0), e[2]["kind"]))


def edge_label(d: dict, classes: list[str]) -> str | None:
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


def route(g: nx.MultiDiGraph, geo: Geometry, model: ServiceModel,
          font: str = "Helvetica") -> list[tuple[str, str, dict]]:
    """Route every edge around the boxes of the columns it spans (and one either side).

    Edge labels are set in `font`, the drawing's, so their room is what they will take.
    Each edge keeps its ``key`` in the graph.

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
        routing.node_attr.update(fontsize="8", fontname=font)
        routing.edge_attr.update(fontsize="8", fontname=font)
        _obstacles(routing, geo, model, columns)
        for k in members:
            u, v, d = edges[k]
            attributes = {"key": str(k)}
            label = edge_label(d, classes)
            if label:
                attributes["label"] = escape(label)
            if d["kind"] == "link" and d.get("both"):
                attributes["dir"] = "both"
            routing.add_edge(u, v, **attributes)
        with graphviz_messages():
            routing.layout(prog="nop")
        for k in members:
            edge = routing.get_edge(edges[k][0], edges[k][1], key=str(k))
            routes[k] = (edge.attr.get("pos") or "", edge.attr.get("lp"))
    return [(u, v, {**d, "pos": routes[k][0], "lp": routes[k][1],
                    "text": edge_label(d, classes)}) for k, (u, v, d) in enumerate(edges)]


