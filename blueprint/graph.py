"""The model as a typed graph, its structural checks, and what the blueprint derives.

Nodes are steps (attributes ``zone``, ``actor``, ``phase``, ``order``, ``join``)
plus one ``end`` node where journeys finish. Edges carry a ``kind``:

- ``flow``  — the journey moves on (``p``: probability per class, ``None`` key
  when classes play no part; ``possible``: some class takes it);
- ``fork``  — parallel work started by ``next: {all: [...]}``;
- ``fail``  — a fail point's jump (``effect`` redo/goto/abandon);
- ``link``  — an information flow, drawn but never walked.

Every edge between steps says which of the three lines it ``crosses``:
interaction (customer | frontstage), visibility (frontstage | backstage) and
internal interaction (backstage | support).

>>> from blueprint.loader import load_text
>>> loaded = load_text('''
... blueprint: 1
... name: Coffee bar
... horizon: {open: "07:00", close: "11:00"}
... demand: {arrivals_per_hour: 40}
... resources: {barista: {capacity: 2}}
... steps:
...   - {id: order, zone: customer, evidence: [Menu board]}
...   - {id: take_order, zone: frontstage, resource: barista, duration: 1}
...   - {id: brew, zone: backstage, resource: barista, duration: 2, next: end}
... ''')
>>> touchpoints(loaded.graph)
['order', 'take_order']
>>> touchpoint_flows(loaded.graph)
[('order', 'take_order', 0)]
>>> sorted(line_crossings(loaded.graph))
['interaction', 'internal', 'visibility']
>>> line_crossings(loaded.graph)["visibility"]
[('take_order', 'brew')]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass

import networkx as nx

from blueprint.diagnostics import Finding
from blueprint.model import END, ZONES, Fork, ServiceModel, branch_probabilities

__all__ = [
    "LINES",
    "Complexity",
    "build_graph",
    "check_graph",
    "complexity",
    "fork_joins",
    "journey",
    "line_crossings",
    "lines_crossed",
    "touchpoint_flows",
    "touchpoints",
    "visit_ratios",
]

LINES: dict[str, tuple[str, str]] = {
    "interaction": ("customer", "frontstage"),
    "visibility": ("frontstage", "backstage"),
    "internal": ("backstage", "support"),
}
_LINE_NAMES = tuple(LINES)
_WALKED = {"flow", "fork", "fail"}


def lines_crossed(zone_from: str | None, zone_to: str | None) -> tuple[str, ...]:
    """The lines a flow from one zone to another crosses, top to bottom."""
    if zone_from is None or zone_to is None:
        return ()
    a, b = sorted((ZONES.index(zone_from), ZONES.index(zone_to)))
    return _LINE_NAMES[a:b]


def build_graph(model: ServiceModel) -> nx.MultiDiGraph:
    """The typed graph of a model whose references are all valid."""
    g: nx.MultiDiGraph = nx.MultiDiGraph(name=model.name, first=model.steps[0].id)
    for order, step in enumerate(model.steps):
        g.add_node(step.id, zone=step.zone, actor=step.actor, phase=step.phase, order=order,
                   join=step.join == "all", fork=isinstance(step.next, Fork), label=step.label)
    g.add_node(END, zone=None, actor=None, phase=None, order=len(model.steps), join=False,
               fork=False, label="end")
    classes = model.demand.class_names
    for order, step in enumerate(model.steps):
        blocked = any(f.p >= 1 and f.effect in ("goto", "abandon") for f in step.fail_points)
        following = model.steps[order + 1].id if order + 1 < len(model.steps) else END
        here = ("steps", order)
        if step.next is None or isinstance(step.next, str):
            target = step.next or following
            path = (*here, "next") if step.next else here
            _edge(g, step.id, target, kind="flow", p={None: 1.0}, possible=not blocked, path=path)
        elif isinstance(step.next, Fork):
            for j, target in enumerate(step.next.all):
                _edge(g, step.id, target, kind="fork", p={None: 1.0}, possible=not blocked,
                      path=(*here, "next", "all", j))
        else:
            table = branch_probabilities(step.next, classes)
            for j, branch in enumerate(step.next):
                p = {key: probs[j] for key, probs in table.items()}
                _edge(g, step.id, branch.to, kind="flow", p=p, label=branch.label,
                      possible=not blocked and any(v > 0 for v in p.values()),
                      path=(*here, "next", j, "to"))
        for j, fail in enumerate(step.fail_points):
            jump = {"redo": step.id, "goto": fail.goto, "abandon": END}.get(fail.effect)
            if jump is not None:
                _edge(g, step.id, jump, kind="fail", p={None: fail.p}, effect=fail.effect,
                      fail_point=fail.id, possible=True,
                      path=(*here, "fail_points", j, *(("goto",) if fail.goto else ())))
    for j, link in enumerate(model.links):
        _edge(g, link.source, link.target, kind="link", label=link.label, both=link.both,
              possible=False, path=("links", j))
    return g


def _edge(g: nx.MultiDiGraph, u: str, v: str, **attributes: object) -> None:
    crosses = lines_crossed(g.nodes[u]["zone"], g.nodes[v]["zone"])
    g.add_edge(u, v, crosses=crosses, **attributes)


def journey(g: nx.MultiDiGraph) -> nx.DiGraph:
    """The edges a customer can actually walk (flow, fork, fail; probability above 0)."""
    walked: nx.DiGraph = nx.DiGraph()
    walked.add_nodes_from(g.nodes(data=True))
    walked.add_edges_from(
        (u, v, d) for u, v, d in g.edges(data=True) if d["kind"] in _WALKED and d["possible"]
    )
    return walked


# --- checks ----------------------------------------------------------------------------------


def check_graph(g: nx.MultiDiGraph, model: ServiceModel) -> list[Finding]:
    """Structural errors: unreachable steps, endless loops, forks without joins, jumps into forks."""
    walked = journey(g)
    jumps = list(_into_forks(g, walked, _designed_joins(g)))
    if jumps:  # each mistake once: the fork checks do not walk the jumps already refused
        g = g.copy()
        for _, (u, v, key) in jumps:
            g.remove_edge(u, v, key)
    return [*_reachability(walked, model), *_forks(g, model), *(finding for finding, _ in jumps)]


def _reachability(walked: nx.DiGraph, model: ServiceModel) -> Iterator[Finding]:
    first = model.steps[0].id
    reached = nx.descendants(walked, first) | {first}
    finishing = nx.ancestors(walked, END)
    for order, step in enumerate(model.steps):
        if step.id not in reached:
            yield Finding("unreachable-step",
                          f"step {step.id!r} cannot be reached from the first step {first!r}",
                          ("steps", order))
    stuck = [s.id for s in model.steps if s.id not in finishing]
    trapped = walked.subgraph(stuck)
    for component in nx.strongly_connected_components(trapped):
        node = next(iter(component))
        if len(component) > 1 or trapped.has_edge(node, node):
            ordered = sorted(component, key=lambda s: walked.nodes[s]["order"])
            cycle = " -> ".join(ordered)
            yield Finding("endless-loop",
                          f"steps {cycle} loop with no way out to `end`",
                          _closing_edge(walked, component))
    # A step that cannot reach `end` always leads into such a loop (every step has a way on),
    # so the loops are the whole story: one cause, one report.


def _closing_edge(walked: nx.DiGraph, component: set[str]) -> tuple:
    """Where the loop turns back (the latest step jumping to an earlier one): a way out goes there."""
    order = walked.nodes
    back = [(order[u]["order"], d["path"]) for u, v, d in walked.subgraph(component).edges(data=True)
            if order[v]["order"] <= order[u]["order"]]
    return max(back, key=lambda item: item[0])[1]


def _forks(g: nx.MultiDiGraph, model: ServiceModel) -> Iterator[Finding]:
    joins_used: set[str] = set()
    memo: dict[str, str | None] = {}
    for order, step in enumerate(model.steps):
        if not isinstance(step.next, Fork):
            continue
        path = ("steps", order, "next")
        met: set[str] = set()
        for j, target in enumerate(step.next.all):
            joins, escapes = _first_joins(g, target, memo, {step.id})
            if escapes or not joins:
                yield Finding("fork-without-join",
                              f"branch {target!r} of this fork reaches `end` without meeting a "
                              "step with `join: all`", (*path, "all", j))
                break
            met |= joins
        else:
            if len(met) > 1:
                yield Finding("fork-without-join",
                              "the branches of this fork meet at different joins: "
                              + ", ".join(sorted(met)), path)
            joins_used |= met
            memo[step.id] = next(iter(met)) if len(met) == 1 else None
    for order, step in enumerate(model.steps):
        if step.join == "all" and step.id not in joins_used:
            yield Finding("join-without-fork",
                          f"step {step.id!r} waits for parallel branches (`join: all`) but no "
                          "fork's branches meet here", ("steps", order, "join"))


def _designed_joins(g: nx.MultiDiGraph) -> dict[str, str]:
    """Each fork's join as its `next`s lead there, before any fail point's jump is walked."""
    memo: dict[str, str | None] = {}
    found: dict[str, str] = {}
    for fork, is_fork in g.nodes(data="fork"):
        if not is_fork:
            continue
        met: set[str] = set()
        escapes = False
        for _, target, d in g.out_edges(fork, data=True):
            if d["kind"] == "fork":
                joins, out = _first_joins(g, target, memo, {fork}, jumps=False)
                met |= joins
                escapes |= out
        if len(met) == 1 and not escapes:
            found[fork] = met.pop()
    return found


Edge = tuple[str, str, int]


def _into_forks(g: nx.MultiDiGraph, walked: nx.DiGraph,
                joins: dict[str, str]) -> Iterator[tuple[Finding, Edge]]:
    """Jumps into the middle of a fork's parallel branches from anywhere but that branch.

    The steps strictly between a fork and its join are walked by the fork's
    branches, each on its own, up to the join. A customer who reaches one of
    them another way (a `goto`, a branch, a step above it) would walk that one
    branch and pass the join alone. A jump within its own branch (a redo loop),
    to the fork step or to the join is fine. The outermost fork is named, so
    the advice (go to the fork or its join) leads outside every fork entered.
    """
    regions = []
    for fork, join in joins.items():
        inside = _between(walked, fork, join)
        lanes = {target: _lane(g, target, fork, join) & inside
                 for _, target, d in g.out_edges(fork, data=True) if d["kind"] == "fork"}
        regions.append((fork, join, inside, lanes))
    regions.sort(key=lambda region: -len(region[2]))
    around: dict[str, list[int]] = {}  # step -> the regions it is inside, outermost first
    for number, (_, _, inside, _) in enumerate(regions):
        for step in inside:
            around.setdefault(step, []).append(number)
    for u, v, key, d in g.edges(keys=True, data=True):
        if v not in around or d["kind"] not in _WALKED or not d["possible"]:
            continue
        for fork, join, inside, lanes in (regions[number] for number in around[v]):
            if u == fork and d["kind"] == "fork":
                continue
            if u in inside:
                leaving = {t for t, steps in lanes.items() if u in steps}
                entering = {t for t, steps in lanes.items() if v in steps}
                if not leaving or not entering or leaving & entering:
                    continue  # within its own branch (or steps only a jump reaches)
                where = (f"in another parallel branch of fork {fork!r} than the one it leaves: "
                         f"each branch walks to the join {join!r} on its own, so this one would "
                         f"never finish; jump within this branch, or to the join {join!r}")
            else:
                where = (f"in the middle of the parallel branches of fork {fork!r}: the join "
                         f"{join!r} would let the customer through having walked this branch "
                         f"alone; go to {fork!r} or to the join {join!r} instead")
            yield Finding("into-fork", f"{_jump(u, v, d)} {v!r}, {where}", d["path"]), (u, v, key)
            break


def _jump(u: str, v: str, d: dict) -> str:
    """How an edge is written, for a message: a fail point's goto, a branch, a `next`."""
    if d["kind"] == "fail":
        return f"fail point {d['fail_point']!r} jumps to"
    if d["kind"] == "fork":
        return "this fork starts"
    if d["path"][-1] == "to":
        return "this branch leads to"
    if d["path"][-1] == "next":
        return "`next` leads to"
    return f"step {u!r} has no `next`, so it goes on to the step below,"


