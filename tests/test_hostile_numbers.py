"""Numbers no service has: infinity, not-a-number, overflow, and versions that only look like 1.

Every number of a model and of a study is finite. YAML can write `.inf`,
`-.inf` and `.nan`, and `1e309` (or an integer of 400 digits) overflows to
infinity: wherever such a value stands, it is refused at its own line and
column with `bad-value`, never accepted, never a traceback.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import blueprint
from blueprint.analysis.study import load_study
from blueprint.cli import main
from blueprint.diagnostics import ModelError
from blueprint.loader import parse_yaml, resolve_plain_scalar

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))
SENTINEL = "NONFINITE_SENTINEL"
NON_FINITE = [".inf", "-.inf", "+.inf", ".nan", ".NaN", ".Inf", "1e309", "-1e309", "1.5e400",
              "1" + "0" * 400, "-" + "9" * 5000, "0x" + "f" * 300]


def _numbers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a number of the document (not the format version, not a boolean)."""
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in _numbers(value, (*path, key))]
    if isinstance(node, list):
        return [p for i, value in enumerate(node) for p in _numbers(value, (*path, i))]
    if isinstance(node, int | float) and not isinstance(node, bool) and path != ("blueprint",):
        return [path]
    return []


def _with(document: Any, path: tuple[Any, ...], form: str) -> str:
    """The document as YAML text with the number at `path` written as `form`."""
    edited = copy.deepcopy(document)
    node = edited
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = SENTINEL
    text = yaml.safe_dump(edited, allow_unicode=True, sort_keys=False)
    assert text.count(SENTINEL) == 1
    return text.replace(SENTINEL, form)


def _refused(text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(ModelError) as caught:
        blueprint.loads(text, "hostile.yaml")
    return [(d.line, d.column, d.code) for d in caught.value.diagnostics]


DOCUMENTS = [parse_yaml(p.read_text(encoding="utf-8"))[0] for p in MODELS]
PLACES = [(i, path) for i, document in enumerate(DOCUMENTS) for path in _numbers(document)]


def test_the_example_models_have_numbers_of_every_kind_to_spoil():
    kinds = {path[-1] for _, path in PLACES if isinstance(path[-1], str)}
    assert {"duration", "mean", "sd", "capacity", "cost_per_hour", "p", "share", "value", "scale",
            "tolerance", "standard", "length", "balk_at", "material_cost"} <= kinds
    assert len(PLACES) >= 150


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLACES), st.sampled_from(NON_FINITE))
def test_a_non_finite_number_anywhere_in_a_model_is_refused_at_that_number(place, form):
    index, path = place
    text = _with(DOCUMENTS[index], path, form)
    _, source = parse_yaml(text)
    line, column = source.place(path)
    assert _refused(text) == [(line, column, "bad-value")]


def test_the_yaml_reader_turns_overflowing_numbers_into_infinity():
    assert resolve_plain_scalar("1e309") == float("inf")
    assert resolve_plain_scalar("-1" + "0" * 400) == float("-inf")
    assert resolve_plain_scalar("9" * 5000) == float("inf")        # more digits than Python converts
    assert resolve_plain_scalar("0" * 5000 + "7") == 7              # leading zeros do not count
    assert resolve_plain_scalar("0x" + "f" * 300) == float("inf")
    assert resolve_plain_scalar(str(2**1000)) == 2**1000            # below the largest float: kept
    assert resolve_plain_scalar("1.7976931348623157e308") == 1.7976931348623157e308


def test_the_message_says_what_is_wrong_with_each_kind():
    base = ("blueprint: 1\nname: Kiosk\nhorizon: {open: \"09:00\", close: \"10:00\"}\n"
            "demand: {arrivals_per_hour: 5}\nsteps:\n  - {id: buy, zone: customer, "
            "evidence: [Till], duration: %s}\n")
    messages = {}
    for form in (".inf", "-.inf", ".nan", "1e309"):
        with pytest.raises(ModelError) as caught:
            blueprint.loads(base % form)
        (diagnostic,) = caught.value.diagnostics
        messages[form] = diagnostic.message
    assert messages[".nan"] == "must be a finite number, not `.nan` (not a number)"
    assert messages[".inf"] == messages["1e309"] == (
        "must be a finite number, not infinity (`.inf`, or a number beyond ±1.8e308 such as "
        "`1e309`)")
    assert messages["-.inf"].startswith("must be a finite number, not minus infinity (`-.inf`")


def test_text_that_reads_as_a_non_finite_number_stays_a_wrong_type_where_text_belongs():
    text = ("blueprint: 1\nname: .inf\nhorizon: {open: \"09:00\", close: \"10:00\"}\n"
            "demand: {arrivals_per_hour: 5}\nsteps:\n  - {id: buy, zone: support}\n")
    assert _refused(text) == [(2, 7, "wrong-type")]


# --- the format version: the integer 1, nothing that merely equals it ---------------------------

