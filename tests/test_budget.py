"""A run is priced from the model before it starts, and refused where the model asks too much."""

from __future__ import annotations

import pytest

import blueprint
import blueprint.sim as sim
from blueprint.sim import SimulationLimit, compile_plan, over_budget, run_budget, run_replication
from blueprint.sim.budget import MAX_CUSTOMERS, MAX_HELD

COUNTER = """\
blueprint: 1
name: Counter
horizon: {{open: "09:00", close: "17:00"}}
resources:
  clerk: {{capacity: {capacity}, cost_per_hour: 20}}
demand:
  arrivals_per_hour: {rate}
{extra}
steps:
  - id: serve
    zone: frontstage
    resource: clerk
    duration: {duration}
    fail_points: [{{id: again, name: Do it again, p: 0.5, effect: redo, recovery: Apologise}}]
"""


def counter(rate: float, *, capacity: int = 2, duration: float = 3, extra: str = "") -> blueprint.Blueprint:
    return blueprint.loads(COUNTER.format(rate=rate, capacity=capacity, duration=duration, extra=extra),
                           "counter.yaml")


def test_the_price_of_a_day_comes_from_the_rates_and_the_routing():
    bp = counter(30)
    budget = run_budget(bp.model, bp.graph)
    # 30 an hour for 8 hours; a redo with p 0.5 makes 1 / (1 - 0.5) = 2 visits each
    assert budget.customers == pytest.approx(240)
    assert budget.visits == pytest.approx(480)
    (clerk,) = budget.resources
    # 480 visits of 3 minutes = 24 server-hours offered against 2 clerks x 8 hours
    assert (clerk.offered_hours, clerk.scheduled_hours) == pytest.approx((24, 16))
    # 8 server-hours too many, 3 minutes each: 160 customers still waiting at closing
    assert clerk.backlog == pytest.approx(160) and budget.held_at_once == pytest.approx(160)
    assert over_budget(bp.model, budget, replications=10) == []


def test_a_billion_arrivals_an_hour_are_refused_at_the_rate_before_any_simulation(monkeypatch):
    monkeypatch.setattr(sim, "run_plans", lambda *a, **k: pytest.fail("simulated anyway"))
    bp = counter(1e9, capacity=2)
    with pytest.raises(blueprint.ModelError) as caught:
        bp.simulate(replications=2)
    found = [(d.line, d.column, d.code) for d in caught.value.diagnostics]
    assert (7, 3, "over-budget") in found  # `arrivals_per_hour:` on line 7
    message = next(d.message for d in caught.value.diagnostics if d.line == 7)
    assert "8,000,000,000 customers" in message and f"{MAX_CUSTOMERS:,}" in message


def test_a_long_steady_state_run_is_refused_at_its_length():
    text = """\
blueprint: 1
name: Long run
horizon: {length: 1000000000, warmup: 0}
resources: {clerk: {capacity: 2}}
demand: {arrivals_per_hour: 30}
steps:
  - {id: serve, zone: frontstage, resource: clerk, duration: 3}
"""
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.loads(text, "long.yaml").simulate(replications=1)
    (diagnostic,) = caught.value.diagnostics
    # 30 an hour is a sensible rate: it is the length (line 3, `length:` at column 11) that is not
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (3, 11, "over-budget")


def test_a_queue_that_only_grows_is_refused_at_the_resource():
    # 40,000 an hour for 8 hours is 320,000 customers (within the limit), but 2 clerks serving an
    # hour each clear 16 of them: nearly all still wait at once, more than a run may hold
    bp = counter(40_000, duration=60)
    budget = run_budget(bp.model, bp.graph)
    assert budget.held_at_once > MAX_HELD
    with pytest.raises(blueprint.ModelError) as caught:
        bp.simulate(replications=1)
    (diagnostic,) = [d for d in caught.value.diagnostics if "would wait at once" in d.message]
    assert (diagnostic.line, diagnostic.column) == (5, 3)  # `clerk:` under resources
    # patience empties the queue: the same demand is then a price the run can pay
    patient = counter(40_000, duration=60, extra="  patience: {dist: exponential, mean: 10}")
    assert [f for f in over_budget(patient.model, run_budget(patient.model, patient.graph), 1)
            if "at once" in f.message] == []


def test_max_customers_raises_the_limit():
    bp = counter(200_000, extra="  patience: {dist: exponential, mean: 10}")  # 1.6 million a day
    budget = run_budget(bp.model, bp.graph)
    assert [f.code for f in over_budget(bp.model, budget, 1)] == ["over-budget"]
    assert over_budget(bp.model, budget, 1, max_customers=2_000_000) == []


def test_a_day_served_far_into_overtime_says_so():
    results = counter(60).simulate(replications=2)  # 960 visits of 3 min against 16 clerk-hours
    (warning,) = results.warnings
    assert "'clerk' is offered 48 server-hours of work against 16 on shift" in warning
    assert results.mean("resources", "clerk", "overtime_hours") > 20


def test_the_engine_stops_a_run_that_holds_too_many_customers_at_once(monkeypatch):
    import blueprint.sim.engine as engine

    monkeypatch.setattr(engine, "MAX_INSIDE", 50)
    bp = counter(600, capacity=1)
    with pytest.raises(SimulationLimit, match="more than 50 customers inside at once"):
        run_replication(compile_plan(bp.model, bp.graph), 1, 0)


def test_every_run_command_refuses_an_over_budget_model_at_its_place(tmp_path, capsys):
    from blueprint.cli import main

    model = tmp_path / "huge.yaml"
    model.write_text(COUNTER.format(rate=1e9, capacity=2, duration=3, extra=""))
    study = tmp_path / "study.yaml"
    study.write_text("study: Huge\nmodel: huge.yaml\nscenarios:\n  more:\n    resources.clerk.capacity: 3\n")
    commands = [["simulate", str(model)], ["economics", str(model)],
                ["staff", str(model), "-r", "clerk", "-t", "80% within 1 min"],
                ["report", str(model), "-o", str(tmp_path / "r.html")], ["whatif", str(study)]]
    for command in commands:
        assert main([*command, "-j", "1"]) == 1, command
        err = capsys.readouterr().err
        assert f"{model}:7:3: over-budget: " in err, command
        assert "internal error" not in err and "Traceback" not in err
    assert not (tmp_path / "r.html").exists()


def test_absurd_replications_are_a_usage_error_and_a_study_cannot_ask_for_them(tmp_path, capsys):
    from blueprint.analysis.study import load_study
    from blueprint.cli import main

    model = tmp_path / "counter.yaml"
    model.write_text(COUNTER.format(rate=30, capacity=2, duration=3, extra=""))
    assert main(["simulate", str(model), "-n", "1000000000"]) == 2
    assert "--replications" in capsys.readouterr().err
    study = tmp_path / "study.yaml"
    study.write_text("study: Many\nmodel: counter.yaml\nreplications: 1000000000\n")
    with pytest.raises(blueprint.ModelError) as caught:
        load_study(study)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (3, 15, "bad-value")
