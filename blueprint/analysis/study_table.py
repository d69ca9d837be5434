"""A study on screen and in CSV: every scenario's KPIs with their change against the baseline.

On screen the study takes the form the terminal's width allows, and a figure
is never cut short or split across lines:

- wide enough: one table, a row per scenario and a column per KPI;
- narrower: a row per KPI and a column per scenario, as many scenarios side by
  side as fit, in as many tables as it takes;
- narrower still (or scenario names too long to stand side by side): a block
  per scenario, its KPIs one a line with the change beside them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from blueprint.analysis.study import BASELINE
from blueprint.figures import (
    MONEY,
    SECONDS,
    column_unit,
    count,
    money,
    per_unit,
    percent,
    points,
    significant,
)
from blueprint.results.study import KpiComparison, StudyResults
from blueprint.sim.table import fits, literal

__all__ = ["SHOWN", "kpi_cell", "kpi_columns", "kpi_label", "kpi_units", "study_csv", "study_table",
           "study_tables", "target_label"]

SHOWN = ("served", "abandonment_rate", "time_in_system", "staff_cost", "profit", "cost_per_served")
PERCENT = {"abandonment_rate", "complaint_rate", "dissatisfaction_rate", "omission_rate"}
COUNTS = {"served", "complaints", "dissatisfied"}
OUTCOME_SHOWN = ("complaint_rate", "clv_lost")  # where a model follows complaints and loyalty
WORDS = {"clv_lost": "lifetime value lost", "dissatisfaction_rate": "dissatisfied"}
_CHANGE = ("against baseline (pp: percentage points; n.s.: not significant, its paired 95% "
           "interval contains 0)")
CAPTION = f"mean ±half-width of the 95% interval; in brackets the change {_CHANGE}"
BLOCK_CAPTION = f"mean ±95%: mean ±half-width of the 95% interval; change: {_CHANGE}"


def kpi_columns(results: StudyResults, resource: str | None = None) -> list[str]:
    """The KPIs a table shows: the headline ones, then service levels, waits and a utilisation."""
    first = next(iter(results.scenarios.values())).kpis
    extra = [k for k in first if k.startswith(("service_level:", "wait:"))
             or k == f"utilization:{resource}"]
    return [*[k for k in SHOWN if k in first], *[k for k in OUTCOME_SHOWN if k in first], *extra]


def kpi_label(kpi: str, unit: str | None = None) -> str:
    """A KPI as a reader reads it, with the unit its figures are in where they are bare:
    'utilization:teller' -> 'utilisation: teller'; ('wait:deposit', 'min') -> 'wait: deposit
    (min)'."""
    name, _, what = kpi.partition(":")
    label = WORDS.get(name) or name.replace("_", " ").replace("utilization", "utilisation")
    label = f"{label}: {what}" if what else label
    return f"{label} ({unit})" if unit else label


def target_label(target: str) -> str:
    """A study target as a reader reads it: 'utilization' -> 'target utilisation'."""
    return "target " + (WORDS.get(target) or target.replace("_", " ").replace("utilization",
                                                                               "utilisation"))


def _kind(kpi: str) -> str:
    if kpi in PERCENT or kpi.startswith(("service_level:", "utilization:")):
        return "percent"
    if kpi in MONEY:
        return "money"
    if kpi in ("time_in_system", "time_to_resolve") or kpi.startswith("wait:"):
        return "duration"
    return "count" if kpi in COUNTS else "number"


def kpi_units(results: StudyResults) -> dict[str, str]:
    """The one unit each duration KPI is written in across the scenarios (the largest's)."""
    time_unit = next(iter(results.scenarios.values())).results.time_unit
    units = {}
    for kpi in next(iter(results.scenarios.values())).kpis:
        if _kind(kpi) == "duration":
            values = [e.kpis[kpi].value for e in results.scenarios.values() if kpi in e.kpis]
            units[kpi] = column_unit([v.mean if v else None for v in values], time_unit)
    return units


