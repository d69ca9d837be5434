"""One self-contained HTML page a consultant can hand to a client.

The blueprint coloured by simulated waits, the figures that matter as cards
and tables, and charts of demand against capacity, waits, queues,
utilisation, wait distributions, fail points and, with a study, the
scenarios side by side. Everything is inline — SVG charts, CSS — so the file
opens anywhere, offline, and makes no request.
"""

from __future__ import annotations

import os
import sys
import types
from concurrent.futures import Executor
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, cast

import jinja2
import networkx as nx

from blueprint.analysis.economics import day_economics, profitability
from blueprint.analysis.study import BASELINE
from blueprint.analysis.study_table import kpi_cell, kpi_columns
from blueprint.diagnostics import ModelError
from blueprint.figures import money, percent, significant
from blueprint.files import check_output, write_output
from blueprint.loader import Loaded
from blueprint.model import DayHorizon, ServiceModel, format_clock
from blueprint.render import draw
from blueprint.report.plots import CHARTS, charts
from blueprint.results import SimulationResults, Statistic
from blueprint.results.study import StudyResults
from blueprint.sourcemap import SourceMap
from blueprint.version import VERSION

__all__ = ["CHARTS", "build_report", "report_file", "write_report"]


def _fmt(stat: Statistic | None, *, kind: str = "number") -> str:
    """A statistic's mean for a card or a cell (its interval goes beside it, see _ci)."""
    if stat is None:
        return "–"
    return _write(kind)(stat.mean)


def _write(kind: str) -> Any:
    return {"money": money, "percent": percent, "count": lambda x: f"{x:,.0f}",
            "number": significant}[kind]


def _ci(stat: Statistic | None, *, kind: str = "number") -> str:
    if stat is None:
        return ""
    write = _write(kind)
    if write(stat.low) == write(stat.high):
        return "the same every day" if stat.half_width == 0 else ""
    return f"95%: {write(stat.low)} – {write(stat.high)}"


def _study_rows(study: StudyResults) -> dict[str, Any]:
    columns = [c for c in kpi_columns(study) if not c.startswith("wait:")]
    targets = sorted({t for e in study.scenarios.values() for t in e.targets})
    rows = []
    for name, entry in study.scenarios.items():
        cells = []
        for column in columns:
            change = entry.kpis[column].change
            quiet = name != BASELINE and change is not None and not change.significant
            cells.append({"text": kpi_cell(column, entry.kpis[column], name == BASELINE),
                          "css": "ns" if quiet else ""})
        rows.append({"name": name, "cells": cells,
                     "targets": [entry.targets.get(t, False) for t in targets]})
    return {"name": study.study, "columns": [c.replace("_", " ") for c in columns],
            "targets": [t.replace("_", " ") for t in targets], "rows": rows}


def build_report(model: ServiceModel, g: nx.MultiDiGraph, results: SimulationResults,
                 study: StudyResults | None = None, *, source: str | os.PathLike[str] | None = None) -> str:
    """The report as one HTML string (``source``: the model file, named in the footer)."""
    system = results.system
    day = day_economics(results)
    cards = [
        {"label": "customers served", "value": _fmt(system.served, kind="count"),
         "ci": _ci(system.served, kind="count")},
        {"label": "customers lost", "value": _fmt(system.abandonment_rate, kind="percent"),
         "ci": _ci(system.abandonment_rate, kind="percent")},
        {"label": f"time in system ({model.time_unit})", "value": _fmt(system.time_in_system.mean),
         "ci": _ci(system.time_in_system.mean)},
        {"label": "revenue lost", "value": _fmt(system.lost_revenue, kind="money"),
         "ci": _ci(system.lost_revenue, kind="money")},
        {"label": "staff cost", "value": _fmt(system.staff_cost, kind="money"),
         "ci": _ci(system.staff_cost, kind="money")},
        {"label": "idle server-hours", "value": _fmt(system.idle_hours),
         "ci": f"cost {_fmt(system.idle_cost, kind='money')}"},
    ]
    steps = []
    for s in model.steps:
        figures = results.steps[s.id]
        queued = s.resource is not None
        steps.append({
            "name": s.id, "zone": s.zone, "entries": _fmt(figures.entries),
            "wait": _fmt(figures.wait.mean) if queued else "",
            "p90": _fmt(figures.wait.p90) if queued else "",
            "within": _fmt(figures.within_tolerance, kind="percent") if figures.within_tolerance else "",
            "queue": _fmt(figures.queue_length.mean) if queued else ""})
    resources_rows = [{"name": rid, "utilization": _fmt(r.utilization, kind="percent"),
                       "idle": _fmt(r.idle_hours), "idle_cost": _fmt(r.idle_cost, kind="money"),
                       "overtime": _fmt(r.overtime_hours)}
                      for rid, r in results.resources.items()]
    economics = [(label, _fmt(stat, kind="money"), _ci(stat, kind="money")) for label, stat in (
        ("revenue", day.revenue), ("revenue lost to customers who left", day.lost_revenue),
        ("staff cost", day.staff_cost), ("materials", day.material_cost), ("profit", day.profit),
        ("cost per served customer", day.cost_per_served))]
    profit_rows = [{"step": r.step, "visits": f"{r.visits:.2f}", "minutes": f"{r.minutes:.2f}",
                    "cost": money(r.per_customer), "slip": money(r.minute_slip)}
                   for r in profitability(model, g) if r.per_customer or r.minute_slip]
    svg = draw(model, g, "svg", overlay=results).decode("utf-8")
    horizon = model.horizon
    template = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template), autoescape=True, undefined=jinja2.StrictUndefined,
    ).get_template("report.html")
    return template.render(
        version=VERSION, model=model, replications=results.replications, seed=results.seed,
        horizon=(f"{format_clock(horizon.open)}–{format_clock(horizon.close)}"
                 if isinstance(horizon, DayHorizon) else ""),
        cards=cards, blueprint_svg=svg[svg.index("<svg"):],
        charts=_Charts(charts(results, model, study)),
        steps=steps, resources=resources_rows, economics=economics, profitability=profit_rows,
        study=_study_rows(study) if study else None, source=source or "a model",
    )


