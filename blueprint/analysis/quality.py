"""SERVQUAL from a survey: gaps by dimension and touchpoint, importance–performance, NPS, CSAT.

The respondent is the unit (docs/quality.md): each respondent's gap on a
dimension or a touchpoint is the mean of their own rows of perception −
expectation, and a figure is the mean over respondents with a paired Student-t
interval — the same people answered both columns, so the interval is of the
differences, which is far narrower than comparing two means would give.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from blueprint.model import DIMENSIONS, ServiceModel, servqual_dimension
from blueprint.results.quality import (
    CSAT,
    NPS,
    Crosshairs,
    DimensionQuality,
    Estimate,
    Quality,
    ServqualScore,
    TouchpointDimension,
    TouchpointQuality,
    WorstMoment,
)
from blueprint.sim.student_t import t_quantile
from blueprint.survey import Answer, Survey, moments_of_truth

__all__ = ["Z95", "assess", "csat", "estimate", "nps", "quadrant", "respondent_means"]

Z95 = 1.96  # the normal quantile of the NPS and Wilson intervals, as the literature writes them


def estimate(values: Sequence[float] | np.ndarray) -> Estimate | None:
    """Mean over respondents with its Student-t 95% interval (None for no values)."""
    n = len(values)
    if n == 0:
        return None
    mean = math.fsum(values) / n
    if n < 2:
        return Estimate(mean=mean, ci95=None, n=n)
    spread = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_quantile(n - 1) * spread / math.sqrt(n)
    return Estimate(mean=mean, ci95=[mean - half, mean + half], n=n)


class _Columns:
    """The answers as columns, so each figure over respondents is a few numpy passes: a code
    per respondent, step and dimension, and each value (NaN where blank)."""

    def __init__(self, answers: Sequence[Answer]):
        columns = dict(zip(Answer._fields, zip(*answers, strict=True), strict=True)) if answers else {
            name: () for name in Answer._fields}
        codes: dict[str, int] = {}
        self.who = np.array([codes.setdefault(r, len(codes)) for r in columns["respondent"]],
                            dtype=np.int64)
        self.people = len(codes)
        self.step = np.array([s or "" for s in columns["step"]], dtype=object)
        self.dimension = np.array(columns["dimension"], dtype=object)

        def column(name: str) -> np.ndarray:
            return np.array([math.nan if v is None else v for v in columns[name]], dtype=float)

        self.values = {name: column(name) for name in ("expectation", "perception", "adequate",
                                                       "tolerance")}
        self.values["gap"] = self.values["perception"] - self.values["expectation"]

    def own_means(self, rows: np.ndarray, value: str) -> np.ndarray:
        """Each respondent's mean of `value` over `rows` (a mask) where it is given; NaN for a
        respondent with none, so the array lines up respondent by respondent."""
        values = self.values[value]
        keep = rows & ~np.isnan(values)
        sums = np.bincount(self.who[keep], weights=values[keep], minlength=self.people)
        counts = np.bincount(self.who[keep], minlength=self.people)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(counts > 0, sums / np.maximum(counts, 1), math.nan)

    def estimate(self, rows: np.ndarray, value: str) -> Estimate | None:
        means = self.own_means(rows, value)
        return estimate(means[~np.isnan(means)].tolist())


def respondent_means(answers: Iterable[Answer], value: Callable[[Answer], float | None]) -> list[float]:
    """Each respondent's mean of `value` over their rows where it is given."""
    own: dict[str, list[float]] = defaultdict(list)
    for a in answers:
        v = value(a)
        if v is not None:
            own[a.respondent].append(v)
    return [math.fsum(vs) / len(vs) for vs in own.values()]


def _gap(a: Answer) -> float | None:
    return a.perception - a.expectation if a.perception is not None and a.expectation is not None else None


def quadrant(importance: float, performance: float, cross_i: float, cross_p: float) -> str:
    """Martilla & James's quadrant of a touchpoint (a value on a cross-hair counts as high)."""
    if importance >= cross_i:
        return "keep up the good work" if performance >= cross_p else "concentrate here"
    return "possible overkill" if performance >= cross_p else "low priority"


def nps(scores: Sequence[int]) -> NPS | None:
    """Net Promoter Score with its normal-approximation interval (trinomial variance)."""
    n = len(scores)
    if n == 0:
        return None
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    p, d = promoters / n, detractors / n
    score = 100 * (p - d)
    half = Z95 * 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    return NPS(score=score, ci95=[score - half, score + half], promoters=promoters,
               passives=n - promoters - detractors, detractors=detractors, n=n, promoter_share=p,
               detractor_share=d)


def csat(scores: Sequence[int]) -> CSAT | None:
    """Share satisfied (4 or 5 of 5), in %, with its Wilson interval."""
    n = len(scores)
    if n == 0:
        return None
    p = sum(s >= 4 for s in scores) / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return CSAT(score=100 * p, ci95=[100 * (centre - half), 100 * (centre + half)], n=n)


def _weights(survey: Survey) -> dict[str, float] | None:
    given = [r.weights for r in survey.people.values() if r.weights]
    if not given:
        return None
    return {d: math.fsum(w[d] for w in given) / len(given) / 100 for d in DIMENSIONS}


def _zone(expectation: Estimate | None, perception: Estimate | None, adequate: Estimate | None,
          gap: Estimate | None) -> str | None:
    if adequate is not None and expectation is not None and perception is not None:
        if perception.mean < adequate.mean:
            return "below"
        return "above" if perception.mean > expectation.mean else "inside"
    if gap is None or gap.ci95 is None:
        return None
    return "below" if gap.ci95[1] < 0 else "above" if gap.ci95[0] > 0 else "inside"


