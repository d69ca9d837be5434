"""The customer's verdict as documents: SERVQUAL gaps by dimension and touchpoint, and the five gaps.

`blueprint quality --json` writes a :class:`Quality`; `blueprint gaps --json`
a :class:`FiveGaps`. The layouts and every definition are in docs/quality.md.
A survey's unit is the respondent, so its figures are :class:`Estimate`: a mean
over respondents, its 95% interval (paired Student t) and how many answered.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from blueprint.results.base import ById, Record, Statistic
from blueprint.results.display import capped, document, paragraph, short, table
from blueprint.results.tables import choose, frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CSAT",
    "NPS",
    "Crosshairs",
    "Delivery",
    "DimensionQuality",
    "Estimate",
    "FiveGaps",
    "Gap1",
    "Gap3",
    "Gap4",
    "Gap5",
    "KnowledgeGap",
    "PromiseKept",
    "Quality",
    "ServqualScore",
    "StandardsFinding",
    "StandardsGap",
    "TouchpointDimension",
    "TouchpointQuality",
    "WorstMoment",
]

Zone = Literal["below", "inside", "above"]
Quadrant = Literal["concentrate here", "keep up the good work", "low priority", "possible overkill"]


class Estimate(Record):
    """A mean over respondents with its 95% interval (Student t, n − 1 degrees of freedom)."""

    mean: float = Field(description="Mean over the respondents who answered.")
    ci95: list[float] | None = Field(description="95% interval [low, high]; null with one respondent.")
    n: int = Field(description="Respondents it is computed over.")

    @property
    def significant(self) -> bool:
        """The interval lies wholly on one side of zero."""
        return self.ci95 is not None and (self.ci95[1] < 0 or self.ci95[0] > 0)


Est = Estimate | None


class DimensionQuality(Record):
    expectation: Est = Field(description="What an excellent provider would do (the desired level).")
    perception: Est = Field(description="What this one did.")
    gap: Est = Field(description="perception − expectation; negative: below expectation.")
    adequate: Est = Field(None, description="The lowest acceptable level, where the survey asked it.")
    weight: float | None = Field(description="Mean importance points / 100, normalised to sum 1.")
    zone: Zone | None = Field(description="Perception below, inside or above the zone of tolerance.")
    inside_zone: bool | None = Field(None, description="Perception inside the zone of tolerance "
                                                       "(false: outside it, below or above).")
    significant: bool | None = Field(None, description="The gap's interval lies wholly on one side "
                                                       "of zero.")


class TouchpointDimension(Record):
    gap: Est = Field(description="The gap on this dimension at this touchpoint.")


class TouchpointQuality(Record):
    name: str = Field(description="The step's name.")
    gap: Est = Field(description="perception − expectation over all the touchpoint's rows.")
    significant: bool | None = Field(None, description="The gap's interval lies wholly below zero.")
    dimensions: ById[TouchpointDimension] = Field(description="The gap per dimension asked here.")
    importance: float | None = Field(description="Mean expectation (Martilla & James).")
    performance: float | None = Field(description="Mean perception.")
    quadrant: Quadrant | None = Field(description="Its importance–performance quadrant.")
    stated_tolerance: float | None = Field(
        None, description="Median of the longest waits respondents said they accept here (time_unit).")


class Crosshairs(Record):
    importance: float | None = Field(description="Mean importance over the touchpoints.")
    performance: float | None = Field(description="Mean performance over the touchpoints.")


class ServqualScore(Record):
    unweighted: float | None = Field(description="Mean of the dimension gaps.")
    weighted: float | None = Field(description="Σ weight × gap over the dimensions; null without weights.")
    unweighted_ci95: list[float] | None = Field(None, description="95% interval of the unweighted score.")
    weighted_ci95: list[float] | None = Field(None, description="95% interval of the weighted score.")


class NPS(Record):
    score: float = Field(description="100 × (share of 9–10 − share of 0–6).")
    ci95: list[float] = Field(description="score ± 1.96·100·√((p + d − (p − d)²)/n).")
    promoters: int = Field(description="Respondents answering 9 or 10.")
    passives: int = Field(description="Respondents answering 7 or 8.")
    detractors: int = Field(description="Respondents answering 0 to 6.")
    n: int = Field(description="Respondents answering.")
    promoter_share: float = Field(0.0, description="promoters / n (p in the formula).")
    detractor_share: float = Field(0.0, description="detractors / n (d in the formula).")


class CSAT(Record):
    score: float = Field(description="% answering 4 or 5 on the 1–5 satisfaction scale.")
    ci95: list[float] = Field(description="Wilson 95% interval, in %.")
    n: int = Field(description="Respondents answering.")


class WorstMoment(Record):
    step: str
    name: str
    gap: Estimate
    significant: bool = Field(description="The whole interval is below zero.")


class Quality(Record):
    """What `blueprint quality --json` writes (docs/quality.md)."""

    model: str = Field(description="Name of the service model.")
    respondents: int = Field(description="People who answered anything.")
    scale: list[float] = Field(description="The answers' scale [low, high].")
    missing: dict[str, int] = Field(description="Blank answers, by column.")
    dimensions: ById[DimensionQuality] = Field(description="Per SERVQUAL dimension.")
    touchpoints: ById[TouchpointQuality] = Field(description="Per moment of truth answered about.")
    crosshairs: Crosshairs = Field(description="Where the importance–performance grid is cut.")
    servqual: ServqualScore = Field(description="The overall SERVQUAL score.")
    nps: NPS | None = Field(description="Net Promoter Score, from `recommend`.")
    csat: CSAT | None = Field(description="Customer satisfaction, from `satisfaction`.")
    worst: list[WorstMoment] = Field(description="Touchpoints, worst gap first.")
    mapped: dict[str, str] = Field(description="Tags of the original ten (or Chinese) and the "
                                               "dimension each was counted under.")

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, by_alias=True) + "\n"

    def to_pandas(self, table: str = "dimensions") -> pd.DataFrame:
        """``"dimensions"``: a row per dimension; ``"touchpoints"``: a row per touchpoint × dimension
        (dimension ``all`` for the touchpoint's own gap), with importance, performance, quadrant."""
        chosen = choose(table, ("dimensions", "touchpoints"), "Quality")
        if chosen == "dimensions":
            rows = [(d, *_cells(q.expectation), *_cells(q.perception), *_cells(q.gap), q.weight, q.zone)
                    for d, q in self.dimensions.items()]
            return frame(rows, ("dimension", "expectation", "expectation_low", "expectation_high",
                                "expectation_n", "perception", "perception_low", "perception_high",
                                "perception_n", "gap", "gap_low", "gap_high", "n", "weight", "zone"))
        out = []
        for sid, t in self.touchpoints.items():
            out.append((sid, t.name, "all", *_cells(t.gap), t.importance, t.performance, t.quadrant))
            out += [(sid, t.name, d, *_cells(td.gap), None, None, None) for d, td in t.dimensions.items()]
        return frame(out, ("step", "name", "dimension", "gap", "gap_low", "gap_high", "n", "importance",
                           "performance", "quadrant"))

    def __repr__(self) -> str:
        worst = ", ".join(f"{short(w.name, 30)} {w.gap.mean:+.2f}" for w in self.worst[:3])
        lines = [f"<Quality of {short(self.model)!r}: {self.respondents} respondents, "
                 f"SERVQUAL {_num(self.servqual.unweighted)} (weighted {_num(self.servqual.weighted)})",
                 "  gaps: " + ", ".join(f"{d} {_num(q.gap.mean if q.gap else None)}"
                                       for d, q in self.dimensions.items()),
                 f"  worst moments of truth: {worst or 'none'}"]
        if self.nps:
            lines.append(f"  NPS {self.nps.score:+.0f} (n {self.nps.n})")
        return capped(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        dims = [[d, _est(q.expectation), _est(q.perception), _est(q.gap), _num(q.weight), q.zone or ""]
                for d, q in self.dimensions.items()]
        moments = [[t.name, _est(t.gap), _num(t.importance), _num(t.performance), t.quadrant or ""]
                   for t in self.touchpoints.values()]
        about = (f"{self.respondents} respondents, scale {self.scale[0]:g}–{self.scale[1]:g}; SERVQUAL "
                 f"{_num(self.servqual.unweighted)}, weighted {_num(self.servqual.weighted)}")
        if self.nps:
            about += f"; NPS {self.nps.score:+.0f}"
        if self.csat:
            about += f"; CSAT {self.csat.score:.0f}%"
        return document("quality", paragraph(about, bold=self.model),
                        table(["dimension", "expectation", "perception", "gap", "weight", "zone"], dims),
                        table(["moment of truth", "gap", "importance", "performance", "quadrant"],
                              moments, what="touchpoints",
                              more='quality.to_pandas("touchpoints") has them all'))


def _cells(e: Estimate | None) -> tuple[float | None, float | None, float | None, int | None]:
    if e is None:
        return None, None, None, None
    low, high = e.ci95 if e.ci95 is not None else (None, None)
    return e.mean, low, high, e.n


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:+.2f}" if value < 0 else f"{value:.2f}"


def _est(e: Estimate | None) -> str:
    if e is None:
        return "–"
    if e.ci95 is None:
        return _num(e.mean)
    return f"{_num(e.mean)} ±{(e.ci95[1] - e.ci95[0]) / 2:.2f}"


# --- the five gaps ---------------------------------------------------------------------------


class KnowledgeGap(Record):
    management: Estimate = Field(description="What managers predict customers expect.")
    customers: Estimate = Field(description="What customers expect.")
    gap: Estimate = Field(description="management − customers (Welch 95% interval).")


class Gap1(Record):
    """The knowledge gap: managers' predicted expectations against customers'."""

    managers: int = Field(description="Managers who answered.")
    dimensions: ById[KnowledgeGap] = Field(description="Per dimension.")
    touchpoints: ById[KnowledgeGap] = Field(description="Per touchpoint both answered about.")


class StandardsFinding(Record):
    step: str
    name: str
    zone: str
    standard: float | None = Field(description="The step's execution standard (time_unit).")
    tolerance: float | None = Field(description="The longest wait the model says customers accept.")
    promise: float | None = Field(description="The promised longest wait, if any.")
    stated_tolerance: float | None = Field(description="Median wait respondents said they accept.")
    findings: list[str] = Field(description="Why standards are missing or too loose; empty: set.")


class StandardsGap(Record):
    """Gap 2, standards: moments of truth without a standard, or with one looser than customers'."""

    without_standard: list[str] = Field(
        description="Moments of truth with neither a `standard` nor a `tolerance`.")
    no_standard: list[str] = Field(default_factory=list,
                                   description="Moments of truth with no `standard` (execution time).")
    no_tolerance: list[str] = Field(default_factory=list,
                                    description="Moments of truth with no `tolerance` (wait).")
    touchpoints: list[StandardsFinding] = Field(description="Every moment of truth, with its findings.")


class Delivery(Record):
    step: str
    name: str
    standard: float | None
    tolerance: float | None
    beyond_standard: Statistic | None = Field(description="Share of services longer than the standard.")
    beyond_tolerance: Statistic | None = Field(description="Share of customers not started within "
                                                           "tolerance (leavers included).")


class Gap3(Record):
    """Gap 3, delivery: the simulated share of executions beyond standard and tolerance."""

    replications: int
    steps: list[Delivery]


class PromiseKept(Record):
    step: str
    name: str
    within: float = Field(description="The promised longest wait (time_unit).")
    share: float = Field(description="The share of customers it is promised to.")
    says: str | None = Field(description="The promise as advertised.")
    delivered: Statistic | None = Field(description="Simulated share started within `within`.")
    verdict: Literal["kept", "broken", "too close to call", "no visits"] = Field(
        description="kept: the interval's low end reaches `share`; broken: its high end falls short.")


class Gap4(Record):
    """Gap 4, communication: each promise against the simulated delivery."""

    replications: int
    promises: list[PromiseKept]


class Gap5(Record):
    """Gap 5, perceived quality: the survey's gaps."""

    servqual: ServqualScore
    dimensions: dict[str, Estimate | None]
    worst: list[WorstMoment]


class FiveGaps(Record):
    """What `blueprint gaps --json` writes: each gap of Parasuraman, Zeithaml & Berry (1985)
    with its evidence; a gap without its evidence (no survey, no management answers, no
    simulation) is null and `notes` say what would fill it."""

    model: str
    time_unit: str
    gap1: Gap1 | None
    gap2: StandardsGap
    gap3: Gap3 | None
    gap4: Gap4 | None
    gap5: Gap5 | None
    notes: list[str]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, by_alias=True) + "\n"

    def to_pandas(self, table: str = "standards") -> pd.DataFrame:
        """``"standards"`` (gap 2), ``"delivery"`` (gap 3), ``"promises"`` (gap 4) or ``"knowledge"``
        (gap 1): a row each."""
        chosen = choose(table, ("standards", "delivery", "promises", "knowledge"), "FiveGaps")
        if chosen == "standards":
            return frame([(f.step, f.name, f.zone, f.standard, f.tolerance, f.promise, f.stated_tolerance,
                           "; ".join(f.findings)) for f in self.gap2.touchpoints],
                         ("step", "name", "zone", "standard", "tolerance", "promise",
                          "stated_tolerance", "findings"))
        rows: list[tuple[Any, ...]]
        if chosen == "delivery":
            rows = [(d.step, d.name, d.standard, d.tolerance, *_stat(d.beyond_standard),
                     *_stat(d.beyond_tolerance)) for d in (self.gap3.steps if self.gap3 else [])]
            return frame(rows, ("step", "name", "standard", "tolerance", "beyond_standard", "bs_low",
                                "bs_high", "beyond_tolerance", "bt_low", "bt_high"))
        if chosen == "promises":
            rows = [(p.step, p.name, p.within, p.share, p.says, *_stat(p.delivered), p.verdict)
                    for p in (self.gap4.promises if self.gap4 else [])]
            return frame(rows, ("step", "name", "within", "share", "says", "delivered", "ci_low",
                                "ci_high", "verdict"))
        rows = [(d, *_cells(k.management)[:1], *_cells(k.customers)[:1], *_cells(k.gap))
                for d, k in (self.gap1.dimensions.items() if self.gap1 else [])]
        return frame(rows, ("dimension", "management", "customers", "gap", "gap_low", "gap_high", "n"))

    def __repr__(self) -> str:
        lines = [f"<FiveGaps of {short(self.model)!r}"]
        lines.append(f"  gap 2: {len(self.gap2.without_standard)} moments of truth without a standard")
        if self.gap4 is not None:
            kept = sum(p.verdict == "kept" for p in self.gap4.promises)
            lines.append(f"  gap 4: {kept} of {len(self.gap4.promises)} promises kept")
        if self.gap5 is not None:
            lines.append(f"  gap 5: SERVQUAL {_num(self.gap5.servqual.unweighted)}")
        lines += [f"  note: {short(n, 120)}" for n in self.notes[:3]]
        return capped(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        parts = [paragraph("the five gaps (Parasuraman, Zeithaml & Berry 1985)", bold=self.model)]
        parts.append(table(["moment of truth", "standard", "tolerance", "findings"],
                           [[f.name, _num(f.standard), _num(f.tolerance), "; ".join(f.findings) or "set"]
                            for f in self.gap2.touchpoints], what="touchpoints"))
        if self.gap4 is not None:
            parts.append(table(["promise", "promised", "delivered", "verdict"],
                               [[p.says or p.name, f"{p.share:.0%} within {p.within:g}",
                                 "–" if p.delivered is None else f"{p.delivered.mean:.0%}", p.verdict]
                                for p in self.gap4.promises], what="promises"))
        parts += [f"<p>{escape(n)}</p>" for n in self.notes]
        return document("gaps", *parts)


def _stat(s: Statistic | None) -> tuple[float | None, float | None, float | None]:
    return (None, None, None) if s is None else (s.mean, s.ci95[0], s.ci95[1])
