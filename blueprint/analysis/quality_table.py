"""The customer's verdict on screen and in CSV: `blueprint quality` and `blueprint gaps`.

Gaps are perception − expectation on the survey's scale, written with the
half-width of their paired 95% interval; a touchpoint's name folds onto more
lines rather than push a figure off an 80-column terminal.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from blueprint.figures import percent, significant
from blueprint.files import csv_text
from blueprint.results.base import Statistic
from blueprint.results.quality import Estimate, FiveGaps, Quality
from blueprint.sim.table import CSV_HEADER, literal

__all__ = ["estimate_text", "gaps_csv", "gaps_tables", "quality_csv", "quality_tables"]


def estimate_text(e: Estimate | None, *, signed: bool = True) -> str:
    """``-1.42 ±0.18`` (a gap and the half-width of its 95% interval); ``–`` for no answers."""
    if e is None:
        return "–"
    if e.ci95 is None:
        return significant(e.mean, signed=signed)
    return significant(e.mean, signed=signed, half_width=(e.ci95[1] - e.ci95[0]) / 2)


def _share(s: Statistic | None) -> str:
    return "–" if s is None else percent(s.mean, half_width=s.half_width)


def _table(title: str, caption: str | None = None) -> Table:
    return Table(title=Text(title), title_justify="left", caption=Text(caption) if caption else None,
                 caption_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, expand=True)


NARROW = 72  # below this many columns, the tables turn to fewer columns and blocks of lines


def _narrow(width: int | None) -> bool:
    return width is not None and width < NARROW


def _blocks(title: str, blocks: list[tuple[str, str]], caption: str | None = None) -> list[Any]:
    """For a narrow terminal: a title, then each item's name and, indented under it, its figures."""
    shown: list[Any] = [Text(title, style="bold")]
    for head, body in blocks:
        line = Text(head)
        line.append("\n  " + body.replace("\n", "\n  "), style="")
        shown.append(line)
    if caption:
        shown.append(Text(caption, style="dim"))
    return shown


def quality_tables(q: Quality, width: int | None = None) -> list[Any]:
    """Headline scores, then the dimensions, then the moments of truth worst first; on a narrow
    terminal (`width` under :data:`NARROW`), fewer columns and a block per moment of truth."""
    shown: list[Any] = []
    title = Text(q.model, style="bold")
    title.append(f"  {q.respondents} respondent{'s' if q.respondents != 1 else ''}, scale "
                 f"{q.scale[0]:g}–{q.scale[1]:g}", style="")
    shown.append(title)
    head = [f"SERVQUAL {significant(q.servqual.unweighted, signed=True)}"
            if q.servqual.unweighted is not None else "SERVQUAL –"]
    if q.servqual.weighted is not None:
        head.append(f"weighted {significant(q.servqual.weighted, signed=True)}")
    if q.nps is not None:
        head.append(f"NPS {q.nps.score:+.0f} ({q.nps.ci95[0]:+.0f} to {q.nps.ci95[1]:+.0f}, "
                    f"n {q.nps.n})")
    if q.csat is not None:
        head.append(f"CSAT {q.csat.score:.0f}% ({q.csat.ci95[0]:.0f}–{q.csat.ci95[1]:.0f}%, n {q.csat.n})")
    missing = q.missing.get("expectation", 0) + q.missing.get("perception", 0)
    if missing:
        head.append(f"{missing} blank expectation{'s' if missing != 1 else ''} or perception"
                    f"{'s' if missing != 1 else ''}")
    shown.append(Text("; ".join(head)))
    dims = _table("Dimensions", "gap = perception − expectation, ±half-width of its paired 95% "
                                "interval; zone: perception against the zone of tolerance")
    narrow = _narrow(width)
    columns = ("dimension", "gap", "zone") if narrow else (
        "dimension", "expected", "perceived", "gap", "weight", "zone")
    for column in columns:
        dims.add_column(column, justify="left" if column in ("dimension", "zone") else "right",
                        no_wrap=True)
    for d, dq in q.dimensions.items():
        cells = {"dimension": d, "expected": estimate_text(dq.expectation, signed=False),
                 "perceived": estimate_text(dq.perception, signed=False), "gap": estimate_text(dq.gap),
                 "weight": "–" if dq.weight is None else f"{dq.weight:.0%}", "zone": dq.zone or "–"}
        dims.add_row(*literal(*(cells[c] for c in columns)))
    shown.append(dims)
    if narrow:
        shown += _blocks("Moments of truth, worst first", [
            (q.touchpoints[w.step].name,
             f"gap {estimate_text(w.gap)}{' *' if w.significant else ''}\n"
             f"{q.touchpoints[w.step].quadrant or '–'}")
            for w in q.worst], "* significantly below expectation")
        return shown
    moments = _table("Moments of truth, worst first",
                     "* the whole interval is below zero (significantly below expectation); imp.: "
                     "importance (mean expectation), perf.: performance (mean perception)")
    moments.add_column("moment of truth", overflow="fold", ratio=3, min_width=16)
    moments.add_column("gap", justify="right", no_wrap=True)
    moments.add_column("imp.", justify="right", no_wrap=True)
    moments.add_column("perf.", justify="right", no_wrap=True)
    moments.add_column("quadrant", no_wrap=True)
    for w in q.worst:
        t = q.touchpoints[w.step]
        moments.add_row(*literal(t.name, estimate_text(t.gap) + (" *" if w.significant else "  "),
                                 "–" if t.importance is None else f"{t.importance:.2f}",
                                 "–" if t.performance is None else f"{t.performance:.2f}",
                                 t.quadrant or "–"))
    shown.append(moments)
    if q.mapped:
        shown.append(Text("counted under the five dimensions: " + ", ".join(
            f"{tag} → {dim}" for tag, dim in q.mapped.items())))
    return shown


