"""What each box says, set and measured before anything is placed.

A step box carries its name (bold, on as many lines as it needs), its
resource and mean duration, its standards, and an overlay's figures; an
evidence card lists the customer's evidence; lanes and phases name their
actor and stage; the title names the service. The layout needs to know how
tall these are in the font that draws them, so they are built here as
Graphviz labels, wrapped to the width of their box and measured
(:mod:`blueprint.render.measure`) first. Names are never cut short, save
past :data:`blueprint.render.labels.NAME_LIMIT`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import networkx as nx

from blueprint.model import END, MINUTES_PER_UNIT, DayHorizon, ServiceModel, format_clock
from blueprint.render import fonts
from blueprint.render.labels import clipped, html_label, text_line, wrap
from blueprint.render.layout import (
    LANE_LABEL_W,
    MIN_WIDTH,
    STEP_W,
    TextRoom,
    card_width,
    lane_order,
    phase_widths,
)
from blueprint.render.measure import fit_labels, label_sizes
from blueprint.render.overlay import AnyOverlay
from blueprint.render.theme import Theme

__all__ = ["BoxLabels", "Names", "badge_label", "box_labels", "evidence_label", "lane_label",
           "readable_duration", "step_width"]

TITLE_COLUMNS = 90     # the service's name in the title
PAD = 6.0              # room between a box's border and its text (points)
STEP_PAD_X = 12.0      # a step box's margins around its text, left and right together
STEP_PAD_Y = 14.0      # and top and bottom together
CARD_PAD = 16.0        # an evidence card's margin around its list
SMALL = 1.3            # 8 pt text fits this many times the columns of 10 pt bold


@dataclass
class Names:
    """Every name the drawing shows, as it shows it (cut past the limit, with a warning once)."""

    steps: dict[str, str]
    evidence: dict[str, list[tuple[str, str]]]   # step -> [(name, kind)]
    actors: dict[str, str]
    phases: dict[str, str]
    resources: dict[str, str]
    title: str

    @classmethod
    def of(cls, model: ServiceModel) -> Names:
        actors = {a: clipped(a, f"actor {a[:40]!r}") for names in model.actors.values() for a in names}
        return cls(
            steps={s.id: clipped(s.label, f"the name of step {s.id!r}") for s in model.steps},
            evidence={s.id: [(clipped(e.name, f"evidence of step {s.id!r}"), e.kind)
                             for e in s.evidence] for s in model.steps if s.evidence},
            actors=actors,
            phases={p: clipped(p, f"phase {p[:40]!r}") for p in model.phases},
            resources={r: clipped(res.name or r, f"the name of resource {r!r}")
                       for r, res in model.resources.items()},
            title=clipped(model.name, "the service's name"),
        )


@dataclass
class BoxLabels:
    """The fitted labels of the boxes of the drawing, and the room they need."""

    steps: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    lanes: dict[tuple[str, str | None], str] = field(default_factory=dict)
    phases: dict[str, str] = field(default_factory=dict)
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


def _lines(text: str, columns: int, size: float, colour: str, *, bold: bool = False) -> list[str]:
    """`text` wrapped into even lines of at most `columns`, each a row of a label."""
    return [text_line(line, size, colour, bold=bold) for line in wrap(text, columns, balanced=True)]


def _step_label(step, model: ServiceModel, g: nx.MultiDiGraph, theme: Theme,
                overlay: AnyOverlay | None, names: Names, columns: int) -> str:
    ink, muted = theme.text, theme.muted
    colour = overlay.colour(step.id, theme) if overlay else None
    if colour is not None:
        ink = muted = overlay.ink(step.id, theme)  # type: ignore[union-attr]
    small = int(columns * SMALL)
    rows = _lines(names.steps[step.id], columns, 10, ink, bold=True)
    details = [part for part in (
        names.resources.get(step.resource) if step.resource else None,
        _duration_text(step, model.time_unit),
    ) if part]
    if details:
        rows += _lines(" · ".join(details), small, 8, muted)
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
        rows += _lines(" · ".join(standards), small, 8, muted)
    if overlay is not None and step.id in overlay.steps:
        for text in overlay.figures_text(step.id, model.time_unit):
            rows += _lines(text, small, 8, ink, bold=True)
    return html_label(rows)


def _evidence_card(step, theme: Theme, names: Names, columns: int) -> str:
    rows = [
        text_line(("◆ " if kind == "peripheral" else "▪ ") * (k == 0) + ("   " if k else "")
                  + line, 8.5, theme.text)
        for name, kind in names.evidence[step.id] for k, line in enumerate(wrap(name, columns, balanced=True))
    ]
    return html_label(rows, align="LEFT")


def lane_label(zone: str, actor: str | None, first: bool, theme: Theme, columns: int) -> str:
    """A lane's name in the gutter: the zone on its first lane, then the actor."""
    rows = [text_line(zone.capitalize(), 10, theme.text, bold=True)] if first else []
    if actor or not first:
        rows += _lines(actor or "(no actor named)", columns, 9, theme.muted)
    return html_label(rows, align="LEFT", width=LANE_LABEL_W - 8)


