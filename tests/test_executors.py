"""Replications on any executor: a process pool or a Dask cluster give the same bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blueprint.analysis.study import load_study, run_study
from blueprint.cli import main

ROOT = Path(__file__).resolve().parent.parent
pytest.importorskip("distributed")


def test_a_study_on_a_local_dask_cluster_matches_the_process_pool():
    from blueprint.analysis.executors import dask_executor

    study = load_study(ROOT / "sims" / "bank_lunch_staffing.yaml")
    pool = run_study(study, replications=3, jobs=2).to_dict()
    with dask_executor("local", workers=2) as executor:
        cluster = run_study(study, replications=3, executor=executor).to_dict()
    assert json.dumps(cluster, sort_keys=True) == json.dumps(pool, sort_keys=True)


def test_simulate_command_on_dask_writes_the_same_json(tmp_path, capsys):
    model = str(ROOT / "models" / "call_centre.yaml")
    on_dask, on_pool = tmp_path / "dask.json", tmp_path / "pool.json"
    assert main(["simulate", model, "-n", "3", "--dask", "local", "-j", "2", "--json", str(on_dask)]) == 0
    assert main(["simulate", model, "-n", "3", "-j", "2", "--json", str(on_pool)]) == 0
    assert on_dask.read_bytes() == on_pool.read_bytes()
