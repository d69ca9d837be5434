"""Design warnings: a valid blueprint that a service designer would still question.

None of these stop a model from loading or simulating; ``blueprint lint
--strict`` turns them into failures for teams that want them enforced.

=========================== ==============================================================
code                        why it matters
=========================== ==============================================================
no-evidence                 every customer action should show evidence (tangibles)
skips-visibility            a customer step wired straight to backstage hides who acts
no-recovery                 a fail point without a recovery plan is only half designed
unused-resource             a resource no step uses costs money and explains nothing
resource-without-duration   holding a server for no time never queues anyone
standard-over-tolerance     a target duration longer than the wait customers accept
empty-zone                  a blueprint zone with no steps (often a forgotten layer)
wait-point-without-queue    W marked where nothing is queued for
no-capacity                 nobody on duty (capacity 0, a shift of 0, a gap between
                            shifts) while customers can be at a step that needs the
                            resource: they wait for the next shift or for overtime
heavy-rework                a loop that makes customers visit a step more than
                            ``HEAVY_REWORK_VISITS`` (3) times on average: a redo with
                            probability p alone makes 1 / (1 - p) visits, so p > 2/3
=========================== ==============================================================
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator

import networkx as nx

from blueprint.diagnostics import Finding
from blueprint.graph import journey, visit_ratios
from blueprint.model import (
    END,
    ZONES,
    Distribution,
    Empirical,
    Fixed,
    ServiceModel,
    Triangular,
    Uniform,
    format_clock,
)

__all__ = ["HEAVY_REWORK_VISITS", "LINT_CODES", "lint"]

HEAVY_REWORK_VISITS = 3.0
"""Mean visits per customer to a step in a loop above which lint warns (`heavy-rework`)."""
_NEGLIGIBLE = 1e-12

LINT_CODES = (
    "no-evidence",
    "skips-visibility",
    "no-recovery",
    "unused-resource",
    "resource-without-duration",
    "standard-over-tolerance",
    "empty-zone",
    "wait-point-without-queue",
    "no-capacity",
    "heavy-rework",
)


def lint(g: nx.MultiDiGraph, model: ServiceModel) -> list[Finding]:
    """Every design warning for a loaded model, in file order."""
    visits = visit_ratios(g, model)
    return [*_steps(model), *_flows(g, model), *_resources(model), *_zones(model),
            *_no_capacity(g, model, visits), *_rework(g, model, visits)]


def _warn(code: str, message: str, path: tuple, *, at_key: bool = False) -> Finding:
    return Finding(code, message, path, severity="warning", at_key=at_key)


def _steps(model: ServiceModel) -> Iterator[Finding]:
    for i, step in enumerate(model.steps):
        here = ("steps", i)
        if step.zone == "customer" and not step.evidence:
            yield _warn("no-evidence",
                        f"customer step {step.id!r} shows no physical evidence (`evidence: [...]`)",
                        here)
        for j, fail in enumerate(step.fail_points):
            if not fail.recovery:
                yield _warn("no-recovery",
                            f"fail point {fail.id!r} has no `recovery`: say how staff put it right",
                            (*here, "fail_points", j))
        if step.resource is not None and (step.duration is None or step.duration.mean == 0):
            yield _warn("resource-without-duration",
                        f"step {step.id!r} holds {step.resource!r} but takes no time",
                        (*here, "resource"))
        if step.standard is not None and step.tolerance is not None and step.standard > step.tolerance:
            yield _warn("standard-over-tolerance",
                        f"standard {step.standard:g} is longer than the tolerance "
                        f"{step.tolerance:g} customers accept", (*here, "standard"))
        if step.wait_point and step.resource is None:
            yield _warn("wait-point-without-queue",
                        f"step {step.id!r} is a wait point but uses no resource, so nobody queues",
                        (*here, "wait_point"))


def _flows(g: nx.MultiDiGraph, model: ServiceModel) -> Iterator[Finding]:
    for u, v, d in g.edges(data=True):
        if d["kind"] not in ("flow", "fork") or g.nodes[u]["zone"] != "customer":
            continue
        if g.nodes[v]["zone"] in ("backstage", "support"):
            path = d["path"]
            yield _warn("skips-visibility",
                        f"customer step {u!r} leads straight to {g.nodes[v]['zone']} step {v!r}, "
                        "skipping the line of visibility", path)


def _resources(model: ServiceModel) -> Iterator[Finding]:
    used = {s.resource for s in model.steps}
    for rid in model.resources:
        if rid not in used:
            yield _warn("unused-resource", f"resource {rid!r} is not used by any step",
                        ("resources", rid), at_key=True)


def _zones(model: ServiceModel) -> Iterator[Finding]:
    for zone in ZONES:
        if not model.steps_in(zone):
            yield _warn("empty-zone", f"the {zone} zone has no steps", ("steps",), at_key=True)


# --- capacity and rework: what the routing and the shifts imply ---------------------------------


def _no_capacity(g: nx.MultiDiGraph, model: ServiceModel,
                 visits: dict[str, float]) -> Iterator[Finding]:
    """Resources with nobody on duty at times customers can reach a step that needs them.

    Customers reach a step from the first arrival plus the quickest way there
    until the last arrival plus the slowest (without end when a queue, a loop
    or a duration without upper bound lies on the way). A stretch with no
    server inside that window leaves them waiting for the next shift, or for
    overtime after closing; in a steady-state run with capacity 0, forever.
    """
    arrivals = _arrival_window(model)
    if arrivals is None:
        return
    needing: dict[str, list[str]] = {}
    for step in model.steps:
        if step.resource is not None and visits.get(step.id, 0.0) > _NEGLIGIBLE:
            needing.setdefault(step.resource, []).append(step.id)
    reach: dict[str, tuple[float, float]] | None = None
    end = model.horizon_end
    for rid, steps in needing.items():
        gaps = _without_servers(model, rid)
        if gaps and reach is None:
            reach = _reach_times(g, model)
        reached = [] if reach is None else [
            (arrivals[0] + reach[s][0], arrivals[1] + reach[s][1]) for s in steps]
        gaps = [(a, b) for a, b in gaps if any(a < last and first < b for first, last in reached)]
        if not gaps:
            continue
        who = _steps_named(steps)
        if not model.is_day:
            message = (f"resource {rid!r} has no server (capacity 0), yet {who} needs it: "
                       "its customers are never served")
        elif gaps == [(0.0, end)]:
            message = (f"resource {rid!r} has no server on duty at any time of the day, yet {who} "
                       "needs it: its customers wait until closing and are served only in overtime")
        else:
            hours = _and([f"{_clock(model, a)}–{_clock(model, b)}" for a, b in gaps])
            message = (f"resource {rid!r} has no server on duty {hours}, when customers can reach "
                       f"{who}: they wait for the next shift, or for overtime after closing")
        yield _warn("no-capacity", message, ("resources", rid), at_key=True)


def _arrival_window(model: ServiceModel) -> tuple[float, float] | None:
    """The first and last moments customers arrive (model time); None when nobody does."""
    if model.trace is not None:
        times = [time for time, _ in model.trace]
        return (min(times), max(times)) if times else None
    if model.demand.scale <= 0:
        return None
    busy = [(a, b) for a, b, rate in model.arrival_pieces or [] if rate > 0 and b > a]
    return (busy[0][0], busy[-1][1]) if busy else None


def _reach_times(g: nx.MultiDiGraph, model: ServiceModel) -> dict[str, tuple[float, float]]:
    """For each step, the least and the most time after arriving that a customer reaches it.

    The most is infinite past a queue, a loop, or a duration (or fail-point
    delay) without upper bound; the least takes the quickest way, every
    duration at its lower bound and no fail point firing.
    """
    walked = journey(g)
    walked.remove_node(END)
    quickest = {s.id: _bounds(s.duration)[0] for s in model.steps}
    slowest = {s.id: math.inf if s.resource is not None else
               _bounds(s.duration)[1] + sum(_bounds(f.delay)[1] for f in s.fail_points)
               for s in model.steps}
    first = model.steps[0].id
    least = {first: 0.0}
    heap = [(0.0, first)]
    while heap:
        time, step = heapq.heappop(heap)
        if time > least.get(step, math.inf):
            continue
        for after in walked.successors(step):
            if time + quickest[step] < least.get(after, math.inf):
                least[after] = time + quickest[step]
                heapq.heappush(heap, (least[after], after))
    most: dict[str, float] = {}
    condensed = nx.condensation(walked)
    for component in nx.topological_sort(condensed):
        members = condensed.nodes[component]["members"]
        looped = len(members) > 1 or any(walked.has_edge(m, m) for m in members)
        for step in members:
            before = [most[u] + slowest[u] for u in walked.predecessors(step) if u in most]
            most[step] = math.inf if looped else max(before, default=0.0)
    return {s.id: (least.get(s.id, math.inf), most.get(s.id, math.inf)) for s in model.steps}


def _bounds(duration: Distribution | None) -> tuple[float, float]:
    """The least and the most a duration can take (infinite when it has no upper bound)."""
    if duration is None:
        return 0.0, 0.0
    if isinstance(duration, Fixed):
        return duration.value, duration.value
    if isinstance(duration, Uniform | Triangular):
        return duration.low, duration.high
    if isinstance(duration, Empirical):
        return min(duration.values), max(duration.values)
    return 0.0, math.inf


def _without_servers(model: ServiceModel, rid: str) -> list[tuple[float, float]]:
    """The stretches of the horizon with no server of a resource, in time order."""
    end = model.horizon_end
    gaps: list[tuple[float, float]] = []
    covered = 0.0
    for start, stop, servers in sorted(model.capacity_pieces(rid)):
        if start > covered:
            gaps.append((covered, min(start, end)))
        if servers <= 0:
            gaps.append((max(start, covered), min(stop, end)))
        covered = max(covered, stop)
    if covered < end:
        gaps.append((covered, end))
    merged: list[tuple[float, float]] = []
    for a, b in gaps:
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _clock(model: ServiceModel, time: float) -> str:
    return format_clock(model.time_to_clock(time))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _steps_named(steps: list[str]) -> str:
    quoted = [repr(s) for s in steps]
    return f"step {quoted[0]}" if len(quoted) == 1 else f"steps {_and(quoted)}"


def _rework(g: nx.MultiDiGraph, model: ServiceModel, visits: dict[str, float]) -> Iterator[Finding]:
    """Loops that bring customers back to a step more than HEAVY_REWORK_VISITS times.

    A redo with probability p makes 1 / (1 - p) visits; a loop through several
    steps, its traffic equations' solution. One warning per loop, at the jump
    or branch that closes it and is taken most often, where p is changed.
    """
    walked = journey(g)
    order = g.nodes
    for component in nx.strongly_connected_components(walked):
        node = next(iter(component))
        if len(component) == 1 and not walked.has_edge(node, node):
            continue
        busiest = max(sorted(component, key=lambda s: order[s]["order"]),
                      key=lambda s: visits.get(s, 0.0))
        count = visits.get(busiest, 0.0)
        if count <= HEAVY_REWORK_VISITS:
            continue
        # a loop always turns back somewhere: the latest jump or branch to an earlier step
        back = [(max(d["p"].values()), order[u]["order"], d) for u, v, d in g.edges(data=True)
                if u in component and v in component and d["kind"] in ("flow", "fork", "fail")
                and d["possible"] and order[v]["order"] <= order[u]["order"]]
        p, _, closing = max(back, key=lambda item: item[:2])
        taken = f" (p {p:g})" if p < 1 else ""
        yield _warn("heavy-rework",
                    f"customers visit step {busiest!r} {_times(count)} times on average, through "
                    f"this loop back{taken}: heavy rework (a loop taken with probability p "
                    f"makes 1 / (1 - p) visits; lint warns above {HEAVY_REWORK_VISITS:g})",
                    _probability_path(model, closing))


def _times(count: float) -> str:
    return f"{count:.1f}" if count < 100 else f"{count:,.0f}"


def _probability_path(model: ServiceModel, edge: dict) -> tuple:
    """Where the probability of a jump or branch is written (else the reference itself)."""
    path = edge["path"]
    if edge["kind"] == "fail":
        return (*path[:4], "p")
    branches = model.steps[path[1]].next
    if path[-1] == "to" and isinstance(branches, list) and branches[path[3]].p is not None:
        return (*path[:-1], "p")
    return path
