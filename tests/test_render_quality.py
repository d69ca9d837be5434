"""A survey's quality file over the drawing: touchpoints coloured by their SERVQUAL gap.

Red where perception falls below expectation, pale near no gap, blue above it; the
gap in words on the step (with ▼ where it is significantly below), so no colour
has to be told apart; steps without answers keep their fill. The quality files
here are written by hand, as `blueprint quality --json` lays them out.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import blueprint
from blueprint.cli import main
from blueprint.render.overlay import load_overlay
from blueprint.render.quality import QualityOverlay, key_positions
from blueprint.render.theme import theme
from tests.drawing_geometry import drawn, label_collisions

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "models" / "bank_branch.yaml"
SVG = "{http://www.w3.org/2000/svg}"

# step -> (gap, half its 95% interval, importance, performance)
BANK_GAPS = {
    "deposit": (-1.4, 0.2, 6.2, 4.8), "advice": (-0.9, 1.0, 6.0, 5.1),
    "fill_slip": (-0.6, 0.7, 4.9, 4.3), "triage": (0.2, 0.3, 5.1, 5.3),
    "hand_receipt": (0.1, 0.25, 5.0, 5.1), "enquiry": (-0.3, 0.4, 5.8, 5.5),
    "explain_offer": (-0.2, 0.9, 6.1, 5.9), "enter": (0.0, 0.2, 4.6, 4.6),
    "leave": (-0.1, 0.25, 4.4, 4.3),
}


def quality(model_name: str, gaps: dict[str, tuple[float, float, float, float]], *,
            scale: list[float] | None = None, respondents: int = 150) -> dict:
    """A quality document as `blueprint quality --json` writes it."""
    def gap(mean: float, half: float) -> dict:
        return {"mean": mean, "ci95": [round(mean - half, 3), round(mean + half, 3)], "n": respondents}

    touchpoints = {
        step: {"name": step, "gap": gap(mean, half),
               "dimensions": {"reliability": {"gap": gap(mean - 0.2, half)},
                              "assurance": {"gap": gap(mean + 0.2, half)}},
               "importance": importance, "performance": performance,
               "quadrant": "concentrate here" if mean < -1 else "keep up the good work"}
        for step, (mean, half, importance, performance) in gaps.items()}
    dimension = {"expectation": gap(6.0, 0.2), "perception": gap(5.4, 0.2), "gap": gap(-0.6, 0.2),
                 "weight": 0.2, "zone": "below"}
    return {"model": model_name, "respondents": respondents, "scale": scale or [1, 7],
            "missing": {"expectation": 0, "perception": 2},
            "dimensions": {d: dimension for d in ("tangibles", "reliability", "responsiveness",
                                                  "assurance", "empathy")},
            "touchpoints": touchpoints, "crosshairs": {"importance": 5.3, "performance": 5.0},
            "servqual": {"unweighted": -0.55, "weighted": -0.72, "unweighted_ci95": [-0.7, -0.4],
                         "weighted_ci95": [-0.9, -0.54]},
            "nps": None, "csat": None, "worst": [], "mapped": {}}


@pytest.fixture(scope="module")
def bank() -> blueprint.Blueprint:
    return blueprint.load(BANK)


def svg_of(bp: blueprint.Blueprint, **options) -> ET.Element:
    return ET.fromstring(bp.render(fmt="svg", **options))


def groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def fill(root: ET.Element, step_id: str) -> str:
    return next(e.get("fill") for e in groups(root)[f"step-{step_id}"].iter() if e.get("fill"))


def stroke(root: ET.Element, step_id: str) -> tuple[str, str]:
    shape = next(e for e in groups(root)[f"step-{step_id}"].iter() if e.get("stroke"))
    return shape.get("stroke"), shape.get("stroke-width", "1")


def words(root: ET.Element, group_id: str) -> str:
    return " ".join(t.text or "" for t in groups(root)[group_id].iter(f"{SVG}text"))


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def located(text: str, key: str) -> tuple[int, int]:
    """Line and column (1-based) of `"key"` in a JSON text."""
    for number, line in enumerate(text.splitlines(), 1):
        if f'"{key}"' in line:
            return number, line.index(f'"{key}"') + 1
    raise AssertionError(f"{key!r} is not in the text")


# --- colours ------------------------------------------------------------------------------


def test_a_gap_below_expectation_is_red_one_above_blue_and_a_step_without_answers_keeps_its_fill(bank):
    gaps = {"deposit": (-1.4, 0.2, 6.2, 4.8), "triage": (0.8, 0.3, 5.1, 5.9)}
    root = svg_of(bank, overlay=quality(bank.name, gaps))
    r, g, b = rgb(fill(root, "deposit"))
    assert r > g and r > b, fill(root, "deposit")
    r, g, b = rgb(fill(root, "triage"))
    assert b > r and b > g, fill(root, "triage")
    colour = theme("colour")
    assert fill(root, "advice") == colour.step_fill["frontstage"]      # no answers for it
    assert fill(root, "enter") == colour.step_fill["customer"]
    assert fill(root, "credit_check") == colour.step_fill["backstage"]  # no moment of truth


def test_the_colour_deepens_with_the_gap_and_is_full_at_two_points_on_a_seven_point_scale(bank):
    gaps = {"deposit": (-2.0, 0.2, 6, 4), "advice": (-3.5, 0.2, 6, 2.5), "enquiry": (-1.0, 0.2, 6, 5),
            "fill_slip": (-0.05, 0.2, 5, 5), "triage": (2.0, 0.2, 4, 6), "enter": (3.0, 0.2, 3, 6)}
    root = svg_of(bank, overlay=quality(bank.name, gaps))
    scale = theme("colour").gap_scale
    assert fill(root, "deposit") == fill(root, "advice") == scale[0]    # saturated at -2
    assert fill(root, "triage") == fill(root, "enter") == scale[-1]     # and at +2
    half, full = rgb(fill(root, "enquiry")), rgb(scale[0])
    assert half != full and half[1] > full[1]                          # -1: lighter red
    near_zero = rgb(fill(root, "fill_slip"))                            # neutral near 0
    assert max(near_zero) - min(near_zero) < 12 and min(near_zero) > 225


def test_the_saturation_follows_the_scale_of_the_answers(bank):
    # on 1-5, full colour comes at 2/6 of the span of 4 points: a gap of 1.33
    gaps = {"deposit": (-1.4, 0.2, 4.5, 3.1)}
    five = svg_of(bank, overlay=quality(bank.name, gaps, scale=[1, 5]))
    seven = svg_of(bank, overlay=quality(bank.name, gaps, scale=[1, 7]))
    assert fill(five, "deposit") == theme("colour").gap_scale[0]
    assert fill(seven, "deposit") != theme("colour").gap_scale[0]
    assert "(1–5 scale)" in words(five, "legend") and "−1.3 or less" in words(five, "legend")


def test_text_on_a_deep_fill_is_white_and_on_a_pale_one_black(bank):
    gaps = {"deposit": (-3.0, 0.2, 6.5, 3.5), "enter": (0.0, 0.2, 4.6, 4.6)}
    root = svg_of(bank, overlay=quality(bank.name, gaps))
    inks = {sid: {t.get("fill") for t in groups(root)[f"step-{sid}"].iter(f"{SVG}text")}
            for sid in gaps}
    assert inks == {"deposit": {"#ffffff"}, "enter": {"#000000"}}


# --- what the step says ---------------------------------------------------------------------


def test_each_coloured_step_carries_its_gap_its_interval_and_its_answers(bank):
    root = svg_of(bank, overlay=quality(bank.name, BANK_GAPS))
    deposit = words(root, "step-deposit")
    assert "▼ gap −1.4 ±0.2 · n 150" in deposit and "expected 6.2 · perceived 4.8" in deposit
    assert "gap +0.2 ±0.3 · n 150" in words(root, "step-triage")
    assert "gap 0.0 ±0.2" in words(root, "step-enter")
    assert "gap" not in words(root, "step-credit_check")
    for step_id in BANK_GAPS:
        assert "gap" in words(root, f"step-{step_id}")


def test_only_a_gap_whose_whole_interval_is_below_zero_is_marked_significant(bank):
    # deposit's interval is [-1.6, -1.2]; advice's [-1.9, 0.1] reaches over zero
    root = svg_of(bank, overlay=quality(bank.name, BANK_GAPS))
    marked = {sid for sid in BANK_GAPS if "▼" in words(root, f"step-{sid}")}
    assert marked == {"deposit"}
    colour = theme("colour")
    heavy, width = stroke(root, "deposit")
    assert heavy == colour.fail and float(width) > 2
    assert stroke(root, "advice")[0] == colour.touchpoint                 # its usual border


def test_a_gap_significantly_above_expectation_is_marked_the_other_way(bank):
    gaps = {"triage": (0.8, 0.3, 5.1, 5.9), "deposit": (-0.3, 0.5, 6, 5.7)}
    root = svg_of(bank, overlay=quality(bank.name, gaps))
    assert "▲ gap +0.8 ±0.3" in words(root, "step-triage")
    assert "▲" not in words(root, "step-deposit") and "▼" not in words(root, "step-deposit")
    legend = words(root, "legend")
    assert "significantly above expectation" in legend and "significantly below" not in legend


def test_the_tooltip_holds_the_interval_the_quadrant_and_the_dimensions(bank):
    root = svg_of(bank, overlay=quality(bank.name, BANK_GAPS))
    titles = " ".join(t.text or "" for t in groups(root)["step-deposit"].iter(f"{SVG}title"))
    hints = " ".join(a.get("{http://www.w3.org/1999/xlink}title") or ""
                     for a in groups(root)["step-deposit"].iter(f"{SVG}a"))
    said = titles + hints
    assert "95% interval −1.6 to −1.2" in said and "concentrate here" in said
    assert "reliability −1.6" in said and "assurance −1.2" in said


# --- legend and title -----------------------------------------------------------------------


def test_the_legend_explains_the_scale_the_badge_and_the_marks(bank):
    root = svg_of(bank, overlay=quality(bank.name, BANK_GAPS))
    legend = words(root, "legend")
    assert "Survey gap, perception − expectation (1–7 scale)" in legend
    assert "−2 or less" in legend and "+2 or more" in legend
    assert "half its 95% interval" in legend and "significantly below expectation" in legend
    assert "SERVQUAL score" in legend and "−0.6" in legend
    assert "Mean wait" not in legend and "tolerance (its standard" not in legend
    assert "coloured by survey gap" in words(root, "title")
    assert "no survey answers" not in legend         # every moment of truth has answers here
    some = quality(bank.name, {"deposit": BANK_GAPS["deposit"]})
    assert "no survey answers" in words(svg_of(bank, overlay=some), "legend")


def test_the_print_theme_stays_greyscale_and_shades_only_gaps_below_expectation(bank):
    svg = bank.render(fmt="svg", theme="print", overlay=quality(bank.name, BANK_GAPS)).decode()
    colours = set(re.findall(r'(?:fill|stroke)="#([0-9a-f]{6})"', svg))
    assert colours and all(c[0:2] == c[2:4] == c[4:6] for c in colours)
    root = ET.fromstring(svg)
    assert rgb(fill(root, "deposit"))[0] < rgb(fill(root, "fill_slip"))[0] < 255
    assert fill(root, "triage") == "#ffffff"
    assert "▼ gap −1.4 ±0.2" in words(root, "step-deposit")
    assert "further below" in words(root, "legend")


# --- nothing overlaps -----------------------------------------------------------------------


@pytest.mark.parametrize("theme_name", ["colour", "print"])
def test_the_gap_badges_stay_in_their_steps_and_clear_of_every_other_label(bank, theme_name):
    d = drawn(bank, overlay=quality(bank.name, BANK_GAPS), theme_name=theme_name)
    assert label_collisions(d) == []
    badges = [t for t in d.texts if "gap " in t.text and t.owner.startswith("step-")]
    assert {t.owner for t in badges} == {f"step-{s}" for s in BANK_GAPS}
    for badge in badges:
        left, bottom, right, top = d.shapes[badge.owner]
        assert left <= badge.box[0] and badge.box[2] <= right
        assert bottom <= badge.box[1] and badge.box[3] <= top
        for other in d.texts:
            if other is not badge and other.text.strip():
                assert not d.overlapping(badge.box, other.box), (badge.text, other.text)
        for svg_id, shape in d.shapes.items():
            if svg_id != badge.owner and svg_id.startswith(("step-", "fail-", "wait-", "evidence-")):
                assert not d.overlapping(badge.box, shape), (badge.text, svg_id)


# --- results overlays are as they were --------------------------------------------------------


def test_a_results_overlay_still_colours_waits_against_tolerance(bank):
    results = {"steps": {s.id: {"wait": {"mean": 0.0}} for s in bank.steps},
               "resources": {"teller": {"utilization": 0.66}}}
    results["steps"]["deposit"] = {"wait": {"mean": 12.0, "p90": 20.0}}
    overlay = load_overlay(results, bank.model)
    assert not isinstance(overlay, QualityOverlay)
    root = svg_of(bank, overlay=results)
    assert fill(root, "deposit") == theme("colour").beyond
    assert "wait 12 · p90 20 min · 120% of tol" in words(root, "step-deposit")
    assert "utilisation 66%" in words(root, "step-deposit")
    assert "gap" not in words(root, "step-deposit")
    legend = words(root, "legend")
    assert "Survey gap" not in legend and "against the step's tolerance" in legend
    assert "coloured by mean wait against each step's tolerance (simulated)" in words(root, "title")


def test_a_quality_file_is_told_from_a_results_file_by_its_keys(bank, tmp_path):
    path = tmp_path / "quality.json"
    path.write_text(json.dumps(quality(bank.name, BANK_GAPS)), encoding="utf-8")
    from_file = load_overlay(path, bank.model)
    assert isinstance(from_file, QualityOverlay) and set(from_file.steps) == set(BANK_GAPS)
    assert from_file.scale == (1.0, 7.0) and from_file.servqual is not None
    assert from_file.servqual.ci95 == (-0.7, -0.4)
    out = tmp_path / "bank.svg"
    assert main(["render", str(BANK), "-o", str(out), "--overlay", str(path)]) == 0
    assert "▼ gap −1.4 ±0.2" in words(ET.fromstring(out.read_bytes()), "step-deposit")


# --- read leniently, refuse what cannot be right ------------------------------------------------


def test_figures_that_are_no_numbers_colour_nothing(bank):
    document = quality(bank.name, BANK_GAPS)
    tp = document["touchpoints"]
    tp["deposit"]["gap"] = {"mean": "low", "ci95": None}
    tp["advice"]["gap"]["ci95"] = ["a", 3]
    tp["triage"] = "no answers"
    tp["enter"]["gap"] = float("nan")
    tp["leave"]["gap"] = -0.4                                            # a bare mean
    tp["enquiry"]["importance"] = None
    root = svg_of(bank, overlay=document)
    colour = theme("colour")
    assert fill(root, "deposit") == colour.step_fill["frontstage"]
    assert fill(root, "triage") == colour.step_fill["frontstage"]
    assert fill(root, "enter") == colour.step_fill["customer"]
    assert "gap −0.9 · n 150" in words(root, "step-advice")
    assert "±" not in words(root, "step-advice")                         # no interval to give
    assert "gap −0.4" in words(root, "step-leave") and "±" not in words(root, "step-leave")
    assert "gap −0.3 ±0.4" in words(root, "step-enquiry") and "expected" not in words(root, "step-enquiry")


def test_a_scale_that_is_no_scale_is_read_as_one_to_seven_with_a_warning(bank):
    document = quality(bank.name, {"deposit": (-1.4, 0.2, 6.2, 4.8)})
    document["scale"] = [7, 1]
    with pytest.warns(UserWarning, match="scale"):
        overlay = load_overlay(document, bank.model)
    assert isinstance(overlay, QualityOverlay) and overlay.scale == (1.0, 7.0)


def test_a_survey_of_another_model_name_is_warned_about(bank):
    with pytest.warns(UserWarning, match="'An older bank'"):
        load_overlay(quality("An older bank", {"deposit": (-1.4, 0.2, 6.2, 4.8)}), bank.model)


def test_a_step_the_model_does_not_have_is_an_error_at_its_key(bank, tmp_path, capsys):
    document = quality(bank.name, {"deposit": (-1.4, 0.2, 6.2, 4.8), "depost": (-1, 0.2, 6, 5),
                                   "coffee": (0.1, 0.2, 5, 5)})
    path = tmp_path / "quality.json"
    text = json.dumps(document, indent=2)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(blueprint.ModelError) as caught:
        bank.render(fmt="svg", overlay=path)
    found = {(d.line, d.column, d.code) for d in caught.value.diagnostics}
    assert found == {(*located(text, "depost"), "unknown-step"), (*located(text, "coffee"), "unknown-step")}
    assert any("did you mean 'deposit'" in d.message for d in caught.value.diagnostics)
    out = tmp_path / "bank.svg"
    assert main(["render", str(BANK), "-o", str(out), "--overlay", str(path)]) == 1
    line, column = located(text, "depost")
    assert f"{path}:{line}:{column}: unknown-step: 'depost' is not a step" in capsys.readouterr().err
    assert not out.exists()


def test_a_step_customers_do_not_see_is_no_touchpoint(bank, tmp_path):
    path = tmp_path / "quality.json"
    text = json.dumps(quality(bank.name, {"credit_check": (-1, 0.2, 6, 5)}), indent=2)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(blueprint.ModelError) as caught:
        load_overlay(path, bank.model)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column) == located(text, "credit_check")
    assert diagnostic.code == "not-a-touchpoint" and "backstage" in diagnostic.message


def test_a_dict_with_an_unknown_step_is_refused_too(bank):
    with pytest.raises(blueprint.ModelError) as caught:
        bank.render(fmt="svg", overlay=quality(bank.name, {"depost": (-1, 0.2, 6, 5)}))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.file == "<quality>" and diagnostic.code == "unknown-step"


def test_touchpoints_that_are_no_mapping_are_refused(bank):
    document = quality(bank.name, {})
    document["touchpoints"] = ["deposit"]
    with pytest.raises(blueprint.ModelError) as caught:
        load_overlay(document, bank.model)
    assert caught.value.diagnostics[0].code == "bad-overlay"


# --- any script -------------------------------------------------------------------------------

POST_OFFICE = """\
blueprint: 1
name: 邮局柜台
horizon: {open: "08:30", close: "17:00"}
phases: [到达, 办理业务]
actors:
  frontstage: [营业员]
