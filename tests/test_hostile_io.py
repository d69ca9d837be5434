"""Hostile files: special inputs are refused where they are named; outputs never damage anything.

Inputs that are not regular files (a FIFO with no writer, ``/dev/zero``, a
directory), given as a model, a study, a study's model, a trace or an
overlay, each end in one located line (``FILE:LINE:COL: code: message``)
and exit 2; these run as a separate process under a 2 GB address-space limit
and a generous timeout, so a regression fails instead of hanging the suite or
filling the memory. Outputs — symlinks, devices, FIFOs, ``/dev/stdout``,
files with a mode of their own, two outputs on one file, an output onto any
input — are checked before anything is simulated (a fixture makes any
simulation fail the test) and leave every file, link and device as it was.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from blueprint.cli import main
from tests.conftest import COFFEE_BAR

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs and devices are POSIX files")

TRACED = """\
blueprint: 1
name: Replayed counter
horizon: {open: "09:00", close: "10:00"}
resources: {clerk: {capacity: 1}}
demand:
  trace: TRACE
steps:
  - {id: queue, zone: customer, evidence: [Ticket], duration: 0.2}
  - {id: counter, zone: frontstage, resource: clerk, duration: 2}
"""
TRACE_AT = (6, 10)  # the value of `trace:` above
STUDY = ("study: Counter\nmodel: MODEL\nreplications: 2\nseed: 1\n"
         "scenarios:\n  more: {resources.barista.capacity: 3}\n")
STUDY_MODEL_AT = (2, 8)
NOT_A_FILE = {"fifo": "is a FIFO (named pipe); only regular files are read",
              "zero": "is a character device; only regular files are read",
              "folder": "is a directory; only regular files are read"}
GIGABYTES_2 = 2 * 1024 ** 3


def _limited() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (GIGABYTES_2, GIGABYTES_2))


def run_apart(*args: str | Path, cwd: Path) -> tuple[int, list[str]]:
    """The command in its own process, at most 2 GB of address space: exit status, stderr lines."""
    done = subprocess.run([sys.executable, "-c", "import sys; from blueprint.cli import main; "
                           "sys.exit(main())", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=120, preexec_fn=_limited)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    return done.returncode, done.stderr.splitlines()


@pytest.fixture
def special(tmp_path: Path) -> dict[str, Path]:
    """A FIFO nobody writes to, /dev/zero, and a folder: three inputs that are not files."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    return {"fifo": fifo, "zero": Path("/dev/zero"), "folder": folder}


@pytest.fixture
def no_simulation(monkeypatch):
    """Any replication run fails the test: a refusal must come before the simulation."""
    import blueprint.sim

    def refuse(*_: object) -> None:
        raise AssertionError("simulated before the outputs were checked")

    monkeypatch.setattr(blueprint.sim, "run_replication", refuse)


@pytest.fixture
def coffee(tmp_path: Path) -> Path:
    model = tmp_path / "coffee.yaml"
    model.write_text(COFFEE_BAR)
    return model


@pytest.fixture
def study(tmp_path: Path, coffee: Path) -> Path:
    path = tmp_path / "study.yaml"
    path.write_text(STUDY.replace("MODEL", coffee.name))
    return path


def error_lines(capsys) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    return err.splitlines()


# --- inputs that are not files ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_model_that_is_not_a_file_is_refused_at_its_first_line(kind, special, tmp_path):
    code, lines = run_apart("validate", special[kind], cwd=tmp_path)
    assert code == 2
    assert lines[0] == f"{special[kind]}:1:1: not-a-file: {NOT_A_FILE[kind]}"


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_an_overlay_that_is_not_a_file_is_refused_at_its_first_line(kind, special, coffee, tmp_path):
    code, lines = run_apart("render", coffee, "-o", tmp_path / "out.svg", "--overlay", special[kind],
                            cwd=tmp_path)
    assert (code, lines) == (2, [f"{special[kind]}:1:1: not-a-file: {NOT_A_FILE[kind]}"])
    assert not (tmp_path / "out.svg").exists()


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_trace_that_is_not_a_file_is_refused_where_the_model_names_it(kind, special, tmp_path):
    model = tmp_path / "traced.yaml"
    model.write_text(TRACED.replace("TRACE", str(special[kind])))
    code, lines = run_apart("validate", model, cwd=tmp_path)
    line, column = TRACE_AT
    assert code == 2
    assert lines[0] == (f"{model}:{line}:{column}: not-a-file: cannot read {special[kind]}: "
                        f"{NOT_A_FILE[kind]}")


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_study_that_is_not_a_file_is_refused_at_its_first_line(kind, special, tmp_path):
    code, lines = run_apart("whatif", special[kind], cwd=tmp_path)
    assert (code, lines) == (2, [f"{special[kind]}:1:1: not-a-file: {NOT_A_FILE[kind]}"])


