"""How fast a large blueprint draws: a generated 200-step, 12-actor service to SVG.

Prints our two-pass swimlane drawing beside Graphviz's own `dot` layout of the
same steps and flows (no lanes, no bands) as the peer, as a ratio. Target:
under 3 s for the SVG.

    .venv/bin/python benchmarks/bench_render.py [--steps 200]
"""

from __future__ import annotations

import argparse
import time

import pygraphviz as pgv

from blueprint.api import Blueprint
from blueprint.loader import load_text
from blueprint.render.graphviz import graphviz_messages

ZONES = ("customer", "frontstage", "backstage", "support")
ACTORS = {"customer": [], "frontstage": ["Host", "Clerk", "Advisor", "Cashier"],
          "backstage": ["Kitchen", "Back office", "Supervisor", "Dispatch"],
          "support": ["CRM", "Stock", "Billing", "IT desk"]}


def generated_model(steps: int) -> str:
    lines = ["blueprint: 1", f"name: Generated service with {steps} steps",
             'horizon: {open: "08:00", close: "20:00"}', "actors:",
             *(f"  {zone}: [{', '.join(a)}]" for zone, a in ACTORS.items() if a),
             "resources:", *(f"  desk_{r}: {{capacity: 2}}" for r in range(8)),
             "demand: {arrivals_per_hour: 30}", "steps:"]
    for i in range(steps):
        zone = ZONES[(i * 7 // 3) % 4]
        lines += [f"  - id: s{i}", f"    zone: {zone}", f"    name: Step {i} of the generated journey"]
        if ACTORS[zone]:
            lines.append(f"    actor: {ACTORS[zone][i % len(ACTORS[zone])]}")
        if zone == "customer":
            lines.append("    evidence: [Signage, Receipt]")
        lines += [f"    resource: desk_{i % 8}", "    duration: {dist: exponential, mean: 3}"]
        if i % 9 == 4:
            lines += ["    wait_point: true", "    fail_points:",
                      f"      - {{id: f{i}, name: Slip, p: 0.05, effect: redo, recovery: Redo}}"]
        if i % 6 == 2 and i + 3 < steps:
            lines += ["    next:", f"      - {{to: s{i + 1}, p: 0.5}}", f"      - {{to: s{i + 2}}}"]
    return "\n".join(lines) + "\n"


def timed(action, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


def plain_dot(bp: Blueprint) -> bytes:
    graph = pgv.AGraph(directed=True, rankdir="LR")
    for step in bp.steps:
        graph.add_node(step.id, label=step.label, shape="box")
    for u, v, d in bp.graph.edges(data=True):
        if d["kind"] in ("flow", "fork") and v != "end":
            graph.add_edge(u, v)
    with graphviz_messages():
        return graph.draw(format="svg", prog="dot")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    bp = Blueprint(load_text(generated_model(args.steps)))
    ours = timed(lambda: bp.render(fmt="svg"), args.repeats)
    png = timed(lambda: bp.render(fmt="png"), 1)
    peer = timed(lambda: plain_dot(bp), args.repeats)
    print(f"model: {args.steps} steps, 12 actors, {bp.graph.number_of_edges()} edges")
    print(f"{'drawing':<44}{'best s':>8}{'x dot':>8}")
    print(f"{'Graphviz dot, plain boxes and arrows (peer)':<44}{peer:>8.3f}{1:>8.2f}")
    print(f"{'blueprint render, SVG (two passes, lanes)':<44}{ours:>8.3f}{ours / peer:>8.2f}")
    print(f"{'blueprint render, PNG':<44}{png:>8.3f}{png / peer:>8.2f}")
    print(f"SVG of {args.steps} steps: {ours:.2f} s, {'within' if ours < 3 else 'OVER'} the 3 s budget")


if __name__ == "__main__":
    main()
