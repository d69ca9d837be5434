"""Override paths are read exactly as written: no empty key, no bracket that is not an index."""

from __future__ import annotations

from pathlib import Path

import pytest

from blueprint.analysis.overrides import OverrideError, apply_overrides, parse_path
from blueprint.analysis.study import load_study
from blueprint.diagnostics import ModelError


@pytest.mark.parametrize(("path", "parts"), [
    ("demand.scale", ["demand", "scale"]),
    ("resources.teller.schedule[1].capacity", ["resources", "teller", "schedule", 1, "capacity"]),
    ("steps[0].next[1].p", ["steps", 0, "next", 1, "p"]),
    ("a[0][2].b", ["a", 0, 2, "b"]),
    ("steps.受理.duration", ["steps", "受理", "duration"]),
    ("steps[07].p", ["steps", 7, "p"]),
])
def test_well_formed_paths(path, parts):
    assert parse_path(path) == parts


@pytest.mark.parametrize(("path", "why"), [
    ("steps..serve", "an empty key between the dots at characters 6 and 7"),
    ("demand..scale", "an empty key between the dots at characters 7 and 8"),
    (".demand", "it starts with a dot"),
    ("demand.", "it ends with a dot"),
    ("schedule[1].", "it ends with a dot"),
    ("", "it is empty"),
    ("[0].duration", "it starts with a list index, but a path starts with a key, as in steps[0]"),
    ("steps.[0]", "a dot before the list index at character 7: an index follows its key, as in "
                  "schedule[1]"),
    ("steps[0]duration", "'d' follows a list index at character 9: write a dot before the key"),
    ("steps[1", "the '[' at character 6 is never closed"),
    ("steps]1[", "a ']' without its '[' at character 6"),
    ("steps[0]]", "a ']' without its '[' at character 9"),
    ("steps[x].p", "'[x]' is not a list index: write a whole number from 0, as in schedule[1] "
                   "(steps may also be named by id: steps.deposit)"),
    ("steps[-1].p", "'[-1]' is not a list index: write a whole number from 0, as in schedule[1] "
                    "(steps may also be named by id: steps.deposit)"),
    ("steps[].p", "'[]' is not a list index: write a whole number from 0, as in schedule[1] "
                  "(steps may also be named by id: steps.deposit)"),
])
def test_malformed_paths_are_refused_with_the_reason(path, why):
    with pytest.raises(OverrideError) as caught:
        parse_path(path)
    assert str(caught.value) == (f"{path!r} is not a dotted path such as "
                                 f"resources.teller.capacity: {why}")


def test_an_empty_key_never_reaches_the_model():
    document = {"steps": [{"id": "serve", "duration": 1}], "demand": {"scale": 1}}
    for path in ("steps..serve.duration", "demand..scale", "demand.", ".demand.scale"):
        with pytest.raises(OverrideError):
            apply_overrides(document, {path: 2})


MODEL = """\
blueprint: 1
name: Post office counter
horizon: {open: "09:00", close: "13:00"}
resources:
  clerk: {capacity: 2, cost_per_hour: 25}
demand: {arrivals_per_hour: 30, value: 6}
steps:
  - {id: queue, zone: customer, evidence: [Ticket], duration: 0.2}
  - {id: serve, zone: frontstage, resource: clerk, duration: {dist: exponential, mean: 1.3}}
"""


def test_a_study_with_malformed_paths_reports_each_at_its_key(tmp_path: Path):
    (tmp_path / "model.yaml").write_text(MODEL)
    study = tmp_path / "study.yaml"
    study.write_text("study: Counter\nmodel: model.yaml\n"
                     "scenarios:\n"
                     "  slower:\n"
                     "    steps..serve.duration: 2\n"
                     "  busier:\n"
                     "    demand.: 1.2\n"
                     "sweep:\n"
                     "  steps[x].duration: [1, 2]\n")
    with pytest.raises(ModelError) as caught:
        load_study(study)
    assert [(d.line, d.column, d.code) for d in caught.value.diagnostics] == [
        (5, 5, "unknown-override"), (7, 5, "unknown-override"), (9, 3, "unknown-override")]
    assert "an empty key between the dots" in caught.value.diagnostics[0].message
