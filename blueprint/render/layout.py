"""Where everything goes: the blueprint's grid, computed before Graphviz sees it.

Graphviz's `dot` cannot keep swimlanes in order, so the grid is ours: bands
top to bottom (evidence, customer, frontstage, backstage, support, each zone
split into its actors' sub-lanes), time left to right (a column per step in
journey order, parallel branches sharing columns, a step directly below the
customer action it answers when nothing else competes for the column).
Graphviz is only asked to route the edges between boxes that are pinned here.

Boxes have a default size; where the text measured in the drawing's font
(:class:`TextRoom`) needs more height, they grow to it.

Coordinates are points (1/72 inch), origin top-left, y growing downwards.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from blueprint.graph import LINES
from blueprint.model import END, ZONES, ServiceModel
from blueprint.render.labels import wrap

__all__ = ["BADGE", "CARD_W", "MIN_WIDTH", "STEP_W", "Box", "Geometry", "Lane", "TextRoom", "compute_layout",
           "evidence_lines"]

GUTTER = 132.0          # lane labels on the left
COLUMN = 196.0          # column pitch
STEP_W, STEP_H = 152.0, 70.0
SUBROW = 108.0          # height of one sub-row in a lane
EMPTY_LANE = 56.0       # a zone with no steps still shows its band
HEADER = 64.0           # title
PHASE_H = 30.0          # phase header row
CARD_W = 150.0
CARD_LINE = 13.0
MARGIN = 16.0
MIN_WIDTH = 720.0       # room for the title and the legend
BADGE = 14.0            # an F or W mark's circle, unless its letter needs more


@dataclass(frozen=True)
class Box:
    """A rectangle by its centre and size (points, y down)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y - self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h / 2

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2


@dataclass(frozen=True)
class TextRoom:
    """The heights (points) the text of each kind of box needs, measured in the drawing's font.

    Zero means "no more than the default": a box is never smaller than the grid's own size.
    """

    step: float = 0.0                                         # the tallest step's text
    evidence: dict[str, float] = field(default_factory=dict)  # each step's evidence card
    evidence_label: float = 0.0                               # "Physical evidence"
    title: float = 0.0
    badge: float = 0.0                                        # an F or W mark's letter


@dataclass
class Lane:
    """One swimlane: a zone, or an actor's sub-lane of it."""

    zone: str
    actor: str | None
    rows: int
    top: float = 0.0
    height: float = 0.0


@dataclass
class Geometry:
    """The whole grid: bands, lanes, line positions, and a box per step."""

    width: float
    height: float
    columns: int
    steps: dict[str, Box]
    column_of: dict[str, int]
    lanes: list[Lane]
    zones: dict[str, Box]
    evidence_row: Box
    evidence: dict[str, Box]
    lines: dict[str, float]
    phases: dict[str, Box] = field(default_factory=dict)
    title: Box | None = None
    badge: float = BADGE


def evidence_lines(name: str) -> list[str]:
    """An evidence item on its card: up to two lines of about 28 letters."""
    return wrap(name, 28, 2)


def _lane_key(zone: str, actor: str | None) -> tuple[str, str | None]:
    return zone, actor


def _journey_dag(g: nx.MultiDiGraph, model: ServiceModel) -> nx.DiGraph:
    """Flow and fork edges between steps, with the edges that close loops left out."""
    dag: nx.DiGraph = nx.DiGraph()
    dag.add_nodes_from(s.id for s in model.steps)
    order = {s.id: i for i, s in enumerate(model.steps)}
    edges = sorted(
        ((u, v) for u, v, d in g.edges(data=True)
         if d["kind"] in ("flow", "fork") and v != END and u != v),
        key=lambda e: (order[e[0]], order[e[1]]),
    )
    for u, v in edges:
        dag.add_edge(u, v)
        if not nx.is_directed_acyclic_graph(dag):
            dag.remove_edge(u, v)
    return dag


def _columns(g: nx.MultiDiGraph, model: ServiceModel) -> tuple[dict[str, int], dict[str, str]]:
    """Column of each step and the lane it sits in."""
    dag = _journey_dag(g, model)
    order = {s.id: i for i, s in enumerate(model.steps)}
    phase_rank = {p: i for i, p in enumerate(model.phases)}
    phase_of: dict[str, str | None] = {}
    column: dict[str, int] = {}
    used: set[tuple[tuple[str, str | None], int]] = set()
    phase_last: dict[int, int] = defaultdict(lambda: -1)
    for step_id in nx.lexicographical_topological_sort(dag, key=lambda n: order[n]):
        step = model.step(step_id)
        preds = list(dag.predecessors(step_id))
        phase = step.phase or next((phase_of[p] for p in preds if phase_of.get(p)), None)
        phase_of[step_id] = phase
        lane = _lane_key(step.zone, step.actor)
        level = max((column[p] + 1 for p in preds), default=0)
        if phase is not None:
            floor = max((last for rank, last in phase_last.items()
                         if rank < phase_rank.get(phase, 0)), default=-1) + 1
            level = max(level, floor)
        if len(preds) == 1:
            (u,) = preds
            shares = (
                dag.out_degree(u) == 1
                and model.step(u).zone != step.zone
                and (lane, column[u]) not in used
                and (step.phase is None or step.phase == phase_of.get(u))
                and column[u] + 1 == level
            )
            if shares:
                level = column[u]
        column[step_id] = level
        used.add((lane, level))
        if phase is not None:
            rank = phase_rank.get(phase, 0)
            phase_last[rank] = max(phase_last[rank], level)
    return column, {k: v for k, v in phase_of.items() if v}


