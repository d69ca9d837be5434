"""Design warnings: a valid blueprint that a service designer would still question.

None of these stop a model from loading or simulating; ``blueprint lint
--strict`` turns them into failures for teams that want them enforced.

=========================== ==============================================================
code                        why it matters
=========================== ==============================================================
no-evidence                 every customer action should show evidence (tangibles)
skips-visibility            a customer step wired straight to backstage hides who acts
no-recovery                 a fail point without a recovery plan is only half designed
unused-resource             a resource no step uses costs money and explains nothing
resource-without-duration   holding a server for no time never queues anyone
standard-over-tolerance     a target duration longer than the wait customers accept
empty-zone                  a blueprint zone with no steps (often a forgotten layer)
wait-point-without-queue    W marked where nothing is queued for
=========================== ==============================================================
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from blueprint.diagnostics import Finding
from blueprint.model import ZONES, ServiceModel

__all__ = ["LINT_CODES", "lint"]

LINT_CODES = (
    "no-evidence",
    "skips-visibility",
    "no-recovery",
    "unused-resource",
    "resource-without-duration",
    "standard-over-tolerance",
    "empty-zone",
    "wait-point-without-queue",
)


def lint(g: nx.MultiDiGraph, model: ServiceModel) -> list[Finding]:
    """Every design warning for a loaded model, in file order."""
    return [*_steps(model), *_flows(g, model), *_resources(model), *_zones(model)]


def _warn(code: str, message: str, path: tuple, *, at_key: bool = False) -> Finding:
    return Finding(code, message, path, severity="warning", at_key=at_key)


def _steps(model: ServiceModel) -> Iterator[Finding]:
    for i, step in enumerate(model.steps):
        here = ("steps", i)
        if step.zone == "customer" and not step.evidence:
            yield _warn("no-evidence",
                        f"customer step {step.id!r} shows no physical evidence (`evidence: [...]`)",
                        here)
        for j, fail in enumerate(step.fail_points):
            if not fail.recovery:
                yield _warn("no-recovery",
                            f"fail point {fail.id!r} has no `recovery`: say how staff put it right",
                            (*here, "fail_points", j))
        if step.resource is not None and (step.duration is None or step.duration.mean == 0):
            yield _warn("resource-without-duration",
                        f"step {step.id!r} holds {step.resource!r} but takes no time",
                        (*here, "resource"))
        if step.standard is not None and step.tolerance is not None and step.standard > step.tolerance:
            yield _warn("standard-over-tolerance",
                        f"standard {step.standard:g} is longer than the tolerance "
                        f"{step.tolerance:g} customers accept", (*here, "standard"))
        if step.wait_point and step.resource is None:
            yield _warn("wait-point-without-queue",
                        f"step {step.id!r} is a wait point but uses no resource, so nobody queues",
                        (*here, "wait_point"))


def _flows(g: nx.MultiDiGraph, model: ServiceModel) -> Iterator[Finding]:
    for u, v, d in g.edges(data=True):
        if d["kind"] not in ("flow", "fork") or g.nodes[u]["zone"] != "customer":
            continue
        if g.nodes[v]["zone"] in ("backstage", "support"):
            path = d["path"]
            yield _warn("skips-visibility",
                        f"customer step {u!r} leads straight to {g.nodes[v]['zone']} step {v!r}, "
                        "skipping the line of visibility", path)


def _resources(model: ServiceModel) -> Iterator[Finding]:
    used = {s.resource for s in model.steps}
    for rid in model.resources:
        if rid not in used:
            yield _warn("unused-resource", f"resource {rid!r} is not used by any step",
                        ("resources", rid), at_key=True)


def _zones(model: ServiceModel) -> Iterator[Finding]:
    for zone in ZONES:
        if not model.steps_in(zone):
            yield _warn("empty-zone", f"the {zone} zone has no steps", ("steps",), at_key=True)