def _between(walked: nx.DiGraph, fork: str, join: str) -> set[str]:
    """Steps strictly between a fork and its join: reached from the fork before the join,
    and reaching the join without passing the fork again (so not a step before the fork)."""
    reached: set[str] = set()
    stack = [v for v in walked.successors(fork) if v not in (fork, join, END)]
    while stack:
        node = stack.pop()
        if node not in reached:
            reached.add(node)
            stack.extend(v for v in walked.successors(node) if v not in (fork, join, END))
    inside: set[str] = set()
    stack = [u for u in walked.predecessors(join) if u in reached]
    while stack:
        node = stack.pop()
        if node not in inside:
            inside.add(node)
            stack.extend(u for u in walked.predecessors(node) if u in reached)
    return inside


def _lane(g: nx.MultiDiGraph, start: str, fork: str, join: str) -> set[str]:
    """The steps one branch walks by design: its `next`s (and inner forks), before the join."""
    lane: set[str] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node in lane or node in (fork, join, END):
            continue
        lane.add(node)
        stack.extend(v for _, v, d in g.out_edges(node, data=True)
                     if d["kind"] in ("flow", "fork") and d["possible"])
    return lane


def _first_joins(g: nx.MultiDiGraph, start: str, memo: dict[str, str | None], busy: set[str],
                 *, jumps: bool = True) -> tuple[set[str], bool]:
    """Joins first met walking from `start`, and whether `end` is reached without one.

    An inner fork is passed by its own join; walking on from there, that join is
    not met again as a join of ours (a redo at the inner join, a loop back to it).
    ``jumps``: walk fail points' jumps too (False: the `next`s alone).
    """
    joins: set[str] = set()
    passed: set[str] = set()
    escapes = False
    seen: set[str] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node == END:
            escapes = True
            continue
        if g.nodes[node]["join"]:
            if node not in passed:
                joins.add(node)
            continue
        if g.nodes[node]["fork"]:
            if node in busy:
                continue
            inner = _inner_join(g, node, memo, busy, jumps=jumps)
            if inner is not None:
                passed.add(inner)
                stack.extend(_onward(g, inner, jumps=jumps))
            continue
        stack.extend(_onward(g, node, jumps=jumps))
    return joins, escapes


