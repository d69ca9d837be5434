"""What the commands print: every table fits the terminal, figures read in their units.

The acceptance case: ``COLUMNS=80 blueprint whatif sims/bank_lunch_staffing.yaml``
prints every scenario's numbers and no line longer than 80 characters — and so
for every command and every example model, at 80 and 120 columns, piped (the
tests' stdout is never a terminal). Figures are checked against values worked
out by hand on models whose every number is known in advance: a trace of
arrivals and fixed durations.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from blueprint.cli import main
from blueprint.console import PIPED_WIDTH, output_width, plural
from blueprint.figures import count, duration, interval, money, percent, points, significant

ROOT = Path(__file__).resolve().parent.parent
MODELS = sorted((ROOT / "models").glob("*.yaml"))
STUDIES = sorted((ROOT / "sims").glob("*.yaml"))
WIDTHS = (80, 120)
BARS = "│┃"

# One desk and no room to queue (balk_at: 0), four customers at known minutes, fixed durations:
# the first takes the desk 09:01-09:11; the second and third reach it at 09:02 and 09:03, find it
# busy and balk; the fourth takes it 09:31-09:41. So at `counter`: 4 entries, 2 balked, 0 reneged;
# 2 served, each 11 min in the system; revenue 2 x 10, revenue lost 2 x 10; staff 1 h x 30.
DESK = """\
blueprint: 1
name: One desk, no queue
time_unit: min
horizon: {open: "09:00", close: "10:00"}
resources: {desk: {capacity: 1, cost_per_hour: 30}}
demand:
  trace: arrivals.csv
  balk_at: 0
  value: 10
steps:
  - {id: 取号, zone: customer, name: 取号排队, evidence: [号票], duration: 1}
  - {id: counter, zone: frontstage, name: 柜台办理, resource: desk, duration: 10}
