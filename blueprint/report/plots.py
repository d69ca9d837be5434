"""Charts a client understands, as inline SVG (matplotlib, no files, no web requests).

Every chart answers one question a manager asks: when do customers come and
do we have people then; when do they wait and how long; how long are the
queues; how busy is each team; how long do waits get at the wait points;
which fail points fire most; and what each scenario changes. Steps are named
as the client knows them, times are clock times to the minute (a shift that
starts at 11:30 steps at 11:30, and the last one stays through the overtime
until the last customer leaves), durations are in the unit they read best in,
and legends sit outside the data.

Each chart comes with the figures it draws (:class:`Chart`), which the
report embeds beside it as JSON: what a chart shows can be checked, and
reused, without reading pixels. A steady-state run has no clock and, its
demand being constant, no story hour by hour: its charts compare steps and
resources instead.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from blueprint.analysis.headlines import step_name
from blueprint.figures import SECONDS, duration_unit
from blueprint.model import ServiceModel, format_clock
from blueprint.render.fonts import cjk_font, has_cjk
from blueprint.results import Replication, SimulationResults, Statistic
from blueprint.results.study import StudyResults

__all__ = ["CHARTS", "Chart", "chart_fonts", "charts"]

INK, MUTED, GRID = "#1d2733", "#5d6b7a", "#dde3ea"
PALETTE = ["#1b64b5", "#e08a00", "#2a9d5b", "#c62828", "#6a3d9a", "#0f8b8d", "#b5651d", "#7b8794"]
CHARTS = ("demand", "capacity", "waits", "queues", "utilisation", "wait_distribution", "fail_points",
          "scenarios")
WIDTH = 9.0  # inches: the charts are drawn for the page's text width, and scale with it
LEGEND_WRAP = 34  # characters: a long step name in a legend wraps

plt.rcParams.update({
    "svg.fonttype": "none", "font.family": "sans-serif", "font.size": 9,
    "axes.edgecolor": GRID, "axes.labelcolor": MUTED, "xtick.color": MUTED, "ytick.color": MUTED,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
    "grid.color": GRID, "grid.linewidth": 0.6, "axes.titleweight": "bold", "axes.titlesize": 10,
    "axes.titlelocation": "left", "legend.frameon": False, "legend.fontsize": 8,
})


@dataclass
class Chart:
    """A chart's SVG, the figures it draws, and a caption saying what they are means of."""

    svg: str
    data: dict[str, Any] = field(default_factory=dict)
    caption: str = ""


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _mean(stat: Statistic | None) -> float | None:
    return None if stat is None else stat.mean


def _series(values: list[Statistic | None]) -> list[float]:
    return [float("nan") if v is None else v.mean for v in values]


def _listed(values: list[float]) -> list[float | None]:
    """A series for JSON: an hour without a figure is null, not NaN."""
    return [None if v != v else round(v, 6) for v in values]


def _label(text: str) -> str:
    return textwrap.fill(text, LEGEND_WRAP)


def _legend_below(axis: Any, columns: int = 3) -> None:
    """The legend under the axes, never on the data."""
    handles, _ = axis.get_legend_handles_labels()
    if handles:
        axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=min(columns, len(handles)))


