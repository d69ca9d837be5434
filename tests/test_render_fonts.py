"""Drawings with and without a CJK font: text fits its boxes, and missing glyphs are said once.

These pass on a machine with a CJK font (CI installs fonts-noto-cjk) and on one
without: the lookup is replaced where a test needs one answer or the other.
"""

from __future__ import annotations

import warnings
import xml.etree.ElementTree as ET

import pytest

import blueprint
from blueprint.render import FontWarning, GraphvizWarning, fonts
from blueprint.render.labels import html_label, text_line, wrap
from blueprint.render.layout import BADGE, STEP_H, SUBROW, TextRoom, compute_layout
from blueprint.render.measure import fit_labels, label_sizes
from tests.conftest import COFFEE_BAR

SVG = "{http://www.w3.org/2000/svg}"

CHINESE = """\
blueprint: 1
name: 火锅店 — 一桌客人的用餐
horizon: {open: "11:00", close: "22:00"}
phases: [到店, 用餐]
actors:
  frontstage: [迎宾员]
resources:
  host: {capacity: 2, name: 迎宾}
demand: {arrivals_per_hour: 20}
steps:
  - id: arrive
    zone: customer
    phase: 到店
    name: 到店取号，在等位区吃免费小食、喝茶水，看叫号屏
    evidence: [门头招牌和排队叫号屏, 免费小食、茶水和等位区的座椅, 二维码菜单]
  - id: greet
    zone: frontstage
    actor: 迎宾员
    name: 迎宾问人数，发排队号，叫号后带位
    resource: host
    duration: {dist: triangular, low: 0.3, mode: 0.6, high: 1.5}
    standard: 1
    tolerance: 20
    wait_point: true
    fail_points:
      - {id: missed_call, name: 叫号时客人不在，过号, p: 0.05, effect: redo, recovery: 顺延三桌}
  - id: eat
    zone: customer
    phase: 用餐
    name: 涮锅用餐
    evidence: [电磁炉鸳鸯锅]
    duration: 60
    next: end
"""


@pytest.fixture
def no_cjk_font(monkeypatch):
    """A machine without a CJK font, on which nothing has been warned about yet."""
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    monkeypatch.setattr(fonts, "_warned", set())


def font_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, FontWarning)]


