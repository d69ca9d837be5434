"""Cross-reference checks: every name used in the model names something defined.

They read the plain document (the YAML as dicts and lists), not the validated
model, so they run beside the schema: a step that lacks a key elsewhere does
not hide a `goto` that names nothing. What did not load is simply skipped:
an id that is text counts as defined even if it is not a valid id (its own
error says so), an item without an id defines nothing, and a collection of
the wrong type (``resources: [a, b]``) leaves its names unknown, so nothing
is reported against it. Ids of one kind that a reader could mistake for each
other (by case, width or look-alike letters) are reported too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from blueprint.diagnostics import Finding, did_you_mean
from blueprint.model.ids import INVISIBLE, check_id_text, confusion, nfc, skeleton
from blueprint.model.steps import END, ZONES

__all__ = ["LineOf", "ReferenceCheck", "check_references"]

Path = tuple[Any, ...]
LineOf = Callable[[Path, bool], int]
"""The 1-based line of a path in the document (``at_key``: of its key), for messages."""


@dataclass
class ReferenceCheck:
    """The problems found, and the references that name something defined.

    ``resolved`` lets the loader drop a `bad-id` on a reference that only
    repeats an invalid id defined elsewhere: that id's own error is the one
    to fix.
    """

    findings: list[Finding] = field(default_factory=list)
    resolved: set[Path] = field(default_factory=set)


def check_references(document: Any, *, line_of: LineOf | None = None) -> ReferenceCheck:
    """Duplicate and confusable ids, and every reference, in whatever part of the document loaded."""
    check = ReferenceCheck()
    if not isinstance(document, dict):
        return check
    names = _Names.of(document)
    check.findings += _duplicates(names)
    check.findings += _confusables(names, line_of)
    _step_references(document, names, check)
    _link_references(document, names, check)
    return check


def _text(value: Any) -> str | None:
    return nfc(value) if isinstance(value, str) else None


def _spellings(text: str) -> set[str]:
    """A defined name, and the same without the invisible characters it should not have:
    a reference that leaves them out means it, and is not a second error."""
    return {text, "".join(c for c in text if c not in INVISIBLE)}


def _items(node: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    value = node.get(key) if isinstance(node, dict) else None
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] \
        if isinstance(value, list) else []


@dataclass
class _Names:
    """What the document defines; None where the collection itself did not load."""

    steps: list[tuple[str, Path]]
    fail_points: list[tuple[str, Path]]
    resources: list[str] | None
    classes: list[str] | None
    phases: list[tuple[str, Path]] | None
    actors: dict[str, list[tuple[str, Path]] | None] | None
    steps_known: bool

    @classmethod
    def of(cls, document: dict[str, Any]) -> _Names:
        steps, fails = [], []
        for i, step in _items(document, "steps"):
            if (sid := _text(step.get("id"))) is not None:
                steps.append((sid, ("steps", i, "id")))
            for j, fail in _items(step, "fail_points"):
                if (fid := _text(fail.get("id"))) is not None:
                    fails.append((fid, ("steps", i, "fail_points", j, "id")))
        demand = document.get("demand")
        classes = demand.get("classes") if isinstance(demand, dict) else None
        return cls(
            steps=steps,
            fail_points=fails,
            resources=_keys(document, "resources"),
            classes=(_keys(demand, "classes") if classes is not None else [])
            if isinstance(demand, dict) else None,
            phases=_listed(document.get("phases", []), ("phases",)),
            actors=_actors(document.get("actors", {})),
            steps_known=isinstance(document.get("steps"), list),
        )

    @cached_property
    def step_ids(self) -> set[str]:
        return {spelling for sid, _ in self.steps for spelling in _spellings(sid)}

    @cached_property
    def resource_ids(self) -> set[str] | None:
        if self.resources is None:
            return None
        return {spelling for rid in self.resources for spelling in _spellings(rid)}

    @cached_property
    def lanes(self) -> dict[str, set[str]]:
        """Each zone's actors (every spelling), for the zones whose list loaded."""
        return {zone: {s for t, _ in items for s in _spellings(t)}
                for zone, items in (self.actors or {}).items() if items is not None}

    @cached_property
    def phase_names(self) -> set[str] | None:
        if self.phases is None:
            return None
        return {s for t, _ in self.phases for s in _spellings(t)}


