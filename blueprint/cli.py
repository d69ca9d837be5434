"""The `blueprint` command: thin, it parses arguments, calls the library, prints.

Exit codes, as ruff and dbt use them: 0 all good; 1 the input has errors (or
``--strict`` warnings); 2 usage, I/O or internal error. Diagnostics are
``FILE:LINE:COL: code: message`` on stderr; results go to stdout.
"""

import contextlib
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from blueprint.api import Blueprint, load
from blueprint.diagnostics import Diagnostic, ModelError
from blueprint.files import Output, OutputError, check_outputs, write_output
from blueprint.interrupts import EXIT_STATUS, Interrupted, stop_on_signals
from blueprint.limits import MAX_CUSTOMERS, MAX_REPLICATIONS, SERIAL_SECONDS

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="blueprint",
    help="Service blueprints: validate, draw and simulate services described in YAML.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class _Terminal:
    """rich's Console, made when a table or a progress bar first needs it: a command that
    prints only lines (validate, lint, render) starts without importing rich."""

    def __init__(self, stderr: bool):
        self._stderr = stderr
        self._console: Any = None

    def console(self) -> Any:
        """The Console itself."""
        if self._console is None:
            from rich.console import Console

            # piped into a file, tables keep their width instead of folding at 80 columns
            width = None if self._stderr or sys.stdout.isatty() else 180
            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True, width=width)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console(), name)


out = _Terminal(stderr=False)
err = _Terminal(stderr=True)


@contextlib.contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr while replications run, if stderr is a terminal; it goes
    when they are done. Elsewhere (a pipe, a log) nothing is shown, and rich is not loaded."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import Progress

    with Progress(console=err.console(), transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _say(line: str) -> None:
    """A line of progress or news on stderr, as written (a path's brackets are not markup)."""
    sys.stderr.write(line + "\n")

IO_CODES = {"file-unreadable", "not-a-file"}


def _show_version(asked: bool) -> None:
    if asked:
        from blueprint.version import VERSION

        sys.stdout.write(f"blueprint {VERSION}\n")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Service blueprints: validate, draw and simulate services described in YAML."""


class OutputFormat(StrEnum):
    concise = "concise"
    json = "json"


def _dask_address(address: str | None) -> str | None:
    """A scheduler address that can be one, checked while the arguments are read."""
    if address is None:
        return None
    from blueprint.analysis.executors import check_address

    try:
        return check_address(address)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


DaskOption = Annotated[str | None, typer.Option(
    "--dask", callback=_dask_address,
    help="Run on a Dask cluster: tcp://scheduler:8786, or `local` for one here.")]


def _executor(address: str | None, jobs: int | None) -> Any:
    """A context giving the executor to use: Dask when asked, else the command's process pool."""

    if address is None:  # one pool of processes for the whole command, started if it is worth it
        from blueprint.sim.workers import Workers

        return Workers(jobs)
    import importlib.util

    from blueprint.analysis.executors import INSTALL_HINT, dask_executor

    if importlib.util.find_spec("distributed") is None:
        raise typer.BadParameter(f"Dask is not installed: {INSTALL_HINT}", param_hint="--dask")
    return dask_executor(address, jobs)


JobsOption = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1,
    help="Processes to simulate with. Default: one per core, or this one alone when the run is "
         f"small (priced at under {SERIAL_SECONDS:g} s of simulation), as starting processes would "
         "cost more.")]


MaxCustomersOption = Annotated[int | None, typer.Option(
    "--max-customers", min=1,
    help=f"Allow this many arrivals in one replication (default {MAX_CUSTOMERS:,}): a run is priced "
         "from the model before it starts and refused past it.")]


FilesArgument = Annotated[list[Path], typer.Argument(help="Model files (YAML).", show_default=False)]
FormatOption = Annotated[
    OutputFormat, typer.Option("--output-format", help="concise: FILE:LINE:COL lines; json.")
]


def _print_diagnostics(diagnostics: Sequence[Diagnostic], stream: Any = None) -> None:
    stream = stream or sys.stderr
    for diagnostic in diagnostics:
        stream.write(f"{diagnostic}\n")


def _load_all(files: Sequence[Path]) -> tuple[list[tuple[Path, Blueprint]], list[Diagnostic]]:
    loaded, problems = [], []
    for path in files:
        try:
            loaded.append((path, load(path)))
        except ModelError as exc:
            problems.extend(exc.diagnostics)
    return loaded, problems


def _load_one(file: Path) -> Blueprint:
    """The model, or its diagnostics printed and the command ended with the right code."""
    loaded, problems = _load_all([file])
    if problems:
        _print_diagnostics(problems)
        raise typer.Exit(_status(problems))
    return loaded[0][1]


