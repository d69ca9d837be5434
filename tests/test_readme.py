"""The README's tutorial does what the README says it does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import blueprint
from blueprint.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _block_after(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```yaml\n(.*?)```", README, re.S)
    assert match, marker
    return match.group(1)


@pytest.fixture
def coffee(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "coffee.yaml"
    path.write_text(_block_after("tutorial:valid"), encoding="utf-8")
    return path


def test_tutorial_model_validates_and_lints_clean(coffee, capsys):
    assert main(["validate", "coffee.yaml"]) == 0
    assert "ok  coffee.yaml  (5 steps)" in capsys.readouterr().err
    assert main(["lint", "--strict", "coffee.yaml"]) == 0


def test_tutorial_misspelling_gives_the_error_shown(coffee, capsys):
    text = coffee.read_text()
    coffee.write_text(text.replace("    duration: {dist: triangular", "    duraton: {dist: triangular"))
    assert main(["validate", "coffee.yaml"]) == 1
    shown = "coffee.yaml:24:5: unknown-key: unknown key 'duraton' (did you mean 'duration'?)"
    assert shown in README
    assert shown in capsys.readouterr().err


def test_tutorial_bad_reference_gives_the_error_shown(coffee, capsys):
    text = coffee.read_text()
    coffee.write_text(text.replace("        recovery: Remake it at once and apologise\n",
                                   "        recovery: Remake it at once and apologise\n"
                                   "    next: pikcup\n"))
    assert main(["validate", "coffee.yaml"]) == 1
    shown = "coffee.yaml:42:11: unknown-step: 'pikcup' is not a step (did you mean 'pickup'?)"
    assert shown in README
    assert shown in capsys.readouterr().err


def test_tutorial_python_results_match_the_comments(coffee):
    bp = blueprint.load("coffee.yaml")
    assert bp.touchpoints() == ["order", "take_order", "brew", "pickup"]
    assert bp.line_crossings()["internal"] == [("take_order", "record_sale"), ("record_sale", "brew")]
    assert bp.info()["expected_arrivals"] == 157.5
    assert bp.model.step("brew").duration.mean == 2.0
    assert bp.lint() == []


def _python_block_with(text: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    found = [b for b in blocks if text in b]
    assert len(found) == 1, text
    return found[0]


@pytest.fixture
def examples(tmp_path, monkeypatch):
    """A folder where the README's paths (models/, sims/) work and outputs land safely."""
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "models").symlink_to(root / "models")
    (tmp_path / "sims").symlink_to(root / "sims")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_simulation_snippet_runs(examples):
    namespace: dict = {"blueprint": blueprint}
    exec(_python_block_with("results = blueprint.load"), namespace)
    results = namespace["results"]
    assert results.replications == 20 and results.system.profit.mean > 0


def test_readme_study_staffing_and_report_snippet_runs(examples, capsys):
    namespace: dict = {"blueprint": blueprint}
    exec(_python_block_with("bank = blueprint.load"), namespace)
    assert "schedule:" in capsys.readouterr().out
    assert (examples / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
