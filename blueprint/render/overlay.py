"""Simulation results laid over the blueprint: where customers wait.

Each step is coloured by its mean wait on viridis, a perceptually uniform
scale that stays readable in greyscale and for colour-blind readers, with the
mean and 90th-percentile wait and the utilisation of its resource written on
it. The input is the result file of ``blueprint simulate --json`` (its layout:
docs/results.md), read leniently, since a file may come from elsewhere, or the
results object itself.
"""

from __future__ import annotations

import json
import math
import os
import warnings
from dataclasses import dataclass, field
from typing import Any

from blueprint.diagnostics import Diagnostic, ModelError
from blueprint.files import InputError, read_input
from blueprint.model import ServiceModel
from blueprint.results import Record

__all__ = ["VIRIDIS", "Overlay", "StepFigures", "load_overlay", "viridis"]

# Viridis sampled at 0, 0.1, ..., 1 (the published colour map's values).
VIRIDIS = (
    (68, 1, 84), (72, 36, 117), (65, 68, 135), (53, 95, 141), (42, 120, 142), (33, 145, 140),
    (34, 168, 132), (68, 191, 112), (122, 209, 81), (189, 223, 38), (253, 231, 37),
)


def viridis(fraction: float) -> str:
    """The viridis colour at `fraction` (0..1) as #rrggbb, interpolated between samples."""
    f = min(max(fraction, 0.0), 1.0) * (len(VIRIDIS) - 1)
    i = min(int(f), len(VIRIDIS) - 2)
    t = f - i
    rgb = (round(a + (b - a) * t) for a, b in zip(VIRIDIS[i], VIRIDIS[i + 1], strict=True))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def text_on(colour: str) -> str:
    """Black or white, whichever reads better on `colour`."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.45 else "#ffffff"


@dataclass(frozen=True)
class StepFigures:
    wait_mean: float | None
    wait_p90: float | None
    utilization: float | None


@dataclass
class Overlay:
    """Figures per step and the top of the colour scale."""

    steps: dict[str, StepFigures] = field(default_factory=dict)
    scale_max: float = 0.0
    source: str = ""

    def colour(self, step_id: str) -> str | None:
        figures = self.steps.get(step_id)
        if figures is None or figures.wait_mean is None:
            return None
        return viridis(figures.wait_mean / self.scale_max if self.scale_max > 0 else 0.0)


def _number(value: Any) -> float | None:
    """A statistic is a number or {"mean": x, "ci95": [...]}: take the mean."""
    if isinstance(value, dict):
        value = value.get("mean")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer past any float
        return None
    return number if math.isfinite(number) else None  # NaN or Infinity: not a figure


def _read_results(name: str) -> Any:
    """The parsed results file, or a diagnostic placed in it (never quoting the file)."""
    try:
        data = read_input(name)
    except InputError as exc:
        raise ModelError([Diagnostic(name, 1, 1, exc.code, exc.reason)]) from None
    try:
        return json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError([Diagnostic(name, exc.lineno, exc.colno, "bad-overlay",
                                     f"not JSON: {exc.msg}")]) from None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ModelError([Diagnostic(name, line, column, "bad-overlay", "not UTF-8 text")]) from None
    except RecursionError:
        raise ModelError([Diagnostic(name, 1, 1, "bad-overlay",
                                     "nested too deeply to be a results file")]) from None
    except ValueError:  # an integer of more digits than Python converts
        raise ModelError([Diagnostic(name, 1, 1, "bad-overlay",
                                     "holds a number of thousands of digits")]) from None


def _check_match(results: dict[str, Any], model: ServiceModel, name: str) -> None:
    """Results of another model are refused when they share no step with it, and warned about,
    naming what differs, when they share only some."""
    ours = [s.id for s in model.steps]
    theirs = [k for k in results["steps"] if isinstance(k, str)]
    shared = set(ours) & set(theirs)
    named = results.get("model")
    who = f" of {named!r}" if isinstance(named, str) else ""
    if ours and theirs and not shared:
        raise ModelError([Diagnostic(name, 1, 1, "bad-overlay",
                                     f"these are the results{who}, which has none of the steps of "
                                     f"{model.name!r}")])
    missing = [s for s in ours if s not in shared]
    extra = [s for s in theirs if s not in shared]
    differences = []
    if isinstance(named, str) and named != model.name:
        differences.append(f"they are of {named!r}, not of {model.name!r}")
    if missing:
        differences.append("no figures for " + _listed(missing))
    if extra:
        differences.append("figures for steps this model does not have: " + _listed(extra))
    if differences:
        warnings.warn(f"{name}: {'; '.join(differences)}; only the steps both share are coloured",
                      UserWarning, stacklevel=4)


def _listed(ids: list[str], most: int = 5) -> str:
    shown = ", ".join(repr(i) for i in ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def load_overlay(source: str | os.PathLike[str] | dict[str, Any] | Record, model: ServiceModel) -> Overlay:
    """Read a results file (its parsed dict, or the results) into per-step figures for `model`."""
    if isinstance(source, Record):
        source = source.to_dict()
    name = "<results>" if isinstance(source, dict) else str(source)
    results = source if isinstance(source, dict) else _read_results(name)
    if not isinstance(results, dict) or not isinstance(results.get("steps"), dict):
        raise ModelError([Diagnostic(name, 1, 1, "bad-overlay",
                                     "a results file has a `steps` mapping (blueprint simulate "
                                     "--json)")])
    _check_match(results, model, name)
    found = results.get("resources")
    resources: dict[str, Any] = found if isinstance(found, dict) else {}
    overlay = Overlay(source=name)
    for step in model.steps:
        figures = results["steps"].get(step.id)
        if not isinstance(figures, dict):
            continue
        waits = figures.get("wait")
        wait: dict[str, Any] = waits if isinstance(waits, dict) else {}
        utilization = None
        used = resources.get(step.resource) if step.resource else None
        if isinstance(used, dict):
            utilization = _number(used.get("utilization"))
        overlay.steps[step.id] = StepFigures(_number(wait.get("mean")), _number(wait.get("p90")),
                                             utilization)
    waits = [f.wait_mean for f in overlay.steps.values() if f.wait_mean is not None]
    overlay.scale_max = max(waits, default=0.0)
    return overlay
