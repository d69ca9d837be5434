"""One self-contained HTML page a consultant can hand to a client.

The blueprint coloured by simulated waits, the figures that matter as cards
and tables, and charts of demand against capacity, waits, queues,
utilisation, wait distributions, fail points and, with a study, the
scenarios side by side. Everything is inline — SVG charts, CSS — so the file
opens anywhere, offline, and makes no request.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from blueprint.analysis.economics import day_economics, profitability
from blueprint.analysis.study import BASELINE, StudyResults
from blueprint.analysis.study_table import SHOWN, _cell
from blueprint.api import Blueprint
from blueprint.files import write_atomic
from blueprint.model import DayHorizon, format_clock
from blueprint.report.plots import CHARTS, charts
from blueprint.sim.results import SimulationResults

__all__ = ["CHARTS", "build_report", "write_report"]


def _fmt(stat: Any, spec: str = ".3g", percent: bool = False) -> str:
    """A statistic's mean for a card or a cell (its interval goes beside it, see _ci)."""
    if stat is None:
        return "–"
    mean = stat["mean"]
    if percent:
        return f"{mean:.1%}"
    return f"{mean:,.0f}" if abs(mean) >= 1000 else f"{mean:{spec}}"


def _ci(stat: Any, percent: bool = False) -> str:
    if stat is None:
        return ""
    lo, hi = stat["ci95"]
    if percent:
        return f"95%: {lo:.1%} – {hi:.1%}"
    return f"95%: {_plain(lo)} – {_plain(hi)}"


def _plain(x: float) -> str:
    """Three significant figures without exponents: 0.652, 57.4, 12,963."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _study_rows(study: StudyResults) -> dict[str, Any]:
    first = next(iter(study.scenarios.values()))["kpis"]
    columns = [k for k in SHOWN if k in first] + [k for k in first if k.startswith("service_level:")]
    targets = sorted({t for e in study.scenarios.values() for t in e["targets"]})
    rows = []
    for name, entry in study.scenarios.items():
        cells = []
        for column in columns:
            change = entry["kpis"][column].get("change")
            quiet = name != BASELINE and change is not None and not change["significant"]
            cells.append({"text": _cell(column, entry["kpis"][column], name == BASELINE),
                          "css": "ns" if quiet else ""})
        rows.append({"name": name, "cells": cells,
                     "targets": [entry["targets"].get(t, False) for t in targets]})
    return {"name": study.name, "columns": [c.replace("_", " ") for c in columns],
            "targets": [t.replace("_", " ") for t in targets], "rows": rows}


def build_report(bp: Blueprint, results: SimulationResults,
                 study: StudyResults | None = None) -> str:
    """The report as one HTML string."""
    from blueprint import __version__

    model, data = bp.model, results.data
    system = data["system"]
    money = day_economics(results, model)
    cards = [
        {"label": "customers served", "value": _fmt(system["served"], ".0f"), "ci": _ci(system["served"])},
        {"label": "customers lost", "value": _fmt(system["abandonment_rate"], percent=True),
         "ci": _ci(system["abandonment_rate"], percent=True)},
        {"label": f"time in system ({model.time_unit})", "value": _fmt(system["time_in_system"]["mean"]),
         "ci": _ci(system["time_in_system"]["mean"])},
        {"label": "revenue lost", "value": _fmt(system["lost_revenue"], ".0f"),
         "ci": _ci(system["lost_revenue"])},
        {"label": "staff cost", "value": _fmt(system["staff_cost"], ".0f"), "ci": ""},
        {"label": "idle server-hours", "value": f"{money['idle_server_hours']:.1f}",
         "ci": f"cost {money['idle_cost']:,.0f}"},
    ]
    steps = [{"name": s.id, "zone": s.zone, "entries": _fmt(data["steps"][s.id]["entries"], ".1f"),
              "wait": _fmt(data["steps"][s.id]["wait"]["mean"]) if s.resource else "",
              "p90": _fmt(data["steps"][s.id]["wait"]["p90"]) if s.resource else "",
              "within": _fmt(data["steps"][s.id]["within_tolerance"], percent=True)
              if data["steps"][s.id]["within_tolerance"] else "",
              "queue": _fmt(data["steps"][s.id]["queue_length"]["mean"]) if s.resource else ""}
             for s in model.steps]
    resources_rows = [{"name": rid, "utilization": _fmt(r["utilization"], percent=True),
                       "idle": _fmt(r["idle_hours"], ".1f"),
                       "idle_cost": f"{money['resources'][rid]['idle_cost']:,.0f}",
                       "overtime": _fmt(r["overtime_hours"], ".2f")}
                      for rid, r in data["resources"].items()]
    economics = [(label, "–" if money[key] is None else f"{money[key]:,.2f}") for label, key in (
        ("revenue", "revenue"), ("revenue lost to customers who left", "lost_revenue"),
        ("staff cost", "staff_cost"), ("materials", "material_cost"), ("profit", "profit"),
        ("cost per served customer", "cost_per_served"))]
    profit_rows = [{"step": r.step, "visits": f"{r.visits:.2f}", "minutes": f"{r.minutes:.2f}",
                    "cost": f"{r.per_customer:.2f}", "slip": f"{r.minute_slip:.2f}"}
                   for r in profitability(model, bp.graph) if r.per_customer or r.minute_slip]
    svg = bp.render(fmt="svg", overlay=data).decode("utf-8")
    horizon = model.horizon
    template = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template), autoescape=True, undefined=jinja2.StrictUndefined,
    ).get_template("report.html")
    return template.render(
        version=__version__, model=model, replications=data["replications"], seed=data["seed"],
        horizon=(f"{format_clock(horizon.open)}–{format_clock(horizon.close)}"
                 if isinstance(horizon, DayHorizon) else ""),
        cards=cards, blueprint_svg=svg[svg.index("<svg"):],
        charts=_Charts(charts(results, model, study.to_dict() if study else None)),
        steps=steps, resources=resources_rows, economics=economics, profitability=profit_rows,
        study=_study_rows(study) if study else None, source=bp.path or "a model",
    )


class _Charts(dict):
    def __getattr__(self, name: str) -> str:
        return self.get(name, "")


def _template(name: str) -> str:
    return resources.files("blueprint.report").joinpath("templates", name).read_text("utf-8")


def write_report(path: str | os.PathLike[str], html: str,
                 protect: tuple[str | os.PathLike[str], ...] = ()) -> Path:
    return write_atomic(path, html, protect=protect)
