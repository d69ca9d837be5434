"""Complaints and lifetime value: the exact expectations of issue 13, by hand.

Expected values are written out here (Gupta & Lehmann's CLV = m·v·r/(1 + i − r),
shares times arrivals); random figures are held to the run's own 95% interval,
widened by half, with fixed seeds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import blueprint

BLUEPRINT = str(Path(sys.executable).with_name("blueprint"))


def _model(*, fail: str = "", loyalty: str = "", complaints: str = "", capacity: int = 50) -> str:
    return f"""
blueprint: 1
name: Counter
time_unit: min
horizon: {{open: "09:00", close: "17:00"}}
resources: {{clerk: {{capacity: {capacity}}}}}
demand:
  arrivals_per_hour: 30
  value: 20
{loyalty}
{complaints}
steps:
  - id: serve
    zone: frontstage
    resource: clerk
    duration: 2
{fail}
"""


LOYALTY = "  loyalty: {visits_per_year: 12, margin: 15, discount_rate: 0.1}"


def _within(stat, truth: float) -> None:
    low, high = stat.ci95
    slack = (high - low) / 4  # the interval widened by half
    assert low - slack <= truth <= high + slack, (stat, truth)


def test_a_fail_point_with_a_complaint_share_gives_complaints_of_p_times_c_arrivals():
    fail = ("    fail_points:\n      - {id: wrong, name: Wrong change given, p: 0.2, effect: delay,"
            " delay: 1, complaint: 0.5}")
    results = blueprint.loads(_model(fail=fail, complaints="complaints: {after_loss: 0.2}"),
                              "c.yaml").simulate(replications=40, seed=3)
    # nobody queues (50 clerks for 30 an hour), nobody is lost: complaints = 0.2 x 0.5 x arrivals
    assert results.system.abandoned.mean == 0
    per_day = [r.outcomes.complaints / r.arrivals for r in results.runs]
    share = blueprint.results.Statistic(mean=sum(per_day) / len(per_day),
                                        ci95=_t_interval(per_day))
    _within(share, 0.2 * 0.5)
    _within(results.system.complaints, 0.1 * results.system.arrivals.mean)


def _t_interval(values: list[float]) -> list[float]:
    from statistics import fmean, stdev

    from scipy import stats

    n = len(values)
    half = stats.t.ppf(0.975, n - 1) * stdev(values) / n ** 0.5
    return [fmean(values) - half, fmean(values) + half]


def test_every_customer_served_without_failure_loses_nothing_and_is_worth_the_formula():
    results = blueprint.loads(_model(loyalty=LOYALTY), "l.yaml").simulate(replications=3)
    m, v, r, i = 15, 12, 0.85, 0.10  # the default retention of a served customer: 0.85
    assert results.loyalty.clv.mean == pytest.approx(m * v * r / (1 + i - r), abs=0.005)  # 612.00
    assert round(results.loyalty.clv.mean, 2) == 612.00
    assert results.loyalty.clv_lost.mean == 0 and results.loyalty.clv_lost.ci95 == [0, 0]
    assert set(results.loyalty.by_outcome) == {"served"}


def test_a_fail_point_that_abandons_everyone_loses_each_arrival_the_served_minus_the_lost_value():
    fail = "    fail_points:\n      - {id: closed, name: Counter closed, p: 1, effect: abandon}"
    results = blueprint.loads(_model(fail=fail, loyalty=LOYALTY), "a.yaml").simulate(replications=3)
    m, v, i = 15, 12, 0.10

    def clv(r: float) -> float:
        return m * v * r / (1 + i - r)

    each = clv(0.85) - clv(0.10)  # 612 - 180/1.0 x 0.10 = 612 - 18 = 594
    assert each == pytest.approx(594.0)
    for day in results.runs:  # no complaints block: nobody complains, nobody is won back
        assert day.outcomes.clv_lost == pytest.approx(day.arrivals * each, rel=1e-12)
        assert day.outcomes.customers == {"lost": day.arrivals}
    assert results.loyalty.by_cause["closed"].clv_lost.mean == pytest.approx(
        results.system.arrivals.mean * each)


def test_a_redo_that_fails_again_is_the_double_deviation():
    fail = "    fail_points:\n      - {id: again, name: Done wrong, p: 0.5, effect: redo}"
    results = blueprint.loads(_model(fail=fail, loyalty=LOYALTY), "r.yaml").simulate(replications=20)
    # hit once: p (1 - p) = 0.25 of customers; twice or more: p^2 = 0.25
    counts = results.loyalty.by_outcome
    arrivals = results.system.arrivals.mean
    _within(counts["failed"].customers, 0.25 * arrivals)
    _within(counts["failed_twice"].customers, 0.25 * arrivals)
    m, v, i = 15, 12, 0.10
    twice = m * v * 0.85 / (1 + i - 0.85) - m * v * 0.20 / (1 + i - 0.20)
    for day in results.runs:
        assert day.outcomes.clv_lost_by_outcome["failed_twice"] == pytest.approx(
            day.outcomes.customers["failed_twice"] * twice)


def test_recovered_customers_are_no_more_loyal_than_the_served_unless_asked():
    paradox = LOYALTY.replace("}", ", recovery_paradox: true}")
    fail = ("    fail_points:\n      - {id: wrong, name: Wrong, p: 1, effect: delay, delay: 1, "
            "complaint: 1}")
    complaints = "complaints: {resolved: 1, quickly: 1}"
    capped = blueprint.loads(_model(fail=fail, loyalty=LOYALTY, complaints=complaints), "p.yaml")
    bonus = blueprint.loads(_model(fail=fail, loyalty=paradox, complaints=complaints), "q.yaml")
    a, b = capped.simulate(replications=2), bonus.simulate(replications=2)
    assert a.loyalty.clv_lost.mean == 0  # resolved quickly (0.95) capped at served (0.85)
    m, v, i = 15, 12, 0.10
    gain = m * v * 0.95 / (1 + i - 0.95) - m * v * 0.85 / (1 + i - 0.85)  # 1140 - 612 = 528
    for day in b.runs:
        assert day.outcomes.clv_lost == pytest.approx(-gain * day.arrivals)


def _by_jobs(model: Path, tmp_path: Path) -> list[bytes]:
    """The JSON of `blueprint simulate` run with --jobs 1 and with --jobs 2."""
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.json"
        subprocess.run([BLUEPRINT, "simulate", str(model), "-n", "6", "--jobs", jobs, "--json", str(out)],
                       check=True, capture_output=True)
        outs.append(out.read_bytes())
    return outs


def test_jobs_do_not_change_a_byte(tmp_path):
    fail = ("    fail_points:\n      - {id: wrong, name: Wrong, p: 0.3, effect: redo, complaint: 0.4}")
    model = tmp_path / "m.yaml"
    model.write_text(_model(fail=fail, loyalty=LOYALTY, capacity=2,
                            complaints="complaints: {after_loss: 0.3}"), encoding="utf-8")
    outs = _by_jobs(model, tmp_path)
    assert outs[0] == outs[1]
    data = json.loads(outs[0])
    assert {"complaints", "complaint_rate", "dissatisfied", "dissatisfaction_rate"} <= set(data["system"])
    assert {"clv", "clv_lost", "by_outcome", "by_cause"} <= set(data["loyalty"])


def test_a_model_without_complaints_or_loyalty_has_neither():
    results = blueprint.loads(_model(), "n.yaml").simulate(replications=2)
    assert results.loyalty is None and results.system.complaints is None
    assert all(r.outcomes is None for r in results.runs)


def test_the_study_compares_a_faster_desk_with_a_second_cook_on_common_random_numbers():
    """Each customer's complaint draws are made on arrival, so the faster desk has exactly the
    baseline's complaints, day by day (only how they end can change); the second cook makes
    fewer wrong dishes, so fewer complaints and less lifetime value lost."""
    from blueprint.analysis.study import load_study, run_study

    root = Path(__file__).resolve().parent.parent
    study = run_study(load_study(root / "sims" / "hotpot_complaints.yaml"), replications=10)
    base = study.scenarios["baseline"].results.runs
    desk = study.scenarios["faster_complaint_desk"].results.runs
    assert [d.outcomes.complaints for d in desk] == [b.outcomes.complaints for b in base]
    assert [d.outcomes.complaint_times for d in desk] == [b.outcomes.complaint_times for b in base]
    assert study.scenarios["faster_complaint_desk"].kpis["complaints"].change.mean == 0
    cook = study.scenarios["second_cook_at_prep"].kpis
    assert cook["complaints"].change.mean < 0
    assert cook["clv_lost"].change.mean < 0 and cook["clv_lost"].change.significant
    assert set(study.scenarios["baseline"].targets) == {"complaint_rate", "clv_lost"}


def test_without_a_complaints_block_the_fail_points_shares_still_complain_but_losses_do_not():
    fail = ("    fail_points:\n      - {id: wrong, name: Wrong, p: 0.2, effect: delay, delay: 1, "
            "complaint: 0.5}")
    results = blueprint.loads(_model(fail=fail), "q.yaml").simulate(replications=30, seed=4)
    _within(results.system.complaints, 0.2 * 0.5 * results.system.arrivals.mean)
    lost = ("    fail_points:\n      - {id: closed, name: Closed, p: 1, effect: abandon}")
    none = blueprint.loads(_model(fail=lost, loyalty=LOYALTY), "n.yaml").simulate(replications=2)
    assert all(r.outcomes.complaints == 0 for r in none.runs)  # no after_loss without the block


def test_the_report_follows_a_failure_to_the_money():
    import re

    from blueprint.report import build_report

    root = Path(__file__).resolve().parent.parent
    bp = blueprint.load(root / "models" / "hotpot_restaurant.yaml")
    results = bp.simulate(replications=3, seed=2)
    page = build_report(bp.model, bp.graph, results)
    assert '<section id="loyalty">' in page and 'id="table-causes"' in page
    data = json.loads(re.search(r'id="chart-outcomes".*?class="chart-data">(.*?)</script>', page,
                                re.S).group(1))
    # every arrival has exactly one outcome: the bar adds up to the day's arrivals
    assert sum(data["customers"]) == pytest.approx(results.system.arrivals.mean)
    causes = json.loads(re.search(r'id="chart-clv_by_cause".*?class="chart-data">(.*?)</script>', page,
                                  re.S).group(1))["causes"]
    fail_points = {f.id for s in bp.model.steps for f in s.fail_points}
    assert fail_points <= set(causes) | {"bill_error"}  # a rare fail point may not fire in 3 days
    assert "Wrong or missing dish on the trolley" in page


DESK = """
blueprint: 1
name: Complaint desk
time_unit: min
horizon: {{open: "08:00", close: "18:00"}}
resources: {{handler: {{capacity: 20}}}}
demand: {{arrivals_per_hour: 1}}
steps:
  - id: receive
    zone: frontstage
    resource: handler
    duration: {duration}
{fail}
"""

COMPLAINING = ("    fail_points:\n      - {id: wrong, name: Wrong change given, p: 0.3, effect: delay, "
               "delay: 1, complaint: 0.6}")


def _linked(tmp_path, *, duration="5", fail="", quickly=60) -> Path:
    (tmp_path / "desk.yaml").write_text(DESK.format(duration=duration, fail=fail), encoding="utf-8")
    model = tmp_path / "shop.yaml"
    model.write_text(_model(fail=COMPLAINING, loyalty=LOYALTY, complaints=(
        f"complaints: {{after_loss: 0.2, quickly_within: {quickly}, process: desk.yaml}}")),
        encoding="utf-8")
    return model


def test_complaints_reach_the_desk_customer_for_customer_at_the_times_they_were_made(tmp_path):
    results = blueprint.load(_linked(tmp_path)).simulate(replications=4, seed=7)
    for day in results.runs:
        made, reached = day.outcomes.complaint_times, day.outcomes.desk_arrival_times
        assert len(made) == len(reached) == day.outcomes.complaints > 0
        # the shop opens at 09:00, the desk at 08:00: the same moment is an hour later there
        assert reached == pytest.approx([t + 60 for t in made], abs=1e-9)
        # a 5-minute desk with 20 handlers resolves every complaint within 60 minutes
        assert day.outcomes.omission_rate == 0
        complained = {"resolved_quickly", "complained_resolved", "complained_unresolved"}
        assert sum(day.outcomes.customers.get(o, 0) for o in complained) == day.outcomes.complaints - (
            day.outcomes.customers.get("lost", 0) - day.arrivals + day.served) * 0
        assert day.outcomes.customers.get("complained_resolved", 0) == 0
    assert results.system.time_to_resolve.mean == pytest.approx(5.0)


def test_a_desk_that_loses_every_complaint_omits_them_all(tmp_path):
    fail = "    fail_points:\n      - {id: lost_ticket, name: Ticket lost, p: 1, effect: abandon}"
    results = blueprint.load(_linked(tmp_path, fail=fail)).simulate(replications=3, seed=7)
    for day in results.runs:
        assert day.outcomes.omission_rate == 1
        assert "resolved_quickly" not in day.outcomes.customers
        assert "complained_resolved" not in day.outcomes.customers


def test_a_slow_desk_resolves_but_not_quickly(tmp_path):
    results = blueprint.load(_linked(tmp_path, duration="90")).simulate(replications=3, seed=7)
    for day in results.runs:
        assert "resolved_quickly" not in day.outcomes.customers
        assert day.outcomes.customers.get("complained_resolved", 0) > 0


def test_a_linked_desk_gives_the_same_bytes_whatever_the_jobs(tmp_path):
    model = _linked(tmp_path, duration="{dist: exponential, mean: 40}")
    outs = _by_jobs(model, tmp_path)
    assert outs[0] == outs[1]
    assert json.loads(outs[0])["system"]["omission_rate"] is not None


def test_a_desk_file_that_is_not_there_is_an_error_at_the_process_key(tmp_path):
    model = tmp_path / "shop.yaml"
    model.write_text(_model(complaints="complaints: {process: nowhere.yaml}"), encoding="utf-8")
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.load(model)
    (d,) = caught.value.diagnostics
    assert d.code == "bad-process" and d.file == str(model) and "nowhere.yaml" in d.message


def test_a_scenario_may_change_the_linked_complaint_desk():
    from blueprint.analysis.study import load_study

    root = Path(__file__).resolve().parent.parent
    study = load_study(root / "sims" / "hotpot_complaints.yaml")
    desks = {s.name: s.loaded.model.complaint_process[0] for s in study.scenarios}
    assert desks["baseline"].resources["case_handler"].capacity == 7   # as the desk's file says
    assert desks["faster_complaint_desk"].resources["case_handler"].capacity == 10
    assert desks["faster_complaint_desk"].resources["agent"].capacity == 3


def test_a_redo_asks_the_customer_to_complain_once_per_fail_point():
    """§9's own fail point is a redo: a customer it hits again and again still decides once
    whether to complain about it, so complaints = p x c x arrivals (0.2 x 0.5)."""
    fail = "    fail_points:\n      - {id: wrong, name: Wrong drink, p: 0.2, effect: redo, complaint: 0.5}"
    results = blueprint.loads(_model(fail=fail, complaints="complaints: {}"), "r.yaml").simulate(
        replications=40, seed=11)
    _within(results.system.complaints, 0.1 * results.system.arrivals.mean)


def test_an_omission_fail_point_at_the_desk_counts_in_the_omission_rate(tmp_path):
    fail = ("    fail_points:\n      - {id: not_logged, name: Not logged, p: 1, effect: delay, "
            "delay: 1, omission: true}")
    results = blueprint.load(_linked(tmp_path, fail=fail)).simulate(replications=3, seed=7)
    for day in results.runs:
        assert day.outcomes.omission_rate == 1
        # logged late, the complaint is still resolved (6 minutes: within the hour)
        assert day.outcomes.customers.get("resolved_quickly", 0) > 0


def test_a_model_linking_itself_is_an_error_not_a_recursion(tmp_path):
    model = tmp_path / "self.yaml"
    model.write_text(_model(complaints="complaints: {process: self.yaml}"), encoding="utf-8")
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.load(model)
    assert [d.code for d in caught.value.diagnostics] == ["bad-process"]


def test_loyalty_without_any_margin_is_an_error():
    text = _model(loyalty="  loyalty: {visits_per_year: 12}").replace("  value: 20\n", "")
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.loads(text, "m.yaml")
    assert "margin" in caught.value.diagnostics[0].message


def test_every_figure_of_the_issue_can_be_a_study_target(tmp_path):
    from blueprint.analysis.study import load_study, run_study

    (tmp_path / "desk.yaml").write_text(DESK.format(duration="5", fail=""), encoding="utf-8")
    model = _linked(tmp_path)
    study = tmp_path / "s.yaml"
    study.write_text(f"""study: Every target
