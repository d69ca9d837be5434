"""Acceptance tests for issue 12, the customer's verdict: surveys, SERVQUAL and the five gaps.

Written from the spec (/work/notes/quality_spec.md and DESIGN §8), independently of the code:
every expected figure is computed here by hand (the arithmetic is written out in comments and
literals) and cross-checked with the independent formulas of ``tests/survey_builders.py``
(plain Python, ``statistics``, ``scipy.stats``) — never with blueprint's own functions.
"""

from __future__ import annotations

import csv
import json
import math
import statistics
from pathlib import Path

import numpy as np
import pytest
import yaml
from pytest import approx
from scipy import stats

import blueprint
from blueprint.diagnostics import ModelError
from tests.survey_builders import (
    FIVE,
    TAG_TO_FIVE,
    Row,
    centred_interval,
    diagnostic_lines,
    nps_of,
    per_respondent,
    quadrant,
    rows_of,
    run,
    t_interval,
    wilson_percent,
    write_csv,
    write_lines,
)

ROOT = Path(__file__).resolve().parent.parent
REL = 1e-9
ABS = 1e-12
HEADER = ("respondent", "step", "dimension", "expectation", "perception")
RESPONDENTS_HEADER = ("respondent", "weight_tangibles", "weight_reliability", "weight_responsiveness",
                      "weight_assurance", "weight_empathy", "recommend", "satisfaction")

# A counter and a till are the moments of truth; the paperwork (backstage) and the ledger
# (support) are not.
COUNTER_MODEL = """\
blueprint: 1
name: Survey test office
time_unit: min
horizon: {open: "09:00", close: "10:00"}
resources:
  clerk: {capacity: 2}
  till: {capacity: 20}
demand: {arrivals_per_hour: 20}
steps:
  - id: counter
    zone: frontstage
    name: Serve at the counter
    resource: clerk
    duration: {dist: exponential, mean: 2.5}
    standard: 3
    tolerance: 5
    dimensions: [reliability, responsiveness]
  - id: prepare
    zone: backstage
    name: Prepare the paperwork
    duration: 1
  - id: ledger
    zone: support
    name: Post to the ledger
    duration: 0.2
  - id: pay
    zone: frontstage
    name: Pay at the till
    resource: till
    duration: 1
    dimensions: [reliability, assurance]
    next: end
"""

# Five respondents; an empty step is a model-wide item. r4 left a perception blank, r5 an
# expectation; r3 answered a decimal (5.5).
RESPONSES = rows_of([
    ("r1", "counter", "reliability", 7, 5),
    ("r1", "counter", "responsiveness", 6, 4),
    ("r1", "pay", "reliability", 6, 6),
    ("r1", "pay", "assurance", 5, 6),
    ("r1", "", "tangibles", 5, 6),
    ("r1", "", "empathy", 6, 5),
    ("r2", "counter", "reliability", 7, 6),
    ("r2", "counter", "responsiveness", 7, 3),
    ("r2", "pay", "reliability", 5, 5),
    ("r2", "pay", "assurance", 6, 5),
    ("r2", "", "tangibles", 4, 5),
    ("r2", "", "empathy", 7, 6),
    ("r3", "counter", "reliability", 6, 3),
    ("r3", "counter", "responsiveness", 5, 5),
    ("r3", "pay", "reliability", 7, 4),
    ("r3", "pay", "assurance", 6, 6),
    ("r3", "", "tangibles", 5.5, 4),
    ("r3", "", "empathy", 5, 5),
    ("r4", "counter", "reliability", 7, 7),
    ("r4", "counter", "responsiveness", 6, 5),
    ("r4", "pay", "reliability", 6, None),
    ("r4", "pay", "assurance", 7, 5),
    ("r4", "", "tangibles", 6, 6),
    ("r4", "", "empathy", 6, 4),
    ("r5", "counter", "reliability", 5, 4),
    ("r5", "counter", "responsiveness", 7, 4),
    ("r5", "pay", "reliability", 6, 5),
    ("r5", "pay", "assurance", None, 6),
    ("r5", "", "tangibles", 3, 5),
    ("r5", "", "empathy", 7, 7),
])

RESPONDENTS = [
    ("r1", 20, 30, 20, 15, 15, 10, 5),
    ("r2", 10, 40, 30, 10, 10, 9, 4),
    ("r3", 25, 25, 25, 10, 15, 8, 3),
    ("r4", None, None, None, None, None, 6, 2),   # no weights
    ("r5", 15, 35, 25, 15, 10, None, 4),          # no recommendation
]

# --- the hand arithmetic ---------------------------------------------------------------------
# Each respondent's gap per dimension: the mean of perception - expectation over their rows
# with that dimension where both are present (r1..r5 in order).
GAPS = {
    # r1 6-5, r2 5-4, r3 4-5.5, r4 6-6, r5 5-3
    "tangibles": [1, 1, -1.5, 0, 2],
    # r1 (-2 + 0)/2, r2 (-1 + 0)/2, r3 (-3 - 3)/2, r4 (0)/1 (pay row has no perception), r5 (-1 - 1)/2
    "reliability": [-1, -0.5, -3, 0, -1],
    # r1 4-6, r2 3-7, r3 5-5, r4 5-6, r5 4-7
    "responsiveness": [-2, -4, 0, -1, -3],
    # r1 6-5, r2 5-6, r3 6-6, r4 5-7; r5 left the expectation blank: no gap
    "assurance": [1, -1, 0, -2],
    # r1 5-6, r2 6-7, r3 5-5, r4 4-6, r5 7-7
    "empathy": [-1, -1, 0, -2, 0],
}
GAP_MEANS = {  # the sums over respondents, divided by n
    "tangibles": 2.5 / 5,            # = 0.5
    "reliability": -5.5 / 5,         # = -1.1 (while 5.2 - 6.2 = -1.0: the gap is paired)
    "responsiveness": -10 / 5,       # = -2
    "assurance": -2 / 4,             # = -0.5
    "empathy": -4 / 5,               # = -0.8
}
EXPECTATIONS = {  # each respondent's mean expectation on the dimension
    "tangibles": [5, 4, 5.5, 6, 3],                 # 23.5 / 5 = 4.7
    "reliability": [6.5, 6, 6.5, 6.5, 5.5],         # 31 / 5 = 6.2 (r4's pay expectation counts)
    "responsiveness": [6, 7, 5, 6, 7],              # 6.2
    "assurance": [5, 6, 6, 7],                      # 24 / 4 = 6
    "empathy": [6, 7, 5, 6, 7],                     # 6.2
}
PERCEPTIONS = {
    "tangibles": [6, 5, 4, 6, 5],                   # 26 / 5 = 5.2
    "reliability": [5.5, 5.5, 3.5, 7, 4.5],         # 26 / 5 = 5.2
    "responsiveness": [4, 3, 5, 5, 4],              # 21 / 5 = 4.2
    "assurance": [6, 5, 6, 5, 6],                   # 28 / 5 = 5.6 (r5's perception counts)
    "empathy": [5, 6, 5, 4, 7],                     # 27 / 5 = 5.4
}
TOUCHPOINT_GAPS = {
    # r1 (-2-2)/2, r2 (-1-4)/2, r3 (-3+0)/2, r4 (0-1)/2, r5 (-1-3)/2 -> -8.5/5 = -1.7
    "counter": [-2, -2.5, -1.5, -0.5, -2],
    # r1 (0+1)/2, r2 (0-1)/2, r3 (-3+0)/2, r4 -2 (assurance only), r5 -1 (reliability only) -> -0.9
    "pay": [0.5, -0.5, -1.5, -2, -1],
}
TOUCHPOINT_DIMENSION_GAPS = {
    ("counter", "reliability"): [-2, -1, -3, 0, -1],     # -7/5 = -1.4
    ("counter", "responsiveness"): [-2, -4, 0, -1, -3],  # -2
    ("pay", "reliability"): [0, 0, -3, -1],              # -4/4 = -1 (r4 incomplete)
    ("pay", "assurance"): [1, -1, 0, -2],                # -2/4 = -0.5 (r5 incomplete)
}
IMPORTANCE = {"counter": [6.5, 7, 5.5, 6.5, 6], "pay": [5.5, 5.5, 6.5, 6.5, 6]}   # 6.3 and 6.0
PERFORMANCE = {"counter": [4.5, 4.5, 4, 6, 4], "pay": [6, 5, 5, 5, 5.5]}         # 4.6 and 5.3
CROSSHAIRS = ((6.3 + 6.0) / 2, (4.6 + 5.3) / 2)                                   # 6.15, 4.95
QUADRANTS = {"counter": "concentrate here",   # 6.3 >= 6.15 and 4.6 < 4.95
             "pay": "possible overkill"}      # 6.0 < 6.15 and 5.3 >= 4.95

# Points over r1, r2, r3, r5 (r4 gave none): tangibles (20+10+25+15)/4 = 17.5,
# reliability (30+40+25+35)/4 = 32.5, responsiveness (20+30+25+25)/4 = 25,
# assurance (15+10+10+15)/4 = 12.5, empathy (15+10+15+10)/4 = 12.5; they sum to 100.
WEIGHTS = {"tangibles": 0.175, "reliability": 0.325, "responsiveness": 0.25, "assurance": 0.125,
           "empathy": 0.125}
