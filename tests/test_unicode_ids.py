"""Ids in any script, compared composed, and refused when a reader would be deceived."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import blueprint
from blueprint.analysis.overrides import apply_overrides, parse_path
from blueprint.analysis.study import load_study
from blueprint.loader import load_plain, parse_yaml, read_document
from blueprint.model.ids import INVISIBLE, skeleton
from tests.conftest import diagnostics_of, located_codes

# A post office written in Chinese, with ids in every place an id goes.
POST_OFFICE = """\
blueprint: 1
name: 邮局柜台
horizon: {open: "08:30", close: "17:00"}
phases: [到达, 办理业务]
actors:
  frontstage: [营业员]
  backstage: [后台 分拣]
resources:
  柜员: {capacity: 2, cost_per_hour: 40}
demand:
  arrivals_per_hour: 30
  classes:
    普通用户: {share: 0.9}
    贵宾: {share: 0.1, priority: 0}
steps:
  - id: 取号
    zone: customer
    phase: 到达
    evidence: [取号机]
  - id: 受理
    zone: frontstage
    phase: 办理业务
    actor: 营业员
    resource: 柜员
    duration: {dist: exponential, mean: 4}
    fail_points:
      - {id: 填错单, name: 单据填写错误, p: 0.05, effect: goto, goto: 取号, recovery: 帮助重填}
    next:
      - {to: 分拣, p: {普通用户: 0.3, 贵宾: 0.5}}
      - {to: 离开}
  - id: 分拣
    zone: backstage
    actor: 后台 分拣
    duration: 1
    next: {all: [登记, 离开]}
  - id: 登记
    zone: support
    duration: 0.2
    next: 离开
  - id: 离开
    zone: customer
    join: all
    evidence: [回执]
    next: end
links:
  - {from: 登记, to: 受理, label: 登记结果}
"""


def test_chinese_ids_are_accepted_everywhere_ids_go():
    bp = blueprint.loads(POST_OFFICE)
    model = bp.model
    assert [s.id for s in model.steps] == ["取号", "受理", "分拣", "登记", "离开"]
    assert list(model.resources) == ["柜员"]
    assert model.demand.class_names == ["普通用户", "贵宾"]
    step = model.step("受理")
    assert (step.resource, step.actor, step.phase) == ("柜员", "营业员", "办理业务")
    assert step.fail_points[0].goto == "取号"
    assert [b.to for b in step.next] == ["分拣", "离开"]
    assert model.step("分拣").next.all == ["登记", "离开"]
    assert (model.links[0].source, model.links[0].target) == ("登记", "受理")


@pytest.mark.parametrize("ids", [
    ("πελάτης", "ταμείο", "επιστροφή"),      # Greek
    ("клиент", "касса", "возврат"),          # Cyrillic
    ("受付", "会計", "お見送り"),              # Japanese, kana and kanji
    ("café_crème", "naïve", "Øresund"),      # Latin with diacritics
])
def test_ids_in_other_scripts_load_and_reference_each_other(ids):
    first, second, third = ids
    text = f"""\
blueprint: 1
name: Service
horizon: {{open: "09:00", close: "17:00"}}
resources:
  {second}: {{capacity: 1}}
demand: {{arrivals_per_hour: 10}}
steps:
  - {{id: {first}, zone: customer, evidence: [Sign], next: {second}}}
  - {{id: {second}, zone: frontstage, resource: {second}, duration: 2}}
  - {{id: {third}, zone: customer, evidence: [Receipt], next: end}}
