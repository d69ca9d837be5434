"""Independent arithmetic and file writers for the SERVQUAL acceptance tests.

Nothing here calls blueprint: the expected figures of ``test_quality_acceptance`` are
computed from the survey rows with plain Python, ``statistics`` and ``scipy.stats``, following
the definitions of the spec (the respondent is the unit; Student t over respondents; NPS's
normal interval; CSAT's Wilson interval with z = 1.96).
"""

from __future__ import annotations

import math
import os
import re
import statistics
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scipy import stats

BLUEPRINT = str(Path(sys.executable).with_name("blueprint"))
Z95 = 1.96

DIAGNOSTIC_LINE = re.compile(
    r"^(?P<file>.+?):(?P<row>\d+):(?P<col>\d+): (?P<code>[a-z][a-z-]*): (?P<msg>.+)$")

# The spec's mapping, written out again here (not imported): the ten originals and Chinese names.
FIVE = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
TAG_TO_FIVE: dict[str, str] = {
    **{d: d for d in FIVE},
    "competence": "assurance", "courtesy": "assurance", "credibility": "assurance",
    "security": "assurance", "access": "empathy", "communication": "empathy",
    "understanding": "empathy", "understanding_the_customer": "empathy",
    "有形性": "tangibles", "可靠性": "reliability", "响应性": "responsiveness",
    "反应性": "responsiveness", "保证性": "assurance", "移情性": "empathy", "关怀性": "empathy",
    "能力": "assurance", "礼貌": "assurance", "可信性": "assurance", "安全性": "assurance",
    "可接近性": "empathy", "沟通": "empathy", "了解顾客": "empathy",
}


@dataclass(frozen=True)
class Row:
    """One survey answer: blank answers are None; `dimension` is already one of the five."""

    respondent: str
    step: str
    dimension: str
    expectation: float | None
    perception: float | None
    adequate: float | None = None

    @property
    def gap(self) -> float | None:
        if self.expectation is None or self.perception is None:
            return None
        return self.perception - self.expectation


def rows_of(table: Iterable[Sequence[object]]) -> list[Row]:
    return [Row(*line) for line in table]  # type: ignore[arg-type]


# --- the respondent as the unit --------------------------------------------------------------

def per_respondent(rows: Iterable[Row], select: Callable[[Row], bool],
                   value: Callable[[Row], float | None]) -> dict[str, float]:
    """Each respondent's mean of `value` over their selected rows where it is present."""
    seen: dict[str, list[float]] = {}
    for row in rows:
        if select(row):
            v = value(row)
            if v is not None:
                seen.setdefault(row.respondent, []).append(float(v))
    return {who: statistics.fmean(values) for who, values in seen.items()}


def t_interval(values: Sequence[float]) -> tuple[float, list[float] | None, int]:
    """(mean, [low, high] by Student t at 97.5% with n-1 degrees of freedom, n); n = 1: no interval."""
    n = len(values)
    mean = statistics.fmean(values)
    if n < 2:
        return mean, None, n
    half = stats.t.ppf(0.975, n - 1) * statistics.stdev(values) / math.sqrt(n)
    return mean, [mean - half, mean + half], n


def centred_interval(score: float, values: Sequence[float]) -> list[float]:
    """Student t half-width from `values`, centred on `score` (the SERVQUAL composites)."""
    half = stats.t.ppf(0.975, len(values) - 1) * statistics.stdev(values) / math.sqrt(len(values))
    return [score - half, score + half]


def wilson_percent(successes: int, n: int, z: float = Z95) -> list[float]:
    """Wilson score interval for a proportion, in percent."""
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return [100 * (centre - half), 100 * (centre + half)]


def nps_of(answers: Sequence[int]) -> dict[str, object]:
    n = len(answers)
    promoters = sum(1 for a in answers if a >= 9)
    detractors = sum(1 for a in answers if a <= 6)
    p, d = promoters / n, detractors / n
    score = 100 * (p - d)
    half = Z95 * 100 * math.sqrt((p + d - (p - d) ** 2) / n)
    return {"score": score, "ci95": [score - half, score + half], "n": n, "promoters": promoters,
            "detractors": detractors, "passives": n - promoters - detractors}


def quadrant(importance: float, performance: float, cross_i: float, cross_p: float) -> str:
    if importance >= cross_i:
        return "concentrate here" if performance < cross_p else "keep up the good work"
    return "low priority" if performance < cross_p else "possible overkill"


# --- files -----------------------------------------------------------------------------------

def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def write_csv(path: Path, header: Sequence[str], table: Iterable[Sequence[object]], *,
              bom: bool = False) -> Path:
    lines = [",".join(header), *(",".join(cell(v) for v in line) for line in table)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig" if bom else "utf-8")
    return path


def write_lines(path: Path, lines: Sequence[str]) -> Path:
    """A CSV written line by line, so a test can say which line holds what (header = line 1)."""
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- the command line ------------------------------------------------------------------------

def run(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run([BLUEPRINT, *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120, check=False)


def diagnostic_lines(stderr: str) -> list[tuple[str, int, int, str, str]]:
    """(file, row, column, code, message) of every stderr line; fails on any other line."""
    found = []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        match = DIAGNOSTIC_LINE.match(line)
        assert match, f"not a FILE:ROW:COL: code: message line: {line!r}"
        found.append((match["file"], int(match["row"]), int(match["col"]), match["code"], match["msg"]))
    return found
