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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import Field, NonNegativeInt, PositiveInt

from blueprint.analysis.overrides import OverrideError, apply_overrides
from blueprint.analysis.targets import KPIS, Targets, evaluate_targets, kpi_values
from blueprint.diagnostics import Diagnostic, Finding, ModelError, did_you_mean
from blueprint.loader import Loaded, load_plain, read_document, validate_as
from blueprint.model.base import Strict
from blueprint.model.ids import check_name_text, confusion, skeleton
from blueprint.results.study import Change, KpiComparison, ScenarioResults, StudyResults
from blueprint.sim import compile_plan, over_budget, run_budget, run_plans
from blueprint.sim.budget import MAX_REPLICATIONS
from blueprint.sim.plan import served_clv
from blueprint.sim.results import aggregate, statistic
from blueprint.sourcemap import SourceMap

__all__ = ["BASELINE", "KPIS", "Scenario", "Study", "StudyResults", "StudySpec", "load_study",
           "run_study"]

BASELINE = "baseline"


class StudySpec(Strict):
    """A what-if study file (the format is in docs/study-format.md)."""

    study: str = Field(min_length=1, description="Name of the study.")
    model: str = Field(description="The model file, relative to the study file.")
    replications: PositiveInt = Field(10, le=MAX_REPLICATIONS, description="Replications per scenario.")
    seed: NonNegativeInt = Field(1, description="Seed shared by every scenario.")
    targets: Targets = Field(default_factory=lambda: Targets(),
                             description="What the service must achieve.")
    scenarios: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Named scenarios: dotted-path overrides of the model.")
    sweep: dict[str, list[Any]] = Field(
        default_factory=dict, description="A grid: every combination becomes a scenario.")


@dataclass
class Scenario:
    """One scenario: its name, the overrides that make it, and the checked model they give."""

    name: str
    overrides: dict[str, Any]
    loaded: Loaded


@dataclass
class Study:
    """A loaded study: its file, the model file it edits, and every scenario, checked."""

    spec: StudySpec
    path: Path | None
    scenarios: list[Scenario]
    model_path: Path | None = None
    model_at: tuple[int, int] = (1, 1)  # line and column of `model:` in the study file
    same_as: dict[str, str] = field(default_factory=dict)  # a scenario -> an earlier, same model

    @property
    def distinct(self) -> list[Scenario]:
        """The scenarios to run: each model once (the first scenario that makes it)."""
        return [s for s in self.scenarios if s.name not in self.same_as]

    @property
    def inputs(self) -> tuple[Path, ...]:
        """The user's files this study reads (outputs must never replace them)."""
        return tuple(p for p in (self.path, self.model_path) if p is not None)

    @property
    def baseline(self) -> Scenario:
        return next(s for s in self.scenarios if s.name == BASELINE)

    def require_model(self, model_file: str | os.PathLike[str]) -> None:
        """Refuse to pair this study with another model (a report of one, scenarios of the other)."""
        if self.model_path is not None and Path(model_file).resolve() != self.model_path:
            raise ModelError([Diagnostic(
                str(self.path), *self.model_at, "other-model",
                f"this study is of {self.model_path.name}, not of {Path(model_file).name}")])


@dataclass
class _Wanted:
    """A scenario to build, and where in the study file each of its overrides was written."""

    name: str
    overrides: dict[str, Any]
    places: dict[str, tuple[Any, ...]]  # override path -> its place in the study document
    where: tuple[Any, ...]              # the scenario's own place


def _wanted(spec: StudySpec) -> list[_Wanted]:
    named = {BASELINE: {}, **spec.scenarios}
    wanted = [_Wanted(name, overrides, {k: ("scenarios", name, k) for k in overrides},
                      ("scenarios", name)) for name, overrides in named.items()]
    keys = list(spec.sweep)
    for indexes in [] if not keys else itertools.product(*(range(len(spec.sweep[k])) for k in keys)):
        values = {k: spec.sweep[k][j] for k, j in zip(keys, indexes, strict=True)}
        name = ",".join(f"{k}={v}" for k, v in values.items())
        places = {k: ("sweep", k, j) for k, j in zip(keys, indexes, strict=True)}
        wanted.append(_Wanted(name, values, places, ("sweep",)))
    return wanted


