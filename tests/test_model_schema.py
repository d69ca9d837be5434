"""The committed editor schema accepts exactly what the loader accepts, as far as JSON Schema can.

An editor that checks a model against ``models/blueprint.schema.json`` must
not underline a model that loads, and should underline what the loader will
refuse for its shape. Everything is checked with a real draft-07 validator
(``jsonschema``) against the COMMITTED file, the one editors download.
"""

from __future__ import annotations

import ast
import copy
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft7Validator

import blueprint
from blueprint.diagnostics import ModelError
from blueprint.loader import parse_yaml
from tests.yaml_builders import forward_models, rich_models

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "models" / "blueprint.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft7Validator(SCHEMA)
MODELS = sorted((ROOT / "models").glob("*.yaml"))
BROKEN = ROOT / "tests" / "broken"


def schema_errors(document: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(document)]


def plain(text: str) -> Any:
    return parse_yaml(text)[0]


def loads_ok(text: str) -> bool:
    try:
        blueprint.loads(text)
    except ModelError:
        return False
    return True


def test_the_committed_schema_is_a_valid_draft_07_schema():
    Draft7Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"


# --- what loads, validates ------------------------------------------------------------------


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_every_example_model_validates(path):
    assert schema_errors(plain(path.read_text(encoding="utf-8"))) == []


def _readme_models() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    return [b for b in blocks if re.match(r"(#.*\n)*blueprint: 1\n", b)]


def test_the_readme_has_whole_models_to_check():
    assert len(_readme_models()) >= 1


@pytest.mark.parametrize("text", _readme_models())
def test_every_whole_model_in_the_readme_validates(text):
    assert loads_ok(text)
    assert schema_errors(plain(text)) == []


def _suite_models() -> list[tuple[str, str]]:
    """Every string literal in the tests that is a whole model the loader accepts."""
    found = []
    for source in sorted((ROOT / "tests").glob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and "blueprint: 1" in node.value and "steps:" in node.value:
                text = node.value
                if loads_ok(text):
                    found.append((f"{source.stem}:{node.lineno}", text))
    return found


def _templates() -> list[tuple[str, str]]:
    """The suite's model templates, filled in as the suite fills them."""
    from tests.test_staffing import HOTLINE

    return [("test_staffing:HOTLINE", HOTLINE.format(close="12:00", rates=200)),
            ("test_staffing:HOTLINE by clock", HOTLINE.format(
                close="13:00", rates='{"09:00": 100, "11:00": 300}'))]


SUITE_MODELS = _suite_models() + _templates()


def test_the_suite_has_valid_models_to_check():
    assert len(SUITE_MODELS) >= 11


@pytest.mark.parametrize("text", [t for _, t in SUITE_MODELS], ids=[n for n, _ in SUITE_MODELS])
def test_every_model_the_test_suite_loads_validates(text):
    assert schema_errors(plain(text)) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forward_models())
def test_generated_forward_models_validate(text):
    assert schema_errors(plain(text)) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rich_models())
def test_generated_rich_models_validate(text):
    assert schema_errors(plain(text)) == []


# --- typo'd keys are refused at every level --------------------------------------------------

FULL = """\
blueprint: 1
name: Bakery
time_unit: min
horizon: {open: "07:00", close: "12:00"}
phases: [Buy]
actors: {frontstage: [Baker]}
resources:
  till:
    schedule:
      - {from: "07:00", to: "12:00", capacity: 2}
    cost_per_hour: 15
demand:
  arrivals_per_hour: {"07:00": 30, "09:00": 50}
  classes:
    regular: {share: 0.9}
    catering: {share: 0.1, priority: 0}
  patience: {dist: exponential, mean: 10}
steps:
  - id: choose
    zone: customer
    phase: Buy
    evidence: [Shop window, {name: Price tag, kind: peripheral}]
    next:
      - {to: pay, p: {regular: 1, catering: 0.5}}
      - {to: order_cake}
  - id: order_cake
    zone: frontstage
    actor: Baker
    resource: till
    duration: {dist: triangular, low: 2, mode: 4, high: 9}
    fail_points:
      - {id: wrong_date, name: Wrong date written, p: 0.02, effect: delay, delay: 3, recovery: Call back}
    next: {all: [pay, bake]}
  - id: bake
    zone: backstage
    duration: 30
    next: pay
  - id: pay
    zone: frontstage
    resource: till
    join: all
    duration: 1.5
    next: end
links:
  - {from: bake, to: order_cake, label: oven slots}
"""


