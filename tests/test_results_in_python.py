"""Result documents in a notebook: a short repr, a small HTML summary, tidy DataFrames, and a
bad key that says which keys there are.

Every example model's results, the bank's lunch study, a staffing plan and an
economics document are held to the same promises: ``repr`` under 2 KB,
``_repr_html_`` under 50 KB, and ``to_pandas()`` giving back every mean (and
interval) of the JSON, exactly, found by its JSON Pointer.
"""

from __future__ import annotations

import math
import sys
from html import escape
from pathlib import Path

import pandas as pd
import pytest

import blueprint
from blueprint.analysis.economics import economics
from blueprint.results import PandasUnavailable, ResultKeyError, SimulationResults
from blueprint.results.study import StudyResults

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))
BANK = ROOT / "models" / "bank_branch.yaml"
REPR_LIMIT, HTML_LIMIT = 2 * 1024, 50 * 1024


def json_statistics(data, path=()):
    """(JSON Pointer, statistic) for every {"mean", "ci95"} in a document's JSON, null ones aside."""
    if isinstance(data, dict):
        if set(data) >= {"mean", "ci95"} and isinstance(data["mean"], int | float):
            yield "".join(f"/{p}" for p in path), data
            return
        for key, value in data.items():
            yield from json_statistics(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from json_statistics(value, (*path, index))


def assert_round_trip(document, table: pd.DataFrame) -> None:
    """Every statistic of the JSON is one row of the table, with the very same mean and interval."""
    expected = dict(json_statistics(document.to_dict()))
    assert expected
    assert len(table) == len(expected) and table["path"].is_unique
    rows = table.set_index("path")
    for path, stat in expected.items():
        assert rows.at[path, "mean"] == stat["mean"], path
        assert [rows.at[path, "ci_low"], rows.at[path, "ci_high"]] == stat["ci95"], path


def size(text: str) -> int:
    return len(text.encode("utf-8"))


@pytest.fixture(scope="module")
def simulated() -> dict[str, SimulationResults]:
    """Every example model's results, two replications each (fast; the layout is the point)."""
    return {path.stem: blueprint.load(path).simulate(replications=2, seed=3) for path in MODELS}


@pytest.fixture(scope="module")
def bank() -> blueprint.Blueprint:
    return blueprint.load(BANK)


@pytest.fixture(scope="module")
def bank_results(bank) -> SimulationResults:
    return bank.simulate(replications=3, seed=1)


@pytest.fixture(scope="module")
def study():
    return blueprint.study(ROOT / "sims" / "bank_lunch_staffing.yaml", replications=3)


@pytest.fixture(scope="module")
def plan(bank):
    return blueprint.staff(bank, "teller", "80% within 5 min", replications=3)


@pytest.fixture(scope="module")
def money(bank, bank_results):
    return economics(bank.model, bank.graph, bank_results)


# --- simulation results of every example ----------------------------------------------------------

@pytest.mark.parametrize("model", [p.stem for p in MODELS])
def test_results_repr_is_short_and_says_what_was_simulated(simulated, model):
    results = simulated[model]
    text = repr(results)
    assert size(text) < REPR_LIMIT
    assert text.startswith("<SimulationResults of ") and results.model[:40] in text
    assert "2 replications, seed 3" in text and "served" in text and "profit" in text
    assert str(results) == text


@pytest.mark.parametrize("model", [p.stem for p in MODELS])
def test_results_html_is_a_small_summary_naming_every_step_and_resource(simulated, model):
    results = simulated[model]
    html = results._repr_html_()
    assert size(html) < HTML_LIMIT
    assert html.count("<table>") == 3 and escape(results.model) in html
    for ident in [*results.steps, *results.resources]:
        assert f"<th>{escape(ident)}</th>" in html


@pytest.mark.parametrize("model", [p.stem for p in MODELS])
def test_results_table_gives_back_every_mean_and_interval_of_the_json(simulated, model):
    table = simulated[model].to_pandas()
    assert list(table.columns) == ["section", "id", "customer_class", "figure", "hour", "mean",
                                   "ci_low", "ci_high", "path"]
    assert_round_trip(simulated[model], table)


@pytest.mark.parametrize("model", [p.stem for p in MODELS])
def test_each_statistic_is_the_mean_of_its_replications_in_the_replications_table(simulated, model):
    results = simulated[model]
    place = ["section", "id", "customer_class", "figure", "hour"]
    runs = results.to_pandas("replications")
    assert list(runs.columns) == ["replication", *place, "value"]
    assert set(runs["replication"]) == {0, 1}
    over_runs = runs.groupby(place, dropna=False)["value"].mean()
    stats = results.to_pandas().set_index(place)["mean"]
    joined = stats.to_frame().join(over_runs, how="left")
    assert joined["value"].notna().all()
    assert all(math.isclose(m, v, rel_tol=1e-12, abs_tol=1e-12)
               for m, v in zip(joined["mean"], joined["value"], strict=True))


def test_the_statistics_table_pivots_into_steps_by_figures(bank_results):
    stats = bank_results.to_pandas()
    overall = stats[(stats.section == "steps") & stats.customer_class.isna() & stats.hour.isna()]
    steps = overall.pivot(index="id", columns="figure", values="mean")
    assert set(steps.index) == set(bank_results.steps)
    assert steps.at["deposit", "wait.p90"] == bank_results.steps["deposit"].wait.p90.mean
    assert steps.at["deposit", "fail_points.wrong_slip"] == \
        bank_results.steps["deposit"].fail_points["wrong_slip"].mean
    # a pure delay has no wait: the JSON's null is a missing row, NaN in the pivot
    assert bank_results.steps["enter"].wait.mean is None and math.isnan(steps.at["enter", "wait.mean"])


def test_by_hour_series_and_customer_classes_have_their_own_columns(bank_results):
    stats = bank_results.to_pandas().set_index("path")
    row = stats.loc["/steps/deposit/wait_by_hour/3"]
    assert (row["section"], row["id"], row["figure"], row["hour"]) == ("steps", "deposit",
                                                                      "wait_by_hour", 3)
    assert row["mean"] == bank_results.steps["deposit"].wait_by_hour[3].mean
    row = stats.loc["/steps/deposit/classes/business/wait/mean"]
    assert (row["customer_class"], row["figure"]) == ("business", "wait.mean")
    row = stats.loc["/system/classes/regular/served"]
    assert (row["section"], row["customer_class"], row["figure"]) == ("system", "regular", "served")
    assert pd.isna(row["id"]) and pd.isna(row["hour"])


def test_results_read_back_from_json_give_the_same_table_but_no_replications(bank_results):
    read = SimulationResults.model_validate_json(bank_results.to_json())
    pd.testing.assert_frame_equal(read.to_pandas(), bank_results.to_pandas())
    assert repr(read) == repr(bank_results) and read._repr_html_() == bank_results._repr_html_()
    with pytest.raises(ValueError, match="no replications"):
        read.to_pandas("replications")


# --- a study, a staffing plan, the economics --------------------------------------------------------

def test_study_repr_and_html_are_small_and_name_every_scenario(study):
    text, html = repr(study), study._repr_html_()
    assert size(text) < REPR_LIMIT and size(html) < HTML_LIMIT
    # eight scenarios in the file, one of them the same model as busy_day: seven run
    assert text.startswith("<StudyResults of 'Lunch-hour staffing at the bank branch': 7 scenarios x "
                           "3 replications")
    for name in study.scenarios:
        assert f"<th>{escape(name)}</th>" in html
    assert size(repr(study.scenarios["busy_day"])) < REPR_LIMIT


def test_study_table_gives_back_every_mean_of_every_scenario_and_kpi(study):
    table = study.to_pandas()
    assert list(table.columns)[:2] == ["scenario", "section"]
    assert_round_trip(study, table)
    assert set(table["scenario"]) == set(study.scenarios)


def test_a_study_read_back_from_json_gives_the_same_tables_but_no_replications(study):
    read = StudyResults.model_validate_json(study.to_json())
    for table in ("statistics", "kpis", "targets"):
        pd.testing.assert_frame_equal(read.to_pandas(table), study.to_pandas(table))
    with pytest.raises(ValueError, match="no replications"):
        read.to_pandas("replications")


def test_study_kpi_table_has_a_row_per_scenario_and_kpi_with_its_change(study):
    kpis = study.to_pandas("kpis").set_index(["scenario", "kpi"])
    assert len(kpis) == sum(len(s.kpis) for s in study.scenarios.values())
    busy = study.scenarios["busy_day"].kpis["profit"]
    row = kpis.loc[("busy_day", "profit")]
    assert (row["mean"], row["ci_low"], row["ci_high"]) == (busy.value.mean, *busy.value.ci95)
    assert (row["change"], row["change_low"], row["change_high"]) == (busy.change.mean, *busy.change.ci95)
    assert bool(row["significant"]) == busy.change.significant
    baseline = kpis.loc[("baseline", "profit")]
    assert pd.isna(baseline["change"]) and pd.isna(baseline["significant"])


def test_study_targets_and_replications_tables(study):
    targets = study.to_pandas("targets")
    assert {(r.scenario, r.target): r.met for r in targets.itertuples()} == {
        (name, target): met for name, s in study.scenarios.items() for target, met in s.targets.items()}
    runs = study.to_pandas("replications")
    assert set(runs["scenario"]) == set(study.scenarios) and set(runs["replication"]) == {0, 1, 2}


def test_staffing_plan_repr_html_and_hour_table(plan):
    assert size(repr(plan)) < REPR_LIMIT and size(plan._repr_html_()) < HTML_LIMIT
    assert repr(plan).startswith("<StaffingPlan for 'teller' to '80% within 5 min'")
    hours = plan.to_pandas()
    assert len(hours) == len(plan.achieved)
    for row, hour in zip(hours.itertuples(), plan.achieved, strict=True):
        assert (row[1], row[2], row.servers, row.verdict) == (hour.start, hour.end, hour.servers,
                                                              hour.verdict)
        assert row.service_level == hour.service_level
        assert [row.service_level_low, row.service_level_high] == hour.service_level_ci95
    schedule = plan.to_pandas("schedule")
    assert schedule.to_dict("records") == [w.to_dict() for w in plan.schedule]


def test_economics_repr_html_and_tables(money):
    assert size(repr(money)) < REPR_LIMIT and size(money._repr_html_()) < HTML_LIMIT
    assert repr(money).startswith("<Economics of 'Retail bank branch")
    assert_round_trip(money, money.to_pandas())
    steps = money.to_pandas("profitability")
    assert steps.to_dict("records") == [c.to_dict() for c in money.profitability]
    curve = money.to_pandas("profit_curve")
    assert curve.to_dict("records") == [p.to_dict() for p in money.profit_curve]


# --- bad keys, bad tables, no pandas -----------------------------------------------------------------

def test_an_unknown_step_names_the_path_and_lists_the_steps(bank_results):
    with pytest.raises(KeyError) as caught:
        bank_results.mean("steps", "nosuch", "wait", "mean")
    message = str(caught.value)
    assert isinstance(caught.value, ResultKeyError)
    assert message.startswith("results['steps'] has no key 'nosuch'; valid keys: 'enter', 'triage'")
    assert all(repr(sid) in message for sid in bank_results.steps)
    assert caught.value.path == ("steps",) and caught.value.valid == list(bank_results.steps)


def test_a_misspelt_key_gets_a_did_you_mean(bank_results, study):
    with pytest.raises(KeyError, match=r"has no key 'depost' \(did you mean 'deposit'\?\)"):
        bank_results.mean("steps", "depost", "wait", "mean")
    with pytest.raises(KeyError, match=r"results\['steps'\]\['deposit'\] has no key 'wiat' "
                                       r"\(did you mean 'wait'\?\)"):
        bank_results.mean("steps", "deposit", "wiat", "mean")
    with pytest.raises(KeyError, match=r"study\['scenarios'\] has no key 'busyday' "
                                       r"\(did you mean 'busy_day'\?\); valid keys: 'baseline'"):
        study.mean("scenarios", "busyday", "kpis", "profit", "value")
    with pytest.raises(KeyError, match=r"this SimulationResults has no key 'sytem' \(did you mean "
                                       r"'system'\?\)"):
        bank_results["sytem"]


def test_a_dict_of_a_document_lists_its_keys_when_one_is_not_there(bank_results, study):
    with pytest.raises(KeyError, match=r"^steps has no key 'depost' \(did you mean 'deposit'\?\); "
                                       r"valid keys: 'enter', 'triage'"):
        bank_results.steps["depost"]
    with pytest.raises(KeyError, match=r"^scenarios has no key 'busyday' \(did you mean 'busy_day'"):
        study.scenarios["busyday"]
    with pytest.raises(KeyError, match=r"^resources has no key 'tellr' \(did you mean 'teller'"):
        bank_results.runs[0].resources["tellr"]
    # still plain dicts to read, compare and write
    assert bank_results.steps == dict(bank_results.steps) and "deposit" in bank_results.steps
    assert bank_results.steps.get("depost") is None


def test_a_model_without_classes_has_an_empty_dict_of_classes_that_says_so():
    results = blueprint.loads("blueprint: 1\nname: Kiosk\nhorizon: {open: '09:00', close: '10:00'}\n"
                              "demand: {arrivals_per_hour: 10}\n"
                              "steps: [{id: pay, zone: customer, duration: 1}]\n").simulate(replications=2)
    assert results.steps["pay"].classes == {}
    with pytest.raises(KeyError, match=r"^classes has no key 'gold'; it holds no keys"):
        results.steps["pay"].classes["gold"]


def test_a_path_that_stops_short_of_a_statistic_says_how_to_go_on(bank_results):
    with pytest.raises(KeyError, match=r"\['wait'\] is not a statistic .*: go on with one of 'mean', "
                                       r"'p50', 'p90', 'p95'"):
        bank_results.mean("steps", "deposit", "wait")
    with pytest.raises(KeyError, match=r"\['wait_by_hour'\] has no key '99'; valid keys: '0', '1'"):
        bank_results.mean("steps", "deposit", "wait_by_hour", "99")


def test_paths_reach_list_items_and_null_statistics(bank_results, study, money):
    assert bank_results.mean("steps", "deposit", "wait_by_hour", 3) == \
        bank_results.mean("steps", "deposit", "wait_by_hour", "3") == \
        bank_results.steps["deposit"].wait_by_hour[3].mean
    assert bank_results.mean("steps", "enter", "wait", "mean") is None
    assert study.mean("scenarios", "busy_day", "kpis", "profit", "change") == \
        study.scenarios["busy_day"].kpis["profit"].change.mean
    assert money.mean("day", "profit") == money.day.profit.mean


def test_an_unknown_table_names_the_tables(bank_results, study):
    with pytest.raises(ValueError, match=r"has no table 'replication' \(did you mean 'replications'\?\)"):
        bank_results.to_pandas("replication")
    with pytest.raises(ValueError, match="'statistics', 'kpis', 'targets', 'replications'"):
        study.to_pandas("nonsense")


def test_without_pandas_to_pandas_says_how_to_install_it(bank_results, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # what `import pandas` finds when it is absent
    with pytest.raises(ImportError) as caught:
        bank_results.to_pandas()
    assert isinstance(caught.value, PandasUnavailable)
    assert "pip install 'blueprint[pandas]'" in str(caught.value)
    assert size(repr(bank_results)) < REPR_LIMIT and "<table>" in bank_results._repr_html_()


# --- however large or hostile the model -------------------------------------------------------------

def _long_line(steps: int, name: str) -> str:
    step_ids = [f"counter_number_{i:03d}_" + "x" * 60 for i in range(steps)]
    lines = [f"blueprint: 1\nname: {name!r}\nhorizon: {{open: '09:00', close: '10:00'}}",
             "resources: {clerk: {capacity: 50, cost_per_hour: 1e150}}",
             "demand: {arrivals_per_hour: 20, value: 1e140}", "steps:"]
    lines += [f"  - {{id: {sid}, zone: frontstage, resource: clerk, duration: 0.1}}" for sid in step_ids]
    return "\n".join(lines) + "\n"


def test_a_long_model_with_huge_figures_still_gets_a_short_repr_and_a_small_summary():
    name = "<script>alert(1)</script> " + "A very long service name " * 80
    results = blueprint.loads(_long_line(120, name)).simulate(replications=2, seed=1)
    text, html = repr(results), results._repr_html_()
    assert size(text) < REPR_LIMIT and size(html) < HTML_LIMIT
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "… and 80 more steps" in html
    assert len(results.to_pandas().query("section == 'steps' and figure == 'entries'")) == 120


def test_the_summary_docs_results_md_shows_is_the_bank_s_own():
    text = (ROOT / "docs" / "results.md").read_text(encoding="utf-8")
    shown = text.split("```text\n<SimulationResults", 1)[1].split("```", 1)[0]
    results = blueprint.load(BANK).simulate(replications=10, seed=1)
    assert repr(results) == "<SimulationResults" + shown.rstrip("\n")
