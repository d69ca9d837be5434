"""Tables for the terminal: the `info` summary, the day's money, a staffing plan.

The commands print these; a notebook can print them too (``rich.print``).
Each fits the width it is given (80 columns and up): long lists and names
wrap inside their column, prose wraps at the margin, and no figure is cut
short. Beside each, the same rows as CSV (``--output-format csv``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from blueprint.figures import count, interval, money, percent, significant
from blueprint.files import csv_text
from blueprint.results.base import Statistic
from blueprint.results.economics import Economics
from blueprint.results.staffing import StaffingPlan
from blueprint.sim.table import CSV_HEADER, literal

__all__ = ["PIPED_WIDTH", "economics_csv", "economics_tables", "info_csv", "info_tables",
           "output_width", "plural", "staffing_csv", "staffing_tables"]

PIPED_WIDTH = 100
"""Columns for output that goes to a file or another program and is given no COLUMNS."""


def output_width(environ: Mapping[str, str], is_terminal: bool) -> int | None:
    """The columns tables are laid out for: ``COLUMNS`` when it is set to a whole number;
    else, on a terminal, the terminal's own width (None: rich asks the terminal); else —
    piped into a file or another program — :data:`PIPED_WIDTH`.

    >>> output_width({"COLUMNS": "80"}, False), output_width({}, False), output_width({}, True)
    (80, 100, None)
    """
    columns = environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if is_terminal else PIPED_WIDTH


def plural(number: int, noun: str, many: str | None = None) -> str:
    """'1 loop', '2 loops', '0 decision points'; `many` where the plural is not noun + s.

    >>> plural(1, "loop"), plural(2, "loop"), plural(0, "decision point"), plural(1, "day", "days")
    ('1 loop', '2 loops', '0 decision points', '1 day')
    """
    return f"{number:,} {noun if number == 1 else (many or noun + 's')}"


def _prose(text: str) -> Text:
    """A line of prose, wrapped at the margin; brackets in names or paths are not markup."""
    return Text(text)


# --- info ------------------------------------------------------------------------------------


def info_tables(summary: dict[str, Any], currency: str | None = None) -> list[Any]:
    """The `info` summary as text lines and tables, in reading order (costs in `currency`)."""
    shown: list[Any] = []
    title = Text(summary["name"], style="bold")
    title.append(f"  ({summary['file']})" if summary.get("file") else "", style="")
    shown.append(title)
    horizon = summary["horizon"]
    span = (f"{horizon['open']}-{horizon['close']}" if "open" in horizon
            else f"{horizon['length']:g} {summary['time_unit']}, warm-up {horizon['warmup']:g}")
    arrivals = summary["expected_arrivals"]
    shown.append(_prose(f"horizon {span}; time unit {summary['time_unit']}; expected arrivals "
                        f"{'from trace' if arrivals is None else significant(arrivals)}"))
    zones = Table(title="Steps per zone", title_justify="left")
    zones.add_column("zone", no_wrap=True)
    zones.add_column("steps", justify="right", no_wrap=True)
    zones.add_column("ids", overflow="fold")
    for zone, ids in summary["steps_per_zone"].items():
        zones.add_row(*literal(zone, str(len(ids)), ", ".join(ids)))
    shown.append(zones)
    lines = Table(title="Lines crossed", title_justify="left")
    lines.add_column("line", no_wrap=True)
    lines.add_column("flows", justify="right", no_wrap=True)
    lines.add_column("where", overflow="fold")
    for line, edges in summary["line_crossings"].items():
        lines.add_row(*literal(line, str(len(edges)), ", ".join(f"{a}->{b}" for a, b in edges)))
    shown.append(lines)
    touch = summary["touchpoints"]
    shown.append(_prose(f"touchpoints ({len(touch)}): {', '.join(touch) if touch else '-'}"))
    if summary["fail_points"]:
        fails = Table(title="Fail points", title_justify="left")
        for column in ("id", "step", "name", "p", "effect"):
            fails.add_column(column, overflow="fold", justify="right" if column == "p" else "left")
        for f in summary["fail_points"]:
            fails.add_row(*literal(f["id"], f["step"], f["name"], f"{f['p']:g}", f["effect"]))
        shown.append(fails)
    waits = summary["wait_points"]
    shown.append(_prose(f"wait points ({len(waits)}): {', '.join(waits) if waits else '-'}"))
    if summary["resources"]:
        table = Table(title="Resources", title_justify="left")
        for column in ("id", "capacity", "cost/h", "used by"):
            table.add_column(column, overflow="fold", justify="right" if column == "cost/h" else "left")
        for rid, r in summary["resources"].items():
            capacity = r["capacity"] if isinstance(r["capacity"], int) else "; ".join(r["capacity"])
            table.add_row(*literal(rid, str(capacity), money(r["cost_per_hour"], currency=currency),
                                   ", ".join(r["used_by"])))
        shown.append(table)
    c = summary["complexity"]
    shown.append(_prose(
        f"complexity: {plural(c['steps'], 'step')}, {plural(c['decision_points'], 'decision point')} "
        f"({plural(c['branches'], 'branch', 'branches')}), {plural(c['forks'], 'fork')}, "
        f"{plural(c['loops'], 'loop')}, {plural(c['fail_points'], 'fail point')}, "
        f"{plural(c['wait_points'], 'wait point')}"))
    return shown


INFO_CSV_HEADER = ("table", "row", "field", "value")


def info_csv(summary: dict[str, Any]) -> str:
    """The summary as CSV, one fact a line: ``table,row,field,value``.

    ``model`` rows: name, file, time_unit, horizon, expected_arrivals; ``zone`` rows
    (row: the zone): a ``step`` each; ``line`` rows (row: the line): a ``flow``
    each, ``from->to``; ``touchpoint`` and ``wait_point`` rows: a ``step`` each;
    ``fail_point`` rows (row: its id): step, name, p, effect; ``resource`` rows
    (row: its id): capacity (a number, or a shift ``HH:MM-HH:MM: N`` a line),
    cost_per_hour, used_by (a step a line); ``complexity`` rows: each count.
    """
    rows: list[tuple[Any, ...]] = []
    horizon = summary["horizon"]
    rows += [("model", "", "name", summary["name"]), ("model", "", "file", summary.get("file")),
             ("model", "", "time_unit", summary["time_unit"])]
    rows += [("model", "", f"horizon_{key}", value) for key, value in horizon.items()]
    rows.append(("model", "", "expected_arrivals", summary["expected_arrivals"]))
    rows += [("zone", zone, "step", sid) for zone, ids in summary["steps_per_zone"].items()
             for sid in ids]
    rows += [("line", line, "flow", f"{a}->{b}") for line, edges in summary["line_crossings"].items()
             for a, b in edges]
    rows += [("touchpoint", "", "step", sid) for sid in summary["touchpoints"]]
    rows += [("wait_point", "", "step", sid) for sid in summary["wait_points"]]
    rows += [("fail_point", f["id"], field, f[field]) for f in summary["fail_points"]
             for field in ("step", "name", "p", "effect")]
    for rid, r in summary["resources"].items():
        shifts = [r["capacity"]] if isinstance(r["capacity"], int) else r["capacity"]
        rows += [("resource", rid, "capacity", shift) for shift in shifts]
        rows.append(("resource", rid, "cost_per_hour", r["cost_per_hour"]))
        rows += [("resource", rid, "used_by", sid) for sid in r["used_by"]]
    rows += [("complexity", "", key, value) for key, value in summary["complexity"].items()]
    return csv_text(INFO_CSV_HEADER, rows)


# --- economics -------------------------------------------------------------------------------


def _day_rows(economics: Economics) -> list[tuple[str, str, Statistic | None, str]]:
    """(label, field, figure, kind) of the day's money, in reading order."""
    day = economics.day
    return [("revenue", "revenue", day.revenue, "money"),
            ("revenue lost (customers who left)", "lost_revenue", day.lost_revenue, "money"),
            ("staff cost", "staff_cost", day.staff_cost, "money"),
            ("materials", "material_cost", day.material_cost, "money"),
            ("profit", "profit", day.profit, "money"),
            ("idle server-hours (perished)", "idle_server_hours", day.idle_server_hours, "hours"),
            ("cost of idle hours", "idle_cost", day.idle_cost, "money"),
            ("cost per served customer", "cost_per_served", day.cost_per_served, "money"),
            ("customers served", "served", day.served, "count"),
            ("customers lost", "lost", day.lost, "count"),
            *([("complaints", "complaints", day.complaints, "count")] if day.complaints else []),
            *([("lifetime value lost (over the years)", "clv_lost", day.clv_lost, "money")]
              if day.clv_lost else [])]