class _Clock:
    """The x axis of a day: clock hours (9.5 is 09:30), from opening to the last departure."""

    def __init__(self, model: ServiceModel, results: SimulationResults, hours: int):
        self.model = model
        self.open = model.time_to_clock(0) / 60
        self.hours = hours
        close = model.time_to_clock(model.horizon_end) / 60
        longest = max((run.measured_hours for run in results.runs), default=close - self.open)
        self.close = close
        self.end = max(close, self.open + longest)  # the last customer of the longest day

    def x(self, time: float) -> float:
        """Model time as a clock hour."""
        return self.model.time_to_clock(time) / 60

    def hour_edges(self) -> list[float]:
        return [self.open + h for h in range(self.hours + 1)]

    def axis(self, axis: Any) -> None:
        first, last = int(self.open), int(-(-self.end // 1))
        step = max(1, -(-(last - first) // 12))
        ticks = list(range(first, last + 1, step))
        axis.set_xticks(ticks, [format_clock(60 * t) for t in ticks])
        axis.set_xlim(self.open, max(self.end, self.open + self.hours))


def _in_unit(values: list[float], time_unit: str) -> tuple[list[float], str]:
    """Durations in the unit their largest reads best in (a chart's axis has one unit)."""
    finite = [abs(v) for v in values if v == v]
    unit, size = duration_unit(max(finite, default=0.0) * SECONDS[time_unit])
    scale = SECONDS[time_unit] / size
    return [v * scale for v in values], unit


# --- the day, hour by hour ---------------------------------------------------------------------


def demand_chart(data: SimulationResults, model: ServiceModel) -> Chart:
    """Arrivals by hour, and those who left without being served."""
    arrivals = _series(data.system.arrivals_by_hour)
    clock = _Clock(model, data, len(arrivals))
    left = [0.0] * len(arrivals)
    for sid, step in data.steps.items():
        if model.step(sid).resource:
            entered, started = step.entries_by_hour, step.started_by_hour
            for h in range(min(len(left), len(entered))):
                left[h] += max(0.0, (_mean(entered[h]) or 0) - (_mean(started[h]) or 0))
    figure, axis = plt.subplots(figsize=(WIDTH, 3.2))
    starts = clock.hour_edges()[:-1]
    axis.bar(starts, arrivals, width=1.0, align="edge", color=PALETTE[0], alpha=0.85,
             edgecolor="white", linewidth=0.6, label="customers arriving")
    axis.bar(starts, left, width=1.0, align="edge", color=PALETTE[3], alpha=0.9, edgecolor="white",
             linewidth=0.6, label="of them, left without service (balked or reneged)")
    axis.set_ylabel("customers per hour")
    axis.set_title("Demand over the day, and the demand lost")
    clock.axis(axis)
    _legend_below(axis, 2)
    return Chart(_svg(figure), {"hours": [format_clock(60 * h) for h in starts],
                                "arrivals": _listed(arrivals), "left_unserved": _listed(left)})


def capacity_chart(data: SimulationResults, model: ServiceModel) -> Chart:
    """Servers on shift, to the minute, against servers busy hour by hour; and after closing,
    the last shift staying on until the last customer leaves."""
    clock = _Clock(model, data, len(data.system.arrivals_by_hour))
    figure, axis = plt.subplots(figsize=(WIDTH, 3.6))
    capacity: dict[str, list[dict[str, Any]]] = {}
    overtime: dict[str, dict[str, Any]] = {}
    busy_series: dict[str, list[float | None]] = {}
    for k, (rid, resource) in enumerate(data.resources.items()):
        colour = PALETTE[k % len(PALETTE)]
        shifts = _shifts(model, rid)
        capacity[rid] = [{"from": format_clock(60 * a), "to": format_clock(60 * b), "servers": c}
                         for a, b, c in shifts]
        xs, ys = _steps(shifts)
        axis.plot(xs, ys, color=colour, linewidth=1.8, label=f"{rid}: on shift")
        if clock.end > clock.close + 1e-9 and shifts:
            last = next((c for _, _, c in reversed(shifts) if c > 0), 1)
            overtime[rid] = {"from": format_clock(60 * clock.close), "to": format_clock(60 * clock.end),
                             "servers": last}
            axis.plot([clock.close, clock.end], [last, last], color=colour, linewidth=1.4,
                      linestyle=(0, (2, 2)))
        util = _series(resource.utilization_by_hour)
        scheduled = _scheduled_servers(model, rid, len(util))
        busy = [s * u if u == u else float("nan") for s, u in zip(scheduled, util, strict=True)]
        busy_series[rid] = _listed(busy)
        axis.stairs(busy, clock.hour_edges()[:len(busy) + 1], color=colour, linewidth=1.0,
                    linestyle="--", baseline=None, label=f"{rid}: busy (mean per hour)")
    axis.set_ylabel("servers")
    axis.set_title("Capacity against use: the gap is idle, perished capacity (dotted: the last "
                   "shift staying on after closing)", fontsize=9)
    axis.set_ylim(bottom=0)
    clock.axis(axis)
    _legend_below(axis, 3)
    return Chart(_svg(figure), {"capacity": capacity, "overtime": overtime,
                                "hours": [format_clock(60 * h) for h in clock.hour_edges()[:-1]],
                                "busy": busy_series})


def _shifts(model: ServiceModel, rid: str) -> list[tuple[float, float, int]]:
    """The resource's servers over the day, as (from, to, servers) in clock hours, from
    opening to closing, neighbouring pieces of equal capacity merged."""
    close = model.horizon_end
    pieces: list[tuple[float, float, int]] = []
    for a, b, c in model.capacity_pieces(rid):
        a, b = max(a, 0.0), min(b, close)
        if b <= a:
            continue
        start, end = model.time_to_clock(a) / 60, model.time_to_clock(b) / 60
        if pieces and pieces[-1][2] == int(c) and abs(pieces[-1][1] - start) < 1e-9:
            pieces[-1] = (pieces[-1][0], end, int(c))
        else:
            pieces.append((start, end, int(c)))
    return pieces


def _steps(pieces: list[tuple[float, float, int]]) -> tuple[list[float], list[float]]:
    """The points of a step function over the pieces (vertical where capacity changes)."""
    xs: list[float] = []
    ys: list[float] = []
    for a, b, c in pieces:
        xs += [a, b]
        ys += [c, c]
    return xs, ys


def _scheduled_servers(model: ServiceModel, rid: str, hours: int) -> list[float]:
    """Mean servers on shift in each hour of the day."""
    hour = 60 / model.minutes_per_unit
    values = []
    for h in range(hours):
        a, b = h * hour, (h + 1) * hour
        covered = sum(max(0.0, min(b, hi) - max(a, lo)) * c for lo, hi, c in model.capacity_pieces(rid))
        values.append(covered / hour)
    return values


def waits_chart(data: SimulationResults, model: ServiceModel) -> Chart:
    queued = [s for s in model.steps if s.resource][:8]
    hours = len(data.system.arrivals_by_hour)
    clock = _Clock(model, data, hours)
    means = {s.id: _series(data.steps[s.id].wait_by_hour) for s in queued}
    p90s = {s.id: _series(data.steps[s.id].wait_p90_by_hour) for s in queued}
    _, unit = _in_unit([v for series in p90s.values() for v in series], model.time_unit)
    figure, axis = plt.subplots(figsize=(WIDTH, 3.8))
    middles = [clock.open + h + 0.5 for h in range(hours)]
    for k, step in enumerate(queued):
        mean, _ = _converted(means[step.id], model.time_unit, unit)
        p90, _ = _converted(p90s[step.id], model.time_unit, unit)
        colour = PALETTE[k % len(PALETTE)]
        axis.plot(middles[:len(mean)], mean, color=colour, marker="o" if hours <= 36 else None,
                  markersize=3, label=_label(step_name(model, step.id)))
        axis.fill_between(middles[:len(p90)], mean, p90, color=colour, alpha=0.12)
    clock.axis(axis)
    axis.set_ylim(bottom=0)
    axis.set_ylabel(f"wait ({unit})")
    axis.set_title("Waits by the hour customers arrive at a step: mean, shaded up to the 90th "
                   "percentile")
    _legend_below(axis)
    return Chart(_svg(figure), {"unit": unit, "hours": [format_clock(60 * (m - 0.5)) for m in middles],
                                "mean": {sid: _listed(_converted(v, model.time_unit, unit)[0])
                                         for sid, v in means.items()},
                                "p90": {sid: _listed(_converted(v, model.time_unit, unit)[0])
                                        for sid, v in p90s.items()}})


def _converted(values: list[float], time_unit: str, unit: str) -> tuple[list[float], str]:
    scale = SECONDS[time_unit] / (SECONDS | {"days": 86400.0})[unit]
    return [v * scale for v in values], unit


def queues_chart(data: SimulationResults, model: ServiceModel) -> Chart:
    hours = len(data.system.arrivals_by_hour)
    clock = _Clock(model, data, hours)
    figure, axis = plt.subplots(figsize=(WIDTH, 3.4))
    series = {}
    for k, step in enumerate([s for s in model.steps if s.resource][:8]):
        values = _series(data.steps[step.id].queue_length.by_hour)
        series[step.id] = _listed(values)
        axis.stairs(values, clock.hour_edges()[:len(values) + 1], color=PALETTE[k % len(PALETTE)],
                    linewidth=1.6, baseline=None, label=_label(step_name(model, step.id)))
    clock.axis(axis)
    axis.set_ylim(bottom=0)
    axis.set_ylabel("customers waiting")
    axis.set_title("Queues over the day: customers waiting, on average over each hour")
    _legend_below(axis)
    return Chart(_svg(figure), {"hours": [format_clock(60 * h) for h in clock.hour_edges()[:-1]],
                                "waiting": series})


def utilisation_chart(data: SimulationResults, model: ServiceModel) -> Chart:
    hours = len(data.system.arrivals_by_hour)
    clock = _Clock(model, data, hours)
    figure, axis = plt.subplots(figsize=(WIDTH, 3.4))
    series = {}
    for k, (rid, resource) in enumerate(data.resources.items()):
        values = [v * 100 if v == v else v for v in _series(resource.utilization_by_hour)]
        series[rid] = _listed(values)
        axis.stairs(values, clock.hour_edges()[:len(values) + 1], color=PALETTE[k % len(PALETTE)],
                    linewidth=1.6, baseline=None, label=rid)
    axis.axhline(85, color=PALETTE[3], linewidth=0.8, linestyle=":", label="85%: queues grow fast")
    clock.axis(axis)
    axis.set_ylim(0, 105)
    axis.set_ylabel("% of time on shift busy")
    axis.set_title("Utilisation by hour")
    _legend_below(axis, 4)
    return Chart(_svg(figure), {"hours": [format_clock(60 * h) for h in clock.hour_edges()[:-1]],
                                "percent_busy": series})


# --- a steady-state run: steps and resources compared ------------------------------------------


def step_waits_chart(data: SimulationResults, model: ServiceModel) -> Chart:
    """A steady state's waits: each queued step's mean wait and its 90th percentile."""
    queued = [s for s in model.steps if s.resource]
    means = [_mean(data.steps[s.id].wait.mean) or 0.0 for s in queued]
    p90s = [_mean(data.steps[s.id].wait.p90) or 0.0 for s in queued]
    shown_p90, unit = _in_unit(p90s, model.time_unit)
    shown_mean, _ = _converted(means, model.time_unit, unit)
    figure, axis = plt.subplots(figsize=(WIDTH, 0.9 + 0.45 * max(len(queued), 1)))
    names = [_label(step_name(model, s.id)) for s in queued]
    axis.barh(range(len(queued)), shown_mean, color=PALETTE[0], alpha=0.85, height=0.55,
              label="mean wait")
    axis.scatter(shown_p90, range(len(queued)), color=PALETTE[3], marker="|", s=180,
                 label="90th percentile", zorder=3)
    axis.set_yticks(range(len(queued)), names, fontsize=8)
    axis.invert_yaxis()
    axis.set_xlabel(f"wait ({unit})")
    axis.set_title("Waits at each step (the whole run after the warm-up)")
    _legend_below(axis, 2)
    return Chart(_svg(figure), {"unit": unit, "steps": [s.id for s in queued],
                                "mean": [round(v, 6) for v in shown_mean],
                                "p90": [round(v, 6) for v in shown_p90]})


def resource_chart(data: SimulationResults, model: ServiceModel) -> Chart:
    """A steady state's resources: the share of their time busy, with its interval."""
    rids = list(data.resources)
    stats = [data.resources[r].utilization for r in rids]
    means = [100 * s.mean if s else 0.0 for s in stats]
    low = [100 * (s.mean - s.low) if s else 0.0 for s in stats]
    high = [100 * (s.high - s.mean) if s else 0.0 for s in stats]
    figure, axis = plt.subplots(figsize=(WIDTH, 0.9 + 0.45 * max(len(rids), 1)))
    axis.barh(range(len(rids)), means, xerr=[low, high], color=PALETTE[0], alpha=0.85, height=0.55,
              error_kw={"ecolor": INK, "elinewidth": 0.8, "capsize": 2})
    axis.axvline(85, color=PALETTE[3], linewidth=0.8, linestyle=":")
    axis.set_yticks(range(len(rids)), rids, fontsize=8)
    axis.invert_yaxis()
    axis.set_xlim(0, 105)
    axis.set_xlabel("% of time on shift busy (dotted: 85%, where queues grow fast)")
    axis.set_title("Utilisation of each resource")
    return Chart(_svg(figure), {"resources": rids, "percent_busy": [round(v, 6) for v in means]})


# --- distributions, fail points, scenarios ---------------------------------------------------


def wait_distribution_chart(runs: list[Replication], model: ServiceModel) -> Chart:
    points = [s for s in model.steps if s.wait_point and s.resource] or \
             [s for s in model.steps if s.resource]
    points = points[:4]
    samples = {s.id: [w for r in runs for w in r.steps[s.id].wait_sample] for s in points}
    _, unit = _in_unit([w for values in samples.values() for w in values] or [0.0], model.time_unit)
    figure, axes = plt.subplots(1, max(len(points), 1), figsize=(WIDTH, 3.0), squeeze=False)
    for axis, step in zip(axes[0], points, strict=False):
        values, _ = _converted(samples[step.id], model.time_unit, unit)
        axis.hist(values, bins=30, color=PALETTE[0], alpha=0.85)
        if step.tolerance is not None:
            axis.axvline(_converted([step.tolerance], model.time_unit, unit)[0][0], color=PALETTE[3],
                         linewidth=1.2, label="tolerance")
            axis.legend(loc="upper right", fontsize=7)
        axis.set_title(textwrap.fill(step_name(model, step.id), 28), fontsize=8.5)
        axis.set_xlabel(f"wait ({unit})")
    axes[0][0].set_ylabel("waits sampled")
    figure.suptitle("How long waits get at the wait points", fontweight="bold", fontsize=10, x=0.02,
                    ha="left")
    figure.tight_layout()
    days = "days" if model.is_day else "runs"
    return Chart(_svg(figure), {"unit": unit, "steps": [s.id for s in points]},
                 caption=f"The waits of all {len(runs)} simulated {days} pooled (up to 400 a "
                         f"{'day' if model.is_day else 'run'}, evenly spaced): the shape of a "
                         f"typical {'day' if model.is_day else 'run'}'s waits, not one day's count.")


def fail_points_chart(data: SimulationResults, model: ServiceModel) -> Chart:
    names, counts, ids = [], [], []
    for step in model.steps:
        for fail in step.fail_points:
            names.append(_label(f"{fail.name or fail.id} (at {step_name(model, step.id)})"))
            counts.append(_mean(data.steps[step.id].fail_points[fail.id]) or 0.0)
            ids.append(fail.id)
    figure, axis = plt.subplots(figsize=(WIDTH, 0.9 + 0.5 * max(len(names), 1)))
    if names:
        axis.barh(range(len(names)), counts, color=PALETTE[3], alpha=0.85, height=0.55)
        axis.set_yticks(range(len(names)), names, fontsize=8)
        axis.invert_yaxis()
    per = "a day" if model.is_day else "a run"
    axis.set_xlabel(f"times {per} (mean)")
    axis.set_title("Fail points: how often each fires")
    return Chart(_svg(figure), {"fail_points": ids, "per_" + ("day" if model.is_day else "run"):
                                [round(c, 6) for c in counts]})


def scenarios_chart(study: StudyResults, model: ServiceModel) -> Chart:
    scenarios = list(study.scenarios)
    first = study.scenarios[scenarios[0]].kpis
    headline: list[str] = [k for k in ("abandonment_rate", "time_in_system", "staff_cost", "clv_lost")
                           if k in first]
    kpis = [*(k for k in first if k.startswith("service_level:")), *headline]
    figure, axes = plt.subplots(1, len(kpis), figsize=(WIDTH, 0.9 + 0.38 * len(scenarios) + 1.0),
                                squeeze=False)
    shown: dict[str, list[float | None]] = {}
    met = [all(study.scenarios[s].targets.values()) and bool(study.scenarios[s].targets)
           for s in scenarios]
    for axis, kpi in zip(axes[0], kpis, strict=True):
        values = [study.scenarios[s].kpis[kpi].value for s in scenarios]
        scale, title = _scenario_axis(kpi, model, values)
        means = [v.mean * scale if v else 0 for v in values]
        errors = [[m - v.low * scale if v else 0 for m, v in zip(means, values, strict=True)],
                  [v.high * scale - m if v else 0 for m, v in zip(means, values, strict=True)]]
        axis.barh(range(len(scenarios)), means, xerr=errors,
                  color=[PALETTE[2] if ok else PALETTE[0] for ok in met], alpha=0.85,
                  error_kw={"ecolor": INK, "elinewidth": 0.8, "capsize": 2})
        labels = [textwrap.fill(s, 26) for s in scenarios]
        axis.set_yticks(range(len(scenarios)), labels if axis is axes[0][0] else [""] * len(scenarios),
                        fontsize=7.5)
        axis.invert_yaxis()
        axis.set_title(textwrap.fill(title, 30), fontsize=8.5)
        shown[kpi] = [v.mean if v else None for v in values]
    figure.suptitle("Scenarios compared (bars: mean; whiskers: 95% interval; green: meets every "
                    "target)", fontweight="bold", fontsize=9.5, x=0.02, ha="left")
    return Chart(_svg(figure), {"scenarios": scenarios, "kpis": shown})


def _scenario_axis(kpi: str, model: ServiceModel, values: list[Statistic | None]) -> tuple[float, str]:
    """How a KPI is drawn: the factor its values are multiplied by, and its title with a unit."""
    kind, _, what = kpi.partition(":")
    if kind == "service_level":
        return 100.0, f"% started in time at {step_name(model, what)}"
    if kind == "abandonment_rate":
        return 100.0, "% of customers lost"
    if kind == "time_in_system":
        largest = max((v.high for v in values if v), default=0.0)
        unit, size = duration_unit(largest * SECONDS[model.time_unit])
        return SECONDS[model.time_unit] / size, f"time in the service ({unit})"
    if kind in ("staff_cost", "clv_lost"):
        what = "staff cost" if kind == "staff_cost" else "lifetime value lost"
        return 1.0, f"{what}{f' ({model.currency})' if model.currency else ''}"
    return 1.0, kpi.replace("_", " ")


@contextlib.contextmanager
def chart_fonts(texts: Sequence[str]) -> Iterator[None]:
    """Charts whose `texts` may be CJK: a CJK family asked for first where one is installed (so
    labels are measured right), and matplotlib's complaints about glyphs its fallback font
    lacks — which do not reach the page, whose SVG text the browser draws — not shown."""
    family = cjk_font() if any(has_cjk(t) for t in texts) else None
    families = [family, *plt.rcParams["font.sans-serif"]] if family else plt.rcParams["font.sans-serif"]
    with plt.rc_context({"font.sans-serif": families}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)
        yield


def charts(results: SimulationResults, model: ServiceModel,
           study: StudyResults | None = None) -> dict[str, Chart]:
    """Every chart of the report, by name.

    The SVG keeps its text as text (the browser draws it with its own fonts),
    so a CJK name needs no CJK font here; where one is installed, it is asked
    for first so the layout is measured right, and matplotlib's complaints
    about glyphs its fallback font lacks, which do not reach the page, are not
    shown.
    """
    names = [step_name(model, s.id) for s in model.steps]
    with chart_fonts([model.name, *names, *model.resources, *(study.scenarios if study else ())]):
        if model.is_day:
            made = {"demand": demand_chart(results, model), "capacity": capacity_chart(results, model),
                    "waits": waits_chart(results, model),
                    "queues": queues_chart(results, model),
                    "utilisation": utilisation_chart(results, model)}
        else:
            made = {"waits": step_waits_chart(results, model),
                    "utilisation": resource_chart(results, model)}
        if any(s.resource for s in model.steps):
            made["wait_distribution"] = wait_distribution_chart(results.runs, model)
        if any(s.fail_points for s in model.steps):
            made["fail_points"] = fail_points_chart(results, model)
        if study is not None:
            made["scenarios"] = scenarios_chart(study, model)
    return made
