"""The drawing: bands in order, boxes in their lanes, marks present, any text well-formed."""

from __future__ import annotations

import itertools
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import blueprint
from blueprint import graph
from blueprint.cli import main
from blueprint.render.drawing import GraphvizWarning, build_drawing
from blueprint.render.layout import compute_layout
from blueprint.render.overlay import neutral
from blueprint.render.theme import theme
from tests import yaml_builders as yb
from tests.conftest import COFFEE_BAR

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))
SVG = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
ZONE_ORDER = ["zone-evidence", "zone-customer", "zone-frontstage", "zone-backstage", "zone-support"]
LINE_BETWEEN = {"line-interaction": ("zone-customer", "zone-frontstage"),
                "line-visibility": ("zone-frontstage", "zone-backstage"),
                "line-internal": ("zone-backstage", "zone-support")}
EPS = 0.6


def svg_of(bp: blueprint.Blueprint, **options) -> ET.Element:
    with warnings.catch_warnings():
        warnings.simplefilter("error", GraphvizWarning)
        data = bp.render(fmt="svg", **options)
    return ET.fromstring(data)


def groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def bbox(group: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the first polygon or path of a group."""
    for element in group.iter():
        if element.tag == f"{SVG}polygon":
            values = [float(v) for v in NUMBER.findall(element.get("points", ""))]
            break
        if element.tag == f"{SVG}path":
            values = [float(v) for v in NUMBER.findall(element.get("d", ""))]
            break
        if element.tag == f"{SVG}ellipse":
            cx, cy = float(element.get("cx")), float(element.get("cy"))
            rx, ry = float(element.get("rx")), float(element.get("ry"))
            return cx - rx, cy - ry, cx + rx, cy + ry
    else:
        raise AssertionError(f"no shape in {group.get('id')}")
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def inside(inner, outer) -> bool:
    return (inner[0] >= outer[0] - EPS and inner[1] >= outer[1] - EPS
            and inner[2] <= outer[2] + EPS and inner[3] <= outer[3] + EPS)


def check_geometry(bp: blueprint.Blueprint, root: ET.Element) -> None:
    found = groups(root)
    boxes = {sid: bbox(found[f"step-{sid}"]) for sid in (s.id for s in bp.steps)}
    zones = [bbox(found[z]) for z in ZONE_ORDER]
    for upper, lower in itertools.pairwise(zones):
        assert upper[3] <= lower[1] + EPS, "zone bands out of order"
    for line, (above, below) in LINE_BETWEEN.items():
        y = bbox(found[line])[1]
        assert bbox(found[above])[3] - EPS <= y <= bbox(found[below])[1] + EPS, line
    for step in bp.steps:
        box = boxes[step.id]
        assert inside(box, bbox(found[f"zone-{step.zone}"])), f"{step.id} outside its zone"
        lane = f"lane-{step.zone}-{step.actor or 'main'}".replace(" ", "_")
        assert inside(box, bbox(found[lane])), f"{step.id} outside its lane {lane}"
        for fail in step.fail_points:
            badge = bbox(found[f"fail-{fail.id}"])
            assert box[0] - EPS <= badge[0] and badge[2] <= box[2] + EPS and badge[3] <= box[1]
        if step.wait_point:
            badge = bbox(found[f"wait-{step.id}"])
            assert box[0] - EPS <= badge[0] and badge[3] <= box[1]
            assert inside(badge, bbox(found[lane])), f"W of {step.id} spills out of its lane"
    ids = list(boxes)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            p, q = boxes[a], boxes[b]
            apart = p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1]
            assert apart, f"{a} and {b} overlap"
    column = compute_layout(bp.graph, bp.model).column_of
    for a in ids:
        for b in ids:
            if column[a] < column[b]:
                assert boxes[a][2] < boxes[b][0], f"column of {a} not left of {b}"


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_example_blueprints_keep_every_box_in_its_band_and_lane(path):
    bp = blueprint.load(path)
    check_geometry(bp, svg_of(bp))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(yb.rich_models())
def test_generated_blueprints_keep_their_geometry_and_stay_well_formed(text):
    bp = blueprint.loads(text)
    check_geometry(bp, svg_of(bp))


def test_svg_contract_ids_are_present():
    bp = blueprint.load(ROOT / "models" / "bank_branch.yaml")
    found = groups(svg_of(bp))
    expected = {*ZONE_ORDER, *LINE_BETWEEN, "fail-wrong_slip", "fail-host_timeout", "wait-deposit",
                *(f"step-{s.id}" for s in bp.steps)}
    assert expected <= set(found)


def test_fail_point_badge_carries_its_name_as_tooltip():
    bp = blueprint.load(ROOT / "models" / "bank_branch.yaml")
    badge = groups(svg_of(bp))["fail-wrong_slip"]
    titles = [a.get("{http://www.w3.org/1999/xlink}title") for a in badge.iter(f"{SVG}a")]
    assert any(t and "Slip filled in wrongly" in t for t in titles)


def test_special_characters_and_cjk_come_out_as_written():
    text = COFFEE_BAR.replace("name: Pull the shot", 'name: "Pull <the> shot & say \\"ciao\\" ☕ 拉花"')
    root = svg_of(blueprint.loads(text))
    words = "".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Pull <the> shot &" in words and "☕" in words and "拉花" in words


def _edges_of(bp: blueprint.Blueprint) -> list[dict[str, str]]:
    picture = build_drawing(bp.model, bp.graph, theme("colour"))
    return [dict(e.attr) for e in picture.edges()]


def test_links_are_dashed_and_two_way_links_have_two_heads():
    bp = blueprint.load(ROOT / "models" / "bank_branch.yaml")
    links = [e for e in _edges_of(bp) if e.get("class") == "link"]
    assert links and all(e["style"] == "dashed" for e in links)
    assert any(e["dir"] == "both" for e in links)


def test_touchpoint_flows_stand_out():
    edges = _edges_of(blueprint.loads(COFFEE_BAR))
    touch = [e for e in edges if e.get("class") == "touchpoint"]
    plain = [e for e in edges if e.get("class") == "flow"]
    assert touch and plain
    assert {e["penwidth"] for e in touch} == {"2.2"}
    assert all(float(e["penwidth"]) < 2.2 for e in plain)


def _first_point(group: ET.Element) -> tuple[float, float]:
    path = next(e for e in group.iter(f"{SVG}path"))
    x, y = NUMBER.findall(path.get("d"))[:2]
    return float(x), float(y)


def _last_point(group: ET.Element) -> tuple[float, float]:
    """Where an edge's arrowhead points: the tip of its polygon farthest from the path's start."""
    start = _first_point(group)
    head = next(e for e in group.iter(f"{SVG}polygon"))
    values = [float(v) for v in NUMBER.findall(head.get("points"))]
    tips = list(zip(values[0::2], values[1::2], strict=True))
    return max(tips, key=lambda p: (p[0] - start[0]) ** 2 + (p[1] - start[1]) ** 2)


def test_a_fork_starts_at_a_diamond_right_of_its_step_and_the_branches_meet_at_a_bar():
    bp = blueprint.load(ROOT / "models" / "outpatient_clinic.yaml")
    found = groups(svg_of(bp))
    diamond, step = bbox(found["fork-draw_blood"]), bbox(found["step-draw_blood"])
    assert next(found["fork-draw_blood"].iter(f"{SVG}polygon")).get("points").count(" ") == 4
    assert step[2] <= diamond[0] and step[1] <= (diamond[1] + diamond[3]) / 2 <= step[3]
    for branch in ("run_assay", "walk_to_imaging"):
        (edge,) = [g for i, g in found.items() if i.startswith(f"edge-draw_blood-{branch}-")]
        x, y = _first_point(edge)
        assert inside((x, y, x, y), diamond), f"the branch to {branch} leaves the diamond"
    bar, join = bbox(found["join-review_results"]), bbox(found["step-review_results"])
    assert bar[2] <= join[0] and bar[3] - bar[1] > 4 * (bar[2] - bar[0])  # an upright bar
    for source in ("publish_results", "wait_for_results"):
        (edge,) = [g for i, g in found.items() if i.startswith(f"edge-{source}-review_results-")
                   and "link" not in g.get("class")]
        x, y = _last_point(edge)
        assert bar[0] - 3 <= x <= bar[2] + 3 and bar[1] - 3 <= y <= bar[3] + 3, source


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_every_fork_has_its_diamond_and_every_join_its_bar(path):
    bp = blueprint.load(path)
    found = groups(svg_of(bp))
    forks = {s.id for s in bp.steps if isinstance(s.next, blueprint.model.Fork)}
    joins = {s.id for s in bp.steps if s.join == "all"}
    assert {f"fork-{x}" for x in forks} <= set(found)
    assert {f"join-{x}" for x in joins} <= set(found)
    assert {i for i in found if i.startswith(("fork-", "join-"))} == (
        {f"fork-{x}" for x in forks} | {f"join-{x}" for x in joins})


def test_print_theme_is_greyscale():
    bp = blueprint.load(ROOT / "models" / "outpatient_clinic.yaml")
    svg = bp.render(fmt="svg", theme="print").decode()
    colours = set(re.findall(r'(?:fill|stroke)="#([0-9a-f]{6})"', svg))
    assert colours and all(c[0:2] == c[2:4] == c[4:6] for c in colours)


def _fills(root: ET.Element, *step_ids: str) -> dict[str, str]:
    found = groups(root)
    return {sid: next(e.get("fill") for e in found[f"step-{sid}"].iter() if e.get("fill"))
            for sid in step_ids}


@pytest.mark.filterwarnings("ignore:.*only the steps both share are coloured")  # a partial overlay
def test_overlay_writes_the_waits_the_share_of_the_tolerance_and_the_utilisation():
    bp = blueprint.loads(COFFEE_BAR)  # take_order tolerates 5 min
    results = {"steps": {"take_order": {"wait": {"mean": {"mean": 4.5, "ci95": [3, 5]},
                                                  "p90": {"mean": 9.5, "ci95": [8, 11]}}},
                         "brew": {"wait": {"mean": 1.0, "p90": 2.0}}},
               "resources": {"barista": {"utilization": {"mean": 0.83, "ci95": [0.8, 0.86]}}}}
    found = groups(svg_of(bp, overlay=results))
    words = " ".join(t.text or "" for t in found["step-take_order"].iter(f"{SVG}text"))
    assert "wait 4.5 · p90 9.5 min · 90% of tol" in words and "utilisation 83%" in words


@pytest.mark.filterwarnings("ignore:.*only the steps both share are coloured")
@pytest.mark.parametrize(("wait", "status"), [
    (0.0, "within"), (1.0, "within"), (4.0, "within"),      # up to 80% of the 5 min tolerance
    (4.01, "near"), (5.0, "near"),                          # from 80% up to the tolerance
    (5.01, "beyond"), (30.0, "beyond"),
])
def test_overlay_colours_a_step_by_its_wait_against_its_tolerance(wait, status):
    bp = blueprint.loads(COFFEE_BAR)
    results = {"steps": {"take_order": {"wait": {"mean": wait, "p90": wait}},
                         "brew": {"wait": {"mean": 60.0, "p90": 90.0}}}}  # an hour elsewhere
    fills = _fills(svg_of(bp, overlay=results), "take_order")
    assert fills["take_order"] == getattr(theme("colour"), status)


@pytest.mark.filterwarnings("ignore:.*only the steps both share are coloured")
def test_a_step_with_a_standard_and_no_tolerance_is_judged_against_its_standard():
    text = COFFEE_BAR.replace("    name: Pull the shot\n", "    name: Pull the shot\n    standard: 2\n")
    bp = blueprint.loads(text)
    results = {"steps": {"brew": {"wait": {"mean": 3.0, "p90": 4.0}},
                         "take_order": {"wait": {"mean": 1.0, "p90": 2.0}}}}
    root = svg_of(bp, overlay=results)
    assert _fills(root, "brew")["brew"] == theme("colour").beyond
    words = " ".join(t.text or "" for t in groups(root)["step-brew"].iter(f"{SVG}text"))
    assert "150% of std" in words


@pytest.mark.filterwarnings("ignore:.*only the steps both share are coloured")
def test_steps_without_a_limit_are_shaded_neutrally_against_the_longest_of_them():
    # queue and brew have no tolerance or standard: brew's 8 min is the top of their scale,
    # whatever take_order (tolerance 5) waits
    bp = blueprint.loads(COFFEE_BAR)
    results = {"steps": {"queue": {"wait": {"mean": 2.0}}, "brew": {"wait": {"mean": 8.0}},
                         "take_order": {"wait": {"mean": 40.0}}}}
    colour = theme("colour")
    fills = _fills(svg_of(bp, overlay=results), "queue", "brew", "take_order")
    assert fills == {"queue": neutral(0.25), "brew": colour.neutral_high, "take_order": colour.beyond}
    assert neutral(0) == colour.neutral_low
    traffic = {colour.within, colour.near, colour.beyond}
    assert not {neutral(i / 10) for i in range(11)} & traffic


@pytest.mark.filterwarnings("ignore:.*only the steps both share are coloured")
def test_the_legend_says_what_the_overlay_colours_mean():
    bp = blueprint.loads(COFFEE_BAR)
    results = {"steps": {"queue": {"wait": {"mean": 2.0}}, "take_order": {"wait": {"mean": 1.0}}}}
    legend = groups(svg_of(bp, overlay=results))["legend"]
    words = " ".join(t.text or "" for t in legend.iter(f"{SVG}text"))
    assert "against the step's tolerance" in words
    assert "within (up to 80%)" in words and "near (80% to 100%)" in words and "beyond" in words
    assert "No tolerance or standard" in words and "2 min" in words


def test_a_short_wait_where_customers_accept_a_long_one_is_green_though_the_days_longest():
    # the bank's advice tolerates 20 min: a 1-minute wait is well within it, though no
    # other step waits as long here (a scale relative to the longest wait made it "long")
    bp = blueprint.load(ROOT / "models" / "bank_branch.yaml")
    assert bp.model.step("advice").tolerance == 20
    results = {"steps": {s.id: {"wait": {"mean": 0.0}} for s in bp.steps}}
    results["steps"]["advice"] = {"wait": {"mean": 1.0, "p90": 3.0}}
    fills = _fills(svg_of(bp, overlay=results), "advice", "deposit")
    assert fills == {"advice": theme("colour").within, "deposit": theme("colour").within}


def test_png_pdf_and_dot_outputs(tmp_path):
    bp = blueprint.loads(COFFEE_BAR)
    png = bp.render(tmp_path / "cafe.png", dpi=50)
    pdf = bp.render(tmp_path / "cafe.pdf")
    dot = bp.render(tmp_path / "cafe.dot")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "digraph" in dot.read_text()
    wide = bp.render(fmt="png", dpi=150)
    assert _png_width(wide) > 2.5 * _png_width(png.read_bytes())


def _png_width(data: bytes) -> int:
    return int.from_bytes(data[16:20], "big")


def test_jupyter_shows_a_blueprint_as_svg():
    svg = blueprint.loads(COFFEE_BAR)._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and 'id="step&#45;take_order"' in svg


def test_render_command_writes_the_file_and_refuses_unknown_formats(tmp_path, capsys):
    model = tmp_path / "cafe.yaml"
    model.write_text(COFFEE_BAR)
    assert main(["render", str(model), "-o", str(tmp_path / "cafe.svg")]) == 0
    ET.parse(tmp_path / "cafe.svg")
    assert main(["render", str(model), "-o", str(tmp_path / "cafe.jpg")]) == 2
    assert main(["render", str(model), "-o", str(tmp_path / "cafe.svg"), "--theme", "neon"]) == 2


def test_render_never_overwrites_the_model(tmp_path, capsys):
    model = tmp_path / "cafe.svg"  # a model whose name ends in .svg, asked to draw over itself
    model.write_text(COFFEE_BAR)
    assert main(["render", str(model), "-o", str(model)]) == 2
    assert model.read_text() == COFFEE_BAR


def test_broken_overlay_file_is_reported_with_its_position(tmp_path, capsys):
    model = tmp_path / "cafe.yaml"
    model.write_text(COFFEE_BAR)
    results = tmp_path / "results.json"
    results.write_text('{"steps": {\n  "brew": oops}}')
    assert main(["render", str(model), "-o", str(tmp_path / "c.svg"), "--overlay", str(results)]) == 1
    assert f"{results}:2:11: bad-overlay" in capsys.readouterr().err
    assert not (tmp_path / "c.svg").exists()


# --- touchpoints: the drawing shows exactly what graph derives -------------------------------

TOUCH_AND_GO = """\
blueprint: 1
name: Coffee to go
horizon: {open: "07:00", close: "11:00"}
demand: {arrivals_per_hour: 30}
steps:
  - {id: order, zone: customer}
  - {id: take, zone: frontstage}
  - {id: cup, zone: frontstage}
  - id: brew
    zone: backstage
    fail_points: [{id: no_milk, name: Out of milk, p: 0.1, effect: goto, goto: order}]
  - {id: hand_over, zone: frontstage}
  - {id: collect, zone: customer, next: end}
links:
  - {from: cup, to: order, label: name on the cup}
"""


def drawn_touchpoints(root: ET.Element) -> tuple[set[str], list[tuple[str, str]]]:
    """Steps and edges whose SVG group carries the class `touchpoint`."""
    steps, edges = set(), []
    for g in root.iter(f"{SVG}g"):
        classes = (g.get("class") or "").split()
        if "touchpoint" not in classes:
            continue
        if "node" in classes:
            steps.add(g.get("id").removeprefix("step-"))
        elif "edge" in classes:
            _, u, v, _ = g.get("id").split("-")
            edges.append((u, v))
    return steps, sorted(edges)


def test_touchpoints_drawn_are_the_flows_across_the_line_not_links_or_fail_jumps():
    # order -> take and hand_over -> collect cross the line of interaction; the link from
    # cup to order and brew's fail jump back to order cross it too, but are no journey flow
    root = svg_of(blueprint.loads(TOUCH_AND_GO))
    steps, edges = drawn_touchpoints(root)
    assert steps == {"order", "take", "hand_over", "collect"}
    assert edges == [("hand_over", "collect"), ("order", "take")]


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_example_blueprints_draw_exactly_the_touchpoints_graph_derives(path):
    bp = blueprint.load(path)
    steps, edges = drawn_touchpoints(svg_of(bp))
    assert steps == set(graph.touchpoints(bp.graph))
    assert edges == sorted((u, v) for u, v, _ in graph.touchpoint_flows(bp.graph))


def test_information_links_and_fail_jumps_make_no_touchpoint_in_two_examples():
    # hotpot: send_ticket (support) only links across the line; parcel: notify_delivery too
    for model, step in (("hotpot_restaurant", "send_ticket"), ("parcel_delivery", "notify_delivery")):
        bp = blueprint.load(ROOT / "models" / f"{model}.yaml")
        steps, _ = drawn_touchpoints(svg_of(bp))
        assert step not in steps and step not in graph.touchpoints(bp.graph)


def test_an_overlay_of_another_model_is_refused_and_a_partial_one_warned_about(tmp_path):
    bank = blueprint.load(ROOT / "models" / "bank_branch.yaml")
    calls = blueprint.load(ROOT / "models" / "call_centre.yaml")
    other = calls.simulate(replications=1).to_dict()
    with pytest.raises(blueprint.ModelError) as caught:
        bank.render(fmt="svg", overlay=other)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "bad-overlay" and "none of the steps" in diagnostic.message
    own = bank.simulate(replications=1).to_dict()
    own["model"] = "An older bank"
    del own["steps"]["advice"]
    own["steps"]["coffee"] = own["steps"]["enter"]
    with pytest.warns(UserWarning) as caught_warnings:
        bank.render(fmt="svg", overlay=own)
    (said,) = [str(w.message) for w in caught_warnings if "only the steps both share" in str(w.message)]
    assert "'An older bank'" in said and "no figures for 'advice'" in said and "'coffee'" in said
