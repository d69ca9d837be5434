"""A study on screen and in CSV: a row per scenario, every KPI with its change."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from rich import box
from rich.table import Table

from blueprint.analysis.study import BASELINE
from blueprint.figures import MONEY, money, percent, significant, uncertainty
from blueprint.results.study import KpiComparison, StudyResults

__all__ = ["SHOWN", "kpi_cell", "kpi_columns", "study_csv", "study_table", "study_tables"]

SHOWN = ("served", "abandonment_rate", "time_in_system", "staff_cost", "profit", "cost_per_served")
PERCENT = {"abandonment_rate"}
_CAPTION = ("mean ±95% half-width; in brackets the change against baseline (n.s.: not "
            "significant, its paired 95% interval contains 0)")


def kpi_columns(results: StudyResults, resource: str | None = None) -> list[str]:
    """The KPIs a table shows: the headline ones, then service levels, waits and a utilisation."""
    first = next(iter(results.scenarios.values())).kpis
    extra = [k for k in first if k.startswith(("service_level:", "wait:"))
             or k == f"utilization:{resource}"]
    return [*[k for k in SHOWN if k in first], *extra]


def _writer(kpi: str) -> Callable[..., str]:
    if kpi in PERCENT or kpi.startswith(("service_level:", "utilization:")):
        return percent
    return money if kpi in MONEY else significant


def kpi_cell(kpi: str, entry: KpiComparison, is_baseline: bool) -> str:
    """A KPI's mean ±95% half-width and, below it, its change against the baseline.

    The one way a KPI is written, for the terminal and the report alike; money
    to the cent, so it reads the same as in `blueprint economics`.
    """
    value = entry.value
    if value is None:
        return "-"
    write = _writer(kpi)
    half = value.half_width
    text = write(value.mean)
    if half > 0:
        text += f" ±{write(half) if write is not significant else uncertainty(half)}"
    change = entry.change
    if is_baseline or change is None:
        return text
    return f"{text}\n({write(change.mean, signed=True)}{'' if change.significant else ', n.s.'})"


def study_table(results: StudyResults, resource: str | None = None) -> Table:
    """Scenario rows; each KPI's mean and its change against the baseline.

    A change marked n.s. is within the noise: its paired 95% interval contains 0.
    ``resource``: whose utilisation to show (the study's utilisation target).
    """
    columns = kpi_columns(results, resource)
    targets = sorted({t for e in results.scenarios.values() for t in e.targets})
    table = Table(title=f"{results.study}: {results.replications} replications, seed {results.seed}",
                  title_justify="left",
                  caption=_CAPTION,
                  caption_justify="left")
    # A narrow terminal folds a figure onto two lines; it never cuts one short with "…".
    table.add_column("scenario", overflow="fold", ratio=2)
    for column in columns:
        table.add_column(column.replace("_", " ").replace(":", "\n"), justify="right",
                         overflow="fold", ratio=1)
    for target in targets:
        table.add_column(f"target\n{target.replace('_', ' ')}", justify="center", overflow="fold")
    for name, entry in results.scenarios.items():
        cells = [kpi_cell(c, entry.kpis[c], name == BASELINE) for c in columns]
        marks = ["✓" if entry.targets.get(t) else "✗" for t in targets]
        table.add_row(name, *cells, *marks)
    return table


def study_tables(results: StudyResults, resource: str | None = None,
                 width: int | None = None) -> list[Table]:
    """The study for a terminal `width` columns wide: one table with a row per scenario when it
    fits, else tables with a row per KPI and a column per scenario, as many scenarios side by
    side as fit — a figure is never split across lines or cut short."""
    wide = study_table(results, resource)
    if width is None or _natural_width(wide) <= width:
        return [wide]
    columns = kpi_columns(results, resource)
    targets = sorted({t for e in results.scenarios.values() for t in e.targets})
    names = list(results.scenarios)
    cells = {name: [kpi_cell(c, results.scenarios[name].kpis[c], name == BASELINE) for c in columns]
             for name in names}
    label = max(len(c) for c in [*columns, *(f"target {t}" for t in targets)]) + 2
    cell = max(len(line) for texts in cells.values() for text in texts for line in text.split("\n")) + 3
    per_table = max(1, (width - label - 4) // cell)
    tables = []
    for start in range(0, len(names), per_table):
        chunk = names[start:start + per_table]
        table = Table(title=(f"{results.study}: {results.replications} replications, seed "
                             f"{results.seed}" if start == 0 else None), title_justify="left",
                      box=box.SIMPLE_HEAD,
                      caption=(_CAPTION if start + per_table >= len(names) else None),
                      caption_justify="left")
        table.add_column("", no_wrap=True)
        for name in chunk:
            table.add_column(name, justify="right", overflow="fold", min_width=cell - 3)
        for k, column in enumerate(columns):
            table.add_row(column.replace("_", " "), *(cells[name][k] for name in chunk))
        for target in targets:
            table.add_row(f"target {target.replace('_', ' ')}",
                          *("✓" if results.scenarios[name].targets.get(target) else "✗" for name in chunk))
        tables.append(table)
    return tables


def _natural_width(table: Table) -> int:
    from rich.console import Console
    from rich.measure import Measurement

    console = Console(width=10_000)
    return Measurement.get(console, console.options, table).maximum


def study_csv(results: StudyResults) -> str:
    """One row per scenario: every KPI's mean, interval, change and significance; targets."""
    kpis = list(next(iter(results.scenarios.values())).kpis)
    targets = sorted({t for e in results.scenarios.values() for t in e.targets})
    header = ["scenario", "overrides"]
    for kpi in kpis:
        header += [kpi, f"{kpi} lo", f"{kpi} hi", f"{kpi} change", f"{kpi} change lo",
                   f"{kpi} change hi", f"{kpi} significant"]
    header += [f"target {t}" for t in targets]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for name, entry in results.scenarios.items():
        row: list[Any] = [name, json.dumps(entry.overrides, ensure_ascii=False)]
        for kpi in kpis:
            value, change = entry.kpis[kpi].value, entry.kpis[kpi].change
            row += ([value.mean, *value.ci95] if value else ["", "", ""])
            row += ([change.mean, *change.ci95, change.significant] if change
                    else ["", "", "", ""])
        row += [entry.targets.get(t, "") for t in targets]
        writer.writerow(row)
    return buffer.getvalue()