def load_study(path: str | os.PathLike[str]) -> Study:
    """Read a study and build every scenario's model; errors placed in the study file."""
    plain, source = read_document(path)
    spec = validate_as(StudySpec, plain, source)
    model_path = (Path(path).parent / spec.model).resolve()
    if not model_path.exists():  # anything else that is not a model file, the reader refuses
        line, column = source.place(("model",))
        raise ModelError([Diagnostic(source.file, line, column, "file-unreadable",
                                     f"no model file at {model_path}")])
    problems: list[Diagnostic] = [source.diagnostic(f) for f in _names(spec)]
    if problems:
        raise ModelError(problems)
    try:
        document, model_source = read_document(model_path)
    except ModelError as exc:  # a model that cannot be read is the study's `model:` line's fault
        line, column = source.place(("model",))
        raise ModelError([Diagnostic(source.file, line, column, d.code,
                                     f"the model {spec.model}: {d.message}")
                          if d.line == 1 and d.column == 1 and d.code in ("not-a-file",
                                                                           "file-unreadable")
                          else d for d in exc.diagnostics]) from None
    load_plain(document, model_source, base=model_path.parent)  # the model's own errors, in its file
    scenarios: list[Scenario] = []
    for wanted in _wanted(spec):
        try:
            loaded = _build(document, model_source, model_path, wanted.overrides)
        except (OverrideError, ModelError) as exc:
            problems.extend(_placed(source, wanted, exc, document, model_source, model_path))
            continue
        scenarios.append(Scenario(wanted.name, wanted.overrides, loaded))
    if not problems:
        problems = _check_target_references(spec, scenarios[0].loaded, source)
    if problems:
        # a bad sweep value breaks every combination it is in: say so once, at the value
        once = {(d.line, d.column, d.code): d for d in sorted(problems, reverse=True)}
        raise ModelError(sorted(once.values()))
    return Study(spec, Path(path), scenarios, model_path, source.place(("model",)), _same(scenarios))


def _same(scenarios: list[Scenario]) -> dict[str, str]:
    """Scenarios whose overrides make the same model as an earlier one: a sweep point that is
    a named scenario again (`demand.scale=1.2,...=1` beside `busy_day`), or the baseline."""
    same: dict[str, str] = {}
    for k, scenario in enumerate(scenarios):
        for earlier in scenarios[:k]:
            if earlier.name not in same and earlier.loaded.model == scenario.loaded.model:
                same[scenario.name] = earlier.name
                break
    return same


def _names(spec: StudySpec) -> list[Finding]:
    """Scenario names a reader can tell apart, and a sweep that makes scenarios.

    A name with an invisible or bidi character, or one that differs from
    another only by case or look-alike letters (`Baseline` beside the implicit
    `baseline`), would make two rows of the table that read the same; an empty
    sweep list would silently make no scenario at all.
    """
    found = []
    seen: dict[str, str] = {skeleton(BASELINE): BASELINE}
    for name in spec.scenarios:
        problem = check_name_text(name)
        if problem is not None:
            found.append(Finding("bad-name", f"scenario {problem}", ("scenarios", name), at_key=True))
            continue
        twin = seen.get(skeleton(name))
        if twin is not None and twin != name:
            found.append(Finding("confusable-id", f"scenario {name!r} differs from {twin!r} "
                                 f"{confusion(name, twin)}", ("scenarios", name), at_key=True))
        seen.setdefault(skeleton(name), name)
    for path, values in spec.sweep.items():
        if not values:
            found.append(Finding("bad-sweep", f"sweep {path!r} lists no value: give at least one",
                                 ("sweep", path), at_key=True))
    named = set(spec.scenarios)
    for wanted in _wanted(spec)[len(named) + (BASELINE not in named):]:
        if wanted.name in named:
            found.append(Finding("duplicate-id", f"the sweep makes a scenario named {wanted.name!r}, "
                                 "which is already a scenario's name", ("scenarios", wanted.name),
                                 at_key=True))
    return found


DESK = "complaints.process."
"""Overrides under this prefix change the linked complaint-handling model (docs/loyalty.md):
``complaints.process.resources.case_handler.capacity: 10`` is "a faster complaint desk"."""


def _build(document: Any, source: SourceMap, model_path: Path, overrides: dict[str, Any]) -> Loaded:
    own = {k: v for k, v in overrides.items() if not k.startswith(DESK)}
    desk = {k.removeprefix(DESK): v for k, v in overrides.items() if k.startswith(DESK)}
    loaded = load_plain(apply_overrides(document, own), source, base=model_path.parent)
    if desk:
        complaints = loaded.model.complaints
        if complaints is None or complaints.process is None:
            raise OverrideError(f"{DESK + next(iter(desk))!r}: the model links no complaint process "
                                "(complaints.process) to change")
        desk_path = Path(complaints.process)
        desk_path = desk_path if desk_path.is_absolute() else model_path.parent / desk_path
        desk_document, desk_source = read_document(desk_path)
        try:
            edited = apply_overrides(desk_document, desk)
        except OverrideError as exc:  # said with the path as the study writes it
            message = str(exc)
            for path in desk:
                message = message.replace(repr(path), repr(DESK + path))
            raise OverrideError(f"{message} (in the complaint process {complaints.process})") from None
        changed = load_plain(edited, desk_source, base=desk_path.parent)
        loaded.model.set_complaint_process(changed.model, changed.graph)
    return loaded