@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_study_whose_model_is_not_a_file_is_refused_at_its_model_line(kind, special, tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text(STUDY.replace("MODEL", str(special[kind])))
    code, lines = run_apart("whatif", path, cwd=tmp_path)
    line, column = STUDY_MODEL_AT
    assert code == 2
    assert lines == [f"{path}:{line}:{column}: not-a-file: the model {special[kind]}: "
                     f"{NOT_A_FILE[kind]}"]


def test_a_trace_past_the_size_limit_is_refused_without_being_read(tmp_path):
    trace = tmp_path / "arrivals.csv"
    with trace.open("wb") as stream:
        stream.write(b"time\n")
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper
    model = tmp_path / "traced.yaml"
    model.write_text(TRACED.replace("TRACE", trace.name))
    code, lines = run_apart("validate", model, cwd=tmp_path)
    line, column = TRACE_AT
    assert code == 1
    assert lines[0] == (f"{model}:{line}:{column}: file-too-large: cannot read {trace}: the file is "
                        "50.0 MiB; an input file is at most 10 MiB")


def test_a_trace_with_a_field_past_the_csv_limit_is_a_trace_error(tmp_path, capsys):
    trace = tmp_path / "arrivals.csv"
    trace.write_text('time\n"' + "9" * 200_000 + '"\n')
    model = tmp_path / "traced.yaml"
    model.write_text(TRACED.replace("TRACE", trace.name))
    assert main(["validate", str(model)]) == 1
    (line, _) = error_lines(capsys)
    assert line.startswith(f"{trace}:2:1: bad-trace: not CSV: ")


@pytest.mark.parametrize(("text", "located"), [
    ("[" * 100_000 + "]" * 100_000, "1:1: bad-overlay: nested too deeply to be a results file"),
    ('{"steps": {"take_order": {"wait": {"mean": ' + "7" * 5000 + "}}}}",
     "1:1: bad-overlay: holds a number of thousands of digits"),
    ('{"steps": {}}\n{"é": 1}'.encode().replace(b"\xc3\xa9", b"\xe9").decode("latin-1"),
     "2:3: bad-overlay: not UTF-8 text"),
], ids=["deep", "long-number", "latin-1"])
def test_a_hostile_overlay_is_refused_in_it(text, located, coffee, tmp_path, capsys):
    overlay = tmp_path / "results.json"
    overlay.write_bytes(text.encode("latin-1"))
    assert main(["render", str(coffee), "-o", str(tmp_path / "out.svg"), "--overlay", str(overlay)]) == 1
    assert error_lines(capsys) == [f"{overlay}:{located}"]


@pytest.mark.filterwarnings("ignore:.*only the steps both share are coloured")  # a partial overlay
def test_an_overlay_with_nan_and_infinity_colours_nothing_from_them(coffee, tmp_path, capsys):
    overlay = tmp_path / "results.json"
    overlay.write_text('{"steps": {"take_order": {"wait": {"mean": NaN, "p90": Infinity}}}, '
                       '"resources": {"barista": {"utilization": 1e999}}}')
    assert main(["render", str(coffee), "-o", str(tmp_path / "out.svg"), "--overlay", str(overlay)]) == 0
    assert (tmp_path / "out.svg").read_text().startswith("<?xml")


# --- outputs ----------------------------------------------------------------------------------


def simulate(model: Path, *options: str | Path) -> int:
    return main(["simulate", str(model), "-n", "2", "-j", "1", *map(str, options)])


def test_a_symlink_output_writes_its_target_and_stays_a_link(coffee, tmp_path, capsys):
    target, link = tmp_path / "real.json", tmp_path / "link.json"
    target.write_text("old\n")
    target.chmod(0o600)
    link.symlink_to(target.name)
    assert simulate(coffee, "--json", link) == 0
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert json.loads(target.read_text())["model"] == "Coffee bar"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coffee.yaml", "link.json", "real.json"]


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o604])
def test_a_rewritten_output_keeps_its_mode(mode, coffee, tmp_path, capsys):
    old = tmp_path / "results.json"
    old.write_text("{}\n")
    old.chmod(mode)
    csv_folder = tmp_path / "runs"
    csv_folder.mkdir()
    (csv_folder / "system.csv").write_text("old\n")
    (csv_folder / "system.csv").chmod(mode)
    assert simulate(coffee, "--json", old, "--csv", csv_folder) == 0
    assert stat.S_IMODE(old.stat().st_mode) == mode
    assert stat.S_IMODE((csv_folder / "system.csv").stat().st_mode) == mode
    assert (csv_folder / "system.csv").read_text().startswith("replication,")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another owner")
