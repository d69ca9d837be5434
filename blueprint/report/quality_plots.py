"""The customer's verdict in pictures: gaps by dimension, importance–performance, the five gaps.

The gap chart and the importance–performance grid are matplotlib SVG, drawn
like the report's other charts (:mod:`blueprint.report.plots`), with the
figures they draw kept beside them as JSON. The five-gap diagram is the
figure of Parasuraman, Zeithaml & Berry (1985) — the customer's expected and
perceived service above the line, the firm's four links below — written as
SVG by hand, each gap marked by what the evidence says of it.
"""

from __future__ import annotations

import textwrap
from html import escape
from typing import Any

import matplotlib.pyplot as plt

from blueprint.report.plots import INK, MUTED, WIDTH, Chart, _svg, chart_fonts
from blueprint.results.quality import FiveGaps, Quality

__all__ = ["GAP_STATES", "five_gap_diagram", "gap_chart", "gap_states", "ip_chart"]

BELOW, ABOVE, EVEN = "#c62828", "#1b64b5", "#7b8794"
GAP_STATES = {"open": "#c62828", "watch": "#e08a00", "closed": "#2a7d46", "unknown": "#9aa5b1"}
"""How a gap is marked: the evidence shows it (open), shows it may be (watch), shows none
(closed), or there is no evidence to tell (unknown)."""
TOO_LONG = 0.10  # a step where more than this share waits past its tolerance opens gap 3
SLOW = 0.25      # ... and one where more than this share of services runs past its standard is watched


def gap_chart(quality: Quality) -> Chart:
    """The gap on each dimension with its 95% interval: red where significantly below zero."""
    dims = [d for d, q in quality.dimensions.items() if q.gap is not None]
    gaps = [quality.dimensions[d].gap for d in dims]
    means = [g.mean for g in gaps if g]
    lows = [g.ci95[0] if g and g.ci95 else g.mean if g else 0.0 for g in gaps]
    highs = [g.ci95[1] if g and g.ci95 else g.mean if g else 0.0 for g in gaps]
    colours = [BELOW if h < 0 else ABOVE if lo > 0 else EVEN for lo, h in zip(lows, highs, strict=True)]
    figure, axis = plt.subplots(figsize=(WIDTH, 0.9 + 0.45 * max(len(dims), 1)))
    labels = [f"{d} (weight {quality.dimensions[d].weight:.0%})" if quality.dimensions[d].weight
              else d for d in dims]
    axis.barh(range(len(dims)), means, color=colours, alpha=0.85, height=0.55,
              xerr=[[m - lo for m, lo in zip(means, lows, strict=True)],
                    [h - m for m, h in zip(means, highs, strict=True)]],
              error_kw={"ecolor": INK, "elinewidth": 0.9, "capsize": 3})
    axis.axvline(0, color=INK, linewidth=0.9)
    axis.set_yticks(range(len(dims)), labels)
    axis.invert_yaxis()
    span = max([abs(v) for v in (*lows, *highs)] + [0.5]) * 1.15
    axis.set_xlim(-span, span)
    axis.set_xlabel(f"gap: perception − expectation (points on the {quality.scale[0]:g}–"
                    f"{quality.scale[1]:g} scale)")
    axis.set_title("The customers' gap by SERVQUAL dimension (bar: mean over respondents; "
                   "whiskers: paired 95% interval)", fontsize=9)
    return Chart(_svg(figure), {"dimensions": dims, "gap": [round(m, 6) for m in means],
                                "low": [round(v, 6) for v in lows], "high": [round(v, 6) for v in highs],
                                "weight": [quality.dimensions[d].weight for d in dims]})


def _short(name: str, width: int = 22) -> str:
    return textwrap.shorten(name, width * 2, placeholder="…") if len(name) > width * 2 else name


