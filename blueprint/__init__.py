"""blueprint — service blueprints you can validate, draw and simulate.

A service (a bank counter, a clinic visit, a repair call) is written as a YAML
model: steps in the blueprint's zones — customer actions, frontstage,
backstage, support — with physical evidence, fail points, wait points and
execution standards, plus the resources customers queue for and the demand
that rises and falls through the day.

The verbs, one hop from here::

    bp = blueprint.load("models/bank_branch.yaml")    # checked, or ModelError
    bp.render("bank.svg")                             # the drawing
    results = bp.simulate(replications=20)            # the day, simulated
    blueprint.study("sims/bank_lunch_staffing.yaml")  # what-if scenarios
    blueprint.staff(bp, "teller", "80% within 5 min") # staff per hour
    blueprint.report(bp, "report.html")               # one page for a client

Errors never come one at a time: :class:`ModelError` carries every
:class:`Diagnostic`, each with its file, line and column.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blueprint.api import Blueprint, load, loads
from blueprint.diagnostics import Diagnostic, ModelError
from blueprint.model import ServiceModel, json_schema

if TYPE_CHECKING:
    from blueprint.results.staffing import StaffingPlan
    from blueprint.results.study import StudyResults

__all__ = [
    "Blueprint",
    "Diagnostic",
    "ModelError",
    "ServiceModel",
    "json_schema",
    "load",
    "loads",
    "report",
    "staff",
    "study",
    "survey_template",
]


def __getattr__(name: str) -> Any:
    """``blueprint.__version__``, read from the installed package's metadata when asked."""
    if name == "__version__":
        from blueprint.version import VERSION

        return VERSION
    raise AttributeError(f"module 'blueprint' has no attribute {name!r}")


def _blueprint(model: Blueprint | str | os.PathLike[str]) -> Blueprint:
    return model if isinstance(model, Blueprint) else load(model)


def survey_template(model: Blueprint | str | os.PathLike[str], path: str | os.PathLike[str] | None = None,
                    *, form: str | os.PathLike[str] | None = None,
                    scale: str | tuple[float, float] = "1-7") -> list[Any]:
    """The questionnaire of a model's moments of truth (docs/quality.md), as
    :class:`~blueprint.survey.Question` rows; with `path`, also written there as CSV, and with
    `form`, the classic 22-item model-wide form written there too."""
    from blueprint.survey import parse_scale, write_questionnaire

    bp = _blueprint(model)
    write_questionnaire(bp.model, path, form, parse_scale(scale), bp.inputs)
    return bp.survey_template()


def study(path: str | os.PathLike[str], **options: Any) -> StudyResults:
    """Run a what-if study file; options as :func:`blueprint.analysis.study.run_study`."""
    from blueprint.analysis.study import load_study, run_study

    return run_study(load_study(path), **options)


def staff(model: Blueprint | str | os.PathLike[str], resource: str, target: str,
          **options: Any) -> StaffingPlan:
    """Staff per hour to a service level ("80% within 5 min"); see ``recommend_staff``."""
    from blueprint.analysis.staffing import recommend_staff

    bp = _blueprint(model)
    return recommend_staff(bp.model, bp.graph, resource, target, **options)


def report(model: Blueprint | str | os.PathLike[str], path: str | os.PathLike[str], *,
           study_file: str | os.PathLike[str] | None = None, replications: int = 20, seed: int = 1,
           jobs: int | None = 1, executor: Any = None) -> Path:
    """Simulate (and run a study, if given) and write the HTML report to `path`."""
    from blueprint.report import report_file

    return report_file(model, path, study_file=study_file, replications=replications, seed=seed,
                       jobs=jobs, executor=executor)
