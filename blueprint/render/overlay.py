"""Simulation results laid over the blueprint: where customers wait too long.

A wait means something only against what customers accept there. So a step
with a `tolerance` is coloured by its mean wait as a share of it — green
within (up to :data:`NEAR` of it), amber near (from :data:`NEAR` up to the
tolerance), red beyond — and a step with a `standard` but no tolerance the
same way against its standard. A step with neither is shaded on a neutral
grey-blue scale from no wait (lightest) to the longest such wait of the day
(darkest), which says where people wait longest, not whether it is too long.
Each coloured step also carries its mean and 90th-percentile wait, the share
of its limit the mean is, and the utilisation of its resource, so no colour
has to be told apart to be read.

The input is the result file of ``blueprint simulate --json`` (its layout:
docs/results.md), read leniently, since a file may come from elsewhere, or the
results object itself. A survey's quality file (``blueprint quality --json``),
told apart by its ``touchpoints`` and ``servqual``, makes a
:class:`~blueprint.render.quality.QualityOverlay` instead: the touchpoints
coloured by their survey gap.
"""

from __future__ import annotations

import json
import os
import warnings
from dataclasses import dataclass, field
from typing import Any

from blueprint.diagnostics import Diagnostic, ModelError
from blueprint.files import InputError, read_input
from blueprint.model import ServiceModel
from blueprint.render.quality import QualityOverlay, figure_number, is_quality, read_quality
from blueprint.render.theme import THEMES, Theme, mix, text_on
from blueprint.results import Record

__all__ = ["NEAR", "AnyOverlay", "Overlay", "QualityOverlay", "StepFigures", "load_overlay",
           "neutral", "text_on"]

NEAR = 0.8  # a mean wait past this share of the tolerance is "near" it (amber)

def neutral(fraction: float, theme: Theme = THEMES["colour"]) -> str:
    """The neutral scale at `fraction` (0..1): from the theme's lightest shade to its darkest."""
    return mix(theme.neutral_low, theme.neutral_high, fraction)


@dataclass(frozen=True)
class StepFigures:
    wait_mean: float | None
    wait_p90: float | None
    utilization: float | None
    limit: float | None = None        # the step's tolerance, or its standard without one
    limit_name: str | None = None     # "tol" or "std"

    @property
    def status(self) -> str | None:
        """'within', 'near' or 'beyond' its limit; None without a limit or a wait."""
        if self.limit is None or self.wait_mean is None:
            return None
        if self.wait_mean > self.limit:
            return "beyond"
        if self.limit > 0 and self.wait_mean > NEAR * self.limit:
            return "near"
        return "within"


@dataclass
class Overlay:
    """Figures per step, judged against each step's limit, and the neutral scale's top."""

    steps: dict[str, StepFigures] = field(default_factory=dict)
    scale_max: float = 0.0            # the longest mean wait of the steps without a limit
    source: str = ""

    def colour(self, step_id: str, theme: Theme = THEMES["colour"]) -> str | None:
        """The fill of a step: its status's colour, or its shade on the neutral scale."""
        figures = self.steps.get(step_id)
        if figures is None or figures.wait_mean is None:
            return None
        status = figures.status
        if status is not None:
            return str(getattr(theme, status))
        share = figures.wait_mean / self.scale_max if self.scale_max > 0 else 0.0
        return neutral(share, theme)

    def ink(self, step_id: str, theme: Theme = THEMES["colour"]) -> str:
        """The colour of text on the step's fill."""
        colour = self.colour(step_id, theme)
        return text_on(colour) if colour else "#000000"

    @property
    def caption(self) -> str:
        """What the colours of the drawing say, for its subtitle."""
        return "coloured by mean wait against each step's tolerance (simulated)"

    def border(self, step_id: str, theme: Theme = THEMES["colour"]) -> tuple[str, float] | None:
        """A border (colour, width) the overlay gives a step in place of its own: none here."""
        return None

    def hint(self, step_id: str) -> str | None:
        """More about the step's figures, for its tooltip: the figures on it say it all."""
        return None

    @property
    def statuses(self) -> set[str]:
        """The statuses of the steps coloured against a limit ('within', 'near', 'beyond')."""
        return {f.status for f in self.steps.values() if f.status is not None}

    @property
    def neutral(self) -> bool:
        """Whether some step has a wait but no limit (it is on the neutral scale)."""
        return any(f.status is None and f.wait_mean is not None for f in self.steps.values())

    def figures_text(self, step_id: str, unit: str) -> list[str]:
        """The lines of figures written on a step."""
        f = self.steps[step_id]
        rows = []
        if f.wait_mean is not None:
            p90 = f" · p90 {_figure(f.wait_p90)}" if f.wait_p90 is not None else ""
            share = ""
            if f.limit is not None and f.limit > 0:
                share = f" · {f.wait_mean / f.limit:.0%} of {f.limit_name}"
            elif f.limit is not None:
                share = f" · {f.limit_name} 0"
            rows.append(f"wait {_figure(f.wait_mean)}{p90} {unit}{share}")
        if f.utilization is not None:
            rows.append(f"utilisation {f.utilization:.0%}")
        return rows


def _figure(value: float | None) -> str:
    """3 significant figures, never in exponent notation."""
    if value is None:
        return "-"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _read_results(name: str) -> tuple[Any, str]:
    """The parsed results (or quality) file and its text, or a diagnostic placed in it (never
    quoting the file)."""
    try:
        data = read_input(name)
    except InputError as exc:
        raise ModelError([Diagnostic(name, 1, 1, exc.code, exc.reason)]) from None
    try:
        text = data.decode("utf-8")
        return json.loads(text), text
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


AnyOverlay = Overlay | QualityOverlay


def load_overlay(source: str | os.PathLike[str] | dict[str, Any] | Record,
                 model: ServiceModel) -> AnyOverlay:
    """Read a results file (its parsed dict, or the results) into per-step figures for `model`;
    a quality file (or its dict, or the quality record) into its touchpoints' survey gaps."""
    if isinstance(source, Record):
        source = source.to_dict()
    text = None
    if isinstance(source, dict):
        results: Any = source
        name = "<quality>" if is_quality(source) else "<results>"
    else:
        name = str(source)
        results, text = _read_results(name)
    if is_quality(results):
        return read_quality(results, model, name, text)
    if not isinstance(results, dict) or not isinstance(results.get("steps"), dict):
        raise ModelError([Diagnostic(name, 1, 1, "bad-overlay",
                                     "a results file has a `steps` mapping (blueprint simulate "
                                     "--json), a quality file `touchpoints` and `servqual` "
                                     "(blueprint quality --json)")])
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
            utilization = figure_number(used.get("utilization"))
        limit, limit_name = ((step.tolerance, "tol") if step.tolerance is not None
                             else (step.standard, "std") if step.standard is not None else (None, None))
        overlay.steps[step.id] = StepFigures(figure_number(wait.get("mean")),
                                             figure_number(wait.get("p90")),
                                             utilization, limit, limit_name)
    waits = [f.wait_mean for f in overlay.steps.values() if f.wait_mean is not None and f.limit is None]
    overlay.scale_max = max(waits, default=0.0)
    return overlay