def economics_tables(economics: Economics, currency: str | None = None) -> list[Any]:
    """The day's money, the cost of each step per customer, and the cost of slow minutes —
    every amount in `currency` (the model's, if it names one)."""
    def write(value: float, kind: str) -> str:
        if kind == "money":
            return money(value, currency=currency)
        return count(value) if kind == "count" else significant(value)

    day = economics.day
    table = Table(title=Text(f"{economics.model}: the day's money"), title_justify="left",
                  caption=f"mean and 95% interval over {plural(day.replications, 'replication')}",
                  caption_justify="left")
    table.add_column("figure", overflow="fold")
    table.add_column("mean", justify="right", overflow="fold")
    table.add_column("95% interval", justify="right", overflow="fold")
    for label, _, stat, kind in _day_rows(economics):
        table.add_row(label, "-" if stat is None else write(stat.mean, kind),
                      "" if stat is None else interval(write(stat.low, kind), write(stat.high, kind)))
    shown: list[Any] = [table]
    steps = Table(title="Profit per customer by step (Shostack): labour by the minute + materials",
                  title_justify="left")
    for column in ("step", "visits", "minutes", "cost per customer", "one more minute costs"):
        steps.add_column(column, justify="left" if column == "step" else "right", overflow="fold")
    for row in economics.profitability:
        if row.per_customer or row.minute_slip:
            steps.add_row(Text(row.step), f"{row.visits:.2f}", f"{row.minutes:.2f}",
                          money(row.per_customer, currency=currency),
                          money(row.minute_slip, currency=currency))
    shown.append(steps)
    shown.append(_prose("profit per customer if every staffed step ran longer: "
                        + ", ".join(f"+{p.slip_minutes:g} min: "
                                    f"{money(p.profit_per_customer, currency=currency)}"
                                    for p in economics.profit_curve[:6])))
    return shown


