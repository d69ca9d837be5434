"""What-if studies: overrides, sweeps, targets, and comparisons that know noise from effect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blueprint.analysis.overrides import OverrideError, apply_overrides, parse_path
from blueprint.analysis.study import load_study, run_study
from blueprint.cli import main
from blueprint.diagnostics import ModelError

ROOT = Path(__file__).resolve().parent.parent
SIMS = sorted((ROOT / "sims").glob("*.yaml"))

SATURATED = """\
blueprint: 1
name: Post office counter
horizon: {open: "09:00", close: "13:00"}
resources:
  clerk: {capacity: 2, cost_per_hour: 25}
demand: {arrivals_per_hour: 100, value: 6}
steps:
  - {id: queue, zone: customer, evidence: [Ticket], duration: 0.2}
  - {id: counter, zone: frontstage, resource: clerk, duration: {dist: exponential, mean: 1.3}}
"""


def write_study(tmp_path: Path, body: str) -> Path:
    (tmp_path / "model.yaml").write_text(SATURATED)
    study = tmp_path / "study.yaml"
    study.write_text("study: Counter\nmodel: model.yaml\nreplications: 8\nseed: 3\n" + body)
    return study


def test_paths_read_indexes_and_names():
    assert parse_path("resources.teller.schedule[1].capacity") == [
        "resources", "teller", "schedule", 1, "capacity"]
    with pytest.raises(OverrideError):
        parse_path("resources..[x]")


def test_an_override_changes_only_its_value():
    document = {"resources": {"clerk": {"capacity": 2}}, "steps": [{"id": "a", "duration": 1}]}
    changed = apply_overrides(document, {"resources.clerk.capacity": 3, "steps.a.duration": 4})
    assert changed == {"resources": {"clerk": {"capacity": 3}}, "steps": [{"id": "a", "duration": 4}]}
    assert document["resources"]["clerk"]["capacity"] == 2


def test_an_override_that_names_nothing_is_an_error_at_its_line(tmp_path, capsys):
    study = write_study(tmp_path, "scenarios:\n  more:\n    resources.clerks.capacity: 3\n")
    with pytest.raises(ModelError) as caught:
        load_study(study)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (7, 5, "unknown-override")
    assert "did you mean 'clerk'" in diagnostic.message
    assert main(["whatif", str(study)]) == 1
    assert f"{study}:7:5: unknown-override" in capsys.readouterr().err


def test_an_override_that_breaks_the_model_is_reported_at_its_value(tmp_path):
    study = write_study(tmp_path, "scenarios:\n  broken:\n    resources.clerk.capacity: -1\n")
    with pytest.raises(ModelError) as caught:
        load_study(study)
    (diagnostic,) = caught.value.diagnostics
    # line 7 is `    resources.clerk.capacity: -1`; the value -1 starts at column 31
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (7, 31, "bad-scenario")


def test_a_misspelt_last_key_is_reported_at_its_own_key_not_at_the_scenario(tmp_path):
    # `demand.scael` names a key the model does not have; setting a key that is not there yet
    # is allowed (demand.patience, say), so the model's own check finds it: still, the error
    # belongs to the override's line and column, not the scenario's.
    study = write_study(tmp_path, "scenarios:\n  quiet:\n    demand.scale: 1\n"
                                  "  slow:\n    resources.clerk.capacity: 2\n    demand.scael: 0.7\n")
    with pytest.raises(ModelError) as caught:
        load_study(study)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (10, 5, "unknown-override")
    assert "scael" in diagnostic.message and "did you mean 'scale'" in diagnostic.message


def test_a_sweep_value_that_breaks_the_model_is_reported_at_that_value(tmp_path):
    study = write_study(tmp_path, "sweep:\n  demand.scale: [1.0, -2, 0.5]\n")
    with pytest.raises(ModelError) as caught:
        load_study(study)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (6, 23, "bad-scenario")


def test_a_scenario_that_changes_nothing_simulated_shows_no_significant_difference(tmp_path):
    # a new name is another model, simulated on the same random numbers: every change is 0
    study = write_study(tmp_path, "scenarios:\n  reworded:\n    name: The same counter\n")
    results = run_study(load_study(study), jobs=2)
    for kpi, entry in results.scenarios["reworded"]["kpis"].items():
        assert entry["change"]["significant"] is False, kpi
        assert entry["change"]["mean"] == 0


def test_scenarios_that_make_the_same_model_are_reported_and_run_once(tmp_path, monkeypatch):
    # `again` writes the baseline's own scale; the sweep's point 1.5 is `busy` again
    study = write_study(tmp_path, "scenarios:\n  again:\n    demand.scale: 1.0\n"
                                  "  busy:\n    demand.scale: 1.5\nsweep:\n  demand.scale: [1.5, 2]\n")
    import blueprint.analysis.study as studies

    planned = []
    run_plans = studies.run_plans

    def counting(plans, **options):
        planned.append(len(plans))
        return run_plans(plans, **options)

    monkeypatch.setattr(studies, "run_plans", counting)
    results = run_study(load_study(study), jobs=1)
    assert planned == [3]  # baseline, busy, demand.scale=2
    assert list(results.scenarios) == ["baseline", "busy", "demand.scale=2"]
    assert results.same_as == {"again": "baseline", "demand.scale=1.5": "busy"}
    assert results.notes() == [
        "scenario 'again' is the same as 'baseline' (the same model): run once, as 'baseline'",
        "scenario 'demand.scale=1.5' is the same as 'busy' (the same model): run once, as 'busy'"]


def test_more_capacity_at_a_saturated_step_lowers_waits_beyond_the_noise(tmp_path):
    study = write_study(tmp_path, "targets:\n  service_level: {step: counter, within: 2, at_least: 0.8}\n"
                                  "scenarios:\n  third_clerk:\n    resources.clerk.capacity: 3\n")
    results = run_study(load_study(study), jobs=2)
    base = results.scenarios["baseline"]["kpis"]["wait:counter"]["value"]
    more = results.scenarios["third_clerk"]["kpis"]["wait:counter"]["value"]
    assert more["ci95"][1] < base["ci95"][0]  # intervals do not even overlap
    change = results.scenarios["third_clerk"]["kpis"]["wait:counter"]["change"]
    assert change["significant"] and change["mean"] < 0
    assert results.scenarios["third_clerk"]["targets"]["service_level"] is True
    assert results.scenarios["baseline"]["targets"]["service_level"] is False


def test_a_sweep_makes_a_scenario_per_combination(tmp_path):
    study = write_study(tmp_path, "sweep:\n  resources.clerk.capacity: [2, 3]\n  demand.scale: [0.5, 1.0]\n")
    names = [s.name for s in load_study(study).scenarios]
    assert names == ["baseline", "resources.clerk.capacity=2,demand.scale=0.5",
                     "resources.clerk.capacity=2,demand.scale=1.0",
                     "resources.clerk.capacity=3,demand.scale=0.5",
                     "resources.clerk.capacity=3,demand.scale=1.0"]


def test_whatif_writes_json_csv_and_fails_on_a_required_target(tmp_path, capsys):
    study = write_study(tmp_path, "targets:\n  abandonment_rate: {at_most: 0.0}\n"
                                  "  staff_cost: {at_most: 1000}\n"
                                  "scenarios:\n  third_clerk:\n    resources.clerk.capacity: 3\n")
    out, table = tmp_path / "study.json", tmp_path / "study.csv"
    code = main(["whatif", str(study), "-j", "1", "-n", "3", "--json", str(out), "--csv", str(table),
                 "--require", "staff_cost"])
    assert code == 0
    data = json.loads(out.read_text())
    assert set(data["scenarios"]) == {"baseline", "third_clerk"}
    entry = data["scenarios"]["third_clerk"]
    assert entry["overrides"] == {"resources.clerk.capacity": 3}
    assert entry["targets"] == {"abandonment_rate": True, "staff_cost": True}
    assert entry["results"]["system"]["served"]["mean"] > 0
    rows = table.read_text().splitlines()
    assert rows[0].startswith("scenario,overrides,served") and len(rows) == 3
    assert main(["whatif", str(study), "-j", "1", "-n", "2", "--require", "nonsense"]) == 2


def test_required_target_missed_exits_1(tmp_path, capsys):
    study = write_study(tmp_path, "targets:\n  time_in_system: {at_most: 0.1}\n")
    assert main(["whatif", str(study), "-j", "1", "-n", "2", "--require", "time_in_system"]) == 1
    assert "target time_in_system missed by scenario baseline" in capsys.readouterr().err


@pytest.mark.parametrize("path", SIMS, ids=lambda p: p.stem)
def test_example_studies_run(path):
    study = load_study(path)
    results = run_study(study, replications=2, jobs=2)
    assert set(results.scenarios) == {s.name for s in study.distinct}
    assert set(results.scenarios) | set(results.same_as) == {s.name for s in study.scenarios}
    assert all(entry["targets"].keys() == set(study.spec.targets.given())
               for entry in results.scenarios.values())


def test_whatif_refuses_to_write_over_the_model_before_running(tmp_path, capsys):
    study = write_study(tmp_path, "scenarios:\n  more:\n    resources.clerk.capacity: 3\n")
    model = tmp_path / "model.yaml"
    before = model.read_bytes()
    for option in ("--json", "--csv"):
        assert main(["whatif", str(study), "-j", "1", option, str(model)]) == 2
        assert "refusing to overwrite an input file" in capsys.readouterr().err
        assert model.read_bytes() == before
    same = tmp_path / "out.txt"
    assert main(["whatif", str(study), "-j", "1", "--json", str(same), "--csv", str(same)]) == 2
    assert not same.exists()


def test_scenario_names_must_read_apart_and_a_sweep_must_make_scenarios(tmp_path):
    study = write_study(tmp_path, 'scenarios:\n  Baseline: {demand.scale: 1.5}\n'
                                  '  "a\\u202eb": {demand.scale: 1}\n'
                                  'sweep:\n  demand.scale: []\n')
    with pytest.raises(ModelError) as caught:
        load_study(study)
    found = [(d.line, d.column, d.code) for d in caught.value.diagnostics]
    # line 6: `  Baseline:` beside the implicit baseline; line 7: a right-to-left override in a
    # name; line 9: a sweep with nothing to sweep
    assert found == [(6, 3, "confusable-id"), (7, 3, "bad-name"), (9, 3, "bad-sweep")]


def test_a_sweep_may_not_make_a_scenario_that_is_already_named(tmp_path):
    study = write_study(tmp_path, 'scenarios:\n  "demand.scale=1.2": {demand.scale: 2}\n'
                                  'sweep:\n  demand.scale: [1.2]\n')
    with pytest.raises(ModelError) as caught:
        load_study(study)
    (diagnostic,) = caught.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (6, 3, "duplicate-id")


def test_a_narrow_terminal_gets_the_study_a_kpi_per_row_with_every_figure_whole(tmp_path):
    from rich.console import Console

    from blueprint.analysis.study_table import study_tables

    study = write_study(tmp_path, "scenarios:\n  third_clerk:\n    resources.clerk.capacity: 3\n"
                                  "  fourth_clerk:\n    resources.clerk.capacity: 4\n"
                                  "  half_demand:\n    demand.scale: 0.5\n")
    results = run_study(load_study(study), replications=3)
    console = Console(width=80, record=True)
    for table in study_tables(results, width=80):
        console.print(table)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    for name, entry in results.scenarios.items():
        profit = entry.kpis["profit"].value
        assert f"{profit.mean:,.2f}" in text, name  # never broken across lines
    assert len(study_tables(results, width=400)) == 1  # a wide terminal: one row per scenario


def test_a_model_broken_in_its_own_file_is_reported_there_not_as_a_scenario(tmp_path):
    study = write_study(tmp_path, "scenarios:\n  more:\n    resources.clerk.capacity: 3\n")
    model = tmp_path / "model.yaml"
    model.write_text(model.read_text().replace("resource: clerk", "resource: clerks"))
    with pytest.raises(ModelError) as caught:
        load_study(study)
    (diagnostic,) = caught.value.diagnostics
    # line 9 of the model: `- {id: counter, zone: frontstage, resource: clerks, ...}`
    assert (Path(diagnostic.file).name, diagnostic.line, diagnostic.code) == (
        "model.yaml", 9, "unknown-resource")
