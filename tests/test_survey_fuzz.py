"""The survey reader under generated files: it reads or refuses, every refusal located, and the
gaps of what it reads are the respondent-by-respondent means written out here."""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import blueprint
from blueprint.analysis.quality import assess
from blueprint.diagnostics import ModelError
from blueprint.survey import read_survey

MODEL = blueprint.loads("""
blueprint: 1
name: Counter
time_unit: min
horizon: {open: "09:00", close: "10:00"}
resources: {clerk: {capacity: 1}}
demand: {arrivals_per_hour: 10}
steps:
  - {id: arrive, zone: customer, duration: 1}
  - {id: 柜台, zone: frontstage, resource: clerk, duration: 3, dimensions: [reliability, courtesy]}
  - {id: file, zone: backstage, duration: 1}
""", "counter.yaml").model

STEPS = ["arrive", "柜台", "", "file", "arive", "nosuch"]
DIMENSIONS = ["reliability", "courtesy", "empathy", "可靠性", "tangibles", "relability", "", "x"]
ANSWERS = ["1", "4", "7", "5.5", "", "0", "8", "abc", "nan", "-1", "1e3"]
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

cells = st.tuples(st.sampled_from(["r1", "r2", "r3", "", "受访者4"]), st.sampled_from(STEPS),
                  st.sampled_from(DIMENSIONS), st.sampled_from(ANSWERS), st.sampled_from(ANSWERS))


def _csv(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@SETTINGS
@given(rows=st.lists(cells, max_size=12), extra=st.booleans())
def test_a_generated_file_is_read_or_refused_with_every_error_inside_the_file(tmp_path, rows, extra):
    header = ("respondent", "step", "dimension", "expectation", "perception")
    if extra:
        rows = [(*r, "spare") for r in rows[:1]] + rows[1:]
    path = tmp_path / "answers.csv"
    text = _csv(rows, header)
    path.write_text(text, encoding="utf-8")
    lines = text.count("\n")
    try:
        survey = read_survey(MODEL, path)
    except ModelError as exc:
        assert exc.diagnostics
        for d in exc.diagnostics:
            assert d.file == str(path)
            assert 1 <= d.line <= max(lines, 2) and 1 <= d.column <= len(header) + 1
            assert d.code in {"unknown-step", "not-a-touchpoint", "unknown-dimension", "out-of-scale",
                              "bad-number", "duplicate-answer", "missing-respondent", "empty-survey",
                              "bad-csv"}
        return
    assert all(a.step in (None, "arrive", "柜台") for a in survey.answers)
    assert all(1 <= v <= 7 for a in survey.answers for v in (a.expectation, a.perception) if v is not None)


FIVE = {"reliability": "reliability", "courtesy": "assurance", "empathy": "empathy",
        "可靠性": "reliability", "tangibles": "tangibles"}


@SETTINGS
@given(answers=st.dictionaries(
    st.tuples(st.sampled_from(["r1", "r2", "r3", "r4"]), st.sampled_from(["arrive", "柜台", ""]),
              st.sampled_from(list(FIVE))),
    st.tuples(st.integers(1, 7), st.integers(1, 7)), min_size=1, max_size=30))
def test_the_gaps_of_what_is_read_are_the_means_of_the_respondents_means(tmp_path, answers):
    rows = [(r, s, d, str(e), str(p)) for (r, s, d), (e, p) in answers.items()]
    if len({(r, s, FIVE[d]) for r, s, d in answers}) < len(rows):
        return  # two tags of one dimension at one step: a duplicate answer, tested elsewhere
    path = tmp_path / "answers.csv"
    path.write_text(_csv(rows, ("respondent", "step", "dimension", "expectation", "perception")),
                    encoding="utf-8")
    quality = assess(MODEL, read_survey(MODEL, path))
    own: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for (r, _s, d), (e, p) in answers.items():
        own[FIVE[d]][r].append(p - e)
    assert set(quality.dimensions) == set(own)
    for dim, people in own.items():
        means = [sum(v) / len(v) for v in people.values()]
        gap = quality.dimensions[dim].gap
        assert gap is not None and gap.n == len(means)
        assert math.isclose(gap.mean, sum(means) / len(means), abs_tol=1e-12)
