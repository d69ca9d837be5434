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
