"""The results on screen: three tables a manager can read at a glance, at any width.

A figure over replications is written ``mean ±half-width`` of its 95% interval,
each in its own unit (``10.4 min ±0.5 min``, ``7.9% ±1.5%``, ``€9,424.00
±€362.25``; see :mod:`blueprint.figures`). Every table is laid out for the
width it is given: when the whole of it does not fit, it is split or stacked
rather than cut, so no figure is ever shortened to "…".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from blueprint.figures import column_unit, count, duration, money, per_unit, percent, significant
from blueprint.files import csv_text
from blueprint.model import ServiceModel
from blueprint.results import SimulationResults, Statistic

__all__ = [
    "Kind",
    "figure",
    "fits",
    "in_unit",
    "literal",
    "natural_width",
    "resources_table",
    "results_csv",
    "results_tables",
    "steps_tables",
    "system_table",
]

Kind = Literal["count", "number", "percent", "money", "duration"]

CAPTION = "mean ±half-width of the 95% interval over the replications"


def figure(stat: Statistic | None, kind: Kind = "number", *, time_unit: str = "min",
           unit: str | None = None, currency: str | None = None) -> str:
    """A statistic as 'mean ±half-width', written as its kind is (a count, a share, money in
    `currency`, a duration in `time_unit` shown in `unit` or the unit it reads best in);
    '-' when no replication had a value."""
    if stat is None:
        return "-"
    half = stat.half_width
    if kind == "count":
        return count(stat.mean, half_width=half)
    if kind == "percent":
        return percent(stat.mean, half_width=half)
    if kind == "money":
        return money(stat.mean, half_width=half, currency=currency)
    if kind == "duration":
        return duration(stat.mean, time_unit, unit=unit, half_width=half)
    return significant(stat.mean, half_width=half)


def in_unit(stat: Statistic | None, time_unit: str, unit: str) -> str:
    """A duration's 'mean ±half-width' as numbers in `unit`, for a column that names its unit
    in its heading: 0.43 min with unit "s" -> '25.8 ±5.6'."""
    if stat is None:
        return "-"
    scale = per_unit(time_unit, unit)
    return significant(stat.mean * scale, half_width=stat.half_width * scale)


def natural_width(renderable: Any) -> int:
    """The columns `renderable` takes when nothing has to be folded."""
    console = Console(width=10_000)
    return Measurement.get(console, console.options, renderable).maximum


def fits(renderable: Any, width: int | None) -> bool:
    """Whether `renderable` is shown whole in `width` columns (any width when None)."""
    return width is None or natural_width(renderable) <= width


def literal(*cells: str | Text) -> list[Text]:
    """Cells as written: a name such as "Desk [pilot]" is text, never rich markup."""
    return [Text(c) if isinstance(c, str) else c for c in cells]


def _table(title: str | None, caption: str | None = None, *, compact: bool = False) -> Table:
    return Table(title=None if title is None else Text(title), title_justify="left",
                 caption=caption, caption_justify="left",
                 box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD)


def _system_rows(results: SimulationResults) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The whole service as (label, figure) pairs: customers, then money and time."""
    system, unit, cur = results.system, results.time_unit, results.currency
    stay = system.time_in_system
    stay_unit = column_unit([s.mean if s else None for s in (stay.mean, stay.p90)], unit)
    customers = [
        ("arrivals", figure(system.arrivals, "count")),
        ("served", figure(system.served, "count")),
        ("balked", figure(system.balked, "count")),
        ("reneged", figure(system.reneged, "count")),
        ("abandoned", figure(system.abandoned, "count")),
        ("abandonment rate", figure(system.abandonment_rate, "percent")),
    ]
    if system.complaints is not None:  # where the model follows complaints (docs/loyalty.md)
        customers += [("complaints", figure(system.complaints, "count")),
                      ("  per served", figure(system.complaint_rate, "percent")),
                      ("dissatisfied", figure(system.dissatisfied, "count"))]
        if system.omission_rate is not None:
            customers.append(("  omitted", figure(system.omission_rate, "percent")))
    money_and_time = [
        ("time in system", figure(stay.mean, "duration", time_unit=unit, unit=stay_unit)),
        ("  90th percentile", figure(stay.p90, "duration", time_unit=unit, unit=stay_unit)),
        ("revenue", figure(system.revenue, "money", currency=cur)),
        ("lost revenue", figure(system.lost_revenue, "money", currency=cur)),
        ("staff cost", figure(system.staff_cost, "money", currency=cur)),
        ("materials", figure(system.material_cost, "money", currency=cur)),
        ("profit", figure(system.profit, "money", currency=cur)),
        ("cost per served", figure(system.cost_per_served, "money", currency=cur)),
        ("idle server-hours", figure(system.idle_hours)),
        ("  their cost", figure(system.idle_cost, "money", currency=cur)),
    ]
    if results.loyalty is not None:
        money_and_time.append(("lifetime value lost", figure(results.loyalty.clv_lost, "money",
                                                             currency=cur)))
    return customers, money_and_time


