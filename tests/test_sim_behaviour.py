"""What the simulator promises beyond queueing formulas: the day, the rules, the books."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import blueprint
from blueprint.cli import main
from blueprint.sim import SimulationLimit
from tests.conftest import COFFEE_BAR
from tests.sim_support import assert_within_ci99, per_replication, steady

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))
EXP = "{dist: exponential, mean: %s}"


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_littles_law_holds_on_every_example(path):
    """Area under 'customers in system' = their total time; per step, queue area = queueing time."""
    bp = blueprint.load(path)
    results = bp.simulate(replications=2, seed=5)
    hour = 60 / bp.model.minutes_per_unit
    for run in results.runs:
        period = run["measured_hours"] * hour
        exact = bp.model.is_day  # a day ends empty; a steady run stops with customers inside
        tolerance = 1e-9 if exact else 0.05
        assert run["in_system_mean"] * period == pytest.approx(run["time_in_system_total"],
                                                               rel=tolerance)
        for step in run["steps"].values():
            assert step["queue_length_mean"] * period == pytest.approx(
                step["queue_time_total"], rel=tolerance, abs=1e-6)


def test_hourly_arrivals_follow_the_rates_and_waits_follow_the_peak():
    text = """
blueprint: 1
name: Morning peak
horizon: {open: "09:00", close: "13:00"}
resources: {clerk: {capacity: 2}}
demand: {arrivals_per_hour: {"09:00": 40, "10:00": 110, "11:00": 40, "12:00": 20}}
steps:
  - {id: serve, zone: frontstage, resource: clerk, duration: {dist: exponential, mean: 1}}
"""
    results = blueprint.loads(text).simulate(replications=30, seed=9, jobs=2)
    for hour, rate in enumerate([40, 110, 40, 20]):
        assert_within_ci99(rate, [r["arrivals_by_hour"][hour] for r in results.runs], f"hour {hour}")
    waits = [s.mean for s in results.steps["serve"].wait_by_hour[:4]]
    assert waits[1] > 3 * waits[0] and waits[1] > 3 * waits[3]
    idle = [1 - s.mean for s in results.resources["clerk"].utilization_by_hour[:4]]
    assert idle[3] > idle[0] > idle[1]
    assert results.mean("resources", "clerk", "idle_hours") > 0


def test_same_seed_same_bytes_whatever_the_jobs(tmp_path, capsys):
    model = ROOT / "models" / "bank_branch.yaml"
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    assert main(["simulate", str(model), "-n", "4", "--seed", "3", "--jobs", "1", "--json", str(one)]) == 0
    assert main(["simulate", str(model), "-n", "4", "--seed", "3", "--jobs", "2", "--json", str(two)]) == 0
    assert one.read_bytes() == two.read_bytes()
    other = blueprint.load(model).simulate(replications=4, seed=4).to_json()
    assert other != one.read_text()


def test_a_change_at_one_step_leaves_the_other_random_numbers_alone():
    base = blueprint.load(ROOT / "models" / "bank_branch.yaml")
    slower = blueprint.loads((ROOT / "models" / "bank_branch.yaml").read_text().replace(
        "duration: {dist: lognormal, mean: 15, sd: 8}", "duration: {dist: lognormal, mean: 18, sd: 8}"))
    a = base.simulate(replications=3, seed=2)
    b = slower.simulate(replications=3, seed=2)
    assert [r["arrivals_by_hour"] for r in a.runs] == [r["arrivals_by_hour"] for r in b.runs]
    assert a.runs[0]["steps"]["triage"]["entries"] == b.runs[0]["steps"]["triage"]["entries"]


def test_parallel_branches_take_as_long_as_the_longest():
    text = """
blueprint: 1
name: Fork and join
horizon: {open: "09:00", close: "10:00"}
demand: {arrivals_per_hour: 20}
steps:
  - {id: order, zone: customer, evidence: [Menu], duration: 1, next: {all: [cook, pour]}}
  - {id: cook, zone: backstage, duration: 5, next: serve}
  - {id: pour, zone: backstage, duration: 2, next: serve}
  - {id: serve, zone: frontstage, duration: 0.5, join: all}
"""
    results = blueprint.loads(text).simulate(replications=2, seed=1)
    assert results.mean("system", "time_in_system", "mean") == pytest.approx(6.5)
    assert results.mean("steps", "serve", "entries") == results.mean("system", "served")


def test_nobody_is_served_while_no_server_is_on_shift():
    text = """
