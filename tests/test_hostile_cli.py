"""Hostile command lines: every usage error is one line on stderr and exit 2, never a traceback."""

from __future__ import annotations

import pytest

from blueprint.cli import main
from tests.conftest import COFFEE_BAR

SCHEDULER_HINT = ("is not a scheduler address: give tcp://HOST:PORT (or tls://, ws://, wss://, "
                  "ucx://HOST:PORT), or `local`")


@pytest.fixture
def coffee(tmp_path):
    model = tmp_path / "coffee.yaml"
    model.write_text(COFFEE_BAR)
    return model


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    (line,) = err.splitlines()
    return line


@pytest.mark.parametrize("address", ["not a url", "tcp://scheduler", "http://scheduler:8786", "", "tcp://:8786"])
@pytest.mark.parametrize("command", ["simulate", "report", "staff"])
def test_a_dask_address_that_is_none_is_a_one_line_usage_error(command, address, coffee, tmp_path, capsys):
    extra = {"simulate": [], "report": ["-o", str(tmp_path / "r.html")],
             "staff": ["-r", "barista", "-t", "80% within 5 min"]}[command]
    assert main([command, str(coffee), *extra, "--dask", address]) == 2
    assert one_line(capsys) == (f"blueprint: error: Invalid value for '--dask': {address!r} {SCHEDULER_HINT} "
                                f"(see 'blueprint {command} --help')")
    assert not (tmp_path / "r.html").exists()


def test_a_dask_port_out_of_range_is_a_usage_error(coffee, capsys):
    assert main(["simulate", str(coffee), "--dask", "tcp://scheduler:70000"]) == 2
    assert one_line(capsys) == ("blueprint: error: Invalid value for '--dask': 'tcp://scheduler:70000': the "
                                "port is a number from 1 to 65535 (see 'blueprint simulate --help')")


def test_a_scheduler_that_does_not_answer_is_a_one_line_io_error(coffee, capsys, monkeypatch):
    pytest.importorskip("distributed")
    import blueprint.analysis.executors as executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1)
    assert main(["simulate", str(coffee), "-n", "2", "--dask", "tcp://127.0.0.1:1"]) == 2
    assert one_line(capsys).startswith(
        "blueprint: error: --dask tcp://127.0.0.1:1: cannot reach the scheduler (")


@pytest.mark.parametrize("argv", [
    ["simulate"],
    ["simulate", "MODEL", "-n", "0"],
    ["simulate", "MODEL", "-n", "many"],
    ["simulate", "MODEL", "--seed", "-1"],
    ["render", "MODEL", "-o", "x.svg", "--dpi", "0"],
    ["render", "MODEL", "-o", "x.txt"],
    ["render", "MODEL", "-o", "x.svg", "--theme", "neon"],
    ["validate", "--no-such-option", "MODEL"],
    ["frobnicate"],
    ["staff", "MODEL", "-r", "nobody", "-t", "80% within 5 min"],
    ["staff", "MODEL", "-r", "barista", "-t", "soon"],
    ["staff", "MODEL", "-r", "barista", "-t", "80% within 5 min", "--max-abandonment", "lots"],
    ["schema", "nothing"],
    ["info", "MODEL", "--output-format", "xml"],
], ids=lambda argv: " ".join(argv))
def test_every_usage_error_is_one_line_and_exit_2(argv, coffee, capsys):
    assert main([str(coffee) if a == "MODEL" else a for a in argv]) == 2
    line = one_line(capsys)
    assert line.startswith("blueprint: error: ") and line.endswith("--help')")
