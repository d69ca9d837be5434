"""Shared helpers: a small valid model, and loading text to get diagnostics."""

from __future__ import annotations

import textwrap

import pytest

import blueprint
from blueprint.diagnostics import Diagnostic

COFFEE_BAR = """\
blueprint: 1
name: Coffee bar
time_unit: min
horizon: {open: "07:00", close: "11:00"}
phases: [Order, Drink]
actors:
  frontstage: [Barista]
resources:
  barista: {capacity: 2, cost_per_hour: 18}
demand:
  arrivals_per_hour: {"07:00": 30, "08:00": 60, "09:30": 25}
  value: 4.5
steps:
  - id: queue
    zone: customer
    phase: Order
    name: Queue and order at the counter
    evidence: [Menu board]
  - id: take_order
    zone: frontstage
    actor: Barista
    name: Take order and payment
    resource: barista
    duration: {dist: triangular, low: 0.5, mode: 1, high: 2}
    tolerance: 5
    wait_point: true
  - id: brew
    zone: backstage
    name: Pull the shot
    duration: 1.5
  - id: stock
    zone: support
    name: Bean stock check
    duration: 0.1
  - id: drink
    zone: customer
    phase: Drink
    name: Collect and drink
    evidence: [Cup with name]
    duration: {dist: exponential, mean: 10}
    next: end
"""


def model_text(text: str) -> str:
    return textwrap.dedent(text)


def diagnostics_of(text: str) -> list[Diagnostic]:
    """Every diagnostic of a broken model (fails the test if the model loads)."""
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.loads(model_text(text), "model.yaml")
    return caught.value.diagnostics


def located_codes(text: str) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.code) for d in diagnostics_of(text)]


@pytest.fixture
def coffee_bar() -> str:
    return COFFEE_BAR
