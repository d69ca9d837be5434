"""How a result document shows itself in a notebook: a short text, and a small HTML summary.

Typing ``results`` in a Jupyter cell shows :func:`html` tables of the figures a
reader looks at first — the headline KPIs, the wait at each step, each
resource's utilisation — not the thousands of statistics the document holds
(``to_pandas()`` has every one). ``repr()`` says in a few lines what the
document is and its headline figures. Both are capped in size, however large
the model or the study: the longest lists are cut with a note of how many
rows were left out. Figures are written as everywhere else
(:mod:`blueprint.figures`).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from blueprint.figures import money, percent, points, significant, uncertainty
from blueprint.results.base import Statistic

if TYPE_CHECKING:
    from blueprint.results.economics import Economics
    from blueprint.results.simulation import SimulationResults, SystemResults
    from blueprint.results.staffing import StaffingPlan
    from blueprint.results.study import ScenarioResults, StudyResults

__all__ = ["MAX_ROWS", "Kind", "change_text", "document", "figure_text", "interval_text",
           "paragraph", "short", "stat_text", "table"]

MAX_ROWS = 40
"""The most rows an HTML table shows; the rest are counted in a note under it."""

CELL = 120
"""The most characters a table cell shows (an id, a scenario's overrides)."""
REPR = 1500
"""The most characters a ``repr`` runs to."""

Kind = str  # "count", "share", "time", "hours", "money"


def short(text: str, width: int = 60) -> str:
    """`text` cut to `width` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[:width - 1] + "…"


def figure_text(value: float | None, kind: Kind, currency: str | None = None) -> str:
    """One figure as the tables write it: money to the cent, shares as percentages, the rest
    to three significant figures (times in the document's unit, said in the header)."""
    if value is None:
        return "—"
    if abs(value) >= 1e15:  # past a thousand billion, digits are noise: an exponent reads better
        return f"{value:.3g}" + (f" {currency}" if kind == "money" and currency else "")
    if kind == "money":
        return money(value, currency=currency)
    if kind == "share":
        return percent(value)
    return significant(value)


def stat_text(stat: Statistic | None, kind: Kind, currency: str | None = None) -> str:
    """A statistic as 'mean ± half-width' (shares: ± percentage points)."""
    if stat is None:
        return "—"
    half = stat.half_width
    if kind == "share":
        spread = points(half, signed=False)
    else:
        spread = uncertainty(half) if half < 1e15 else f"{half:.2g}"
    mean = figure_text(stat.mean, kind, currency)
    return mean if spread in ("0", "0.0 pp") else f"{mean} ± {spread}"


def interval_text(stat: Statistic | None, kind: Kind, currency: str | None = None) -> str:
    """The 95% interval of a statistic: 'low to high'."""
    if stat is None:
        return "—"
    return f"{figure_text(stat.low, kind, currency)} to {figure_text(stat.high, kind, currency)}"


def change_text(mean: float, kind: Kind, significant_change: bool) -> str:
    """A change against the baseline: signed, in percentage points for shares, 'n.s.' when its
    paired interval holds 0."""
    if abs(mean) >= 1e15:
        text = f"{mean:+.3g}"
    elif kind == "share":
        text = points(mean)
    elif kind == "money":
        text = money(mean, signed=True)
    else:
        text = significant(mean, signed=True)
    return text if significant_change else f"{text}, n.s."


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, what: str = "rows",
          more: str = "") -> str:
    """An HTML table of plain-text cells (escaped here, each cut to :data:`CELL` characters), the
    first column as row headers; past :data:`MAX_ROWS`, a note of how many `what` were left
    out (`more`: where they all are)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + f"<th>{escape(short(row[0], CELL))}</th>"
        + "".join(f"<td>{escape(short(c, CELL))}</td>" for c in row[1:]) + "</tr>"
        for row in rows[:MAX_ROWS])
    note = ""
    if len(rows) > MAX_ROWS:
        note = paragraph(f"… and {len(rows) - MAX_ROWS} more {what}" + (f": {more}" if more else ""))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}"


def paragraph(text: str, *, bold: str = "") -> str:
    """A paragraph of plain text, `bold` (if any, cut to 200 characters) leading it."""
    lead = f"<strong>{escape(short(bold, 200))}</strong> " if bold else ""
    return f"<p>{lead}{escape(text)}</p>"


def items(texts: Sequence[str], *, what: str) -> str:
    """A short bullet list (at most 5 shown, the rest counted)."""
    shown = "".join(f"<li>{escape(short(t, 300))}</li>" for t in texts[:5])
    rest = f"<li>… and {len(texts) - 5} more {what}</li>" if len(texts) > 5 else ""
    return f"<ul>{shown}{rest}</ul>"


def capped(lines: Sequence[str]) -> str:
    """A ``repr`` of these lines, closed with '>': cut to :data:`REPR` characters, whatever
    the names and figures in it."""
    text = "\n".join(lines)
    return (text if len(text) <= REPR else text[:REPR - 1] + "…") + ">"


def document(kind: str, *parts: str) -> str:
    """The HTML of one document: its parts in a block a stylesheet can find."""
    return f'<div class="blueprint-{kind}">' + "".join(parts) + "</div>"


# --- simulation results ------------------------------------------------------------------------

_HEADLINE: list[tuple[str, str, Kind]] = [
    ("arrivals", "arrivals", "count"), ("served", "served", "count"),
    ("abandoned", "abandoned (balked, reneged, lost at a fail point)", "count"),
    ("abandonment_rate", "abandonment rate", "share"),
    ("time_in_system.mean", "time in system, mean ({unit})", "time"),
    ("time_in_system.p90", "time in system, 90th percentile ({unit})", "time"),
    ("revenue", "revenue", "money"), ("lost_revenue", "revenue lost", "money"),
    ("staff_cost", "staff cost", "money"), ("material_cost", "material cost", "money"),
    ("profit", "profit", "money"), ("cost_per_served", "cost per served customer", "money"),
    ("idle_hours", "idle server-hours", "hours"), ("idle_cost", "idle cost", "money"),
]


def simulation_repr(results: SimulationResults) -> str:
    """A few lines: what was simulated, and its headline figures."""
    system, unit = results.system, results.time_unit
    lines = [f"<SimulationResults of {short(results.model)!r}: "
             f"{_count(results.replications, 'replication')}, seed {results.seed}, times in {unit}",
             f"  served {_mean(system.served, 'count')} of {_mean(system.arrivals, 'count')} arrivals "
             f"(abandonment {_mean(system.abandonment_rate, 'share')}), time in system "
             f"{_mean(system.time_in_system.mean, 'time')} {unit}, profit "
             f"{_mean(system.profit, 'money', results.currency)}"]
    waits = {sid: s.wait.mean.mean for sid, s in results.steps.items() if s.wait.mean is not None}
    busy = {rid: r.utilization.mean for rid, r in results.resources.items() if r.utilization is not None}
    steps = f"  {_count(len(results.steps), 'step')}"
    if waits:
        longest = max(waits, key=lambda sid: waits[sid])
        shown = results.steps[longest].name or longest
        steps += f" (longest mean wait: {short(shown, 40)}, {figure_text(waits[longest], 'time')} {unit})"
    steps += f"; {_count(len(results.resources), 'resource')}"
    if busy:
        busiest = max(busy, key=lambda rid: busy[rid])
        steps += f" (busiest: {short(busiest, 40)}, {percent(busy[busiest])} utilised)"
    lines.append(steps)
    if results.warnings:
        lines.append(f"  {_count(len(results.warnings), 'warning')}: see results.warnings")
    return capped(lines)


def simulation_html(results: SimulationResults) -> str:
    """The headline KPIs, every step's wait and every resource's use, as HTML tables."""
    unit, currency, system = results.time_unit, results.currency, results.system
    headline = [[label.format(unit=unit), stat_text(_system_stat(system, key), kind, currency),
                 interval_text(_system_stat(system, key), kind, currency)]
                for key, label, kind in _HEADLINE]
    steps = [[sid, s.name or "", stat_text(s.entries, "count"), stat_text(s.wait.mean, "time"),
              figure_text(_value(s.wait.p90), "time"), stat_text(s.within_tolerance, "share"),
              stat_text(s.queue_length.mean, "count"), _lost(s.balked, s.reneged)]
             for sid, s in results.steps.items()]
    resources = [[rid, stat_text(r.utilization, "share"), stat_text(r.idle_hours, "hours"),
                  stat_text(r.idle_cost, "money", currency), stat_text(r.overtime_hours, "hours")]
                 for rid, r in results.resources.items()]
    about = (f"simulation results: {_count(results.replications, 'replication')}, seed {results.seed}; "
             f"times in {unit}; each figure the mean over the replications ± half its 95% interval")
    parts = [paragraph(about, bold=results.model)]
    if results.warnings:
        parts.append(items(results.warnings, what="warnings"))
    parts += [
        table(["the whole service", "mean", "95% interval"], headline),
        table(["step", "name", "visits", f"wait, mean ({unit})", f"wait, 90th percentile ({unit})",
               "within tolerance", "queue length", "lost here"], steps, what="steps",
              more="results.to_pandas() has them all"),
        table(["resource", "utilisation", "idle server-hours", "idle cost", "overtime server-hours"],
              resources, what="resources", more="results.to_pandas() has them all"),
        paragraph('Every statistic as a DataFrame: results.to_pandas(); every replication: '
                  'results.to_pandas("replications").'),
    ]
    return document("results", *parts)


def _system_stat(system: SystemResults, key: str) -> Statistic | None:
    if key.startswith("time_in_system."):
        return getattr(system.time_in_system, key.split(".")[1])  # type: ignore[no-any-return]
    return getattr(system, key)  # type: ignore[no-any-return]


def _value(stat: Statistic | None) -> float | None:
    return None if stat is None else stat.mean


def _mean(stat: Statistic | None, kind: Kind, currency: str | None = None) -> str:
    return figure_text(_value(stat), kind, currency)


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" + ("" if n == 1 else "s")


def _lost(balked: Statistic | None, reneged: Statistic | None) -> str:
    """Customers lost at a step (balked + reneged: the mean of a sum is the sum of the means)."""
    if balked is None and reneged is None:
        return "—"
    return figure_text((_value(balked) or 0.0) + (_value(reneged) or 0.0), "count")


# --- what-if studies ---------------------------------------------------------------------------

_SHARES = ("abandonment_rate", "service_level:", "utilization:")
_MONEY = ("revenue", "lost_revenue", "staff_cost", "material_cost", "profit", "cost_per_served")


def kpi_kind(kpi: str) -> Kind:
    """How a study's KPI is written: a share, money, or a plain number."""
    if kpi.startswith(_SHARES):
        return "share"
    return "money" if kpi in _MONEY else "count"


def _study_kpis(study: StudyResults) -> list[str]:
    """The KPIs a study's summary shows: the headline ones and its service-level target's."""
    first = _first(study)
    present = list(first.kpis) if first else []
    wanted = [k for k in ("served", "abandonment_rate", "time_in_system", "profit") if k in present]
    return wanted + [k for k in present if k.startswith(("service_level:", "wait:"))]


def _first(study: StudyResults) -> ScenarioResults | None:
    return next(iter(study.scenarios.values()), None)


def _kpi_text(scenario: ScenarioResults, kpi: str) -> str | None:
    """A KPI's mean, and in brackets its change against the baseline (None: not there)."""
    comparison = scenario.kpis.get(kpi)
    if comparison is None or comparison.value is None:
        return None
    kind, change = kpi_kind(kpi), comparison.change
    text = figure_text(comparison.value.mean, kind, scenario.results.currency)
    return text + (f" ({change_text(change.mean, kind, change.significant)})" if change else "")


def study_repr(study: StudyResults) -> str:
    """A few lines: the study, and each scenario's headline figures (the first few)."""
    lines = [f"<StudyResults of {short(study.study)!r}: {_count(len(study.scenarios), 'scenario')} x "
             f"{_count(study.replications, 'replication')}, seed {study.seed}"]
    for number, (name, scenario) in enumerate(study.scenarios.items()):
        if number == 8:
            lines.append(f"  … and {len(study.scenarios) - 8} more scenarios")
            break
        lines.append(f"  {short(name, 50)}: {scenario_line(scenario)}")
    return capped(lines)


def scenario_line(scenario: ScenarioResults) -> str:
    """A scenario in one line: served, profit (with changes), targets met."""
    parts = [f"{kpi} {text}" for kpi in ("served", "profit")
             if (text := _kpi_text(scenario, kpi)) is not None]
    parts.append(f"targets met {sum(scenario.targets.values())}/{len(scenario.targets)}")
    return ", ".join(parts)


def study_html(study: StudyResults) -> str:
    """The scenarios side by side: headline KPIs with their change against the baseline, and
    which targets hold."""
    kpis, first = _study_kpis(study), _first(study)
    targets = list(first.targets) if first else []
    rows = [[name, ", ".join(f"{k} = {v}" for k, v in scenario.overrides.items()) or "—",
             *(_kpi_text(scenario, kpi) or "—" for kpi in kpis),
             *("✓" if scenario.targets.get(t) else "✗" for t in targets)]
            for name, scenario in study.scenarios.items()]
    unit = first.results.time_unit if first else ""
    headers = [f"{k} ({unit})" if k == "time_in_system" or k.startswith("wait:") else k for k in kpis]
    about = (f"what-if study: {_count(len(study.scenarios), 'scenario')} x "
             f"{_count(study.replications, 'replication')}, seed {study.seed}; each figure the mean, "
             f"in brackets its change against the baseline on the same random numbers (n.s.: not "
             f"significant)")
    return document("study", paragraph(about, bold=study.study),
                    table(["scenario", "overrides", *headers, *(f"target {t}" for t in targets)], rows,
                          what="scenarios", more='study.to_pandas("kpis") has them all'),
                    paragraph('Every KPI as a DataFrame: study.to_pandas("kpis"); every statistic of '
                              'every scenario: study.to_pandas().'))


# --- staffing plans ----------------------------------------------------------------------------

def staffing_repr(plan: StaffingPlan) -> str:
    """A few lines: the resource, the target, the shifts and their cost."""
    shifts = ", ".join(f"{w.start}-{w.end}: {w.capacity}" for w in plan.schedule[:12])
    if len(plan.schedule) > 12:
        shifts += f", … ({len(plan.schedule) - 12} more)"
    verdict = "met every hour" if plan.target_met_every_hour else "not met every hour"
    return capped([f"<StaffingPlan for {short(plan.resource, 40)!r} to {short(plan.target, 60)!r}: "
                   f"target {verdict}", f"  shifts {shifts}",
                   f"  staff cost {figure_text(plan.staff_cost, 'money')} (now "
                   f"{figure_text(plan.current_staff_cost, 'money')}); "
                   f"{_count(plan.simulation_rounds, 'round')}, "
                   f"{_count(plan.days_simulated, 'day')} simulated"])


def staffing_html(plan: StaffingPlan) -> str:
    """The recommended shifts, and what each hour achieves with them."""
    verdict = "the target is met every hour" if plan.target_met_every_hour else \
        "the target is not met every hour"
    about = (f"staffing for {short(plan.target)}: {verdict}; staff cost "
             f"{figure_text(plan.staff_cost, 'money')} (the model's schedule: "
             f"{figure_text(plan.current_staff_cost, 'money')})")
    hours = [[f"{h.start}-{h.end}", str(h.servers), str(h.erlang_estimate), figure_text(h.current, "count"),
              _share_with_interval(h.service_level, h.service_level_ci95),
              figure_text(h.abandonment_rate, "share"), str(h.replications), h.verdict]
             for h in plan.achieved]
    parts = [paragraph(about, bold=plan.resource),
             table(["shift", "servers"], [[f"{w.start}-{w.end}", str(w.capacity)]
                                           for w in plan.schedule], what="shifts"),
             table(["hour", "servers", "Erlang's estimate", "now", "service level", "abandonment",
                    "replications", "verdict"], hours, what="hours",
                   more="plan.to_pandas() has them all")]
    if plan.notes:
        parts.append(items(plan.notes, what="notes"))
    return document("staffing", *parts)


def _share_with_interval(share: float | None, interval: list[float] | None) -> str:
    if share is None:
        return "—"
    if not interval:
        return percent(share)
    return f"{percent(share)} ± {points((interval[1] - interval[0]) / 2, signed=False)}"


# --- economics ---------------------------------------------------------------------------------

_DAY: list[tuple[str, str, Kind]] = [
    ("revenue", "revenue", "money"), ("lost_revenue", "revenue lost", "money"),
    ("staff_cost", "staff cost", "money"), ("material_cost", "material cost", "money"),
    ("profit", "profit", "money"), ("cost_per_served", "cost per served customer", "money"),
    ("idle_server_hours", "idle server-hours", "hours"), ("idle_cost", "idle cost", "money"),
    ("served", "customers served", "count"), ("lost", "customers lost", "count"),
    ("complaints", "complaints", "count"), ("clv_lost", "lifetime value lost", "money"),
]


def economics_repr(economics: Economics) -> str:
    """A few lines: the day's money."""
    day = economics.day
    return capped([f"<Economics of {short(economics.model)!r}: {_count(day.replications, 'replication')}",
                   f"  revenue {_mean(day.revenue, 'money')}, lost {_mean(day.lost_revenue, 'money')}, "
                   f"staff cost {_mean(day.staff_cost, 'money')}, profit {_mean(day.profit, 'money')}, "
                   f"cost per served {_mean(day.cost_per_served, 'money')}",
                   f"  {_count(len(economics.profitability), 'step')} costed, profit curve over "
                   f"{_count(len(economics.profit_curve), 'slip')}"])


def economics_html(economics: Economics) -> str:
    """The day's money, each resource's idle capacity, and Shostack's profitability per step."""
    day = economics.day
    money_rows = [[label, stat_text(getattr(day, key), kind), interval_text(getattr(day, key), kind)]
                  for key, label, kind in _DAY
                  if getattr(day, key) is not None or key not in ("complaints", "clv_lost")]
    resources = [[rid, stat_text(r.utilization, "share"), stat_text(r.idle_hours, "hours"),
                  stat_text(r.idle_cost, "money")] for rid, r in day.resources.items()]
    steps = [[c.step, figure_text(c.visits, "count"), figure_text(c.minutes, "time"),
              *(figure_text(v, "money") for v in (c.labour_per_visit, c.materials_per_visit,
                                                   c.per_customer, c.minute_slip))]
             for c in economics.profitability]
    curve = [[f"+{figure_text(p.slip_minutes, 'time')} min", figure_text(p.cost_per_customer, "money"),
              figure_text(p.profit_per_customer, "money")] for p in economics.profit_curve]
    about = (f"economics over {_count(day.replications, 'replication')}: each figure the mean ± half "
             f"its 95% interval")
    return document(
        "economics", paragraph(about, bold=economics.model),
        table(["the day", "mean", "95% interval"], money_rows),
        table(["resource", "utilisation", "idle server-hours", "idle cost"], resources,
              what="resources"),
        table(["step", "visits per customer", "minutes per visit", "labour per visit",
               "materials per visit", "per customer", "one more minute"], steps, what="steps",
              more='economics.to_pandas("profitability") has them all'),
        table(["every staffed step slower by", "cost per customer", "profit per customer"], curve,
              what="slips"))
