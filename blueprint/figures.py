"""How figures are written, wherever they are shown: terminal, report, drawing.

A figure printed in two places must read the same in both, so every table
formats through these few functions: money to the cent with thousands
separated (``7,929.00``, ``€7,929.00`` or ``7,929.00 CNY`` where the model
gives a ``currency``), other numbers to three significant figures but
never in exponent notation (``0.652``, ``57.4``, ``12,963``), shares as
percentages (``82.4%``).
"""

from __future__ import annotations

import unicodedata

__all__ = ["MONEY", "SECONDS", "duration", "duration_unit", "money", "percent", "points", "significant",
           "uncertainty"]

MONEY = frozenset({"revenue", "lost_revenue", "staff_cost", "material_cost", "profit",
                   "cost_per_served", "idle_cost"})
"""The figures that are amounts of money (written to the cent)."""


def money(value: float, *, signed: bool = False, currency: str | None = None) -> str:
    """An amount to the cent, in the model's currency if it gives one.

    >>> money(7929), money(-12.5, currency="€"), money(7929, currency="EUR"), money(30, currency="元")
    ('7,929.00', '-€12.50', '7,929.00 EUR', '30.00 元')

    A currency that ends in a currency sign (€, £, $, US$, ¥) stands before the
    amount; a code or a word (EUR, CNY, 元) after it.
    """
    if currency is None:
        return f"{value:{'+' if signed else ''},.2f}"
    sign = "-" if value < 0 else ("+" if signed else "")
    amount = f"{abs(value):,.2f}"
    if unicodedata.category(currency[-1]) == "Sc":
        return f"{sign}{currency}{amount}"
    return f"{sign}{amount} {currency}"


def significant(value: float, *, signed: bool = False) -> str:
    """Three significant figures, whole numbers from 100 up, never an exponent."""
    sign = "+" if signed else ""
    if abs(value) >= 100:
        return f"{value:{sign},.0f}"
    if value != 0 and abs(value) < 0.001:
        return f"{value:{sign}.2g}" if abs(value) >= 1e-4 else f"{0.0:{sign}.1f}"
    return f"{value:{sign}.3g}"


def percent(share: float, *, signed: bool = False) -> str:
    """A share as a percentage with one decimal: 0.8243 -> '82.4%'."""
    return f"{share:{'+' if signed else ''}.1%}"


def uncertainty(half_width: float) -> str:
    """A ± half-width: two significant figures are all an interval can claim (0.093, 4.2, 12)."""
    if half_width >= 10:
        return f"{half_width:,.0f}"
    if half_width < 1e-4:
        return "0"
    return f"{half_width:.2g}"


def points(change: float, *, signed: bool = True) -> str:
    """A change in a share, in percentage points: -0.016 -> '-1.6 pp' (not '-1.6%', which
    would be a relative change)."""
    return f"{change * 100:{'+' if signed else ''}.1f} pp"


SECONDS = {"s": 1.0, "min": 60.0, "h": 3600.0}


def duration_unit(seconds: float) -> tuple[str, float]:
    """The unit a duration of this many seconds reads best in, and that unit in seconds:
    seconds under a minute, minutes under two hours, hours under two days, then days."""
    seconds = abs(seconds)
    if seconds < 60:
        return "s", 1.0
    if seconds < 2 * 3600:
        return "min", 60.0
    if seconds < 2 * 86400:
        return "h", 3600.0
    return "days", 86400.0


def duration(value: float, time_unit: str, *, unit: str | None = None) -> str:
    """A duration in the model's `time_unit`, written in the unit it reads best in, to three
    significant figures: (0.000295, "h") -> '1.06 s', (150, "min") -> '2.5 h'.

    >>> duration(0.000295, "h"), duration(16.4, "min"), duration(150, "min"), duration(60, "h")
    ('1.06 s', '16.4 min', '2.5 h', '2.5 days')

    ``unit`` forces one (a column of figures reads best in one unit).
    """
    seconds = value * SECONDS[time_unit]
    name, size = (unit, (SECONDS | {"days": 86400.0})[unit]) if unit else duration_unit(seconds)
    return f"{significant(seconds / size)} {name}"
