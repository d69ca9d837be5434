"""The drawing's options (box width, wrapping, a PDF's page) and what Graphviz may say."""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pygraphviz as pgv
import pytest

import blueprint
from blueprint.cli import main
from blueprint.render import PAGES, STEP_W, WIDTHS, WRAPS, GraphvizWarning, LongNameWarning, draw
from blueprint.render.graphviz import graphviz_messages, meaning, one_drawing
from tests.conftest import COFFEE_BAR
from tests.drawing_geometry import drawn

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
MM = 72 / 25.4  # points in a millimetre


def all_about(values, expected: float) -> bool:
    return bool(values) and all(abs(v - expected) < 0.6 for v in values)


def step_widths(svg: bytes) -> dict[str, float]:
    widths = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        if (g.get("id") or "").startswith("step-"):
            path = next(e for e in g.iter() if e.tag in (f"{SVG}path", f"{SVG}polygon"))
            xs = [float(v) for v in NUMBER.findall(path.get("d") or path.get("points"))[0::2]]
            widths[g.get("id")] = max(xs) - min(xs)
    return widths


def test_step_boxes_are_as_wide_as_asked():
    bank = blueprint.load(ROOT / "models" / "bank_branch.yaml")
    assert all_about(step_widths(bank.render(fmt="svg")).values(), STEP_W)
    assert all_about(step_widths(draw(bank.model, bank.graph, width=240)).values(), 240)


def test_wider_boxes_hold_a_long_name_on_fewer_lines():
    bank = blueprint.load(ROOT / "models" / "bank_branch.yaml")

    def lines_of_deposit(**options) -> int:
        root = ET.fromstring(draw(bank.model, bank.graph, **options))
        group = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "step-deposit")
        return sum(1 for t in group.iter(f"{SVG}text") if t.get("font-weight") == "bold")

    assert lines_of_deposit(width=100) > lines_of_deposit() > lines_of_deposit(width=400) == 1


def test_wrap_sets_the_letters_a_line_and_the_box_follows():
    bp = blueprint.loads(COFFEE_BAR)
    narrow = {round(w) for w in step_widths(draw(bp.model, bp.graph, wrap=12)).values()}
    wide = {round(w) for w in step_widths(draw(bp.model, bp.graph, wrap=40)).values()}
    assert len(narrow) == len(wide) == 1 and min(wide) > 2.5 * min(narrow)
    d = drawn(bp, step_w=min(narrow))
    lines = [t.text for t in d.texts if t.owner == "step-take_order"]
    name = lines[:next(k for k, line in enumerate(lines) if line.startswith("barista"))]
    assert " ".join(name) == "Take order and payment" and max(map(len, name)) <= 12


@pytest.mark.parametrize(("options", "message"), [
    ({"width": 50}, "from 72 to 720 points"), ({"width": 800}, "from 72 to 720 points"),
    ({"wrap": 4}, "from 8 to 120 letters"), ({"width": 200, "wrap": 20}, "not both"),
])
def test_impossible_widths_are_refused(options, message):
    bp = blueprint.loads(COFFEE_BAR)
    with pytest.raises(ValueError, match=message):
        draw(bp.model, bp.graph, **options)


def test_the_command_lines_limits_are_the_drawings():
    assert WIDTHS == (72.0, 720.0) and WRAPS == (8, 120)  # written out in blueprint/cli.py