def kpi_cell(kpi: str, entry: KpiComparison, is_baseline: bool, *, currency: str | None = None,
             time_unit: str | None = None, unit: str | None = None, change_below: bool = True
             ) -> str:
    """A KPI's mean ±95% half-width and, below it, its change against the baseline.

    The one way a KPI is written, for the terminal and the report alike: money
    to the cent (in `currency`), so it reads the same as in `blueprint
    economics`; shares in %, their changes in percentage points; a count as a
    count. Durations are numbers in the model's time unit or, given the model's
    `time_unit` and a `unit` (which the KPI's label then names, see
    :func:`kpi_label`), in that unit. With ``change_below=False`` only the figure
    (the change: :func:`kpi_change`).
    """
    value = entry.value
    if value is None:
        return "-"
    scale = _scale(kpi, time_unit, unit)
    kind = _kind(kpi)
    if kind == "money":
        text = money(value.mean, half_width=value.half_width, currency=currency)
    else:
        writers: dict[str, Callable[..., str]] = {"percent": percent, "count": count}
        write = writers.get(kind, significant)
        text = write(value.mean * scale, half_width=value.half_width * scale)
    change = kpi_change(kpi, entry, is_baseline, currency=currency, time_unit=time_unit, unit=unit)
    return f"{text}\n({change})" if change and change_below else text


def kpi_change(kpi: str, entry: KpiComparison, is_baseline: bool, *, currency: str | None = None,
               time_unit: str | None = None, unit: str | None = None) -> str:
    """A KPI's change against the baseline, to the precision its paired interval allows:
    '+75.00', '-1.6 pp', '+0.3, n.s.'; empty for the baseline itself or where there is none."""
    change = entry.change
    if is_baseline or change is None or entry.value is None:
        return ""
    kind = _kind(kpi)
    scale = _scale(kpi, time_unit, unit)
    if kind == "money":
        text = money(change.mean, signed=True, currency=currency)
    elif kind == "percent":
        text = points(change.mean)
    else:
        write = count if kind == "count" else significant
        text = write(change.mean * scale, signed=True, precision=change.half_width * scale)
    return f"{text}{'' if change.significant else ', n.s.'}"


def _scale(kpi: str, time_unit: str | None, unit: str | None) -> float:
    """What a KPI's figures are multiplied by to be written in `unit` (1: as they are)."""
    if _kind(kpi) == "duration" and time_unit in SECONDS and unit:
        return per_unit(str(time_unit), unit)
    return 1.0


class _Cells:
    """Every scenario's cells, written once for whichever layout shows them."""

    def __init__(self, results: StudyResults, resource: str | None):
        first = next(iter(results.scenarios.values())).results
        self.how: dict[str, Any] = {"currency": first.currency, "time_unit": first.time_unit}
        self.units = kpi_units(results)
        self.columns = kpi_columns(results, resource)
        self.targets = sorted({t for e in results.scenarios.values() for t in e.targets})
        self.results = results

    def cell(self, name: str, kpi: str, **extra: Any) -> str:
        return kpi_cell(kpi, self.results.scenarios[name].kpis[kpi], name == BASELINE, **self.how,
                        unit=self.units.get(kpi), **extra)

    def change(self, name: str, kpi: str) -> str:
        return kpi_change(kpi, self.results.scenarios[name].kpis[kpi], name == BASELINE, **self.how,
                          unit=self.units.get(kpi))

    def label(self, kpi: str) -> str:
        return kpi_label(kpi, self.units.get(kpi))

    def mark(self, name: str, target: str) -> str:
        return "✓" if self.results.scenarios[name].targets.get(target) else "✗"

    def title(self) -> str:
        r = self.results
        return f"{r.study}: {r.replications} replications, seed {r.seed}"


def study_table(results: StudyResults, resource: str | None = None) -> Table:
    """Scenario rows; each KPI's mean and its change against the baseline.

    A change marked n.s. is within the noise: its paired 95% interval contains 0.
    ``resource``: whose utilisation to show (the study's utilisation target).
    """
    cells = _Cells(results, resource)
    table = Table(title=Text(cells.title()), title_justify="left", caption=CAPTION,
                  caption_justify="left")
    table.add_column("scenario", overflow="fold")
    for column in cells.columns:
        table.add_column(cells.label(column), justify="right", overflow="fold")
    for target in cells.targets:
        table.add_column(target_label(target), justify="center", overflow="fold")
    for name in results.scenarios:
        table.add_row(*literal(name, *(cells.cell(name, c) for c in cells.columns),
                               *(cells.mark(name, t) for t in cells.targets)))
    return table