UNWEIGHTED = (0.5 - 1.1 - 2 - 0.5 - 0.8) / 5                                 # = -0.78
WEIGHTED = 0.175 * 0.5 + 0.325 * -1.1 + 0.25 * -2 + 0.125 * -0.5 + 0.125 * -0.8  # = -0.9325
# Composites of the respondents complete on all five dimensions (r1..r4; r5 has no assurance):
UNWEIGHTED_COMPOSITES = [
    (1 - 1 - 2 + 1 - 1) / 5,       # r1 -0.4
    (1 - 0.5 - 4 - 1 - 1) / 5,     # r2 -1.1
    (-1.5 - 3 + 0 + 0 + 0) / 5,    # r3 -0.9
    (0 + 0 - 1 - 2 - 2) / 5,       # r4 -1.0
]
WEIGHTED_COMPOSITES = [
    0.175 * 1 + 0.325 * -1 + 0.25 * -2 + 0.125 * 1 + 0.125 * -1,       # r1 -0.65
    0.175 * 1 + 0.325 * -0.5 + 0.25 * -4 + 0.125 * -1 + 0.125 * -1,   # r2 -1.2375
    0.175 * -1.5 + 0.325 * -3 + 0.25 * 0 + 0.125 * 0 + 0.125 * 0,     # r3 -1.2375
    0.175 * 0 + 0.325 * 0 + 0.25 * -1 + 0.125 * -2 + 0.125 * -2,      # r4 -0.75
]
# NPS over r1..r4 (r5 blank): 10, 9 promoters; 8 passive; 6 detractor. p = 0.5, d = 0.25.
NPS_SCORE = 100 * (0.5 - 0.25)                                              # = 25
NPS_HALF = 1.96 * 100 * math.sqrt((0.5 + 0.25 - (0.5 - 0.25) ** 2) / 4)     # = 196·√0.171875
# CSAT: 5, 4, 3, 2, 4 -> three of five answered 4 or 5.
CSAT_SCORE = 100 * 3 / 5                                                    # = 60


def run_here(monkeypatch, capsys, folder: Path, *args: object) -> tuple[int, str]:
    """The command line in this process (faster than a new one): (exit status, stderr)."""
    from blueprint.cli import main

    monkeypatch.chdir(folder)
    capsys.readouterr()
    status = main([str(a) for a in args])
    return status, capsys.readouterr().err


def assert_stat(stat, mean, ci95, n) -> None:
    assert stat["mean"] == approx(mean, rel=REL, abs=ABS)
    assert stat["n"] == n
    if ci95 is None:
        assert stat["ci95"] is None
    else:
        assert stat["ci95"] == approx(ci95, rel=REL, abs=ABS)


def assert_t_stat(stat, values) -> None:
    mean, ci95, n = t_interval(values)
    assert_stat(stat, mean, ci95, n)


def as_data(record) -> dict:
    text = record.to_json()
    return json.loads(text) if isinstance(text, str | bytes) else text


def write_survey(folder: Path, rows: list[Row], respondents=None, *, model: str = COUNTER_MODEL,
                 header=HEADER) -> tuple[Path, Path, Path | None]:
    folder.mkdir(parents=True, exist_ok=True)
    model_path = folder / "model.yaml"
    model_path.write_text(model, encoding="utf-8")
    order = [HEADER.index(h) for h in header]
    table = [[(r.respondent, r.step, r.dimension, r.expectation, r.perception)[i] for i in order]
             for r in rows]
    survey = write_csv(folder / "responses.csv", header, table)
    people = write_csv(folder / "respondents.csv", RESPONDENTS_HEADER, respondents) if respondents else None
    return model_path, survey, people


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> tuple[Path, Path, Path]:
    model, survey, people = write_survey(tmp_path_factory.mktemp("office"), RESPONSES, RESPONDENTS)
    assert people is not None
    return model, survey, people


@pytest.fixture(scope="module")
def documents(office) -> dict[str, dict]:
    """The same survey's quality document by the facade, by read_survey + assess, and by the CLI."""
    from blueprint.analysis.quality import assess
    from blueprint.survey import read_survey

    model, survey, people = office
    bp = blueprint.load(model)
    facade = as_data(bp.quality(survey=survey, respondents=people, scale="1-7"))
    direct = as_data(assess(bp.model, read_survey(bp.model, survey, people, scale=(1, 7))))
    out = model.parent / "quality.json"
    done = run("quality", model, "--survey", survey, "--respondents", people, "--scale", "1-7",
               "--json", out, cwd=model.parent)
    assert done.returncode == 0, done.stderr
    return {"facade": facade, "assess": direct, "cli": json.loads(out.read_text(encoding="utf-8"))}


ROUTES = ("facade", "assess", "cli")


# --- 1. a survey built by hand ---------------------------------------------------------------

def test_the_hand_arithmetic_agrees_with_the_definitions():
    """Guards this file's literals: the written-out sums equal the definitions applied to the rows."""
    for dim in FIVE:
        assert list(per_respondent(RESPONSES, lambda r, d=dim: r.dimension == d,
                                   lambda r: r.gap).values()) == approx(GAPS[dim])
        assert list(per_respondent(RESPONSES, lambda r, d=dim: r.dimension == d,
                                   lambda r: r.expectation).values()) == approx(EXPECTATIONS[dim])
        assert list(per_respondent(RESPONSES, lambda r, d=dim: r.dimension == d,
                                   lambda r: r.perception).values()) == approx(PERCEPTIONS[dim])
        assert statistics.fmean(GAPS[dim]) == approx(GAP_MEANS[dim])
    for step, gaps in TOUCHPOINT_GAPS.items():
        assert list(per_respondent(RESPONSES, lambda r, s=step: r.step == s,
                                   lambda r: r.gap).values()) == approx(gaps)
    for (step, dim), gaps in TOUCHPOINT_DIMENSION_GAPS.items():
        assert list(per_respondent(RESPONSES, lambda r, s=step, d=dim: (r.step, r.dimension) == (s, d),
                                   lambda r: r.gap).values()) == approx(gaps)
    assert statistics.fmean(TOUCHPOINT_GAPS["counter"]) == approx(-1.7)
    assert statistics.fmean(TOUCHPOINT_GAPS["pay"]) == approx(-0.9)
    assert statistics.fmean(IMPORTANCE["counter"]) == approx(6.3)
    assert statistics.fmean(PERFORMANCE["pay"]) == approx(5.3)
    assert approx(-0.78) == UNWEIGHTED
    assert approx(-0.9325) == WEIGHTED
    assert approx([-0.65, -1.2375, -1.2375, -0.75]) == WEIGHTED_COMPOSITES
    assert sum(WEIGHTS.values()) == approx(1)
    assert approx(81.25730737, rel=1e-8) == NPS_HALF
    # the t quantiles used below, against a printed table (4 and 3 degrees of freedom)
    assert stats.t.ppf(0.975, 4) == approx(2.776445, abs=1e-6)
    assert stats.t.ppf(0.975, 3) == approx(3.182446, abs=1e-6)


@pytest.mark.parametrize("route", ROUTES)
def test_dimension_gaps_with_paired_student_t_intervals(documents, route):
    doc = documents[route]
    assert doc["respondents"] == 5
    assert doc["scale"] == [1, 7]
    assert set(doc["dimensions"]) == set(FIVE)
    for dim in FIVE:
        gap = doc["dimensions"][dim]["gap"]
        assert gap["mean"] == approx(GAP_MEANS[dim], rel=REL, abs=ABS)
        assert_t_stat(gap, GAPS[dim])
    # reliability spelt out: -1.1 ± t(0.975, 4)·s/√5, s² = (0.01+0.36+3.61+1.21+0.01)/4 = 1.3
    half = stats.t.ppf(0.975, 4) * math.sqrt(1.3) / math.sqrt(5)
    assert doc["dimensions"]["reliability"]["gap"]["ci95"] == approx([-1.1 - half, -1.1 + half], rel=REL)


@pytest.mark.parametrize("route", ROUTES)
def test_dimension_expectations_perceptions_and_missing_answers(documents, route):
    doc = documents[route]
    for dim in FIVE:
        assert_t_stat(doc["dimensions"][dim]["expectation"], EXPECTATIONS[dim])
        assert_t_stat(doc["dimensions"][dim]["perception"], PERCEPTIONS[dim])
    assert doc["dimensions"]["assurance"]["expectation"]["mean"] == approx(6.0, rel=REL)
    assert doc["dimensions"]["assurance"]["perception"]["mean"] == approx(5.6, rel=REL)
    # one blank expectation (r5, pay, assurance), one blank perception (r4, pay, reliability)
    assert doc["missing"] == {"expectation": 1, "perception": 1}


