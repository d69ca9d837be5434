"""How fast a survey is read and analysed: blueprint beside a pandas script, side by side.

A survey of the bank's moments of truth is generated at a size a large
programme collects (default 20,000 respondents x 21 rows = 420,000 answers).
``read_survey`` + ``assess`` — every cell checked and located, gaps by
dimension and by touchpoint with paired intervals, importance-performance,
SERVQUAL, NPS, CSAT — is timed beside ``peers/pandas_servqual.py``, which
only computes the gaps by dimension and step, checking nothing. The two take
turns; the ratio printed is the median of the turns' ratios. Nothing is
asserted.

    .venv/bin/python benchmarks/bench_quality.py [--respondents 20000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks" / "peers"))

from pandas_servqual import gaps  # noqa: E402

import blueprint  # noqa: E402
from blueprint.analysis.quality import assess  # noqa: E402
from blueprint.survey import moments_of_truth, read_survey  # noqa: E402


def write_survey(folder: Path, respondents: int) -> tuple[Path, Path]:
    """A bank survey: every respondent on every moment of truth and its dimensions."""
    model = blueprint.load(ROOT / "models" / "bank_branch.yaml").model
    rng = random.Random(7)
    answers, people = folder / "answers.csv", folder / "people.csv"
    with answers.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "step", "dimension", "expectation", "perception"])
        for r in range(respondents):
            for step in moments_of_truth(model):
                for dim in step.servqual or ["reliability"]:
                    e = min(7, max(1, round(rng.gauss(6, 0.8))))
                    writer.writerow([f"r{r}", step.id, dim, e, min(7, max(1, round(rng.gauss(5.4, 1))))])
    with people.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "recommend", "satisfaction"])
        writer.writerows([f"r{r}", rng.randint(0, 10), rng.randint(1, 5)] for r in range(respondents))
    return answers, people


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--respondents", type=int, default=20000)
    options.add_argument("--repeats", type=int, default=3)
    args = options.parse_args()
    bank = blueprint.load(ROOT / "models" / "bank_branch.yaml").model
    with tempfile.TemporaryDirectory() as folder:
        answers, people = write_survey(Path(folder), args.respondents)
        rows = sum(1 for _ in answers.open(encoding="utf-8")) - 1
        ours, theirs, ratios = [], [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            assess(bank, read_survey(bank, answers, people))
            mine = time.perf_counter() - start
            start = time.perf_counter()
            gaps(str(answers))
            peer = time.perf_counter() - start
            ours.append(mine)
            theirs.append(peer)
            ratios.append(mine / peer)
    print(f"survey of {args.respondents:,} respondents, {rows:,} answers (bank_branch)")
    print(f"  blueprint read_survey + assess   {statistics.median(ours):7.2f} s")
    print(f"  pandas gaps script (no checks)   {statistics.median(theirs):7.2f} s")
    print(f"  ratio blueprint / pandas         {statistics.median(ratios):7.2f}")


if __name__ == "__main__":
    main()
