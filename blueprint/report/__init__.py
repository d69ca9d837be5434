"""One self-contained HTML page a consultant can hand to a client.

The blueprint coloured by simulated waits, the figures that matter as cards
and tables, and charts of demand against capacity, waits, queues,
utilisation, wait distributions, fail points and, with a study, the
scenarios side by side. Everything is inline — SVG charts, CSS — so the file
opens anywhere, offline, and makes no request.
"""

from __future__ import annotations

import json
import os
import sys
import types
from collections.abc import Callable
from concurrent.futures import Executor
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, cast

import jinja2
import networkx as nx

from blueprint.analysis.economics import day_economics, profitability
from blueprint.analysis.gaps import five_gaps
from blueprint.analysis.headlines import headlines, step_name
from blueprint.analysis.study import BASELINE
from blueprint.analysis.study_table import OUTCOME_SHOWN, kpi_cell, kpi_columns, kpi_units
from blueprint.diagnostics import ModelError
from blueprint.figures import duration, money, percent, significant
from blueprint.files import check_output, write_output
from blueprint.loader import Loaded
from blueprint.model import DayHorizon, ServiceModel, format_clock
from blueprint.render import draw
from blueprint.report.loyalty_plots import OUTCOME_WORDS, cause_name, loyalty_charts
from blueprint.report.plots import CHARTS, chart_fonts, charts
from blueprint.report.quality_plots import GAP_STATES, gap_states, quality_charts
from blueprint.results import SimulationResults, Statistic
from blueprint.results.quality import FiveGaps, Quality
from blueprint.results.study import StudyResults
from blueprint.sourcemap import SourceMap
from blueprint.version import VERSION

__all__ = ["CHARTS", "build_report", "report_file", "write_report"]


def _value(stat: Statistic | None, write: Callable[[float], str]) -> str:
    """A statistic's mean for a card or a cell (its interval goes beside it, see _ci)."""
    return "–" if stat is None else write(stat.mean)


def _ci(stat: Statistic | None, write: Callable[[float], str]) -> str:
    if stat is None:
        return ""
    if write(stat.low) == write(stat.high):
        return "the same every day" if stat.half_width == 0 else ""
    return f"95%: {write(stat.low)} – {write(stat.high)}"


def _count(x: float) -> str:
    return f"{x:,.0f}" if abs(x - round(x)) < 0.05 or abs(x) >= 100 else f"{x:,.1f}"


class _Writers:
    """How the report writes each kind of figure: the model's time unit and currency."""

    def __init__(self, model: ServiceModel, currency: str | None):
        self.unit = model.time_unit
        self.currency = currency

    def money(self, value: float) -> str:
        return money(value, currency=self.currency)

    def time(self, value: float) -> str:
        return duration(value, self.unit)

    def hours(self, value: float) -> str:
        """Clock hours (idle or overtime server-hours), in the unit they read best in."""
        return duration(value, "h")


REPORTED = ("abandonment_rate", "time_in_system", "staff_cost", "profit", "cost_per_served")
"""The KPIs of every scenario row (with the study's service levels and utilisation): what a
client weighs an option by; the terminal's table and the JSON have the rest."""


def _study_rows(study: StudyResults, model: ServiceModel, resource: str | None) -> dict[str, Any]:
    columns = [c for c in kpi_columns(study, resource)
               if c in REPORTED or c in OUTCOME_SHOWN or c.startswith(("service_level:", "utilization:"))]
    units = kpi_units(study)
    rows = []
    for name, entry in study.scenarios.items():
        cells = []
        for column in columns:
            change = entry.kpis[column].change
            quiet = name != BASELINE and change is not None and not change.significant
            cells.append({"text": kpi_cell(column, entry.kpis[column], name == BASELINE,
                                           currency=entry.results.currency,
                                           time_unit=entry.results.time_unit, unit=units.get(column)),
                          "css": "ns" if quiet else ""})
        met = bool(entry.targets) and all(entry.targets.values())
        missed = [t.replace("_", " ") for t, ok in entry.targets.items() if not ok]
        rows.append({"name": name, "breaks": name.replace(",", ",\u200b").replace("=", "=\u200b"),
                     "cells": cells, "met": met,
                     "verdict": ("meets every target" if met else
                                 ("misses " + ", ".join(missed)) if missed else "no targets"),
                     "overrides": ", ".join(f"{k} = {v}" for k, v in entry.overrides.items())})
    return {"name": study.study, "columns": [_column(c, model, units.get(c)) for c in columns],
            "rows": rows,
            "targets": bool(any(e.targets for e in study.scenarios.values())), "notes": study.notes()}


