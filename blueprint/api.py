"""The object a user holds: a loaded, checked service blueprint.

``blueprint.load("bank.yaml")`` returns a :class:`Blueprint`: the validated
model (``.model``), its typed graph (``.graph``), and the verbs that work on
it. Attribute access falls through to the model, so ``bp.steps`` and
``bp.name`` read as one would expect.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from blueprint.diagnostics import Diagnostic, ModelError
from blueprint.graph import complexity, line_crossings, touchpoints
from blueprint.lint import lint
from blueprint.loader import Loaded, input_files, load_file, load_text
from blueprint.model import ZONES, DayHorizon, ServiceModel, format_clock
from blueprint.sourcemap import SourceMap

if TYPE_CHECKING:  # the results classes are imported with the simulator, when it is used
    from blueprint.results import SimulationResults
    from blueprint.results.quality import FiveGaps, Quality
    from blueprint.survey import Question, Survey

PathLike = str | os.PathLike[str]

__all__ = ["Blueprint", "load", "loads"]


class Blueprint:
    """A checked service model with its graph; errors were raised when it was loaded."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.model: ServiceModel = loaded.model
        self.graph: nx.MultiDiGraph = loaded.graph
        self.source: SourceMap = loaded.source
        self.path: Path | None = loaded.path
        self.document: Any = loaded.document

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name in ("loaded", "model", "graph", "source", "path", "document"):
            raise AttributeError(name)
        return getattr(self.model, name)

    def __repr__(self) -> str:
        where = f" from {self.path}" if self.path else ""
        return f"<Blueprint {self.model.name!r}: {len(self.model.steps)} steps{where}>"

    @property
    def inputs(self) -> tuple[Path, ...]:
        """The files this blueprint was read from (the model, its trace): no output replaces them."""
        return input_files(self.loaded)

    def lint(self) -> list[Diagnostic]:
        """Design warnings, placed in the file like errors are."""
        return self.source.diagnostics(lint(self.graph, self.model))

    def touchpoints(self) -> list[str]:
        return touchpoints(self.graph)

    def line_crossings(self) -> dict[str, list[tuple[str, str]]]:
        return line_crossings(self.graph)

    def render(self, path: str | os.PathLike[str] | None = None, *, fmt: str | None = None,
               theme: str = "colour", overlay: Any = None, dpi: float = 96.0,
               width: float | None = None, wrap: int | None = None,
               page: str | None = None) -> Path | bytes:
        """Draw the blueprint: into `path` (format from its suffix), or as bytes of `fmt`.

        ``overlay`` is a simulation results file (or its dict, or the results) whose waits
        colour the steps, or a quality file (``blueprint quality --json``, its dict, or the
        :meth:`quality` document) whose gaps colour the moments of truth;
        ``width`` (points) or ``wrap`` (letters) sizes the step boxes, ``page`` (``a4``,
        ``a3``) fits a PDF on a landscape page.
        """
        from blueprint.render import draw, render_to_file

        if path is None:
            return draw(self.model, self.graph, fmt or "svg", theme_name=theme, overlay=overlay,
                        dpi=dpi, width=width, wrap=wrap, page=page)
        protect = (*self.inputs, *([overlay] if isinstance(overlay, str | os.PathLike) else []))
        return render_to_file(self.model, self.graph, path, fmt=fmt, theme_name=theme,
                              overlay=overlay, dpi=dpi, protect=protect, width=width, wrap=wrap,
                              page=page)

    def simulate(self, replications: int = 10, seed: int = 1, *, jobs: int | None = 1,
                 executor: Any = None, progress: Any = None,
                 service_levels: dict[str, list[float]] | None = None,
                 max_customers: int | None = None) -> SimulationResults:
        """Simulate the service and aggregate the replications (docs/results.md).

        ``jobs``: processes to use (None: one per core); ``executor``: any
        `concurrent.futures.Executor` instead. The same seed gives the same
        numbers whichever runs them. A run priced past the limits
        (docs/simulation.md) raises :class:`ModelError`, located in the model,
        before anything is simulated; ``max_customers`` raises the limit.
        """
        from blueprint.sim import BudgetExceeded, simulate

        try:
            return simulate(self.model, self.graph, replications=replications, seed=seed, jobs=jobs,
                            executor=executor, progress=progress, service_levels=service_levels,
                            max_customers=max_customers)
        except BudgetExceeded as exc:
            raise ModelError(self.source.diagnostics(exc.findings)) from None

    def survey(self, responses: PathLike, respondents: PathLike | None = None, *,
               scale: str | tuple[float, float] = "1-7") -> Survey:
        """Read a survey of this service (docs/quality.md); :class:`ModelError` lists every bad
        cell at ``FILE:ROW:COL``."""
        from blueprint.survey import read_survey

        return read_survey(self.model, responses, respondents, scale=scale)

    def quality(self, survey: PathLike | Survey, respondents: PathLike | None = None, *,
                scale: str | tuple[float, float] = "1-7") -> Quality:
        """SERVQUAL from a survey: gaps by dimension and touchpoint with paired intervals,
        weighted and unweighted scores, importance–performance, NPS and CSAT."""
        from blueprint.analysis.quality import assess
        from blueprint.survey import Survey

        if isinstance(survey, Survey) and respondents is not None:
            raise ValueError("this survey has been read already, with its respondents or without: "
                             "read it again with them (Blueprint.survey(responses, respondents))")
        answers = survey if isinstance(survey, Survey) else self.survey(survey, respondents, scale=scale)
        return assess(self.model, answers)

    def gaps(self, results: SimulationResults | PathLike | None = None, *,
             survey: PathLike | Survey | None = None, respondents: PathLike | None = None,
             management: PathLike | None = None, scale: str | tuple[float, float] = "1-7",
             replications: int = 20, seed: int = 1, jobs: int | None = 1) -> FiveGaps:
        """The five gaps with their evidence: the model (gap 2), a simulation (gaps 3 and 4: the
        results given, or a run of `replications` days), a survey (gap 5) and a management
        questionnaire (gap 1)."""
        from blueprint.analysis.gaps import five_gaps, read_evidence, read_results
        from blueprint.analysis.quality import assess
        from blueprint.results import SimulationResults
        from blueprint.survey import Survey, parse_scale, read_responses

        bounds = parse_scale(scale) if isinstance(scale, str) else scale
        answers: Survey | None
        if isinstance(survey, Survey) and respondents is not None:
            raise ValueError("this survey has been read already, with its respondents or without: "
                             "read it again with them (Blueprint.survey(responses, respondents))")
        if isinstance(survey, Survey):
            answers, managers = survey, None
            if management is not None:
                managers, _ = read_responses(self.model, management, scale=bounds, management=True)
        else:
            answers, managers = read_evidence(self.model, survey, respondents, management, bounds)
        if results is None:
            results = self.simulate(replications=replications, seed=seed, jobs=jobs)
        elif not isinstance(results, SimulationResults):
            results = read_results(results, self.model)
        return five_gaps(self.model, results, assess(self.model, answers) if answers else None,
                         answers.answers if answers else (), managers)

    def survey_template(self) -> list[Question]:
        """The questionnaire: each moment of truth asked on its dimensions (the step's, or all
        five), an expectation and a perception statement each, in the model's language."""
        from blueprint.survey import questionnaire

        return questionnaire(self.model)

    def _repr_svg_(self) -> str:
        """Jupyter shows a Blueprint as its drawing."""
        drawing = self.render(fmt="svg")
        return drawing.decode("utf-8") if isinstance(drawing, bytes) else ""

    def info(self) -> dict[str, Any]:
        """A summary a designer reads first: zones, touchpoints, fail points, resources.

        Plain JSON data, in the layout of :class:`blueprint.results.info.ModelSummary`.
        """
        from blueprint.results.info import ModelSummary

        model = self.model
        return ModelSummary.model_validate({
            "name": model.name,
            "file": str(self.path) if self.path else None,
            "time_unit": model.time_unit,
            "horizon": _horizon(model),
            "steps_per_zone": {zone: [s.id for s in model.steps_in(zone)] for zone in ZONES},
            "touchpoints": self.touchpoints(),
            "line_crossings": {line: [list(e) for e in edges]
                               for line, edges in self.line_crossings().items()},
            "fail_points": [
                {"id": f.id, "step": s.id, "name": f.name, "p": f.p, "effect": f.effect}
                for s in model.steps for f in s.fail_points
            ],
            "wait_points": [s.id for s in model.steps if s.wait_point],
            "resources": {rid: _resource(model, rid) for rid in model.resources},
            "expected_arrivals": _expected_arrivals(model),
            "complexity": complexity(self.graph, model).to_dict(),
        }).to_dict()


