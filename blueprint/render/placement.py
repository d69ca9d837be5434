"""Edge labels placed by us, after the edges are routed: clear of every box and of each other.

Graphviz puts an edge's label near the middle of its path with no regard for
the other labels, so two branches leaving one step print their shares over
each other, and a long link's label can land on a box. Here every label is
measured, then tried at points along its own path — on the line (its
background hides the line under it) or just beside it — and takes the best
spot that overlaps no step, badge, card, fork or join mark, lane name or
label already placed. "Best" prefers a branch's share near the step it
leaves and anything else near its middle, and avoids sitting on other edges'
lines. Short paths choose first, having fewer spots. A label that finds no
room by its path moves out from it, ring by ring, and a thin leader line
ties it back to its edge.

Coordinates are points, y down, like :mod:`blueprint.render.layout`.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Placed", "Rect", "place_labels", "polyline"]

Point = tuple[float, float]
Rect = tuple[float, float, float, float]   # left, top, right, bottom
GAP = 2.5          # the least room between a label and anything it must not touch
_CELL = 48.0       # the grid the obstacles are filed in
_RINGS = (10.0, 22.0, 38.0, 60.0, 90.0, 130.0, 180.0, 250.0)  # leader lengths tried, in turn


@dataclass(frozen=True)
class Placed:
    """Where a label went: its centre and size, and the leader line to its edge, if any."""

    x: float
    y: float
    w: float
    h: float
    leader: tuple[Point, Point] | None = None

    @property
    def rect(self) -> Rect:
        return (self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2)


def polyline(pos: str, height: float, steps: int = 8) -> list[Point]:
    """The points of a Graphviz spline (`pos`, y up in a canvas `height` tall), y down."""
    points = []
    for token in pos.split():
        if token.startswith(("e,", "s,")):
            continue
        x, y = token.split(",")
        points.append((float(x), height - float(y)))
    if len(points) < 4:
        return points
    out = [points[0]]
    for k in range(1, len(points) - 2, 3):
        p0, p1, p2, p3 = points[k - 1], points[k], points[k + 1], points[k + 2]
        for i in range(1, steps + 1):
            t = i / steps
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t ** 3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                        a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def _overlap(a: Rect, b: Rect, gap: float = 0.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


class _Grid:
    """Rectangles or segments filed by the grid cells they touch, to find the near ones fast."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)

    @staticmethod
    def _span(rect: Rect) -> Iterable[tuple[int, int]]:
        for i in range(math.floor(rect[0] / _CELL), math.floor(rect[2] / _CELL) + 1):
            for j in range(math.floor(rect[1] / _CELL), math.floor(rect[3] / _CELL) + 1):
                yield i, j

    def file(self, index: int, rect: Rect) -> None:
        for cell in self._span(rect):
            self.cells[cell].append(index)

    def near(self, rect: Rect) -> set[int]:
        found: set[int] = set()
        for cell in self._span(rect):
            found.update(self.cells.get(cell, ()))
        return found


class _Scene:
    """What labels must keep clear of (boxes, placed labels) and what they should (other lines)."""

    def __init__(self, obstacles: Sequence[Rect], paths: Sequence[Sequence[Point]],
                 rules: Sequence[float], run_on: float = 0.0) -> None:
        self.run_on = run_on
        self.rects: list[Rect] = []
        self.rect_grid = _Grid()
        for rect in obstacles:
            self.block(rect)
        self.segments: list[tuple[int, Point, Point]] = []
        self.segment_grid = _Grid()
        for edge, path in enumerate(paths):
            for a, b in itertools.pairwise(path):
                self.segment_grid.file(len(self.segments), (min(a[0], b[0]), min(a[1], b[1]),
                                                            max(a[0], b[0]), max(a[1], b[1])))
                self.segments.append((edge, a, b))
        self.rules = rules

    def block(self, rect: Rect) -> None:
        self.rect_grid.file(len(self.rects), rect)
        self.rects.append(rect)

    def kept(self, rect: Rect) -> Rect:
        """The room a label at `rect` keeps: itself and its run-on to the right."""
        return (rect[0], rect[1], rect[2] + self.run_on * (rect[2] - rect[0]), rect[3])

    def free(self, rect: Rect) -> bool:
        """Whether a label may go at `rect`: nothing within GAP of the room it keeps."""
        rect = self.kept(rect)
        grown = (rect[0] - GAP, rect[1] - GAP, rect[2] + GAP, rect[3] + GAP)
        return not any(_overlap(rect, self.rects[k], GAP) for k in self.rect_grid.near(grown))

    def crossings(self, rect: Rect, own: int) -> int:
        """How many other edges' lines run through `rect`."""
        edges = {self.segments[k][0] for k in self.segment_grid.near(rect)
                 if self.segments[k][0] != own and _cuts(rect, *self.segments[k][1:])}
        rules = sum(1 for y in self.rules if rect[1] < y < rect[3])
        return len(edges) + rules