model: {model.name}
replications: 3
targets:
  complaints: {{at_most: 1000}}
  complaint_rate: {{at_most: 0.5}}
  dissatisfied: {{at_most: 1000}}
  dissatisfaction_rate: {{at_most: 1}}
  omission_rate: {{at_most: 0.01}}
  time_to_resolve: {{at_most: 10}}
  clv_lost: {{at_most: 1000000}}
scenarios:
  baseline: {{}}
  more_complaints: {{complaints.after_loss: 0.9}}
""", encoding="utf-8")
    results = run_study(load_study(study))
    assert all(results.scenarios["baseline"].targets.values())
    assert len(results.scenarios["baseline"].targets) == 7


def test_a_study_path_into_the_desk_that_names_nothing_is_located(tmp_path, capsys):
    from blueprint.cli import main

    root = Path(__file__).resolve().parent.parent
    study = tmp_path / "s.yaml"
    study.write_text(f"""study: Typo
model: {root / "models" / "hotpot_restaurant.yaml"}
replications: 2
scenarios:
  desk:
    complaints.process.resources.case_handlr.capacity: 10
""", encoding="utf-8")
    assert main(["whatif", str(study)]) == 1
    err = capsys.readouterr().err
    assert f"{study}:6:5: unknown-override: 'complaints.process.resources.case_handlr.capacity'" in err
    assert "did you mean 'case_handler'" in err and "Traceback" not in err