"""
    model = blueprint.loads(text).model
    assert [s.id for s in model.steps] == [first, second, third]
    assert model.step(first).next == second


def _decomposed(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_decomposed_input_loads_to_the_same_model_as_composed():
    text = POST_OFFICE.replace("柜员", "caissière").replace("受理", "accueil_café")
    assert _decomposed(text) != text
    composed = blueprint.loads(text).model
    decomposed = blueprint.loads(_decomposed(text)).model
    assert decomposed.model_dump() == composed.model_dump()
    assert decomposed.step("accueil_café").resource == "caissière"


def test_a_reference_typed_decomposed_finds_the_composed_id():
    text = POST_OFFICE.replace("柜员", "caissière")
    text = text.replace("resource: caissière", _decomposed("resource: caissière"))
    assert blueprint.loads(text).model.step("受理").resource == "caissière"


def test_keys_are_composed_as_the_yaml_is_read():
    plain, source = parse_yaml(_decomposed("é: 1\n"))
    assert list(plain) == ["é"]
    assert ("é",) in source.positions


def test_a_key_written_composed_and_decomposed_is_a_duplicate_key():
    assert located_codes("blueprint: 1\ncafé: 1\n" + _decomposed("café") + ": 2\n") == [
        (3, 1, "duplicate-key")]


# --- invisible characters: refused at the id's own line and column -----------------------


def _at(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_zero_width_space_in_a_step_id_is_refused_and_named():
    text = _at(POST_OFFICE, "  - id: 取号\n", "  - id: 取\u200b号\n")
    (d,) = [d for d in diagnostics_of(text) if d.code == "bad-id"]
    # line 16: `  - id: ` is 8 characters, so the value starts at column 9
    assert (d.line, d.column) == (16, 9)
    assert "U+200B ZERO WIDTH SPACE" in d.message and "cannot be seen" in d.message


def test_zero_width_space_in_a_resource_key_is_refused_at_the_key():
    text = POST_OFFICE.replace("柜员", "柜\ufeff员")
    # the key on line 9, column 3; the references repeat the same text and add nothing
    assert located_codes(text) == [(9, 3, "bad-id")]
    assert "U+FEFF ZERO WIDTH NO-BREAK SPACE" in diagnostics_of(text)[0].message


def test_bidi_control_in_an_actor_name_is_refused_and_named():
    text = _at(POST_OFFICE, "  frontstage: [营业员]", "  frontstage: [营业员\u202e]")
    (d,) = diagnostics_of(text)
    # line 6, `  frontstage: [` is 15 characters
    assert (d.line, d.column, d.code) == (6, 16, "bad-name")
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in d.message


def test_bidi_control_in_a_reference_is_refused_where_it_is_written():
    text = _at(POST_OFFICE, "    resource: 柜员\n", "    resource: \u2066柜员\n")
    # line 24, `    resource: ` is 14 characters
    assert located_codes(text) == [(24, 15, "bad-id")]


def test_a_joiner_inside_a_word_of_a_name_is_kept():
    persian = "می\u200cخواهم"  # a zero-width non-joiner between two letters, as Persian writes it
    text = POST_OFFICE.replace("营业员", persian)
    assert blueprint.loads(text).model.step("受理").actor == persian


def test_a_joiner_at_the_end_of_a_name_is_refused():
    text = POST_OFFICE.replace("营业员", "营业员\u200d")
    assert {d.code for d in diagnostics_of(text)} == {"bad-name"}


@pytest.mark.parametrize("char", sorted(c for c in INVISIBLE if ord(c) < 0x10000))
def test_every_invisible_character_in_an_id_is_refused(char):
    text = _at(POST_OFFICE, "  - id: 取号\n", f"  - id: 取{char}号\n")
    codes = {(d.line, d.column, d.code) for d in diagnostics_of(text)}
    assert (16, 9, "bad-id") in codes


# --- confusable ids ---------------------------------------------------------------------------

CAFE = """\
blueprint: 1
name: Café
horizon: {open: "07:00", close: "11:00"}
phases: [Order, Drink]
actors:
  frontstage: [Barista, Cashier]
  backstage: [Barista]
resources:
  barista: {capacity: 2}
  till: {capacity: 1}
demand:
  arrivals_per_hour: 30
  classes:
    regular: {share: 0.8}
    loyal: {share: 0.2}
steps:
  - id: order
    zone: customer
    phase: Order
    evidence: [Menu board]
  - id: take_order
    zone: frontstage
    actor: Cashier
    resource: till
    duration: 1
    fail_points:
      - {id: wrong_change, name: Wrong change given, p: 0.02, effect: redo, recovery: Count again}
  - id: brew
    zone: backstage
    actor: Barista
    resource: barista
    duration: 2
  - id: drink
    zone: customer
    phase: Drink
    evidence: [Cup]
    next: end