def _cuts(rect: Rect, a: Point, b: Point) -> bool:
    """Whether the segment a-b passes through `rect` (Liang-Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - rect[0]), (dx, rect[2] - a[0]), (-dy, a[1] - rect[1]),
                 (dy, rect[3] - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return True


def _stations(path: Sequence[Point], spacing: float) -> list[tuple[float, Point, Point]]:
    """Points every `spacing` along the path: (distance from its start, point, unit tangent)."""
    out: list[tuple[float, Point, Point]] = []
    travelled, next_at = 0.0, 0.0
    for a, b in itertools.pairwise(path):
        length = math.dist(a, b)
        if length == 0:
            continue
        tangent = ((b[0] - a[0]) / length, (b[1] - a[1]) / length)
        while next_at <= travelled + length:
            f = (next_at - travelled) / length
            out.append((next_at, (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])), tangent))
            next_at += spacing
        travelled += length
    return out


def _length(path: Sequence[Point]) -> float:
    return sum(math.dist(a, b) for a, b in itertools.pairwise(path))


def _inside(rect: Rect, area: Rect) -> bool:
    return rect[0] >= area[0] and rect[1] >= area[1] and rect[2] <= area[2] and rect[3] <= area[3]


def _centred(x: float, y: float, w: float, h: float) -> Rect:
    return (x - w / 2, y - h / 2, x + w / 2, y + h / 2)


def place_labels(paths: Sequence[Sequence[Point]], sizes: Sequence[tuple[float, float] | None],
                 prefer: Sequence[float], obstacles: Sequence[Rect], area: Rect,
                 rules: Sequence[float] = (), run_on: float = 0.0) -> list[Placed | None]:
    """A place for the label of each path (None where a path has no label).

    ``prefer`` is, per path, the share of its length (0..1) the label should sit nearest;
    ``obstacles`` are the boxes no label may touch; ``area`` is where labels may go;
    ``rules`` are the y of horizontal lines a label should rather not straddle; ``run_on``
    is a share of a label's width kept free to the right of it as well, where its lines
    would run on in a font that sets them wider.
    """
    scene = _Scene(obstacles, paths, rules, run_on)
    placed: list[Placed | None] = [None] * len(paths)
    order = sorted((k for k, size in enumerate(sizes) if size is not None),
                   key=lambda k: (_length(paths[k]), k))
    for k in order:
        size = sizes[k]
        assert size is not None
        spot = _on_the_path(scene, k, paths[k], size, prefer[k], area)
        if spot is None:
            spot = _off_the_path(scene, k, paths[k], size, prefer[k], area)
        if spot is None:  # nowhere free in reach: on the line at its preferred point
            _, point, _ = _at(paths[k], prefer[k])
            spot = Placed(point[0], point[1], *size)
        placed[k] = spot
        scene.block(scene.kept(spot.rect))
    return placed


def _at(path: Sequence[Point], share: float) -> tuple[float, Point, Point]:
    total = _length(path)
    stations = _stations(path, max(total / 50, 1.0)) or [(0.0, path[0], (1.0, 0.0))]
    return min(stations, key=lambda s: abs(s[0] - share * total))


def _on_the_path(scene: _Scene, own: int, path: Sequence[Point], size: tuple[float, float],
                 prefer: float, area: Rect) -> Placed | None:
    """The best free spot on the path or just beside it, or None."""
    w, h = size
    total = _length(path)
    if total == 0:
        return None
    best: tuple[float, Placed] | None = None
    spacing = max(4.0, min(12.0, total / 40))
    for travelled, (x, y), (tx, ty) in _stations(path, spacing):
        if travelled < 4 or travelled > total - 12:  # keep off the arrowhead and the tail's box
            continue
        nx_, ny_ = -ty, tx
        beside = GAP + 1 + abs(nx_) * w / 2 + abs(ny_) * h / 2
        for shift, penalty in ((0.0, 0.0), (beside, 0.4), (-beside, 0.4)):
            cost = abs(travelled - prefer * total) / 60 + penalty
            if best is not None and cost >= best[0]:  # other lines could only add to it
                continue
            cx, cy = x + nx_ * shift, y + ny_ * shift
            rect = _centred(cx, cy, w, h)
            if not _inside(scene.kept(rect), area) or not scene.free(rect):
                continue
            cost += 3 * scene.crossings(rect, own)
            if best is None or cost < best[0]:
                best = (cost, Placed(cx, cy, w, h))
    return best[1] if best else None


def _off_the_path(scene: _Scene, own: int, path: Sequence[Point], size: tuple[float, float],
                  prefer: float, area: Rect) -> Placed | None:
    """The best free spot further from the path, ring by ring, with a leader line to it.

    Within the nearest ring that has room, the spot crossing the fewest other lines wins,
    then the one nearest the preferred point, square off the path rather than along it.
    """
    w, h = size
    total = _length(path)
    stations = [s for s in _stations(path, max(8.0, total / 24)) if 4 <= s[0] <= total - 12]
    if not stations:
        stations = _stations(path, max(total / 4, 1.0))
    for ring in _RINGS:
        best: tuple[float, Placed] | None = None
        for travelled, (x, y), (tx, ty) in stations:
            for angle in range(0, 360, 30):
                dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
                reach = ring + abs(dx) * w / 2 + abs(dy) * h / 2
                cx, cy = x + dx * reach, y + dy * reach
                rect = _centred(cx, cy, w, h)
                if not _inside(scene.kept(rect), area) or not scene.free(rect):
                    continue
                along = abs(dx * tx + dy * ty)
                cost = (3 * scene.crossings(rect, own) + abs(travelled - prefer * total) / 60
                        + 0.5 * along)
                if best is None or cost < best[0]:
                    out = min(w / 2 / abs(dx) if abs(dx) > 1e-9 else math.inf,
                              h / 2 / abs(dy) if abs(dy) > 1e-9 else math.inf)
                    best = (cost, Placed(cx, cy, w, h, leader=((cx - dx * out, cy - dy * out), (x, y))))
        if best is not None:
            return best[1]
    return None
