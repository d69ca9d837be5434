"""How survey files are read beyond the basics: the 22 items row by row, a filled-in
questionnaire, other columns, duplicates of rows that are wrong anyway, and gap 1's interval."""

from __future__ import annotations

import csv
import math
import statistics

import pytest
from scipy import stats

import blueprint
from blueprint.analysis.gaps import welch
from blueprint.cli import main
from blueprint.diagnostics import ModelError

MODEL = """
blueprint: 1
name: Counter
time_unit: min
horizon: {open: "09:00", close: "10:00"}
resources: {clerk: {capacity: 1}}
demand: {arrivals_per_hour: 10}
steps:
  - {id: counter, zone: frontstage, resource: clerk, duration: 3, dimensions: [reliability]}
"""


def _bp():
    return blueprint.loads(MODEL, "counter.yaml")


def test_the_22_items_may_come_one_row_each_without_an_item_column(tmp_path):
    """DESIGN's layout, an empty step per model-wide item: four tangibles rows for one
    respondent are four items, and the respondent's gap is their mean."""
    path = tmp_path / "answers.csv"
    rows = ["respondent,step,dimension,expectation,perception"]
    rows += [f"r1,,tangibles,7,{p}" for p in (7, 6, 5, 6)]      # gaps 0, -1, -2, -1: mean -1
    rows += [f"r2,,tangibles,6,{p}" for p in (6, 6, 6, 4)]      # gaps 0, 0, 0, -2: mean -0.5
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    gap = _bp().quality(survey=path).dimensions["tangibles"].gap
    assert gap.n == 2 and gap.mean == pytest.approx((-1 - 0.5) / 2)
    half = stats.t.ppf(0.975, 1) * statistics.stdev([-1, -0.5]) / math.sqrt(2)
    assert gap.ci95 == pytest.approx([-0.75 - half, -0.75 + half])


def test_a_filled_in_questionnaire_reads_back(tmp_path):
    assert main(["survey", str(_write(tmp_path / "m.yaml", MODEL)), "-o", str(tmp_path / "q.csv")]) == 0
    with (tmp_path / "q.csv").open(encoding="utf-8", newline="") as handle:
        questions = list(csv.DictReader(handle))
    with (tmp_path / "filled.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*questions[0], "respondent", "expectation", "perception",
                                         "submitted_at"])
        writer.writeheader()
        for who, p in (("a", 5), ("b", 6)):
            for q in questions:
                writer.writerow({**q, "respondent": who, "expectation": 7, "perception": p,
                                 "submitted_at": "2026-12-06T10:00"})
    quality = blueprint.load(tmp_path / "m.yaml").quality(survey=tmp_path / "filled.csv")
    assert quality.dimensions["reliability"].gap.mean == pytest.approx((-2 - 1) / 2)


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_misspelt_column_is_an_error_and_other_columns_are_passed_over(tmp_path):
    path = _write(tmp_path / "a.csv", "respondent,step,dimension,expectation,perception,adequte,note\n"
                                      "r1,counter,reliability,7,5,4,fine\n")
    with pytest.raises(ModelError) as caught:
        _bp().quality(survey=path)
    assert [(d.line, d.column, d.code) for d in caught.value.diagnostics] == [(1, 6, "bad-header")]
    assert "did you mean 'adequate'" in caught.value.diagnostics[0].message


def test_a_repeated_answer_is_said_even_where_the_first_is_wrong_too(tmp_path):
    path = _write(tmp_path / "a.csv", "respondent,step,dimension,expectation,perception\n"
                                      "r1,counter,reliability,9,5\n"
                                      "r1,counter,reliability,7,5\n")
    with pytest.raises(ModelError) as caught:
        _bp().quality(survey=path)
    assert [(d.line, d.code) for d in caught.value.diagnostics] == [(2, "out-of-scale"),
                                                                      (3, "duplicate-answer")]
    people = _write(tmp_path / "p.csv", "respondent,recommend\nr1,11\nr1,9\n")
    ok = _write(tmp_path / "ok.csv", "respondent,step,dimension,expectation,perception\n"
                                     "r1,counter,reliability,7,5\n")
    with pytest.raises(ModelError) as caught:
        _bp().quality(survey=ok, respondents=people)
    assert [(d.line, d.code) for d in caught.value.diagnostics] == [(2, "out-of-scale"),
                                                                      (3, "duplicate-respondent")]


def test_gap_1_uses_welchs_interval_with_its_fractional_degrees_of_freedom():
    a, b = [6.0, 7.0, 5.0], [5.0, 5.5, 6.0, 4.0, 5.0]
    va, vb = statistics.variance(a) / 3, statistics.variance(b) / 5
    df = (va + vb) ** 2 / (va ** 2 / 2 + vb ** 2 / 4)
    assert df != int(df)
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    found = welch(a, b)
    assert found.mean == pytest.approx(6 - 5.1)
    assert found.ci95 == pytest.approx([0.9 - half, 0.9 + half], rel=1e-9)


def test_managers_without_customers_leave_gap_1_empty_and_say_why(tmp_path):
    managers = _write(tmp_path / "m.csv", "respondent,step,dimension,expectation\nm1,counter,reliability,6\n")
    gaps = _bp().gaps(management=managers, replications=2)
    assert gaps.gap1 is None and any("gap 1" in n and "--survey" in n for n in gaps.notes)


def test_each_dimension_says_whether_its_gap_is_significant_and_nps_gives_its_shares(tmp_path):
    rows = ["respondent,step,dimension,expectation,perception"]
    rows += [f"r{k},counter,reliability,7,{5 + k % 2}" for k in range(8)]   # gaps -2, -1: below 0
    answers = _write(tmp_path / "a.csv", "\n".join(rows) + "\n")
    people = _write(tmp_path / "p.csv", "respondent,recommend\n" + "".join(
        f"r{k},{s}\n" for k, s in enumerate((10, 9, 9, 8, 7, 6, 3, 10))))
    quality = _bp().quality(survey=answers, respondents=people)
    assert quality.dimensions["reliability"].significant is True
    assert quality.touchpoints["counter"].significant is True
    assert (quality.nps.promoter_share, quality.nps.detractor_share) == (4 / 8, 2 / 8)
