"""Where everything goes: the blueprint's grid, computed before Graphviz sees it.

Graphviz's `dot` cannot keep swimlanes in order, so the grid is ours: bands
top to bottom (evidence, customer, frontstage, backstage, support, each zone
split into its actors' sub-lanes), time left to right (a column per step in
journey order, parallel branches sharing columns, a step directly below the
customer action it answers when nothing else competes for the column).
Graphviz is only asked to route the edges between boxes that are pinned here.

Step boxes are `step_w` points wide (:data:`STEP_W` unless the drawing is
asked for another width) and as tall as the text of the tallest step in
their lane needs (:class:`TextRoom`, measured in the drawing's font), never
less than the default; lanes, phase headers and the evidence row grow the
same way. A fork's diamond sits just right of the forking step, a join's bar
just left of the step that waits for the branches.

Coordinates are points (1/72 inch), origin top-left, y growing downwards.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from blueprint.graph import LINES
from blueprint.model import END, ZONES, Fork, ServiceModel

__all__ = ["BADGE", "COLUMN_GAP", "GUTTER", "LANE_LABEL_W", "MIN_WIDTH", "STEP_H", "STEP_W",
           "SUBROW", "Box", "Geometry", "Lane", "TextRoom", "card_width", "compute_layout",
           "lane_order", "phase_widths"]

GUTTER = 132.0          # lane labels on the left
LANE_LABEL_W = 120.0    # the text of a lane's label
COLUMN_GAP = 44.0       # between the boxes of two columns
STEP_W, STEP_H = 152.0, 70.0
SUBROW = 108.0          # height of one sub-row in a lane of default boxes
EMPTY_LANE = 56.0       # a zone with no steps still shows its band
HEADER = 64.0           # title
PHASE_H = 30.0          # phase header row
MARGIN = 16.0
MIN_WIDTH = 720.0       # room for the title and the legend
BADGE = 14.0            # an F or W mark's circle, unless its letter needs more
DIAMOND = 16.0          # a fork's diamond
BAR_W = 5.0             # a join's bar
CARD_GAP = 8.0          # between two evidence cards stacked in one column


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
    """The heights (points) text needs in each kind of box, measured in the drawing's font.

    Missing or zero means "no more than the default": a box is never smaller than the grid's own.
    """

    step: dict[str, float] = field(default_factory=dict)      # each step's text
    evidence: dict[str, float] = field(default_factory=dict)  # each step's evidence card
    evidence_label: float = 0.0                               # "Physical evidence"
    title: float = 0.0
    badge: float = 0.0                                        # an F or W mark's letter
    phases: dict[str, float] = field(default_factory=dict)    # each phase's header
    lanes: dict[tuple[str, str | None], float] = field(default_factory=dict)  # (zone, actor)


@dataclass
class Lane:
    """One swimlane: a zone, or an actor's sub-lane of it."""

    zone: str
    actor: str | None
    rows: int
    top: float = 0.0
    height: float = 0.0
    box_h: float = STEP_H     # the height of every step box in the lane
    row_h: float = SUBROW     # the height of one sub-row: a box, its marks and the gap


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
    forks: dict[str, Box] = field(default_factory=dict)   # forking step -> its diamond
    joins: dict[str, Box] = field(default_factory=dict)   # joining step -> its bar
    step_w: float = STEP_W


def card_width(step_w: float) -> float:
    """An evidence card is as wide as the step box under it, less a hair."""
    return step_w - 2.0


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
        if not nx.has_path(dag, v, u):  # the edge would close a loop
            dag.add_edge(u, v)
    return dag


def _columns(g: nx.MultiDiGraph, model: ServiceModel) -> tuple[dict[str, int], dict[str, str]]:
    """Column of each step and the phase it is drawn under."""
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
        lane = (step.zone, step.actor)
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


def phase_widths(g: nx.MultiDiGraph, model: ServiceModel, step_w: float = STEP_W) -> dict[str, float]:
    """The width (points) of each phase's header: the columns it spans."""
    column, phase_of = _columns(g, model)
    spans: dict[str, list[int]] = defaultdict(list)
    for step_id, phase in phase_of.items():
        spans[phase].append(column[step_id])
    pitch = step_w + COLUMN_GAP
    return {name: (max(cols) - min(cols) + 1) * pitch - 6 for name, cols in spans.items()}


def lane_order(model: ServiceModel) -> list[tuple[str, str | None]]:
    """The lanes drawn, top to bottom, as (zone, actor): each zone's actors, then its steps
    without an actor (a zone with neither still gets one lane)."""
    order: list[tuple[str, str | None]] = []
    for zone in ZONES:
        steps = model.steps_in(zone)
        actors: list[str | None] = list(model.actors.get(zone, []))  # type: ignore[call-overload]
        if any(s.actor is None for s in steps) or not actors:
            actors.append(None)
        order += [(zone, actor) for actor in actors]
    return order