@pytest.mark.parametrize("route", ROUTES)
def test_touchpoint_gaps(documents, route):
    doc = documents[route]
    points = doc["touchpoints"]
    assert {"counter", "pay"} <= set(points)
    assert "prepare" not in points and "ledger" not in points
    assert points["counter"]["name"] == "Serve at the counter"
    for step, gaps in TOUCHPOINT_GAPS.items():
        assert_t_stat(points[step]["gap"], gaps)
    assert points["counter"]["gap"]["mean"] == approx(-1.7, rel=REL)
    assert points["pay"]["gap"]["mean"] == approx(-0.9, rel=REL)
    for (step, dim), gaps in TOUCHPOINT_DIMENSION_GAPS.items():
        assert_t_stat(points[step]["dimensions"][dim]["gap"], gaps)
    assert set(points["counter"]["dimensions"]) == {"reliability", "responsiveness"}
    assert set(points["pay"]["dimensions"]) == {"reliability", "assurance"}


@pytest.mark.parametrize("route", ROUTES)
def test_importance_performance_and_the_worst_moments(documents, route):
    doc = documents[route]
    points = doc["touchpoints"]
    for step in ("counter", "pay"):
        assert points[step]["importance"] == approx(statistics.fmean(IMPORTANCE[step]), rel=REL)
        assert points[step]["performance"] == approx(statistics.fmean(PERFORMANCE[step]), rel=REL)
        assert points[step]["quadrant"] == QUADRANTS[step]
        assert quadrant(statistics.fmean(IMPORTANCE[step]), statistics.fmean(PERFORMANCE[step]),
                        *CROSSHAIRS) == QUADRANTS[step]
    assert doc["crosshairs"]["importance"] == approx(6.15, rel=REL)
    assert doc["crosshairs"]["performance"] == approx(4.95, rel=REL)
    # counter: -1.7 with upper bound < 0; pay: -0.9 with an interval over 0
    counter_hi = t_interval(TOUCHPOINT_GAPS["counter"])[1][1]
    pay_hi = t_interval(TOUCHPOINT_GAPS["pay"])[1][1]
    assert counter_hi < 0 < pay_hi
    worst = doc["worst"]
    assert [w["step"] for w in worst] == ["counter", "pay"]
    assert worst[0]["name"] == "Serve at the counter"
    assert worst[0]["gap"]["mean"] == approx(-1.7, rel=REL)
    assert [w["significant"] for w in worst] == [True, False]


@pytest.mark.parametrize("route", ROUTES)
def test_servqual_scores_weighted_and_unweighted(documents, route):
    doc = documents[route]
    for dim in FIVE:
        assert doc["dimensions"][dim]["weight"] == approx(WEIGHTS[dim], rel=REL)
    servqual = doc["servqual"]
    assert servqual["unweighted"] == approx(-0.78, rel=REL)
    assert servqual["weighted"] == approx(-0.9325, rel=REL)
    assert servqual["unweighted_ci95"] == approx(centred_interval(UNWEIGHTED, UNWEIGHTED_COMPOSITES), rel=REL)
    assert servqual["weighted_ci95"] == approx(centred_interval(WEIGHTED, WEIGHTED_COMPOSITES), rel=REL)


@pytest.mark.parametrize("route", ROUTES)
def test_nps_with_its_interval(documents, route):
    nps = documents[route]["nps"]
    assert nps["score"] == approx(25.0, rel=REL)
    assert nps["ci95"] == approx([NPS_SCORE - NPS_HALF, NPS_SCORE + NPS_HALF], rel=REL)
    assert (nps["promoters"], nps["passives"], nps["detractors"], nps["n"]) == (2, 1, 1, 4)
    reference = nps_of([10, 9, 8, 6])
    assert nps["ci95"] == approx(reference.pop("ci95"), rel=REL)
    assert {k: nps[k] for k in reference} == approx(reference, rel=REL)


@pytest.mark.parametrize("route", ROUTES)
def test_csat_share_with_its_wilson_interval(documents, route):
    csat = documents[route]["csat"]
    assert csat["score"] == approx(CSAT_SCORE, rel=REL)
    assert csat["n"] == 5
    # Wilson, z = 1.96, p = 0.6, n = 5: centre (0.6 + 1.96²/10)/(1 + 1.96²/5),
    # half 1.96/(1 + 1.96²/5)·√(0.6·0.4/5 + 1.96²/100)
    z2 = 1.96 ** 2
    centre = (0.6 + z2 / 10) / (1 + z2 / 5)
    half = 1.96 / (1 + z2 / 5) * math.sqrt(0.6 * 0.4 / 5 + z2 / 100)
    assert csat["ci95"] == approx([100 * (centre - half), 100 * (centre + half)], rel=REL)
    assert csat["ci95"] == approx(wilson_percent(3, 5), rel=REL)


@pytest.mark.parametrize("route", ROUTES)
def test_zone_of_tolerance_from_the_interval_without_adequate(documents, route):
    doc = documents[route]
    for dim in FIVE:
        _, (low, high), _ = t_interval(GAPS[dim])
        expected = "below" if high < 0 else "above" if low > 0 else "inside"
        assert doc["dimensions"][dim]["zone"] == expected, dim
        assert "adequate" not in doc["dimensions"][dim] or doc["dimensions"][dim]["adequate"] is None
    assert doc["dimensions"]["responsiveness"]["zone"] == "below"   # -2 ± 1.96..., upper < 0
    assert doc["dimensions"]["reliability"]["zone"] == "inside"


@pytest.mark.parametrize("route", ROUTES)
def test_quality_json_has_the_section_8_keys(documents, route):
    doc = documents[route]
    assert {"model", "respondents", "scale", "missing", "dimensions", "touchpoints", "crosshairs",
            "servqual", "nps", "csat", "worst", "mapped"} <= set(doc)
    assert doc["model"] == "Survey test office"
    for dim in doc["dimensions"].values():
        assert {"expectation", "perception", "gap", "weight", "zone"} <= set(dim)
        for key in ("expectation", "perception", "gap"):
            assert set(dim[key]) == {"mean", "ci95", "n"}
    for point in doc["touchpoints"].values():
        assert {"name", "gap", "dimensions", "importance", "performance", "quadrant"} <= set(point)
        assert isinstance(point["importance"], float | int)
        assert isinstance(point["performance"], float | int)
        for dim in point["dimensions"].values():
            assert set(dim["gap"]) == {"mean", "ci95", "n"}
    assert set(doc["crosshairs"]) == {"importance", "performance"}
    assert set(doc["servqual"]) == {"unweighted", "weighted", "unweighted_ci95", "weighted_ci95"}
    assert {"score", "ci95", "promoters", "passives", "detractors", "n"} <= set(doc["nps"])
    assert set(doc["csat"]) == {"score", "ci95", "n"}
    for item in doc["worst"]:
        assert set(item) == {"step", "name", "gap", "significant"}
    assert isinstance(doc["mapped"], dict)


def test_the_three_routes_give_the_same_document(documents):
    assert documents["facade"] == documents["assess"] == documents["cli"]


def test_quality_in_python_has_a_short_repr_and_tables(office):
    model, survey, people = office
    quality = blueprint.load(model).quality(survey=survey, respondents=people)
    assert len(repr(quality)) < 2048
    assert "<" in quality._repr_html_()
    table = quality.to_pandas("dimensions").set_index("dimension")
    for dim in FIVE:
        assert table.at[dim, "gap"] == approx(GAP_MEANS[dim], rel=REL, abs=ABS)


def test_all_four_quadrants_and_a_tie_on_the_crosshairs(tmp_path):
    model = """\
blueprint: 1
name: Five desks
time_unit: min
horizon: {open: "09:00", close: "10:00"}
demand: {arrivals_per_hour: 10}
steps:
  - {id: a, zone: frontstage, name: Desk A, duration: 1}
  - {id: b, zone: frontstage, name: Desk B, duration: 1}
  - {id: c, zone: frontstage, name: Desk C, duration: 1}
  - {id: d, zone: frontstage, name: Desk D, duration: 1}
  - {id: e, zone: frontstage, name: Desk E, duration: 1, next: end}
"""
    rows = rows_of([
        ("r1", "a", "reliability", 7, 2), ("r2", "a", "reliability", 7, 4),   # importance 7, performance 3
        ("r1", "b", "reliability", 7, 6), ("r2", "b", "reliability", 7, 6),   # 7, 6
        ("r1", "c", "reliability", 4, 3), ("r2", "c", "reliability", 4, 3),   # 4, 3
        ("r1", "d", "reliability", 3, 6), ("r2", "d", "reliability", 5, 6),   # 4, 6
        ("r1", "e", "reliability", 5, 4), ("r2", "e", "reliability", 6, 5),   # 5.5, 4.5
    ])
    # cross-hairs: (7 + 7 + 4 + 4 + 5.5)/5 = 5.5 and (3 + 6 + 3 + 6 + 4.5)/5 = 4.5: e sits on both
    model_path, survey, _ = write_survey(tmp_path, rows, model=model)
    doc = as_data(blueprint.load(model_path).quality(survey=survey))
    assert doc["crosshairs"] == approx({"importance": 5.5, "performance": 4.5}, rel=REL)
    assert {s: p["quadrant"] for s, p in doc["touchpoints"].items()} == {
        "a": "concentrate here", "b": "keep up the good work", "c": "low priority",
        "d": "possible overkill", "e": "keep up the good work"}


