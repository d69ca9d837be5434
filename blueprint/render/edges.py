"""The edges of the picture: styled by kind, and their labels set, measured and placed.

A flow across the line of interaction is a heavy blue touchpoint arrow, other
flows thin and dark; a fork's branches are bold and leave its diamond; a
fail point's jump is dashed red; an information link dashed grey. Each label
is wrapped to a few words a line, measured in the drawing's font, and placed
by :func:`blueprint.render.placement.place_labels` clear of every box, mark
and other label; the rare label that had to move away from its line gets a
thin leader back to it.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pygraphviz as pgv

from blueprint import graph
from blueprint.model import ServiceModel
from blueprint.render.labels import clipped, display_width, html_label, text_line, wrap
from blueprint.render.layout import GUTTER, MARGIN, Geometry
from blueprint.render.measure import label_sizes
from blueprint.render.placement import Placed, Rect, place_labels, polyline
from blueprint.render.routing import Route, badges
from blueprint.render.theme import Theme

__all__ = ["EdgeLabels", "add_edges", "place_edge_labels"]

LABEL_COLUMNS = 26   # an edge label wraps after about this many letters
BRANCH_AT = 0.3      # a branch's share sits this far along its path; other labels mid-way
RUN_ON = 0.15        # room kept free right of a label, as a share of its width, for wider fonts


class EdgeLabels:
    """The label of each drawn edge (by its index among the routes) and where it goes."""

    def __init__(self, markup: dict[int, str], placed: dict[int, Placed]) -> None:
        self.markup = markup
        self.placed = placed


def _markup(text: str, theme: Theme) -> str:
    """An edge's label: each of its parts (a branch's label, its shares per class) wrapped,
    a list of shares between its items."""
    lines = [line for part in text.split("\n") for line in _wrapped(part)]
    return html_label([text_line(line, 8, theme.muted) for line in lines],
                      background=theme.background + "e6")


def _wrapped(part: str) -> list[str]:
    if " · " not in part:
        return wrap(part, LABEL_COLUMNS, balanced=True)
    lines: list[str] = []
    for item in part.split(" · "):
        if lines and display_width(lines[-1] + " · " + item) <= LABEL_COLUMNS:
            lines[-1] += " · " + item
        else:
            lines += wrap(item, LABEL_COLUMNS, balanced=True)
    return lines


def _rect(box) -> Rect:
    return (box.left, box.top, box.right, box.bottom)


def place_edge_labels(routes: list[Route], geo: Geometry, model: ServiceModel, theme: Theme,
                      font: str) -> EdgeLabels:
    """Set, measure and place the label of every route that has one."""
    markup: dict[int, str] = {}
    for k, r in enumerate(routes):
        if r.text:
            what = f"the label of the arrow from {r.u!r} to {r.v!r}"
            markup[k] = _markup("\n".join(clipped(part, what) for part in r.text.split("\n")), theme)
    keys = list(markup)
    measured = dict(zip(keys, label_sizes([markup[k] for k in keys], font), strict=True))
    paths = [polyline(r.pos, geo.height) for r in routes]
    sizes = [measured.get(k) for k in range(len(routes))]
    prefer = [BRANCH_AT if r.kind == "flow" else 0.5 for r in routes]
    obstacles = [
        *(_rect(b) for b in geo.steps.values()),
        *(_rect(b) for b in badges(geo, model).values()),
        *(_rect(b) for b in geo.evidence.values()),
        *(_rect(b) for b in geo.forks.values()),
        *(_rect(b) for b in geo.joins.values()),
    ]
    area = (GUTTER + 8, geo.evidence_row.top, geo.width - 4, geo.height - MARGIN)
    spots = place_labels(paths, sizes, prefer, obstacles, area, rules=list(geo.lines.values()),
                         run_on=RUN_ON)
    return EdgeLabels(markup, {k: spot for k, spot in enumerate(spots) if spot is not None})


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


def _style(r: Route, touch: bool, theme: Theme) -> dict[str, Any]:
    """Colour, weight and arrowheads of an edge by its kind."""
    if r.kind == "flow":
        return {"color": theme.touchpoint if touch else theme.flow,
                "penwidth": "2.2" if touch else "1.2", "class": "touchpoint" if touch else "flow"}
    if r.kind == "fork":
        return {"color": theme.fork, "penwidth": "2.2" if touch else "2", "style": "bold",
                "class": "fork touchpoint" if touch else "fork"}
    if r.kind == "stub":
        return {"color": theme.fork, "penwidth": "2", "style": "bold", "class": "fork",
                "arrowhead": "normal" if r.u.startswith("join-") else "none"}
    if r.kind == "fail":
        return {"color": theme.fail, "style": "dashed", "penwidth": "1.4", "fontcolor": theme.fail,
                "class": "fail"}
    return {"color": theme.link, "style": "dashed", "penwidth": "1", "arrowhead": "vee",
            "dir": "both" if r.data.get("both") else "forward", "arrowtail": "vee", "class": "link"}


def add_edges(picture: pgv.AGraph, routes: list[Route], labels: EdgeLabels, g: nx.MultiDiGraph,
              theme: Theme, total_height: float, geo_height: float) -> None:
    """Add every routed edge, its label where it was placed, and any leader line, to pass 2."""
    touchpoints = set(graph.touchpoint_flows(g))
    dy = total_height - geo_height
    for k, r in enumerate(routes):
        if r.kind == "stub":
            attributes: dict[str, Any] = {"id": f"stub-{r.u}" if r.u.startswith("join-")
                                          else f"stub-{r.v}"}
        else:
            attributes = {"id": f"edge-{r.u}-{r.v}-{r.key}", "key": str(r.key)}
        attributes["pos"] = _shift(r.pos, dy)
        touch = r.kind != "stub" and (r.u, r.v, r.data["key"]) in touchpoints
        attributes.update(_style(r, touch, theme))
        spot = labels.placed.get(k)
        if spot is not None:
            attributes["label"] = labels.markup[k]
            attributes["lp"] = f"{spot.x:.2f},{total_height - spot.y:.2f}"
        picture.add_edge(r.u, r.v, **attributes)
        if spot is not None and spot.leader is not None:
            (x0, y0), (x1, y1) = spot.leader
            y0, y1 = total_height - y0, total_height - y1
            picture.add_edge(r.u, r.v, key=f"leader-{k}", id=f"leader-{r.u}-{r.v}-{r.key}",
                             dir="none", style="dotted", penwidth="1.1", color=theme.muted,
                             pos=" ".join(f"{x0 + (x1 - x0) * t:.2f},{y0 + (y1 - y0) * t:.2f}"
                                          for t in (0, 1 / 3, 2 / 3, 1)),
                             **{"class": "leader"})
