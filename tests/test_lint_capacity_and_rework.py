"""Two design warnings the routing and the shifts imply: nobody on duty, and heavy rework.

`no-capacity`: a resource with no server while customers can reach a step
that needs it (they then wait for the next shift, or for overtime).
`heavy-rework`: a loop that brings customers back to a step more than three
times on average (a redo with probability p makes 1 / (1 - p) visits).
The expected verdicts and figures are worked out by hand in each test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import blueprint
from blueprint.cli import main
from blueprint.lint import HEAVY_REWORK_VISITS, LINT_CODES

ROOT = Path(__file__).resolve().parent.parent


def warnings(text: str, code: str | None = None) -> list[tuple[int, int, str, str]]:
    found = [(w.line, w.column, w.code, w.message) for w in blueprint.loads(text, "m.yaml").lint()]
    return [w for w in found if code is None or w[2] == code]


def test_the_new_codes_are_lint_codes():
    assert {"no-capacity", "heavy-rework"} <= set(LINT_CODES)
    assert HEAVY_REWORK_VISITS == 3


# --- no-capacity ------------------------------------------------------------------------------

COUNTER = """\
blueprint: 1
name: Counter
horizon: {open: "09:00", close: "17:00"}
resources:
  clerk:
%(clerk)s
demand: {arrivals_per_hour: %(rate)s}
steps:
  - {id: queue, zone: customer, evidence: [Ticket]%(queue)s}
  - {id: serve, zone: frontstage, resource: clerk, duration: 4}
"""


def counter(clerk: str, rate: str = "20", queue: str = "") -> str:
    return COUNTER % {"clerk": clerk, "rate": rate, "queue": queue}


def test_capacity_0_all_day_is_warned_at_the_resource():
    (warning,) = warnings(counter("    capacity: 0"), "no-capacity")
    assert warning == (5, 3, "no-capacity",
                       "resource 'clerk' has no server on duty at any time of the day, yet step "
                       "'serve' needs it: its customers wait until closing and are served only in "
                       "overtime")


def test_a_schedule_of_shifts_with_0_servers_is_no_capacity_all_day():
    clerk = ('    schedule:\n      - {from: "09:00", to: "13:00", capacity: 0}\n'
             '      - {from: "13:00", to: "17:00", capacity: 0}')
    (warning,) = warnings(counter(clerk), "no-capacity")
    assert "at any time of the day" in warning[3]


def test_a_lunch_gap_and_a_late_start_are_named_by_their_clock_times():
    clerk = ('    schedule:\n      - {from: "10:00", to: "12:00", capacity: 2}\n'
             '      - {from: "12:00", to: "13:00", capacity: 0}\n'
             '      - {from: "14:00", to: "16:30", capacity: 2}')
    (warning,) = warnings(counter(clerk), "no-capacity")
    assert warning[3] == ("resource 'clerk' has no server on duty 09:00–10:00, 12:00–14:00 and "
                          "16:30–17:00, when customers can reach step 'serve': they wait for the "
                          "next shift, or for overtime after closing")


def test_a_full_day_of_shifts_is_fine():
    clerk = ('    schedule:\n      - {from: "09:00", to: "12:00", capacity: 2}\n'
             '      - {from: "12:00", to: "17:00", capacity: 1}')
    assert warnings(counter(clerk), "no-capacity") == []


def test_staff_who_start_when_the_first_customers_can_arrive_are_fine():
    clerk = '    schedule:\n      - {from: "10:00", to: "17:00", capacity: 2}'
    assert warnings(counter(clerk, rate='{"10:00": 20}'), "no-capacity") == []
    assert warnings(counter(clerk, rate='{"09:30": 20}'), "no-capacity") != []


def test_staff_who_leave_once_the_last_customers_are_through_are_fine():
    # arrivals stop at 16:00; the ticket takes at most 5 minutes, so nobody reaches the counter
    # after 16:05: a shift to 16:05 covers them all, one to 16:00 does not
    clerk = '    schedule:\n      - {from: "09:00", to: "%s", capacity: 2}'
    rate = '{"09:00": 20, "16:00": 0}'
    queue = ", duration: {dist: uniform, low: 1, high: 5}"
    assert warnings(counter(clerk % "16:05", rate, queue), "no-capacity") == []
    (warning,) = warnings(counter(clerk % "16:00", rate, queue), "no-capacity")
    assert "16:00–17:00" in warning[3]


def test_a_queue_on_the_way_means_customers_can_reach_the_step_at_any_later_time():
    # the ticket step queues for its own machine: how long customers wait there has no bound
    text = counter('    schedule:\n      - {from: "09:00", to: "16:05", capacity: 2}',
                   '{"09:00": 20, "16:00": 0}', ", resource: machine, duration: 1")
    text = text.replace("resources:\n", "resources:\n  machine: {capacity: 1}\n")
    (warning,) = warnings(text, "no-capacity")
    assert "16:05–17:00" in warning[3]


def test_a_step_reached_hours_after_arrival_needs_staff_only_from_then():
    # the repair visit starts at least 2 hours after the call (a fixed 120-minute drive)
    text = """\
