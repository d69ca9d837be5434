"""A failure followed to the money: the customers' outcomes, and lifetime value lost by cause.

The outcome bar reads like a funnel laid on its side: of a day's arrivals,
those served without a failure, those hit by a fail point who said nothing,
those who complained (won back quickly, resolved, or not), and those lost.
The cause chart names each fail point and each queue where customers were
lost, as the client knows them, with what they cost over the years.
"""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib.pyplot as plt

from blueprint.analysis.headlines import step_name
from blueprint.model import ServiceModel
from blueprint.report.plots import INK, WIDTH, Chart, _svg
from blueprint.results import SimulationResults, Statistic

__all__ = ["OUTCOME_WORDS", "cause_name", "loyalty_charts"]

OUTCOME_WORDS = {
    "served": ("served, no failure", "#2a7d46"),
    "failed": ("hit by a fail point, silent", "#e08a00"),
    "failed_twice": ("hit twice, silent", "#b26a00"),
    "resolved_quickly": ("complained, recovered quickly", "#1b64b5"),
    "complained_resolved": ("complained, recovered slowly", "#6a9fd8"),
    "complained_unresolved": ("complained, not resolved", "#c77c7c"),
    "lost": ("lost (balked, gave up, abandoned)", "#c62828"),
}
"""Each outcome in the client's words, and its colour."""


def cause_name(model: ServiceModel, cause: str) -> str:
    """A cause as the client knows it: a fail point's name, or where customers were lost."""
    kind, _, step = cause.partition(":")
    if step:
        where = step_name(model, step)
        return f"gave up waiting at {where}" if kind == "reneged" else f"walked away from {where}"
    for s in model.steps:
        for f in s.fail_points:
            if f.id == cause:
                return f"{f.name} (at {step_name(model, s.id)})"
    return cause


def _mean(stat: Statistic | None) -> float:
    return 0.0 if stat is None else stat.mean


def outcome_chart(results: SimulationResults) -> Chart:
    loyalty = results.loyalty
    assert loyalty is not None
    order = [o for o in OUTCOME_WORDS if o in loyalty.by_outcome]
    counts = [_mean(loyalty.by_outcome[o].customers) for o in order]
    figure, axis = plt.subplots(figsize=(WIDTH, 1.25))
    left = 0.0
    total = sum(counts) or 1.0
    for outcome, count in zip(order, counts, strict=True):
        label, colour = OUTCOME_WORDS[outcome]
        axis.barh([0], [count], left=left, color=colour, height=0.6,
                  label=f"{label}: {count:,.1f}" if count < 100 else f"{label}: {count:,.0f}")
        if count / total > 0.06:
            axis.text(left + count / 2, 0, f"{count:,.0f}", ha="center", va="center", color="white",
                      fontsize=8, fontweight="bold")
        left += count
    axis.set_yticks([])
    axis.set_xlim(0, total)
    axis.set_xlabel("customers a day (mean)")
    axis.set_title(f"From arrivals to the money: the day's {total:,.0f} arrivals by what happened to "
                   "them (a funnel laid on its side)", fontsize=9.5)
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.7), ncol=3, fontsize=7.5)
    return Chart(_svg(figure), {"outcomes": order, "customers": [round(c, 6) for c in counts]})


def cause_chart(results: SimulationResults, model: ServiceModel, money: Any) -> Chart:
    loyalty = results.loyalty
    assert loyalty is not None
    lost = {c: f.clv_lost for c, f in loyalty.by_cause.items() if f.clv_lost is not None}
    causes = sorted(lost, key=lambda c: -lost[c].mean)
    values = [lost[c].mean for c in causes]
    lows = [lost[c].ci95[0] for c in causes]
    highs = [lost[c].ci95[1] for c in causes]
    figure, axis = plt.subplots(figsize=(WIDTH, 0.9 + 0.45 * max(len(causes), 1)))
    if causes:
        axis.barh(range(len(causes)), values, color="#c62828", alpha=0.85, height=0.55,
                  xerr=[[v - lo for v, lo in zip(values, lows, strict=True)],
                        [hi - v for v, hi in zip(values, highs, strict=True)]],
                  error_kw={"ecolor": INK, "elinewidth": 0.8, "capsize": 2})
        axis.set_yticks(range(len(causes)),
                        [textwrap.fill(cause_name(model, c), 40) for c in causes], fontsize=8)
        axis.invert_yaxis()
    axis.set_xlim(left=0)
    axis.set_xlabel(f"lifetime value lost a day{f' ({money})' if money else ''}: mean, whiskers 95%")
    axis.set_title("Lifetime value lost by cause: which fail point, which queue", fontsize=9.5)
    return Chart(_svg(figure), {"causes": causes, "clv_lost": [round(v, 6) for v in values]})


def loyalty_charts(results: SimulationResults, model: ServiceModel) -> dict[str, Chart]:
    """The loyalty page's charts by name (none without loyalty)."""
    if results.loyalty is None:
        return {}
    return {"outcomes": outcome_chart(results),
            "clv_by_cause": cause_chart(results, model, results.currency)}