def _placed(source: SourceMap, wanted: _Wanted, exc: Exception, document: Any,
            model_source: SourceMap, model_path: Path) -> list[Diagnostic]:
    """A scenario's problem, placed at the override(s) that cause it, else at the scenario.

    An override whose path names nothing is reported at its own key; one whose
    value breaks the model, at its value (tried alone, so the culprit is known
    even when the error is far away in the model).
    """
    found = []
    for key, value in wanted.overrides.items():
        place = wanted.places[key]
        path_place = place[:2] if place[0] == "sweep" else place  # the path itself, not a value
        try:
            _build(document, model_source, model_path, {key: value})
        except OverrideError as single:
            found.append(source.diagnostic(Finding("unknown-override", str(single), path_place,
                                                   at_key=True)))
        except ModelError as single:
            # a misspelt last key is the path's fault; anything else, the value's
            named = bool(single.diagnostics) and single.diagnostics[0].code == "unknown-key"
            if named:
                found.append(source.diagnostic(Finding(
                    "unknown-override", f"{key!r} names nothing: {single.diagnostics[0].message}",
                    path_place, at_key=True)))
            else:
                found.append(source.diagnostic(Finding(
                    "bad-scenario", _broken(wanted.name, single, in_model=False), place)))
    if found:
        return found
    code = "unknown-override" if isinstance(exc, OverrideError) else "bad-scenario"
    message = str(exc) if isinstance(exc, OverrideError) else _broken(wanted.name, exc)
    return [source.diagnostic(Finding(code, message, wanted.where, at_key=True))]


def _broken(name: str, exc: Exception, *, in_model: bool = True) -> str:
    """The model's errors for a scenario; with their model lines unless the override placed
    at is their cause (its value was written in the study, not the model)."""
    diagnostics = exc.diagnostics if isinstance(exc, ModelError) else []
    if not diagnostics:
        return f"scenario {name!r} makes the model invalid: {exc}"
    shown = "; ".join(f"{d.code}: {d.message}" + (f" (model line {d.line})" if in_model else "")
                      for d in diagnostics[:3])
    more = f"; and {len(diagnostics) - 3} more" if len(diagnostics) > 3 else ""
    return f"scenario {name!r} makes the model invalid: {shown}{more}"


def _check_target_references(spec: StudySpec, baseline: Loaded, source: SourceMap) -> list[Diagnostic]:
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


def run_study(study: Study, *, replications: int | None = None, seed: int | None = None,
              jobs: int | None = 1, executor: Executor | None = None,
              progress: Any = None, max_customers: int | None = None) -> StudyResults:
    """Run every scenario (all replications in one pool) and compare with the baseline.

    ``replications`` and ``seed`` replace the study file's own when given.
    Every scenario is priced first (docs/simulation.md): one that asks for
    more than a run may do stops the study, located in the model, before
    anything is simulated.
    """
    spec = study.spec
    reps = replications or spec.replications
    seed = spec.seed if seed is None else seed
    levels = spec.targets.service_level_requests()
    scenarios = study.distinct  # a scenario that repeats another's model is run once
    budgets = [run_budget(s.loaded.model, s.loaded.graph) for s in scenarios]
    problems = []
    for scenario, budget in zip(scenarios, budgets, strict=True):
        for finding in over_budget(scenario.loaded.model, budget, reps, max_customers=max_customers):
            problems.append(scenario.loaded.source.diagnostic(replace(
                finding, message=f"scenario {scenario.name!r}: {finding.message}")))
    if problems:
        raise ModelError(sorted(set(problems)))
    plans = []
    for scenario, budget in zip(scenarios, budgets, strict=True):
        plan = compile_plan(scenario.loaded.model, scenario.loaded.graph, budget)
        plan.thresholds = {step: tuple(limits) for step, limits in levels.items()}
        plans.append(plan)
    runs = run_plans(plans, replications=reps, seed=seed, jobs=jobs, executor=executor,
                     progress=progress)
    base_values = kpi_values(runs[0], spec.targets)
    table = {}
    for scenario, scenario_runs, budget in zip(scenarios, runs, budgets, strict=True):
        model = scenario.loaded.model
        values = kpi_values(scenario_runs, spec.targets)
        against = None if scenario.name == BASELINE else base_values
        table[scenario.name] = ScenarioResults(
            overrides=scenario.overrides,
            kpis={kpi: _compare(values[kpi], against.get(kpi) if against else None) for kpi in values},
            targets=evaluate_targets(spec.targets, values),
            results=aggregate(scenario_runs, model.name, seed, model.time_unit,
                              budget.warnings(model), model.currency,
                              {s.id: s.name for s in model.steps}, served_clv(model)),
        )
    return StudyResults(study=spec.study, seed=seed, replications=reps, scenarios=table,
                        same_as=dict(study.same_as))


def _compare(values: list[float | None], baseline: list[float | None] | None) -> KpiComparison:
    """A KPI's mean and interval, and its paired change against the baseline."""
    change = None
    if baseline is not None:
        pairs = [(v, b) for v, b in zip(values, baseline, strict=False)
                 if v is not None and b is not None]
        difference = statistic([v - b for v, b in pairs])
        if difference is not None:
            low, high = difference.ci95
            change = Change(mean=difference.mean, ci95=difference.ci95,
                            significant=bool(low > 0 or high < 0))
    return KpiComparison(value=statistic(values), change=change)
