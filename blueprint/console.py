"""Tables for the terminal: the `info` summary, the day's money, a staffing plan.

The commands print these; a notebook can print them too (``rich.print``).
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from blueprint.figures import money, percent, significant
from blueprint.results.economics import Economics
from blueprint.results.staffing import StaffingPlan

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


def economics_tables(economics: Economics) -> list[Any]:
    """The day's money, the cost of each step per customer, and the cost of slow minutes."""
    day = economics.day
    table = Table(title=f"{economics.model}: the day's money ({day.replications} replications)",
                  title_justify="left", caption="mean and 95% interval over the replications",
                  caption_justify="left")
    table.add_column("figure")
    table.add_column("mean", justify="right")
    table.add_column("95% interval", justify="right")
    rows = (("revenue", day.revenue, True),
            ("revenue lost (customers who left)", day.lost_revenue, True),
            ("staff cost", day.staff_cost, True), ("materials", day.material_cost, True),
            ("profit", day.profit, True),
            ("idle server-hours (perished)", day.idle_server_hours, False),
            ("cost of idle hours", day.idle_cost, True),
            ("cost per served customer", day.cost_per_served, True))
    for label, stat, is_money in rows:
        write = money if is_money else significant
        table.add_row(label, "-" if stat is None else write(stat.mean),
                      "" if stat is None else f"{write(stat.low)} – {write(stat.high)}")
    shown: list[Any] = [table]
    steps = Table(title="Profit per customer by step (Shostack): labour by the minute + materials",
                  title_justify="left")
    for column in ("step", "visits", "minutes", "cost per customer", "one more minute costs"):
        steps.add_column(column, justify="left" if column == "step" else "right", overflow="fold")
    for row in economics.profitability:
        if row.per_customer or row.minute_slip:
            steps.add_row(row.step, f"{row.visits:.2f}", f"{row.minutes:.2f}", money(row.per_customer),
                          money(row.minute_slip))
    shown.append(steps)
    shown.append("profit per customer if every staffed step ran longer: "
                 + ", ".join(f"+{p.slip_minutes:g} min: {money(p.profit_per_customer)}"
                             for p in economics.profit_curve[:6]))
    return shown


def staffing_tables(plan: StaffingPlan) -> list[Any]:
    """Hour by hour: servers now, Erlang's first answer, the recommendation, what it achieves.

    Narrow enough for an 80-column terminal: no figure is ever cut short.
    """
    ceiling = plan.max_abandonment
    table = Table(title=f"Staffing {plan.resource} for {plan.target}"
                        + (f", at most {ceiling:.0%} lost" if ceiling is not None else ""),
                  title_justify="left", box=box.SIMPLE_HEAD,
                  caption="now: on duty today; Erlang: the formula's answer; staff: recommended; "
                          "within: simulated share served within the wait, and its 95% interval",
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
    shown.append(f"staff cost {money(plan.staff_cost)} (now {money(plan.current_staff_cost)}, "
                 f"{money(change, signed=True)}); checked by simulating the day "
                 f"{plan.simulation_rounds} time(s), {replications} replications in the last")
    return shown