"""
ARRIVALS = "time\n09:00\n09:01\n09:02\n09:30\n"


def desk(tmp_path: Path, extra: str = "", text: str = DESK) -> Path:
    (tmp_path / "arrivals.csv").write_text(ARRIVALS, encoding="utf-8")
    model = tmp_path / "desk.yaml"
    model.write_text(text.replace("time_unit: min\n", f"time_unit: min\n{extra}"), encoding="utf-8")
    return model


def run(capsys, monkeypatch, width: int | None, *argv: str) -> tuple[int, str, str]:
    """`blueprint ARGV` with stdout piped (captured) and COLUMNS set to `width` (None: unset)."""
    if width is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", str(width))
    code = main([*argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_fits(text: str, width: int) -> None:
    """No line wider than `width` (in characters, and in terminal cells for wide CJK), and no
    figure or name cut short with an ellipsis."""
    for line in text.splitlines():
        assert len(line) <= width and cell_len(line) <= width, f"{cell_len(line)} > {width}: {line}"
    assert "…" not in text


def rows_of(text: str) -> list[dict[str, str]]:
    """The rows of every boxed table in `text`, each as {column heading: cell}."""
    found: list[dict[str, str]] = []
    heading: list[str] = []
    for line in text.splitlines():
        if line.startswith("┃"):
            heading = [cell.strip() for cell in line.strip("┃").split("┃")]
        elif line.startswith("│") and heading:
            cells = [cell.strip() for cell in line.strip("│").split("│")]
            found.append(dict(zip(heading, cells, strict=True)))
    return found


def row(text: str, first: str, column: str = "step") -> dict[str, str]:
    (found,) = [r for r in rows_of(text) if r.get(column) == first]
    return found


def system_figures(text: str) -> dict[str, str]:
    """The whole-service table of `simulate` (label, figure pairs side by side) as a dict."""
    found = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if line.startswith("│") and len(cells) == 4:
            found.update({cells[0]: cells[1], cells[2]: cells[3]})
    return found


# --- every command, every example model, at 80 and 120 columns --------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_whatif_at_80_columns_prints_every_scenarios_numbers_within_the_width(capsys, monkeypatch,
                                                                              tmp_path, width):
    study = ROOT / "sims" / "bank_lunch_staffing.yaml"
    written = tmp_path / "study.json"
    code, out, _ = run(capsys, monkeypatch, width, "whatif", str(study), "-n", "3", "-j", "1",
                       "--json", str(written))
    assert code == 0
    assert_fits(out, width)
    document = json.loads(written.read_text(encoding="utf-8"))
    scenarios = document["scenarios"]
    assert len(scenarios) == 7 and len(document["same_as"]) == 1  # one sweep point is busy_day again
    for name, entry in scenarios.items():
        assert name in out  # whole, on one line
        kpis = entry["kpis"]
        profit = kpis["profit"]["value"]
        half = (profit["ci95"][1] - profit["ci95"][0]) / 2
        assert money(profit["mean"], half_width=half, currency=entry["results"]["currency"]) in out, name
        served = kpis["served"]["value"]
        assert count(served["mean"], half_width=(served["ci95"][1] - served["ci95"][0]) / 2) in out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("study", STUDIES, ids=lambda p: p.stem)
def test_every_example_study_fits(capsys, monkeypatch, study, width):
    code, out, _ = run(capsys, monkeypatch, width, "whatif", str(study), "-n", "2", "-j", "1")
    assert code == 0
    assert_fits(out, width)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", ["info", "simulate", "economics"])
@pytest.mark.parametrize("model", MODELS, ids=lambda p: p.stem)
def test_every_example_model_fits(capsys, monkeypatch, model, command, width):
    runs = [] if command == "info" else ["-n", "2", "-j", "1"]
    code, out, _ = run(capsys, monkeypatch, width, command, str(model), *runs)
    assert code == 0
    assert_fits(out, width)
    assert out.strip()


def test_a_staffing_plan_fits_80_columns(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, 80, "staff", str(ROOT / "models" / "call_centre.yaml"),
                       "-r", "agent", "-t", "80% within 20 s", "-n", "4", "-j", "1")
    assert code in (0, 1)
    assert_fits(out, 80)
    assert "paste under resources.agent" in out
    assert '  - {from: "08:00", to: ' in out  # the YAML to paste, whole


def test_piped_output_without_columns_is_laid_out_for_100_columns(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, None, "whatif", str(ROOT / "sims" / "bank_lunch_staffing.yaml"),
                       "-n", "2", "-j", "1")
    assert code == 0
    assert_fits(out, PIPED_WIDTH)
    assert max(cell_len(line) for line in out.splitlines()) > 80  # the width is used


def test_a_wide_terminal_gets_the_study_a_row_per_scenario(capsys, monkeypatch, tmp_path):
    model = desk(tmp_path)
    study = tmp_path / "study.yaml"
    study.write_text("study: Two desks\nmodel: desk.yaml\nreplications: 2\nseed: 1\n"
                     "scenarios:\n  two_desks:\n    resources.desk.capacity: 2\n", encoding="utf-8")
    assert model.exists()
    code, out, _ = run(capsys, monkeypatch, 250, "whatif", str(study), "-j", "1")
    assert code == 0
    # two desks: the first two customers take one each (09:01-09:11, 09:02-09:12), the third
    # still finds both busy at 09:03 and balks, the fourth is served: 3
    assert row(out, "two_desks", "scenario")["served"] == "3"
    assert row(out, "baseline", "scenario")["served"] == "2"


def test_output_width_follows_columns_then_the_terminal_then_a_default():
    assert output_width({"COLUMNS": "80"}, is_terminal=False) == 80
    assert output_width({"COLUMNS": "132"}, is_terminal=True) == 132
    assert output_width({}, is_terminal=False) == PIPED_WIDTH == 100
    assert output_width({"COLUMNS": "wide"}, is_terminal=False) == PIPED_WIDTH
    assert output_width({}, is_terminal=True) is None  # rich asks the terminal


# --- the figures: units, precision, losses per step ------------------------------------------


def test_the_steps_table_says_where_customers_were_lost(capsys, monkeypatch, tmp_path):
    code, out, _ = run(capsys, monkeypatch, 200, "simulate", str(desk(tmp_path)), "-n", "2")
    assert code == 0
    counter = row(out, "counter")
    # by hand (DESK): 4 reach the desk, 2 balk, none reneges; the same every day, so no ±
    assert (counter["entries"], counter["balked"], counter["reneged"]) == ("4", "2", "0")
    assert row(out, "取号")["balked"] == ""  # a step without a queue loses nobody by waiting


def test_the_steps_table_splits_in_two_on_a_narrow_terminal_keeping_the_losses(capsys, monkeypatch,
                                                                               tmp_path):
    code, out, _ = run(capsys, monkeypatch, 80, "simulate", str(desk(tmp_path)), "-n", "2")
    assert code == 0
    assert_fits(out, 80)
    assert "Steps: customers" in out and "Steps: waits" in out
    counter: dict[str, str] = {}
    for found in rows_of(out):  # its row in each of the two tables
        if found.get("step") == "counter":
            counter.update(found)
    assert counter["wait (s)"] == "0"
    assert (counter["balked"], counter["reneged"]) == ("2", "0")


def test_counts_are_whole_and_times_are_in_a_unit_that_reads(capsys, monkeypatch, tmp_path):
    code, out, _ = run(capsys, monkeypatch, 80, "simulate", str(desk(tmp_path)), "-n", "2")
    assert code == 0
    system = system_figures(out)
    assert system["arrivals"] == "4" and system["served"] == "2"  # not 4.0, 2.0
    assert system["time in system"] == "11 min"  # 09:00-09:11 and 09:30-09:41


def test_a_model_in_hours_shows_a_second_long_step_in_seconds(capsys, monkeypatch, tmp_path):
    # 0.000295 h is 1.062 s: three significant figures, '1.06 s' — not '0.000295' hours
    text = DESK.replace("time_unit: min", "time_unit: h").replace(
        "duration: 1}", "duration: 0.000295}").replace(
        "  - {id: counter, zone: frontstage, name: 柜台办理, resource: desk, duration: 10}\n", "")
    code, out, _ = run(capsys, monkeypatch, 80, "simulate", str(desk(tmp_path, text=text)), "-n", "2")
    assert code == 0
    assert system_figures(out)["time in system"] == "1.06 s"


def test_every_money_figure_carries_the_models_currency(capsys, monkeypatch, tmp_path):
    model = str(desk(tmp_path, "currency: EUR\n"))
    code, out, _ = run(capsys, monkeypatch, 80, "simulate", model, "-n", "2")
    assert code == 0
    money_rows = system_figures(out)
    # by hand: 2 served x 10; 2 lost x 10; 1 h x 30; profit 20 - 30; per served 30 / 2
    assert money_rows["revenue"] == "20.00 EUR"
    assert money_rows["lost revenue"] == "20.00 EUR"
    assert money_rows["staff cost"] == "30.00 EUR"
    assert money_rows["profit"] == "-10.00 EUR"
    assert money_rows["cost per served"] == "15.00 EUR"
    code, out, _ = run(capsys, monkeypatch, 80, "economics", model, "-n", "2")
    assert row(out, "profit", "figure")["mean"] == "-10.00 EUR"
    assert row(out, "staff cost", "figure")["95% interval"] == "30.00 – 30.00 EUR"
    assert row(out, "counter")["cost per customer"] == "5.00 EUR"  # 10 min at 30 an hour
    code, out, _ = run(capsys, monkeypatch, 80, "info", str(desk(tmp_path, "currency: €\n")))
    assert row(out, "desk", "id")["cost/h"] == "€30.00"


def test_the_whole_service_stacks_its_two_halves_when_they_do_not_fit_side_by_side(tmp_path):
    import blueprint
    from blueprint.sim.table import natural_width, system_table

    results = blueprint.load(desk(tmp_path, "currency: EUR\n")).simulate(replications=2)
    side = system_table(results)
    assert len(side.columns) == 4 and natural_width(side) > 50
    stacked = system_table(results, width=50)
    assert len(stacked.columns) == 2 and natural_width(stacked) <= 50


def test_a_change_in_a_share_is_in_percentage_points(capsys, monkeypatch, tmp_path):
    desk(tmp_path, "currency: EUR\n")
    study = tmp_path / "study.yaml"
    study.write_text("study: Two desks\nmodel: desk.yaml\nreplications: 2\nseed: 1\n"
                     "scenarios:\n  two_desks:\n    resources.desk.capacity: 2\n", encoding="utf-8")
    code, out, _ = run(capsys, monkeypatch, 80, "whatif", str(study), "-j", "1")
    assert code == 0
    # with two desks only the third customer balks (see above): 2 of 4 lost becomes 1 of 4, a
    # change of 25 percentage points; the second desk's hour costs 30 more
    assert "-25.0 pp" in out
    assert "+30.00 EUR" in out
    assert not re.search(r"\([+-][\d.]+%", out)  # no relative-looking '(-50.0%)'


def test_headings_and_prose_say_utilisation(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, 120, "whatif", str(ROOT / "sims" / "bank_lunch_staffing.yaml"),
                       "-n", "2", "-j", "1")
    assert code == 0
    assert "utilisation" in out and "utilization" not in out


def test_chinese_ids_and_names_line_up_in_columns(capsys, monkeypatch):
    model = str(ROOT / "models" / "appliance_aftersales_zh.yaml")
    for argv in (["info", model], ["simulate", model, "-n", "2", "-j", "1"]):
        code, out, _ = run(capsys, monkeypatch, 80, *argv)
        assert code == 0
        tables = re.split(r"\n(?=[^│┃┏┡┗└])", out)  # a table's lines run on without a break
        checked = 0
        for table in tables:
            lines = [line for line in table.splitlines() if line[:1] in BARS]
            if any(cell_len(line) != len(line) for line in lines):  # wide characters inside
                columns = {tuple(cell_len(line[:k]) for k, ch in enumerate(line) if ch in BARS)
                           for line in lines}
                assert len(columns) == 1, table
                checked += 1
        assert checked >= 2


def test_names_with_brackets_are_printed_as_written_not_as_markup(capsys, monkeypatch, tmp_path):
    text = DESK.replace("name: One desk, no queue", 'name: "Desk [pilot] [bold]x[/bold]"').replace(
        "name: 柜台办理, resource: desk, duration: 10}",
        'name: 柜台办理, resource: desk, duration: 10,\n'
        '     fail_points: [{id: oops, name: "Oops [b]bad[/b]", p: 0.1, effect: delay, delay: 1}]}')
    model = str(desk(tmp_path, text=text))
    study = tmp_path / "study.yaml"
    study.write_text('study: "Trial [x] run"\nmodel: desk.yaml\nreplications: 2\n'
                     'scenarios:\n  "two [desks]":\n    resources.desk.capacity: 2\n', encoding="utf-8")
    for argv, shown in ((["info", model], "Oops [b]bad[/b]"),
                        (["simulate", model, "-n", "2"], "Desk [pilot] [bold]x[/bold]: 2 replications"),
                        (["economics", model, "-n", "2"], "Desk [pilot] [bold]x[/bold]: the day's money"),
                        (["whatif", str(study), "-j", "1"], "two [desks]")):
        for width in WIDTHS:
            code, out, _ = run(capsys, monkeypatch, width, *argv)
            assert code == 0
            assert shown in out, argv


# --- documents on stdout ---------------------------------------------------------------------


def test_json_output_is_the_document_json_writes(capsys, monkeypatch, tmp_path):
    model = str(desk(tmp_path))
    for command in ("simulate", "economics"):
        written = tmp_path / f"{command}.json"
        code, out, _ = run(capsys, monkeypatch, 80, command, model, "-n", "2", "--json",
                           str(written), "--output-format", "json")
        assert code == 0
        assert out == written.read_text(encoding="utf-8")


def test_simulate_csv_is_a_figure_a_line(capsys, monkeypatch, tmp_path):
    code, out, _ = run(capsys, monkeypatch, 80, "simulate", str(desk(tmp_path, "currency: EUR\n")),
                       "-n", "2", "--output-format", "csv")
    assert code == 0
    lines = list(csv.DictReader(io.StringIO(out)))
    assert list(lines[0]) == ["table", "row", "figure", "mean", "low", "high", "unit"]
    found = {(r["table"], r["row"], r["figure"]): r for r in lines}
    assert float(found["step", "counter", "balked"]["mean"]) == 2.0
    assert float(found["system", "", "served"]["mean"]) == 2.0
    assert found["system", "", "profit"]["unit"] == "EUR"
    assert found["system", "", "time_in_system"]["unit"] == "min"
    assert float(found["system", "", "time_in_system"]["mean"]) == 11.0


def test_study_csv_on_stdout_is_what_csv_writes(capsys, monkeypatch, tmp_path):
    desk(tmp_path)
    study = tmp_path / "study.yaml"
    study.write_text("study: Two desks\nmodel: desk.yaml\nreplications: 2\nseed: 1\n"
                     "scenarios:\n  two_desks:\n    resources.desk.capacity: 2\n", encoding="utf-8")
    written = tmp_path / "rows.csv"
    code, out, _ = run(capsys, monkeypatch, 80, "whatif", str(study), "-j", "1", "--csv",
                       str(written), "--output-format", "csv")
    assert code == 0
    assert out == written.read_text(encoding="utf-8")
    assert [r["scenario"] for r in csv.DictReader(io.StringIO(out))] == ["baseline", "two_desks"]


def test_info_csv_lists_a_fact_a_line(capsys, monkeypatch, tmp_path):
    code, out, _ = run(capsys, monkeypatch, 80, "info", str(desk(tmp_path)), "--output-format", "csv")
    assert code == 0
    facts = {(r["table"], r["row"], r["field"], r["value"]) for r in csv.DictReader(io.StringIO(out))}
    assert ("zone", "customer", "step", "取号") in facts
    assert ("resource", "desk", "cost_per_hour", "30.0") in facts
    assert ("line", "interaction", "flow", "取号->counter") in facts


def test_staffing_json_and_csv(capsys, monkeypatch):
    model = str(ROOT / "models" / "call_centre.yaml")
    common = ["staff", model, "-r", "agent", "-t", "80% within 20 s", "-n", "4", "-j", "1"]
    _, out, _ = run(capsys, monkeypatch, 80, *common, "--output-format", "json")
    plan = json.loads(out)
    assert plan["resource"] == "agent"
    _, out, _ = run(capsys, monkeypatch, 80, *common, "--output-format", "csv")
    hours = list(csv.DictReader(io.StringIO(out)))
    assert [(h["from"], h["staff"]) for h in hours] == [(a["from"], str(a["servers"]))
                                                        for a in plan["achieved"]]
    assert "paste under" not in out


def test_an_unknown_output_format_is_a_one_line_usage_error(capsys, monkeypatch, tmp_path):
    code, out, err = run(capsys, monkeypatch, 80, "simulate", str(desk(tmp_path)), "--output-format",
                         "xml")
    assert code == 2
    assert out == ""
    assert len(err.splitlines()) == 1 and "invalid choice: 'xml'" in err


# --- the formatting functions ----------------------------------------------------------------


def test_figures_worked_by_hand():
    assert duration(0.000295, "h") == "1.06 s"  # 0.000295 x 3600 = 1.062 s
    assert duration(0.000295, "h", half_width=5.4e-06) == "1.06 s ±0.02 s"  # 0.0194 s
    assert significant(16.02, half_width=0.99) == "16.0 ±1.0"  # not '16 ±0.99'
    assert significant(0.00344, half_width=0.0025) == "0.0034 ±0.0025"  # not '0.00344 ±0.0025'
    assert count(399568.0) == "399,568"  # not '399,568.0'
    assert count(256.1, half_width=12.4) == "256 ±12"
    assert count(20.54, half_width=4.2) == "20.5 ±4.2"
    assert percent(0.079, half_width=0.015) == "7.9% ±1.5%"
    assert points(-0.016) == "-1.6 pp"
    assert money(9424, half_width=362.25, currency="€") == "€9,424.00 ±€362.25"
    assert money(9424, half_width=362.25, currency="EUR") == "9,424.00 EUR ±362.25 EUR"
    assert interval(money(1, currency="元"), money(2, currency="元")) == "1.00 – 2.00 元"
    assert significant(-0.2131, signed=True, precision=0.12) == "-0.21"  # a change, to its interval
    assert plural(1, "loop") == "1 loop" and plural(3, "branch", "branches") == "3 branches"


FIGURE = re.compile(r"^([+-]?[\d,]+(?:\.(\d+))?)( \S+)? ±([\d,]+(?:\.(\d+))?)( \S+)?$")


@given(st.floats(-1e6, 1e6, allow_nan=False), st.floats(1e-4, 1e5))
def test_a_mean_and_its_half_width_have_the_same_decimal_places(mean, half):
    text = significant(mean, half_width=half)
    match = FIGURE.match(text)
    assert match, text
    assert "e" not in text
    places = len(match.group(2) or "")
    assert places == len(match.group(5) or "")
    assert places <= 4
    written = float(match.group(1).replace(",", ""))
    assert abs(written - mean) <= 0.5 * 10 ** -places + 1e-9 * abs(mean)


@given(st.floats(0, 1e5, allow_nan=False), st.floats(1e-6, 1e4), st.sampled_from(["s", "min", "h"]))
def test_a_durations_half_width_is_in_the_means_unit(value, half, time_unit):
    match = FIGURE.match(duration(value, time_unit, half_width=half))
    assert match
    assert match.group(3) == match.group(6) and match.group(3).strip() in ("s", "min", "h", "days")


@given(st.integers(-10**9, 10**9))
def test_a_whole_count_has_no_decimals(number):
    assert "." not in count(float(number))
    assert int(count(float(number)).replace(",", "")) == number