def system_table(results: SimulationResults, width: int | None = None) -> Table:
    """The whole service: customers beside money and time, or below them when narrow."""
    title = f"{results.model}: {results.replications} replications, seed {results.seed}"
    customers, money_and_time = _system_rows(results)
    side = _table(title, CAPTION)
    side.add_column("customers")
    side.add_column("", justify="right")
    side.add_column("money and time")
    side.add_column("", justify="right")
    for k in range(max(len(customers), len(money_and_time))):
        left = customers[k] if k < len(customers) else ("", "")
        right = money_and_time[k] if k < len(money_and_time) else ("", "")
        side.add_row(*literal(*left, *right))
    if fits(side, width):
        return side
    stacked = _table(title, CAPTION)
    stacked.min_width = min(width or 0, cell_len(title))  # the title on one line if it can be
    stacked.add_column("the whole service")
    stacked.add_column("mean ±95%", justify="right")
    for label, text in customers:
        stacked.add_row(*literal(label, text))
    stacked.add_section()
    for label, text in money_and_time:
        stacked.add_row(*literal(label.strip(), text))
    return stacked




def _step_cells(results: SimulationResults, model: ServiceModel
                ) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Each step's figures as written, by column (empty where the step has no queue), and
    the headings of the columns (the waits' name their unit)."""
    unit = results.time_unit
    waits = [results.steps[s.id].wait for s in model.steps if s.resource is not None]
    mean_unit = column_unit([w.mean.mean if w.mean else None for w in waits], unit)
    p90_unit = column_unit([w.p90.mean if w.p90 else None for w in waits], unit)
    headings = {"wait": f"wait ({mean_unit})", "wait p90": f"wait p90 ({p90_unit})"}
    rows = []
    for step in model.steps:
        s = results.steps[step.id]
        queued = step.resource is not None
        fails = ", ".join(f"{fid} {count(v.mean)}" for fid, v in s.fail_points.items() if v)
        rows.append({
            "step": step.id, "entries": figure(s.entries, "count"),
            "balked": figure(s.balked, "count") if queued else "",
            "reneged": figure(s.reneged, "count") if queued else "",
            "fail points": fails,
            "wait": in_unit(s.wait.mean, unit, mean_unit) if queued else "",
            "wait p90": in_unit(s.wait.p90, unit, p90_unit) if queued else "",
            "within tol.": figure(s.within_tolerance, "percent") if s.within_tolerance else "",
            "queue": figure(s.queue_length.mean) if queued else "",
            "queued": "yes" if queued else ""})
    return rows, headings


def _steps_table(title: str, columns: Sequence[str], rows: list[dict[str, str]],
                 headings: dict[str, str], caption: str | None = None) -> Table:
    table = _table(title, caption)
    for column in columns:
        # a name or a list too long for the width folds onto more lines; it is never cut
        table.add_column(headings.get(column, column),
                         justify="left" if column in ("step", "fail points") else "right",
                         overflow="fold")
    for row in rows:
        table.add_row(*literal(*(row[c] for c in columns)))
    return table


STEP_FLOW = ("step", "entries", "balked", "reneged", "fail points")
STEP_WAITS = ("step", "wait", "wait p90", "within tol.", "queue")


def steps_tables(results: SimulationResults, model: ServiceModel, width: int | None = None
                 ) -> list[Table]:
    """Per step: visits, customers lost there (balked, reneged), fail points fired, waits and
    queues — one table when it fits, else two: who passed and who was lost, then the waits
    at the steps that queue."""
    rows, headings = _step_cells(results, model)
    lost = "balked, reneged: customers lost at the step"
    queue = "queue: customers waiting (time-average)"
    one = _steps_table("Steps", (*STEP_FLOW[:-1], *STEP_WAITS[1:], STEP_FLOW[-1]), rows, headings,
                       f"{lost}; {queue}")
    if fits(one, width):
        return [one]
    flow = _steps_table("Steps: customers", STEP_FLOW, rows, headings, lost)
    queued = [row for row in rows if row["queued"]]
    if not queued:
        return [flow]
    return [flow, _steps_table("Steps: waits (steps with a resource)", STEP_WAITS, queued,
                               headings, queue)]


def resources_table(results: SimulationResults) -> Table:
    """Per resource: utilisation, perished capacity, overtime, hours on shift."""
    table = _table("Resources")
    for column in ("resource", "utilisation", "idle server-h", "overtime h", "scheduled h"):
        table.add_column(column, justify="left" if column == "resource" else "right",
                         overflow="fold")
    for rid, r in results.resources.items():
        table.add_row(*literal(rid, figure(r.utilization, "percent"), figure(r.idle_hours),
                               figure(r.overtime_hours), figure(r.scheduled_hours)))
    return table


def results_tables(results: SimulationResults, model: ServiceModel, width: int | None = None
                   ) -> list[Table]:
    """System, steps and resources tables (mean ±half-width of the 95% interval), laid out
    for a terminal `width` columns wide (None: as wide as they come)."""
    return [system_table(results, width), *steps_tables(results, model, width),
            resources_table(results)]


# --- the same figures as CSV -------------------------------------------------------------------

CSV_HEADER = ("table", "row", "figure", "mean", "low", "high", "unit")
OPTIONAL = frozenset({"complaints", "complaint_rate", "dissatisfied", "dissatisfaction_rate",
                      "omission_rate", "time_to_resolve", "clv_lost"})
"""System figures a model has only where it follows complaints and loyalty."""


def results_csv(results: SimulationResults, model: ServiceModel) -> str:
    """The tables' figures as CSV, one figure a line: ``table,row,figure,mean,low,high,unit``.

    ``table`` is system, step or resource; ``row`` the step or resource id (empty for the
    system); ``low``, ``high`` the 95% interval; ``unit`` the model's time unit for times,
    its currency for money (empty if it names none), ``share`` for shares from 0 to 1,
    ``h`` for server-hours, ``customers`` or ``visits`` for counts.
    """
    unit, cur = results.time_unit, results.currency or ""
    system = results.system
    lines: list[tuple[str, str, str, Statistic | None, str]] = [
        ("system", "", name, stat, kind) for name, stat, kind in (
            ("arrivals", system.arrivals, "customers"), ("served", system.served, "customers"),
            ("balked", system.balked, "customers"), ("reneged", system.reneged, "customers"),
            ("abandoned", system.abandoned, "customers"),
            ("abandonment_rate", system.abandonment_rate, "share"),
            ("time_in_system", system.time_in_system.mean, unit),
            ("time_in_system_p90", system.time_in_system.p90, unit),
            ("revenue", system.revenue, cur), ("lost_revenue", system.lost_revenue, cur),
            ("staff_cost", system.staff_cost, cur), ("material_cost", system.material_cost, cur),
            ("profit", system.profit, cur), ("cost_per_served", system.cost_per_served, cur),
            ("idle_hours", system.idle_hours, "h"), ("idle_cost", system.idle_cost, cur),
            ("complaints", system.complaints, "customers"),
            ("complaint_rate", system.complaint_rate, "share"),
            ("dissatisfied", system.dissatisfied, "customers"),
            ("dissatisfaction_rate", system.dissatisfaction_rate, "share"),
            ("omission_rate", system.omission_rate, "share"),
            ("time_to_resolve", system.time_to_resolve, unit),
            ("clv_lost", results.loyalty.clv_lost if results.loyalty else None, cur))
        if stat is not None or name not in OPTIONAL]
    for step in model.steps:
        s = results.steps[step.id]
        lines += [("step", step.id, name, stat, kind) for name, stat, kind in (
            ("entries", s.entries, "visits"), ("balked", s.balked, "customers"),
            ("reneged", s.reneged, "customers"), ("wait", s.wait.mean, unit),
            ("wait_p90", s.wait.p90, unit), ("within_tolerance", s.within_tolerance, "share"),
            ("queue_length", s.queue_length.mean, "customers"))]
        lines += [("step", step.id, f"fail_point:{fid}", stat, "times")
                  for fid, stat in s.fail_points.items()]
    for rid, r in results.resources.items():
        lines += [("resource", rid, name, stat, kind) for name, stat, kind in (
            ("utilization", r.utilization, "share"), ("idle_hours", r.idle_hours, "h"),
            ("idle_cost", r.idle_cost, cur), ("overtime_hours", r.overtime_hours, "h"),
            ("scheduled_hours", r.scheduled_hours, "h"))]
    return csv_text(CSV_HEADER, [(t, row, name, *_numbers(stat), kind)
                                 for t, row, name, stat, kind in lines])


def _numbers(stat: Statistic | None) -> tuple[Any, Any, Any]:
    return ("", "", "") if stat is None else (stat.mean, stat.low, stat.high)