def ip_chart(quality: Quality) -> Chart:
    """Martilla & James's grid: each moment of truth by importance (mean expectation) and
    performance (mean perception), cut at the grand means, every point named."""
    points = [(sid, t) for sid, t in quality.touchpoints.items()
              if t.importance is not None and t.performance is not None]
    figure, axis = plt.subplots(figsize=(WIDTH, 5.6))
    xs = [float(t.performance or 0.0) for _, t in points]
    ys = [float(t.importance or 0.0) for _, t in points]
    cross_i, cross_p = quality.crosshairs.importance, quality.crosshairs.performance
    colours = {"concentrate here": BELOW, "keep up the good work": "#2a7d46",
               "low priority": EVEN, "possible overkill": ABOVE}
    axis.scatter(xs, ys, s=46, c=[colours.get(t.quadrant or "", EVEN) for _, t in points], zorder=3,
                 edgecolors="white", linewidths=0.8)
    if xs and ys and cross_i is not None and cross_p is not None:
        pad_x = max(0.25, (max(xs) - min(xs)) * 0.18)
        pad_y = max(0.25, (max(ys) - min(ys)) * 0.18)
        left, right = min(xs) - pad_x, max(xs) + pad_x
        bottom, top = min(ys) - pad_y, max(ys) + pad_y
        axis.set_xlim(left, right)
        axis.set_ylim(bottom, top)
        axis.axvline(cross_p, color=MUTED, linewidth=0.9, linestyle="--")
        axis.axhline(cross_i, color=MUTED, linewidth=0.9, linestyle="--")
        for text, x, y, ha, va in (("Concentrate here", left, top, "left", "top"),
                                   ("Keep up the good work", right, top, "right", "top"),
                                   ("Low priority", left, bottom, "left", "bottom"),
                                   ("Possible overkill", right, bottom, "right", "bottom")):
            axis.text(x + (0.02 if ha == "left" else -0.02) * (right - left),
                      y + (-0.02 if va == "top" else 0.02) * (top - bottom), text, ha=ha, va=va,
                      fontsize=9, fontweight="bold", color=MUTED, alpha=0.9)
        _name_points(axis, figure, [t.name for _, t in points], xs, ys)
    axis.set_xlabel("performance: mean perception")
    axis.set_ylabel("importance: mean expectation")
    axis.set_title("Importance against performance at each moment of truth (Martilla & James; "
                   "dashed: the means over the moments of truth)", fontsize=9)
    return Chart(_svg(figure), {
        "steps": [sid for sid, _ in points], "names": [t.name for _, t in points],
        "importance": [round(v, 6) for v in ys], "performance": [round(v, 6) for v in xs],
        "quadrant": [t.quadrant for _, t in points],
        "crosshairs": {"importance": cross_i, "performance": cross_p}})


_OFFSETS = ((6, 4), (6, -6), (-6, 4), (-6, -6), (6, 14), (6, -16), (-6, 14), (-6, -16),
            (6, 24), (6, -26), (-6, 24), (-6, -26))
"""Where a point's name may go, in points from the point: right, left, above, below, further."""


def _name_points(axis: Any, figure: Any, names: list[str], xs: list[float], ys: list[float]) -> None:
    """Name every point where its label overlaps no other label and no point, if it can.

    Each label tries the offsets of :data:`_OFFSETS` in turn and takes the first whose
    box (measured after drawing) is clear; a crowded one takes the least crowded place.
    """
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    dots = [axis.transData.transform((x, y)) for x, y in zip(xs, ys, strict=True)]
    taken: list[Any] = []
    frame = axis.get_window_extent(renderer)
    for name, x, y in zip(names, xs, ys, strict=True):
        best, best_cost = None, None
        for dx, dy in _OFFSETS:
            label = axis.annotate(textwrap.fill(_short(name), 24), (x, y), xytext=(dx, dy),
                                  textcoords="offset points", fontsize=7.5, color=INK,
                                  ha="left" if dx >= 0 else "right", va="bottom" if dy >= 0 else "top")
            box = label.get_window_extent(renderer).expanded(1.15, 1.5)  # the browser's font may differ
            cost = sum(box.overlaps(other) for other in taken) * 10
            cost += sum(box.contains(px, py) for px, py in dots)
            cost += 0 if frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1) else 5
            if best_cost is None or cost < best_cost:
                if best is not None:
                    best.remove()
                best, best_cost = label, cost
            else:
                label.remove()
            if cost == 0:
                break
        if best is not None:
            taken.append(best.get_window_extent(renderer).expanded(1.15, 1.5))


