"""A study on screen and in CSV: a row per scenario, every KPI with its change."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.table import Table

from blueprint.analysis.study import BASELINE, StudyResults

__all__ = ["SHOWN", "study_csv", "study_table"]

SHOWN = ("served", "abandonment_rate", "time_in_system", "staff_cost", "profit")
PERCENT = {"abandonment_rate"}


def _columns(results: StudyResults, resource: str | None) -> list[str]:
    first = next(iter(results.scenarios.values()))["kpis"]
    extra = [k for k in first if k.startswith(("service_level:", "wait:"))
             or k == f"utilization:{resource}"]
    return [*[k for k in SHOWN if k in first], *extra]


def _cell(kpi: str, entry: dict[str, Any], is_baseline: bool) -> str:
    value = entry["value"]
    if value is None:
        return "-"
    percent = kpi in PERCENT or kpi.startswith(("service_level:", "utilization:"))
    half = (value["ci95"][1] - value["ci95"][0]) / 2
    text = f"{value['mean']:.1%}" if percent else _number(value["mean"])
    if half > 0:
        text += f" ±{half:.1%}" if percent else f" ±{_number(half)}"
    change = entry.get("change")
    if is_baseline or change is None:
        return text
    delta = change["mean"]
    shown = f"{delta:+.1%}" if percent else _number(delta, signed=True)
    return f"{text}\n({shown}{'' if change['significant'] else ', n.s.'})"


def _number(x: float, signed: bool = False) -> str:
    """Three significant figures, thousands in full: 0.651, 10.1, 1,691."""
    sign = "+" if signed else ""
    return f"{x:{sign},.0f}" if abs(x) >= 100 else f"{x:{sign}.3g}"


def study_table(results: StudyResults, resource: str | None = None) -> Table:
    """Scenario rows; each KPI's mean and its change against the baseline.

    A change marked n.s. is within the noise: its paired 95% interval contains 0.
    ``resource``: whose utilisation to show (the study's utilisation target).
    """
    columns = _columns(results, resource)
    targets = sorted({t for e in results.scenarios.values() for t in e["targets"]})
    table = Table(title=f"{results.name}: {results.replications} replications, seed {results.seed}",
                  title_justify="left",
                  caption="mean ±95% half-width; in brackets the change against baseline "
                          "(n.s.: not significant, its paired 95% interval contains 0)",
                  caption_justify="left")
    table.add_column("scenario", no_wrap=True)
    for column in columns:
        table.add_column(column.replace("_", " ").replace(":", "\n"), justify="right")
    for target in targets:
        table.add_column(f"target\n{target.replace('_', ' ')}", justify="center")
    for name, entry in results.scenarios.items():
        cells = [_cell(c, entry["kpis"][c], name == BASELINE) for c in columns]
        marks = ["✓" if entry["targets"].get(t) else "✗" for t in targets]
        table.add_row(name, *cells, *marks)
    return table


def study_csv(results: StudyResults) -> str:
    """One row per scenario: every KPI's mean, interval, change and significance; targets."""
    kpis = list(next(iter(results.scenarios.values()))["kpis"])
    targets = sorted({t for e in results.scenarios.values() for t in e["targets"]})
    header = ["scenario", "overrides"]
    for kpi in kpis:
        header += [kpi, f"{kpi} lo", f"{kpi} hi", f"{kpi} change", f"{kpi} change lo",
                   f"{kpi} change hi", f"{kpi} significant"]
    header += [f"target {t}" for t in targets]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for name, entry in results.scenarios.items():
        row: list[Any] = [name, json.dumps(entry["overrides"], ensure_ascii=False)]
        for kpi in kpis:
            value, change = entry["kpis"][kpi]["value"], entry["kpis"][kpi].get("change")
            row += ([value["mean"], *value["ci95"]] if value else ["", "", ""])
            row += ([change["mean"], *change["ci95"], change["significant"]] if change
                    else ["", "", "", ""])
        row += [entry["targets"].get(t, "") for t in targets]
        writer.writerow(row)
    return buffer.getvalue()
