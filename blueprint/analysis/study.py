"""What-if studies: scenarios and sweeps, compared with a baseline on common random numbers.

A study file names a model, the scenarios (dotted-path overrides of the
model) and a sweep (a grid of values), the replications and seed, and the
targets the service must meet. Every scenario runs replication *k* on the
same random numbers, so the difference between two scenarios at replication
*k* is the effect of the change, not noise; the interval of the change is the
paired one, much narrower than two independent intervals would give.

    study: Lunch-hour staffing
    model: ../models/bank_branch.yaml
    replications: 30
    seed: 7
    targets:
      service_level: {step: deposit, within: 5, at_least: 0.8}
      abandonment_rate: {at_most: 0.05}
    scenarios:
      baseline: {}
      fifth_teller_at_lunch:
        resources.teller.schedule[1].capacity: 5
    sweep:
      demand.scale: [0.8, 1.0, 1.2]
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, NonNegativeInt, PositiveInt

from blueprint.analysis.overrides import OverrideError, apply_overrides
from blueprint.analysis.targets import KPIS, Targets, evaluate_targets, kpi_values
from blueprint.api import Blueprint
from blueprint.diagnostics import Diagnostic, Finding, ModelError
from blueprint.loader import load_plain, read_document, validate_as
from blueprint.model.base import Strict
from blueprint.sim import compile_plan, load_warnings, run_plans
from blueprint.sim.results import SimulationResults, aggregate, statistic
from blueprint.sourcemap import SourceMap

__all__ = ["BASELINE", "KPIS", "Scenario", "Study", "StudyResults", "StudySpec", "load_study",
           "run_study"]

BASELINE = "baseline"


class StudySpec(Strict):
    """A what-if study file (DESIGN §5)."""

    study: str = Field(min_length=1, description="Name of the study.")
    model: str = Field(description="The model file, relative to the study file.")
    replications: PositiveInt = Field(10, description="Replications per scenario.")
    seed: NonNegativeInt = Field(1, description="Seed shared by every scenario.")
    targets: Targets = Field(default_factory=Targets, description="What the service must achieve.")
    scenarios: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Named scenarios: dotted-path overrides of the model.")
    sweep: dict[str, list[Any]] = Field(
        default_factory=dict, description="A grid: every combination becomes a scenario.")


@dataclass
class Scenario:
    name: str
    overrides: dict[str, Any]
    blueprint: Blueprint


@dataclass
class Study:
    spec: StudySpec
    path: Path | None
    scenarios: list[Scenario]


def _sweep_names(sweep: dict[str, list[Any]]) -> list[tuple[str, dict[str, Any]]]:
    if not sweep:
        return []
    keys = list(sweep)
    combos = itertools.product(*(sweep[k] for k in keys))
    return [(",".join(f"{k}={v}" for k, v in zip(keys, values, strict=True)),
             dict(zip(keys, values, strict=True))) for values in combos]


def load_study(path: str | os.PathLike[str]) -> Study:
    """Read a study and build every scenario's model; errors placed in the study file."""
    plain, source = read_document(path)
    spec = validate_as(StudySpec, plain, source)
    model_path = (Path(path).parent / spec.model).resolve()
    if not model_path.is_file():
        line, column = source.place(("model",))
        raise ModelError([Diagnostic(source.file, line, column, "file-unreadable",
                                     f"no model file at {model_path}")])
    document, model_source = read_document(model_path)
    named = {BASELINE: {}, **spec.scenarios}
    wanted = [(name, overrides, ("scenarios", name)) for name, overrides in named.items()]
    wanted += [(name, overrides, ("sweep",)) for name, overrides in _sweep_names(spec.sweep)]
    scenarios, problems = [], []
    for name, overrides, where in wanted:
        try:
            edited = apply_overrides(document, overrides)
            loaded = load_plain(edited, model_source, base=model_path.parent)
        except OverrideError as exc:
            problems.append(_at(source, where, overrides, "unknown-override", str(exc)))
            continue
        except ModelError as exc:
            first = exc.diagnostics[0]
            problems.append(_at(source, where, overrides, "bad-scenario",
                                f"scenario {name!r} makes the model invalid: {first.code}: "
                                f"{first.message}"))
            continue
        scenarios.append(Scenario(name, overrides, Blueprint(loaded)))
    if not problems:
        problems = _check_target_references(spec, scenarios[0].blueprint, source)
    if problems:
        raise ModelError(problems)
    return Study(spec, Path(path), scenarios)