def gap_states(gaps: FiveGaps) -> dict[str, dict[str, str]]:
    """Each gap's state (``open``, ``watch``, ``closed``, ``unknown``) and a one-line reason."""
    states: dict[str, dict[str, str]] = {}
    if gaps.gap1 is None:
        states["gap1"] = {"state": "unknown", "why": "no management questionnaire"}
    else:
        off = [d for d, k in gaps.gap1.dimensions.items() if k.gap.significant]
        states["gap1"] = ({"state": "open", "why": "managers misjudge " + ", ".join(off)} if off else
                          {"state": "closed", "why": "managers' predictions match customers'"})
    missing = gaps.gap2.no_standard
    loose = [f.name for f in gaps.gap2.touchpoints if any("looser" in x for x in f.findings)]
    if missing or loose:
        parts = []
        if missing:
            neither = len(gaps.gap2.without_standard)
            parts.append(f"{len(missing)} of {len(gaps.gap2.touchpoints)} moments of truth without an "
                         "execution standard" + (f", {neither} without a tolerance either"
                                                 if neither else ""))
        if loose:
            parts.append(f"{len(loose)} with a standard looser than customers'")
        states["gap2"] = {"state": "open", "why": "; ".join(parts)}
    else:
        states["gap2"] = {"state": "closed", "why": "every moment of truth has its standards"}
    if gaps.gap3 is None:
        states["gap3"] = {"state": "unknown", "why": "no simulation"}
    else:
        over = [(d.beyond_tolerance.mean, d.name) for d in gaps.gap3.steps
                if d.beyond_tolerance is not None and d.beyond_tolerance.mean > TOO_LONG]
        slow = [(d.beyond_standard.mean, d.name) for d in gaps.gap3.steps
                if d.beyond_standard is not None and d.beyond_standard.mean > SLOW]
        if over:
            share, name = max(over)
            states["gap3"] = {"state": "open", "why": f"{share:.0%} wait past tolerance at {name}"}
        elif slow:
            share, name = max(slow)
            states["gap3"] = {"state": "watch", "why": f"{share:.0%} of services at {name} take "
                                                       "longer than its standard"}
        else:
            states["gap3"] = {"state": "closed",
                              "why": f"at most {TOO_LONG:.0%} wait past tolerance, and at most "
                                     f"{SLOW:.0%} of services run past their standard"}
    if gaps.gap4 is None or not gaps.gap4.promises:
        states["gap4"] = {"state": "unknown", "why": "no simulation" if gaps.gap4 is None else
                          "no step makes a promise"}
    else:
        broken = [p for p in gaps.gap4.promises if p.verdict == "broken"]
        close = [p for p in gaps.gap4.promises if p.verdict == "too close to call"]
        total = len(gaps.gap4.promises)
        states["gap4"] = ({"state": "open", "why": f"{len(broken)} of {total} promises broken"} if broken
                          else {"state": "watch", "why": f"{len(close)} of {total} promises too close "
                                                         "to call"} if close
                          else {"state": "closed", "why": f"all {total} promises kept"})
    if gaps.gap5 is None:
        states["gap5"] = {"state": "unknown", "why": "no customer survey"}
    else:
        score = gaps.gap5.servqual.unweighted
        ci = gaps.gap5.servqual.unweighted_ci95
        below = score is not None and ci is not None and ci[1] < 0
        signed = f"{score:+.2f}".replace("-", "−")
        states["gap5"] = ({"state": "open", "why": f"SERVQUAL {signed}: below expectation"} if below
                          else {"state": "closed", "why": "perceptions meet expectations"})
    return states


def _box(x: float, y: float, w: float, h: float, text: str, fill: str) -> str:
    lines = textwrap.wrap(text, max(10, int(w / 7.2)))
    tspans = "".join(
        f'<tspan x="{x + w / 2:.0f}" dy="{0 if i == 0 else 16}">{escape(line)}</tspan>'
        for i, line in enumerate(lines))
    top = y + h / 2 - (len(lines) - 1) * 8 + 5
    return (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="7" fill="{fill}" stroke="#8a97a6"/>'
            f'<text x="{x + w / 2:.0f}" y="{top:.0f}" text-anchor="middle" font-size="13" '
            f'fill="{INK}">{tspans}</text>')


