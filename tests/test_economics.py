"""Economics: the day's money from a simulation, and Shostack's cost of a slow minute."""

from __future__ import annotations

import json

import pytest

import blueprint
from blueprint.analysis.economics import day_economics, profit_curve, profitability
from blueprint.cli import main

SHOP = """\
blueprint: 1
name: Key cutting kiosk
horizon: {open: "09:00", close: "12:00"}
resources: {cutter: {capacity: 2, cost_per_hour: 30}}
demand: {arrivals_per_hour: 20, value: 15}
steps:
  - {id: ask, zone: customer, evidence: [Price list], duration: 1}
  - {id: cut, zone: frontstage, resource: cutter, duration: 4, material_cost: 1.5}
  - id: check
    zone: frontstage
    resource: cutter
    duration: 1
    fail_points: [{id: bad_cut, name: Key does not fit, p: 0.25, effect: goto, goto: cut,
                   recovery: Cut again free}]
"""


def test_profitability_prices_each_minute_of_staffed_time_and_materials():
    bp = blueprint.loads(SHOP)
    rows = {r.step: r for r in profitability(bp.model, bp.graph)}
    visits = 1 / 0.75  # a quarter of the keys are cut again
    assert rows["cut"].visits == pytest.approx(visits)
    assert rows["cut"].labour_per_visit == pytest.approx(30 / 60 * 4)
    assert rows["cut"].per_customer == pytest.approx((2 + 1.5) * visits)
    assert rows["ask"].per_customer == 0
    curve = profit_curve(bp.model, bp.graph, range(0, 3))
    slope = curve[1]["profit_per_customer"] - curve[0]["profit_per_customer"]
    assert slope == pytest.approx(-0.5 * 2 * visits)  # two staffed steps, both visited 4/3 times


def test_day_economics_adds_up_from_each_days_counts():
    bp = blueprint.loads(SHOP)
    results = bp.simulate(replications=4, seed=3)
    money = day_economics(results)
    days = results.runs
    staff = 2 * 3 * 30  # two cutters, three hours, 30 an hour, every day
    profits = [15 * d.served - staff - 1.5 * d.steps["cut"].entries for d in days]
    per_served = [(staff + 1.5 * d.steps["cut"].entries) / d.served for d in days]
    assert money.staff_cost.mean == pytest.approx(staff)
    assert money.revenue.mean == pytest.approx(15 * sum(d.served for d in days) / 4)
    assert money.material_cost.mean == pytest.approx(1.5 * sum(d.steps["cut"].entries for d in days) / 4)
    assert money.profit.mean == pytest.approx(sum(profits) / 4)
    assert money.cost_per_served.mean == pytest.approx(sum(per_served) / 4)
    idle = [d.resources["cutter"].idle_hours for d in days]
    assert money.idle_cost.mean == pytest.approx(30 * sum(idle) / 4)


def test_economics_command(tmp_path, capsys):
    model = tmp_path / "kiosk.yaml"
    model.write_text(SHOP)
    out = tmp_path / "money.json"
    assert main(["economics", str(model), "-n", "2", "-j", "1", "--json", str(out)]) == 0
    assert "one more minute costs" in capsys.readouterr().out
    assert {"model", "day", "profitability", "profit_curve"} == set(json.loads(out.read_text()))
