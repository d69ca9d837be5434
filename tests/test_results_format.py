"""The documents commands write: typed, schema-valid, and the schemas committed in sync."""

from __future__ import annotations

import json
import math
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest

from blueprint.cli import main
from blueprint.schemas import FORMATS, schema_text

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "models" / "bank_branch.yaml"

HOTLINE = """\
blueprint: 1
name: Hotline
horizon: {open: "09:00", close: "11:00"}
resources: {agent: {capacity: 4, cost_per_hour: 30}}
demand:
  arrivals_per_hour: 60
  classes: {gold: {share: 0.3, priority: 0}, basic: {share: 0.7}}
steps:
  - {id: answer, zone: frontstage, resource: agent, duration: {dist: exponential, mean: 3},
     tolerance: 1}
"""


def committed(name: str) -> dict:
    return json.loads((ROOT / "models" / FORMATS[name].file).read_text(encoding="utf-8"))


def assert_valid(document: dict, name: str) -> None:
    validator = jsonschema.Draft7Validator(committed(name))
    problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(document)]
    assert problems == [], problems[:5]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_committed_schema_is_in_sync_with_its_class(name):
    text = (ROOT / "models" / FORMATS[name].file).read_text(encoding="utf-8")
    assert text == schema_text(name), f"run: blueprint schema {name} -o models/{FORMATS[name].file}"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_schema_is_a_valid_draft_07_schema(name):
    jsonschema.Draft7Validator.check_schema(committed(name))


def test_schema_command_writes_each_format(capsys):
    for name in FORMATS:
        assert main(["schema", name]) == 0
        assert json.loads(capsys.readouterr().out) == committed(name)
    assert main(["schema", "nonsense"]) == 2


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """Every JSON document the commands write, from one run each."""
    folder = tmp_path_factory.mktemp("written")
    model = folder / "hotline.yaml"
    model.write_text(HOTLINE, encoding="utf-8")
    study = folder / "study.yaml"
    study.write_text("study: More agents\nmodel: hotline.yaml\nreplications: 3\n"
                     "targets: {service_level: {step: answer, within: 1, at_least: 0.8}}\n"
                     "scenarios:\n  five:\n    resources.agent.capacity: 5\n", encoding="utf-8")
    out = {name: folder / f"{name}.json" for name in ("results", "study-results", "staffing",
                                                      "economics")}
    assert main(["simulate", str(model), "-n", "3", "-j", "1", "--json", str(out["results"])]) == 0
    assert main(["whatif", str(study), "-j", "1", "--json", str(out["study-results"])]) == 0
    assert main(["staff", str(model), "-r", "agent", "-t", "80% within 1 min", "-n", "3", "-j", "1",
                 "--json", str(out["staffing"])]) in (0, 1)
    assert main(["economics", str(model), "-n", "3", "-j", "1", "--json", str(out["economics"])]) == 0
    return out


@pytest.mark.parametrize("name", ["results", "study-results", "staffing", "economics"])
def test_every_json_a_command_writes_validates_against_its_committed_schema(written, name):
    assert_valid(json.loads(written[name].read_text(encoding="utf-8")), name)


def test_info_validate_and_lint_json_validate_against_their_schemas(capsys, tmp_path):
    assert main(["info", str(BANK), "--output-format", "json"]) == 0
    assert_valid(json.loads(capsys.readouterr().out), "info")
    broken = tmp_path / "broken.yaml"
    broken.write_text(BANK.read_text(encoding="utf-8").replace("resource: teller", "resource: tellr"),
                      encoding="utf-8")
    assert main(["validate", "--output-format", "json", str(BANK), str(broken)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert_valid(report, "check")
    assert report["valid"] == [str(BANK)] and report["diagnostics"][0]["code"] == "unknown-resource"
    assert main(["lint", "--output-format", "json", str(BANK)]) == 0
    assert_valid(json.loads(capsys.readouterr().out), "check")


def test_results_hold_the_documented_fields(written):
    data = json.loads(written["results"].read_text(encoding="utf-8"))
    assert {"model", "replications", "seed", "system", "steps", "resources"} <= set(data)
    assert {"arrivals", "served", "balked", "reneged", "abandoned", "abandonment_rate",
            "time_in_system", "revenue", "lost_revenue", "staff_cost"} <= set(data["system"])
    step = data["steps"]["answer"]
    assert {"entries", "wait", "service", "within_tolerance", "queue_length", "fail_points"} <= set(step)
    assert set(step["wait"]) == {"mean", "p50", "p90", "p95"}
    assert {"utilization", "idle_hours", "utilization_by_hour"} <= set(data["resources"]["agent"])
    served = data["system"]["served"]
    assert set(served) == {"mean", "ci95"} and served["ci95"][0] <= served["mean"] <= served["ci95"][1]


def test_results_give_waits_per_customer_class_at_each_step(written):
    data = json.loads(written["results"].read_text(encoding="utf-8"))
    classes = data["steps"]["answer"]["classes"]
    assert set(classes) == {"gold", "basic"}
    assert set(classes["gold"]["wait"]) == {"mean", "p50", "p90", "p95"}
    # gold goes first: it waits less than basic
    assert classes["gold"]["wait"]["mean"]["mean"] < classes["basic"]["wait"]["mean"]["mean"]
    entries = data["steps"]["answer"]["entries"]["mean"]
    assert classes["gold"]["entries"]["mean"] + classes["basic"]["entries"]["mean"] == \
        pytest.approx(entries)


def test_version_flag_prints_the_installed_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"blueprint {metadata.version('blueprint')}\n"


def test_results_read_like_their_json_and_like_typed_objects():
    import blueprint

    results = blueprint.loads(HOTLINE).simulate(replications=2, seed=4)
    assert results["system"]["served"] == results.system.served
    first = results.runs[0]
    assert first["resources"]["agent"]["idle_hours"] == first.resources["agent"].idle_hours
    assert results.mean("steps", "answer", "wait", "mean") == results.steps["answer"].wait.mean.mean
    assert json.loads(results.to_json()) == results.to_dict()


@pytest.mark.parametrize("path", sorted((ROOT / "models").glob("*.yaml")), ids=lambda p: p.stem)
def test_results_json_is_strict_json_for_every_example(path, tmp_path):
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    out = tmp_path / "r.json"
    assert main(["simulate", str(path), "-n", "2", "-j", "1", "--json", str(out)]) == 0
    json.loads(out.read_text(encoding="utf-8"), parse_constant=refuse)


def test_interval_factors_are_students_t_to_the_last_bit():
    """The written-out 97.5% quantiles are scipy's own, so results are those scipy would give."""
    from scipy import stats

    from blueprint.sim.student_t import TABULATED, t_quantile

    for degrees in (*range(1, TABULATED + 1), TABULATED + 1, 5_000, 99_999):
        assert t_quantile(degrees) == float(stats.t.ppf(0.975, degrees)), degrees


def test_an_interval_is_the_mean_plus_minus_t_times_the_standard_error():
    from blueprint.sim.results import statistic

    # four days: mean 5, sample sd sqrt(((−3)² + (−1)² + 1² + 3²) / 3) = sqrt(20/3); t(3) = 3.182446305
    half = 3.1824463052837078 * math.sqrt(20 / 3) / 2
    result = statistic([2.0, 4.0, 6.0, 8.0])
    assert result is not None
    assert result.mean == 5.0
    assert result.ci95 == pytest.approx([5.0 - half, 5.0 + half], rel=1e-12)