def _phase_label(name: str, theme: Theme, columns: int) -> str:
    return html_label(_lines(name, columns, 10, theme.text, bold=True))


def _title(model: ServiceModel, theme: Theme, overlay: AnyOverlay | None, names: Names,
           columns: int) -> str:
    horizon = model.horizon
    when = (f"{format_clock(horizon.open)}–{format_clock(horizon.close)}"
            if isinstance(horizon, DayHorizon) else f"steady state, {horizon.length:g} {model.time_unit}")
    subtitle = f"Service blueprint · {len(model.steps)} steps · {when} · mean durations shown"
    if overlay is not None:
        subtitle += f" · {overlay.caption}"
    rows = _lines(names.title, columns, 17, theme.text, bold=True)
    rows += [text_line(line, 9.5, theme.muted) for line in wrap(subtitle, columns * 2)]
    return html_label(rows, align="LEFT")


def evidence_label(theme: Theme) -> str:
    """The heading of the evidence row."""
    return html_label([text_line("Physical", 10, theme.text, bold=True),
                       text_line("evidence", 10, theme.text, bold=True)], align="LEFT",
                      width=LANE_LABEL_W - 8)


def _as_is(label: str, columns: int) -> str:
    return label


def badge_label(letter: str, colour: str) -> str:
    """The letter of a fail point's F or a wait point's W mark."""
    return html_label([text_line(letter, 8.5, colour, bold=True)])


def _columns_for(width: float, points_per_column: float) -> int:
    return max(4, int(width / points_per_column))


def box_labels(model: ServiceModel, g: nx.MultiDiGraph, theme: Theme, overlay: AnyOverlay | None,
               font: str, step_w: float = STEP_W, names: Names | None = None) -> BoxLabels:
    """Every step, card, lane, phase and title label wrapped to its box's width in `font`, and
    measured; ``step_w`` is the width of a step box."""
    names = names or Names.of(model)
    wanted: dict[str, tuple[Callable[[int], str], int, float]] = {}
    step_room = step_w - STEP_PAD_X
    card_room = card_width(step_w) - CARD_PAD
    for s in model.steps:
        wanted[f"step {s.id}"] = (partial(_step_label, s, model, g, theme, overlay, names),
                                  _columns_for(step_room, 5.0), step_room)
        if s.evidence:
            wanted[f"card {s.id}"] = (partial(_evidence_card, s, theme, names),
                                      _columns_for(card_room, 4.6), card_room)
    lanes = lane_order(model)
    for k, (zone, actor) in enumerate(lanes):
        first = k == 0 or lanes[k - 1][0] != zone
        wanted[f"lane {k}"] = (partial(lane_label, zone, names.actors.get(actor, actor) if actor else None,
                                       first, theme),
                               _columns_for(LANE_LABEL_W - 8, 4.9), LANE_LABEL_W - 6)
    for name, width in phase_widths(g, model, step_w).items():
        wanted[f"phase {name}"] = (partial(_phase_label, names.phases.get(name, name), theme),
                                   _columns_for(width - 10, 5.8), width - 10)
    wanted["title"] = (partial(_title, model, theme, overlay, names), TITLE_COLUMNS,
                       MIN_WIDTH - 64 - PAD)
    unwrapped = {"evidence label": evidence_label(theme),
                 **{f"badge {letter}": badge_label(letter, theme.text) for letter in "FW"}}
    for key, label in unwrapped.items():
        wanted[key] = (partial(_as_is, label), 0, float("inf"))
    fitted = fit_labels(wanted, font)
    labels = BoxLabels(
        steps={s.id: fitted[f"step {s.id}"].label for s in model.steps},
        evidence={s.id: fitted[f"card {s.id}"].label for s in model.steps if s.evidence},
        lanes={key: fitted[f"lane {k}"].label for k, key in enumerate(lanes)},
        phases={name: fitted[f"phase {name}"].label for name in model.phases
                if f"phase {name}" in fitted},
        title=fitted["title"].label,
    )
    labels.room = TextRoom(
        step={s.id: fitted[f"step {s.id}"].height + STEP_PAD_Y for s in model.steps},
        evidence={sid: fitted[f"card {sid}"].height + CARD_PAD for sid in labels.evidence},
        evidence_label=fitted["evidence label"].height + PAD,
        title=fitted["title"].height + PAD,
        badge=max(max(fitted[f"badge {letter}"].width, fitted[f"badge {letter}"].height)
                  for letter in "FW") + 1,
        phases={name: fitted[f"phase {name}"].height for name in labels.phases},
        lanes={key: fitted[f"lane {k}"].height for k, key in enumerate(lanes)},
    )
    return labels



_SAMPLE = "Take the order and check the customer's card against the booking list " * 2


def step_width(columns: int, model: ServiceModel, theme: Theme) -> float:
    """The width of a step box whose name wraps after about `columns` letters of the drawing's font."""
    font = fonts.drawing_font(model.model_dump_json(), theme.font)
    sample = html_label([text_line(_SAMPLE[:columns], 10, theme.text, bold=True)])
    ((width, _),) = label_sizes([sample], font)
    return round(width + STEP_PAD_X, 1)