def _keys(node: dict[str, Any], key: str) -> list[str] | None:
    value = node.get(key, {})
    if not isinstance(value, dict):
        return None
    return [k for k in value if isinstance(k, str)]


def _listed(value: Any, path: Path) -> list[tuple[str, Path]] | None:
    if not isinstance(value, list):
        return None
    return [(nfc(item), (*path, j)) for j, item in enumerate(value) if isinstance(item, str)]


def _actors(value: Any) -> dict[str, list[tuple[str, Path]] | None] | None:
    if not isinstance(value, dict):
        return None
    return {zone: _listed(names, ("actors", zone)) for zone, names in value.items() if zone in ZONES}


# --- ids: unique, and not to be mistaken for each other -----------------------------------------


def _duplicates(names: _Names) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for sid, path in names.steps:
        if sid in seen:
            yield Finding("duplicate-id", f"step id {sid!r} is already used by step #{seen[sid] + 1}", path)
        seen.setdefault(sid, path[1])
    fail_seen: set[str] = set()
    for fid, path in names.fail_points:
        if fid in fail_seen or fid in seen:
            yield Finding("duplicate-id", f"fail point id {fid!r} is already used in this model", path)
        fail_seen.add(fid)
    lists = [("phase", names.phases), *((f"{zone} actor", actors)
                                        for zone, actors in (names.actors or {}).items())]
    for label, items in lists:
        listed: set[str] = set()
        for item, path in items or []:
            if item in listed:
                yield Finding("duplicate-id", f"{label} {item!r} is listed twice", path)
            listed.add(item)


# (text, path, label, at_key) of every id of one kind, in the order they are read
_Entry = tuple[str, Path, str, bool]


def _namespaces(names: _Names) -> Iterator[list[_Entry]]:
    yield [*((t, p, "step id", False) for t, p in names.steps),
           *((t, p, "fail point id", False) for t, p in names.fail_points)]
    yield [(t, ("resources", t), "resource", True) for t in names.resources or []]
    yield [(t, ("demand", "classes", t), "customer class", True) for t in names.classes or []]
    yield [(t, p, f"{p[1]} actor", False) for items in (names.actors or {}).values()
           for t, p in items or []]
    yield [(t, p, "phase", False) for t, p in names.phases or []]


def _confusables(names: _Names, line_of: LineOf | None) -> Iterator[Finding]:
    for entries in _namespaces(names):
        first: dict[str, _Entry] = {}
        for entry in entries:
            text, path, label, at_key = entry
            if label.endswith("id") and check_id_text(text) is not None:
                continue  # not a valid id: its own error comes first
            key = skeleton(text)
            if label == "step id" and key == END and text != END:
                yield Finding("confusable-id", f"step id {text!r} can be mistaken for `end`, which "
                              f"ends the journey: they differ {confusion(text, END)}", path)
                continue
            earlier = first.setdefault(key, entry)
            if earlier is entry or earlier[0] == text:
                continue  # the first of its look, or the very same text (a duplicate, or an
                # actor in two zones)
            where = f" (line {line_of(earlier[1], earlier[3])})" if line_of else ""
            yield Finding("confusable-id",
                          f"{label} {text!r} can be mistaken for {earlier[2]} {earlier[0]!r}{where}: "
                          f"they differ {confusion(text, earlier[0])}", path, at_key=at_key)


# --- references ----------------------------------------------------------------------------------


def _step_target(names: _Names, value: Any, path: Path, check: ReferenceCheck, *,
                 allow_end: bool = True) -> None:
    target = _text(value)
    if target is None or not names.steps_known:
        return
    ids = names.step_ids
    if target in ids or (target == END and allow_end):
        check.resolved.add(path)
        return
    known = [*ids, *([END] if allow_end else [])]
    check.findings.append(
        Finding("unknown-step", f"{target!r} is not a step{did_you_mean(target, known)}", path))


