"""Charts a client understands, as inline SVG (matplotlib, no files, no web requests).

Every chart answers one question a manager asks: when do customers come and
do we have people then; when do they wait and how long; how long are the
queues; how busy is each team by hour; how long do waits get at the wait
points; which fail points fire most; and what each scenario changes.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from blueprint.model import ServiceModel, format_clock
from blueprint.render.fonts import cjk_font, has_cjk
from blueprint.results import Replication, SimulationResults, Statistic
from blueprint.results.study import StudyResults

__all__ = ["CHARTS", "charts"]

INK, MUTED, GRID = "#1d2733", "#5d6b7a", "#dde3ea"
PALETTE = ["#1b64b5", "#e08a00", "#2a9d5b", "#c62828", "#6a3d9a", "#0f8b8d", "#b5651d", "#7b8794"]
CHARTS = ("demand", "waits", "queues", "utilisation", "wait_distribution", "fail_points", "scenarios")

plt.rcParams.update({
    "svg.fonttype": "none", "font.family": "sans-serif", "font.size": 9,
    "axes.edgecolor": GRID, "axes.labelcolor": MUTED, "xtick.color": MUTED, "ytick.color": MUTED,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
    "grid.color": GRID, "grid.linewidth": 0.6, "axes.titleweight": "bold", "axes.titlesize": 10,
})


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _mean(stat: Statistic | None) -> float | None:
    return None if stat is None else stat.mean


def _hour_labels(model: ServiceModel, count: int) -> list[str]:
    """The clock time at the start of each hour, and one more at the end of the last."""
    start = model.time_to_clock(0)
    if model.is_day:
        return [format_clock(start + 60 * h) for h in range(count + 1)]
    return [f"{h}" for h in range(count + 1)]


def _hour_axis(axis: Any, model: ServiceModel, hours: int) -> None:
    """Clock times on the x axis, at most about a dozen, where the hours begin.

    Hour h is drawn centred on x = h (a bar, or a point at its middle), so the
    hour's start is at h - 0.5: the tick of 12:00 sits between the 11:00-12:00
    and the 12:00-13:00 bars, and a shift that starts at noon steps there.
    """
    step = max(1, -(-hours // 12))
    ticks = list(range(0, hours + 1, step))
    labels = _hour_labels(model, hours)
    axis.set_xticks([t - 0.5 for t in ticks], [labels[t] for t in ticks])
    axis.set_xlim(-0.5, hours - 0.5)
    if not model.is_day:
        axis.set_xlabel("hours since the end of the warm-up (first week at most)")


def _marker(hours: int) -> str | None:
    return "o" if hours <= 36 else None


def _series(values: list[Statistic | None]) -> list[float]:
    return [float("nan") if v is None else v.mean for v in values]


def demand_chart(data: SimulationResults, model: ServiceModel) -> str:
    """Arrivals and customers who left, by hour; servers scheduled against servers busy."""
    arrivals = _series(data.system.arrivals_by_hour)
    hours = len(arrivals)
    left = [0.0] * hours
    for sid, step in data.steps.items():
        if model.step(sid).resource:
            entered, started = step.entries_by_hour, step.started_by_hour
            for h in range(min(hours, len(entered))):
                left[h] += max(0.0, (_mean(entered[h]) or 0) - (_mean(started[h]) or 0))
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(9, 5.2), sharex=True,
                                         gridspec_kw={"height_ratios": [1, 1.2]})
    x = range(hours)
    top.bar(x, arrivals, color=PALETTE[0], alpha=0.85, label="arrivals")
    top.bar(x, left, color=PALETTE[3], alpha=0.9, label="left unserved (balked, reneged)")
    top.set_ylabel("customers per hour")
    top.set_title("Demand over the day, and the demand lost")
    top.legend(frameon=False, loc="upper right")
    for k, (rid, resource) in enumerate(data.resources.items()):
        util = _series(resource.utilization_by_hour)
        scheduled = [c for c in _scheduled_servers(model, rid, len(util))]
        busy = [s * (u if u == u else 0) for s, u in zip(scheduled, util, strict=True)]
        colour = PALETTE[k % len(PALETTE)]
        bottom.step(range(len(util)), scheduled, where="mid", color=colour, linewidth=1.6,
                    label=f"{rid}: servers on shift")
        bottom.fill_between(range(len(util)), busy, scheduled, step="mid", color=colour, alpha=0.15)
        bottom.plot(range(len(util)), busy, color=colour, linewidth=1, linestyle="--")
    bottom.set_ylabel("servers")
    bottom.set_title("Capacity against use: shaded = idle, perished capacity", loc="left")
    bottom.legend(frameon=False, fontsize=8, ncol=2)
    _hour_axis(bottom, model, hours)
    return _svg(figure)


def _scheduled_servers(model: ServiceModel, rid: str, hours: int) -> list[float]:
    hour = 60 / model.minutes_per_unit
    values = []
    for h in range(hours):
        a, b = h * hour, (h + 1) * hour
        covered = sum(max(0.0, min(b, hi) - max(a, lo)) * c for lo, hi, c in model.capacity_pieces(rid))
        values.append(covered / hour)
    return values


def waits_chart(data: SimulationResults, model: ServiceModel) -> str:
    figure, axis = plt.subplots(figsize=(9, 3.4))
    queued = [s for s in model.steps if s.resource]
    for k, step in enumerate(queued[:8]):
        stats = data.steps[step.id]
        mean, p90 = _series(stats.wait_by_hour), _series(stats.wait_p90_by_hour)
        colour = PALETTE[k % len(PALETTE)]
        axis.plot(range(len(mean)), mean, color=colour, marker=_marker(len(mean)), markersize=3,
                  label=f"{step.id} mean")
        axis.fill_between(range(len(p90)), mean, p90, color=colour, alpha=0.12)
    hours = len(data.system.arrivals_by_hour)
    _hour_axis(axis, model, hours)
    axis.set_ylabel(f"wait ({model.time_unit})")
    axis.set_title("Waits by hour: mean, shaded up to the 90th percentile")
    axis.legend(frameon=False, fontsize=8, ncol=3)
    return _svg(figure)


def queues_chart(data: SimulationResults, model: ServiceModel) -> str:
    figure, axis = plt.subplots(figsize=(9, 3))
    for k, step in enumerate([s for s in model.steps if s.resource][:8]):
        series = _series(data.steps[step.id].queue_length.by_hour)
        axis.plot(range(len(series)), series, color=PALETTE[k % len(PALETTE)], label=step.id)
    hours = len(data.system.arrivals_by_hour)
    _hour_axis(axis, model, hours)
    axis.set_ylabel("customers waiting")
    axis.set_title("Queue length over the day (time average per hour)")
    axis.legend(frameon=False, fontsize=8, ncol=4)
    return _svg(figure)


def utilisation_chart(data: SimulationResults, model: ServiceModel) -> str:
    figure, axis = plt.subplots(figsize=(9, 3))
    for k, (rid, resource) in enumerate(data.resources.items()):
        series = [v * 100 if v == v else v for v in _series(resource.utilization_by_hour)]
        axis.plot(range(len(series)), series, color=PALETTE[k % len(PALETTE)],
                  marker=_marker(len(series)), markersize=3, label=rid)
    axis.axhline(85, color=PALETTE[3], linewidth=0.8, linestyle=":")
    hours = len(data.system.arrivals_by_hour)
    _hour_axis(axis, model, hours)
    axis.set_ylim(0, 105)
    axis.set_ylabel("% of scheduled time busy")
    axis.set_title("Utilisation by hour (dotted: 85%, where queues start to grow fast)")
    axis.legend(frameon=False, fontsize=8, ncol=4)
    return _svg(figure)


def wait_distribution_chart(runs: list[Replication], model: ServiceModel) -> str:
    points = [s for s in model.steps if s.wait_point] or [s for s in model.steps if s.resource]
    points = points[:4]
    figure, axes = plt.subplots(1, max(len(points), 1), figsize=(9, 2.8), squeeze=False)
    for axis, step in zip(axes[0], points, strict=False):
        sample = [w for r in runs for w in r.steps[step.id].wait_sample]
        axis.hist(sample, bins=30, color=PALETTE[0], alpha=0.85)
        if step.tolerance is not None:
            axis.axvline(step.tolerance, color=PALETTE[3], linewidth=1.2, label="tolerance")
            axis.legend(frameon=False, fontsize=7)
        axis.set_title(step.id, fontsize=9)
        axis.set_xlabel(f"wait ({model.time_unit})")
    axes[0][0].set_ylabel("customers")
    figure.suptitle("How long waits get at the wait points", fontweight="bold", fontsize=10)
    return _svg(figure)


def fail_points_chart(data: SimulationResults, model: ServiceModel) -> str:
    names, counts = [], []
    for step in model.steps:
        for fail in step.fail_points:
            names.append(f"{fail.id}\n({step.id})")
            counts.append(_mean(data.steps[step.id].fail_points[fail.id]) or 0.0)
    figure, axis = plt.subplots(figsize=(9, 0.9 + 0.42 * max(len(names), 1)))
    if names:
        axis.barh(range(len(names)), counts, color=PALETTE[3], alpha=0.85, height=0.55)
        axis.set_yticks(range(len(names)), names, fontsize=8)
        axis.invert_yaxis()
    axis.set_xlabel("times per day (or per run)")
    axis.set_title("Fail points: how often each fires")
    return _svg(figure)


def scenarios_chart(study: StudyResults) -> str:
    scenarios = list(study.scenarios)
    first = study.scenarios[scenarios[0]].kpis
    headline: list[str] = [k for k in ("abandonment_rate", "time_in_system", "staff_cost") if k in first]
    kpis = [*(k for k in first if k.startswith("service_level:")), *headline]
    figure, axes = plt.subplots(1, len(kpis), figsize=(9, 0.5 + 0.35 * len(scenarios) + 1.2),
                                squeeze=False)
    for axis, kpi in zip(axes[0], kpis, strict=True):
        values = [study.scenarios[s].kpis[kpi].value for s in scenarios]
        means = [v.mean if v else 0 for v in values]
        errors = [[m - v.low if v else 0 for m, v in zip(means, values, strict=True)],
                  [v.high - m if v else 0 for m, v in zip(means, values, strict=True)]]
        axis.barh(range(len(scenarios)), means, xerr=errors, color=PALETTE[0], alpha=0.8,
                  error_kw={"ecolor": INK, "elinewidth": 0.8, "capsize": 2})
        axis.set_yticks(range(len(scenarios)), scenarios if axis is axes[0][0] else [""] * len(scenarios),
                        fontsize=8)
        axis.invert_yaxis()
        axis.set_title(kpi.replace("_", " ").replace(":", ": "), fontsize=9)
    figure.suptitle("Scenarios compared (bars: mean; whiskers: 95% interval)", fontweight="bold",
                    fontsize=10)
    return _svg(figure)


def charts(results: SimulationResults, model: ServiceModel,
           study: StudyResults | None = None) -> dict[str, str]:
    """Every chart of the report, by name, as SVG markup.

    The SVG keeps its text as text (the browser draws it with its own fonts),
    so a CJK id needs no CJK font here; where one is installed, it is asked for
    first so the layout is measured right, and matplotlib's complaints about
    glyphs its fallback font lacks, which do not reach the page, are not shown.
    """
    data = results
    texts = [model.name, *(s.id for s in model.steps), *model.resources, *(study.scenarios if study else ())]
    family = cjk_font() if any(has_cjk(t) for t in texts) else None
    families = [family, *plt.rcParams["font.sans-serif"]] if family else plt.rcParams["font.sans-serif"]
    with plt.rc_context({"font.sans-serif": families}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        made = {
            "demand": demand_chart(data, model),
            "waits": waits_chart(data, model),
            "queues": queues_chart(data, model),
            "utilisation": utilisation_chart(data, model),
            "wait_distribution": wait_distribution_chart(results.runs, model),
            "fail_points": fail_points_chart(data, model),
        }
        if study is not None:
            made["scenarios"] = scenarios_chart(study)
    return made
