"""Jumps into a fork's parallel branches: only from within the branch, to the fork, or to the join.

A customer who reaches a step between a fork and its join in any other way
walks that one branch alone, and the join lets the customer through without
the others. The expected verdicts below come from that rule, not from the
checker.
"""

from __future__ import annotations

import pytest

import blueprint
from blueprint.diagnostics import ModelError

KITCHEN = """\
blueprint: 1
name: Kitchen
horizon: {open: "11:00", close: "15:00"}
demand: {arrivals_per_hour: 10}
steps:
  - {id: order, zone: customer, evidence: [Menu]%(order)s}
  - {id: split, zone: frontstage, next: {all: [a1, b1]}%(split)s}
  - {id: a1, zone: backstage, duration: 1, next: a2%(a1)s}
  - {id: a2, zone: backstage, duration: 1, next: a3%(a2)s}
  - {id: a3, zone: backstage, duration: 1, next: serve%(a3)s}
  - {id: b1, zone: backstage, duration: 1, next: serve%(b1)s}
  - {id: serve, zone: frontstage, join: all%(serve)s}
  - {id: leave, zone: customer, evidence: [Receipt]%(leave)s}
"""
STEPS = ("order", "split", "a1", "a2", "a3", "b1", "serve", "leave")


def kitchen(**extra: str) -> str:
    return KITCHEN % {step: extra.get(step, "") for step in STEPS}


def goto(target: str, p: float = 0.1) -> str:
    return (f", fail_points: [{{id: f_{target}, name: Goes wrong, p: {p}, effect: goto, "
            f"goto: {target}, recovery: Fix it}}]")


def codes(text: str) -> list[tuple[int, str]]:
    try:
        blueprint.loads(text)
    except ModelError as exc:
        return [(d.line, d.code) for d in exc.diagnostics]
    return []


def test_the_kitchen_itself_is_valid():
    assert codes(kitchen()) == []


@pytest.mark.parametrize(("where", "extra"), [
    ("a redo loop inside a branch", {"a2": ", fail_points: [{id: again, name: Again, p: 0.5, "
                                           "effect: redo, recovery: Redo}]"}),
    ("a goto back to the start of its own branch", {"a3": goto("a1")}),
    ("a goto forward within its own branch", {"a1": goto("a3")}),
    ("a goto back to the fork step", {"a3": goto("split")}),
    ("a goto from before the fork to its join", {"order": goto("serve")}),
    ("a goto from after the join back to the fork", {"leave": goto("split")}),
    ("a goto from after the join back to the join", {"leave": goto("serve")}),
    ("a goto from within a branch back to before the fork", {"a2": goto("order")}),
    ("a branch that skips ahead within its branch",
     {"a1": ", next: [{to: a2, p: 0.5}, {to: a3}]"}),
])
def test_jumps_that_stay_in_their_branch_or_go_to_the_fork_or_join_are_fine(where, extra):
    text = kitchen(**extra).replace(", next: a2, next:", ", next:")
    assert codes(text) == [], where


# the line of each step in KITCHEN: order 6, split 7, a1 8, a2 9, a3 10, b1 11, serve 12, leave 13
@pytest.mark.parametrize(("where", "extra", "line"), [
    ("a goto from after the join into a branch", {"leave": goto("a2")}, 13),
    ("a goto from the join into a branch", {"serve": goto("a3")}, 12),
    ("a goto from before the fork into a branch", {"order": goto("a2")}, 6),
    ("the fork step's own fail point into a branch", {"split": goto("a2")}, 7),
    ("a goto from one branch into another", {"b1": goto("a2")}, 11),
    ("a goto from one branch to the first step of another", {"a2": goto("b1")}, 9),
])
def test_jumps_into_the_middle_of_the_branches_are_refused_at_the_jump(where, extra, line):
    assert codes(kitchen(**extra)) == [(line, "into-fork")], where


def test_a_branch_from_before_the_fork_into_a_branch_is_refused_at_its_to():
    text = kitchen(order=", next: [{to: split, p: 0.9}, {to: a3}]")
    with pytest.raises(ModelError) as caught:
        blueprint.loads(text)
    (diagnostic,) = caught.value.diagnostics
    # line 6: `  - {id: order, zone: customer, evidence: [Menu], next: [{to: split, p: 0.9}, {to: a3}]}`
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (6, 84, "into-fork")
    assert diagnostic.message == (
        "this branch leads to 'a3', in the middle of the parallel branches of fork 'split': the "
        "join 'serve' would let the customer through having walked this branch alone; go to "
        "'split' or to the join 'serve' instead")


