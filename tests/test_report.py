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
    assert "<script" not in html and "<link" not in html


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
    assert html.startswith("<!DOCTYPE html>") and "Scenario comparison" not in html
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
