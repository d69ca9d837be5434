"""Pass 1: route the edges as splines around boxes pinned where the layout put them.

Graphviz's `nop` engine keeps every node where it is told and only draws the
edges, avoiding the boxes. Routing all edges among all boxes grows much
faster than the drawing, and an edge only bends around the boxes near its
path, so each group of edges is routed among the boxes of the columns it
spans (and one either side). Labels play no part here: they are placed once
the paths are known (:mod:`blueprint.render.placement`).

Parallel work leaves its step through a fork's diamond and meets again at a
join's bar: the branches are routed from the diamond, the flows into a
joining step end at its bar, and two short stubs tie the diamond and the bar
to their steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pygraphviz as pgv

from blueprint.model import END, ServiceModel
from blueprint.render.graphviz import graphviz_messages, inches, pinned
from blueprint.render.layout import Box, Geometry

__all__ = ["ARROW", "Route", "badges", "edge_label", "fork_node", "join_node", "route"]

ARROW = 7.0  # an arrowhead's length at the drawing's arrowsize (0.7), points


def fork_node(step_id: str) -> str:
    """The node (and SVG id) of the diamond of the fork at `step_id`."""
    return f"fork-{step_id}"


def join_node(step_id: str) -> str:
    """The node (and SVG id) of the bar of the join at `step_id`."""
    return f"join-{step_id}"


@dataclass
class Route:
    """One drawn edge: its ends in the picture, its path (a Graphviz `pos`, y up) and its text."""

    u: str                      # the step (or the fork's diamond) it leaves
    v: str                      # the step (or the join's bar) it reaches
    kind: str                   # flow, fork, fail, link, or stub
    data: dict[str, Any] = field(default_factory=dict)
    pos: str = ""
    text: str | None = None
    key: int = 0                # its place among the model's drawn edges (part of its SVG id)

    @property
    def tail(self) -> str:
        return self.data.get("tail", self.u)

    @property
    def head(self) -> str:
        return self.data.get("head", self.v)


def _obstacles(graph: pgv.AGraph, geo: Geometry, model: ServiceModel,
               columns: range | None = None) -> None:
    """Pin the boxes edges must avoid (only those in `columns`, when given)."""

    def wanted(step_id: str) -> bool:
        return columns is None or geo.column_of[step_id] in columns

    def pin(name: str, box: Box, shape: str) -> None:
        graph.add_node(name, pos=pinned(box.x, box.y, geo.height), width=inches(box.w),
                       height=inches(box.h), shape=shape, fixedsize="true", label="")

    for step_id, box in geo.steps.items():
        if wanted(step_id):
            pin(step_id, box, "box")
    for step_id, box in geo.evidence.items():
        if wanted(step_id):
            pin(f"evidence-{step_id}", box, "box")
    for (node_id, step_id), box in badges(geo, model).items():
        if wanted(step_id):
            pin(node_id, box, "circle")
    for step_id, box in geo.forks.items():
        if wanted(step_id):
            pin(fork_node(step_id), box, "diamond")
    for step_id, box in geo.joins.items():
        if wanted(step_id):
            pin(join_node(step_id), box, "box")


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
    """What an edge says: a branch's label and shares, a fail point's id, a link's label.

    Shares per customer class go on a line of their own, under the branch's label.
    """
    if d["kind"] == "fail":
        return f"F {d['fail_point']}"
    if d["kind"] == "link":
        return d.get("label")
    if d["kind"] != "flow":
        return None
    p = d["p"]
    label = d.get("label")
    if list(p) == [None]:
        value = p[None]
        share = None if value == 1 else f"{value:.0%}"
        return " ".join(part for part in (label, share) if part) or None
    shares = " · ".join(f"{name} {p[name]:.0%}" for name in classes if p.get(name))
    return "\n".join(part for part in (label, shares) if part) or None


def _ends(u: str, v: str, d: dict, geo: Geometry) -> tuple[str, str]:
    """The nodes an edge is routed between: a fork's branches leave its diamond, the flows
    into a join end at its bar."""
    tail = fork_node(u) if d["kind"] == "fork" and u in geo.forks else u
    head = join_node(v) if d["kind"] in ("flow", "fork") and v in geo.joins else v
    return tail, head


def _stubs(geo: Geometry, height: float) -> list[Route]:
    """The short strokes from a forking step to its diamond and from a join's bar to its step."""
    stubs = []
    for step_id, diamond in geo.forks.items():
        box = geo.steps[step_id]
        y = height - box.y
        x0, x1 = box.right, diamond.left
        stubs.append(Route(step_id, fork_node(step_id), "stub",
                           pos=_straight((x0, y), (x1, y)), key=-1))
    for step_id, bar in geo.joins.items():
        box = geo.steps[step_id]
        y = height - box.y
        x0, x1 = bar.right, box.left
        stubs.append(Route(join_node(step_id), step_id, "stub",
                           pos=f"e,{x1:.2f},{y:.2f} " + _straight((x0, y), (x1 - ARROW, y)), key=-1))
    return stubs


def _straight(a: tuple[float, float], b: tuple[float, float]) -> str:
    """A straight line as a Graphviz spline (one cubic Bézier)."""
    (x0, y0), (x1, y1) = a, b
    thirds = [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in (0, 1 / 3, 2 / 3, 1)]
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in thirds)


def route(g: nx.MultiDiGraph, geo: Geometry, model: ServiceModel) -> list[Route]:
    """Route every edge around the boxes of the columns it spans (and one either side).

    Each edge keeps its place among the model's drawn edges (``key``); the stubs of forks
    and joins come last. Paths are in Graphviz's coordinates: y up, `geo.height` tall.

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
    paths: dict[int, str] = {}
    for columns, members in spans.items():
        routing = pgv.AGraph(directed=True, strict=False, splines="true", notranslate="true",
                             bb=f"0,0,{geo.width:.2f},{geo.height:.2f}", sep="+2", esep="+1")
        _obstacles(routing, geo, model, columns)
        for k in members:
            u, v, d = edges[k]
            tail, head = _ends(u, v, d, geo)
            attributes = {"key": str(k)}
            if d["kind"] == "link" and d.get("both"):
                attributes["dir"] = "both"
            routing.add_edge(tail, head, **attributes)
        with graphviz_messages():
            routing.layout(prog="nop")
        for k in members:
            u, v, d = edges[k]
            edge = routing.get_edge(*_ends(u, v, d, geo), key=str(k))
            paths[k] = edge.attr.get("pos") or ""
    routes = []
    for k, (u, v, d) in enumerate(edges):
        tail, head = _ends(u, v, d, geo)
        routes.append(Route(u, v, d["kind"], {**d, "tail": tail, "head": head}, paths[k],
                            edge_label(d, classes), k))
    return routes + _stubs(geo, geo.height)