def test_the_full_model_loads_and_validates():
    assert loads_ok(FULL)
    assert schema_errors(plain(FULL)) == []


def _node(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        document = document[part]
    return document


TYPO_PLACES = {
    "top": (),
    "horizon": ("horizon",),
    "resource": ("resources", "till"),
    "shift": ("resources", "till", "schedule", 0),
    "demand": ("demand",),
    "class": ("demand", "classes", "regular"),
    "demand distribution": ("demand", "patience"),
    "step": ("steps", 1),
    "step distribution": ("steps", 1, "duration"),
    "evidence": ("steps", 0, "evidence", 1),
    "branch": ("steps", 0, "next", 0),
    "fork": ("steps", 1, "next"),
    "fail point": ("steps", 1, "fail_points", 0),
    "link": ("links", 0),
}


@pytest.mark.parametrize("place", list(TYPO_PLACES))
def test_a_misspelt_key_is_refused_at_every_level(place):
    document = copy.deepcopy(plain(FULL))
    _node(document, TYPO_PLACES[place])["descripton"] = "typo"
    assert schema_errors(document) != []


# --- the loader's broken corpus ---------------------------------------------------------------

# Files whose first error is the schema's own (a key, a type, a value, an id, a shape): the
# editor schema refuses every one of them.
SCHEMA_REFUSES = [
    "bad_clock_time.yaml", "bad_clock_time_number.yaml", "bad_id_and_its_references.yaml",
    "bad_next.yaml", "bad_step_id.yaml", "bad_version.yaml", "bad_zone.yaml",
    "demand_missing_arrivals.yaml", "demand_trace_and_rate.yaml", "dist_negative_mean.yaml",
    "dist_unknown_name.yaml", "empty_steps.yaml", "goto_without_target.yaml",
    "missing_fail_point_name_and_broken_goto.yaml", "missing_name.yaml", "missing_steps.yaml",
    "missing_zone.yaml", "missing_zone_and_unknown_resource.yaml", "multi_schema_errors.yaml",
    "redo_always.yaml", "schedule_and_capacity.yaml", "step_id_end.yaml",
    "unknown_key_demand.yaml", "unknown_key_distribution.yaml",
    "unknown_key_distribution_misspelt.yaml", "unknown_key_fail_point.yaml",
    "unknown_key_resource.yaml", "unknown_key_step.yaml", "unknown_key_top.yaml",
    "wrong_type_bool_for_number.yaml", "wrong_type_duration_text.yaml",
    "wrong_type_list_for_mapping.yaml", "wrong_type_string_for_list.yaml",
    "wrong_type_string_for_number.yaml", "zero_width_in_id.yaml",
    # a consistency check in the loader, but one JSON Schema can say: no clock rates without a day
    "demand_clock_rates_steady_state.yaml",
    # infinity (`.inf`, `1e309`, a 400-digit integer) is above every bound the schema sets
    "nonfinite_arrival_rate_constant.yaml", "nonfinite_arrival_rates.yaml",
    "nonfinite_class_values.yaml", "nonfinite_costs_and_standards.yaml",
    "nonfinite_delay_and_patience.yaml", "nonfinite_distribution_parameters.yaml",
    "nonfinite_duration_fixed.yaml", "nonfinite_empirical_value.yaml",
    "nonfinite_huge_integers.yaml", "nonfinite_probabilities.yaml", "nonfinite_steady_state.yaml",
    "version_boolean.yaml",
]

# Schema-stage errors JSON Schema (draft-07) cannot express: each compares two values of the
# same document, or sums them. The schema accepts these files; the loader does not.
SCHEMA_CANNOT_SAY = {
    "dist_low_above_high.yaml": "uniform needs low < high: one value against another",
    "dist_triangular_mode_outside.yaml": "low <= mode <= high: one value against others",
    "horizon_close_before_open.yaml": "close after open: comparing two clock times",
    "schedule_end_before_start.yaml": "a shift ends after it starts: comparing two clock times",
    "demand_shares.yaml": "class shares sum to 1: JSON Schema has no sums",
    "nonfinite_not_a_number.yaml": "`.nan` fails no comparison, so no bound refuses it",
    "version_decimal.yaml": "JSON has one kind of number: 1.0 is the const 1",
}

# Files the YAML reader refuses before there is a document to check.
NOT_A_DOCUMENT = [
    "duplicate_key_nested.yaml", "duplicate_key_top.yaml", "not_a_mapping.yaml",
    "only_comments.yaml", "syntax_bad_indentation.yaml", "syntax_unclosed_bracket.yaml",
    "syntax_unclosed_quote.yaml", "syntax_unclosed_quote_midfile.yaml",
    "unsafe_tag_custom.yaml", "unsafe_tag_python.yaml", "yaml_tab_indent.yaml",
]


def _corpus(name: str) -> Any:
    return plain((BROKEN / name).read_text(encoding="utf-8"))


def test_every_corpus_file_is_classified_once():
    classified = [*SCHEMA_REFUSES, *SCHEMA_CANNOT_SAY, *NOT_A_DOCUMENT]
    assert len(classified) == len(set(classified))
    assert set(classified) <= {p.name for p in BROKEN.glob("*.yaml")}


@pytest.mark.parametrize("name", SCHEMA_REFUSES)
def test_schema_stage_corpus_files_are_refused_by_the_schema(name):
    assert schema_errors(_corpus(name)) != []


@pytest.mark.parametrize("name", list(SCHEMA_CANNOT_SAY))
def test_what_the_schema_cannot_say_is_accepted_by_it_and_refused_by_the_loader(name):
    assert schema_errors(_corpus(name)) == []
    with pytest.raises(ModelError):
        blueprint.load(BROKEN / name)


REFERENCE_STAGE = sorted({p.name for p in BROKEN.glob("*.yaml")}
                         - {*SCHEMA_REFUSES, *SCHEMA_CANNOT_SAY, *NOT_A_DOCUMENT})


def test_reference_stage_files_are_the_expected_ones():
    # names, reference checks and structure: what no schema of one file's shape can know
    assert "unknown_step_next.yaml" in REFERENCE_STAGE and "endless_loop.yaml" in REFERENCE_STAGE
    assert len(REFERENCE_STAGE) >= 25


@pytest.mark.parametrize("name", REFERENCE_STAGE)
def test_files_broken_only_in_their_references_or_structure_are_accepted_by_the_schema(name):
    # the schema must not be stricter than the loader's shape checks
    assert schema_errors(_corpus(name)) == []


# --- the forms the loader accepts, one by one ---------------------------------------------------


def _edited(old: str, new: str) -> str:
    assert old in FULL
    return FULL.replace(old, new)


# (old text, new text, whether the loader accepts it), decided by the format's rules
FORMS = {
    "evidence as text": ("[Shop window, {name", "[Shop window, {name", True),
    "evidence empty text": ("[Shop window, {name", '["", {name', False),
    "evidence without name": ("{name: Price tag, kind: peripheral}", "{kind: peripheral}", False),
    "clock 9:05": ('open: "07:00"', 'open: "7:00"', True),
    "clock 24:00": ('close: "12:00"}', 'close: "24:00"}', True),
    "clock 24:30": ('close: "12:00"}', 'close: "24:30"}', False),
    "clock 12:60": ('close: "12:00"}', 'close: "12:60"}', False),
    "clock with seconds": ('close: "12:00"}', 'close: "12:00:00"}', False),
    "clock trailing newline": ('close: "12:00"}', 'close: "12:00\\n"}', False),
    "clock Arabic-Indic digits": ('close: "12:00"}', 'close: "١٢:٠٠"}', False),
    "rate key 25:00": ('"09:00": 50}', '"25:00": 50}', False),
    "rates empty mapping": ('{"07:00": 30, "09:00": 50}', "{}", False),
    "constant rate": ('{"07:00": 30, "09:00": 50}', "40", True),
    "rates left empty": ('{"07:00": 30, "09:00": 50}', "", False),
    "Chinese step id": ("bake", "烤面包", True),
    "id with a space": ("  - id: bake\n", "  - id: bake it\n", False),
    "id starting with a digit": ("  - id: bake\n", "  - id: 2bake\n", False),
    "id end": ("  - id: bake\n", "  - id: end\n", False),
    "fork to end": ("{all: [pay, bake]}", "{all: [pay, end]}", False),
    "goto end": ("effect: delay, delay: 3", "effect: goto, goto: end", False),
    "delay without effect delay": ("effect: delay, delay: 3", "effect: redo, delay: 3", False),
    "delay left empty": ("effect: delay, delay: 3", "effect: delay, delay: null", False),
    "goto left empty without goto": ("effect: delay, delay: 3", "effect: redo, goto: null", True),
    "redo p 1": ("p: 0.02, effect: delay, delay: 3", "p: 1, effect: redo", False),
    "redo p 0.5": ("p: 0.02, effect: delay, delay: 3", "p: 0.5, effect: redo", True),
    "fixed without dist": ("    duration: 30\n", "    duration: {value: 30}\n", False),
    "fixed with dist": ("    duration: 30\n", "    duration: {dist: fixed, value: 30}\n", True),
    "negative duration": ("    duration: 30\n", "    duration: -1\n", False),
    "infinite duration": ("    duration: 30\n", "    duration: .inf\n", False),
    "duration that overflows": ("    duration: 30\n", "    duration: 1e309\n", False),
    "the largest finite duration": ("    duration: 30\n", "    duration: 1.7e308\n", True),
    "infinite cost": ("cost_per_hour: 15", "cost_per_hour: .inf", False),
    "infinite class share": ("catering: {share: 0.1", "catering: {share: -.inf", False),
    "a 400-digit capacity": ("capacity: 2}", "capacity: 1" + "0" * 400 + "}", False),
    "next a list of one": ("next: pay\n", "next: [{to: pay}]\n", True),
    "next empty list": ("next: pay\n", "next: []\n", False),
    "fork of one": ("{all: [pay, bake]}", "{all: [pay]}", False),
    "per-class p above 1": ("p: {regular: 1, catering: 0.5}", "p: {regular: 1.5, catering: 0.5}", False),
    "capacity and schedule": ("    cost_per_hour: 15", "    cost_per_hour: 15\n    capacity: 2", False),
    "capacity left empty beside a schedule": ("    cost_per_hour: 15",
                                               "    cost_per_hour: 15\n    capacity:", True),
    "steady state with clock rates": ('horizon: {open: "07:00", close: "12:00"}',
                                      "horizon: {length: 600}", False),
    "horizon with both": ('horizon: {open: "07:00", close: "12:00"}',
                          'horizon: {open: "07:00", close: "12:00", length: 9}', False),
    "phase with a zero-width space": ("phases: [Buy]", "phases: [Buy, \"Pay\\u200b\"]", False),
    "actor with a joiner inside a word": ("Baker", "Bak\u200der", True),
    "actor with a joiner at its end": ("Baker", "Baker\u200d", False),
    "actor with a variation selector after a letter": ("Baker", "Baker\ufe0f", True),
    "actor with a variation selector after a space": ("Baker", "Baker \ufe0f", False),
    "actor with a right-to-left override": ("Baker", "\u202eBaker", False),
    "actor with a control character": ("[Baker]", '["Baker\\x01"]', False),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_the_schema_and_the_loader_agree_on_each_form(form):
    old, new, accepted = FORMS[form]
    text = _edited(old, new)
    assert loads_ok(text) is accepted
    assert (schema_errors(plain(text)) == []) is accepted


# --- the id, name and clock patterns mean the same in JavaScript --------------------------------

PATTERN_SAMPLES = ["order", "_x", "普通用户", "πελάτης", "касса", "café", "a b", "1a", "a-b",
                   "or\u200bder", "abc\n", "Ｔｅｌｌｅｒ", "", "a\u202eb", "09:00", "9:05", "24:00",
                   "24:30", " 09:00 ", "09:00\n", "Front desk", "Pay\u200b"]


@pytest.mark.skipif(shutil.which("node") is None, reason="node (a JavaScript engine) is not installed")
def test_patterns_match_the_same_texts_in_python_and_javascript():
    patterns = {name: SCHEMA["definitions"][name]["pattern"] for name in ("Id", "Name", "ClockTime")}
    script = (
        "const [patterns, samples] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const out = {};"
        "for (const [name, p] of Object.entries(patterns)) {"
        "  for (const flags of ['', 'u']) {"
        "    const re = new RegExp(p, flags);"
        "    out[name + '/' + flags] = samples.map(s => re.test(s)); } }"
        "process.stdout.write(JSON.stringify(out));"
    )
    run = subprocess.run(["node", "-e", script], input=json.dumps([patterns, PATTERN_SAMPLES]),
                         capture_output=True, text=True, check=True)
    javascript = json.loads(run.stdout)
    for name, pattern in patterns.items():
        python = [re.search(pattern, s) is not None for s in PATTERN_SAMPLES]
        assert javascript[name + "/"] == python, name
        assert javascript[name + "/u"] == python, name


def test_the_id_pattern_on_samples():
    pattern = SCHEMA["definitions"]["Id"]["pattern"]
    accepted = [s for s in PATTERN_SAMPLES if re.search(pattern, s)]
    assert accepted == ["order", "_x", "普通用户", "πελάτης", "касса", "café", "Ｔｅｌｌｅｒ"]