def _lanes(model: ServiceModel, column: dict[str, int]) -> tuple[list[Lane], dict[str, int]]:
    """Lanes top to bottom, and each step's sub-row inside its lane."""
    lanes: list[Lane] = []
    subrow: dict[str, int] = {}
    for zone, actor in lane_order(model):
        per_column: dict[int, int] = defaultdict(int)
        for s in model.steps_in(zone):
            if s.actor == actor:
                subrow[s.id] = per_column[column[s.id]]
                per_column[column[s.id]] += 1
        lanes.append(Lane(zone, actor, max(per_column.values(), default=0)))
    return lanes, subrow


def compute_layout(g: nx.MultiDiGraph, model: ServiceModel, extra_rows: int = 0,
                   room: TextRoom | None = None, step_w: float = STEP_W) -> Geometry:
    """The full grid for a checked model and its graph.

    ``extra_rows`` lines of small text are added to every step box (an overlay's figures);
    ``room`` makes boxes, lanes and headers taller where their measured text needs it;
    ``step_w`` is the width of a step box (the columns keep a fixed gap between them).
    """
    room = room or TextRoom()
    pitch = step_w + COLUMN_GAP
    least_h = STEP_H + 11 * extra_rows
    badge = max(BADGE, room.badge)
    header = max(HEADER, room.title + 8)
    phase_h = max([PHASE_H, *(h + 10 for h in room.phases.values())])
    column, phase_of = _columns(g, model)
    columns = max(column.values()) + 1
    lanes, subrow = _lanes(model, column)
    width = max(GUTTER + columns * pitch + MARGIN, MIN_WIDTH)
    x_of = {sid: GUTTER + (c + 0.5) * pitch for sid, c in column.items()}

    y = MARGIN
    title = Box(width / 2, y + header / 2, width - 2 * MARGIN, header)
    y += header
    phases: dict[str, Box] = {}
    phase_top = y
    if model.phases:
        y += phase_h
    card_h = {s.id: room.evidence.get(s.id, 35.0) for s in model.steps if s.evidence}
    stacks: dict[int, list[str]] = defaultdict(list)  # customer steps sharing a column share it
    for sid in card_h:
        stacks[column[sid]].append(sid)
    stack_h = {c: sum(card_h[sid] for sid in ids) + CARD_GAP * (len(ids) - 1)
               for c, ids in stacks.items()}
    evidence_h = max(max(stack_h.values()) + 28 if stack_h else 40.0, room.evidence_label + 8)
    evidence_row = Box(width / 2, y + evidence_h / 2, width, evidence_h)
    card_w = card_width(step_w)
    evidence: dict[str, Box] = {}
    for c, ids in stacks.items():
        top = y + (evidence_h - stack_h[c]) / 2
        for sid in ids:
            evidence[sid] = Box(x_of[sid], top + card_h[sid] / 2, card_w, card_h[sid])
            top += card_h[sid] + CARD_GAP
    y += evidence_h
    zones: dict[str, Box] = {}
    lines: dict[str, float] = {}
    by_lane = {(lane.zone, lane.actor): lane for lane in lanes}
    tallest: dict[tuple[str, str | None], float] = defaultdict(float)
    for s in model.steps:
        tallest[(s.zone, s.actor)] = max(tallest[(s.zone, s.actor)], room.step.get(s.id, 0.0))
    for zone in ZONES:
        start = y
        for lane in (ln for ln in lanes if ln.zone == zone):
            key = (lane.zone, lane.actor)
            lane.box_h = max(least_h, tallest[key])
            lane.row_h = lane.box_h + SUBROW - STEP_H + 2 * (badge - BADGE)  # marks sit above
            lane.top = y
            lane.height = max(lane.rows * lane.row_h if lane.rows else EMPTY_LANE,
                              room.lanes.get(key, 0.0) + 36)  # and a line's name under it
            y += lane.height
        zones[zone] = Box(width / 2, (start + y) / 2, width, y - start)
        for line, (_, lower) in LINES.items():
            if lower == zone:
                lines[line] = start
    steps: dict[str, Box] = {}
    for s in model.steps:
        lane = by_lane[(s.zone, s.actor)]
        first_row = lane.top + (lane.height - lane.rows * lane.row_h) / 2
        steps[s.id] = Box(x_of[s.id], first_row + (subrow[s.id] + 0.5) * lane.row_h, step_w,
                          lane.box_h)
    height = y + MARGIN
    if model.phases:
        for name in model.phases:
            cols = [column[sid] for sid, p in phase_of.items() if p == name]
            if cols:
                left = GUTTER + min(cols) * pitch
                right = GUTTER + (max(cols) + 1) * pitch
                phases[name] = Box((left + right) / 2, phase_top + phase_h / 2,
                                   right - left - 6, phase_h - 6)
    forks = {s.id: Box(steps[s.id].right + 6 + DIAMOND / 2, steps[s.id].y, DIAMOND, DIAMOND)
             for s in model.steps if isinstance(s.next, Fork)}
    joins = {s.id: Box(steps[s.id].left - 8 - BAR_W / 2, steps[s.id].y, BAR_W,
                       max(24.0, steps[s.id].h - 16))
             for s in model.steps if s.join == "all"}
    return Geometry(width=width, height=height, columns=columns, steps=steps, column_of=column,
                    lanes=lanes, zones=zones, evidence_row=evidence_row, evidence=evidence,
                    lines=lines, phases=phases, title=title, badge=badge, forks=forks, joins=joins,
                    step_w=step_w)
