"""Cross-reference checks: every name used in the model names something defined.

These run after the schema, on a model whose fields are each valid on their
own, and report every problem at once as :class:`Finding` objects that point
into the document by path.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from blueprint.diagnostics import Finding, did_you_mean
from blueprint.model.base import format_clock, parse_clock
from blueprint.model.service import DayHorizon, ServiceModel
from blueprint.model.steps import END, Branch, Fork

__all__ = ["branch_probabilities", "check_references"]

_TOLERANCE = 1e-9


def check_references(model: ServiceModel) -> list[Finding]:
    """Every problem with ids, references, probabilities, schedules and rates, in file order."""
    return [
        *_unique_ids(model),
        *_step_references(model),
        *_link_references(model),
        *_probabilities(model),
        *_schedules(model),
        *_rates(model),
    ]


def _unique_ids(model: ServiceModel) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for i, step in enumerate(model.steps):
        if step.id in seen:
            yield Finding(
                "duplicate-id", f"step id {step.id!r} is already used by step #{seen[step.id] + 1}",
                ("steps", i, "id"),
            )
        seen.setdefault(step.id, i)
    fail_seen: set[str] = set()
    for i, step in enumerate(model.steps):
        for j, fail in enumerate(step.fail_points):
            if fail.id in fail_seen or fail.id in seen:
                yield Finding(
                    "duplicate-id", f"fail point id {fail.id!r} is already used in this model",
                    ("steps", i, "fail_points", j, "id"),
                )
            fail_seen.add(fail.id)
    for name, items in (("phase", model.phases), *((f"{z} actor", a) for z, a in model.actors.items())):
        for j, item in enumerate(items):
            if item in items[:j]:
                where = ("phases", j) if name == "phase" else ("actors", name.split()[0], j)
                yield Finding("duplicate-id", f"{name} {item!r} is listed twice", where)


def _step_target(model: ServiceModel, target: str, path: tuple, *,
                 allow_end: bool = True) -> Iterator[Finding]:
    if target == END and allow_end:
        return
    if target not in model.steps_by_id:
        names = [*model.steps_by_id, *([END] if allow_end else [])]
        yield Finding("unknown-step", f"{target!r} is not a step{did_you_mean(target, names)}", path)


def _step_references(model: ServiceModel) -> Iterator[Finding]:
    classes = model.demand.class_names
    for i, step in enumerate(model.steps):
        here = ("steps", i)
        if isinstance(step.next, str):
            yield from _step_target(model, step.next, (*here, "next"))
        elif isinstance(step.next, Fork):
            for j, target in enumerate(step.next.all):
                yield from _step_target(model, target, (*here, "next", "all", j), allow_end=False)
        elif isinstance(step.next, list):
            for j, branch in enumerate(step.next):
                yield from _step_target(model, branch.to, (*here, "next", j, "to"))
                if isinstance(branch.p, dict):
                    for name in branch.p:
                        if name not in classes:
                            known = f"{did_you_mean(name, classes)}" if classes else (
                                "; per-class probabilities need `demand.classes`")
                            yield Finding(
                                "unknown-class", f"{name!r} is not a customer class{known}",
                                (*here, "next", j, "p", name), at_key=True,
                            )
        for j, fail in enumerate(step.fail_points):
            if fail.goto is not None:
                yield from _step_target(
                    model, fail.goto, (*here, "fail_points", j, "goto"), allow_end=False
                )
        if step.resource is not None and step.resource not in model.resources:
            yield Finding(
                "unknown-resource",
                f"{step.resource!r} is not a resource{did_you_mean(step.resource, model.resources)}",
                (*here, "resource"),
            )
        if step.actor is not None:
            yield from _actor(model, step.actor, step.zone, (*here, "actor"))
        if step.phase is not None and step.phase not in model.phases:
            hint = did_you_mean(step.phase, model.phases) or (
                "" if model.phases else "; list the journey stages under `phases:`")
            yield Finding("unknown-phase", f"{step.phase!r} is not a phase{hint}", (*here, "phase"))


def _actor(model: ServiceModel, actor: str, zone: str, path: tuple) -> Iterator[Finding]:
    lane = model.actors.get(zone, [])  # type: ignore[call-overload]
    if actor in lane:
        return
    elsewhere = [z for z, names in model.actors.items() if actor in names]
    if elsewhere:
        message = f"actor {actor!r} is listed under {elsewhere[0]}, not under {zone}"
    else:
        hint = did_you_mean(actor, lane) or (f"; list it under `actors: {{{zone}: [...]}}`")
        message = f"{actor!r} is not an actor of the {zone} zone{hint}"
    yield Finding("unknown-actor", message, path)


def _link_references(model: ServiceModel) -> Iterator[Finding]:
    for i, link in enumerate(model.links):
        yield from _step_target(model, link.source, ("links", i, "from"), allow_end=False)
        yield from _step_target(model, link.target, ("links", i, "to"), allow_end=False)


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
        if resource.schedule is None:
            continue
        path = ("resources", rid, "schedule")
        if not isinstance(model.horizon, DayHorizon):
            yield Finding(
                "bad-schedule", "a shift schedule needs a day horizon {open, close}", path
            )
            continue
        opening, closing = model.horizon.open, model.horizon.close
        order = sorted(range(len(resource.schedule)), key=lambda j: resource.schedule[j].start)
        for before, after in itertools.pairwise(order):
            a, b = resource.schedule[before], resource.schedule[after]
            if b.start < a.end:
                yield Finding(
                    "bad-schedule",
                    f"shift {format_clock(b.start)}-{format_clock(b.end)} overlaps "
                    f"{format_clock(a.start)}-{format_clock(a.end)}",
                    (*path, after),
                )
        for j, window in enumerate(resource.schedule):
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