def _marker(x: float, y: float, number: int, state: dict[str, str], label_x: float, anchor: str,
            label_y: float | None = None) -> str:
    """A gap's numbered disc in its state's colour, its reason beside it (or under it)."""
    colour = GAP_STATES[state["state"]]
    why = textwrap.wrap(state["why"], {"middle": 40, "end": 22}.get(anchor, 34))
    top = label_y if label_y is not None else y - 4 - 7 * (len(why) - 1)
    lines = "".join(f'<tspan x="{label_x:.0f}" dy="{0 if i == 0 else 14}">{escape(t)}</tspan>'
                    for i, t in enumerate(why))
    return (f'<g class="gap gap-{state["state"]}" id="gap-{number}">'
            f'<circle cx="{x}" cy="{y}" r="15" fill="{colour}"/>'
            f'<text x="{x}" y="{y + 5}" text-anchor="middle" font-size="14" font-weight="700" '
            f'fill="#fff">{number}</text>'
            f'<text x="{label_x:.0f}" y="{top:.0f}" text-anchor="{anchor}" '
            f'font-size="12" fill="{colour}" font-weight="600">{lines}</text></g>')


def five_gap_diagram(gaps: FiveGaps) -> Chart:
    """The five-gap figure as SVG, each gap coloured by its state, with its reason beside it."""
    states = gap_states(gaps)
    firm, cust = "#eef3f8", "#fdf6ec"
    bx, bw, px, gx = 300, 250, 700, 200  # the boxes' column, the promises' box, gap 1's line
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 610" role="img" '
        'aria-label="The five gaps of service quality" font-family="inherit">',
        f'<text x="12" y="24" font-size="12" fill="{MUTED}" font-weight="700">CUSTOMER</text>',
        f'<line x1="0" y1="212" x2="960" y2="212" stroke="{MUTED}" stroke-dasharray="6 5"/>',
        f'<text x="12" y="234" font-size="12" fill="{MUTED}" font-weight="700">THE FIRM</text>',
        _box(bx, 30, bw, 52, "Expected service", cust),
        _box(bx, 140, bw, 52, "Perceived service", cust),
        _box(bx, 250, bw, 52, "Service delivery (the simulated day)", firm),
        _box(px, 250, 230, 52, "What the firm promises customers", firm),
        _box(bx, 380, bw, 52, "Service standards (the blueprint)", firm),
        _box(bx, 510, bw, 60, "Management's view of what customers expect", firm),
    ]
    arrow = f'stroke="{MUTED}" stroke-width="1.4" fill="none" marker-end="url(#head)"'
    parts.insert(1, '<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                    'markerHeight="7" orient="auto">'
                    f'<path d="M0,0L10,5L0,10z" fill="{MUTED}"/></marker></defs>')
    parts += [
        f'<path d="M{bx + bw / 2},250 L{bx + bw / 2},194" {arrow}/>',
        f'<path d="M{bx + bw / 2},380 L{bx + bw / 2},304" {arrow}/>',
        f'<path d="M{bx + bw / 2},510 L{bx + bw / 2},434" {arrow}/>',
        f'<path d="M{px + 115},250 L{px + 115},60 L{bx + bw + 2},56" {arrow}/>',
        f'<path d="M{bx},540 L{gx},540 L{gx},56 L{bx - 2},56" stroke="{GAP_STATES[states["gap1"]["state"]]}" '
        'stroke-width="1.6" fill="none" stroke-dasharray="5 4"/>',
        f'<path d="M{bx + bw},276 L{px - 2},276" stroke="{MUTED}" stroke-width="1.4" '
        'stroke-dasharray="4 4"/>',
    ]
    parts += [
        _marker(bx + bw / 2 + 40, 111, 5, states["gap5"], bx + bw / 2 + 64, "start"),
        _marker((bx + bw + px) / 2, 276, 4, states["gap4"], (bx + bw + px) / 2, "middle", label_y=232),
        _marker(bx + bw / 2 + 40, 342, 3, states["gap3"], bx + bw / 2 + 64, "start"),
        _marker(bx + bw / 2 + 40, 472, 2, states["gap2"], bx + bw / 2 + 64, "start"),
        _marker(gx, 300, 1, states["gap1"], gx - 22, "end"),
    ]
    parts.append("</svg>")
    svg = "".join(parts)
    return Chart(svg, {name: dict(state) for name, state in states.items()})


def quality_charts(quality: Quality | None, gaps: FiveGaps) -> dict[str, Any]:
    """The quality page's charts by name (the survey's only with a survey)."""
    made: dict[str, Any] = {"five_gaps": five_gap_diagram(gaps)}
    if quality is not None:
        with chart_fonts([t.name for t in quality.touchpoints.values()]):
            made["gap_dimensions"] = gap_chart(quality)
            made["importance_performance"] = ip_chart(quality)
    return made