def _status(problems: Sequence[Diagnostic]) -> int:
    if any(d.code in IO_CODES for d in problems):
        return 2
    return 1 if problems else 0


def _file(path: Path | None, option: str) -> Output | None:
    return None if path is None else Output(path, option)


def _folder(path: Path | None, option: str) -> Output | None:
    from blueprint.results.simulation import CSV_FILES

    return None if path is None else Output(path, option, CSV_FILES)


@app.command()
def validate(files: FilesArgument, output_format: FormatOption = OutputFormat.concise) -> None:
    """Load and check every file; report every error at once."""
    loaded, problems = _load_all(files)
    if output_format is OutputFormat.json:
        from blueprint.results.info import CheckReport

        _json_out(CheckReport.model_validate({
            "files": [str(f) for f in files], "valid": [str(p) for p, _ in loaded],
            "diagnostics": [d.to_dict() for d in problems]}).to_dict())
    else:
        _print_diagnostics(problems)
        for path, bp in loaded:
            _say(f"ok  {path}  ({len(bp.model.steps)} steps)")
        bad = len(files) - len(loaded)
        _say(f"{len(files)} file{'s' if len(files) != 1 else ''} checked: "
                  f"{len(loaded)} valid, {bad} with errors ({len(problems)} errors)")
    raise typer.Exit(_status(problems))


@app.command("lint")
def lint_command(
    files: FilesArgument,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail (exit 1).")] = False,
    output_format: FormatOption = OutputFormat.concise,
) -> None:
    """Design warnings: missing evidence, fail points without recovery, unused resources..."""
    loaded, problems = _load_all(files)
    warnings = [w for _, bp in loaded for w in bp.lint()]
    if output_format is OutputFormat.json:
        from blueprint.results.info import CheckReport

        _json_out(CheckReport.model_validate({
            "files": [str(f) for f in files],
            "diagnostics": [d.to_dict() for d in [*problems, *warnings]]}).to_dict(),
            exclude=("valid",))
    else:
        _print_diagnostics(problems)
        _print_diagnostics(warnings, sys.stdout)
        _say(f"{len(files)} file{'s' if len(files) != 1 else ''} linted: "
                  f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}, "
                  f"{len(problems)} error{'s' if len(problems) != 1 else ''}")
    status = _status(problems)
    raise typer.Exit(status if status else (1 if strict and warnings else 0))


@app.command()
def info(
    file: Annotated[Path, typer.Argument(help="A model file.", show_default=False)],
    output_format: Annotated[
        str, typer.Option("--output-format", help="text (tables; also: concise) or json.")
    ] = "text",
) -> None:
    """Summary: steps per zone, touchpoints, line crossings, fail points, resources."""
    if output_format not in ("text", "concise", "json"):
        raise typer.BadParameter("use text (or concise) or json", param_hint="--output-format")
    summary = _load_one(file).info()
    if output_format == "json":
        _json_out(summary)
    else:
        from blueprint.console import info_tables

        for item in info_tables(summary):
            out.print(item)
    raise typer.Exit(0)


@app.command()
def render(
    file: Annotated[Path, typer.Argument(help="A model file.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output",
                                         help="OUT.svg, OUT.png, OUT.pdf or OUT.dot.")],
    overlay: Annotated[Path | None, typer.Option(
        "--overlay", help="Simulation results (JSON) whose waits colour the steps.")] = None,
    theme: Annotated[str, typer.Option("--theme", help="colour or print (greyscale).")] = "colour",
    dpi: Annotated[float, typer.Option("--dpi", help="Resolution of PNG output.", min=10,
                                       max=1200)] = 96.0,
) -> None:
    """Draw the service blueprint (swimlanes, lines, F and W marks, evidence)."""
    from blueprint.render import FORMATS, THEMES

    kind = output.suffix.lstrip(".").lower()
    if kind not in FORMATS:
        raise typer.BadParameter(f"use a file ending in {', '.join('.' + f for f in FORMATS)}",
                                 param_hint="-o")
    if theme not in THEMES:
        raise typer.BadParameter(f"use one of {', '.join(THEMES)}", param_hint="--theme")
    bp = _load_one(file)
    check_outputs([Output(output, "-o")], (*bp.inputs, *([overlay] if overlay else [])))
    try:
        written = bp.render(output, theme=theme, overlay=overlay, dpi=dpi)
    except ModelError as exc:
        _print_diagnostics(exc.diagnostics)
        raise typer.Exit(_status(exc.diagnostics)) from None
    _say(f"wrote {written!s}")
    raise typer.Exit(0)


