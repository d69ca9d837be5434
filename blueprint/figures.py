"""How figures are written, wherever they are shown: terminal, report, drawing.

A figure printed in two places must read the same in both, so every table
formats through these few functions: money to the cent with thousands
separated (``7,929.00``, ``€7,929.00`` or ``7,929.00 CNY`` where the model
gives a ``currency``), other numbers to three significant figures but
never in exponent notation (``0.652``, ``57.4``, ``12,963``), shares as
percentages (``82.4%``), counts as whole numbers (a mean of counts to one
decimal: ``235.6``, ``399,568``), durations in the unit they read best in
(``1.06 s``, ``16.4 min``).

A mean over replications goes with the half-width of its 95% interval, and
the two are written alike (``half_width=``): the half-width to two
significant figures, the mean to the same decimal places — never more than
its own precision allows — and each carrying its unit:
``10.4 min ±0.5 min``, ``20.5 ±4.2``, ``7.9% ±1.5%``, ``€9,424.00 ±€362.25``.
"""

from __future__ import annotations

import math
import unicodedata

__all__ = ["MONEY", "SECONDS", "column_unit", "count", "duration", "duration_unit", "interval", "money",
           "per_unit", "percent", "points", "significant", "uncertainty"]

MONEY = frozenset({"revenue", "lost_revenue", "staff_cost", "material_cost", "profit",
                   "cost_per_served", "idle_cost", "clv", "clv_lost"})
"""The figures that are amounts of money (written to the cent)."""


def money(value: float, *, signed: bool = False, currency: str | None = None,
          half_width: float | None = None) -> str:
    """An amount to the cent, in the model's currency if it gives one.

    >>> money(7929), money(-12.5, currency="€"), money(7929, currency="EUR"), money(30, currency="元")
    ('7,929.00', '-€12.50', '7,929.00 EUR', '30.00 元')

    A currency that ends in a currency sign (€, £, $, US$, ¥) stands before the
    amount; a code or a word (EUR, CNY, 元) after it. A half-width is money too:

    >>> money(9424, half_width=362.25, currency="€"), money(9424, half_width=362.25, currency="EUR")
    ('€9,424.00 ±€362.25', '9,424.00 EUR ±362.25 EUR')
    """
    if half_width is not None and _spread(half_width):
        return (f"{money(value, signed=signed, currency=currency)} "
                f"±{money(abs(half_width), currency=currency)}")
    if currency is None:
        return f"{value:{'+' if signed else ''},.2f}"
    sign = "-" if value < 0 else ("+" if signed else "")
    amount = f"{abs(value):,.2f}"
    if unicodedata.category(currency[-1]) == "Sc":
        return f"{sign}{currency}{amount}"
    return f"{sign}{amount} {currency}"


def significant(value: float, *, signed: bool = False, half_width: float | None = None,
                precision: float | None = None) -> str:
    """Three significant figures, whole numbers from 100 up, never an exponent.

    >>> significant(0.65234), significant(57.43), significant(12963.2), significant(0.00002)
    ('0.652', '57.4', '12,963', '0.0')

    With the half-width of its interval, the mean is written to the half-width's
    precision (two significant figures), never finer than its own three:

    >>> significant(16.02, half_width=0.99), significant(0.00344, half_width=0.0025)
    ('16.0 ±1.0', '0.0034 ±0.0025')

    ``precision``: a half-width that sets the precision, not written (a change
    whose interval is shown elsewhere): ``significant(-0.205, precision=0.09)`` is
    ``'-0.21'``.
    """
    if half_width is not None and _spread(half_width):
        return _with_spread(value, half_width, most=4, signed=signed)
    if precision is not None and _spread(precision):
        return _to_places(value, _decimals(value, precision, most=4), signed)
    sign = "+" if signed else ""
    if abs(value) >= 100:
        return f"{value:{sign},.0f}"
    if value != 0 and abs(value) < 0.001:
        return f"{value:{sign}.2g}" if abs(value) >= 1e-4 else f"{0.0:{sign}.1f}"
    return f"{value:{sign}.3g}"


def count(value: float, *, signed: bool = False, half_width: float | None = None,
          precision: float | None = None) -> str:
    """A count: whole when it is whole; a mean of counts to one decimal below 100, whole
    from 100 up — never ``399,568.0``.

    >>> count(399568.0), count(8.0), count(20.54), count(256.1), count(0.0)
    ('399,568', '8', '20.5', '256', '0')
    >>> count(235.6, half_width=9.1), count(256.1, half_width=12.4), count(6.4, half_width=1.83)
    ('236 ±9', '256 ±12', '6.4 ±1.8')
    """
    if half_width is not None and _spread(half_width):
        return _with_spread(value, half_width, most=1, signed=signed)
    if precision is not None and _spread(precision):
        return _to_places(value, _decimals(value, precision, most=1), signed)
    sign = "+" if signed else ""
    whole = float(value).is_integer() or abs(value) >= 100
    return f"{value:{sign},.{0 if whole else 1}f}"


