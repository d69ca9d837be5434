"""The results on screen: three tables a manager can read at a glance."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from blueprint.model import ServiceModel
from blueprint.sim.results import SimulationResults

__all__ = ["results_tables"]


def _fmt(stat: dict[str, Any] | None, spec: str = ".3g", percent: bool = False) -> str:
    """'mean ±half-width' of the 95% interval, compactly."""
    if stat is None:
        return "-"
    mean, (lo, hi) = stat["mean"], stat["ci95"]
    half = (hi - lo) / 2
    if percent:
        return f"{mean:.1%} ±{half:.1%}"
    if half <= 0:
        return f"{mean:{spec}}"
    width = f"{half:{spec}}" if spec.endswith("f") else (f"{half:.0f}" if half >= 10 else f"{half:.2g}")
    return f"{mean:{spec}} ±{width}"


def results_tables(results: SimulationResults, model: ServiceModel) -> list[Table]:
    """System, steps and resources tables (mean ±half-width of the 95% interval)."""
    data, unit = results.data, model.time_unit
    system = data["system"]
    head = Table(title=f"{data['model']}: {data['replications']} replications, seed {data['seed']}",
                 title_justify="left", caption=f"mean ±95% half-width; times in {unit}",
                 caption_justify="left")
    head.add_column("customers")
    head.add_column("", justify="right")
    head.add_column("money and time")
    head.add_column("", justify="right")
    stay = system["time_in_system"]
    rows = [
        ("arrivals", _fmt(system["arrivals"], ".1f"), "time in system", _fmt(stay["mean"])),
        ("served", _fmt(system["served"], ".1f"), "  90th percentile", _fmt(stay["p90"])),
        ("balked", _fmt(system["balked"], ".1f"), "revenue", _fmt(system["revenue"], ".0f")),
        ("reneged", _fmt(system["reneged"], ".1f"), "lost revenue", _fmt(system["lost_revenue"], ".0f")),
        ("abandoned", _fmt(system["abandoned"], ".1f"), "staff cost", _fmt(system["staff_cost"], ".0f")),
        ("abandonment rate", _fmt(system["abandonment_rate"], percent=True), "", ""),
    ]
    for row in rows:
        head.add_row(*row)
    steps = Table(title="Steps", title_justify="left")
    for column in ("step", "entries", "wait", "wait p90", "within tol.", "queue", "fail points"):
        steps.add_column(column, justify="left" if column in ("step", "fail points") else "right")
    for step in model.steps:
        s = data["steps"][step.id]
        fails = ", ".join(f"{fid} {v['mean']:.1f}" for fid, v in s["fail_points"].items() if v)
        queued = step.resource is not None
        steps.add_row(step.id, _fmt(s["entries"], ".1f"),
                      _fmt(s["wait"]["mean"]) if queued else "",
                      _fmt(s["wait"]["p90"]) if queued else "",
                      _fmt(s["within_tolerance"], percent=True) if s["within_tolerance"] else "",
                      _fmt(s["queue_length"]["mean"]) if queued else "", fails)
    resources = Table(title="Resources", title_justify="left")
    for column in ("resource", "utilisation", "idle server-h", "overtime h", "scheduled h"):
        resources.add_column(column, justify="left" if column == "resource" else "right")
    for rid, r in data["resources"].items():
        resources.add_row(rid, _fmt(r["utilization"], percent=True), _fmt(r["idle_hours"], ".1f"),
                          _fmt(r["overtime_hours"], ".2f"), _fmt(r["scheduled_hours"], ".1f"))
    return [head, steps, resources]