"""


def test_an_actor_in_two_zones_is_one_actor_not_a_confusion():
    assert blueprint.loads(CAFE).model.actors["backstage"] == ["Barista"]


def _only(text: str) -> tuple[int, int, str, str]:
    (d,) = diagnostics_of(text)
    return d.line, d.column, d.code, d.message


def test_greek_omicron_in_a_step_id_is_confusable_with_latin():
    text = _at(CAFE, "  - id: brew", "  - id: οrder")  # Greek small omicron
    # step 3 is on line 28 (`  - id: ` then the id at column 9); `order` is on line 17
    line, column, code, message = _only(text)
    assert (line, column, code) == (28, 9, "confusable-id")
    assert message == ("step id 'οrder' can be mistaken for step id 'order' (line 17): they differ "
                       "only by look-alike characters (U+03BF GREEK SMALL LETTER OMICRON where "
                       "the other has U+006F LATIN SMALL LETTER O)")


def test_cyrillic_letters_in_a_resource_are_confusable_with_latin():
    text = _at(CAFE, "  till: {capacity: 1}", "  till: {capacity: 1}\n  bаrista: {capacity: 1}")
    line, column, code, message = _only(text)
    # the Cyrillic а (U+0430) key on line 11, at its key; the Latin one on line 9
    assert (line, column, code) == (11, 3, "confusable-id")
    assert "resource 'barista' (line 9)" in message and "U+0430 CYRILLIC SMALL LETTER A" in message


def test_ids_that_differ_only_by_case_are_confusable():
    text = _at(CAFE, "    loyal: {share: 0.2}", "    Regular: {share: 0.2}")
    line, column, code, message = _only(text)
    assert (line, column, code) == (15, 5, "confusable-id")
    assert message == ("customer class 'Regular' can be mistaken for customer class 'regular' "
                       "(line 14): they differ only by case")


def test_full_width_letters_are_confusable_with_ascii():
    text = _at(CAFE, "  - id: drink", "  - id: ｂｒｅｗ")
    line, column, code, message = _only(text)
    assert (line, column, code) == (33, 9, "confusable-id")
    assert "only in the width or form of a character" in message
    assert "U+FF42 FULLWIDTH LATIN SMALL LETTER B" in message


def test_a_fail_point_id_shares_the_namespace_of_step_ids():
    text = CAFE.replace("{id: wrong_change,", "{id: Brew,")
    line, column, code, message = _only(text)
    # the fail point is read after every step id: it is the later one
    assert (line, column, code) == (27, 14, "confusable-id")  # `      - {id: ` is 13 wide
    assert message.startswith("fail point id 'Brew' can be mistaken for step id 'brew' (line 28)")


def test_actors_are_compared_across_zones():
    text = CAFE.replace("  backstage: [Barista]", "  backstage: [barista]").replace(
        "    actor: Barista", "    actor: barista")
    line, column, code, message = _only(text)
    assert (line, column, code) == (7, 15, "confusable-id")
    assert "backstage actor 'barista' can be mistaken for frontstage actor 'Barista' (line 6)" in message


def test_phases_that_differ_only_in_spacing_are_confusable():
    text = CAFE.replace("phases: [Order, Drink]", 'phases: [Order, Drink, "Order  "]')
    line, column, code, message = _only(text)
    assert (line, column, code) == (4, 24, "confusable-id")
    assert "only in spacing" in message


def test_a_step_called_End_is_confusable_with_the_end_of_the_journey():
    text = _at(CAFE, "  - id: drink", "  - id: End")
    line, column, code, message = _only(text)
    assert (line, column, code) == (33, 9, "confusable-id")
    assert "`end`" in message and "only by case" in message


def test_the_same_look_in_different_kinds_is_not_a_confusion():
    # a resource and a step may share a name: they are never referred to in the same place
    text = CAFE.replace("  - id: brew", "  - id: Barista")
    assert blueprint.loads(text).model.step("Barista").resource == "barista"


# --- dotted override paths --------------------------------------------------------------------


def test_override_paths_take_unicode_ids():
    assert parse_path("resources.柜员.capacity") == ["resources", "柜员", "capacity"]
    assert parse_path("steps.受理.fail_points[0].p") == ["steps", "受理", "fail_points", 0, "p"]


def test_override_paths_are_composed_before_they_are_compared():
    assert parse_path(_decomposed("resources.caissière.capacity")) == [
        "resources", "caissière", "capacity"]


def test_an_override_by_step_id_in_chinese_changes_that_step():
    plain, _ = parse_yaml(POST_OFFICE)
    changed = apply_overrides(plain, {"steps.受理.duration": 3, "resources.柜员.capacity": 4})
    assert changed["steps"][1]["duration"] == 3
    assert changed["resources"]["柜员"]["capacity"] == 4


# --- any Unicode identifier round-trips ---------------------------------------------------------

identifiers = st.text(
    alphabet=st.characters(categories=("Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Mn", "Mc", "Nd", "Pc")),
    min_size=1, max_size=6,
).map(lambda s: unicodedata.normalize("NFC", s)).filter(
    lambda s: s.isidentifier() and not any(c in INVISIBLE for c in s) and skeleton(s) != "end")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(identifiers, min_size=3, max_size=3))
def test_any_unicode_identifiers_round_trip_as_ids(ids):
    assume(len({skeleton(i) for i in [*ids, ids[2] + "_"]}) == 4)
    first, second, third = ids
    text = f"""\
