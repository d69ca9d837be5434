"""Text measured by the engine that draws it, so every box fits its words.

The grid (:mod:`blueprint.render.layout`) has room for text set in Helvetica
or its look-alikes. The font that really draws a label may be taller — Noto
Sans CJK's lines are about a fifth taller — or wider, and a fixed box that is
too small cuts the text (Graphviz says "size too small for label"). So each
label is first measured by Graphviz itself, in the drawing's font, and too
wide a label is wrapped again on fewer columns; the boxes then grow to the
measured height. Where this machine has no font for the drawing's CJK text,
Graphviz could only measure missing-glyph boxes, so the text is measured as a
CJK font would set it (:func:`blueprint.render.fonts.as_set_in_cjk`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pygraphviz as pgv

from blueprint.render import fonts
from blueprint.render.graphviz import graphviz_messages

__all__ = ["Fitted", "fit_labels", "label_sizes"]

_ROUNDS = 6  # rewrapping narrows by the measured overflow, so one or two rounds usually do


@dataclass(frozen=True)
class Fitted:
    """A label wrapped to fit a width, with its measured size in points."""

    label: str
    width: float
    height: float


def label_sizes(labels: Sequence[str], font: str) -> list[tuple[float, float]]:
    """(width, height) in points of each Graphviz label as it is drawn in `font`."""
    if not labels:
        return []
    graph = pgv.AGraph(notranslate="true")
    graph.node_attr.update(fontname=font, shape="plaintext", margin="0", width="0", height="0")
    for k, label in enumerate(labels):
        text = fonts.as_set_in_cjk(label) if fonts.glyphs_missing(label) else label
        graph.add_node(f"m{k}", label=text, pos="0,0")
    with graphviz_messages():
        graph.layout(prog="nop")
    sizes = []
    for k in range(len(labels)):
        attr = graph.get_node(f"m{k}").attr
        sizes.append((float(attr["width"]) * 72.0, float(attr["height"]) * 72.0))
    return sizes


def fit_labels(wanted: dict[str, tuple[Callable[[int], str], int, float]],
               font: str) -> dict[str, Fitted]:
    """Labels that fit their widths: key -> (label for a number of columns, columns, width).

    Each label is built on its columns and measured; one wider than its room is
    built again on proportionally fewer columns (never fewer than 4, and as few as
    it takes to change the label) and measured again, all the labels of a round in
    one Graphviz call.
    """
    columns = {key: cols for key, (_, cols, _) in wanted.items()}
    fitted: dict[str, Fitted] = {}
    pending = list(wanted)
    for round_ in range(_ROUNDS):
        labels = [wanted[key][0](columns[key]) for key in pending]
        narrower = []
        for key, label, (w, h) in zip(pending, labels, label_sizes(labels, font), strict=True):
            fitted[key] = Fitted(label, w, h)
            room = wanted[key][2]
            if w > room and columns[key] > 4 and round_ < _ROUNDS - 1:
                build, cols = wanted[key][0], max(4, min(columns[key] - 1, int(columns[key] * room / w)))
                while cols > 4 and build(cols) == label:  # text shorter than its columns
                    cols -= 1
                columns[key] = cols
                narrower.append(key)
        if not narrower:
            break
        pending = narrower
    return fitted