def test_a_rewritten_output_keeps_its_owner_as_root(coffee, tmp_path, capsys):
    old = tmp_path / "results.json"
    old.write_text("{}\n")
    os.chown(old, 4321, 8765)
    assert simulate(coffee, "--json", old) == 0
    assert (old.stat().st_uid, old.stat().st_gid) == (4321, 8765)


def _device_twin(path: Path, kind: int, device: int) -> Path:
    try:
        os.mknod(path, kind | 0o666, device)
    except PermissionError:
        pytest.skip("making a device file needs root (and CAP_MKNOD)")
    return path


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device file needs root")
def test_a_device_output_is_written_into_never_replaced(coffee, tmp_path, capsys):
    null = _device_twin(tmp_path / "mynull", stat.S_IFCHR, os.stat("/dev/null").st_rdev)
    assert simulate(coffee, "--json", null) == 0
    assert stat.S_ISCHR(null.stat().st_mode) and null.stat().st_rdev == os.stat("/dev/null").st_rdev
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coffee.yaml", "mynull"]


def test_dev_null_as_an_output_stays_the_system_device(coffee, capsys):
    before = os.stat("/dev/null")
    assert simulate(coffee, "--json", "/dev/null") == 0
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device file needs root")
def test_a_block_device_output_is_refused_before_running(coffee, tmp_path, capsys, no_simulation):
    disk = _device_twin(tmp_path / "mydisk", stat.S_IFBLK, os.makedev(7, 0))
    assert simulate(coffee, "--json", disk) == 2
    assert error_lines(capsys) == [f"blueprint: error: {disk}: is a block device; refusing to write onto it"]


def test_a_fifo_output_is_written_into_for_its_reader(coffee, tmp_path, capsys):
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    try:
        assert simulate(coffee, "--json", fifo) == 0
    finally:
        reader.join(10)  # reading what the command wrote, up to its end
        if reader.is_alive():  # still waiting for a writer: the command never opened it
            with open(fifo, "wb"):
                pass
            reader.join(60)
    assert json.loads(received[0])["model"] == "Coffee bar"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_fifo_output_nobody_reads_is_refused_not_waited_for(coffee, tmp_path, capsys):
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    assert simulate(coffee, "--json", fifo) == 2
    assert error_lines(capsys)[-1] == (f"blueprint: error: {fifo}: a FIFO that no process reads; "
                                       "start the reader first")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("into_file", [False, True], ids=["pipe", "redirected-to-a-file"])
def test_dev_stdout_writes_on_standard_output_in_order(into_file, coffee, tmp_path):
    command = [sys.executable, "-c", "import sys; from blueprint.cli import main; sys.exit(main())",
               "simulate", str(coffee), "-n", "2", "-j", "1", "--json", "/dev/stdout"]
    if into_file:
        with (tmp_path / "out.txt").open("wb") as stream:
            code = subprocess.run(command, stdout=stream, stderr=subprocess.PIPE, timeout=120).returncode
        out = (tmp_path / "out.txt").read_text()
    else:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        code, out = done.returncode, done.stdout
    assert code == 0
    document, tables = out.split("\n}\n", 1)
    assert json.loads(document + "}")["model"] == "Coffee bar"
    assert "System" in tables or "system" in tables


# --- two outputs on one file, and outputs onto inputs -----------------------------------------


def test_two_outputs_on_one_file_are_refused_before_running(study, tmp_path, capsys, no_simulation):
    same = tmp_path / "out.txt"
    link = tmp_path / "link.txt"
    link.symlink_to(same.name)
    cases = [
        (["whatif", str(study), "--json", str(same), "--csv", str(same)], same),
        (["whatif", str(study), "--json", str(same), "--csv", str(link)], link),
        (["whatif", str(study), "--json", str(same), "--csv", f"{tmp_path}/../{tmp_path.name}/out.txt"],
         f"{tmp_path}/../{tmp_path.name}/out.txt"),
    ]
    for argv, shown in cases:
        assert main(argv) == 2
        assert error_lines(capsys) == [f"blueprint: error: --json and --csv both write {shown}: give each "
                                       "output its own file"]
    assert not same.exists()