def test_cjk_png_and_pdf_without_a_cjk_font_warn_once_naming_the_package(no_cjk_font):
    bp = blueprint.loads(CHINESE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bp.render(fmt="png", dpi=30)
        bp.render(fmt="pdf")
        bp.render(fmt="png", dpi=30)
    said = font_warnings(caught)
    assert len(said) == 1
    assert "fonts-noto-cjk" in said[0] and "\n" not in said[0]


def test_latin_drawings_and_svg_never_warn_about_fonts(no_cjk_font):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        blueprint.loads(COFFEE_BAR).render(fmt="png", dpi=30)
        blueprint.loads(COFFEE_BAR).render(fmt="pdf")
        blueprint.loads(CHINESE).render(fmt="svg")
        blueprint.loads(CHINESE).render(fmt="dot")
    assert font_warnings(caught) == []


def test_cjk_text_found_only_in_a_fail_point_still_warns(no_cjk_font):
    text = COFFEE_BAR.replace("    duration: 1.5\n", "    duration: 1.5\n    fail_points:\n"
                              "      - {id: spill, name: 洒了, p: 0.02, effect: redo}\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        blueprint.loads(text).render(fmt="png", dpi=30)
    assert len(font_warnings(caught)) == 1


def test_no_warning_when_a_cjk_font_is_found(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font", lambda: "Noto Sans CJK SC")
    monkeypatch.setattr(fonts, "_warned", set())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        blueprint.loads(CHINESE).render(fmt="png", dpi=30)
    assert font_warnings(caught) == []


def test_a_cjk_drawing_asks_for_the_cjk_family_first(monkeypatch):
    monkeypatch.setattr(fonts, "cjk_font", lambda: "WenQuanYi Micro Hei")
    svg = blueprint.loads(CHINESE).render(fmt="svg").decode()
    assert 'font-family="WenQuanYi Micro Hei,Helvetica,Arial,sans-serif"' in svg
    latin = blueprint.loads(COFFEE_BAR).render(fmt="svg").decode()
    assert "WenQuanYi" not in latin and 'font-family="Helvetica,Arial,sans-serif"' in latin


@pytest.mark.parametrize(("text", "expected"), [
    ("Queue and order", False), ("Coffee ☕ and 🚀", False), ("Café — «déjà»", False),
    ("排队", True), ("ラーメン", True), ("한국어", True), ("full-width，comma", True),
])
def test_cjk_is_told_apart_from_other_non_latin_text(text, expected):
    assert fonts.has_cjk(text) is expected


@pytest.mark.filterwarnings("ignore:.*only the steps both share are coloured")  # a partial overlay
@pytest.mark.parametrize("fmt", ["svg", "png", "pdf"])
def test_chinese_blueprint_fits_every_box_with_the_fonts_of_this_machine(fmt):
    """Whatever font this machine draws CJK with, Graphviz finds no label too big for its box."""
    bp = blueprint.loads(CHINESE)
    overlay = {"steps": {"greet": {"wait": {"mean": 4.0, "p90": 9.0}}},
               "resources": {"host": {"utilization": 0.8}}}
    with warnings.catch_warnings():
        warnings.simplefilter("error", GraphvizWarning)
        warnings.simplefilter("ignore", FontWarning)
        data = bp.render(fmt=fmt, overlay=overlay, **({"dpi": 30} if fmt == "png" else {}))
    if fmt == "svg":
        words = "".join(t.text or "" for t in ET.fromstring(data).iter(f"{SVG}text"))
        assert "迎宾问人数" in words and "门头招牌" in words and "叫号时客人不在" in words


def test_a_label_of_two_lines_measures_about_twice_one():
    one = html_label([text_line("Queue", 10, "#000")])
    two = html_label([text_line("Queue", 10, "#000"), text_line("Order", 10, "#000")])
    (w1, h1), (w2, h2) = label_sizes([one, two], "Helvetica")
    assert 1.8 * h1 <= h2 <= 2.2 * h1
    assert w1 > 0 and w2 > 0


def test_too_wide_a_label_is_wrapped_again_until_it_fits():
    name = "Reconcile the overnight card settlement file against the ledger"

    def label(columns: int) -> str:
        return html_label([text_line(line, 10, "#000", bold=True) for line in wrap(name, columns, 6)])

    fitted = fit_labels({"step": (label, 60, 100.0)}, "Helvetica")["step"]
    assert fitted.width <= 100.0
    assert fitted.label.count("<TR>") >= 4


def test_boxes_grow_to_the_measured_text_and_marks_keep_clear_of_them():
    bp = blueprint.loads(COFFEE_BAR)
    plain = compute_layout(bp.graph, bp.model)
    assert plain.steps["brew"].h == STEP_H and plain.badge == BADGE
    room = TextRoom(step={"brew": 100.0}, evidence={"queue": 50.0}, evidence_label=80.0,
                    badge=20.0)
    grown = compute_layout(bp.graph, bp.model, room=room)
    assert grown.steps["brew"].h == 100.0
    assert grown.steps["stock"].h == STEP_H        # another lane keeps the default
    assert grown.evidence["queue"].h == 50.0
    assert grown.evidence_row.h == 88.0           # the heading's 80, plus 8
    assert grown.badge == 20.0
    # the backstage lane holds one row of steps: the sub-row is the box, the default gap
    # (SUBROW - STEP_H) and twice the marks' growth, so a mark above a box stays in its lane
    backstage = next(lane for lane in grown.lanes if lane.zone == "backstage")
    assert backstage.height == 100.0 + (SUBROW - STEP_H) + 2 * (20.0 - BADGE)


def test_without_a_cjk_font_svg_text_is_laid_out_as_a_cjk_font_sets_it(no_cjk_font):
    # 11 ideographs at 10 pt take 110 pt in any CJK font: one line in a 152 pt box, though
    # the missing-glyph boxes this machine would measure instead are about three times wider
    text = CHINESE.replace("迎宾问人数，发排队号，叫号后带位", "服务员确认过敏原和辣度")
    with warnings.catch_warnings():
        warnings.simplefilter("error", GraphvizWarning)
        root = ET.fromstring(blueprint.loads(text).render(fmt="svg"))
    step = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "step-greet")
    assert next(t.text for t in step.iter(f"{SVG}text")) == "服务员确认过敏原和辣度"