def quality_csv(q: Quality) -> str:
    """A figure a line: ``table,row,figure,mean,low,high,unit``."""
    rows: list[tuple[Any, ...]] = []

    def add(table: str, row: str, figure: str, e: Estimate | None, unit: str = "points") -> None:
        if e is not None:
            low, high = e.ci95 if e.ci95 is not None else (None, None)
            rows.append((table, row, figure, e.mean, low, high, unit))

    for d, dq in q.dimensions.items():
        add("dimension", d, "expectation", dq.expectation)
        add("dimension", d, "perception", dq.perception)
        add("dimension", d, "gap", dq.gap)
        if dq.weight is not None:
            rows.append(("dimension", d, "weight", dq.weight, None, None, "share"))
    for sid, t in q.touchpoints.items():
        add("touchpoint", sid, "gap", t.gap)
        for d, td in t.dimensions.items():
            add("touchpoint", sid, f"gap:{d}", td.gap)
        if t.importance is not None:
            rows.append(("touchpoint", sid, "importance", t.importance, None, None, "points"))
        if t.performance is not None:
            rows.append(("touchpoint", sid, "performance", t.performance, None, None, "points"))
    for key in ("unweighted", "weighted"):
        value = getattr(q.servqual, key)
        if value is not None:
            ci = getattr(q.servqual, f"{key}_ci95") or (None, None)
            rows.append(("servqual", "", key, value, *ci, "points"))
    if q.nps is not None:
        rows.append(("nps", "", "score", q.nps.score, *q.nps.ci95, "points"))
    if q.csat is not None:
        rows.append(("csat", "", "score", q.csat.score, *q.csat.ci95, "%"))
    return csv_text(CSV_HEADER, rows)


def gaps_tables(g: FiveGaps, width: int | None = None) -> list[Any]:
    """Each gap with its evidence, in the order a consultant tells it (5, then 1 to 4); on a
    narrow terminal, a block of lines per step."""
    unit = g.time_unit
    if _narrow(width):
        return _narrow_gaps(g)
    shown: list[Any] = [Text(f"{g.model}: the five gaps", style="bold")]
    if g.gap5 is not None:
        score = g.gap5.servqual.unweighted
        worst = ", ".join(f"{w.name} {estimate_text(w.gap)}" for w in g.gap5.worst[:3])
        shown.append(Text(f"gap 5, perceived quality: SERVQUAL "
                          f"{'–' if score is None else significant(score, signed=True)}"
                          + (f"; worst: {worst}" if worst else "")))
    if g.gap1 is not None:
        table = _table("Gap 1, knowledge: what managers think customers expect",
                       "gap = managers − customers (Welch 95% interval); below 0: they underrate it")
        for column in ("dimension", "managers", "customers", "gap"):
            table.add_column(column, justify="left" if column == "dimension" else "right", no_wrap=True)
        for d, k in g.gap1.dimensions.items():
            table.add_row(*literal(d, estimate_text(k.management, signed=False),
                                   estimate_text(k.customers, signed=False), estimate_text(k.gap)))
        shown.append(table)
    standards = _table("Gap 2, standards: moments of truth",
                       f"standard: how long the step should take; tolerance: the wait customers "
                       f"accept ({unit})")
    standards.add_column("moment of truth", overflow="fold", ratio=1)
    standards.add_column("std", justify="right", no_wrap=True)
    standards.add_column("tol.", justify="right", no_wrap=True)
    standards.add_column("finding", overflow="fold", ratio=2)
    for f in g.gap2.touchpoints:
        standards.add_row(*literal(f.name, "–" if f.standard is None else f"{f.standard:g}",
                                   "–" if f.tolerance is None else f"{f.tolerance:g}",
                                   "; ".join(f.findings) or "set"))
    shown.append(standards)
    if g.gap3 is not None and g.gap3.steps:
        delivery = _table("Gap 3, delivery: simulated share beyond standard and tolerance",
                          f"over {g.gap3.replications} simulated days, ±half-width of the 95% interval")
        delivery.add_column("step", overflow="fold", ratio=1)
        delivery.add_column("service > standard", justify="right", no_wrap=True)
        delivery.add_column("wait > tolerance", justify="right", no_wrap=True)
        for step in g.gap3.steps:
            delivery.add_row(*literal(step.name, _share(step.beyond_standard),
                                      _share(step.beyond_tolerance)))
        shown.append(delivery)
    if g.gap4 is not None and g.gap4.promises:
        promises = _table("Gap 4, communication: promises against simulated delivery")
        promises.add_column("promise", overflow="fold", ratio=1)
        promises.add_column("promised", justify="right", no_wrap=True)
        promises.add_column("delivered", justify="right", no_wrap=True)
        promises.add_column("verdict", no_wrap=True)
        for p in g.gap4.promises:
            promises.add_row(*literal(f"{p.name}: {p.says}" if p.says else p.name,
                                      f"{p.share:.0%} ≤ {p.within:g} {unit}", _share(p.delivered),
                                      p.verdict))
        shown.append(promises)
    shown += [Text(f"note: {n}") for n in g.notes]
    return shown