def economics_csv(economics: Economics, currency: str | None = None) -> str:
    """The figures as CSV, one a line, in the layout of ``simulate --output-format csv``:
    ``table,row,figure,mean,low,high,unit``.

    ``day`` rows: the day's figures with their 95% interval; ``step`` rows (row: the
    step): visits, minutes, labour_per_visit, materials_per_visit, per_customer,
    minute_slip (one value, in `mean`); ``slip`` rows (row: minutes added to every
    staffed step): cost_per_customer, profit_per_customer.
    """
    cur = currency or ""
    units = {"money": cur, "hours": "h", "count": "customers"}
    rows: list[tuple[Any, ...]] = []
    for _, field, stat, kind in _day_rows(economics):
        low_high = ("", "", "") if stat is None else (stat.mean, stat.low, stat.high)
        rows.append(("day", "", field, *low_high, units[kind]))
    for step in economics.profitability:
        rows += [("step", step.step, field, getattr(step, field), "", "", unit)
                 for field, unit in (("visits", "visits"), ("minutes", "min"),
                                     ("labour_per_visit", cur), ("materials_per_visit", cur),
                                     ("per_customer", cur), ("minute_slip", cur))]
    for point in economics.profit_curve:
        rows += [("slip", f"{point.slip_minutes:g}", field, getattr(point, field), "", "", cur)
                 for field in ("cost_per_customer", "profit_per_customer")]
    return csv_text(CSV_HEADER, rows)


# --- staffing --------------------------------------------------------------------------------


def staffing_tables(plan: StaffingPlan, currency: str | None = None) -> list[Any]:
    """Hour by hour: servers now, Erlang's first answer, the recommendation, what it achieves.

    Narrow enough for an 80-column terminal: no figure is ever cut short.
    """
    ceiling = plan.max_abandonment
    table = Table(title=Text(f"Staffing {plan.resource} for {plan.target}"
                             + (f", at most {ceiling:.0%} lost" if ceiling is not None else "")),
                  title_justify="left", box=box.SIMPLE_HEAD,
                  caption="now: on duty today; Erlang: the formula's answer; staff: recommended; "
                          "within: simulated share served within the wait, and its 95% interval; "
                          "lost: share who left before service",
                  caption_justify="left")
    for column in ("hour", "now", "Erlang", "staff", "within", "95% interval", "lost", "verdict"):
        table.add_column(column, justify="left" if column in ("hour", "verdict") else "right",
                         no_wrap=column in ("hour", "95% interval"), overflow="fold")
    for row in plan.achieved:
        sl, lost, ci = row.service_level, row.abandonment_rate, row.service_level_ci95
        table.add_row(f"{row.start}-{row.end}", f"{row.current:g}", str(row.erlang_estimate),
                      str(row.servers), "-" if sl is None else percent(sl),
                      "" if ci is None else f"{ci[0]:.1%}–{ci[1]:.1%}".replace("%–", "–"),
                      "-" if lost is None else percent(lost),
                      "too close" if row.verdict.startswith("too close") else row.verdict)
    shown: list[Any] = [table]
    change = plan.staff_cost - plan.current_staff_cost
    replications = max((row.replications for row in plan.achieved), default=0)
    rounds = plan.simulation_rounds
    shown.append(_prose(
        f"staff cost {money(plan.staff_cost, currency=currency)} (now "
        f"{money(plan.current_staff_cost, currency=currency)}, "
        f"{money(change, signed=True, currency=currency)}); checked by simulating the day "
        f"{'once' if rounds == 1 else f'{rounds} times'}, "
        f"{plural(replications, 'replication')} in the last round"))
    return shown


STAFFING_CSV_HEADER = ("from", "to", "now", "erlang", "staff", "service_level", "service_level_low",
                       "service_level_high", "abandonment_rate", "replications", "verdict")


def staffing_csv(plan: StaffingPlan) -> str:
    """A row per hour, as on screen: ``from,to,now,erlang,staff,service_level,
    service_level_low,service_level_high,abandonment_rate,replications,verdict`` (shares
    from 0 to 1; empty where no customer came)."""
    rows = []
    for row in plan.achieved:
        low, high = row.service_level_ci95 or (None, None)
        rows.append((row.start, row.end, row.current, row.erlang_estimate, row.servers,
                     row.service_level, low, high, row.abandonment_rate, row.replications,
                     row.verdict))
    return csv_text(STAFFING_CSV_HEADER, rows)
