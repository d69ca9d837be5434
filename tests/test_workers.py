"""Where replications run: here when the run is small, one pool per command when it is not."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import blueprint
import blueprint.sim.workers as workers
from blueprint.analysis.staffing import recommend_staff
from blueprint.cli import main
from blueprint.sim import Workers, compile_plan, run_budget, run_plans
from blueprint.sim.workers import BATCH_SECONDS, SECONDS_PER_CUSTOMER, SECONDS_PER_VISIT, _batch_size
from tests.conftest import COFFEE_BAR


@pytest.fixture
def submissions(monkeypatch):
    """Every batch sent to a pool of Workers, counted (and still run)."""
    sent = []
    submit = Workers.submit

    def counting(self, fn, /, *args, **kwargs):
        sent.append(args[1:])
        return submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(Workers, "submit", counting)
    return sent


@pytest.fixture
def pools_started(monkeypatch):
    """Process pools made, counted."""
    made = []

    class Counted(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            made.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(workers, "ProcessPoolExecutor", Counted)
    return made


def test_a_small_run_with_the_default_processes_runs_in_this_one(submissions):
    coffee = blueprint.loads(COFFEE_BAR)  # 4 hours of 30-60 customers: milliseconds a day
    results = coffee.simulate(replications=10, seed=3, jobs=None)
    assert submissions == [] and results.replications == 10


def test_processes_asked_for_by_number_are_used_even_for_a_small_run(submissions):
    coffee = blueprint.loads(COFFEE_BAR)
    by_two = coffee.simulate(replications=6, seed=3, jobs=2)
    here = coffee.simulate(replications=6, seed=3, jobs=1)
    assert submissions != []
    assert by_two.to_json() == here.to_json()


def test_a_run_priced_above_the_threshold_goes_to_the_pool_and_gives_the_same_numbers(submissions):
    coffee = blueprint.loads(COFFEE_BAR)
    plan = compile_plan(coffee.model, coffee.graph, run_budget(coffee.model, coffee.graph))
    plan.visits = 200_000  # priced at 0.5 s a day: worth two processes
    (pooled,) = run_plans([plan], replications=4, seed=5, jobs=None)
    assert len(submissions) == 4  # a day of 0.5 s is a batch of its own
    plan.visits = 0
    (here,) = run_plans([plan], replications=4, seed=5, jobs=1)
    assert [r.to_dict() for r in pooled] == [r.to_dict() for r in here]


def test_batches_hold_about_a_fifth_of_a_second_of_work_and_feed_every_process():
    coffee = blueprint.loads(COFFEE_BAR)
    plan = compile_plan(coffee.model, coffee.graph)
    plan.customers, plan.visits = 0, 1.0 / SECONDS_PER_VISIT  # one second a replication
    assert _batch_size(plan, 20, 2) == 1
    plan.customers, plan.visits = 1e-3 / SECONDS_PER_CUSTOMER, 0  # a millisecond
    assert _batch_size(plan, 1000, 2) == round(BATCH_SECONDS / 1e-3)  # 200 a batch
    assert _batch_size(plan, 100, 2) == 50  # both processes get half of a short run


def test_one_pool_serves_every_round_of_a_staffing_search(pools_started, submissions):
    # the agents' step comes two hours after the calls (a call-back queue): Erlang's first answer
    # staffs the wrong hours, so the search needs more than one round of simulated days
    callback = blueprint.loads("""\
blueprint: 1
name: Call-back hotline
horizon: {open: "09:00", close: "13:00"}
resources: {agent: {capacity: 12, cost_per_hour: 30}}
demand: {arrivals_per_hour: {"09:00": 120, "11:00": 0}}
steps:
  - {id: wait_for_call_back, zone: customer, evidence: [SMS], duration: 120}
  - {id: answer, zone: frontstage, resource: agent, duration: {dist: exponential, mean: 4}}
""")
    with Workers(2) as pool:
        shared = recommend_staff(callback.model, callback.graph, "agent", "80% within 1 min",
                                 replications=4, seed=1, executor=pool)
    alone = recommend_staff(callback.model, callback.graph, "agent", "80% within 1 min",
                            replications=4, seed=1, jobs=1)
    assert shared.simulation_rounds > 1
    assert pools_started == [1]
    assert shared.to_json() == alone.to_json()


def test_a_command_starts_its_pool_once(pools_started, tmp_path, capsys):
    study = tmp_path / "study.yaml"
    model = tmp_path / "coffee.yaml"
    model.write_text(COFFEE_BAR)
    study.write_text("study: Two scenarios\nmodel: coffee.yaml\nreplications: 3\nseed: 1\n"
                     "scenarios:\n  baseline: {}\n  busy:\n    demand.scale: 1.5\n")
    assert main(["whatif", str(study), "-j", "2", "--json", str(tmp_path / "out.json")]) == 0
    assert pools_started == [1]
    assert set(json.loads((tmp_path / "out.json").read_text())["scenarios"]) == {"baseline", "busy"}


def test_the_help_says_small_runs_stay_in_one_process(capsys):
    assert main(["simulate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "default: one per core, or this one alone when the run is small" in text


def test_the_command_ends_with_mains_status_and_its_output_whole(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(COFFEE_BAR)
    bad.write_text(COFFEE_BAR.replace("duration: 1.5", "duraton: 1.5"))
    entry = [sys.executable, "-c", "from blueprint.cli import run; run()"]
    done = subprocess.run([*entry, "info", str(good), "--output-format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and json.loads(done.stdout)["name"] == "Coffee bar"
    done = subprocess.run([*entry, "validate", str(bad)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "unknown-key" in done.stderr and "0 valid, 1 with errors" in done.stderr


def test_workers_answer_with_a_file_they_leave_and_the_pool_takes_its_files_with_it():
    # a short answer is written to the pool's pipe whole: a worker ended while answering cannot
    # leave the pool waiting for the rest of one (the interrupt tests end workers mid-run)
    from blueprint.sim.workers import collect, run_batch

    coffee = blueprint.loads(COFFEE_BAR)
    plan = compile_plan(coffee.model, coffee.graph)
    with Workers(2) as pool:
        answer = pool.submit_batch(plan, 4, 0, 3).result()
        folder = Path(answer).parent
        assert collect(answer) == run_batch(plan, 4, 0, 3)
        assert not Path(answer).exists()
        pool.submit_batch(plan, 4, 3, 4).result()  # left behind: the pool's end removes it
    assert not folder.exists()