def _column(kpi: str, model: ServiceModel, unit: str | None = None) -> str:
    """A KPI's heading, with the step's or resource's name where it has one, and the unit of
    its figures where they are bare numbers."""
    kind, _, what = kpi.partition(":")
    heading = {"clv_lost": "lifetime value lost"}.get(kind) or kind.replace("_", " ").replace(
        "utilization", "utilisation")
    heading = f"{heading}: {step_name(model, what)}" if what in model.steps_by_id else (
        f"{heading}: {what}" if what else heading)
    return f"{heading} ({unit})" if unit else heading


def _share(stat: Statistic | None) -> str:
    if stat is None:
        return "–"
    text = percent(stat.mean)
    return text if stat.half_width < 0.0005 else f"{text} ±{stat.half_width:.1%}"


def _quality_page(model: ServiceModel, gaps: FiveGaps, quality: Quality | None,
                  write: _Writers) -> dict[str, Any]:
    """What the quality page shows: the survey's cards and worst moments, and each gap's evidence."""
    unit = model.time_unit
    page: dict[str, Any] = {"states": {k: dict(v, colour=GAP_STATES[v["state"]])
                                       for k, v in gap_states(gaps).items()}}
    page["standards"] = [{"id": f.step, "name": f.name, "zone": f.zone,
                          "standard": write.time(f.standard) if f.standard is not None else "–",
                          "tolerance": write.time(f.tolerance) if f.tolerance is not None else "–",
                          "stated": write.time(f.stated_tolerance) if f.stated_tolerance is not None else "",
                          "findings": f.findings} for f in gaps.gap2.touchpoints]
    page["delivery"] = [{"id": d.step, "name": d.name,
                         "standard": write.time(d.standard) if d.standard is not None else "–",
                         "beyond_standard": _share(d.beyond_standard),
                         "tolerance": write.time(d.tolerance) if d.tolerance is not None else "–",
                         "beyond_tolerance": _share(d.beyond_tolerance)}
                        for d in (gaps.gap3.steps if gaps.gap3 else [])]
    page["promises"] = [{"id": p.step, "name": p.name, "says": p.says or "",
                         "promised": f"{p.share:.0%} within {write.time(p.within)}",
                         "delivered": _share(p.delivered), "verdict": p.verdict}
                        for p in (gaps.gap4.promises if gaps.gap4 else [])]
    page["knowledge"] = [{"dimension": d, "managers": f"{k.management.mean:.2f}",
                          "customers": f"{k.customers.mean:.2f}", "gap": _gap_text(k.gap)}
                         for d, k in (gaps.gap1.dimensions.items() if gaps.gap1 else [])]
    page["managers"] = gaps.gap1.managers if gaps.gap1 else 0
    page["notes"] = gaps.notes
    page["unit"] = unit
    if quality is not None:
        cards = [{"label": "SERVQUAL score (mean gap)", "value": _signed(quality.servqual.unweighted),
                  "ci": _range(quality.servqual.unweighted_ci95)}]
        if quality.servqual.weighted is not None:
            cards.append({"label": "weighted by importance", "value": _signed(quality.servqual.weighted),
                          "ci": _range(quality.servqual.weighted_ci95)})
        if quality.nps is not None:
            cards.append({"label": f"Net Promoter Score (n {quality.nps.n})",
                          "value": f"{quality.nps.score:+.0f}",
                          "ci": f"95%: {quality.nps.ci95[0]:+.0f} to {quality.nps.ci95[1]:+.0f}"})
        if quality.csat is not None:
            cards.append({"label": f"satisfied, 4 or 5 of 5 (n {quality.csat.n})",
                          "value": f"{quality.csat.score:.0f}%",
                          "ci": f"95%: {quality.csat.ci95[0]:.0f}–{quality.csat.ci95[1]:.0f}%"})
        page["cards"] = cards
        page["worst"] = [{"id": w.step, "name": w.name, "gap": _gap_text(w.gap),
                          "significant": w.significant,
                          "quadrant": quality.touchpoints[w.step].quadrant or ""}
                         for w in quality.worst]
        page["respondents"] = quality.respondents
        page["scale"] = f"{quality.scale[0]:g}–{quality.scale[1]:g}"
        page["zones"] = [{"dimension": d, "zone": q.zone or "–"} for d, q in quality.dimensions.items()]
    return page