def test_zone_of_tolerance_with_adequate_answers(tmp_path):
    header = ("respondent", "step", "dimension", "adequate", "expectation", "perception")
    table = [
        # reliability: perception (4+4)/2 = 4 < adequate (5+4)/2 = 4.5 -> below
        ("r1", "counter", "reliability", 5, 7, 4), ("r2", "counter", "reliability", 4, 6, 4),
        # responsiveness: perception 6 > expectation 5 -> above
        ("r1", "counter", "responsiveness", 3, 5, 6), ("r2", "counter", "responsiveness", 3, 5, 6),
        # assurance: adequate 4 <= perception 5.5 <= expectation 6.5 -> inside
        ("r1", "pay", "assurance", 4, 7, 5), ("r2", "pay", "assurance", 4, 6, 6),
    ]
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_csv(tmp_path / "responses.csv", header, table)
    doc = as_data(blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv"))
    dims = doc["dimensions"]
    assert dims["reliability"]["zone"] == "below"
    assert dims["responsiveness"]["zone"] == "above"
    assert dims["assurance"]["zone"] == "inside"
    assert_t_stat(dims["reliability"]["adequate"], [5, 4])
    assert_t_stat(dims["assurance"]["adequate"], [4, 4])
    assert_t_stat(dims["assurance"]["gap"], [-2, 0])


def test_without_respondents_file_there_is_no_weighted_score_nps_or_csat(tmp_path):
    model, survey, _ = write_survey(tmp_path, RESPONSES)
    doc = as_data(blueprint.load(model).quality(survey=survey))
    assert doc["servqual"]["weighted"] is None
    assert doc["servqual"]["unweighted"] == approx(-0.78, rel=REL)
    assert doc["nps"] is None and doc["csat"] is None
    assert all(d["weight"] is None for d in doc["dimensions"].values())


def test_weights_are_normalised_over_the_dimensions_with_data(tmp_path):
    """Only reliability and empathy answered: their weights 30 and 10 become 0.75 and 0.25."""
    rows = rows_of([
        ("r1", "counter", "reliability", 7, 4), ("r1", "", "empathy", 5, 6),    # -3, +1
        ("r2", "counter", "reliability", 6, 5), ("r2", "", "empathy", 6, 6),    # -1, 0
    ])
    people = [("r1", 20, 30, 20, 20, 10, None, None), ("r2", 20, 30, 20, 20, 10, None, None)]
    model, survey, respondents = write_survey(tmp_path, rows, people)
    doc = as_data(blueprint.load(model).quality(survey=survey, respondents=respondents))
    # gaps: reliability (-3 - 1)/2 = -2, empathy (1 + 0)/2 = 0.5
    assert doc["servqual"]["unweighted"] == approx((-2 + 0.5) / 2, rel=REL)
    assert doc["servqual"]["weighted"] == approx(0.75 * -2 + 0.25 * 0.5, rel=REL)
    assert doc["nps"] is None and doc["csat"] is None


def test_one_respondent_has_no_interval(tmp_path):
    rows = rows_of([("r1", "counter", "reliability", 7, 5), ("r1", "pay", "reliability", 6, 5)])
    model, survey, _ = write_survey(tmp_path, rows)
    doc = as_data(blueprint.load(model).quality(survey=survey))
    assert_stat(doc["dimensions"]["reliability"]["gap"], -1.5, None, 1)   # (-2 - 1)/2
    assert doc["respondents"] == 1


def test_columns_in_any_order_and_a_byte_order_mark(tmp_path):
    header = ("perception", "dimension", "expectation", "respondent", "step")
    order = [HEADER.index(h) for h in header]
    table = [[(r.respondent, r.step, r.dimension, r.expectation, r.perception)[i] for i in order]
             for r in RESPONSES]
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_csv(tmp_path / "responses.csv", header, table, bom=True)
    doc = as_data(blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv"))
    for dim in FIVE:
        assert_t_stat(doc["dimensions"][dim]["gap"], GAPS[dim])


def test_another_scale(tmp_path):
    """On a 1-5 scale a 6 is out of scale; a 5 is fine."""
    rows = rows_of([("r1", "counter", "reliability", 5, 4), ("r2", "counter", "reliability", 5, 2)])
    model, survey, _ = write_survey(tmp_path, rows)
    doc = as_data(blueprint.load(model).quality(survey=survey, scale="1-5"))
    assert doc["scale"] == [1, 5]
    assert_t_stat(doc["dimensions"]["reliability"]["gap"], [-1, -3])
    write_lines(tmp_path / "bad.csv", [",".join(HEADER), "r1,counter,reliability,6,4"])
    with pytest.raises(ModelError) as caught:
        blueprint.load(model).quality(survey=tmp_path / "bad.csv", scale="1-5")
    assert [(d.line, d.column, d.code) for d in caught.value.diagnostics] == [(2, 4, "out-of-scale")]


def test_an_unanswered_moment_of_truth_is_not_on_the_crosshairs(tmp_path):
    """A walk-in step nobody was asked about: the cross-hairs stay the mean of counter and pay."""
    model = COUNTER_MODEL.replace("steps:\n", "steps:\n  - {id: enter, zone: customer, name: Walk in, "
                                  "evidence: [Door]}\n", 1)
    model_path, survey, _ = write_survey(tmp_path, RESPONSES, model=model)
    doc = as_data(blueprint.load(model_path).quality(survey=survey))
    assert doc["crosshairs"]["importance"] == approx(6.15, rel=REL)
    assert doc["crosshairs"]["performance"] == approx(4.95, rel=REL)
    assert [w["step"] for w in doc["worst"]] == ["counter", "pay"]


def test_csat_all_satisfied_has_a_wilson_interval_up_to_100(tmp_path):
    """p = 1: Wilson's upper bound is exactly 100 and its lower bound is below (a normal
    interval would collapse to [100, 100]); lower = 100·n/(n + z²) = 500/(5 + 1.96²)."""
    people = [(f"r{i}", None, None, None, None, None, 10, 5) for i in range(1, 6)]
    model, survey, respondents = write_survey(tmp_path, RESPONSES, people)
    doc = as_data(blueprint.load(model).quality(survey=survey, respondents=respondents))
    assert doc["csat"]["score"] == 100
    assert doc["csat"]["ci95"] == approx([500 / (5 + 1.96 ** 2), 100], rel=REL)
    assert doc["csat"]["ci95"] == approx(wilson_percent(5, 5), rel=REL)
    # five promoters: NPS 100, and the interval has no width: √((1 + 0 - 1)/5) = 0
    assert doc["nps"]["score"] == 100 and doc["nps"]["ci95"] == approx([100, 100], rel=REL)


def test_a_respondents_file_with_only_a_recommendation(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    survey = write_lines(tmp_path / "responses.csv", clean_responses_for(["a", "b", "c"]))
    people = write_lines(tmp_path / "respondents.csv", ["respondent,recommend", "a,0", "b,10", "c,7"])
    doc = as_data(blueprint.load(tmp_path / "model.yaml").quality(survey=survey, respondents=people))
    # p = 1/3, d = 1/3: score 0, half 196·√(2/3 / 3)
    assert doc["nps"]["score"] == approx(0, abs=ABS)
    half = 196 * math.sqrt((2 / 3) / 3)
    assert doc["nps"]["ci95"] == approx([-half, half], rel=REL)
    assert doc["csat"] is None and doc["servqual"]["weighted"] is None


def test_a_survey_with_no_answer_at_all_is_empty(tmp_path):
    """Rows, but every expectation and perception blank: "no answers at all"."""
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_lines(tmp_path / "responses.csv", [",".join(HEADER), "r1,counter,reliability,,",
                                            "r2,pay,assurance,,"])
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv")
    assert [d.code for d in caught.value.diagnostics] == ["empty-survey"]


def test_rows_are_file_lines_through_crlf_and_blank_lines(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    (tmp_path / "responses.csv").write_bytes(
        b"respondent,step,dimension,expectation,perception\r\n"   # 1
        b"r1,counter,reliability,7,5\r\n"                         # 2
        b"\r\n"                                                   # 3: blank
        b"r1,countr,reliability,7,5\r\n"                          # 4
        b"\r\n"                                                   # 5: blank
        b"r2,counter,reliability,7,9\r\n")                        # 6
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv")
    assert [(d.line, d.column, d.code) for d in caught.value.diagnostics] == [
        (4, 2, "unknown-step"), (6, 5, "out-of-scale")]


@pytest.mark.parametrize(("content", "status"), [
    (None, 2),   # a missing input file: exit 2, as for a missing model (`blueprint simulate`)
    (b"respondent,step,dimension,expectation,perception\nr\xe9,counter,reliability,7,5\n", 1),
], ids=["missing", "latin-1"])
def test_an_unreadable_survey_is_one_located_line(tmp_path, monkeypatch, capsys, content, status):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    if content is not None:
        (tmp_path / "responses.csv").write_bytes(content)
    code, stderr = run_here(monkeypatch, capsys, tmp_path, "quality", "model.yaml",
                            "--survey", "responses.csv")
    assert code == status and "Traceback" not in stderr
    ((file, *_),) = diagnostic_lines(stderr)
    assert Path(file).name == "responses.csv"


def test_the_22_item_form_answered_comes_back_as_model_wide_items(tmp_path):
    """The form written by `blueprint survey`, answered by two people and read back: its rows
    are model-wide (no step), four to five items a dimension; its `item` column tells them apart."""
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    done = run("survey", "model.yaml", "-o", "q.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    form = read_rows(tmp_path / "q.22-items.csv")
    table = []
    for who, shift in (("a", 0), ("b", 1)):
        for k, item in enumerate(form):
            # expectation 7 - shift; perception 6 - shift on odd items, 7 - shift on even ones
            table.append((item["item"], who, "", item["dimension"], 7 - shift, 6 - shift + k % 2))
    write_csv(tmp_path / "answers.csv", ("item", *HEADER), table)
    doc = as_data(blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "answers.csv"))
    # items k = 0..21: tangibles 0-3, reliability 4-8, responsiveness 9-12, assurance 13-16,
    # empathy 17-21; gap -1 on even k, 0 on odd k, the same for both people
    spans = {"tangibles": range(0, 4), "reliability": range(4, 9), "responsiveness": range(9, 13),
             "assurance": range(13, 17), "empathy": range(17, 22)}
    for dim, ks in spans.items():
        each = statistics.fmean(-1 + k % 2 for k in ks)   # e.g. tangibles (-1 + 0 - 1 + 0)/4 = -0.5
        assert_stat(doc["dimensions"][dim]["gap"], each, [each, each], 2)
    assert doc["touchpoints"] == {} or all(p["gap"]["n"] == 0 for p in doc["touchpoints"].values())


def test_the_questionnaire_never_overwrites_the_model(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    done = run("survey", "model.yaml", "-o", "model.yaml", cwd=tmp_path)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert (tmp_path / "model.yaml").read_text(encoding="utf-8") == COUNTER_MODEL


def test_two_names_of_one_dimension_are_one_answer(tmp_path):
    """可靠性 is reliability: answering both at the same step is answering it twice."""
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_lines(tmp_path / "responses.csv", [",".join(HEADER), "r1,counter,reliability,7,5",
                                            "r1,counter,可靠性,6,5", "r1,pay,可靠性,6,5"])
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv")
    assert [(d.line, d.code) for d in caught.value.diagnostics] == [(3, "duplicate-answer")]


def test_a_zero_to_ten_scale(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_lines(tmp_path / "responses.csv", [",".join(HEADER), "r1,counter,reliability,0,10",
                                            "r2,counter,reliability,10,0"])
    doc = as_data(blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv",
                                                                  scale="0-10"))
    assert doc["scale"] == [0, 10]
    assert_t_stat(doc["dimensions"]["reliability"]["gap"], [10, -10])
    write_lines(tmp_path / "bad.csv", [",".join(HEADER), "r1,counter,reliability,10,11"])
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "bad.csv", scale=(0, 10))
    assert [(d.line, d.column, d.code) for d in caught.value.diagnostics] == [(2, 5, "out-of-scale")]


@pytest.mark.parametrize("scale", ["7-1", "abc", "1-1"])
def test_a_bad_scale_is_a_usage_error(tmp_path, monkeypatch, capsys, scale):
    model, survey, _ = write_survey(tmp_path, RESPONSES)
    code, stderr = run_here(monkeypatch, capsys, tmp_path, "quality", model.name, "--survey", survey.name,
                            "--scale", scale)
    assert code == 2 and "Traceback" not in stderr and "--scale" in stderr


# --- 2. simulated respondents: a zero gap and a gap of -1.5 ---------------------------------

def test_two_hundred_simulated_respondents_find_the_true_gaps(tmp_path):
    """Expectation 5 ± 1, perception = expectation + true gap ± 1 (uniform, symmetric, bounded):
    every answer lies in 3..7 or 1.5..5.5, so nothing is clipped and the truth is unbiased."""
    rng = np.random.default_rng(20240612)
    truth = {"reliability": 0.0, "responsiveness": -1.5}
    table = []
    for i in range(200):
        for dim, gap in truth.items():
            e = 5 + rng.uniform(-1, 1)
            p = e + gap + rng.uniform(-1, 1)
            table.append((f"p{i:03d}", "counter", dim, f"{e:.3f}", f"{p:.3f}"))
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_csv(tmp_path / "responses.csv", HEADER, table)
    written = {dim: [float(p) - float(e) for _, _, d, e, p in table if d == dim] for dim in truth}
    assert all(1 <= float(v) <= 7 for row in table for v in row[3:])
    doc = as_data(blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv"))
    for dim, true_gap in truth.items():
        gap = doc["dimensions"][dim]["gap"]
        assert_t_stat(gap, written[dim])
        low, high = gap["ci95"]
        assert low <= true_gap <= high, dim
    reliability, responsiveness = (doc["dimensions"][d]["gap"]["ci95"] for d in truth)
    assert reliability[0] < 0 < reliability[1]      # not significant
    assert responsiveness[1] < 0                    # significant
    assert doc["dimensions"]["reliability"]["zone"] == "inside"
    assert doc["dimensions"]["responsiveness"]["zone"] == "below"
    assert doc["respondents"] == 200


# --- 3. errors, each at its row and column --------------------------------------------------

RESPONSE_ERRORS = [
    ",".join(HEADER),                        # line 1
    "r1,counter,reliability,7,5",            # 2  fine
    "r1,countr,reliability,7,5",             # 3  unknown-step, col 2 (did you mean 'counter')
    "r1,prepare,reliability,7,5",            # 4  not-a-touchpoint (backstage), col 2
    "r1,ledger,assurance,6,5",               # 5  not-a-touchpoint (support), col 2
    "r1,counter,reliabilty,7,5",             # 6  unknown-dimension, col 3 (did you mean 'reliability')
    "r1,counter,responsiveness,7,8",         # 7  out-of-scale perception, col 5
    "r1,pay,reliability,0,5",                # 8  out-of-scale expectation, col 4
    "r1,pay,assurance,abc,5",                # 9  bad-number, col 4
    "r2,counter,reliability,6,5",            # 10 fine
    "r2,counter,reliability,5,5",            # 11 duplicate-answer (of line 10)
    ",counter,reliability,5,5",              # 12 missing-respondent, col 1
    "r2,pay,reliability,,",                  # 13 fine: both missing
    "r2,,tangibles,5,",                      # 14 fine: perception missing
    "r3,counter,reliability,7.5,5",          # 15 out-of-scale (7.5 > 7), col 4
    "r3,counter,responsiveness,6.5,5",       # 16 fine: a decimal inside the scale
]
EXPECTED_RESPONSE_ERRORS = [
    (3, 2, "unknown-step"), (4, 2, "not-a-touchpoint"), (5, 2, "not-a-touchpoint"),
    (6, 3, "unknown-dimension"), (7, 5, "out-of-scale"), (8, 4, "out-of-scale"), (9, 4, "bad-number"),
    (11, None, "duplicate-answer"), (12, 1, "missing-respondent"), (15, 4, "out-of-scale"),
]
RESPONDENT_ERRORS = [
    ",".join(RESPONDENTS_HEADER),            # line 1
    "r1,20,30,20,15,15,10,5",                # 2 fine
    "r2,20,30,20,15,13,9,4",                 # 3 bad-weights: 98
    "r3,20,30,20,15,14.5,8,3",               # 4 fine: 99.5 is within 100 ± 1
    "r1,20,20,20,20,20,7,4",                 # 5 duplicate-respondent, col 1
    "r4,,,,,,11,4",                          # 6 out-of-scale recommend, col 7
    "r5,,,,,,5,0",                           # 7 out-of-scale satisfaction, col 8
    "r6,50,50,,,,6,3",                       # 8 bad-weights: partly blank
    "r7,20,30,20,15,15,,",                   # 9 fine: no recommendation, no satisfaction
    "r8,20,30,20,15,15,x,3",                 # 10 bad-number recommend, col 7
]
EXPECTED_RESPONDENT_ERRORS = [
    (3, None, "bad-weights"), (5, 1, "duplicate-respondent"), (6, 7, "out-of-scale"),
    (7, 8, "out-of-scale"), (8, None, "bad-weights"), (10, 7, "bad-number"),
]
WEIGHT_COLUMNS = {2, 3, 4, 5, 6}


def clean_responses_for(people: list[str]) -> list[str]:
    return [",".join(HEADER), *(f"{who},counter,reliability,6,5" for who in people)]


def assert_located(found, expected, *, undetermined_columns) -> None:
    """`found`: (row, col, code); `expected` (row, col or None, code); None = a column of the row's
    identifying or weight fields (the spec does not fix it), see `undetermined_columns`."""
    assert len(found) == len(expected), found
    for (row, col, code), (erow, ecol, ecode) in zip(sorted(found), sorted(expected, key=lambda e: e[0]),
                                                     strict=True):
        assert (row, code) == (erow, ecode), found
        if ecol is None:
            assert col in undetermined_columns[code], (row, col, code)
        else:
            assert col == ecol, (row, col, code)


UNDETERMINED = {"duplicate-answer": {1, 2, 3}, "bad-weights": WEIGHT_COLUMNS}


def test_every_error_of_a_responses_file_at_its_row_and_column(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    survey = write_lines(tmp_path / "responses.csv", RESPONSE_ERRORS)
    bp = blueprint.load(tmp_path / "model.yaml")
    from blueprint.survey import read_survey

    with pytest.raises(ModelError) as caught:
        read_survey(bp.model, survey)
    diagnostics = caught.value.diagnostics
    assert len(diagnostics) == 10
    assert {Path(d.file).name for d in diagnostics} == {"responses.csv"}
    assert all(d.severity == "error" for d in diagnostics)
    assert_located([(d.line, d.column, d.code) for d in diagnostics], EXPECTED_RESPONSE_ERRORS,
                   undetermined_columns=UNDETERMINED)
    by_line = {d.line: d.message for d in diagnostics}
    assert "did you mean 'counter'" in by_line[3]
    assert "did you mean 'reliability'" in by_line[6]
    assert "prepare" in by_line[4] and "ledger" in by_line[5]


def test_every_error_of_a_respondents_file_at_its_row_and_column(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    survey = write_lines(tmp_path / "responses.csv", clean_responses_for([f"r{i}" for i in range(1, 9)]))
    people = write_lines(tmp_path / "respondents.csv", RESPONDENT_ERRORS)
    bp = blueprint.load(tmp_path / "model.yaml")
    from blueprint.survey import read_survey

    with pytest.raises(ModelError) as caught:
        read_survey(bp.model, survey, people)
    diagnostics = caught.value.diagnostics
    assert {Path(d.file).name for d in diagnostics} == {"respondents.csv"}
    assert_located([(d.line, d.column, d.code) for d in diagnostics], EXPECTED_RESPONDENT_ERRORS,
                   undetermined_columns=UNDETERMINED)


def test_the_command_reports_every_error_of_both_files_at_once(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_lines(tmp_path / "responses.csv", RESPONSE_ERRORS)
    # only r1..r3 answered; two errors here
    write_lines(tmp_path / "respondents.csv", [",".join(RESPONDENTS_HEADER), "r1,20,30,20,15,13,9,4",
                                               "r2,,,,,,11,4", "r3,,,,,,,"])
    done = run("quality", "model.yaml", "--survey", "responses.csv", "--respondents", "respondents.csv",
               cwd=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    found = diagnostic_lines(done.stderr)
    assert len(found) == 12
    responses = [(r, c, code) for f, r, c, code, _ in found if Path(f).name == "responses.csv"]
    respondents = [(r, c, code) for f, r, c, code, _ in found if Path(f).name == "respondents.csv"]
    assert_located(responses, EXPECTED_RESPONSE_ERRORS, undetermined_columns=UNDETERMINED)
    assert_located(respondents, [(2, None, "bad-weights"), (3, 7, "out-of-scale")],
                   undetermined_columns=UNDETERMINED)
    messages = {(Path(f).name, r): m for f, r, _, _, m in found}
    assert "did you mean 'counter'" in messages[("responses.csv", 3)]


def test_the_command_says_the_same_in_python(tmp_path):
    """The same two files through the facade: ModelError with the same diagnostics."""
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_lines(tmp_path / "responses.csv", RESPONSE_ERRORS)
    write_lines(tmp_path / "respondents.csv", [",".join(RESPONDENTS_HEADER), "r1,20,30,20,15,13,9,4",
                                               "r2,,,,,,11,4", "r3,,,,,,,"])
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv",
                                                        respondents=tmp_path / "respondents.csv")
    assert len(caught.value.diagnostics) == 12


@pytest.mark.parametrize(("lines", "expected"), [
    # a required column missing: row 1
    ([",".join(HEADER[:4]), "r1,counter,reliability,7"], (1, None, "bad-header")),
    # a misspelt optional column: row 1, its column (another column, a comment, is passed over)
    ([",".join(HEADER) + ",adequte", "r1,counter,reliability,7,5,4"], (1, 6, "bad-header")),
    # the header alone: nothing answered
    ([",".join(HEADER)], (None, None, "empty-survey")),
    # an adequate level outside the scale
    (["respondent,step,dimension,adequate,expectation,perception", "r1,counter,reliability,9,7,5"],
     (2, 4, "out-of-scale")),
])
def test_header_and_empty_survey_errors(tmp_path, lines, expected):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_lines(tmp_path / "responses.csv", lines)
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv")
    (diagnostic,) = caught.value.diagnostics
    row, col, code = expected
    assert diagnostic.code == code
    assert Path(diagnostic.file).name == "responses.csv"
    if row is not None:
        assert diagnostic.line == row
    if col is not None:
        assert diagnostic.column == col


def test_not_a_number_is_not_an_answer(tmp_path):
    """'nan' and 'inf' parse as floats in Python but are no answer on a 1-7 scale."""
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_lines(tmp_path / "responses.csv", [",".join(HEADER), "r1,counter,reliability,nan,5",
                                            "r2,counter,reliability,6,inf"])
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv")
    found = [(d.line, d.column) for d in caught.value.diagnostics]
    assert found == [(2, 4), (3, 5)]
    assert {d.code for d in caught.value.diagnostics} <= {"bad-number", "out-of-scale"}


def test_weights_partly_in_the_header_are_a_bad_header(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    survey = write_lines(tmp_path / "responses.csv", clean_responses_for(["r1"]))
    people = write_lines(tmp_path / "respondents.csv", ["respondent,weight_tangibles,weight_reliability",
                                                       "r1,40,60"])
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=survey, respondents=people)
    # the spec names no code for it: a header problem (bad-header) or a weights problem (bad-weights)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.line == 1 and diagnostic.code in {"bad-header", "bad-weights"}
    assert Path(diagnostic.file).name == "respondents.csv"


def test_respondents_header_errors(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    survey = write_lines(tmp_path / "responses.csv", clean_responses_for(["r1"]))
    people = write_lines(tmp_path / "respondents.csv", ["who,recommend", "r1,9"])
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=survey, respondents=people)
    assert caught.value.diagnostics
    assert {(d.line, d.code) for d in caught.value.diagnostics} == {(1, "bad-header")}


def test_a_column_given_twice_is_a_bad_header(tmp_path):
    (tmp_path / "model.yaml").write_text(COUNTER_MODEL, encoding="utf-8")
    write_lines(tmp_path / "responses.csv", [",".join(HEADER) + ",expectation",
                                            "r1,counter,reliability,7,5,6"])
    with pytest.raises(ModelError) as caught:
        blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv")
    assert [(d.line, d.column, d.code) for d in caught.value.diagnostics] == [(1, 6, "bad-header")]


CHINESE_MODEL = """\
blueprint: 1
name: 银行柜台
time_unit: min
horizon: {open: "09:00", close: "10:00"}
resources:
  柜员: {capacity: 2}
demand: {arrivals_per_hour: 20}
steps:
  - id: 取号
    zone: customer
    name: 取号排队
    evidence: [取号机]
  - id: 办理
    zone: frontstage
    name: 柜台办理业务
    resource: 柜员
    duration: 3
    dimensions: [可靠性, 礼貌]
  - id: 记账
    zone: support
    name: 系统记账
    duration: 0.2
    next: end
"""


def test_chinese_step_ids_and_dimension_names(tmp_path):
    (tmp_path / "model.yaml").write_text(CHINESE_MODEL, encoding="utf-8")
    write_csv(tmp_path / "responses.csv", HEADER, [
        ("顾客甲", "办理", "可靠性", 7, 5),     # reliability -2
        ("顾客甲", "办理", "礼貌", 6, 6),       # courtesy -> assurance 0
        ("顾客甲", "取号", "响应性", 6, 3),     # responsiveness -3
        ("顾客乙", "办理", "可靠性", 6, 5),     # reliability -1
        ("顾客乙", "办理", "保证性", 7, 5),     # assurance -2
        ("顾客乙", "取号", "反应性", 5, 4),     # responsiveness -1
        ("顾客乙", "", "有形性", 5, 6),         # tangibles +1
    ], bom=True)
    doc = as_data(blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv"))
    dims = doc["dimensions"]
    assert_t_stat(dims["reliability"]["gap"], [-2, -1])
    assert_t_stat(dims["assurance"]["gap"], [0, -2])
    assert_t_stat(dims["responsiveness"]["gap"], [-3, -1])
    assert_stat(dims["tangibles"]["gap"], 1, None, 1)
    assert "empathy" not in dims or dims["empathy"]["gap"]["n"] == 0
    # 办理: 甲 (-2 + 0)/2 = -1, 乙 (-1 - 2)/2 = -1.5
    assert_t_stat(doc["touchpoints"]["办理"]["gap"], [-1, -1.5])
    assert_t_stat(doc["touchpoints"]["取号"]["gap"], [-3, -1])
    assert doc["touchpoints"]["办理"]["name"] == "柜台办理业务"
    for tag, dim in doc["mapped"].items():
        assert TAG_TO_FIVE[tag] == dim
    assert doc["mapped"]["礼貌"] == "assurance"
    assert doc["respondents"] == 2


def test_chinese_errors_are_located_too(tmp_path):
    (tmp_path / "model.yaml").write_text(CHINESE_MODEL, encoding="utf-8")
    write_lines(tmp_path / "responses.csv", [",".join(HEADER), "顾客甲,办理,可靠性,7,5",
                                            "顾客甲,记账,可靠性,7,5", "顾客甲,办理,可靠,7,5"])
    done = run("quality", "model.yaml", "--survey", "responses.csv", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    found = [(r, c, code) for _, r, c, code, _ in diagnostic_lines(done.stderr)]
    assert found == [(3, 2, "not-a-touchpoint"), (4, 3, "unknown-dimension")]


# --- 4. ten-dimension tags and the questionnaires --------------------------------------------

TEN_MODEL = """\
blueprint: 1
name: Advice desk
time_unit: min
horizon: {open: "09:00", close: "10:00"}
resources:
  desk: {capacity: 2}
demand: {arrivals_per_hour: 10}
steps:
  - id: lobby
    zone: customer
    name: Wait in the lobby
    evidence: [Chairs, Magazines]
  - id: greet
    zone: frontstage
    name: Greet the guest
    duration: 0.5
    dimensions: [courtesy, reliability]
  - id: advise
    zone: frontstage
    name: Advise on the options
    resource: desk
    duration: 5
    dimensions: [competence, security, understanding]
  - id: file
    zone: backstage
    name: File the papers
    duration: 1
  - id: leave
    zone: customer
    name: Leave
    evidence: [Receipt]
    dimensions: [tangibles]
    next: end
"""


def expected_questionnaire(model_text: str) -> set[tuple[str, str]]:
    """(step, dimension) per moment of truth × its dimensions mapped to the five, or all five."""
    pairs = set()
    for step in yaml.safe_load(model_text)["steps"]:
        if step["zone"] in ("customer", "frontstage"):
            tags = step.get("dimensions") or list(FIVE)
            pairs |= {(step["id"], TAG_TO_FIVE[tag]) for tag in tags}
    return pairs


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_model_keeps_the_tag_and_counts_it_under_its_dimension():
    from blueprint.model import servqual_dimension

    bp = blueprint.loads(TEN_MODEL, "ten.yaml")
    assert bp.model.steps[1].dimensions == ["courtesy", "reliability"]
    for tag, dim in TAG_TO_FIVE.items():
        assert servqual_dimension(tag) == dim, tag


def test_the_questionnaire_asks_courtesy_as_assurance(tmp_path):
    (tmp_path / "model.yaml").write_text(TEN_MODEL, encoding="utf-8")
    done = run("survey", "model.yaml", "-o", "q.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = read_rows(tmp_path / "q.csv")
    pairs = [(row["step"], row["dimension"]) for row in rows]
    # lobby: all five; greet: reliability, assurance; advise: assurance, empathy; leave: tangibles
    assert len(pairs) == 5 + 2 + 2 + 1 == len(set(pairs))
    assert set(pairs) == expected_questionnaire(TEN_MODEL)
    assert ("greet", "assurance") in pairs and not any(d == "courtesy" for _, d in pairs)
    assert not any(step == "file" for step, _ in pairs)
    for row in rows:
        assert row["expectation_statement"] and row["perception_statement"], row
        assert (row["scale_low"], row["scale_high"]) == ("1", "7")
    tagged = {row["step"]: row["tagged_as"] for row in rows if row["dimension"] == "assurance"}
    assert "courtesy" in tagged["greet"]
    # the same rows from Python
    template = blueprint.survey_template(tmp_path / "model.yaml")
    assert len(template) == len(rows)


def test_the_22_item_form(tmp_path):
    (tmp_path / "model.yaml").write_text(TEN_MODEL, encoding="utf-8")
    done = run("survey", "model.yaml", "-o", "q.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    form = read_rows(tmp_path / "q.22-items.csv")
    assert len(form) == 22
    dims = [row["dimension"] for row in form]
    assert dims == ["tangibles"] * 4 + ["reliability"] * 5 + ["responsiveness"] * 4 \
        + ["assurance"] * 4 + ["empathy"] * 5
    assert all(not row.get("step") for row in form)
    assert all((row["scale_low"], row["scale_high"]) == ("1", "7") for row in form)   # 7 points
    assert all(row["expectation_statement"] and row["perception_statement"] for row in form)
    done = run("survey", "model.yaml", "-o", "q2.csv", "--form", "form.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(read_rows(tmp_path / "form.csv")) == 22


def test_a_survey_may_answer_with_the_ten_tags(tmp_path):
    (tmp_path / "model.yaml").write_text(TEN_MODEL, encoding="utf-8")
    write_csv(tmp_path / "responses.csv", HEADER, [
        ("r1", "greet", "courtesy", 7, 5), ("r1", "advise", "competence", 6, 5),   # assurance -2, -1
        ("r2", "greet", "assurance", 6, 6), ("r2", "advise", "security", 7, 4),    # assurance 0, -3
    ])
    doc = as_data(blueprint.load(tmp_path / "model.yaml").quality(survey=tmp_path / "responses.csv"))
    # r1 (-2 - 1)/2 = -1.5, r2 (0 - 3)/2 = -1.5
    assert_stat(doc["dimensions"]["assurance"]["gap"], -1.5, [-1.5, -1.5], 2)
    assert doc["mapped"]["courtesy"] == "assurance"
    # greet: courtesy (r1, -2) and assurance (r2, 0) are the same dimension of the touchpoint
    assert_t_stat(doc["touchpoints"]["greet"]["dimensions"]["assurance"]["gap"], [-2, 0])
    assert set(doc["touchpoints"]["advise"]["dimensions"]) == {"assurance"}


def test_chinese_questionnaire_speaks_chinese(tmp_path):
    (tmp_path / "model.yaml").write_text(CHINESE_MODEL, encoding="utf-8")
    done = run("survey", "model.yaml", "-o", "问卷.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = read_rows(tmp_path / "问卷.csv")
    assert {(r["step"], r["dimension"]) for r in rows} == expected_questionnaire(CHINESE_MODEL)
    for row in rows:
        statements = [row["expectation_statement"], row["perception_statement"]]
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in s) for s in statements), row


# --- 6. the five gaps and what the simulation adds --------------------------------------------

GAPS_MODEL = """\
blueprint: 1
name: Gaps office
time_unit: min
horizon: {open: "09:00", close: "10:00"}
resources:
  clerk: {capacity: 1}
  stamper: {capacity: 30}
  till: {capacity: 30}
demand: {arrivals_per_hour: 40}
steps:
  - id: enter
    zone: customer
    name: Walk in
    evidence: [Door sign]
  - id: counter
    zone: frontstage
    name: Serve at the counter
    resource: clerk
    duration: {dist: exponential, mean: 4}
    standard: 3
    tolerance: 5
    promise: {within: 5, share: 0.9, says: "served within 5 minutes"}
    dimensions: [responsiveness]
  - id: check
    zone: backstage
    name: Check the file
    duration: 1
  - id: stamp
    zone: frontstage
    name: Stamp the form
    resource: stamper
    duration: 2
    standard: 1.5
    tolerance: 5
  - id: pay
    zone: frontstage
    name: Pay at the till
    resource: till
    duration: 1
    standard: 2
    tolerance: 5
    promise: {within: 2, share: 0.95, says: "no wait to pay"}
  - id: leave
    zone: customer
    name: Leave
    evidence: [Receipt]
    next: end
"""


@pytest.fixture(scope="module")
def gaps_office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gaps")
    model = folder / "model.yaml"
    model.write_text(GAPS_MODEL, encoding="utf-8")
    bp = blueprint.load(model)
    results = bp.simulate(replications=3, seed=5)
    return folder, bp, results


def test_simulation_measures_standards_and_promises(gaps_office):
    _, _, results = gaps_office
    steps = results.to_dict()["steps"]
    # stamp always takes 2 > 1.5: every execution beyond; pay takes 1 < 2: none
    assert steps["stamp"]["beyond_standard"]["mean"] == 1.0
    assert steps["pay"]["beyond_standard"]["mean"] == 0.0
    assert 0 < steps["counter"]["beyond_standard"]["mean"] < 1
    assert steps["check"]["beyond_standard"] is None
    assert steps["enter"]["beyond_standard"] is None
    # thirty tills for forty customers an hour: nobody waits, the promise is kept for all
    assert steps["pay"]["within_promise"]["mean"] == 1.0
    # the counter's promise is its tolerance (5): measured the same way, the same share
    assert steps["counter"]["within_promise"]["mean"] == approx(steps["counter"]["within_tolerance"]["mean"],
                                                                rel=REL)
    assert steps["counter"]["within_promise"]["mean"] < 0.9
    assert steps["stamp"]["within_promise"] is None


def moments_without_standards(model_text: str) -> list[str]:
    return [s["id"] for s in yaml.safe_load(model_text)["steps"]
            if s["zone"] in ("customer", "frontstage") and "standard" not in s and "tolerance" not in s]


def by_step(items: list[dict]) -> dict[str, dict]:
    steps = [item["step"] for item in items]
    assert len(steps) == len(set(steps)), steps
    return {item["step"]: item for item in items}


def check_gaps(doc: dict, results: dict) -> None:
    """Gaps 2, 3 and 4 of GAPS_MODEL against the model text and the simulation's own shares."""
    assert {"gap1", "gap2", "gap3", "gap4", "gap5"} <= set(doc)
    steps = results["steps"]
    # gap 2: the moments of truth with neither a standard nor a tolerance, each with a reason
    assert doc["gap2"]["without_standard"] == moments_without_standards(GAPS_MODEL) == ["enter", "leave"]
    standards = by_step(doc["gap2"]["touchpoints"])
    assert set(standards) == {"enter", "counter", "stamp", "pay", "leave"}   # no backstage `check`
    assert standards["enter"]["findings"] and standards["leave"]["findings"]
    assert standards["stamp"]["findings"] == []
    # gap 3: stamp always takes 2 > 1.5, pay 1 < 2; thirty servers: nobody waits past 5
    delivery = by_step(doc["gap3"]["steps"])
    assert delivery["stamp"]["beyond_standard"]["mean"] == 1.0
    assert delivery["pay"]["beyond_standard"]["mean"] == 0.0
    assert delivery["stamp"]["beyond_tolerance"]["mean"] == 0.0
    assert delivery["pay"]["beyond_tolerance"]["mean"] == 0.0
    assert delivery["counter"]["beyond_standard"]["mean"] == approx(
        steps["counter"]["beyond_standard"]["mean"], rel=REL)
    assert delivery["counter"]["beyond_tolerance"]["mean"] == approx(
        1 - steps["counter"]["within_tolerance"]["mean"], rel=REL)
    # gap 4: the promise beside the simulated share served within it
    promises = by_step(doc["gap4"]["promises"])
    assert set(promises) == {"counter", "pay"}
    counter, pay = promises["counter"], promises["pay"]
    assert (counter["within"], counter["share"], counter["says"]) == (5, 0.9, "served within 5 minutes")
    assert (pay["within"], pay["share"], pay["says"]) == (2, 0.95, "no wait to pay")
    assert counter["delivered"]["mean"] == approx(steps["counter"]["within_promise"]["mean"], rel=REL)
    assert counter["delivered"]["mean"] < 0.9 and counter["verdict"] == "broken"
    # ample capacity: the promise is kept for everyone
    assert pay["delivered"]["mean"] == 1.0 and pay["verdict"] == "kept"


def test_the_five_gaps_by_command(gaps_office):
    folder, _, results = gaps_office
    (folder / "results.json").write_text(results.to_json(), encoding="utf-8")
    done = run("gaps", "model.yaml", "--results", "results.json", "--json", "gaps.json", cwd=folder)
    assert done.returncode == 0, done.stderr
    doc = json.loads((folder / "gaps.json").read_text(encoding="utf-8"))
    check_gaps(doc, results.to_dict())


def test_the_five_gaps_in_python(gaps_office):
    _, bp, results = gaps_office
    doc = as_data(bp.gaps(results=results))
    check_gaps(doc, results.to_dict())


def test_gaps_one_two_and_five_from_the_surveys(gaps_office):
    """Customers: r1 and r2; managers m1 and m2 predict what customers expect."""
    folder, bp, results = gaps_office
    survey = write_csv(folder / "customers.csv", (*HEADER, "tolerance"), [
        ("r1", "counter", "responsiveness", 7, 3, 3),    # gap -4, accepts a 3-minute wait
        ("r1", "pay", "reliability", 6, 6, None),        # gap 0
        ("r2", "counter", "responsiveness", 6, 4, 4),    # gap -2, accepts 4 minutes
        ("r2", "pay", "reliability", 5, 6, None),        # gap +1
    ])
    management = write_csv(folder / "managers.csv", HEADER, [
        ("m1", "counter", "responsiveness", 5, None), ("m2", "counter", "responsiveness", 4, None),
        ("m1", "pay", "reliability", 6, None),
    ])
    doc = as_data(bp.gaps(results=results, survey=survey, management=management))
    # gap 1: responsiveness, managers (5 + 4)/2 = 4.5 against customers (7 + 6)/2 = 6.5: -2
    knowledge = doc["gap1"]["dimensions"]["responsiveness"]
    assert_t_stat(knowledge["management"], [5, 4])
    assert_t_stat(knowledge["customers"], [7, 6])
    assert knowledge["gap"]["mean"] == approx(4.5 - 6.5, rel=REL)
    # two different groups of people: Welch's interval, s² = 0.5 each, n = 2 each -> se² = 0.5, df 2
    half = stats.t.ppf(0.975, 2) * math.sqrt(0.5 / 2 + 0.5 / 2)
    assert knowledge["gap"]["ci95"] == approx([-2 - half, -2 + half], rel=REL)
    # reliability: one manager (6) against (6 + 5)/2 = 5.5
    assert doc["gap1"]["dimensions"]["reliability"]["gap"]["mean"] == approx(0.5, rel=REL)
    assert doc["gap1"]["touchpoints"]["counter"]["gap"]["mean"] == approx(-2, rel=REL)
    # gap 2: customers accept 3 and 4 minutes at the counter (mean and median 3.5); its
    # tolerance of 5 is looser: said, with a reason
    standards = by_step(doc["gap2"]["touchpoints"])
    assert standards["counter"]["stated_tolerance"] == approx(3.5, rel=REL)
    assert any("toleran" in finding for finding in standards["counter"]["findings"])
    assert standards["pay"]["stated_tolerance"] is None
    # gap 5: responsiveness (-4 - 2)/2 = -3, reliability (0 + 1)/2 = 0.5; SERVQUAL (-3 + 0.5)/2
    perceived = doc["gap5"]
    assert_t_stat(perceived["dimensions"]["responsiveness"], [-4, -2])
    assert_t_stat(perceived["dimensions"]["reliability"], [0, 1])
    assert perceived["servqual"]["unweighted"] == approx(-1.25, rel=REL)
    assert [w["step"] for w in perceived["worst"]] == ["counter", "pay"]


def test_gaps_two_and_four_of_the_bank():
    """The bank: every moment of truth lacking a standard or a tolerance is named, with a reason;
    every promise the model makes is beside its delivery."""
    text = (ROOT / "models" / "bank_branch.yaml").read_text(encoding="utf-8")
    bp = blueprint.loads(text, "bank.yaml")
    results = bp.simulate(replications=1, seed=1)
    doc = as_data(bp.gaps(results=results))
    expected = moments_without_standards(text)
    assert expected and doc["gap2"]["without_standard"] == expected
    steps = yaml.safe_load(text)["steps"]
    moments = [s for s in steps if s["zone"] in ("customer", "frontstage")]
    standards = by_step(doc["gap2"]["touchpoints"])
    assert list(standards) == [s["id"] for s in moments]
    for step in moments:
        lacking = "standard" not in step or "tolerance" not in step
        assert bool(standards[step["id"]]["findings"]) == lacking, step["id"]
    promised = {s["id"]: s["promise"] for s in steps if "promise" in s}
    promises = by_step(doc["gap4"]["promises"])
    assert set(promises) == set(promised)
    for sid, promise in promised.items():
        entry = promises[sid]
        assert (entry["within"], entry["share"], entry["says"]) == (
            promise["within"], promise.get("share", 1.0), promise.get("says"))
        assert entry["delivered"]["mean"] == approx(results.to_dict()["steps"][sid]["within_promise"]["mean"],
                                                    rel=REL)


def test_customers_who_give_up_count_as_promises_broken(tmp_path):
    """A promise no wait could miss (within 1000) is broken only by those who leave unserved:
    one day simulated, the share kept is exactly 1 - reneged/entries."""
    model = """\
blueprint: 1
name: Impatient counter
time_unit: min
horizon: {open: "09:00", close: "10:00"}
resources:
  clerk: {capacity: 1}
demand: {arrivals_per_hour: 30}
steps:
  - id: counter
    zone: frontstage
    name: Serve at the counter
    resource: clerk
    duration: 6
    patience: 3
    promise: {within: 1000, says: "everybody is served"}
    next: end
"""
    results = blueprint.loads(model, "impatient.yaml").simulate(replications=1, seed=2).to_dict()
    step = results["steps"]["counter"]
    entries, reneged = step["entries"]["mean"], step["reneged"]["mean"]
    assert reneged > 0
    assert step["within_promise"]["mean"] == approx(1 - reneged / entries, rel=REL)