resources:
  柜员: {capacity: 2}
demand:
  arrivals_per_hour: 30
steps:
  - id: 取号
    zone: customer
    phase: 到达
    name: 取号排队
  - id: 受理
    zone: frontstage
    phase: 办理业务
    actor: 营业员
    name: 受理汇款与包裹
    resource: 柜员
    duration: 4
    tolerance: 10
  - id: 分拣
    zone: backstage
    name: 分拣邮件
    duration: 1
  - id: 离开
    zone: customer
    name: 离开
    duration: 0.2
"""


@pytest.mark.parametrize("ascii_only", [False, True], ids=["as-written", "escaped"])
def test_chinese_ids_colour_their_steps_and_an_unknown_one_is_placed(tmp_path, ascii_only):
    bp = blueprint.loads(POST_OFFICE)
    document = quality("邮局柜台", {"受理": (-1.5, 0.3, 6.5, 5.0), "取号": (0.5, 0.2, 5, 5.5)})
    path = tmp_path / "质量.json"
    path.write_text(json.dumps(document, ensure_ascii=ascii_only, indent=2), encoding="utf-8")
    root = svg_of(bp, overlay=path)
    r, g, b = rgb(fill(root, "受理"))
    assert r > g and r > b
    r, g, b = rgb(fill(root, "取号"))
    assert b > r
    assert "▼ gap −1.5 ±0.3" in words(root, "step-受理")
    assert fill(root, "离开") == theme("colour").step_fill["customer"]
    document["touchpoints"]["收件"] = document["touchpoints"].pop("取号")
    text = json.dumps(document, ensure_ascii=ascii_only, indent=2)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(blueprint.ModelError) as caught:
        bp.render(fmt="svg", overlay=path)
    (diagnostic,) = caught.value.diagnostics
    key = json.dumps("收件", ensure_ascii=ascii_only).strip('"')
    assert (diagnostic.line, diagnostic.column) == located(text, key)
    assert diagnostic.code == "unknown-step" and "'收件'" in diagnostic.message


def test_a_decomposed_id_in_the_file_is_the_composed_id_of_the_model():
    bp = blueprint.loads(POST_OFFICE.replace("name: 离开", "name: Café").replace("id: 离开", "id: café"))
    document = quality("邮局柜台", {"cafe\u0301": (-1.0, 0.2, 6, 5)})
    assert set(load_overlay(document, bp.model).steps) == {"café"}


def test_key_positions_follow_nested_mappings_and_skip_lists():
    text = '{"a": [{"x": 1}], "touchpoints": {\n  "s\\u00e9": {"gap": 1},\n  "t": 2}}'
    where = key_positions(text)
    assert where[("touchpoints", "sé")] == (2, 3) and where[("touchpoints", "t")] == (3, 3)
    assert ("a", "x") not in where and ("touchpoints", "sé", "gap") not in where