def _onward(g: nx.MultiDiGraph, node: str, *, jumps: bool = True) -> list[str]:
    return [v for _, v, d in g.out_edges(node, data=True)
            if (d["kind"] == "flow" or (jumps and d["kind"] == "fail")) and d["possible"]
            and d.get("effect") != "abandon"]


def _inner_join(g: nx.MultiDiGraph, fork: str, memo: dict[str, str | None], busy: set[str],
                *, jumps: bool = True) -> str | None:
    if fork not in memo:
        met: set[str] = set()
        for _, target, d in g.out_edges(fork, data=True):
            if d["kind"] == "fork":
                joins, _ = _first_joins(g, target, memo, busy | {fork}, jumps=jumps)
                met |= joins
        memo[fork] = next(iter(met)) if len(met) == 1 else None
    return memo[fork]


# --- derived facts ---------------------------------------------------------------------------


def touchpoint_flows(g: nx.MultiDiGraph) -> list[tuple[str, str, int]]:
    """The journey edges across the line of interaction, as (from, to, key), in journey order.

    Flows and forks between the customer's zone and the staff's are where the two
    meet: the drawing's heavy arrows. An information `link` across the line is
    drawn but never walked, and a fail point's jump is the failure's path, not a
    designed encounter, so neither is a touchpoint.
    """
    flows = [(u, v, key) for u, v, key, d in g.edges(keys=True, data=True)
             if d["kind"] in ("flow", "fork") and "interaction" in d["crosses"]]
    return sorted(flows, key=lambda e: (g.nodes[e[0]]["order"], g.nodes[e[1]]["order"], e[2]))