blueprint: 1
name: Lunch closure
horizon: {open: "09:00", close: "14:00"}
resources:
  clerk:
    schedule:
      - {from: "09:00", to: "12:00", capacity: 2}
      - {from: "13:00", to: "14:00", capacity: 2}
demand: {arrivals_per_hour: 30}
steps:
  - {id: serve, zone: frontstage, resource: clerk, duration: {dist: exponential, mean: 3}}
"""
    results = blueprint.loads(text).simulate(replications=5, seed=4)
    by_hour = results.resources["clerk"].utilization_by_hour
    assert by_hour[3] is None  # 12:00-13:00: nobody scheduled, so no utilisation at all
    waits = results.steps["serve"].wait_by_hour
    assert waits[3]["mean"] > 10 * waits[0]["mean"]
    assert results.mean("resources", "clerk", "scheduled_hours") == 8.0
    assert results.mean("system", "served") == results.mean("system", "arrivals")


def test_customers_inside_at_closing_are_finished_in_overtime():
    text = COFFEE_BAR.replace("duration: {dist: triangular, low: 0.5, mode: 1, high: 2}",
                              "duration: {dist: exponential, mean: 5}")
    results = blueprint.loads(text).simulate(replications=3, seed=2)
    assert results.mean("system", "served") == results.mean("system", "arrivals")
    assert results.mean("resources", "barista", "overtime_hours") > 0


def test_an_almost_certain_rework_loop_is_stopped_with_a_message(tmp_path, capsys):
    model = tmp_path / "loop.yaml"
    model.write_text(COFFEE_BAR.replace(
        "    duration: 1.5\n",
        "    duration: 1.5\n    fail_points: [{id: again, name: Again, p: 0.99999, effect: redo, "
        "recovery: none}]\n"))
    with pytest.raises(SimulationLimit, match="rework loop"):
        blueprint.load(model).simulate(replications=1)
    assert main(["simulate", str(model), "-n", "1", "-j", "1"]) == 1
    assert "simulation stopped" in capsys.readouterr().err


def test_overloaded_steady_state_run_warns_and_still_stops():
    bp = steady(f"- {{id: serve, zone: frontstage, resource: server, duration: {EXP % 1}}}",
                length=500, warmup=0, rate_per_min=1.2, resources="server: {capacity: 1}")
    results = bp.simulate(replications=1)
    assert any("more work than it can do" in w for w in results.warnings)
    assert results.mean("system", "in_system_at_end") > 20


def test_fail_points_abandon_and_delay_as_declared():
    bp = steady("""
        - id: serve
          zone: frontstage
          duration: 1
          fail_points:
            - {id: lost, name: Hangs up, p: 0.1, effect: abandon, recovery: Call back}
        - id: fix
          zone: backstage
          duration: 1
          fail_points:
            - {id: slow, name: Slow system, p: 0.5, effect: delay, delay: 4, recovery: Wait}
        """, length=5000, warmup=100, rate_per_min=1, resources="desk: {capacity: 1}")
    results = bp.simulate(replications=6, seed=8)
    assert_within_ci99(0.1, per_replication(results, "abandonment_rate"), "abandon p")
    assert_within_ci99(1 + 1 + 0.5 * 4, per_replication(results, "time_in_system_mean"), "delay")


REPLAY = """
blueprint: 1
name: Replay
horizon: {open: "09:00", close: "10:00"}
demand:
  trace: arrivals.csv
  classes: {vip: {share: 0.5, priority: 0}, regular: {share: 0.5}}
steps:
  - {id: serve, zone: frontstage, duration: 2}
