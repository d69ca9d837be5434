"""What happens at a shift change, against a day worked out by hand.

The rule (docs/simulation.md): when a shift ends, servers still serving
finish the customer in hand; nobody new is started while as many servers are
busy as the new shift allows, so the first servers to come free go home and
the queue waits for a server of the new shift. When a shift starts, the new
servers take waiting customers at once.
"""

from __future__ import annotations

import pytest

import blueprint

MODEL = """\
blueprint: 1
name: Shift change at the counter
horizon: {open: "09:00", close: "12:00"}
resources:
  clerk:
    cost_per_hour: 20
    schedule:
      - {from: "09:00", to: "10:00", capacity: 2}
      - {from: "10:00", to: "11:00", capacity: 1}
      - {from: "11:00", to: "12:00", capacity: 2}
demand: {trace: arrivals.csv}
steps:
  - {id: serve, zone: frontstage, resource: clerk, duration: 15, next: end}
"""
ARRIVALS = "time\n09:50\n09:51\n09:52\n10:50\n10:52\n"


@pytest.fixture
def day(tmp_path):
    (tmp_path / "counter.yaml").write_text(MODEL, encoding="utf-8")
    (tmp_path / "arrivals.csv").write_text(ARRIVALS, encoding="utf-8")
    results = blueprint.load(tmp_path / "counter.yaml").simulate(replications=1)
    return results.runs[0]


def test_a_server_going_off_shift_finishes_the_customer_in_hand_and_the_queue_waits(day):
    # By hand, every service taking 15 minutes:
    #   A 09:50 and B 09:51 start at once (two clerks); C 09:52 waits.
    #   10:00 the shift drops to one clerk: A and B are finished, not interrupted.
    #   10:05 A's clerk comes free first and goes home (two busy, one allowed: C still waits).
    #   10:06 B's clerk comes free: C starts, having waited 14 minutes (not 13).
    #   10:50 D starts at once; 10:52 E waits for the second clerk of the 11:00 shift: 8 minutes.
    waits = [0, 0, 14, 0, 8]
    serve = day.steps["serve"]
    assert serve.entries == 5
    assert serve.wait_mean == pytest.approx(sum(waits) / 5)
    assert serve.wait_p50 == pytest.approx(0)
    assert day.served == 5 and day.abandoned == 0


def test_busy_and_scheduled_time_at_a_shift_change(day):
    clerk = day.resources["clerk"]
    # on shift: 2 clerks x 1 h + 1 x 1 h + 2 x 1 h = 5 server-hours, paid at 20 an hour
    assert clerk.scheduled_hours == pytest.approx(5)
    assert day.staff_cost == pytest.approx(100)
    # busy: five services of 15 minutes, all before closing (no overtime)
    assert clerk.busy_hours == pytest.approx(5 * 15 / 60)
    assert clerk.overtime_hours == 0
    # 09:00-10:00: A 10 min + B 9 min of 120 scheduled; 10:00-11:00: A 5 + B 6 + C 15 + D 10 + E 0
    # of 60 (the minutes A and B run past their shift count in the hour they fall in);
    # 11:00-12:00: D 5 + E 15 of 120
    assert clerk.utilization_by_hour == pytest.approx([19 / 120, 36 / 60, 20 / 120])