def _lanes(model: ServiceModel, column: dict[str, int]) -> tuple[list[Lane], dict[str, int]]:
    """Lanes top to bottom, and each step's sub-row inside its lane."""
    lanes: list[Lane] = []
    subrow: dict[str, int] = {}
    for zone in ZONES:
        steps = model.steps_in(zone)
        actors: list[str | None] = list(model.actors.get(zone, []))  # type: ignore[call-overload]
        if any(s.actor is None for s in steps) or not actors:
            actors.append(None)
        for actor in actors:
            mine = [s for s in steps if s.actor == actor]
            if not mine and actor is None and actors != [None]:
                continue
            per_column: dict[int, int] = defaultdict(int)
            for s in mine:
                subrow[s.id] = per_column[column[s.id]]
                per_column[column[s.id]] += 1
            lanes.append(Lane(zone, actor, max(per_column.values(), default=0)))
    return lanes, subrow


def compute_layout(g: nx.MultiDiGraph, model: ServiceModel, extra_rows: int = 0,
                   room: TextRoom | None = None) -> Geometry:
    """The full grid for a checked model and its graph.

    ``extra_rows`` lines of small text are added to every step box (an overlay's figures);
    ``room`` makes boxes taller where their measured text needs it.
    """
    room = room or TextRoom()
    step_h = max(STEP_H + 11 * extra_rows, room.step)
    badge = max(BADGE, room.badge)
    subrow_h = step_h + SUBROW - STEP_H + 2 * (badge - BADGE)  # marks sit above their box
    header = max(HEADER, room.title + 8)
    column, phase_of = _columns(g, model)
    columns = max(column.values()) + 1
    lanes, subrow = _lanes(model, column)
    width = max(GUTTER + columns * COLUMN + MARGIN, MIN_WIDTH)
    x_of = {sid: GUTTER + (c + 0.5) * COLUMN for sid, c in column.items()}

    y = MARGIN
    title = Box(width / 2, y + header / 2, width - 2 * MARGIN, header)
    y += header
    phases: dict[str, Box] = {}
    if model.phases:
        phase_top = y
        y += PHASE_H
    lines_of = {s.id: sum(len(evidence_lines(e.name)) for e in s.evidence) for s in model.steps}
    card_h = {s.id: max(22 + CARD_LINE * lines_of[s.id], room.evidence.get(s.id, 0.0))
              for s in model.steps if s.evidence}
    evidence_h = max(max(card_h.values()) + 28 if card_h else 40.0, room.evidence_label + 8)
    evidence_row = Box(width / 2, y + evidence_h / 2, width, evidence_h)
    evidence = {sid: Box(x_of[sid], y + evidence_h / 2, CARD_W, h) for sid, h in card_h.items()}
    y += evidence_h
    zones: dict[str, Box] = {}
    lines: dict[str, float] = {}
    steps: dict[str, Box] = {}
    by_lane = {(lane.zone, lane.actor): lane for lane in lanes}
    for zone in ZONES:
        start = y
        for lane in (ln for ln in lanes if ln.zone == zone):
            lane.top = y
            lane.height = lane.rows * subrow_h if lane.rows else EMPTY_LANE
            y += lane.height
        zones[zone] = Box(width / 2, (start + y) / 2, width, y - start)
        for line, (_, lower) in LINES.items():
            if lower == zone:
                lines[line] = start
    for s in model.steps:
        lane = by_lane[(s.zone, s.actor)]
        steps[s.id] = Box(x_of[s.id], lane.top + (subrow[s.id] + 0.5) * subrow_h, STEP_W, step_h)
    height = y + MARGIN
    if model.phases:
        for name in model.phases:
            cols = [column[sid] for sid, p in phase_of.items() if p == name]
            if cols:
                left = GUTTER + min(cols) * COLUMN
                right = GUTTER + (max(cols) + 1) * COLUMN
                phases[name] = Box((left + right) / 2, phase_top + PHASE_H / 2,
                                   right - left - 6, PHASE_H - 6)
    return Geometry(width=width, height=height, columns=columns, steps=steps, column_of=column,
                    lanes=lanes, zones=zones, evidence_row=evidence_row, evidence=evidence,
                    lines=lines, phases=phases, title=title, badge=badge)
