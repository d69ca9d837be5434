"""Colours and fonts of a drawing.

`colour` is for screens and slides; `print` is greyscale, for a photocopier
and for readers who cannot tell red from green: every mark also differs in
shape or line style, never in colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["THEMES", "Theme", "theme"]


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
    ),
}
THEMES["greyscale"] = THEMES["print"]


def theme(name: str) -> Theme:
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}") from None
