"""Helpers for simulation tests: models as text, and 99% intervals over replications."""

from __future__ import annotations

import math
import textwrap
from typing import Any

from scipy import stats

import blueprint


def ci99(values: list[float]) -> tuple[float, float]:
    """Student-t 99% interval of the mean of per-replication values."""
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = stats.t.ppf(0.995, n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


def per_replication(results: Any, *path: str) -> list[float]:
    """One value per replication from the raw runs: per_replication(r, "steps", "s", "wait_mean")."""
    values = []
    for run in results.runs:
        node = run
        for part in path:
            node = node[part]
        values.append(float(node))
    return values


def assert_within_ci99(exact: float, values: list[float], what: str = "") -> None:
    low, high = ci99(values)
    assert low <= exact <= high, f"{what}: exact {exact:.6g} outside the 99% interval [{low:.6g}, {high:.6g}]"


def steady(steps: str, *, length: float, warmup: float, rate_per_min: float,
           resources: str, demand_extra: str = "") -> blueprint.Blueprint:
    """A steady-state model in minutes with `steps` and `resources` given as YAML blocks."""
    text = f"""\
blueprint: 1
name: Queueing test
time_unit: min
horizon: {{length: {length}, warmup: {warmup}}}
resources:
{textwrap.indent(textwrap.dedent(resources).strip(), "  ")}
demand:
  arrivals_per_hour: {rate_per_min * 60!r}
{textwrap.indent(textwrap.dedent(demand_extra).strip(), "  ")}
steps:
{textwrap.indent(textwrap.dedent(steps).strip(), "  ")}
"""
    return blueprint.loads(text)
