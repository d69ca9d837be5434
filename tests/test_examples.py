"""The example models and studies are believable: the first thing users read must hold up."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import blueprint
from blueprint.analysis.headlines import headlines
from blueprint.analysis.study import load_study, run_study
from blueprint.model import Lognormal

ROOT = Path(__file__).resolve().parent.parent
STUDIES = sorted((ROOT / "sims").glob("*.yaml"))


def test_bank_customers_who_have_waited_a_little_rarely_leave_in_seconds():
    bank = blueprint.load(ROOT / "models" / "bank_branch.yaml")
    patience = bank.model.demand.patience
    assert isinstance(patience, Lognormal)
    # lognormal: P(T < t) = Phi((ln t - mu) / sigma), sigma^2 = ln(1 + sd^2/mean^2), mu = ln mean - sigma^2/2
    sigma = math.sqrt(math.log(1 + (patience.sd / patience.mean) ** 2))
    mu = math.log(patience.mean) - sigma**2 / 2

    def leaves_within(minutes: float) -> float:
        return 0.5 * (1 + math.erf((math.log(minutes) - mu) / (sigma * math.sqrt(2))))

    assert leaves_within(2) < 0.001 and leaves_within(5) < 0.05
    assert 0.4 < leaves_within(patience.mean) < 0.6


@pytest.mark.parametrize("path", STUDIES, ids=lambda p: p.stem)
def test_every_example_study_has_a_scenario_that_meets_its_targets_and_the_summary_names_it(path):
    study = load_study(path)
    results = run_study(study, jobs=None)
    meeting = [name for name, entry in results.scenarios.items()
               if entry.targets and all(entry.targets.values())]
    assert meeting, f"no scenario of {path.name} meets every target"
    baseline = results.scenarios["baseline"].results
    (said,) = [h.text for h in headlines(study.baseline.loaded.model, baseline, results)
               if h.topic == "scenario"]
    assert any(f", {name} meets every target at the least cost" in said for name in meeting), said