def test_a_step_without_next_that_falls_into_a_branch_is_refused_at_that_step():
    text = """\
blueprint: 1
name: Kitchen
horizon: {open: "11:00", close: "15:00"}
demand: {arrivals_per_hour: 10}
steps:
  - {id: order, zone: customer, evidence: [Menu], next: [{to: split, p: 0.8}, {to: rush}]}
  - {id: split, zone: frontstage, next: {all: [a1, b1]}}
  - {id: a1, zone: backstage, duration: 1, next: a2}
  - {id: rush, zone: frontstage, duration: 1}
  - {id: a2, zone: backstage, duration: 1, next: serve}
  - {id: b1, zone: backstage, duration: 1, next: serve}
  - {id: serve, zone: frontstage, join: all}
"""
    with pytest.raises(ModelError) as caught:
        blueprint.loads(text)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (9, 3, "into-fork")  # at its `- `
    assert diagnostic.message.startswith(
        "step 'rush' has no `next`, so it goes on to the step below, 'a2', in the middle")


NESTED = """\
blueprint: 1
name: Clinic
horizon: {open: "08:00", close: "12:00"}
demand: {arrivals_per_hour: 6}
steps:
  - {id: arrive, zone: customer, evidence: [Sign]%(arrive)s}
  - {id: split, zone: frontstage, next: {all: [lab, xray]}}
  - {id: lab, zone: backstage, duration: 1, next: {all: [draw, label]}}
  - {id: draw, zone: backstage, duration: 1, next: spin%(draw)s}
  - {id: spin, zone: backstage, duration: 1, next: lab_done%(spin)s}
  - {id: label, zone: support, duration: 1, next: lab_done%(label)s}
  - {id: lab_done, zone: backstage, join: all, duration: 1, next: review%(lab_done)s}
  - {id: xray, zone: backstage, duration: 1, next: review%(xray)s}
  - {id: review, zone: frontstage, join: all%(review)s}
"""
NESTED_STEPS = ("arrive", "draw", "spin", "label", "lab_done", "xray", "review")


def nested(**extra: str) -> str:
    return NESTED % {step: extra.get(step, "") for step in NESTED_STEPS}


def test_nested_forks_load():
    assert codes(nested()) == []


def test_a_loop_inside_an_inner_branch_is_fine():
    assert codes(nested(spin=goto("draw"))) == []


def test_the_inner_join_may_send_the_customer_back_to_the_inner_fork():
    assert codes(nested(lab_done=goto("lab"))) == []


def _message(text: str) -> str:
    with pytest.raises(ModelError) as caught:
        blueprint.loads(text)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "into-fork"
    return diagnostic.message


def test_a_jump_from_outside_every_fork_names_the_outer_fork_to_go_to():
    message = _message(nested(arrive=goto("spin")))
    assert "fork 'split'" in message and "go to 'split' or to the join 'review'" in message


def test_a_jump_from_the_outer_join_into_the_inner_fork_names_the_outer_fork():
    assert "fork 'split'" in _message(nested(review=goto("lab")))


def test_a_jump_within_the_outer_branch_into_the_inner_branches_names_the_inner_fork():
    message = _message(nested(lab_done=goto("spin")))
    assert "fork 'lab'" in message and "go to 'lab' or to the join 'lab_done'" in message


def test_a_jump_from_the_other_outer_branch_into_an_inner_branch_crosses_branches():
    message = _message(nested(xray=goto("spin")))
    assert message.startswith("fail point 'f_spin' jumps to 'spin', in another parallel branch "
                              "of fork 'split'")


def test_a_jump_between_the_inner_branches_crosses_branches_of_the_inner_fork():
    assert "another parallel branch of fork 'lab'" in _message(nested(label=goto("spin")))


def test_a_redo_at_an_inner_join_is_not_a_second_join_of_the_outer_fork():
    # the outer branch passes the inner fork by its join; doing that join again stays there
    again = ", fail_points: [{id: recheck, name: Recheck, p: 0.2, effect: redo, recovery: Redo}]"
    assert codes(nested(lab_done=again)) == []


def test_a_loop_back_to_an_inner_join_is_not_a_second_join_of_the_outer_fork():
    # a goto to a join is allowed, and does not make the outer fork meet two joins
    text = nested(lab_done=", next: [{to: review, p: 0.9}, {to: lab_done_again}]").replace(
        "next: review, next:", "next:").replace(
        "  - {id: xray,", "  - {id: lab_done_again, zone: backstage, duration: 1, next: lab_done}\n"
                         "  - {id: xray,")
    assert codes(text) == []


def test_the_simulator_meets_the_branches_at_the_join_of_a_model_with_nested_loops():
    loaded = blueprint.loads(nested(spin=goto("draw", 0.3), lab_done=", fail_points: [{id: recheck, "
                                    "name: Recheck, p: 0.2, effect: redo, recovery: Redo}]"))
    results = loaded.simulate(replications=2, seed=1, jobs=1)
    assert results.system.served.mean == results.system.arrivals.mean
