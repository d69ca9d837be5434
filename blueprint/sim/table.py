"""The results on screen: three tables a manager can read at a glance."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table

from blueprint.figures import money, percent, significant, uncertainty
from blueprint.model import ServiceModel
from blueprint.results import SimulationResults, Statistic

__all__ = ["results_tables"]


def _fmt(stat: Statistic | None, kind: str = "number") -> str:
    """'mean ±half-width' of the 95% interval, compactly."""
    if stat is None:
        return "-"
    writers: dict[str, Callable[[float], str]] = {
        "money": money, "percent": percent, "number": significant, "count": lambda x: f"{x:,.1f}"}
    write = writers[kind]
    half = stat.half_width
    spread = write(half) if kind in ("money", "percent") else uncertainty(half)
    return write(stat.mean) if half <= 0 else f"{write(stat.mean)} ±{spread}"


def results_tables(results: SimulationResults, model: ServiceModel) -> list[Table]:
    """System, steps and resources tables (mean ±half-width of the 95% interval)."""
    unit = model.time_unit
    system = results.system
    head = Table(title=f"{results.model}: {results.replications} replications, seed {results.seed}",
                 title_justify="left", caption=f"mean ±95% half-width; times in {unit}",
                 caption_justify="left")
    head.add_column("customers")
    head.add_column("", justify="right")
    head.add_column("money and time")
    head.add_column("", justify="right")
    stay = system.time_in_system
    rows = [
        ("arrivals", _fmt(system.arrivals, "count"), "time in system", _fmt(stay.mean)),
        ("served", _fmt(system.served, "count"), "  90th percentile", _fmt(stay.p90)),
        ("balked", _fmt(system.balked, "count"), "revenue", _fmt(system.revenue, "money")),
        ("reneged", _fmt(system.reneged, "count"), "lost revenue", _fmt(system.lost_revenue, "money")),
        ("abandoned", _fmt(system.abandoned, "count"), "staff cost", _fmt(system.staff_cost, "money")),
        ("abandonment rate", _fmt(system.abandonment_rate, "percent"), "materials",
         _fmt(system.material_cost, "money")),
        ("", "", "profit", _fmt(system.profit, "money")),
        ("", "", "cost per served", _fmt(system.cost_per_served, "money")),
        ("", "", "idle server-hours", _fmt(system.idle_hours)),
        ("", "", "  their cost", _fmt(system.idle_cost, "money")),
    ]
    for row in rows:
        head.add_row(*row)
    steps = Table(title="Steps", title_justify="left")
    for column in ("step", "entries", "wait", "wait p90", "within tol.", "queue", "fail points"):
        steps.add_column(column, justify="left" if column in ("step", "fail points") else "right",
                         overflow="fold")  # a narrow terminal folds a name, never cuts it
    for step in model.steps:
        s = results.steps[step.id]
        fails = ", ".join(f"{fid} {v.mean:.1f}" for fid, v in s.fail_points.items() if v)
        queued = step.resource is not None
        steps.add_row(step.id, _fmt(s.entries, "count"),
                      _fmt(s.wait.mean) if queued else "",
                      _fmt(s.wait.p90) if queued else "",
                      _fmt(s.within_tolerance, "percent") if s.within_tolerance else "",
                      _fmt(s.queue_length.mean) if queued else "", fails)
    resources = Table(title="Resources", title_justify="left")
    for column in ("resource", "utilisation", "idle server-h", "overtime h", "scheduled h"):
        resources.add_column(column, justify="left" if column == "resource" else "right",
                             overflow="fold")
    for rid, r in results.resources.items():
        resources.add_row(rid, _fmt(r.utilization, "percent"), _fmt(r.idle_hours),
                          _fmt(r.overtime_hours), _fmt(r.scheduled_hours))
    return [head, steps, resources]