VERSIONED = ("blueprint: %s\nname: Kiosk\nhorizon: {open: \"09:00\", close: \"10:00\"}\n"
             "demand: {arrivals_per_hour: 5}\nsteps:\n  - {id: buy, zone: support}\n")


@pytest.mark.parametrize("version", ["true", "1.0", "1e0", "1.", "'1'", "2", ".inf", "",
                                     "[1]"])
def test_only_the_integer_1_is_version_1(version):
    assert _refused(VERSIONED % version) == [(1, 12 if version else 11, "bad-version")]


def test_the_integer_1_in_any_spelling_yaml_reads_as_the_integer_is_version_1():
    for version in ("1", "+1", "01", "0x1", "0o1"):
        blueprint.loads(VERSIONED % version)


def test_version_messages_name_what_was_written():
    with pytest.raises(ModelError) as caught:
        blueprint.loads(VERSIONED % "true")
    assert caught.value.diagnostics[0].message == (
        "the format version is the integer 1, not the boolean true: write `blueprint: 1`")
    with pytest.raises(ModelError) as caught:
        blueprint.loads(VERSIONED % "1.0")
    assert caught.value.diagnostics[0].message == (
        "the format version is the integer 1, not 1.0: write `blueprint: 1`")


# --- studies: targets, and override values that go through the model -----------------------------

MODEL = """\
blueprint: 1
name: Post office counter
horizon: {open: "09:00", close: "13:00"}
resources:
  clerk: {capacity: 2, cost_per_hour: 25}
demand: {arrivals_per_hour: 30, value: 6}
steps:
  - {id: queue, zone: customer, evidence: [Ticket], duration: 0.2}
  - {id: counter, zone: frontstage, resource: clerk, duration: {dist: exponential, mean: 1.3}}
"""


def _study(tmp_path: Path, body: str) -> Path:
    (tmp_path / "model.yaml").write_text(MODEL)
    study = tmp_path / "study.yaml"
    study.write_text("study: Counter\nmodel: model.yaml\nreplications: 2\n" + body)
    return study


def _study_refused(study: Path) -> list[tuple[int, int, str]]:
    with pytest.raises(ModelError) as caught:
        load_study(study)
    return [(d.line, d.column, d.code) for d in caught.value.diagnostics]


def test_non_finite_targets_are_refused_at_their_values(tmp_path):
    study = _study(tmp_path, "targets:\n"
                             "  service_level: {step: counter, within: .inf, at_least: .nan}\n"
                             "  staff_cost: {at_most: 1e309}\n"
                             "  time_in_system: {at_least: -.inf}\n")
    # line 5: `  service_level: {step: counter, within: .inf, at_least: .nan}`
    assert _study_refused(study) == [(5, 42, "bad-value"), (5, 58, "bad-value"),
                                     (6, 25, "bad-value"), (7, 30, "bad-value")]


def test_a_non_finite_override_value_is_refused_at_that_value(tmp_path, capsys):
    study = _study(tmp_path, "scenarios:\n  endless_day:\n    demand.scale: .inf\n")
    # line 6: `    demand.scale: .inf`, the value at column 19
    assert _study_refused(study) == [(6, 19, "bad-scenario")]
    assert main(["whatif", str(study)]) == 1
    err = capsys.readouterr().err
    assert "must be a finite number" in err and "Traceback" not in err


def test_a_non_finite_sweep_value_is_refused_at_that_value(tmp_path):
    study = _study(tmp_path, "sweep:\n  steps.counter.duration: [1, .nan, 1.5]\n")
    # line 5: `  steps.counter.duration: [1, .nan, 1.5]`, .nan at column 31
    assert _study_refused(study) == [(5, 31, "bad-scenario")]


def test_the_study_schema_bounds_its_numbers_too():
    import json

    from jsonschema import Draft7Validator

    schema = json.loads((ROOT / "models" / "study.schema.json").read_text(encoding="utf-8"))
    validator = Draft7Validator(schema)
    good = {"study": "S", "model": "m.yaml", "targets": {"staff_cost": {"at_most": 2000}}}
    bad = {"study": "S", "model": "m.yaml", "targets": {"staff_cost": {"at_most": float("inf")}}}
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors(bad)) != []


def test_finite_numbers_whose_product_overflows_are_refused_at_the_rate():
    text = ("blueprint: 1\nname: Kiosk\nhorizon: {open: \"09:00\", close: \"17:00\"}\n"
            "demand:\n  arrivals_per_hour: 1e308\n  scale: 10\nsteps:\n"
            "  - {id: buy, zone: customer, evidence: [Till], duration: 1}\n")
    # 1e308 an hour × 10 × 8 hours is beyond the largest float: at the key `arrivals_per_hour`
    assert _refused(text) == [(5, 3, "bad-demand")]
    blueprint.loads(text.replace("scale: 10", "scale: 1e-300"))   # 8e8 customers: a number