blueprint: 1
name: Repairs
horizon: {open: "08:00", close: "18:00"}
resources:
  engineer:
    schedule:
      - {from: "%s", to: "18:00", capacity: 3}
demand: {arrivals_per_hour: 6}
steps:
  - {id: call, zone: customer, evidence: [Hotline], duration: 120}
  - {id: repair, zone: frontstage, resource: engineer, duration: 45}
"""
    assert warnings(text % "10:00", "no-capacity") == []
    (warning,) = warnings(text % "10:30", "no-capacity")
    assert "08:00–10:30" in warning[3]


def test_nobody_arriving_means_nobody_waits():
    assert warnings(counter("    capacity: 0", rate="0"), "no-capacity") == []
    text = counter("    capacity: 0").replace("arrivals_per_hour: 20", "arrivals_per_hour: 20, "
                                              "scale: 0")
    assert warnings(text, "no-capacity") == []


def test_an_unused_resource_with_capacity_0_is_only_unused():
    text = counter("    capacity: 0").replace("resources:\n", "resources:\n  spare: {capacity: 0}\n")
    assert [w[2] for w in warnings(text) if w[3].startswith("resource 'spare'")] == [
        "unused-resource"]


def test_a_steady_state_run_with_capacity_0_never_serves():
    text = """\
blueprint: 1
name: Queue
horizon: {length: 1000}
resources:
  desk: {capacity: 0}
demand: {arrivals_per_hour: 10}
steps:
  - {id: wait, zone: customer, evidence: [Sign], resource: desk, duration: 2}
"""
    (warning,) = warnings(text, "no-capacity")
    assert warning[3] == ("resource 'desk' has no server (capacity 0), yet step 'wait' needs it: "
                          "its customers are never served")


def test_a_trace_that_starts_with_the_shift_is_fine(tmp_path):
    (tmp_path / "arrivals.csv").write_text("time\n10:00\n10:20\n15:00\n")
    model = tmp_path / "model.yaml"
    clerk = '    schedule:\n      - {from: "10:00", to: "17:00", capacity: 1}'
    model.write_text(counter(clerk).replace("{arrivals_per_hour: 20}", "{trace: arrivals.csv}"))
    assert [w.code for w in blueprint.load(model).lint() if w.code == "no-capacity"] == []
    (tmp_path / "arrivals.csv").write_text("time\n09:50\n10:20\n")
    assert [w.code for w in blueprint.load(model).lint() if w.code == "no-capacity"] == [
        "no-capacity"]


# --- heavy-rework -----------------------------------------------------------------------------

DESK = """\
blueprint: 1
name: Desk
horizon: {open: "09:00", close: "12:00"}
resources:
  clerk: {capacity: 2}
demand: {arrivals_per_hour: 10}
steps:
  - {id: arrive, zone: customer, evidence: [Sign]%(arrive)s}
  - id: check
    zone: frontstage
    resource: clerk
    duration: 3
    fail_points:
      - {id: wrong, name: Wrong form, p: %(p)s, effect: %(effect)s, recovery: Redo it}
"""


def desk(p: str, effect: str = "redo", arrive: str = "") -> str:
    return DESK % {"p": p, "effect": effect, "arrive": arrive}


def test_a_redo_of_p_07_makes_3_3_visits_and_is_warned_at_its_p():
    (warning,) = warnings(desk("0.7"), "heavy-rework")
    # line 14: `      - {id: wrong, name: Wrong form, p: 0.7, ...}`: p's value at column 42
    assert warning == (14, 42, "heavy-rework",
                       "customers visit step 'check' 3.3 times on average, through this loop back "
                       "(p 0.7): heavy rework (a loop taken with probability p makes 1 / (1 - p) "
                       "visits; lint warns above 3)")


@pytest.mark.parametrize("p", ["0.6", "0.6666666666666666", "0.5"])
def test_a_redo_of_at_most_two_thirds_is_not_heavy(p):
    assert warnings(desk(p), "heavy-rework") == []


def test_the_runaway_redo_of_the_issue_is_warned_with_its_thousand_visits():
    (warning,) = warnings(desk("0.999"), "heavy-rework")
    assert warning[3].startswith("customers visit step 'check' 1,000 times on average")


def test_visits_count_per_arriving_customer():
    # only 1 customer in 10 reaches the check: 0.1 × 1 / (1 - 0.9) = 1 visit per customer
    text = desk("0.9", arrive=", next: [{to: check, p: 0.1}, {to: end}]")
    assert warnings(text, "heavy-rework") == []
    text = desk("0.9", arrive=", next: [{to: check, p: 0.5}, {to: end}]")  # 5 visits
    assert [w[2] for w in warnings(text, "heavy-rework")] == ["heavy-rework"]


def test_a_goto_loop_is_warned_at_the_goto_p_and_names_the_step_visited_most():
    text = """\
