"""The locks `make demo` and `make test` install from agree with pyproject.toml.

pip checks hashes and pins when it installs a lock, but not that the lock still
matches the ranges in pyproject.toml: a dependency added there and not locked
would only show up on someone else's fresh machine. `make lock` fixes any
failure here.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(lock: str) -> dict[str, list[tuple[str, int]]]:
    """Package -> [(version, number of hashes)], one entry per marker variant."""
    found: dict[str, list[tuple[str, int]]] = {}
    current: list[tuple[str, int]] | None = None
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = found.setdefault(canonicalize_name(match[1]), [])
            current.append((match[2], 0))
        elif "--hash=sha256:" in line and current:
            version, hashes = current[-1]
            current[-1] = (version, hashes + 1)
    return found


def direct(extra: str | None) -> list[Requirement]:
    wanted = PYPROJECT["project"]["dependencies"] + PYPROJECT["build-system"]["requires"]
    if extra:
        wanted = wanted + PYPROJECT["project"]["optional-dependencies"][extra]
    return [Requirement(text) for text in wanted]


@pytest.mark.parametrize(("lock", "extra"), [("run.lock", None), ("dev.lock", "dev")])
def test_every_dependency_is_locked_inside_its_range(lock, extra):
    locked = pins(lock)
    for requirement in direct(extra):
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {lock}: run `make lock`"
        for version, _ in locked[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock} pins {name}=={version}, outside {requirement}: run `make lock`")


@pytest.mark.parametrize("lock", ["run.lock", "dev.lock"])
def test_every_pin_carries_hashes(lock):
    locked = pins(lock)
    assert locked
    assert all(hashes > 0 for variants in locked.values() for _, hashes in variants)


def test_the_runtime_lock_is_the_dev_lock_without_the_dev_tools():
    run, dev = pins("run.lock"), pins("dev.lock")
    assert {name: run[name] for name in run} == {name: dev[name] for name in run}


def test_pip_and_the_build_backend_are_locked_for_an_install_without_build_isolation():
    for lock in ("run.lock", "dev.lock"):
        assert {"pip", "setuptools", "wheel"} <= set(pins(lock)), lock
