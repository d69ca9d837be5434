"""What a drawing shows, read back from its own output: every text, its box, and every shape.

The SVG gives the texts as a viewer draws them. Their boxes come from Graphviz's
JSON output of the very same picture (a documented format: the xdot drawing
operations of https://graphviz.org/docs/outputs/json/), which says where each
line of text starts and how wide Graphviz measured it, and where each shape's
outline runs. Coordinates are Graphviz's points, y up.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import blueprint
from blueprint.render.drawing import build_drawing
from blueprint.render.overlay import load_overlay
from blueprint.render.theme import theme

SVG = "{http://www.w3.org/2000/svg}"
Rect = tuple[float, float, float, float]  # left, bottom, right, top (y up)


@dataclass(frozen=True)
class Text:
    owner: str          # the SVG id of the node or edge the text belongs to
    text: str
    box: Rect


@dataclass
class Drawn:
    """The shapes and texts of one drawing."""

    shapes: dict[str, Rect]          # SVG id -> the box around its outline (nodes)
    edge_labels: dict[str, Rect]     # edge SVG id -> its label's box (its background)
    texts: list[Text]
    svg_texts: list[str]             # every text element of the SVG, as written

    @staticmethod
    def overlapping(a: Rect, b: Rect, clearance: float = 0.0) -> bool:
        """Whether two boxes overlap, or come closer than `clearance` points."""
        return (a[0] < b[2] + clearance and b[0] < a[2] + clearance
                and a[1] < b[3] + clearance and b[1] < a[3] + clearance)


def _box(points: list[list[float]]) -> Rect:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _union(a: Rect | None, b: Rect) -> Rect:
    if a is None:
        return b
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _texts(owner: str, ops: list[dict]) -> list[Text]:
    """Each T operation as a box: from its start (by alignment) over its measured width, and
    from a descender below the baseline to the top of a capital above it."""
    found, size = [], 14.0
    for op in ops:
        if op["op"] == "F":
            size = op["size"]
        elif op["op"] == "T":
            x, y = op["pt"]
            w = op["width"]
            left = {"l": x, "c": x - w / 2, "r": x - w}[op["align"]]
            found.append(Text(owner, op["text"], (left, y - 0.25 * size, left + w, y + 0.8 * size)))
    return found


def _outline(ops: list[dict]) -> Rect | None:
    box = None
    for op in ops:
        if op["op"] in ("p", "P", "b", "B", "L"):
            box = _union(box, _box(op["points"]))
        elif op["op"] in ("e", "E"):
            (x, y), w, h = op["rect"][:2], op["rect"][2], op["rect"][3]
            box = _union(box, (x - w, y - h, x + w, y + h))
    return box


def drawn(bp: blueprint.Blueprint, *, overlay=None, theme_name: str = "colour",
          step_w: float | None = None) -> Drawn:
    """Draw `bp` (SVG and Graphviz JSON of the same picture) and read back what is on it."""
    options = {} if step_w is None else {"step_w": step_w}
    loaded = load_overlay(overlay, bp.model) if overlay is not None else None
    picture = build_drawing(bp.model, bp.graph, theme(theme_name), loaded, **options)
    layout = json.loads(picture.draw(format="json", prog="nop2"))
    svg = ET.fromstring(picture.draw(format="svg", prog="nop2"))
    shapes: dict[str, Rect] = {}
    texts: list[Text] = []
    for node in layout.get("objects", []):
        owner = node.get("id") or node["name"]
        outline = _outline(node.get("_draw_", []))
        if outline is not None and node.get("id"):
            shapes[owner] = outline
        texts += _texts(owner, node.get("_ldraw_", []))
    edge_labels: dict[str, Rect] = {}
    for edge in layout.get("edges", []):
        owner = edge.get("id", "")
        ops = edge.get("_ldraw_", [])
        background = [op for op in ops if op["op"] in ("P", "p")]
        label_texts = _texts(owner, ops)
        texts += label_texts
        if background:
            edge_labels[owner] = _box(background[0]["points"])
        elif label_texts:
            box = None
            for t in label_texts:
                box = _union(box, t.box)
            assert box is not None
            edge_labels[owner] = box
    svg_texts = [t.text or "" for t in svg.iter(f"{SVG}text")]
    return Drawn(shapes, edge_labels, texts, svg_texts)


def is_step_or_mark(svg_id: str) -> bool:
    """The things no edge label may cover: steps, F and W badges, evidence cards, fork and join marks."""
    return svg_id.startswith(("step-", "fail-", "wait-", "evidence-", "fork-", "join-"))


def label_collisions(d: Drawn, clearance: float = 0.0) -> list[str]:
    """Every edge label that overlaps (or comes closer than `clearance` to) a step, a mark,
    another edge label or any other text."""
    found = []
    labels = sorted(d.edge_labels.items())
    for k, (edge, box) in enumerate(labels):
        for svg_id, shape in d.shapes.items():
            if is_step_or_mark(svg_id) and d.overlapping(box, shape, clearance):
                found.append(f"the label of {edge} overlaps {svg_id}")
        for other, other_box in labels[k + 1:]:
            if d.overlapping(box, other_box, clearance):
                found.append(f"the labels of {edge} and {other} overlap")
        for text in d.texts:
            if text.owner != edge and text.owner not in d.edge_labels and text.text.strip() \
                    and d.overlapping(box, text.box, clearance):
                found.append(f"the label of {edge} overlaps the text {text.text!r} of {text.owner}")
    return found