"""


def test_trace_arrivals_are_replayed_with_their_classes(tmp_path):
    (tmp_path / "arrivals.csv").write_text("time,class\n09:00,vip\n09:10,regular\n09:10:30,vip\n")
    model = tmp_path / "model.yaml"
    model.write_text(REPLAY)
    results = blueprint.load(model).simulate(replications=2)
    assert results.mean("system", "arrivals") == 3
    assert results.mean("system", "classes", "vip", "arrivals") == 2


def test_a_trace_row_with_an_unknown_class_does_not_hide_the_next_rows_order(tmp_path):
    (tmp_path / "arrivals.csv").write_text("time,class\n09:00:10,vip\n09:05,gold\n09:03,vip\n")
    model = tmp_path / "model.yaml"
    model.write_text(REPLAY)
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.load(model)
    found = [(d.file.endswith("arrivals.csv"), d.line, d.column, d.code) for d in caught.value.diagnostics]
    # row 3 names a class that does not exist (field 2, column 7); row 4 comes before 09:05
    assert found == [(True, 3, 7, "unknown-class"), (True, 4, 1, "bad-trace")]


def test_a_trace_cannot_be_scaled(tmp_path):
    (tmp_path / "arrivals.csv").write_text("time\n09:00\n")
    model = tmp_path / "model.yaml"
    model.write_text('blueprint: 1\nname: Replay\nhorizon: {open: "09:00", close: "10:00"}\n'
                     "demand: {trace: arrivals.csv, scale: 2}\n"
                     "steps:\n  - {id: serve, zone: frontstage, duration: 2}\n")
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.load(model)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.code) == (4, "bad-demand") and "trace" in diagnostic.message


def test_csv_has_a_row_per_replication(tmp_path, capsys):
    model = ROOT / "models" / "call_centre.yaml"
    assert main(["simulate", str(model), "-n", "3", "-j", "1", "--csv", str(tmp_path)]) == 0
    rows = (tmp_path / "system.csv").read_text().splitlines()
    assert rows[0].startswith("replication,arrivals,served") and len(rows) == 4
    steps = (tmp_path / "steps.csv").read_text().splitlines()
    assert len(steps) == 1 + 3 * len(blueprint.load(model).steps)


def test_results_json_has_the_design_fields(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["simulate", str(ROOT / "models" / "bank_branch.yaml"), "-n", "2", "-j", "1",
                 "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert {"model", "replications", "seed", "system", "steps", "resources"} <= set(data)
    assert {"arrivals", "served", "balked", "reneged", "abandoned", "abandonment_rate",
            "time_in_system", "revenue", "lost_revenue", "staff_cost"} <= set(data["system"])
    step = data["steps"]["deposit"]
    assert {"entries", "wait", "service", "within_tolerance", "queue_length", "fail_points"} <= set(step)
    assert set(step["wait"]) == {"mean", "p50", "p90", "p95"}
    assert set(step["wait"]["mean"]) == {"mean", "ci95"}
    assert {"utilization", "idle_hours", "utilization_by_hour"} <= set(data["resources"]["teller"])


def test_a_steady_state_run_longer_than_a_week_books_every_hour_of_it():
    # M/M/1, rho = 0.5, 18,000 minutes measured after a 2,000-minute warm-up: 300 hours on shift,
    # paid 60 an hour, whatever the hourly series (a week at most) shows
    bp = steady("- {id: serve, zone: frontstage, resource: clerk, duration: {dist: exponential, "
                "mean: 1}}", length=20000, warmup=2000, rate_per_min=0.5,
                resources="clerk: {capacity: 1, cost_per_hour: 60}", demand_extra="value: 2")
    results = bp.simulate(replications=4, seed=5)
    assert results.mean("resources", "clerk", "scheduled_hours") == pytest.approx(300)
    assert results.mean("system", "staff_cost") == pytest.approx(300 * 60)
    assert_within_ci99(0.5, per_replication(results, "resources", "clerk", "utilization"), "rho")
    for day in results.runs:
        assert day.profit == pytest.approx(2 * day.served - 300 * 60)
        assert day.in_system_at_end <= 20  # those inside at the end, not every warm-up arrival


def test_nobody_waits_at_a_step_without_a_resource_so_all_start_within_its_tolerance():
    # a self-service kiosk: a pure delay, so every customer who reaches it starts at once
    kiosk = blueprint.loads("""\
blueprint: 1
name: Self-service kiosk
horizon: {open: "09:00", close: "11:00"}
demand:
  arrivals_per_hour: 30
  classes: {members: {share: 0.5}, guests: {share: 0.5}}
steps:
  - {id: kiosk, zone: customer, evidence: [Kiosk], duration: 2, tolerance: 5}
""")
    results = kiosk.simulate(replications=3, seed=2, service_levels={"kiosk": [1.0]})
    assert results.mean("steps", "kiosk", "within_tolerance") == 1.0
    assert results.mean("steps", "kiosk", "classes", "guests", "within_tolerance") == 1.0
    assert results.mean("steps", "kiosk", "service_levels", "1", "overall") == 1.0