def study_tables(results: StudyResults, resource: str | None = None,
                 width: int | None = None) -> list[Any]:
    """The study for a terminal `width` columns wide (None: any width): one table with a row
    per scenario when it fits; else a row per KPI and a column per scenario, as many side by
    side as fit; else a block per scenario. A figure is never split across lines or cut.

    Tables and lines of text (the title, a block's heading, the legend), in printing order.
    """
    wide = study_table(results, resource)
    if fits(wide, width):
        return [wide]
    assert width is not None
    cells = _Cells(results, resource)
    groups = _side_by_side(cells, width)
    shown: list[Any] = [Text(cells.title())]
    if groups is None:
        widths = _block_widths(cells)
        shown.append(Text(""))
        for name in results.scenarios:  # a block's last line is blank: it parts it from the next
            shown += [_heading(cells, name), _block(cells, name, widths)]
    else:
        shown += [_columns(cells, group) for group in groups]
    shown.append(Text(CAPTION if groups else BLOCK_CAPTION))
    return shown


def _side_by_side(cells: _Cells, width: int) -> list[list[str]] | None:
    """The scenarios in groups that fit `width` side by side, or None when two do not."""
    groups: list[list[str]] = []
    for name in cells.results.scenarios:
        if groups and fits(_columns(cells, [*groups[-1], name]), width):
            groups[-1].append(name)
        else:
            groups.append([name])
    # side by side only if they all are (a last one alone excepted): else a block each
    if any(len(g) < 2 for g in groups[:-1]) or len(groups[0]) < 2 or not all(
            fits(_columns(cells, g), width) for g in groups):
        return None
    return groups


def _columns(cells: _Cells, names: list[str]) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    table.add_column("", no_wrap=True)
    for name in names:
        # a name is shown whole, on one line, so that it reads (and is found) as written
        table.add_column(Text(name), justify="right", no_wrap=True, min_width=cell_len(name))
    for column in cells.columns:
        table.add_row(*literal(cells.label(column), *(cells.cell(name, column) for name in names)))
    for target in cells.targets:
        table.add_row(*literal(target_label(target), *(cells.mark(name, target) for name in names)))
    return table


def _heading(cells: _Cells, name: str) -> Text:
    """'scenario NAME (its overrides)', the overrides left out where the name says them."""
    overrides = cells.results.scenarios[name].overrides
    said = ", ".join(f"{path}={json.dumps(v, ensure_ascii=False)}" for path, v in overrides.items())
    heading = Text("scenario ")
    heading.append(name, style="bold")
    if said and said.replace(", ", ",") != name:
        heading.append(f" ({said})")
    return heading


def _block_rows(cells: _Cells, name: str) -> list[tuple[str, str, str]]:
    rows = [(cells.label(c), cells.cell(name, c, change_below=False), cells.change(name, c))
            for c in cells.columns]
    rows += [(target_label(t), "✓ met" if cells.results.scenarios[name].targets.get(t)
              else "✗ missed", "") for t in cells.targets]
    return rows


def _block_widths(cells: _Cells) -> list[int]:
    """The widths of the blocks' columns, the same in every block so they read as one."""
    rows = [row for name in cells.results.scenarios for row in _block_rows(cells, name)]
    return [max(cell_len(row[k]) for row in [("KPI", "mean ±95%", "change"), *rows])
            for k in range(3)]


def _block(cells: _Cells, name: str, widths: list[int]) -> Table:
    table = Table(box=box.SIMPLE_HEAD)
    for heading, width, justify in zip(("KPI", "mean ±95%", "" if name == BASELINE else "change"),
                                       widths, ("left", "right", "right"), strict=True):
        table.add_column(heading, justify=justify, overflow="fold", min_width=width)  # type: ignore[arg-type]
    for row in _block_rows(cells, name):
        table.add_row(*literal(*row))
    return table


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
