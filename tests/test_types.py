"""The package ships `py.typed`, so its annotations are a promise: mypy must find nothing."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_runs_clean_over_the_package():
    from mypy import api

    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "blueprint")])
    assert status == 0, out + err