def _check_target_references(spec: StudySpec, baseline: Blueprint, source: SourceMap) -> list[Diagnostic]:
    from blueprint.diagnostics import did_you_mean

    found = []
    level, usage = spec.targets.service_level, spec.targets.utilization
    steps, resources = baseline.model.steps_by_id, baseline.model.resources
    if level is not None and level.step not in steps:
        found.append(source.diagnostic(Finding(
            "unknown-step", f"{level.step!r} is not a step of the model{did_you_mean(level.step, steps)}",
            ("targets", "service_level", "step"))))
    if usage is not None and usage.resource not in resources:
        found.append(source.diagnostic(Finding(
            "unknown-resource",
            f"{usage.resource!r} is not a resource of the model{did_you_mean(usage.resource, resources)}",
            ("targets", "utilization", "resource"))))
    return found


def _at(source: SourceMap, where: tuple, overrides: dict[str, Any], code: str,
        message: str) -> Diagnostic:
    """Place a scenario problem at the override that caused it (its key), else the scenario."""
    culprit = next((k for k in overrides if k in message or repr(k) in message), None)
    path = (*where, culprit) if culprit and where[0] == "scenarios" else where
    return source.diagnostic(Finding(code, message, path, at_key=True))


@dataclass
class StudyResults:
    """Per scenario: its results, targets met, and KPIs compared with the baseline."""

    name: str
    seed: int
    replications: int
    scenarios: dict[str, dict[str, Any]]
    results: dict[str, SimulationResults]

    def to_dict(self) -> dict[str, Any]:
        return {"study": self.name, "seed": self.seed, "replications": self.replications,
                "scenarios": {name: {**entry, "results": self.results[name].to_dict()}
                              for name, entry in self.scenarios.items()}}


def run_study(study: Study, *, replications: int | None = None, jobs: int | None = 1,
              executor: Executor | None = None, progress: Any = None) -> StudyResults:
    """Run every scenario (all replications in one pool) and compare with the baseline."""
    spec = study.spec
    reps = replications or spec.replications
    levels = spec.targets.service_level_requests()
    plans = []
    for scenario in study.scenarios:
        plan = compile_plan(scenario.blueprint.model, scenario.blueprint.graph)
        plan.thresholds = {step: tuple(limits) for step, limits in levels.items()}
        plans.append(plan)
    runs = run_plans(plans, replications=reps, seed=spec.seed, jobs=jobs, executor=executor,
                     progress=progress)
    results = {}
    for scenario, scenario_runs in zip(study.scenarios, runs, strict=True):
        model = scenario.blueprint.model
        results[scenario.name] = SimulationResults(
            aggregate(scenario_runs, model.name, spec.seed), scenario_runs,
            load_warnings(model, scenario.blueprint.graph), model.time_unit)
    base_values = kpi_values(runs[0], spec.targets)
    table = {}
    for scenario, scenario_runs in zip(study.scenarios, runs, strict=True):
        values = kpi_values(scenario_runs, spec.targets)
        table[scenario.name] = {
            "overrides": scenario.overrides,
            "kpis": {kpi: _compare(values[kpi], base_values.get(kpi)) for kpi in values},
            "targets": evaluate_targets(spec.targets, values),
        }
    return StudyResults(spec.study, spec.seed, reps, table, results)


def _compare(values: list[float | None], baseline: list[float | None] | None) -> dict[str, Any]:
    """A KPI's mean and interval, and its paired change against the baseline."""
    present = [v for v in values if v is not None]
    entry: dict[str, Any] = {"value": statistic(present)}
    if baseline is not None:
        pairs = [(v, b) for v, b in zip(values, baseline, strict=False)
                 if v is not None and b is not None]
        change = statistic([v - b for v, b in pairs])
        if change is not None:
            low, high = change["ci95"]
            change["significant"] = bool(low > 0 or high < 0)
        entry["change"] = change
    return entry

