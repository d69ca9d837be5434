"""Drawing a service blueprint: Graphviz swimlanes a consultant can put in front of a client.

Bands top to bottom — physical evidence, customer actions, line of
interaction, frontstage, line of visibility, backstage, line of internal
interaction, support — with actors as sub-lanes and time running left to
right. Fail points carry a red **F**, wait points an amber **W**; touchpoints
(:func:`blueprint.graph.touchpoints`) and the flows across the line of
interaction have a heavy border; forks start at a diamond and meet at a join's
bar. Names wrap to their box and boxes grow to hold them: a step box is
:data:`STEP_W` points wide unless ``width`` (points) or ``wrap`` (letters a
line) says otherwise, and only a name past :data:`NAME_LIMIT` characters is
cut (with a :class:`LongNameWarning`). Edge labels are placed clear of every
box, mark and other label. PNG and PDF use this machine's fonts: CJK text
with no CJK font installed raises a :class:`FontWarning` (once per process).
A PDF can be laid on an A4 or A3 landscape page (``page="a3"``).

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
from blueprint.render.content import step_width
from blueprint.render.drawing import FORMATS, PAGES, GraphvizWarning, render_bytes
from blueprint.render.fonts import FontWarning, cjk_font
from blueprint.render.labels import NAME_LIMIT, LongNameWarning
from blueprint.render.layout import STEP_W
from blueprint.render.overlay import AnyOverlay, Overlay, QualityOverlay, load_overlay
from blueprint.render.theme import THEMES, theme
from blueprint.results import Record

__all__ = [
    "FORMATS",
    "NAME_LIMIT",
    "PAGES",
    "STEP_W",
    "THEMES",
    "WIDTHS",
    "WRAPS",
    "FontWarning",
    "GraphvizWarning",
    "LongNameWarning",
    "Overlay",
    "QualityOverlay",
    "cjk_font",
    "draw",
    "load_overlay",
    "render_to_file",
]

WIDTHS = (72.0, 720.0)   # a step box's width may be from 1 to 10 inches (points)
WRAPS = (8, 120)         # or from 8 to 120 letters a line


def _box_width(model: ServiceModel, theme_name: str, width: float | None, wrap: int | None) -> float:
    """The width of a step box in points, from `width` (points) or `wrap` (letters a line)."""
    if width is not None and wrap is not None:
        raise ValueError("give the width of a step box or the letters a line it holds, not both")
    if width is not None:
        if not WIDTHS[0] <= width <= WIDTHS[1]:
            raise ValueError(f"a step box is from {WIDTHS[0]:g} to {WIDTHS[1]:g} points wide "
                             "(1 to 10 inches)")
        return float(width)
    if wrap is not None:
        if not WRAPS[0] <= wrap <= WRAPS[1]:
            raise ValueError(f"a line of a step's name holds from {WRAPS[0]} to {WRAPS[1]} letters")
        return step_width(wrap, model, theme(theme_name))
    return STEP_W


def draw(model: ServiceModel, g: nx.MultiDiGraph, fmt: str = "svg", *, theme_name: str = "colour",
         overlay: AnyOverlay | str | os.PathLike[str] | dict[str, Any] | Record | None = None,
         dpi: float = 96.0, width: float | None = None, wrap: int | None = None,
         page: str | None = None) -> bytes:
    """The blueprint as bytes in `fmt` (svg, png, pdf or dot).

    ``width``: a step box's width in points (72 to 720, default :data:`STEP_W`), or ``wrap``:
    the letters a line of a step's name holds (8 to 120; the box is made as wide).
    ``page``: ``"a4"`` or ``"a3"`` lays a PDF on a landscape page, scaled to fit.
    """
    step_w = _box_width(model, theme_name, width, wrap)
    if overlay is not None and not isinstance(overlay, Overlay | QualityOverlay):
        overlay = load_overlay(overlay, model)
    return render_bytes(model, g, fmt, theme(theme_name), overlay, dpi, step_w=step_w, page=page)


def render_to_file(model: ServiceModel, g: nx.MultiDiGraph, path: str | os.PathLike[str], *,
                   fmt: str | None = None, theme_name: str = "colour",
                   overlay: AnyOverlay | str | os.PathLike[str] | dict[str, Any] | Record | None = None,
                   dpi: float = 96.0, protect: tuple[str | os.PathLike[str], ...] = (),
                   width: float | None = None, wrap: int | None = None,
                   page: str | None = None) -> Path:
    """Draw into a file, format from its suffix unless given (by :func:`blueprint.files.write_output`).

    The output is checked before the drawing is made: a refusal costs no time. The
    options are :func:`draw`'s.
    """
    target = Path(path)
    kind = (fmt or target.suffix.lstrip(".")).lower()
    if kind not in FORMATS:
        raise ValueError(f"cannot tell the format of {target.name!r}: use a .svg, .png, .pdf or "
                         ".dot file, or give the format")
    check_outputs([Output(target)], protect)
    return write_output(target, draw(model, g, kind, theme_name=theme_name, overlay=overlay,
                                     dpi=dpi, width=width, wrap=wrap, page=page), protect=protect)
