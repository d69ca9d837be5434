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

__all__ = ["MONEY", "money", "percent", "significant", "uncertainty"]

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