blueprint: 1
name: Claims
horizon: {open: "09:00", close: "17:00"}
demand: {arrivals_per_hour: 4}
steps:
  - {id: submit, zone: customer, evidence: [Claim form]}
  - {id: assess, zone: backstage, duration: 10}
  - id: approve
    zone: backstage
    duration: 5
    fail_points:
      - {id: missing_papers, name: Papers missing, p: 0.8, effect: goto, goto: assess,
         recovery: Ask for them}
"""
    # assess and approve are both visited 1 / (1 - 0.8) = 5 times; assess is listed first.
    # line 12: `      - {id: missing_papers, name: Papers missing, p: 0.8, ...`: p at column 55
    (warning,) = warnings(text, "heavy-rework")
    assert warning[:3] == (12, 55, "heavy-rework")
    assert warning[3].startswith("customers visit step 'assess' 5.0 times on average, through "
                                 "this loop back (p 0.8)")


def test_a_branch_loop_is_warned_at_the_branch_p():
    text = """\
blueprint: 1
name: Helpdesk
horizon: {open: "09:00", close: "17:00"}
demand: {arrivals_per_hour: 4}
steps:
  - {id: ask, zone: customer, evidence: [Portal]}
  - id: answer
    zone: frontstage
    duration: 5
    next:
      - {to: ask, p: 0.75, label: not solved}
      - {to: end}
"""
    # ask and answer: 1 / (1 - 0.75) = 4 visits each
    (warning,) = warnings(text, "heavy-rework")
    # line 11: `      - {to: ask, p: 0.75, label: not solved}`: p's value at column 22
    assert warning[:3] == (11, 22, "heavy-rework")
    assert "'ask' 4.0 times" in warning[3] and "(p 0.75)" in warning[3]


def test_every_example_model_lints_clean_with_strict(capsys):
    models = [str(p) for p in sorted((ROOT / "models").glob("*.yaml"))]
    assert main(["lint", "--strict", *models]) == 0
    assert "0 warnings" in capsys.readouterr().err


def test_lint_answers_every_generated_valid_model():
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tests.yaml_builders import forward_models, rich_models

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(forward_models(), rich_models()))
    def lints(text: str) -> None:
        try:
            model = blueprint.loads(text)
        except blueprint.ModelError:
            return
        for warning in model.lint():
            assert warning.code in LINT_CODES and warning.line >= 1

    lints()


def test_visit_ratios_of_a_long_model_are_solved_sparsely_with_the_same_figures():
    # 1,200 steps (beyond the dense solver's 500): every third step has a redo of p 0.2, so
    # 1 / (1 - 0.2) = 1.25 visits there and 1 elsewhere; a heavy redo (p 0.8) at the end: 5
    from blueprint.graph import visit_ratios

    lines = ["blueprint: 1", "name: Long", 'horizon: {open: "08:00", close: "18:00"}',
             "demand: {arrivals_per_hour: 5}", "steps:"]
    for i in range(1200):
        p = 0.8 if i == 1199 else 0.2
        redo = (f", fail_points: [{{id: f{i}, name: Again, p: {p}, effect: redo, recovery: R}}]"
                if i % 3 == 0 or i == 1199 else "")
        lines.append(f"  - {{id: s{i}, zone: support, duration: 1{redo}}}")
    loaded = blueprint.loads("\n".join(lines) + "\n")
    visits = visit_ratios(loaded.graph, loaded.model)
    assert visits["s0"] == pytest.approx(1.25) and visits["s1"] == pytest.approx(1.0)
    assert visits["s600"] == pytest.approx(1.25) and visits["s1199"] == pytest.approx(5.0)
    assert [w.code for w in loaded.lint() if w.code == "heavy-rework"] == ["heavy-rework"]
