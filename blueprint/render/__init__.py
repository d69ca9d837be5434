"""Drawing a service blueprint: Graphviz swimlanes a consultant can put in front of a client.

Bands top to bottom — physical evidence, customer actions, line of
interaction, frontstage, line of visibility, backstage, line of internal
interaction, support — with actors as sub-lanes and time running left to
right. Fail points carry a red **F**, wait points an amber **W**; touchpoints
(:func:`blueprint.graph.touchpoints`) and the flows across the line of
interaction have a heavy border. PNG and PDF use this machine's fonts: CJK text
with no CJK font installed raises a :class:`FontWarning` (once per process).

>>> import blueprint
>>> kiosk = blueprint.loads('''
... blueprint: 1
... name: Key cutting kiosk
... horizon: {open: "09:00", close: "12:00"}
... resources: {cutter: {capacity: 1}}
... demand: {arrivals_per_hour: 10}
... steps:
...   - {id: ask, zone: customer, evidence: [Price list]}
...   - {id: cut, zone: frontstage, resource: cutter, duration: 4, wait_point: true}
... ''')
>>> svg = kiosk.render(fmt="svg")               # bytes; kiosk.render("kiosk.png") writes a file
>>> import xml.etree.ElementTree as ET
>>> ids = {element.get("id") for element in ET.fromstring(svg).iter()}
>>> sorted(ids & {"step-ask", "step-cut", "wait-cut", "line-interaction", "zone-evidence"})
['line-interaction', 'step-ask', 'step-cut', 'wait-cut', 'zone-evidence']
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import networkx as nx

from blueprint.files import Output, check_outputs, write_output
from blueprint.model import ServiceModel
from blueprint.render.drawing import FORMATS, GraphvizWarning, render_bytes
from blueprint.render.fonts import FontWarning, cjk_font
from blueprint.render.overlay import Overlay, load_overlay
from blueprint.render.theme import THEMES, theme
from blueprint.results import Record

__all__ = [
    "FORMATS",
    "THEMES",
    "FontWarning",
    "GraphvizWarning",
    "Overlay",
    "cjk_font",
    "draw",
    "load_overlay",
    "render_to_file",
]


def draw(model: ServiceModel, g: nx.MultiDiGraph, fmt: str = "svg", *, theme_name: str = "colour",
         overlay: Overlay | str | os.PathLike[str] | dict[str, Any] | Record | None = None,
         dpi: float = 96.0) -> bytes:
    """The blueprint as bytes in `fmt` (svg, png, pdf or dot)."""
    if overlay is not None and not isinstance(overlay, Overlay):
        overlay = load_overlay(overlay, model)
    return render_bytes(model, g, fmt, theme(theme_name), overlay, dpi)


def render_to_file(model: ServiceModel, g: nx.MultiDiGraph, path: str | os.PathLike[str], *,
                   fmt: str | None = None, theme_name: str = "colour",
                   overlay: Overlay | str | os.PathLike[str] | dict[str, Any] | Record | None = None,
                   dpi: float = 96.0, protect: tuple[str | os.PathLike[str], ...] = ()) -> Path:
    """Draw into a file, format from its suffix unless given (by :func:`blueprint.files.write_output`).

    The output is checked before the drawing is made: a refusal costs no time.
    """
    target = Path(path)
    kind = (fmt or target.suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        raise ValueError(f"cannot tell the format of {target.name!r}: use a .svg, .png, .pdf or "
                         ".dot file, or give the format")
    check_outputs([Output(target)], protect)
    return write_output(target, draw(model, g, kind, theme_name=theme_name, overlay=overlay,
                                     dpi=dpi), protect=protect)