blueprint: 1
name: Generated
horizon: {{open: "09:00", close: "17:00"}}
resources:
  "{second}": {{capacity: 1}}
demand:
  arrivals_per_hour: 10
  classes: {{"{first}": {{share: 1}}}}
steps:
  - {{id: "{first}", zone: customer, evidence: [Sign], next: "{second}"}}
  - id: "{second}"
    zone: frontstage
    resource: "{second}"
    duration: 2
    fail_points: [{{id: "{third}", name: Slip, p: 0.1, effect: redo, recovery: Again}}]
  - {{id: "{third}_", zone: customer, evidence: [Receipt], next: end}}
links:
  - {{from: "{third}_", to: "{first}"}}
"""
    model = blueprint.loads(text).model
    assert [s.id for s in model.steps] == [first, second, f"{third}_"]
    assert list(model.resources) == [second]
    assert model.demand.class_names == [first]
    assert model.step(first).next == second
    assert model.step(second).fail_points[0].id == third


# --- the Chinese example and its study ------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def test_the_chinese_study_changes_what_its_chinese_paths_name():
    study = load_study(ROOT / "sims" / "appliance_aftersales_zh_staffing.yaml")
    overrides = {s.name: s.overrides for s in study.scenarios}
    assert "resources.服务工程师.schedule[2].capacity=16,demand.scale=1.3" in overrides
    document, source = read_document(ROOT / "models" / "appliance_aftersales_zh.yaml")

    def model(name: str):
        return load_plain(apply_overrides(document, overrides[name]), source).model

    assert model("下午少两名工程师").resources["服务工程师"].schedule[2].capacity == 12
    assert model("baseline").resources["服务工程师"].schedule[2].capacity == 14
    (fail,) = model("一次修复率提升").step("检测维修").fail_points
    assert (fail.id, fail.p) == ("一次修复失败", 0.03)


def test_a_misspelt_chinese_override_path_gets_a_hint(tmp_path):
    model = ROOT / "models" / "appliance_aftersales_zh.yaml"
    study = tmp_path / "study.yaml"
    study.write_text(f"study: 排班\nmodel: {model}\nscenarios:\n  少人:\n"
                     "    resources.服务工程.schedule[2].capacity: 12\n", encoding="utf-8")
    with pytest.raises(blueprint.ModelError) as caught:
        load_study(study)
    (d,) = caught.value.diagnostics
    assert d.code == "unknown-override" and "did you mean '服务工程师'" in d.message


def test_a_trace_names_chinese_classes_in_either_form(tmp_path):
    (tmp_path / "arrivals.csv").write_text(
        "time,class\n09:00,贵宾\n09:05," + _decomposed("café") + "\n", encoding="utf-8")
    model = tmp_path / "model.yaml"
    model.write_text("""\
blueprint: 1
name: 回放
horizon: {open: "09:00", close: "10:00"}
demand:
  trace: arrivals.csv
  classes: {贵宾: {share: 0.5, priority: 0}, café: {share: 0.5}}
steps:
  - {id: 服务, zone: frontstage, duration: 2}
""", encoding="utf-8")
    assert blueprint.load(model).model.trace == [(0.0, "贵宾"), (5.0, "café")]