def media_box(pdf: bytes) -> tuple[float, float]:
    found = re.search(rb"/MediaBox \[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert found
    x0, y0, x1, y1 = (float(v) for v in found.groups())
    return x1 - x0, y1 - y0


@pytest.mark.parametrize("page", ["a4", "a3"])
@pytest.mark.parametrize("model", ["hotel_stay", "appliance_aftersales_zh", "call_centre"])
def test_a_pdf_on_a_page_is_that_page_landscape(model, page):
    bp = blueprint.load(ROOT / "models" / f"{model}.yaml")
    width, height = media_box(bp.model and draw(bp.model, bp.graph, "pdf", page=page))
    expected = PAGES[page]
    assert width == pytest.approx(expected[0] * MM, abs=1.0)
    assert height == pytest.approx(expected[1] * MM, abs=1.0)
    assert width > height


def test_a_page_is_for_pdf_only():
    bp = blueprint.loads(COFFEE_BAR)
    with pytest.raises(ValueError, match="PDF output only"):
        draw(bp.model, bp.graph, "png", page="a4")
    with pytest.raises(ValueError, match="unknown page 'a5'"):
        draw(bp.model, bp.graph, "pdf", page="a5")


def test_render_command_takes_width_wrap_and_page(tmp_path, capsys):
    model = tmp_path / "cafe.yaml"
    model.write_text(COFFEE_BAR)
    assert main(["render", str(model), "-o", str(tmp_path / "a.svg"), "--width", "200"]) == 0
    assert all_about(step_widths((tmp_path / "a.svg").read_bytes()).values(), 200)
    assert main(["render", str(model), "-o", str(tmp_path / "b.svg"), "--wrap", "30"]) == 0
    assert main(["render", str(model), "-o", str(tmp_path / "c.pdf"), "--page", "A3"]) == 0
    assert media_box((tmp_path / "c.pdf").read_bytes())[0] == pytest.approx(420 * MM, abs=1)


@pytest.mark.parametrize(("argv", "said"), [
    (["--width", "10"], "--width"), (["--wrap", "many"], "--wrap"),
    (["--width", "100", "--wrap", "20"], "not both"),
    (["--page", "a5", "-o", "x.pdf"], "use one of a4, a3"),
    (["--page", "a4"], "a page is for PDF output"),
])
def test_render_usage_errors_are_one_line(argv, said, tmp_path, capsys):
    model = tmp_path / "cafe.yaml"
    model.write_text(COFFEE_BAR)
    output = [] if "-o" in argv else ["-o", str(tmp_path / "x.svg")]
    assert main(["render", str(model), *output, *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and said in err and err.startswith("blueprint: error: ")
    assert not list(tmp_path.glob("x.*"))


# --- what Graphviz says ------------------------------------------------------------------------

def test_graphviz_messages_are_said_in_the_users_words_or_dropped():
    assert meaning("Warning: node 'deposit', graph '' size too small for label") == (
        "the text of 'deposit' does not fit its box and is cut (Graphviz: node 'deposit', graph '' "
        "size too small for label)")
    assert meaning("Warning: some nodes with margin (2.00,2.00) touch - falling back to straight "
                   "line edges").startswith("boxes touch, so some arrows are drawn straight")
    assert meaning('Fontconfig warning: "/etc/fonts/conf.d/50-user.conf", line 14: reading '
                   "configurations from ~/.fonts.conf is deprecated") is None
    assert meaning("   ") is None


def _crammed() -> pgv.AGraph:
    """A graph whose one node is far too small for its label: Graphviz says so."""
    graph = pgv.AGraph()
    graph.add_node("tiny", label="a label much wider than its box", shape="box", fixedsize="true",
                   width="0.2", height="0.2", pos="0,0!")
    return graph


def test_what_graphviz_says_in_one_drawing_is_said_once():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with one_drawing():
            for _ in range(3):  # measured, routed, drawn: three calls, one message
                with graphviz_messages():
                    _crammed().layout(prog="nop")
    said = [str(w.message) for w in caught if issubclass(w.category, GraphvizWarning)]
    assert said == ["Graphviz: the text of 'tiny' does not fit its box and is cut (Graphviz: node "
                    "'tiny', graph '' size too small for label)"]


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_no_example_makes_graphviz_say_anything(path, fmt):
    bp = blueprint.load(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", GraphvizWarning)
        bp.render(fmt=fmt, **({"dpi": 20} if fmt == "png" else {}))


def test_the_command_says_a_long_name_once_and_nothing_from_graphviz(tmp_path, capsys):
    name = "Pull the shot, steam the milk and pour " * 6
    model = tmp_path / "cafe.yaml"
    model.write_text(COFFEE_BAR.replace("name: Pull the shot", f"name: {name.strip()}"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["render", str(model), "-o", str(tmp_path / "cafe.png"), "--dpi", "20"]) == 0
    said = [(w.category, str(w.message)) for w in caught]
    assert said == [(LongNameWarning, "the name of step 'brew' is 233 characters long; the drawing "
                                      "shows its first 200 (names longer than 200 characters are cut)")]


def test_a_long_name_warns_from_python_too():
    name = "x" * 201
    bp = blueprint.loads(COFFEE_BAR.replace("name: Pull the shot", f"name: {name}"))
    with pytest.warns(LongNameWarning, match="201 characters"):
        bp.render(fmt="svg")