def _horizon(model: ServiceModel) -> dict[str, Any]:
    if isinstance(model.horizon, DayHorizon):
        return {"open": format_clock(model.horizon.open), "close": format_clock(model.horizon.close)}
    return {"length": model.horizon.length, "warmup": model.horizon.warmup}


def _resource(model: ServiceModel, rid: str) -> dict[str, Any]:
    resource = model.resources[rid]
    used_by = [s.id for s in model.steps if s.resource == rid]
    if resource.schedule is None:
        capacity: Any = resource.capacity
    else:
        capacity = [f"{format_clock(w.start)}-{format_clock(w.end)}: {w.capacity}"
                    for w in sorted(resource.schedule, key=lambda w: w.start)]
    return {"capacity": capacity, "cost_per_hour": resource.cost_per_hour, "used_by": used_by}


def _expected_arrivals(model: ServiceModel) -> float | None:
    """Mean arrivals over the horizon: the area under the rate curve, times `scale`."""
    if model.trace is not None:
        return float(len(model.trace))
    pieces = model.arrival_pieces
    if pieces is None:
        return None
    scale = model.demand.scale  # each rate scaled first: 1e308 an hour at scale 1e-300 is a number
    return round(sum((b - a) * (r * scale) for a, b, r in pieces), 3)


def load(path: str | os.PathLike[str]) -> Blueprint:
    """Load and check a model file; raises :class:`~blueprint.ModelError` listing every error."""
    return Blueprint(load_file(path))


def loads(text: str, name: str = "<string>") -> Blueprint:
    """Load and check a model given as YAML text (``name`` is used in messages)."""
    return Blueprint(load_text(text, name))