def _narrow_gaps(g: FiveGaps) -> list[Any]:
    unit = g.time_unit
    shown: list[Any] = [Text(f"{g.model}: the five gaps", style="bold")]
    if g.gap5 is not None and g.gap5.servqual.unweighted is not None:
        shown.append(Text(f"gap 5, perceived quality: SERVQUAL "
                          f"{significant(g.gap5.servqual.unweighted, signed=True)}"))
    if g.gap1 is not None:
        shown += _blocks("Gap 1, knowledge (managers − customers)",
                         [(d, f"gap {estimate_text(k.gap)}") for d, k in g.gap1.dimensions.items()])
    shown += _blocks("Gap 2, standards", [
        (f.name, f"standard {'–' if f.standard is None else f'{f.standard:g}'}, tolerance "
                 f"{'–' if f.tolerance is None else f'{f.tolerance:g}'} {unit}: "
                 + ("; ".join(f.findings) or "set")) for f in g.gap2.touchpoints])
    if g.gap3 is not None and g.gap3.steps:
        shown += _blocks("Gap 3, delivery (simulated)", [
            (s.name, f"service > standard {_share(s.beyond_standard)}\n"
                     f"wait > tolerance {_share(s.beyond_tolerance)}") for s in g.gap3.steps])
    if g.gap4 is not None and g.gap4.promises:
        shown += _blocks("Gap 4, communication", [
            (p.name + (f": {p.says}" if p.says else ""),
             f"promised {p.share:.0%} ≤ {p.within:g} {unit}\ndelivered {_share(p.delivered)}\n"
             f"{p.verdict}") for p in g.gap4.promises])
    shown += [Text(f"note: {n}") for n in g.notes]
    return shown


def gaps_csv(g: FiveGaps) -> str:
    """A figure a line: ``table,row,figure,mean,low,high,unit``."""
    rows: list[tuple[Any, ...]] = []
    if g.gap1 is not None:
        for d, k in g.gap1.dimensions.items():
            rows.append(("gap1", d, "gap", k.gap.mean, *(k.gap.ci95 or (None, None)), "points"))
    for f in g.gap2.touchpoints:
        rows.append(("gap2", f.step, "findings", len(f.findings), None, None, "count"))
    for step in g.gap3.steps if g.gap3 else []:
        for key in ("beyond_standard", "beyond_tolerance"):
            s = getattr(step, key)
            if s is not None:
                rows.append(("gap3", step.step, key, s.mean, *s.ci95, "share"))
    for p in g.gap4.promises if g.gap4 else []:
        rows.append(("gap4", p.step, "promised", p.share, None, None, "share"))
        if p.delivered is not None:
            rows.append(("gap4", p.step, "delivered", p.delivered.mean, *p.delivered.ci95, "share"))
    if g.gap5 is not None:
        for d, e in g.gap5.dimensions.items():
            if e is not None:
                rows.append(("gap5", d, "gap", e.mean, *(e.ci95 or (None, None)), "points"))
    return csv_text(CSV_HEADER, rows)