def test_a_json_file_inside_the_csv_folder_is_refused_before_running(coffee, tmp_path, capsys,
                                                                     no_simulation):
    named = tmp_path / "system.csv"
    assert simulate(coffee, "--json", named, "--csv", f"{named}/..") == 2
    assert error_lines(capsys) == [f"blueprint: error: --json and --csv both write {named}/../system.csv: "
                                   "give each output its own file"]
    assert simulate(coffee, "--json", tmp_path / "out", "--csv", tmp_path / "out") == 2
    assert error_lines(capsys) == [f"blueprint: error: --json and --csv both write {tmp_path / 'out'}: "
                                   "give each output its own file"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["coffee.yaml"]


def _inputs_and_commands(tmp_path: Path) -> list[tuple[list[str], Path, Path]]:
    """(command, output, the input it names) for every kind of input."""
    model = tmp_path / "coffee.yaml"
    study = tmp_path / "study.yaml"
    traced = tmp_path / "traced.yaml"
    traced.write_text(TRACED.replace("TRACE", "arrivals.csv"))
    trace = tmp_path / "arrivals.csv"
    trace.write_text("time\n09:05\n09:20\n")
    overlay = tmp_path / "results.svg"  # a results file named to be a drawing
    overlay.write_text('{"steps": {}}')
    (tmp_path / "model-link.yaml").symlink_to(model.name)
    os.link(model, tmp_path / "model-hard.yaml")
    dotted = tmp_path / "model.dot"  # a model whose name is a drawing's
    dotted.write_text(COFFEE_BAR)
    runs = tmp_path / "runs"
    runs.mkdir()
    (runs / "system.csv").symlink_to(trace)
    cases = [
        (["simulate", str(model), "--json"], model, model),
        (["simulate", str(model), "--json"], tmp_path / "model-link.yaml", model),
        (["simulate", str(model), "--json"], tmp_path / "model-hard.yaml", model),
        (["economics", str(model), "--json"], model, model),
        (["staff", str(model), "-r", "barista", "-t", "80% within 5 min", "--json"], model, model),
        (["report", str(model), "-o"], model, model),
        (["render", str(dotted), "-o"], dotted, dotted),
        (["whatif", str(study), "--json"], study, study),
        (["whatif", str(study), "--csv"], model, model),
        (["report", str(model), "--study", str(study), "-o"], study, study),
        (["simulate", str(traced), "--json"], trace, trace),
        (["simulate", str(traced), "--csv"], runs, trace),
        (["render", str(model), "--overlay", str(overlay), "-o"], overlay, overlay),
    ]
    return [(argv, output, source) for argv, output, source in cases]


def test_an_output_onto_any_input_is_refused_before_running(study, tmp_path, capsys, no_simulation):
    cases = _inputs_and_commands(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    for argv, output, source in cases:
        assert main([*argv, str(output)]) == 2, argv
        (line,) = error_lines(capsys)
        assert line.startswith(f"blueprint: error: {output}") and line.endswith(
            f": refusing to overwrite an input file ({source})"), line
    assert {p: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before
    assert (tmp_path / "model-link.yaml").is_symlink()


def test_an_output_where_a_folder_is_or_none_is_refused_before_running(coffee, tmp_path, capsys,
                                                                      no_simulation):
    (tmp_path / "notes.txt").write_text("mine\n")
    cases = [
        (["--json", str(tmp_path)], f"blueprint: error: {tmp_path}: is a directory"),
        (["--json", str(tmp_path / "no" / "r.json")],
         f"blueprint: error: {tmp_path / 'no'}: no such directory"),
        (["--csv", str(tmp_path / "notes.txt")],
         f"blueprint: error: {tmp_path / 'notes.txt'}: not a directory (--csv names a folder)"),
        (["--json", str(tmp_path / "notes.txt" / "r.json")],
         f"blueprint: error: {tmp_path / 'notes.txt' / 'r.json'}: Not a directory"),
    ]
    for options, message in cases:
        assert simulate(coffee, *options) == 2
        assert error_lines(capsys) == [message]
    assert (tmp_path / "notes.txt").read_text() == "mine\n"


def test_a_csv_folder_is_made_with_its_parents_but_not_where_nothing_can_be_written(
        coffee, tmp_path, capsys):
    assert simulate(coffee, "--csv", tmp_path / "runs" / "today") == 0
    assert sorted(p.name for p in (tmp_path / "runs" / "today").iterdir()) == [
        "resources.csv", "steps.csv", "system.csv"]
    fresh = tmp_path / "fresh"
    assert simulate(coffee, "--csv", fresh, "--json", fresh / "steps.csv") == 2
    assert error_lines(capsys)[-1] == ("blueprint: error: --json and --csv both write "
                                       f"{fresh / 'steps.csv'}: give each output its own file")
    assert not fresh.exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, where no file can be made")
def test_a_folder_where_no_file_can_be_made_is_refused_before_running(coffee, capsys, no_simulation):
    assert simulate(coffee, "--json", "/proc/results.json") == 2
    (line,) = error_lines(capsys)
    assert line.startswith("blueprint: error: /proc: cannot write a file in this folder (")
    assert simulate(coffee, "--csv", "/proc/runs") == 2
    (line,) = error_lines(capsys)
    assert line.startswith("blueprint: error: /proc: cannot make /proc/runs in this folder (")