def touchpoints(g: nx.MultiDiGraph) -> list[str]:
    """Customer steps and the steps a flow across the line of interaction reaches or leaves."""
    found = {n for n, zone in g.nodes(data="zone") if zone == "customer"}
    for u, v, _ in touchpoint_flows(g):
        found |= {u, v}
    found.discard(END)
    return sorted(found, key=lambda n: g.nodes[n]["order"])


def line_crossings(g: nx.MultiDiGraph) -> dict[str, list[tuple[str, str]]]:
    """For each line, the journey flows that cross it (in journey order)."""
    crossings: dict[str, list[tuple[str, str]]] = {line: [] for line in LINES}
    for u, v, d in sorted(g.edges(data=True), key=lambda e: g.nodes[e[0]]["order"]):
        if d["kind"] in ("flow", "fork"):
            for line in d["crosses"]:
                if (u, v) not in crossings[line]:
                    crossings[line].append((u, v))
    return crossings


@dataclass(frozen=True)
class Complexity:
    """How intricate the service is (Shostack: complexity and divergence)."""

    steps: int
    decision_points: int
    branches: int
    forks: int
    loops: int
    fail_points: int
    wait_points: int

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def complexity(g: nx.MultiDiGraph, model: ServiceModel) -> Complexity:
    """Counts of steps, decisions, branches, forks, loops, fail points and wait points."""
    decisions = sum(1 for s in model.steps if isinstance(s.next, list) and len(s.next) > 1)
    branches = sum(len(s.next) for s in model.steps if isinstance(s.next, list) and len(s.next) > 1)
    walked = journey(g)
    loops = sum(1 for c in nx.strongly_connected_components(walked)
                if len(c) > 1 or walked.has_edge(next(iter(c)), next(iter(c))))
    return Complexity(
        steps=len(model.steps),
        decision_points=decisions,
        branches=branches,
        forks=sum(1 for s in model.steps if isinstance(s.next, Fork)),
        loops=loops,
        fail_points=sum(len(s.fail_points) for s in model.steps),
        wait_points=sum(1 for s in model.steps if s.wait_point),
    )