def percent(share: float, *, signed: bool = False, half_width: float | None = None) -> str:
    """A share as a percentage with one decimal: 0.8243 -> '82.4%'; with a half-width,
    '7.9% ±1.5%'."""
    text = f"{share:{'+' if signed else ''}.1%}"
    if half_width is not None and _spread(half_width):
        return f"{text} ±{abs(half_width):.1%}"
    return text


def interval(low: str, high: str) -> str:
    """A 95% interval from its two ends as written: a unit written after a number (a
    currency code, a time unit) is said once, at the end; one written before it (€), at both.

    >>> interval("9,061.75 EUR", "9,786.25 EUR"), interval("€12.00", "€15.50")
    ('9,061.75 – 9,786.25 EUR', '€12.00 – €15.50')
    >>> interval("1.2 min", "3.4 min"), interval("7.1%", "8.2%")
    ('1.2 – 3.4 min', '7.1% – 8.2%')
    """
    low_number, _, low_unit = low.partition(" ")
    high_number, _, high_unit = high.partition(" ")
    if low_unit and low_unit == high_unit:
        return f"{low_number} – {high_number} {low_unit}"
    return f"{low} – {high}"


def _spread(half_width: float) -> bool:
    """Whether an interval has a width worth writing (not one every replication agreed on)."""
    return math.isfinite(half_width) and abs(half_width) > 1e-12


def _places(number: float, figures: int) -> int:
    """Decimal places that give `number` this many significant figures (0 from there up)."""
    number = abs(number)
    return 0 if number == 0 else max(0, figures - 1 - math.floor(math.log10(number)))


def _decimals(value: float, half_width: float, *, most: int) -> int:
    """Decimal places for a mean with this half-width: the half-width's two significant
    figures, no finer than the mean's three significant figures nor than `most`."""
    half = float(f"{abs(half_width):.2g}")  # 0.996 is 1.0: one place, not two
    places = _places(half, 2)
    if value != 0:
        places = min(places, _places(value, 3))
    return min(places, most)


def _to_places(value: float, places: int, signed: bool = False) -> str:
    if round(value, places) == 0:  # never '-0.0'
        value = 0.0
    return f"{value:{'+' if signed else ''},.{places}f}"


def _with_spread(value: float, half_width: float, *, most: int, signed: bool = False,
                 unit: str = "") -> str:
    """'mean ±half-width' to the places :func:`_decimals` gives, each with its `unit`."""
    places = _decimals(value, half_width, most=most)
    suffix = f" {unit}" if unit else ""
    return f"{_to_places(value, places, signed)}{suffix} ±{abs(half_width):,.{places}f}{suffix}"


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
DURATION_UNITS = SECONDS | {"days": 86400.0}


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


def duration(value: float, time_unit: str, *, unit: str | None = None, signed: bool = False,
             half_width: float | None = None) -> str:
    """A duration in the model's `time_unit`, written in the unit it reads best in, to three
    significant figures: (0.000295, "h") -> '1.06 s', (150, "min") -> '2.5 h'.

    >>> duration(0.000295, "h"), duration(16.4, "min"), duration(150, "min"), duration(60, "h")
    ('1.06 s', '16.4 min', '2.5 h', '2.5 days')

    ``unit`` forces one (a column of figures reads best in one unit). A half-width
    is written in the mean's unit, to its own precision:

    >>> duration(0.000295, "h", half_width=5.4e-06), duration(10.43, "min", half_width=0.47)
    ('1.06 s ±0.02 s', '10.4 min ±0.5 min')
    """
    seconds = value * SECONDS[time_unit]
    name = unit or duration_unit(seconds)[0]
    size = DURATION_UNITS[name]
    if half_width is not None and _spread(half_width):
        return _with_spread(seconds / size, half_width * SECONDS[time_unit] / size, most=4,
                            signed=signed, unit=name)
    return f"{significant(seconds / size, signed=signed)} {name}"


def per_unit(time_unit: str, unit: str) -> float:
    """How many `unit` make one `time_unit`: per_unit("min", "s") is 60.0."""
    return SECONDS[time_unit] / DURATION_UNITS[unit]


def column_unit(values: list[float | None], time_unit: str) -> str:
    """The one unit a column of durations (in `time_unit`) reads best in: its largest's.

    >>> column_unit([0.43, 1.57, None], "min"), column_unit([0.2, 0.8], "min")
    ('min', 's')
    """
    largest = max((abs(v) for v in values if v is not None), default=0.0)
    return duration_unit(largest * SECONDS[time_unit])[0]
