"""How fast a large model validates: a generated 2,000-step service.

Prints the time of each stage beside the bare YAML parse it builds on, as
ratios, so a slowdown shows where it came from. Target: under 2 s in all.

    .venv/bin/python benchmarks/bench_loader.py [--steps 2000]
"""

from __future__ import annotations

import argparse
import statistics
import time

import yaml

from blueprint.api import Blueprint
from blueprint.loader import load_text, parse_yaml

ZONES = ("customer", "frontstage", "backstage", "support")


def generated_model(steps: int) -> str:
    """A long service: 12 actors, 20 resources, branches every 7 steps, a fail point every 11."""
    lines = [
        "blueprint: 1",
        f"name: Generated service with {steps} steps",
        'horizon: {open: "08:00", close: "20:00"}',
        "phases: [Arrive, Serve, Leave]",
        "actors:",
        *(f"  {zone}: [{', '.join(f'{zone[:3]}_{k}' for k in range(3))}]" for zone in ZONES),
        "resources:",
        *(f"  desk_{r}: {{capacity: {1 + r % 4}, cost_per_hour: 25}}" for r in range(20)),
        'demand: {arrivals_per_hour: {"08:00": 20, "12:00": 45, "14:00": 25}}',
        "steps:",
    ]
    for i in range(steps):
        zone = ZONES[i % 4]
        lines += [
            f"  - id: s{i}",
            f"    zone: {zone}",
            f"    name: Step {i} of the journey",
            f"    actor: {zone[:3]}_{i % 3}",
            f"    phase: {('Arrive', 'Serve', 'Leave')[min(2, 3 * i // steps)]}",
        ]
        if zone == "customer":
            lines.append("    evidence: [Signage, Ticket]")
        else:
            lines += [f"    resource: desk_{i % 20}",
                      "    duration: {dist: triangular, low: 1, mode: 2, high: 4}"]
        if i % 11 == 5:
            lines += ["    fail_points:",
                      f"      - {{id: f{i}, name: Slip, p: 0.05, effect: redo, recovery: Redo}}"]
        if i % 7 == 3 and i + 2 < steps:
            lines += ["    next:", f"      - {{to: s{i + 1}, p: 0.6}}", f"      - {{to: s{i + 2}}}"]
    return "\n".join(lines) + "\n"


def best_of(repeats: int, action) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    text = generated_model(args.steps)
    print(f"model: {args.steps} steps, {len(text.splitlines()):,} lines, {len(text) / 1024:.0f} KiB")

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    bare = best_of(args.repeats, lambda: yaml.load(text, Loader=loader))
    parse = best_of(args.repeats, lambda: parse_yaml(text))
    full = best_of(args.repeats, lambda: Blueprint(load_text(text)))
    lint = best_of(args.repeats, lambda: Blueprint(load_text(text)).lint())
    print(f"{'stage':<34}{'best s':>9}{'median s':>10}{'x safe_load':>13}")
    for name, (best, median) in [
        ("PyYAML safe_load, libyaml (peer)", bare),
        ("parse + positions", parse),
        ("full validation (schema, graph)", full),
        ("full validation + lint", lint),
    ]:
        print(f"{name:<34}{best:>9.3f}{median:>10.3f}{best / bare[0]:>13.2f}")
    verdict = "within" if full[1] < 2.0 else "OVER"
    print(f"validation of {args.steps} steps: {full[1]:.2f} s median, {verdict} the 2 s budget")


if __name__ == "__main__":
    main()