def _loyalty_page(model: ServiceModel, results: SimulationResults, write: _Writers) -> dict[str, Any] | None:
    """The complaints page: the three controls, and each outcome's customers and value lost."""
    system, loyalty = results.system, results.loyalty
    if system.complaints is None and loyalty is None:
        return None
    cards = []
    for label, stat in (("complaints per 100 customers served", system.complaint_rate),
                        ("dissatisfied: failed, kept waiting or lost", system.dissatisfaction_rate),
                        ("omission: complaints never handled", system.omission_rate)):
        cards.append({"label": label, "value": _value(stat, percent) if stat else "–",
                      "ci": _ci(stat, percent) if stat else
                      ("link a complaint process (complaints.process)" if "omission" in label else "")})
    if system.time_to_resolve is not None and model.complaints is not None:
        cards.append({"label": "time to resolve a complaint",
                      "value": _value(system.time_to_resolve, write.time),
                      "ci": f"quick: within {write.time(model.complaints.quickly_within)}"})
    if loyalty is not None:
        cards.append({"label": "lifetime value lost a day", "value": _value(loyalty.clv_lost, write.money),
                      "ci": _ci(loyalty.clv_lost, write.money)})
        cards.append({"label": "one served customer's lifetime value",
                      "value": _value(loyalty.clv, write.money), "ci": ""})
    rows = []
    if loyalty is not None and model.demand.loyalty is not None:
        for outcome, figures in loyalty.by_outcome.items():
            rows.append({"outcome": OUTCOME_WORDS.get(outcome, (outcome, ""))[0],
                         "customers": _value(figures.customers, _count),
                         "retention": f"{model.demand.loyalty.retained(outcome):.0%}",
                         "lost": _value(figures.clv_lost, write.money)})
    causes = [{"cause": cause_name(model, c), "id": c, "customers": _value(f.customers, _count),
               "complaints": _value(f.complaints, _count), "lost": _value(f.clv_lost, write.money)}
              for c, f in (loyalty.by_cause.items() if loyalty is not None else [])]
    return {"cards": cards, "outcomes": rows, "causes": causes,
            "complaints": _value(system.complaints, _count) if system.complaints else "–"}


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}".replace("-", "−")


def _range(ci: list[float] | None) -> str:
    return "" if ci is None else f"95%: {_signed(ci[0])} to {_signed(ci[1])}"


def _gap_text(e: Any) -> str:
    if e is None:
        return "–"
    text = _signed(e.mean)
    return text if e.ci95 is None else f"{text} ±{(e.ci95[1] - e.ci95[0]) / 2:.2f}"


