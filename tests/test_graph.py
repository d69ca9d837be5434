"""The typed graph: structural checks and the facts a blueprint derives."""

from __future__ import annotations

from hypothesis import given, settings

import blueprint
from blueprint.graph import LINES, build_graph, journey, lines_crossed
from blueprint.model import END, ZONES
from tests import yaml_builders as yb
from tests.conftest import COFFEE_BAR, located_codes


def test_graph_has_typed_nodes_and_an_end():
    g = blueprint.loads(COFFEE_BAR).graph
    assert g.nodes["take_order"]["zone"] == "frontstage"
    assert g.nodes["take_order"]["actor"] == "Barista"
    assert g.nodes["queue"]["phase"] == "Order"
    assert END in g
    kinds = {d["kind"] for _, _, d in g.edges(data=True)}
    assert kinds == {"flow"}


def test_edges_record_the_lines_they_cross():
    g = blueprint.loads(COFFEE_BAR).graph
    crossing = {(u, v): d["crosses"] for u, v, d in g.edges(data=True) if v != END}
    assert crossing[("queue", "take_order")] == ("interaction",)
    assert crossing[("take_order", "brew")] == ("visibility",)
    assert crossing[("brew", "stock")] == ("internal",)
    assert crossing[("stock", "drink")] == ("interaction", "visibility", "internal")


def test_lines_crossed_is_symmetric_and_ordered():
    assert lines_crossed("support", "customer") == ("interaction", "visibility", "internal")
    assert lines_crossed("frontstage", "frontstage") == ()


def test_touchpoints_are_customer_steps_and_interaction_crossings():
    bp = blueprint.loads(COFFEE_BAR)
    assert bp.touchpoints() == ["queue", "take_order", "stock", "drink"]


def test_unreachable_step_is_an_error_at_the_step():
    text = COFFEE_BAR.replace("    duration: 1.5\n", "    duration: 1.5\n    next: drink\n")
    assert located_codes(text) == [(32, 3, "unreachable-step")]


def test_loop_without_way_out_is_an_endless_loop():
    text = COFFEE_BAR.replace("    next: end\n", "    next: take_order\n")
    assert located_codes(text) == [(41, 11, "endless-loop")]


def test_loop_with_a_way_out_is_fine():
    text = COFFEE_BAR.replace(
        "    next: end\n", "    next:\n      - {to: take_order, p: 0.2}\n      - {to: end, p: 0.8}\n"
    )
    assert blueprint.loads(text).info()["complexity"]["loops"] == 1


def test_fail_point_goto_that_always_fires_traps_the_customer():
    text = COFFEE_BAR.replace(
        "    duration: 1.5\n",
        "    duration: 1.5\n    fail_points:\n"
        "      - {id: burnt, name: Burnt shot, p: 1, effect: goto, goto: take_order}\n",
    )
    codes = {c for _, _, c in located_codes(text)}
    assert "endless-loop" in codes


def test_fork_branches_must_meet_at_a_join():
    text = COFFEE_BAR.replace(
        "    wait_point: true\n", "    wait_point: true\n    next: {all: [brew, stock]}\n"
    ).replace("    duration: 1.5\n", "    duration: 1.5\n    next: drink\n")
    assert [c for _, _, c in located_codes(text)] == ["fork-without-join"]
    joined = text.replace("    phase: Drink\n", "    phase: Drink\n    join: all\n")
    g = blueprint.loads(joined).graph
    assert sorted(v for _, v, d in g.out_edges("take_order", data=True) if d["kind"] == "fork") == [
        "brew", "stock"]


def test_join_without_fork_is_an_error_at_join():
    text = COFFEE_BAR.replace("    phase: Drink\n", "    phase: Drink\n    join: all\n")
    assert located_codes(text) == [(38, 11, "join-without-fork")]


def test_per_class_probabilities_sum_to_one_for_each_class():
    text = COFFEE_BAR.replace(
        "  value: 4.5\n",
        "  value: 4.5\n  classes: {regular: {share: 0.9}, staff: {share: 0.1}}\n",
    ).replace(
        "    duration: 1.5\n",
        "    duration: 1.5\n    next:\n      - {to: stock, p: {regular: 0.5, staff: 1}}\n"
        "      - {to: drink, p: {regular: 0.4}}\n",
    )
    diagnostics = [(line, code) for line, _, code in located_codes(text)]
    assert diagnostics == [(32, "probabilities-sum")]
    fixed = text.replace("p: {regular: 0.4}", "p: {regular: 0.5}")
    g = blueprint.loads(fixed).graph
    p = {v: d["p"] for _, v, d in g.out_edges("brew", data=True)}
    assert p == {"stock": {"regular": 0.5, "staff": 1.0}, "drink": {"regular": 0.5, "staff": 0.0}}


def test_branch_without_p_takes_the_remainder():
    text = COFFEE_BAR.replace(
        "    duration: 1.5\n",
        "    duration: 1.5\n    next:\n      - {to: stock, p: 0.25}\n      - {to: drink}\n",
    )
    g = blueprint.loads(text).graph
    assert {v: d["p"][None] for _, v, d in g.out_edges("brew", data=True)} == {
        "stock": 0.25, "drink": 0.75}


# --- properties over generated journeys -------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(yb.forward_models())
def test_any_forward_journey_loads_and_its_crossings_straddle_their_lines(text):
    bp = blueprint.loads(text)
    g = bp.graph
    for u, v, d in g.edges(data=True):
        if v == END:
            continue
        for line in d["crosses"]:
            upper, lower = LINES[line]
            zones = sorted((ZONES.index(g.nodes[u]["zone"]), ZONES.index(g.nodes[v]["zone"])))
            assert zones[0] <= ZONES.index(upper) and ZONES.index(lower) <= zones[1]
    customer_steps = [s.id for s in bp.steps if s.zone == "customer"]
    assert set(customer_steps) <= set(bp.touchpoints())


@settings(max_examples=60, deadline=None)
@given(yb.forward_models())
def test_a_certain_jump_back_from_the_last_step_traps_unless_a_branch_ends(text):
    first = blueprint.loads(text).steps[0].id
    trapped = text.rstrip("\n") + f"\n    next: {first}\n"
    has_exit = "{to: end" in text
    try:
        blueprint.loads(trapped)
        loaded = True
    except blueprint.ModelError as exc:
        assert {d.code for d in exc.diagnostics} == {"endless-loop"}
        loaded = False
    assert loaded == has_exit


@settings(max_examples=40, deadline=None)
@given(yb.forward_models())
def test_every_step_reaches_end_in_a_forward_journey(text):
    g = blueprint.loads(text).graph
    walked = journey(g)
    import networkx as nx

    assert all(nx.has_path(walked, s, END) for s in g.nodes)
    assert build_graph(blueprint.loads(text).model).number_of_edges() == g.number_of_edges()
