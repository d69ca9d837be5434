"""Hypothesis strategies that write valid model YAML."""

from __future__ import annotations

from hypothesis import strategies as st

ZONES = ("customer", "frontstage", "backstage", "support")

HEADER = """\
blueprint: 1
name: Generated service
horizon: {open: "08:00", close: "18:00"}
resources:
  desk: {capacity: 2}
demand: {arrivals_per_hour: 12}
steps:
"""


@st.composite
def forward_models(draw: st.DrawFn, max_steps: int = 12) -> str:
    """A model whose steps only jump forward (or end): always valid, last step has no `next`."""
    n = draw(st.integers(2, max_steps))
    lines = [HEADER]
    for i in range(n):
        zone = draw(st.sampled_from(ZONES))
        lines.append(f"  - id: s{i}\n    zone: {zone}\n    name: Step {i}\n")
        if zone == "customer":
            lines.append("    evidence: [Sign]\n")
        if i == 0 or draw(st.booleans()):
            lines.append("    resource: desk\n    duration: 2\n")
        if 0 < i < n - 1 and draw(st.booleans()):
            extra = draw(st.lists(st.integers(i + 2, n), max_size=2, unique=True))
            targets = [i + 1, *(t for t in extra if t != i + 1)]
            share = 1 / len(targets)
            lines.append("    next:\n")
            for k, t in enumerate(targets):
                to = "end" if t == n else f"s{t}"
                p = f", p: {share!r}" if k < len(targets) - 1 else ""
                lines.append(f"      - {{to: {to}{p}}}\n")
    return "".join(lines)


ACTORS = {"customer": [], "frontstage": ["Host", "Clerk", "Advisor"],
          "backstage": ["Kitchen", "Back office"], "support": ["IT system", "Stock"]}


@st.composite
def rich_models(draw: st.DrawFn, max_steps: int = 14) -> str:
    """Valid models with actors, fail points, wait points, evidence, branches and loops."""
    n = draw(st.integers(2, max_steps))
    used_actors = {zone: draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names)))
                   if names else [] for zone, names in ACTORS.items()}
    lines = [
        "blueprint: 1\nname: Generated service — <&> \"quoted\" 'single'\n",
        'horizon: {open: "08:00", close: "18:00"}\n',
        *(["actors:\n"] if any(used_actors.values()) else []),
        *(f"  {zone}: [{', '.join(actors)}]\n" for zone, actors in used_actors.items() if actors),
        "resources:\n  desk: {capacity: 2}\n",
        "demand: {arrivals_per_hour: 12}\n",
        "steps:\n",
    ]
    for i in range(n):
        zone = draw(st.sampled_from(ZONES))
        name = draw(st.sampled_from([
            f"Step {i}", f"Check & sign <form> {i}", f"Ask \"why\" {i}", f"排队取号 {i}",
            f"Pay 💳 {i}", f"A rather long step name that must wrap over several lines {i}",
        ]))
        lines.append(f"  - id: s{i}\n    zone: {zone}\n    name: {_quote(name)}\n")
        if used_actors[zone] and draw(st.booleans()):
            lines.append(f"    actor: {draw(st.sampled_from(used_actors[zone]))}\n")
        if zone == "customer":
            count = draw(st.integers(1, 3))
            items = ", ".join(_quote(f"Evidence {k} <b>&amp;</b>") for k in range(count))
            lines.append(f"    evidence: [{items}]\n")
        if draw(st.booleans()):
            lines.append("    resource: desk\n    duration: {dist: exponential, mean: 3}\n")
            if draw(st.booleans()):
                lines.append("    wait_point: true\n    standard: 3\n    tolerance: 5\n")
        if draw(st.integers(0, 3)) == 0:
            count = draw(st.integers(1, 2))
            lines.append("    fail_points:\n")
            for k in range(count):
                lines.append(f"      - {{id: f{i}_{k}, name: \"Slip {k} & co\", p: 0.1, "
                             "effect: redo, recovery: Do it again}\n")
        if 0 < i < n - 1 and draw(st.booleans()):
            lines.append("    next:\n")
            back = draw(st.integers(0, i - 1)) if draw(st.booleans()) else None
            lines.append(f"      - {{to: s{i + 1}, p: 0.7}}\n")
            lines.append(f"      - {{to: {'s' + str(back) if back is not None else 'end'}}}\n")
    return "".join(lines)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
