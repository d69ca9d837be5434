"""Consistency checks on a model whose every field is valid: numbers that must agree.

Branch probabilities must sum to 1 for each customer class, shifts must not
overlap or fall outside the day, and arrival rates must change in clock order
within the day. These need the validated model (numbers, not text), so they
run only once the schema has passed; the loader reports them together with
the reference checks.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from blueprint.diagnostics import Finding
from blueprint.model.base import format_clock, parse_clock
from blueprint.model.service import DayHorizon, ServiceModel
from blueprint.model.steps import Branch

__all__ = ["branch_probabilities", "check_consistency"]

_TOLERANCE = 1e-9


def check_consistency(model: ServiceModel) -> list[Finding]:
    """Every problem with probabilities, schedules and rates, in file order."""
    return [*_probabilities(model), *_schedules(model), *_rates(model), *_arrivals(model)]


def branch_probabilities(branches: list[Branch], classes: list[str]) -> dict[str | None, list[float]]:
    """The probability of each branch, per class (key None when no class is involved).

    A branch without `p` takes what the others leave; a class missing from a
    per-class `p` gets 0 on that branch.
    """
    keys: list[str | None] = list(classes) if any(isinstance(b.p, dict) for b in branches) else [None]
    table: dict[str | None, list[float]] = {}
    for key in keys:
        given = [
            (b.p.get(key, 0.0) if isinstance(b.p, dict) else b.p) if b.p is not None else None
            for b in branches
        ]
        rest = 1.0 - sum(p for p in given if p is not None)
        table[key] = [rest if p is None else p for p in given]
    return table


def _probabilities(model: ServiceModel) -> Iterator[Finding]:
    classes = model.demand.class_names
    for i, step in enumerate(model.steps):
        if not isinstance(step.next, list):
            continue
        path = ("steps", i, "next")
        missing = [j for j, b in enumerate(step.next) if b.p is None]
        if len(missing) > 1:
            yield Finding(
                "probabilities-sum", "only one branch may leave out `p` (it takes the remainder)",
                (*path, missing[1]),
            )
            continue
        for key, probs in branch_probabilities(step.next, classes).items():
            total = sum(probs)
            who = f" for class {key!r}" if key else ""
            if missing and probs[missing[0]] < -_TOLERANCE:
                yield Finding(
                    "probabilities-sum",
                    f"branch probabilities{who} already exceed 1 "
                    f"({1 - probs[missing[0]]:.6g}), nothing is left for the branch without `p`",
                    path, at_key=True,
                )
            elif abs(total - 1) > _TOLERANCE:
                yield Finding(
                    "probabilities-sum",
                    f"branch probabilities{who} sum to {total:.6g}, not 1", path, at_key=True,
                )


def _schedules(model: ServiceModel) -> Iterator[Finding]:
    for rid, resource in model.resources.items():
        schedule = resource.schedule
        if schedule is None:
            continue
        path = ("resources", rid, "schedule")
        if not isinstance(model.horizon, DayHorizon):
            yield Finding(
                "bad-schedule", "a shift schedule needs a day horizon {open, close}", path
            )
            continue
        opening, closing = model.horizon.open, model.horizon.close
        order = sorted(range(len(schedule)), key=lambda j: schedule[j].start)
        for before, after in itertools.pairwise(order):
            a, b = schedule[before], schedule[after]
            if b.start < a.end:
                yield Finding(
                    "bad-schedule",
                    f"shift {format_clock(b.start)}-{format_clock(b.end)} overlaps "
                    f"{format_clock(a.start)}-{format_clock(a.end)}",
                    (*path, after),
                )
        for j, window in enumerate(schedule):
            if window.start < opening or window.end > closing:
                yield Finding(
                    "bad-schedule",
                    f"shift {format_clock(window.start)}-{format_clock(window.end)} lies outside "
                    f"the horizon {format_clock(opening)}-{format_clock(closing)}",
                    (*path, j, "from" if window.start < opening else "to"),
                )


def _rates(model: ServiceModel) -> Iterator[Finding]:
    rates = model.demand.arrivals_per_hour
    if not isinstance(rates, dict):
        return
    path = ("demand", "arrivals_per_hour")
    if not isinstance(model.horizon, DayHorizon):
        yield Finding(
            "bad-demand", "rates by clock time need a day horizon; give one constant rate", path,
            at_key=True,
        )
        return
    previous: str | None = None
    for key in rates:
        if previous is not None and parse_clock(key) <= parse_clock(previous):
            yield Finding("bad-demand", f"{key} comes after {previous}: list the clock times of "
                          "`arrivals_per_hour` in increasing order", (*path, key), at_key=True)
        previous = key
        minutes = parse_clock(key)
        if not model.horizon.open <= minutes < model.horizon.close:
            yield Finding(
                "bad-demand",
                f"rate change at {key} lies outside the horizon "
                f"{format_clock(model.horizon.open)}-{format_clock(model.horizon.close)}",
                (*path, key), at_key=True,
            )


def _arrivals(model: ServiceModel) -> Iterator[Finding]:
    """Finite numbers can still multiply past the largest float: no day has that many customers."""
    pieces = model.arrival_pieces
    if pieces is None:
        return
    scale = model.demand.scale
    total = sum((b - a) * (rate * scale) for a, b, rate in pieces)
    if not math.isfinite(total):
        yield Finding("bad-demand", "the arrivals expected over the horizon (rate × scale × time) "
                      "overflow to infinity (beyond ±1.8e308): lower the rate or the scale",
                      ("demand", "arrivals_per_hour"), at_key=True)