def _composite_ci(table: _Columns, weights: dict[str, float], centre: float) -> list[float] | None:
    """The interval of a weighted sum of dimension gaps, from per-respondent composites (those
    who answered every weighted dimension), centred on the score itself."""
    needed = [d for d, w in weights.items() if w > 0]
    own = [table.own_means(table.dimension == d, "gap") for d in needed]
    complete = np.logical_and.reduce([~np.isnan(m) for m in own]) if own else np.zeros(0, bool)
    composites = sum(weights[d] * m[complete] for d, m in zip(needed, own, strict=True))
    found = estimate(np.asarray(composites, dtype=float).tolist()) if own else None
    if found is None or found.ci95 is None:
        return None
    half = (found.ci95[1] - found.ci95[0]) / 2
    return [centre - half, centre + half]


def _servqual(table: _Columns, gaps: dict[str, Estimate | None],
              weights: dict[str, float] | None) -> ServqualScore:
    present = [d for d in DIMENSIONS if gaps.get(d) is not None]
    if not present:
        return ServqualScore(unweighted=None, weighted=None)
    equal = {d: 1 / len(present) for d in present}
    unweighted = math.fsum(gaps[d].mean for d in present if gaps[d]) / len(present)  # type: ignore[union-attr]
    weighted = weighted_ci = None
    if weights is not None:
        total = math.fsum(weights[d] for d in present)
        if total > 0:
            norm = {d: weights[d] / total for d in present}
            weighted = math.fsum(norm[d] * gaps[d].mean for d in present if gaps[d])  # type: ignore[union-attr]
            weighted_ci = _composite_ci(table, norm, weighted)
    return ServqualScore(unweighted=unweighted, weighted=weighted,
                         unweighted_ci95=_composite_ci(table, equal, unweighted), weighted_ci95=weighted_ci)


def assess(model: ServiceModel, survey: Survey) -> Quality:
    """The quality document of a survey of `model` (definitions: docs/quality.md)."""
    answers = survey.answers
    table = _Columns(answers)
    weights = _weights(survey)
    dimensions: dict[str, DimensionQuality] = {}
    for d in DIMENSIONS:
        rows = table.dimension == d
        if not rows.any():
            continue
        expectation, perception, gap = (table.estimate(rows, v) for v in ("expectation", "perception",
                                                                          "gap"))
        adequate = table.estimate(rows, "adequate")
        zone = _zone(expectation, perception, adequate, gap)
        dimensions[d] = DimensionQuality(expectation=expectation, perception=perception, gap=gap,
                                         adequate=adequate, weight=None, zone=zone,  # type: ignore[arg-type]
                                         inside_zone=None if zone is None else zone == "inside",
                                         significant=None if gap is None else gap.significant)
    if weights is not None:
        total = math.fsum(weights[d] for d in dimensions)
        for d, q in dimensions.items():
            q.weight = weights[d] / total if total > 0 else None
    touchpoints = _touchpoints(model, table)
    known = [t for t in touchpoints.values() if t.importance is not None and t.performance is not None]
    cross = Crosshairs(
        importance=math.fsum(t.importance for t in known) / len(known) if known else None,  # type: ignore[misc]
        performance=math.fsum(t.performance for t in known) / len(known) if known else None)  # type: ignore[misc]
    for t in known:
        t.quadrant = quadrant(t.importance, t.performance, cross.importance, cross.performance)  # type: ignore[arg-type,assignment]
    worst = sorted(((sid, t) for sid, t in touchpoints.items() if t.gap is not None),
                   key=lambda item: item[1].gap.mean)  # type: ignore[union-attr]
    people = survey.people.values()
    mapped = {a.tag: a.dimension for a in answers if a.tag.strip().lower() != a.dimension}
    mapped.update({tag: servqual_dimension(tag) for s in model.steps for tag in s.dimensions
                   if servqual_dimension(tag) != tag})
    return Quality(
        model=model.name, respondents=len(survey.respondents), scale=list(survey.scale),
        missing=dict(survey.missing),
        dimensions=dimensions, touchpoints=touchpoints, crosshairs=cross,
        servqual=_servqual(table, {d: q.gap for d, q in dimensions.items()}, weights),
        nps=nps([r.recommend for r in people if r.recommend is not None]),
        csat=csat([r.satisfaction for r in people if r.satisfaction is not None]),
        worst=[WorstMoment(step=sid, name=t.name, gap=t.gap, significant=t.gap.significant  # type: ignore[arg-type,union-attr]
                           and t.gap.ci95 is not None and t.gap.ci95[1] < 0)  # type: ignore[union-attr]
               for sid, t in worst],
        mapped=mapped,
    )


def _touchpoints(model: ServiceModel, table: _Columns) -> dict[str, TouchpointQuality]:
    out: dict[str, TouchpointQuality] = {}
    for step in moments_of_truth(model):
        rows = table.step == step.id
        if not rows.any():
            continue
        expectation, perception, gap = (table.estimate(rows, v) for v in ("expectation", "perception",
                                                                          "gap"))
        asked = set(table.dimension[rows].tolist())
        waits = table.own_means(rows, "tolerance")
        waits = waits[~np.isnan(waits)]
        out[step.id] = TouchpointQuality(
            name=step.label, gap=gap,
            significant=None if gap is None else gap.ci95 is not None and gap.ci95[1] < 0,
            dimensions={d: TouchpointDimension(gap=table.estimate(rows & (table.dimension == d), "gap"))
                        for d in DIMENSIONS if d in asked},
            importance=expectation.mean if expectation else None,
            performance=perception.mean if perception else None, quadrant=None,
            stated_tolerance=float(np.median(waits)) if len(waits) else None)
    return out
