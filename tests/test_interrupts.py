"""SIGINT and SIGTERM stop a run on every executor: exit 130, one line, no worker, no file left.

Each case starts a run far longer than the test (thousands of days of the
bank branch) as a real process in a session of its own, waits until it is
simulating — the session has used a few seconds of CPU, so the model is
loaded and the workers are busy —, signals the main process only, and then
checks: exit status 130, ``blueprint: interrupted`` as the last line of
stderr, no traceback, no live process left in the session (a worker still
running would be there), the old output file byte for byte, and no temporary
file beside it. No time is asserted; the timeouts only keep a regression
from hanging the suite.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "bank_branch.yaml"
STUDY = ROOT / "sims" / "bank_lunch_staffing.yaml"
BUSY_CPU_SECONDS = 3.0

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(),
                                reason="reads the processes of a session from /proc (Linux)")

EXECUTORS = {
    "serial": ["-j", "1"],
    "default-pool": [],
    "pool-of-2": ["-j", "2"],
    "dask-local": ["--dask", "local", "-j", "2"],
}


def _session(session: int) -> list[tuple[int, str, float]]:
    """(pid, state, CPU seconds) of every process of a session, zombies included."""
    found = []
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[3]) == session:
            found.append((int(entry), fields[0], (int(fields[11]) + int(fields[12])) / tick))
    return found


def _interrupt(argv: list[str], signum: int, cwd: Path) -> tuple[int, str, list[tuple[int, str, float]]]:
    """Run the command, signal its main process once it is busy; its status, stderr, what is left."""
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from blueprint.cli import main; sys.exit(main())", *argv],
        cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while sum(cpu for _, _, cpu in _session(process.pid)) < BUSY_CPU_SECONDS:
            assert process.poll() is None, f"ended before it was signalled: {process.stderr.read()}"
            assert time.monotonic() < deadline, "never got busy"
            time.sleep(0.05)
        process.send_signal(signum)
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    left = []
    for _ in range(100):  # the session's last processes may take a moment to be reaped
        left = [p for p in _session(process.pid) if p[1] != "Z"]  # a zombie has ended already
        if not left:
            break
        time.sleep(0.05)
    return process.returncode, err, left


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("executor", list(EXECUTORS))
def test_a_signal_stops_a_simulation_and_its_workers(executor, signum, tmp_path):
    if executor == "dask-local":
        pytest.importorskip("distributed")
    output = tmp_path / "results.json"
    output.write_text("the results of yesterday\n")
    argv = ["simulate", str(MODEL), "-n", "3000", "--json", str(output), *EXECUTORS[executor]]
    code, err, left = _interrupt(argv, signum, tmp_path)
    assert code == 130
    assert err.splitlines()[-1] == "blueprint: interrupted"
    assert "Traceback" not in err and "internal error" not in err
    assert left == []
    assert output.read_text() == "the results of yesterday\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json"]


@pytest.mark.parametrize("argv", [
    ["whatif", str(STUDY), "-n", "2000", "-j", "2", "--json", "out.json", "--csv", "out.csv"],
    ["staff", str(MODEL), "-r", "teller", "-t", "80% within 5 min", "-n", "2000", "-j", "2",
     "--json", "out.json"],
    ["report", str(MODEL), "-n", "3000", "-j", "2", "-o", "out.html"],
], ids=["whatif", "staff", "report"])
def test_a_signal_stops_every_command_that_simulates(argv, tmp_path):
    code, err, left = _interrupt(argv, signal.SIGINT, tmp_path)
    assert (code, err.splitlines()[-1], left) == (130, "blueprint: interrupted", [])
    assert list(tmp_path.iterdir()) == []


def test_a_signal_in_a_deferred_block_stops_the_command_when_the_block_is_done():
    from blueprint.interrupts import Interrupted, deferred, stop_on_signals

    finished = []
    handler = signal.getsignal(signal.SIGTERM)
    with stop_on_signals(), pytest.raises(Interrupted) as caught:
        with deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            finished.append("the block")
        finished.append("after it")
    assert finished == ["the block"]
    assert (caught.value.signum, str(caught.value)) == (signal.SIGTERM, "SIGTERM")
    copied = type(caught.value)(*caught.value.args)  # as SimPy passes an exception on
    assert copied.signum == signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is handler  # the command's handler is gone