@app.command()
def simulate(
    file: Annotated[Path, typer.Argument(help="A model file.", show_default=False)],
    replications: Annotated[int, typer.Option("--replications", "-n", min=1, max=MAX_REPLICATIONS,
                                              help="Independent days (or runs) to simulate.")] = 10,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Same seed, same numbers.")] = 1,
    jobs: JobsOption = None,
    json_path: Annotated[Path | None, typer.Option(
        "--json", help="Write the results here (layout: docs/results.md).")] = None,
    csv_dir: Annotated[Path | None, typer.Option("--csv", help="Per-replication CSV files here.")] = None,
    dask: DaskOption = None,
    max_customers: MaxCustomersOption = None,
) -> None:
    """Simulate the service: waits, lost customers, utilisation, idle capacity, cost."""
    from blueprint.sim import SimulationLimit
    from blueprint.sim.table import results_tables

    bp = _load_one(file)
    check_outputs([_file(json_path, "--json"), _folder(csv_dir, "--csv")], bp.inputs)
    with _progress(f"simulating {file.name}") as shown:
        try:
            with _executor(dask, jobs) as executor:
                results = bp.simulate(replications=replications, seed=seed, jobs=jobs,
                                      executor=executor, max_customers=max_customers,
                                      progress=shown)
        except SimulationLimit as exc:
            sys.stderr.write(f"{file}: simulation stopped: {exc}\n")
            raise typer.Exit(1) from None
    for warning in results.warnings:
        sys.stderr.write(f"blueprint: warning: {warning}\n")
    # the files first: a reader that stops early (`| head`) must not cost the results
    if json_path is not None:
        results.write_json(json_path, protect=bp.inputs)
        _say(f"wrote {json_path}")
    if csv_dir is not None:
        for path in results.write_csv(csv_dir, protect=bp.inputs):
            _say(f"wrote {path}")
    for table in results_tables(results, bp.model):
        out.print(table)
    raise typer.Exit(0)


@app.command()
def whatif(
    study_file: Annotated[Path, typer.Argument(help="A study file (YAML).", show_default=False)],
    replications: Annotated[int | None, typer.Option("--replications", "-n", min=1, max=MAX_REPLICATIONS,
                                                     help="Override the study's replications.")] = None,
    jobs: JobsOption = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the study results here.")] = None,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="A row per scenario here.")] = None,
    require: Annotated[list[str] | None, typer.Option(
        "--require", help="Exit 1 if any scenario misses this target (repeatable).")] = None,
    dask: DaskOption = None,
    max_customers: MaxCustomersOption = None,
) -> None:
    """Scenarios and sweeps, compared with the baseline on common random numbers."""
    from blueprint.analysis.study import load_study, run_study
    from blueprint.analysis.study_table import study_csv, study_tables
    from blueprint.loader import input_files
    from blueprint.sim import SimulationLimit

    try:
        study = load_study(study_file)
    except ModelError as exc:
        _print_diagnostics(exc.diagnostics)
        raise typer.Exit(_status(exc.diagnostics)) from None
    inputs = (*study.inputs, *input_files(*(s.loaded for s in study.scenarios)))
    check_outputs([_file(json_path, "--json"), _file(csv_path, "--csv")], inputs)
    unknown = [t for t in require or [] if t not in study.spec.targets.given()]
    if unknown:
        raise typer.BadParameter(f"{', '.join(unknown)}: not a target of this study "
                                 f"({', '.join(study.spec.targets.given()) or 'it has none'})",
                                 param_hint="--require")
    with _progress(f"{len(study.scenarios)} scenarios") as shown:
        try:
            with _executor(dask, jobs) as executor:
                results = run_study(study, replications=replications, jobs=jobs, executor=executor,
                                    max_customers=max_customers, progress=shown)
        except SimulationLimit as exc:
            sys.stderr.write(f"{study_file}: simulation stopped: {exc}\n")
            raise typer.Exit(1) from None
    usage = study.spec.targets.utilization
    for table in study_tables(results, usage.resource if usage else None, width=out.width):
        out.print(table)
    if json_path is not None:
        write_output(json_path, results.to_json(), protect=inputs)
        _say(f"wrote {json_path}")
    if csv_path is not None:
        write_output(csv_path, study_csv(results), protect=inputs)
        _say(f"wrote {csv_path}")
    missed = [(name, t) for name, e in results.scenarios.items() for t in require or []
              if not e.targets.get(t)]
    for name, target in missed:
        sys.stderr.write(f"{study_file}: target {target} missed by scenario {name}\n")
    raise typer.Exit(1 if missed else 0)


