"""What each box says, set and measured before anything is placed.

A step box carries its name (bold, up to two lines), its resource and mean
duration, its standards, and an overlay's figures; an evidence card lists
the customer's evidence; the title names the service. The layout needs to
know how tall these are in the font that draws them, so they are built here
as Graphviz labels and fitted (:mod:`blueprint.render.measure`) first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import networkx as nx

from blueprint.model import END, MINUTES_PER_UNIT, DayHorizon, ServiceModel, format_clock
from blueprint.render.labels import html_label, text_line, wrap
from blueprint.render.layout import CARD_W, MIN_WIDTH, STEP_W, TextRoom
from blueprint.render.measure import fit_labels
from blueprint.render.overlay import Overlay, text_on
from blueprint.render.theme import Theme

__all__ = ["BoxLabels", "badge_label", "box_labels", "evidence_label", "readable_duration"]

STEP_COLUMNS = 22      # a step's name, wrapped (wide characters count double)
CARD_COLUMNS = 28      # an evidence item on its card
TITLE_COLUMNS = 90     # the service's name in the title
PAD = 6.0              # room between a box's border and its text (points)


@dataclass
class BoxLabels:
    """The fitted labels of the step boxes, evidence cards and title, and the room they need."""

    steps: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    title: str = ""
    room: TextRoom = field(default_factory=TextRoom)


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


def _duration_text(step, unit: str) -> str | None:
    if step.duration is None:
        return None
    approx = "" if getattr(step.duration, "dist", "fixed") == "fixed" else "~"
    return approx + readable_duration(step.duration.mean, unit)


def _step_label(step, model: ServiceModel, g: nx.MultiDiGraph, theme: Theme,
                overlay: Overlay | None, columns: int) -> str:
    ink, muted = theme.text, theme.muted
    colour = overlay.colour(step.id) if overlay else None
    if colour is not None:
        ink = muted = text_on(colour)
    rows = [text_line(line, 10, ink, bold=True) for line in wrap(step.label, columns, 2)]
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
    return html_label(rows)


def _overlay_text(overlay: Overlay, step_id: str, unit: str) -> list[str]:
    f = overlay.steps[step_id]
    rows = []
    if f.wait_mean is not None:
        p90 = f" · p90 {_number(f.wait_p90)}" if f.wait_p90 is not None else ""
        rows.append(f"wait {_number(f.wait_mean)}{p90} {unit}")
    if f.utilization is not None:
        rows.append(f"utilisation {f.utilization:.0%}")
    return rows


def _evidence_card(step, theme: Theme, columns: int) -> str:
    rows = [
        text_line(("◆ " if item.kind == "peripheral" else "▪ ") * (k == 0) + ("   " if k else "")
                  + line, 8.5, theme.text)
        for item in step.evidence for k, line in enumerate(wrap(item.name, columns, 2))
    ]
    return html_label(rows, align="LEFT")


def _title(model: ServiceModel, theme: Theme, overlay: Overlay | None, columns: int) -> str:
    horizon = model.horizon
    when = (f"{format_clock(horizon.open)}–{format_clock(horizon.close)}"
            if isinstance(horizon, DayHorizon) else f"steady state, {horizon.length:g} {model.time_unit}")
    subtitle = f"Service blueprint · {len(model.steps)} steps · {when} · mean durations shown"
    if overlay is not None:
        subtitle += " · coloured by mean wait (simulated)"
    rows = [text_line(line, 17, theme.text, bold=True) for line in wrap(model.name, columns, 2)]
    rows += [text_line(line, 9.5, theme.muted) for line in wrap(subtitle, columns * 2, 2)]
    return html_label(rows, align="LEFT")


def evidence_label(theme: Theme) -> str:
    """The heading of the evidence row."""
    return html_label([text_line("Physical", 10, theme.text, bold=True),
                       text_line("evidence", 10, theme.text, bold=True)], align="LEFT")


def _as_is(label: str, columns: int) -> str:
    return label


def badge_label(letter: str, colour: str) -> str:
    """The letter of a fail point's F or a wait point's W mark."""
    return html_label([text_line(letter, 8.5, colour, bold=True)])


def box_labels(model: ServiceModel, g: nx.MultiDiGraph, theme: Theme, overlay: Overlay | None,
               font: str) -> BoxLabels:
    """Every step, card and title label wrapped to its box's width in `font`, and measured."""
    wanted: dict[str, tuple[Callable[[int], str], int, float]] = {}
    for s in model.steps:
        wanted[f"step {s.id}"] = (partial(_step_label, s, model, g, theme, overlay),
                                  STEP_COLUMNS, STEP_W - PAD)
        if s.evidence:
            wanted[f"card {s.id}"] = (partial(_evidence_card, s, theme), CARD_COLUMNS, CARD_W - PAD)
    wanted["title"] = (partial(_title, model, theme, overlay), TITLE_COLUMNS, MIN_WIDTH - 64 - PAD)
    unwrapped = {"evidence label": evidence_label(theme),
                 **{f"badge {letter}": badge_label(letter, theme.text) for letter in "FW"}}
    for key, label in unwrapped.items():
        wanted[key] = (partial(_as_is, label), 0, float("inf"))
    fitted = fit_labels(wanted, font)
    labels = BoxLabels(
        steps={s.id: fitted[f"step {s.id}"].label for s in model.steps},
        evidence={s.id: fitted[f"card {s.id}"].label for s in model.steps if s.evidence},
        title=fitted["title"].label,
    )
    labels.room = TextRoom(
        step=max(fitted[f"step {s.id}"].height for s in model.steps) + PAD,
        evidence={sid: fitted[f"card {sid}"].height + PAD for sid in labels.evidence},
        evidence_label=fitted["evidence label"].height + PAD,
        title=fitted["title"].height + PAD,
        badge=max(max(fitted[f"badge {letter}"].width, fitted[f"badge {letter}"].height)
                  for letter in "FW") + 1,
    )
    return labels