def build_report(model: ServiceModel, g: nx.MultiDiGraph, results: SimulationResults,
                 study: StudyResults | None = None, *, source: str | os.PathLike[str] | None = None,
                 resource: str | None = None, quality: Quality | None = None,
                 gaps: FiveGaps | None = None) -> str:
    """The report as one HTML string (``source``: the model file, named in the footer;
    ``resource``: the one whose utilisation a study targets, shown among its KPIs;
    ``quality``: a survey's SERVQUAL document, for the customer's-verdict page; ``gaps``: the
    five gaps, else found from the model, the results and `quality`)."""
    system = results.system
    day = day_economics(results)
    write = _Writers(model, results.currency)
    per = "a day" if model.is_day else "a run"
    cards = [
        {"label": f"customers served {per}", "value": _value(system.served, _count),
         "ci": _ci(system.served, _count)},
        {"label": "customers lost", "value": _value(system.abandonment_rate, percent),
         "ci": _ci(system.abandonment_rate, percent)},
        {"label": "time in the service", "value": _value(system.time_in_system.mean, write.time),
         "ci": _ci(system.time_in_system.mean, write.time)},
        {"label": f"revenue lost {per}", "value": _value(system.lost_revenue, write.money),
         "ci": _ci(system.lost_revenue, write.money)},
        {"label": f"staff cost {per}", "value": _value(system.staff_cost, write.money),
         "ci": _ci(system.staff_cost, write.money)},
        {"label": "idle server-hours", "value": _value(system.idle_hours, significant),
         "ci": f"costing {_value(system.idle_cost, write.money)}"},
    ]
    steps = []
    for s in model.steps:
        figures = results.steps[s.id]
        queued = s.resource is not None
        steps.append({
            "id": s.id, "name": step_name(model, s.id), "zone": s.zone,
            "entries": _value(figures.entries, _count),
            "lost": (f"{_value(figures.balked, _count)} / {_value(figures.reneged, _count)}"
                     if queued else ""),
            "wait": _value(figures.wait.mean, write.time) if queued else "",
            "p90": _value(figures.wait.p90, write.time) if queued else "",
            "tolerance": write.time(s.tolerance) if s.tolerance is not None else "",
            "within": _value(figures.within_tolerance, percent) if figures.within_tolerance else "",
            "queue": _value(figures.queue_length.mean, significant) if queued else ""})
    resources_rows = [{"name": rid, "utilization": _value(r.utilization, percent),
                       "idle": _value(r.idle_hours, write.hours),
                       "idle_cost": _value(r.idle_cost, write.money),
                       "overtime": _value(r.overtime_hours, write.hours)}
                      for rid, r in results.resources.items()]
    economics = [(label, _value(stat, write.money), _ci(stat, write.money)) for label, stat in (
        ("revenue", day.revenue), ("revenue lost to customers who left", day.lost_revenue),
        ("staff cost", day.staff_cost), ("materials", day.material_cost), ("profit", day.profit),
        ("cost per served customer", day.cost_per_served))]
    profit_rows = [{"step": step_name(model, r.step), "id": r.step, "visits": f"{r.visits:.2f}",
                    "minutes": f"{r.minutes:.2f}", "cost": write.money(r.per_customer),
                    "slip": write.money(r.minute_slip)}
                   for r in profitability(model, g) if r.per_customer or r.minute_slip]
    svg = draw(model, g, "svg", overlay=results).decode("utf-8")
    horizon = model.horizon
    made = charts(results, model, study)
    if gaps is None:
        gaps = five_gaps(model, results, quality)
    made.update(quality_charts(quality, gaps))
    with chart_fonts([model.name, *(step_name(model, s.id) for s in model.steps)]):
        made.update(loyalty_charts(results, model))
    template = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template), autoescape=True, undefined=jinja2.StrictUndefined,
    ).get_template("report.html")
    return template.render(
        version=VERSION, model=model, replications=results.replications, seed=results.seed,
        horizon=(f"{format_clock(horizon.open)}–{format_clock(horizon.close)}"
                 if isinstance(horizon, DayHorizon) else
                 f"steady state, {duration(model.horizon_end, model.time_unit)} after a warm-up of "
                 f"{duration(horizon.warmup, model.time_unit)}"),
        days="days" if model.is_day else "runs", currency=results.currency,
        headlines=headlines(model, results, study, quality=quality, gaps=gaps),
        warnings=results.warnings,
        cards=cards, blueprint_svg=svg[svg.index("<svg"):],
        charts=made, chart_data={name: json.dumps(chart.data, ensure_ascii=False)
                                 for name, chart in made.items()},
        steps=steps, resources=resources_rows, economics=economics, profitability=profit_rows,
        study=_study_rows(study, model, resource) if study else None, source=source or "a model",
        quality=_quality_page(model, gaps, quality, write), surveyed=quality is not None,
        loyalty=_loyalty_page(model, results, write),
    )


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
                executor: Executor | None = None, max_customers: int | None = None,
                survey: str | os.PathLike[str] | None = None,
                respondents: str | os.PathLike[str] | None = None,
                management: str | os.PathLike[str] | None = None,
                scale: str | tuple[float, float] = "1-7") -> Path:
    """Simulate a model (and run a study of it, if given) and write its report to `path`.

    This is ``blueprint.report(model, "report.html")``; `model` is a model file
    or a loaded model. Without a study the model is simulated `replications`
    times (20) from `seed` (1). With one, every figure on the page comes from
    the study's runs — its baseline is the model's simulation — so a profit is
    never printed twice with two values; `replications` and `seed`, if given,
    replace the study's. A `survey` (with its `respondents`, and a `management`
    questionnaire) adds the customer's verdict to the quality page; without one the
    page shows gaps 2 to 4 from the model and the simulation.
    """
    from blueprint.analysis.study import BASELINE, load_study, run_study
    from blueprint.loader import input_files, load_file
    from blueprint.sim import BudgetExceeded, simulate

    checked = load_file(model) if isinstance(model, str | os.PathLike) else model
    loaded = cast(Loaded, getattr(checked, "loaded", checked))  # a Blueprint holds what was loaded
    protect: tuple[str | os.PathLike[str], ...] = input_files(loaded)
    protect += tuple(p for p in (survey, respondents, management) if p is not None)
    quality, answers, managers = _survey(checked.model, survey, respondents, management, scale)
    studied, resource = None, None
    if study_file is not None:
        study = load_study(study_file)
        usage = study.spec.targets.utilization
        resource = usage.resource if usage else None
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
    gaps = five_gaps(checked.model, results, quality, answers, managers)
    html = build_report(checked.model, checked.graph, results, studied, source=checked.path,
                        resource=resource, quality=quality, gaps=gaps)
    return write_report(path, html, protect=protect)


def _survey(model: ServiceModel, survey: str | os.PathLike[str] | None,
            respondents: str | os.PathLike[str] | None, management: str | os.PathLike[str] | None,
            scale: str | tuple[float, float]) -> tuple[Quality | None, list[Any], list[Any] | None]:
    """The survey's quality document, its answers and the managers' answers, read before any
    simulation starts (a bad file stops the report at once, every error located)."""
    from blueprint.analysis.gaps import read_evidence
    from blueprint.analysis.quality import assess
    from blueprint.survey import parse_scale

    bounds = parse_scale(scale) if isinstance(scale, str) else scale
    answers, managers = read_evidence(model, survey, respondents, management, bounds)
    if answers is None:
        return None, [], managers
    return assess(model, answers), list(answers.answers), managers


class _Verb(types.ModuleType):
    """Importing this package makes ``blueprint.report`` the package, not the verb: so the
    package itself can be called, and ``blueprint.report(model, path)`` works either way."""

    def __call__(self, *args: Any, **options: Any) -> Path:
        return report_file(*args, **options)


sys.modules[__name__].__class__ = _Verb