class _Charts(dict[str, str]):
    def __getattr__(self, name: str) -> str:
        return self.get(name, "")


def _template(name: str) -> str:
    return resources.files("blueprint.report").joinpath("templates", name).read_text("utf-8")


def write_report(path: str | os.PathLike[str], html: str,
                 protect: tuple[str | os.PathLike[str], ...] = ()) -> Path:
    return write_output(path, html, protect=protect)


class _Checked(Protocol):
    """A loaded, checked model: a :class:`blueprint.Blueprint` or the loader's ``Loaded``."""

    model: ServiceModel
    graph: nx.MultiDiGraph
    path: Path | None
    source: SourceMap


def report_file(model: _Checked | str | os.PathLike[str], path: str | os.PathLike[str], *,
                study_file: str | os.PathLike[str] | None = None, replications: int | None = None,
                seed: int | None = None, jobs: int | None = 1,
                executor: Executor | None = None, max_customers: int | None = None) -> Path:
    """Simulate a model (and run a study of it, if given) and write its report to `path`.

    This is ``blueprint.report(model, "report.html")``; `model` is a model file
    or a loaded model. Without a study the model is simulated `replications`
    times (20) from `seed` (1). With one, every figure on the page comes from
    the study's runs — its baseline is the model's simulation — so a profit is
    never printed twice with two values; `replications` and `seed`, if given,
    replace the study's.
    """
    from blueprint.analysis.study import BASELINE, load_study, run_study
    from blueprint.loader import input_files, load_file
    from blueprint.sim import BudgetExceeded, simulate

    checked = load_file(model) if isinstance(model, str | os.PathLike) else model
    loaded = cast(Loaded, getattr(checked, "loaded", checked))  # a Blueprint holds what was loaded
    protect: tuple[str | os.PathLike[str], ...] = input_files(loaded)
    studied = None
    if study_file is not None:
        study = load_study(study_file)
        if checked.path is not None:
            study.require_model(checked.path)
        protect += (*study.inputs, *input_files(*(s.loaded for s in study.scenarios)))
        check_output(path, protect)
        studied = run_study(study, replications=replications, seed=seed, jobs=jobs, executor=executor,
                            max_customers=max_customers)
        results = studied.scenarios[BASELINE].results
    else:
        check_output(path, protect)
        try:
            results = simulate(checked.model, checked.graph, replications=replications or 20,
                               seed=1 if seed is None else seed, jobs=jobs, executor=executor,
                               max_customers=max_customers)
        except BudgetExceeded as exc:
            raise ModelError(checked.source.diagnostics(exc.findings)) from None
    html = build_report(checked.model, checked.graph, results, studied, source=checked.path)
    return write_report(path, html, protect=protect)


class _Verb(types.ModuleType):
    """Importing this package makes ``blueprint.report`` the package, not the verb: so the
    package itself can be called, and ``blueprint.report(model, path)`` works either way."""

    def __call__(self, *args: Any, **options: Any) -> Path:
        return report_file(*args, **options)


sys.modules[__name__].__class__ = _Verb