@app.command()
def economics(
    file: Annotated[Path, typer.Argument(help="A model file.", show_default=False)],
    replications: Annotated[int, typer.Option("--replications", "-n", min=1, max=MAX_REPLICATIONS)] = 10,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 1,
    jobs: JobsOption = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the figures here.")] = None,
    max_customers: MaxCustomersOption = None,
) -> None:
    """Money: staff cost, revenue lost, perished capacity, and what a one-minute slip costs."""
    from blueprint.analysis.economics import economics as money_of
    from blueprint.console import economics_tables

    bp = _load_one(file)
    check_outputs([_file(json_path, "--json")], bp.inputs)
    simulated = bp.simulate(replications=replications, seed=seed, jobs=jobs,
                            max_customers=max_customers)
    for warning in simulated.warnings:
        sys.stderr.write(f"blueprint: warning: {warning}\n")
    document = money_of(bp.model, bp.graph, simulated)
    for item in economics_tables(document):
        out.print(item)
    if json_path is not None:
        write_output(json_path, document.to_json(), protect=bp.inputs)
        _say(f"wrote {json_path}")
    raise typer.Exit(0)


@app.command()
def report(
    file: Annotated[Path, typer.Argument(help="A model file.", show_default=False)],
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")],
    study_file: Annotated[Path | None, typer.Option(
        "--study", help="Add the scenarios of this study of the model; then every figure comes "
                        "from the study's runs.")] = None,
    replications: Annotated[int | None, typer.Option(
        "--replications", "-n", min=1, max=MAX_REPLICATIONS, help="Default 20, or the study's.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="Default 1, or the study's.")] = None,
    jobs: JobsOption = None,
    dask: DaskOption = None,
    max_customers: MaxCustomersOption = None,
) -> None:
    """One self-contained HTML page: the blueprint with its waits, charts, tables, scenarios."""
    from blueprint.report import report_file

    bp = _load_one(file)
    # with a study, report_file checks again, with the study's own inputs too
    check_outputs([Output(output, "-o")], (*bp.inputs, *([study_file] if study_file else [])))
    what = f"the study {study_file}" if study_file else f"{replications or 20} replications of {file}"
    _say(f"simulating {what}")
    try:
        with _executor(dask, jobs) as executor:
            written = report_file(bp, output, study_file=study_file, replications=replications,
                                  max_customers=max_customers,
                                  seed=seed, jobs=jobs, executor=executor)
    except ModelError as exc:
        _print_diagnostics(exc.diagnostics)
        raise typer.Exit(_status(exc.diagnostics)) from None
    _say(f"wrote {written}")
    raise typer.Exit(0)


def _share(text: str) -> float:
    value = float(text.rstrip("% ")) / (100 if text.strip().endswith("%") or float(text.rstrip("% ")) > 1
                                       else 1)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


@app.command()
def staff(
    file: Annotated[Path, typer.Argument(help="A model file.", show_default=False)],
    resource: Annotated[str, typer.Option("--resource", "-r", help="The resource to staff.")],
    target: Annotated[str, typer.Option("--target", "-t", help='e.g. "80% within 5 min".')],
    max_abandonment: Annotated[str | None, typer.Option(
        "--max-abandonment", help="e.g. 5%: also keep lost customers under this, hour by hour.")] = None,
    replications: Annotated[int, typer.Option(
        "--replications", "-n", min=1, max=MAX_REPLICATIONS,
        help="Days simulated per round to check the schedule.")] = 10,
    max_replications: Annotated[int | None, typer.Option(
        "--max-replications", min=1,
        help="Where an hour is too close to call, add days up to this many "
             "(default: 8 times --replications, at least 80).")] = None,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 1,
    jobs: JobsOption = None,
    json_path: Annotated[Path | None, typer.Option("--json", help="Write the recommendation here.")] = None,
    dask: DaskOption = None,
    max_customers: MaxCustomersOption = None,
) -> None:
    """Staff per hour to meet a service level: Erlang first, then checked by simulating the day."""
    from blueprint.analysis.staffing import parse_target, recommend_staff
    from blueprint.console import staffing_tables
    from blueprint.sim.budget import BudgetExceeded

    bp = _load_one(file)
    check_outputs([_file(json_path, "--json")], bp.inputs)
    if resource not in bp.model.resources:
        raise typer.BadParameter(f"{resource!r} is not a resource of {file} "
                                 f"({', '.join(bp.model.resources)})", param_hint="--resource")
    try:
        ceiling = _share(max_abandonment) if max_abandonment is not None else None
    except ValueError:
        raise typer.BadParameter("write a share such as 5% or 0.05",
                                 param_hint="--max-abandonment") from None
    try:
        goal = parse_target(target, bp.model.time_unit)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--target") from None
    try:
        with _executor(dask, jobs) as executor:
            result = recommend_staff(bp.model, bp.graph, resource, goal, max_abandonment=ceiling,
                                     max_customers=max_customers,
                                     replications=replications, max_replications=max_replications,
                                     seed=seed, jobs=jobs, executor=executor)
    except BudgetExceeded as exc:  # priced past the limits: located in the model
        raise ModelError(bp.source.diagnostics(exc.findings)) from None
    except ValueError as exc:  # the model cannot be staffed this way (no day, no such step)
        sys.stderr.write(f"{file}: cannot staff {resource}: {exc}\n")
        raise typer.Exit(1) from None
    for item in staffing_tables(result):
        out.print(item)
    for note in result.notes:
        _say(f"note: {note}")
    out.print(f"\npaste under resources.{resource} in {file}:\n{result.yaml_block()}")
    if json_path is not None:
        write_output(json_path, result.to_json(), protect=bp.inputs)
        _say(f"wrote {json_path}")
    raise typer.Exit(0 if result.target_met_every_hour else 1)


@app.command()
def schema(
    kind: Annotated[str, typer.Argument(
        help="model (default), study, results, study-results, staffing, economics, info, check.",
        show_default=False)] = "model",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """The JSON Schema of a file format: the model (for editors) or what a command writes."""
    from blueprint.schemas import FORMATS, schema_text

    if kind not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="KIND")
    text = schema_text(kind)
    if output is None:
        sys.stdout.write(text)
    else:
        write_output(output, text)
        _say(f"wrote {output}")
    raise typer.Exit(0)


def _json_out(data: dict[str, Any], exclude: tuple[str, ...] = ()) -> None:
    shown = {k: v for k, v in data.items() if k not in exclude}
    sys.stdout.write(json.dumps(shown, indent=2, ensure_ascii=False) + "\n")


def _one_line_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> str:
    return f"blueprint: warning: {message}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code, never a traceback.

    A usage error is one line on stderr (exit 2); SIGINT or SIGTERM stops the
    command with ``blueprint: interrupted`` (exit 130), its workers ended.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    warnings.formatwarning = _one_line_warning
    try:
        with stop_on_signals():
            code = app(args=arguments, prog_name="blueprint", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except Interrupted:
        sys.stderr.write("blueprint: interrupted\n")
        return EXIT_STATUS
    except typer.Abort:
        sys.stderr.write("blueprint: aborted\n")
        return 1
    except ModelError as exc:  # bad input found past loading (a run's budget, a study's scenario)
        _print_diagnostics(exc.diagnostics)
        return _status(exc.diagnostics)
    except SystemExit as done:  # a command's own way out
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    except (OutputError, OSError) as exc:
        sys.stderr.write(f"blueprint: error: {_one_line(str(exc))}\n")
        return 2
    except Exception as exc:
        if _is_usage_error(exc):
            return _usage_line(exc)
        if os.environ.get("BLUEPRINT_DEBUG"):  # an internal error must still not dump a traceback
            raise
        sys.stderr.write(f"blueprint: internal error: {type(exc).__name__}: {exc}\n"
                         "  (set BLUEPRINT_DEBUG=1 for the traceback, and please report it)\n")
        return 2


def run() -> None:
    """The `blueprint` command: :func:`main`, then out at once.

    Once the output is flushed and the pool ended, nothing is left to do, yet
    an interpreter takes tens of milliseconds to take its modules apart on the
    way out (pydantic, numpy, rich...): a quick command pays that on every
    run. So the command ends the process directly, with main's exit status.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that stopped early, or a closed stream
            code = code or 1
    os._exit(code)


def _is_usage_error(exc: Exception) -> bool:
    """A usage error of the command-line parser (typer.BadParameter and its kin)."""
    return isinstance(exc, typer.BadParameter) or (
        isinstance(getattr(exc, "exit_code", None), int) and callable(getattr(exc, "format_message", None)))


def _usage_line(exc: Any) -> int:
    """A usage error in one line, naming the command's help; its exit status."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # the help itself, shown already
        return 2
    context = getattr(exc, "ctx", None)
    path = getattr(context, "command_path", None)
    where = f" (see '{path} --help')" if path else ""
    sys.stderr.write(f"blueprint: error: {_one_line(exc.format_message())}{where}\n")
    code: int = exc.exit_code
    return code


def _one_line(text: str) -> str:
    return " ".join(text.split())
