"""The HTML report: self-contained, every chart present, and it really renders in a browser."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import blueprint
from blueprint.analysis.study import load_study, run_study
from blueprint.cli import main
from blueprint.report import CHARTS, build_report
from tests.conftest import COFFEE_BAR

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    bp = blueprint.load(ROOT / "models" / "bank_branch.yaml")
    study = run_study(load_study(ROOT / "sims" / "bank_lunch_staffing.yaml"), replications=3, jobs=2)
    html = build_report(bp.model, bp.graph, bp.simulate(replications=4, seed=1, jobs=2), study,
                        source=bp.path)
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


def test_report_has_every_chart_table_and_the_blueprint(report_file):
    html = report_file.read_text(encoding="utf-8")
    for chart in CHARTS:
        assert f'id="chart-{chart}"' in html, chart
    for table in ("steps", "resources", "economics", "profitability", "scenarios"):
        assert f'id="table-{table}"' in html, table
    assert 'id="step&#45;deposit"' in html and 'id="fail&#45;wrong_slip"' in html
    assert html.count("<svg") >= len(CHARTS) + 1


def test_report_makes_no_outside_request(report_file):
    html = report_file.read_text(encoding="utf-8")
    external = re.findall(r'(?:src|href)\s*=\s*"(https?:[^"]*)"|url\(\s*["\']?(https?:[^)"\']*)', html)
    assert external == []
    assert "<link" not in html
    assert re.findall(r"<script[^>]*\bsrc\s*=", html) == []  # scripts, if any, are inline


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt install chromium; "
                                               ".ci/run installs it)")
def test_report_renders_in_headless_chromium_without_errors(report_file):
    shot = report_file.with_suffix(".png")
    profile = tempfile.mkdtemp()
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
               "--enable-logging=stderr", "--v=0", "--window-size=1280,2400"]
    done = subprocess.run([*command, f"--screenshot={shot}", report_file.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert shot.exists(), done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    dom = subprocess.run([*command, "--dump-dom", report_file.as_uri()], capture_output=True,
                         text=True, timeout=120).stdout
    for chart in CHARTS:
        assert f'id="chart-{chart}"' in dom
    import matplotlib.image as image

    pixels = image.imread(shot)
    assert pixels.std() > 0.05, "the screenshot is blank"


def test_report_command_writes_one_file(tmp_path, capsys):
    out = tmp_path / "report.html"
    assert main(["report", str(ROOT / "models" / "call_centre.yaml"), "-o", str(out), "-n", "2",
                 "-j", "1"]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'id="table-scenarios"' not in html
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_the_report_verb_still_works_once_the_report_package_is_imported(tmp_path):
    import blueprint.report  # makes `blueprint.report` the package ...

    written = blueprint.report(ROOT / "models" / "call_centre.yaml", tmp_path / "r.html",
                               replications=2)  # ... which is still the verb
    assert written == tmp_path / "r.html" and written.read_text(encoding="utf-8").startswith("<!DOCTYPE")


def test_a_report_with_a_study_takes_every_figure_from_the_studys_runs(tmp_path):
    from blueprint.analysis.study import load_study, run_study

    study_file = ROOT / "sims" / "bank_lunch_staffing.yaml"
    out = tmp_path / "bank.html"
    assert main(["report", str(ROOT / "models" / "bank_branch.yaml"), "--study", str(study_file),
                 "-o", str(out), "-n", "3", "-j", "1"]) == 0
    baseline = run_study(load_study(study_file), replications=3).scenarios["baseline"]
    html = out.read_text(encoding="utf-8")
    profit = f"{baseline.results.system.profit.mean:,.2f}"
    economics = html[html.index('id="table-economics"'):]
    scenarios = html[html.index('id="table-scenarios"'):]
    assert profit in economics.split("</table>")[0] and profit in scenarios.split("</table>")[0]


def test_a_report_refuses_a_study_of_another_model(tmp_path, capsys):
    study_file = ROOT / "sims" / "bank_lunch_staffing.yaml"
    out = tmp_path / "call.html"
    assert main(["report", str(ROOT / "models" / "call_centre.yaml"), "--study", str(study_file),
                 "-o", str(out), "-n", "2"]) == 1
    err = capsys.readouterr().err
    assert f"{study_file}:3:8: other-model: this study is of bank_branch.yaml, not of call_centre.yaml" in err
    assert not out.exists()


# --- a document a client reads ----------------------------------------------------------------


def _chart_data(html: str, chart: str) -> dict:
    import json

    figure = html[html.index(f'id="chart-{chart}"'):]
    figure = figure[:figure.index("</figure>")]
    blob = figure[figure.index('class="chart-data">') + len('class="chart-data">'):]
    return json.loads(blob[:blob.index("</script>")])


def test_the_capacity_chart_draws_each_shift_at_its_own_minutes(report_file):
    # models/bank_branch.yaml: tellers 3 from 09:00, 4 from 11:30, 3 from 14:00 to closing at 17:00;
    # one greeter and two bankers all day; after closing the last shift stays until the last leaves
    data = _chart_data(report_file.read_text(encoding="utf-8"), "capacity")
    assert data["capacity"]["teller"] == [{"from": "09:00", "to": "11:30", "servers": 3},
                                          {"from": "11:30", "to": "14:00", "servers": 4},
                                          {"from": "14:00", "to": "17:00", "servers": 3}]
    assert data["capacity"]["greeter"] == [{"from": "09:00", "to": "17:00", "servers": 1}]
    assert data["capacity"]["banker"] == [{"from": "09:00", "to": "17:00", "servers": 2}]
    for rid, servers in (("teller", 3), ("greeter", 1), ("banker", 2)):
        if rid in data["overtime"]:
            assert data["overtime"][rid]["from"] == "17:00" and data["overtime"][rid]["servers"] == servers


def test_the_call_centres_agents_start_at_nine_not_half_past_eight(tmp_path):
    # models/call_centre.yaml: agents 6 from 08:00, 12 from 09:00, 15 from 11:00, 11 from 13:00,
    # 14 from 14:00, 8 from 17:00, 5 from 19:00 to closing at 20:00
    out = tmp_path / "calls.html"
    assert main(["report", str(ROOT / "models" / "call_centre.yaml"), "-o", str(out), "-n", "2",
                 "-j", "1"]) == 0
    shifts = _chart_data(out.read_text(encoding="utf-8"), "capacity")["capacity"]["agent"]
    assert [(s["from"], s["to"], s["servers"]) for s in shifts] == [
        ("08:00", "09:00", 6), ("09:00", "11:00", 12), ("11:00", "13:00", 15), ("13:00", "14:00", 11),
        ("14:00", "17:00", 14), ("17:00", "19:00", 8), ("19:00", "20:00", 5)]


def test_the_report_opens_with_a_summary_of_what_the_numbers_mean(report_file):
    html = report_file.read_text(encoding="utf-8")
    summary = html[html.index('<section id="summary">'):]
    summary = summary[:summary.index("</section>")]
    topics = re.findall(r'<li data-topic="(\w+)">', summary)
    assert topics == ["lost", "busiest", "touchpoint", "money", "promises", "scenario"]  # the bank promises
    assert "leave without being served" in summary and "The busiest hour is" in summary
    assert "meets every target at the least cost" in summary


def test_steps_are_named_as_the_client_knows_them_with_their_ids_in_tooltips(report_file):
    html = report_file.read_text(encoding="utf-8")
    steps = html[html.index('id="table-steps"'):]
    steps = steps[:steps.index("</table>")]
    assert '<td class="name" title="deposit">Take a deposit or pay a withdrawal' in steps
    assert ">deposit<" not in steps


def test_money_carries_the_models_currency(tmp_path):
    model = tmp_path / "cafe.yaml"
    model.write_text(COFFEE_BAR.replace("time_unit: min\n", "time_unit: min\ncurrency: EUR\n"))
    out = tmp_path / "cafe.html"
    assert main(["report", str(model), "-o", str(out), "-n", "2", "-j", "1"]) == 0
    economics = out.read_text(encoding="utf-8")
    economics = economics[economics.index('id="table-economics"'):].split("</table>")[0]
    assert re.search(r"<td>[\d,]+\.\d\d EUR</td>", economics)


def test_a_steady_state_report_draws_no_clock_hours(tmp_path):
    out = tmp_path / "parcel.html"
    assert main(["report", str(ROOT / "models" / "parcel_delivery.yaml"), "-o", str(out), "-n", "2",
                 "-j", "1"]) == 0
    html = out.read_text(encoding="utf-8")
    for hourly in ("demand", "capacity", "queues"):
        assert f'id="chart-{hourly}"' not in html, hourly
    assert set(_chart_data(html, "waits")) == {"unit", "steps", "mean", "p90"}
    assert set(_chart_data(html, "utilisation")) == {"resources", "percent_busy"}


def test_a_histogram_that_pools_days_says_so(report_file):
    html = report_file.read_text(encoding="utf-8")
    figure = html[html.index('id="chart-wait_distribution"'):].split("</figure>")[0]
    assert "simulated days pooled" in figure


def _chromium(*options: str) -> list[str]:
    assert CHROMIUM is not None
    return [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tempfile.mkdtemp()}", "--hide-scrollbars", *options]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt install chromium; "
                                               ".ci/run installs it)")
def test_at_800_pixels_nothing_but_the_blueprint_panel_is_wider_than_the_window(report_file):
    probe = report_file.with_name("probe.html")
    script = """<script>window.addEventListener('load', function () {
      var wide = [], width = document.documentElement.clientWidth;
      document.querySelectorAll('body *').forEach(function (e) {
        if (e.closest('#blueprint')) return;
        var box = e.getBoundingClientRect();
        if (box.width > 0 && box.right > width + 1) wide.push(e.tagName + '#' + e.id);
      });
      var out = document.createElement('pre'); out.id = 'probe';
      out.textContent = 'PAGE=' + document.documentElement.scrollWidth + ' WINDOW=' + width
                        + ' WIDE=' + wide.slice(0, 10).join(',') + ' END';
      document.body.appendChild(out); });</script></body>"""
    probe.write_text(report_file.read_text(encoding="utf-8").replace("</body>", script), encoding="utf-8")
    dom = subprocess.run(_chromium("--window-size=800,3000", "--virtual-time-budget=5000", "--dump-dom",
                                   probe.as_uri()), capture_output=True, text=True, timeout=120).stdout
    found = re.search(r"PAGE=(\d+) WINDOW=(\d+) WIDE=(.*?) END", dom)
    assert found, dom[-2000:]
    assert int(found[1]) <= int(found[2]) and found[3] == ""


@pytest.mark.skipif(CHROMIUM is None or shutil.which("pdftoppm") is None,
                    reason="needs Chromium and pdftoppm (apt install chromium poppler-utils; .ci/run "
                           "installs them)")
def test_printed_no_page_is_more_than_half_blank_but_the_last(report_file, tmp_path):
    from PIL import Image

    pdf = tmp_path / "report.pdf"
    subprocess.run(_chromium(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report_file.as_uri()),
                   capture_output=True, timeout=120)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True,
                   timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    for page in pages[:-1]:
        image = Image.open(page).convert("L")
        width, height = image.size
        pixels = image.load()
        lowest = max(y for y in range(height) if any(pixels[x, y] < 240 for x in range(width)))
        assert lowest > height / 2, f"{page.name}: the content ends at {lowest / height:.0%} of the page"
    first = Image.open(pages[0])
    assert first.size[0] > first.size[1], "the blueprint has a landscape page of its own, first"
