"""Tables for the terminal: the `info` summary, the day's money, a staffing plan.

The commands print these; a notebook can print them too (``rich.print``).
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text

__all__ = ["economics_tables", "info_tables", "staffing_tables"]


def info_tables(summary: dict[str, Any]) -> list[Any]:
    """The `info` summary as text lines and tables, in reading order."""
    shown: list[Any] = []
    shown.append(Text.from_markup(f"[bold]{escape(summary['name'])}[/bold]  ({summary['file']})"))
    horizon = summary["horizon"]
    span = (f"{horizon['open']}-{horizon['close']}" if "open" in horizon
            else f"{horizon['length']:g} {summary['time_unit']}, warm-up {horizon['warmup']:g}")
    arrivals = summary["expected_arrivals"]
    shown.append(f"horizon {span}; time unit {summary['time_unit']}; expected arrivals "
              f"{'from trace' if arrivals is None else f'{arrivals:g}'}")
    zones = Table(title="Steps per zone", title_justify="left")
    zones.add_column("zone")
    zones.add_column("steps", justify="right")
    zones.add_column("ids")
    for zone, ids in summary["steps_per_zone"].items():
        zones.add_row(zone, str(len(ids)), ", ".join(ids))
    shown.append(zones)
    lines = Table(title="Lines crossed", title_justify="left")
    lines.add_column("line")
    lines.add_column("flows", justify="right")
    lines.add_column("where")
    for line, edges in summary["line_crossings"].items():
        lines.add_row(line, str(len(edges)), ", ".join(f"{a}->{b}" for a, b in edges))
    shown.append(lines)
    shown.append(f"touchpoints ({len(summary['touchpoints'])}): {', '.join(summary['touchpoints'])}")
    if summary["fail_points"]:
        fails = Table(title="Fail points", title_justify="left")
        for column in ("id", "step", "name", "p", "effect"):
            fails.add_column(column)
        for f in summary["fail_points"]:
            fails.add_row(f["id"], f["step"], f["name"], f"{f['p']:g}", f["effect"])
        shown.append(fails)
    waits = summary["wait_points"]
    shown.append(f"wait points ({len(waits)}): {', '.join(waits) if waits else '-'}")
    if summary["resources"]:
        table = Table(title="Resources", title_justify="left")
        for column in ("id", "capacity", "cost/h", "used by"):
            table.add_column(column)
        for rid, r in summary["resources"].items():
            capacity = r["capacity"] if isinstance(r["capacity"], int) else "; ".join(r["capacity"])
            table.add_row(rid, str(capacity), f"{r['cost_per_hour']:g}", ", ".join(r["used_by"]))
        shown.append(table)
    c = summary["complexity"]
    shown.append(f"complexity: {c['steps']} steps, {c['decision_points']} decision points "
              f"({c['branches']} branches), {c['forks']} forks, {c['loops']} loops, "
              f"{c['fail_points']} fail points, {c['wait_points']} wait points")
    return shown


def economics_tables(name: str, replications: int, day: dict[str, Any], rows: list[Any],
                     curve: list[dict[str, float]]) -> list[Any]:
    """The day's money, the cost of each step per customer, and the cost of slow minutes."""
    table = Table(title=f"{name}: the day's money ({replications} replications)",
                  title_justify="left")
    table.add_column("figure")
    table.add_column("mean", justify="right")
    for label, key in (("revenue", "revenue"), ("revenue lost (customers who left)", "lost_revenue"),
                       ("staff cost", "staff_cost"), ("materials", "material_cost"),
                       ("profit", "profit"), ("idle server-hours (perished)", "idle_server_hours"),
                       ("cost of idle hours", "idle_cost"), ("cost per served customer", "cost_per_served")):
        value = day[key]
        table.add_row(label, "-" if value is None else f"{value:,.2f}")
    shown: list[Any] = [table]
    steps = Table(title="Profit per customer by step (Shostack): labour by the minute + materials",
                  title_justify="left")
    for column in ("step", "visits", "minutes", "cost per customer", "one more minute costs"):
        steps.add_column(column, justify="left" if column == "step" else "right")
    for row in rows:
        if row.per_customer or row.minute_slip:
            steps.add_row(row.step, f"{row.visits:.2f}", f"{row.minutes:.2f}", f"{row.per_customer:.2f}",
                          f"{row.minute_slip:.2f}")
    shown.append(steps)
    shown.append("profit per customer if every staffed step ran longer: "
              + ", ".join(f"+{p['slip_minutes']:g} min: {p['profit_per_customer']:.2f}" for p in curve[:6]))
    return shown


def staffing_tables(result: Any, ceiling: float | None, replications: int) -> list[Any]:
    """Hour by hour: servers now, Erlang's first answer, the recommendation, what it achieves."""
    resource = result.resource
    table = Table(title=f"Staffing {resource} for {result.target.text}"
                        + (f", at most {ceiling:.0%} lost" if ceiling is not None else ""),
                  title_justify="left")
    for column in ("hour", "now", "Erlang", "recommended", "served within", "lost"):
        table.add_column(column, justify="left" if column == "hour" else "right")
    for row in result.to_dict()["achieved"]:
        sl, lost = row["service_level"], row["abandonment_rate"]
        table.add_row(f"{row['from']}-{row['to']}", f"{row['current']:g}", str(row["erlang_estimate"]),
                      str(row["servers"]), "-" if sl is None else f"{sl:.1%}",
                      "-" if lost is None else f"{lost:.1%}")
    shown: list[Any] = [table]
    change = result.staff_cost - result.current_cost
    shown.append(f"staff cost {result.staff_cost:,.0f} (now {result.current_cost:,.0f}, "
              f"{change:+,.0f}); checked by simulating the day {result.rounds} time(s), "
              f"{replications} replications each")
    return shown
