"""Colours and fonts of a drawing.

`colour` is for screens and slides; `print` is greyscale, for a photocopier
and for readers who cannot tell red from green: every mark also differs in
shape or line style, never in colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["THEMES", "Theme", "mix", "text_on", "theme"]


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    zone_fill: dict[str, str]
    step_fill: dict[str, str]
    step_border: str
    text: str
    muted: str
    lane_rule: str
    line_colour: str
    evidence_fill: str
    evidence_border: str
    flow: str
    touchpoint: str
    fork: str
    fail: str
    wait: str
    link: str
    phase_fill: str
    font: str = "Helvetica,Arial,sans-serif"
    # an overlay's fills: a mean wait within, near or beyond the step's tolerance, and the
    # neutral scale's two ends for steps without one (no wait .. the longest such wait)
    within: str = "#9fd8a4"
    near: str = "#ffc65c"
    beyond: str = "#e0453a"
    neutral_low: str = "#f1f4f7"
    neutral_high: str = "#8797ab"
    # a survey overlay's diverging fills, from a gap at or past the saturation below
    # expectation, through no gap (the middle stop), to one at or past it above (RdBu-like)
    gap_scale: tuple[str, ...] = ("#b2182b", "#e0785e", "#f7c8b0", "#f7f7f7", "#bcdaea",
                                  "#5fa2cd", "#2166ac")


THEMES: dict[str, Theme] = {
    "colour": Theme(
        name="colour",
        background="#ffffff",
        zone_fill={"customer": "#eef5fc", "frontstage": "#edf7ee", "backstage": "#fdf6e7",
                   "support": "#f2f0f7"},
        step_fill={"customer": "#cfe3f7", "frontstage": "#cdebd0", "backstage": "#fbe3b4",
                   "support": "#ddd8ec"},
        step_border="#3b4a5a",
        text="#1d2733",
        muted="#5d6b7a",
        lane_rule="#c9d1da",
        line_colour="#44505c",
        evidence_fill="#fffdf5",
        evidence_border="#a89f85",
        flow="#3b4a5a",
        touchpoint="#1b64b5",
        fork="#6a3d9a",
        fail="#c62828",
        wait="#e08a00",
        link="#7b8794",
        phase_fill="#e6ebf1",
    ),
    "print": Theme(
        name="print",
        background="#ffffff",
        zone_fill={"customer": "#f7f7f7", "frontstage": "#ffffff", "backstage": "#f7f7f7",
                   "support": "#ffffff"},
        step_fill={"customer": "#e8e8e8", "frontstage": "#ffffff", "backstage": "#f0f0f0",
                   "support": "#dcdcdc"},
        step_border="#000000",
        text="#000000",
        muted="#444444",
        lane_rule="#bbbbbb",
        line_colour="#000000",
        evidence_fill="#ffffff",
        evidence_border="#555555",
        flow="#222222",
        touchpoint="#000000",
        fork="#000000",
        fail="#000000",
        wait="#555555",
        link="#777777",
        phase_fill="#eeeeee",
        within="#ffffff",
        near="#bdbdbd",
        beyond="#5a5a5a",
        neutral_low="#f4f4f4",
        neutral_high="#8c8c8c",
        # greys cannot tell above from below: only a gap below expectation is shaded (darker
        # is further below); the badge's sign and its ▼ / ▲ say the rest
        gap_scale=("#5a5a5a", "#9a9a9a", "#d4d4d4", "#ffffff", "#ffffff", "#ffffff", "#ffffff"),
    ),
}
THEMES["greyscale"] = THEMES["print"]


def text_on(colour: str) -> str:
    """Black or white, whichever reads better on `colour`."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.45 else "#ffffff"


def mix(low: str, high: str, fraction: float) -> str:
    """The colour `fraction` (0..1) of the way from `low` to `high`."""
    f = min(max(fraction, 0.0), 1.0)
    a = [int(low[i:i + 2], 16) for i in (1, 3, 5)]
    b = [int(high[i:i + 2], 16) for i in (1, 3, 5)]
    return "#{:02x}{:02x}{:02x}".format(*(round(x + (y - x) * f) for x, y in zip(a, b, strict=True)))


def theme(name: str) -> Theme:
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}") from None
