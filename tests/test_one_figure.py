"""One definition per figure: the economics command, the study table and the report agree.

The expected profit and cost per served customer are worked out here from each
simulated day's raw counts (customers served, visits to the step that uses
materials), by the definitions in docs/results.md, and must appear to the cent
in all three outputs.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import blueprint
from blueprint.cli import main

SHOP = """\
blueprint: 1
name: Key cutting kiosk
horizon: {open: "09:00", close: "13:00"}
resources: {cutter: {capacity: 2, cost_per_hour: 30}}
demand: {arrivals_per_hour: 22, value: 15, patience: {dist: exponential, mean: 10}}
steps:
  - {id: ask, zone: customer, evidence: [Price list], duration: 1}
  - {id: cut, zone: frontstage, resource: cutter, duration: {dist: exponential, mean: 4},
     material_cost: 1.5}
  - id: check
    zone: frontstage
    resource: cutter
    duration: 1
    fail_points: [{id: bad_cut, name: Key does not fit, p: 0.25, effect: goto, goto: cut,
                   recovery: Cut again free}]
"""
REPLICATIONS, SEED = 6, 11


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory) -> tuple[Path, Path, float, float]:
    folder = tmp_path_factory.mktemp("kiosk")
    model = folder / "kiosk.yaml"
    model.write_text(SHOP, encoding="utf-8")
    study = folder / "study.yaml"
    study.write_text(f"study: Kiosk\nmodel: kiosk.yaml\nreplications: {REPLICATIONS}\nseed: {SEED}\n"
                     "scenarios:\n  third_cutter:\n    resources.cutter.capacity: 3\n",
                     encoding="utf-8")
    days = blueprint.load(model).simulate(replications=REPLICATIONS, seed=SEED).runs
    staff = 2 * 4 * 30  # two cutters for four hours at 30 an hour
    profit = [15 * d.served - staff - 1.5 * d.steps["cut"].entries for d in days]
    per_served = [(staff + 1.5 * d.steps["cut"].entries) / d.served for d in days]
    return model, study, sum(profit) / len(days), sum(per_served) / len(days)


def test_economics_study_table_and_report_print_the_same_profit_and_cost_per_served(kiosk, capsys,
                                                                                     tmp_path):
    model, study, profit, per_served = kiosk
    expected = (f"{profit:,.2f}", f"{per_served:,.2f}")
    common = ["-n", str(REPLICATIONS), "--seed", str(SEED), "-j", "1"]
    assert main(["economics", str(model), *common]) == 0
    economics = capsys.readouterr().out
    assert main(["whatif", str(study), "-j", "1"]) == 0
    table = capsys.readouterr().out
    report = tmp_path / "report.html"
    assert main(["report", str(model), "--study", str(study), "-o", str(report), *common]) == 0
    html = report.read_text(encoding="utf-8")
    baseline_row = re.split(r"<tr[ >]", html[html.index('id="table-scenarios"'):])[2]
    economics_table = html[html.index('id="table-economics"'):html.index("</table>",
                                                                         html.index('id="table-economics"'))]
    for figure in expected:
        assert figure in economics, figure
        assert figure in table.split("\n", 4)[4], figure  # below the title and header
        assert figure in economics_table, figure
        assert figure in baseline_row, figure


def test_json_documents_carry_the_same_figures(kiosk, tmp_path):
    model, study, profit, per_served = kiosk
    common = ["-n", str(REPLICATIONS), "--seed", str(SEED), "-j", "1"]
    assert main(["economics", str(model), *common, "--json", str(tmp_path / "e.json")]) == 0
    assert main(["simulate", str(model), *common, "--json", str(tmp_path / "r.json")]) == 0
    assert main(["whatif", str(study), "-j", "1", "--json", str(tmp_path / "s.json")]) == 0
    day = json.loads((tmp_path / "e.json").read_text())["day"]
    system = json.loads((tmp_path / "r.json").read_text())["system"]
    kpis = json.loads((tmp_path / "s.json").read_text())["scenarios"]["baseline"]["kpis"]
    for figures in (day["profit"], system["profit"], kpis["profit"]["value"]):
        assert figures["mean"] == pytest.approx(profit, abs=1e-9)
    for figures in (day["cost_per_served"], system["cost_per_served"], kpis["cost_per_served"]["value"]):
        assert figures["mean"] == pytest.approx(per_served, abs=1e-9)
