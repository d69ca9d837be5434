"""What an analyst writes by hand for SERVQUAL gaps: pandas, the respondent as the unit.

Reads the long responses CSV, takes each respondent's mean gap per dimension
and per step, and the mean over respondents with a Student-t 95% interval.
Prints nothing: the benchmark times it.

    python benchmarks/peers/pandas_servqual.py RESPONSES.csv
"""

from __future__ import annotations

import sys

import pandas as pd
from scipy import stats


def gaps(path: str) -> dict[str, pd.DataFrame]:
    answers = pd.read_csv(path, dtype={"respondent": str, "step": str, "dimension": str})
    answers["gap"] = answers["perception"] - answers["expectation"]
    out = {}
    for key in ("dimension", "step"):
        own = answers.dropna(subset=["gap"]).groupby([key, "respondent"])["gap"].mean()
        by = own.groupby(level=0).agg(["mean", "std", "count"])
        half = stats.t.ppf(0.975, by["count"] - 1) * by["std"] / by["count"] ** 0.5
        by["low"], by["high"] = by["mean"] - half, by["mean"] + half
        out[key] = by
    return out


if __name__ == "__main__":
    gaps(sys.argv[1])