def _step_references(document: dict[str, Any], names: _Names, check: ReferenceCheck) -> None:
    for i, step in _items(document, "steps"):
        here = ("steps", i)
        following = step.get("next")
        if isinstance(following, str):
            _step_target(names, following, (*here, "next"), check)
        elif isinstance(following, dict) and isinstance(following.get("all"), list):
            for j, target in enumerate(following["all"]):
                _step_target(names, target, (*here, "next", "all", j), check, allow_end=False)
        elif isinstance(following, list):
            for j, branch in enumerate(following):
                if isinstance(branch, dict):
                    _step_target(names, branch.get("to"), (*here, "next", j, "to"), check)
                    _branch_classes(names, branch.get("p"), (*here, "next", j, "p"), check)
        for j, fail in _items(step, "fail_points"):
            _step_target(names, fail.get("goto"), (*here, "fail_points", j, "goto"), check,
                         allow_end=False)
        _resource(names, step.get("resource"), (*here, "resource"), check)
        _actor(names, step.get("actor"), step.get("zone"), (*here, "actor"), check)
        _phase(names, step.get("phase"), (*here, "phase"), check)


def _branch_classes(names: _Names, p: Any, path: Path, check: ReferenceCheck) -> None:
    if not isinstance(p, dict) or names.classes is None:
        return
    classes = names.classes
    for name in p:
        if not isinstance(name, str) or name in classes:
            continue
        known = did_you_mean(name, classes) if classes else (
            "; per-class probabilities need `demand.classes`")
        check.findings.append(Finding(
            "unknown-class", f"{name!r} is not a customer class{known}", (*path, name), at_key=True))


def _resource(names: _Names, value: Any, path: Path, check: ReferenceCheck) -> None:
    resource = _text(value)
    if resource is None or names.resources is None or names.resource_ids is None:
        return
    if resource in names.resource_ids:
        check.resolved.add(path)
        return
    check.findings.append(Finding(
        "unknown-resource",
        f"{resource!r} is not a resource{did_you_mean(resource, names.resources)}", path))


def _actor(names: _Names, value: Any, zone: Any, path: Path, check: ReferenceCheck) -> None:
    actor = _text(value)
    if actor is None or names.actors is None:
        return
    lanes = names.lanes
    if zone not in ZONES:  # the zone is wrong or missing: only an actor listed nowhere is wrong
        if any(actor in lane for lane in lanes.values()) or len(lanes) < len(names.actors):
            return
        check.findings.append(Finding("unknown-actor", f"{actor!r} is not an actor of any zone", path))
        return
    if zone in names.actors and names.actors[zone] is None:
        return  # that zone's list did not load
    lane = lanes.get(zone, set())
    if actor in lane:
        check.resolved.add(path)
        return
    elsewhere = [z for z, listed in lanes.items() if actor in listed]
    listed_here = [t for t, _ in names.actors.get(zone) or []]
    if elsewhere:
        message = f"actor {actor!r} is listed under {elsewhere[0]}, not under {zone}"
    else:
        hint = did_you_mean(actor, listed_here) or f"; list it under `actors: {{{zone}: [...]}}`"
        message = f"{actor!r} is not an actor of the {zone} zone{hint}"
    check.findings.append(Finding("unknown-actor", message, path))


def _phase(names: _Names, value: Any, path: Path, check: ReferenceCheck) -> None:
    phase = _text(value)
    if phase is None or names.phases is None:
        return
    phases = [t for t, _ in names.phases]
    if phase in (names.phase_names or set()):
        check.resolved.add(path)
        return
    hint = did_you_mean(phase, phases) or ("" if phases else "; list the journey stages under `phases:`")
    check.findings.append(Finding("unknown-phase", f"{phase!r} is not a phase{hint}", path))


def _link_references(document: dict[str, Any], names: _Names, check: ReferenceCheck) -> None:
    for i, link in _items(document, "links"):
        _step_target(names, link.get("from"), ("links", i, "from"), check, allow_end=False)
        _step_target(names, link.get("to"), ("links", i, "to"), check, allow_end=False)