def fork_joins(g: nx.MultiDiGraph) -> dict[str, str]:
    """For each fork step of a checked model, the step where its branches meet."""
    memo: dict[str, str | None] = {}
    joins: dict[str, str] = {}
    for node, is_fork in g.nodes(data="fork"):
        if is_fork:
            join = _inner_join(g, node, memo, set())
            if join is not None:
                joins[node] = join
    return joins


def visit_ratios(g: nx.MultiDiGraph, model: ServiceModel) -> dict[str, float]:
    """Mean visits per customer to each step (traffic equations, classes weighted by share).

    Fail-point jumps count: a redo with p 0.2 makes 1.25 visits. Used to warn
    when offered load exceeds capacity, by lint (heavy rework) and by the
    queueing estimates. A large model is solved as a sparse system: the dense
    matrix of a 50,000-step model (a 10 MiB file can hold one) would take 20 GB.
    """
    import numpy as np

    shares: dict[str | None, float] = {c: k.share for c, k in (model.demand.classes or {}).items()}
    shares = shares or {None: 1.0}
    index = {s.id: i for i, s in enumerate(model.steps)}
    n = len(index)
    flow: dict[tuple[int, int], float] = {}
    # every branch of a fork arrives at its join, but the customer passes the join once
    branches_into = {join: len(model.step(fork).next.all)  # type: ignore[union-attr]
                     for fork, join in fork_joins(g).items()}
    for u, v, d in g.edges(data=True):
        if v == END or d["kind"] == "link" or not d["possible"]:
            continue
        if d["kind"] == "fail":
            p = d["p"][None]
        elif d["kind"] == "fork":
            p = 1.0
        else:
            p = sum(share * d["p"].get(c, d["p"].get(None, 0.0)) for c, share in shares.items())
        if d["kind"] != "fail":
            jumps = model.step(u).fail_points
            stay = 1.0 - sum(f.p for f in jumps if f.effect in ("redo", "goto", "abandon"))
            p *= max(stay, 0.0)
        cell = (index[u], index[v])
        flow[cell] = flow.get(cell, 0.0) + p / branches_into.get(v, 1)
    entry = np.zeros(n)
    entry[0] = 1.0
    if n <= _DENSE_STEPS:
        dense = np.zeros((n, n))
        for (i, j), p in flow.items():
            dense[i, j] = p
        visits = np.linalg.solve(np.eye(n) - dense.T, entry)
    else:
        from scipy.sparse import coo_array, identity
        from scipy.sparse.linalg import spsolve

        rows, columns = zip(*flow, strict=True) if flow else ((), ())
        moves = coo_array((list(flow.values()), (columns, rows)), shape=(n, n))  # transposed
        visits = spsolve((identity(n, format="csc") - moves.tocsc()).tocsc(), entry)
    return {s.id: float(visits[i]) for i, s in enumerate(model.steps)}


_DENSE_STEPS = 500  # up to this many steps the traffic equations are solved densely
