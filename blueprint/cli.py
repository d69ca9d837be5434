"""The `blueprint` command: thin, it parses arguments, calls the library, prints.

Exit codes, as ruff and dbt use them: 0 all good; 1 the input has errors (or
``--strict`` warnings); 2 usage, I/O or internal error. Diagnostics are
``FILE:LINE:COL: code: message`` on stderr; results go to stdout.

The arguments are read with the standard library's ``argparse``: a quick
command (``validate`` of one file) starts in about 1.4 times the time Python
takes to import pydantic, PyYAML and networkx, and a command-line framework
would add a tenth to that.
"""

import argparse
import contextlib
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from blueprint.api import Blueprint, load
from blueprint.diagnostics import Diagnostic, ModelError
from blueprint.files import Output, OutputError, check_outputs, write_output
from blueprint.interrupts import EXIT_STATUS, Interrupted, stop_on_signals
from blueprint.limits import MAX_CUSTOMERS, MAX_REPLICATIONS, SERIAL_SECONDS

__all__ = ["UsageError", "main", "parser", "run"]


class UsageError(Exception):
    """A command line that cannot be run: one line on stderr naming the command's help, exit 2."""

    def __init__(self, message: str, command: str = "blueprint"):
        super().__init__(message)
        self.command = command


def _bad(option: str, message: str, command: str = "blueprint") -> UsageError:
    """An option's value that cannot be used, said as the rest of the command line says it."""
    return UsageError(f"Invalid value for '{option}': {message}", command)


class _Terminal:
    """rich's Console, made when a table or a progress bar first needs it: a command that
    prints only lines (validate, lint, render) starts without importing rich."""

    def __init__(self, stderr: bool):
        self._stderr = stderr
        self._console: Any = None

    def console(self) -> Any:
        """The Console itself, as wide as the terminal (see :func:`blueprint.console.output_width`)."""
        if self._console is None:
            from rich.console import Console

            from blueprint.console import output_width

            stream = sys.stderr if self._stderr else sys.stdout
            self._console = Console(stderr=self._stderr, highlight=False,
                                    width=output_width(os.environ, stream.isatty()))
        return self._console

    def reset(self) -> None:
        """Measure again at the next table (each run of :func:`main` reads COLUMNS afresh)."""
        self._console = None

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


def _executor(address: str | None, jobs: int | None, command: str) -> Any:
    """A context giving the executor to use: Dask when asked, else the command's process pool."""
    if address is None:  # one pool of processes for the whole command, started if it is worth it
        from blueprint.sim.workers import Workers

        return Workers(jobs)
    import importlib.util

    from blueprint.analysis.executors import INSTALL_HINT, dask_executor

    if importlib.util.find_spec("distributed") is None:
        raise _bad("--dask", f"Dask is not installed: {INSTALL_HINT}", command)
    return dask_executor(address, jobs)


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
        raise SystemExit(_status(problems))
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


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _emit(text: str) -> None:
    """A document (JSON, CSV) on stdout, as it is: no wrapping, no markup."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _show(items: Sequence[Any]) -> None:
    """Tables and lines of prose on stdout, laid out for its width; piped, without the
    spaces rich pads lines with."""
    if out.is_terminal:
        for item in items:
            out.print(item)
        return
    with out.capture() as captured:
        for item in items:
            out.print(item)
    sys.stdout.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def _diagnostics_csv(diagnostics: Sequence[Diagnostic]) -> None:
    """Diagnostics as CSV on stdout: file,line,column,code,severity,message."""
    from blueprint.files import csv_text

    columns = ("file", "line", "column", "code", "severity", "message")
    _emit(csv_text(columns, [[d.to_dict()[c] for c in columns] for d in diagnostics]))


# --- the commands: each takes the parsed arguments and returns the exit status ---------------


def validate(args: argparse.Namespace) -> int:
    """Load and check every file; report every error at once."""
    files: list[Path] = args.files
    loaded, problems = _load_all(files)
    if args.output_format == "json":
        from blueprint.results.info import CheckReport

        _json_out(CheckReport.model_validate({
            "files": [str(f) for f in files], "valid": [str(p) for p, _ in loaded],
            "diagnostics": [d.to_dict() for d in problems]}).to_dict())
    elif args.output_format == "csv":
        _diagnostics_csv(problems)
    else:
        _print_diagnostics(problems)
        for path, bp in loaded:
            _say(f"ok  {path}  ({_plural(len(bp.model.steps), 'step')})")
        bad = len(files) - len(loaded)
        _say(f"{_plural(len(files), 'file')} checked: {len(loaded)} valid, {bad} with errors "
             f"({_plural(len(problems), 'error')})")
    return _status(problems)


def lint(args: argparse.Namespace) -> int:
    """Design warnings: missing evidence, fail points without recovery, unused resources..."""
    files: list[Path] = args.files
    loaded, problems = _load_all(files)
    found = [w for _, bp in loaded for w in bp.lint()]
    if args.output_format == "json":
        from blueprint.results.info import CheckReport

        _json_out(CheckReport.model_validate({
            "files": [str(f) for f in files],
            "diagnostics": [d.to_dict() for d in [*problems, *found]]}).to_dict(),
            exclude=("valid",))
    elif args.output_format == "csv":
        _diagnostics_csv([*problems, *found])
    else:
        _print_diagnostics(problems)
        _print_diagnostics(found, sys.stdout)
        _say(f"{_plural(len(files), 'file')} linted: {_plural(len(found), 'warning')}, "
             f"{_plural(len(problems), 'error')}")
    status = _status(problems)
    return status if status else (1 if args.strict and found else 0)


def info(args: argparse.Namespace) -> int:
    """Summary: steps per zone, touchpoints, line crossings, fail points, resources."""
    bp = _load_one(args.file)
    summary = bp.info()
    if args.output_format == "json":
        _json_out(summary)
    elif args.output_format == "csv":
        from blueprint.console import info_csv

        _emit(info_csv(summary))
    else:
        from blueprint.console import info_tables

        _show(info_tables(summary, currency=bp.model.currency))
    return 0


def render(args: argparse.Namespace) -> int:
    """Draw the service blueprint (swimlanes, lines, F and W marks, evidence)."""
    from blueprint.render import FORMATS, PAGES, THEMES

    output: Path = args.output
    kind = output.suffix.lstrip(".").lower()
    if kind not in FORMATS:
        raise _bad("-o", f"use a file ending in {', '.join('.' + f for f in FORMATS)}", args.prog)
    if args.theme not in THEMES:
        raise _bad("--theme", f"use one of {', '.join(THEMES)}", args.prog)
    if args.width is not None and args.wrap is not None:
        raise _bad("--wrap", "give --width (points) or --wrap (letters a line), not both", args.prog)
    if args.page is not None and args.page not in PAGES:
        raise _bad("--page", f"use one of {', '.join(PAGES)}", args.prog)
    if args.page is not None and kind != "pdf":
        raise _bad("--page", "a page is for PDF output: write OUT.pdf", args.prog)
    bp = _load_one(args.file)
    check_outputs([Output(output, "-o")], (*bp.inputs, *([args.overlay] if args.overlay else [])))
    try:
        written = bp.render(output, theme=args.theme, overlay=args.overlay, dpi=args.dpi,
                            width=args.width, wrap=args.wrap, page=args.page)
    except ModelError as exc:
        _print_diagnostics(exc.diagnostics)
        return _status(exc.diagnostics)
    _say(f"wrote {written!s}")
    return 0


def simulate(args: argparse.Namespace) -> int:
    """Simulate the service: waits, lost customers, utilisation, idle capacity, cost."""
    from blueprint.sim import SimulationLimit
    from blueprint.sim.table import results_csv, results_tables

    file: Path = args.file
    bp = _load_one(file)
    check_outputs([_file(args.json, "--json"), _folder(args.csv, "--csv")], bp.inputs)
    with _progress(f"simulating {file.name}") as shown:
        try:
            with _executor(args.dask, args.jobs, args.prog) as executor:
                results = bp.simulate(replications=args.replications, seed=args.seed, jobs=args.jobs,
                                      executor=executor, max_customers=args.max_customers,
                                      progress=shown)
        except SimulationLimit as exc:
            sys.stderr.write(f"{file}: simulation stopped: {exc}\n")
            return 1
    for warning in results.warnings:
        sys.stderr.write(f"blueprint: warning: {warning}\n")
    # the files first: a reader that stops early (`| head`) must not cost the results
    if args.json is not None:
        results.write_json(args.json, protect=bp.inputs)
        _say(f"wrote {args.json}")
    if args.csv is not None:
        for path in results.write_csv(args.csv, protect=bp.inputs):
            _say(f"wrote {path}")
    if args.output_format == "json":
        _emit(results.to_json())
    elif args.output_format == "csv":
        _emit(results_csv(results, bp.model))
    else:
        _show(results_tables(results, bp.model, width=out.width))
    return 0


def whatif(args: argparse.Namespace) -> int:
    """Scenarios and sweeps, compared with the baseline on common random numbers."""
    from blueprint.analysis.study import load_study, run_study
    from blueprint.analysis.study_table import study_csv, study_tables
    from blueprint.loader import input_files
    from blueprint.sim import SimulationLimit

    study_file: Path = args.study
    try:
        study = load_study(study_file)
    except ModelError as exc:
        _print_diagnostics(exc.diagnostics)
        return _status(exc.diagnostics)
    inputs = (*study.inputs, *input_files(*(s.loaded for s in study.scenarios)))
    check_outputs([_file(args.json, "--json"), _file(args.csv, "--csv")], inputs)
    required: list[str] = args.require or []
    unknown = [t for t in required if t not in study.spec.targets.given()]
    if unknown:
        raise _bad("--require", f"{', '.join(unknown)}: not a target of this study "
                                f"({', '.join(study.spec.targets.given()) or 'it has none'})", args.prog)
    with _progress(_plural(len(study.scenarios), "scenario")) as shown:
        try:
            with _executor(args.dask, args.jobs, args.prog) as executor:
                results = run_study(study, replications=args.replications, jobs=args.jobs,
                                    executor=executor, max_customers=args.max_customers, progress=shown)
        except SimulationLimit as exc:
            sys.stderr.write(f"{study_file}: simulation stopped: {exc}\n")
            return 1
    usage = study.spec.targets.utilization
    for note in results.notes():  # scenarios that were the same model, run once
        _say(f"note: {note}")
    if args.output_format == "json":
        _emit(results.to_json())
    elif args.output_format == "csv":
        _emit(study_csv(results))
    else:
        _show(study_tables(results, usage.resource if usage else None, width=out.width))
    if args.json is not None:
        write_output(args.json, results.to_json(), protect=inputs)
        _say(f"wrote {args.json}")
    if args.csv is not None:
        write_output(args.csv, study_csv(results), protect=inputs)
        _say(f"wrote {args.csv}")
    missed = [(name, t) for name, e in results.scenarios.items() for t in required
              if not e.targets.get(t)]
    for name, target in missed:
        sys.stderr.write(f"{study_file}: target {target} missed by scenario {name}\n")
    return 1 if missed else 0


def economics(args: argparse.Namespace) -> int:
    """Money: staff cost, revenue lost, perished capacity, and what a one-minute slip costs."""
    from blueprint.analysis.economics import economics as money_of
    from blueprint.console import economics_csv, economics_tables

    bp = _load_one(args.file)
    check_outputs([_file(args.json, "--json")], bp.inputs)
    simulated = bp.simulate(replications=args.replications, seed=args.seed, jobs=args.jobs,
                            max_customers=args.max_customers)
    for warning in simulated.warnings:
        sys.stderr.write(f"blueprint: warning: {warning}\n")
    document = money_of(bp.model, bp.graph, simulated)
    currency = bp.model.currency
    if args.output_format == "json":
        _emit(document.to_json())
    elif args.output_format == "csv":
        _emit(economics_csv(document, currency))
    else:
        _show(economics_tables(document, currency=currency))
    if args.json is not None:
        write_output(args.json, document.to_json(), protect=bp.inputs)
        _say(f"wrote {args.json}")
    return 0


def report(args: argparse.Namespace) -> int:
    """One self-contained HTML page: the blueprint with its waits, charts, tables, scenarios."""
    from blueprint.report import report_file

    file: Path = args.file
    bp = _load_one(file)
    # with a study, report_file checks again, with the study's own inputs too
    _survey_options(args)
    surveyed = [p for p in (args.survey, args.respondents, args.management) if p]
    check_outputs([Output(args.output, "-o")], (*bp.inputs, *([args.study] if args.study else []),
                                                *surveyed))
    what = f"the study {args.study}" if args.study else f"{args.replications or 20} replications of {file}"
    scale = _scale(args.scale, args.prog)
    _say(f"simulating {what}")
    try:
        with _executor(args.dask, args.jobs, args.prog) as executor:
            written = report_file(bp, args.output, study_file=args.study, replications=args.replications,
                                  max_customers=args.max_customers, seed=args.seed, jobs=args.jobs,
                                  executor=executor, survey=args.survey, respondents=args.respondents,
                                  management=args.management, scale=scale)
    except ModelError as exc:
        _print_diagnostics(exc.diagnostics)
        return _status(exc.diagnostics)
    _say(f"wrote {written}")
    return 0


def survey(args: argparse.Namespace) -> int:
    """The questionnaire: each moment of truth on its SERVQUAL dimensions, and the 22-item form."""
    from blueprint.files import is_stream
    from blueprint.model.servqual import TEN_TAGS
    from blueprint.survey import questionnaire, write_questionnaire

    bp = _load_one(args.file)
    output: Path = args.output
    form: Path | None = args.form
    if form is None and not is_stream(output):  # beside a device there is no "next to it"
        form = output.with_name(f"{output.stem}.22-items{output.suffix or '.csv'}")
    scale = _scale(args.scale, args.prog)
    write_questionnaire(bp.model, output, form, scale, bp.inputs, ("-o", "--form"))
    questions = questionnaire(bp.model)
    moments = len({q.step for q in questions})
    _say(f"wrote {output}: {_plural(len(questions), 'question')} over "
         f"{_plural(moments, 'moment')} of truth" if moments else
         f"wrote {output}: no question: the model has no customer or frontstage step (a moment of "
         "truth), so only the model-wide form asks anything")
    points = f"{scale[1] - scale[0] + 1:g}-point scale" if scale[0] == 1 else \
        f"scale {scale[0]:g} to {scale[1]:g}"
    if form is not None:
        _say(f"wrote {form}: the 22-item model-wide form (4/5/4/4/5 items, {points})")
    else:
        _say("note: the 22-item model-wide form is not written beside a device: give --form PATH")
    for q in questions:
        for tag in q.tagged_as:
            why = "one of the original ten dimensions" if tag.lower() in TEN_TAGS else "its Chinese name"
            _say(f"note: {q.step}: {tag!r} ({why}) is asked as {q.dimension}")
    return 0


def _survey_options(args: argparse.Namespace) -> None:
    """--respondents and --management go with --survey: said before anything is read."""
    for option, given in (("--respondents", args.respondents),):
        if given and not args.survey:
            raise _bad(option, "goes with --survey (the customers' answers)", args.prog)


def _scale(text: str, command: str) -> tuple[float, float]:
    from blueprint.survey import parse_scale

    try:
        return parse_scale(text)
    except ValueError as exc:
        raise _bad("--scale", str(exc), command) from None


def quality(args: argparse.Namespace) -> int:
    """SERVQUAL from a survey: gaps by dimension and touchpoint, importance–performance, NPS, CSAT."""
    from blueprint.analysis.quality import assess
    from blueprint.analysis.quality_table import quality_csv, quality_tables
    from blueprint.survey import read_survey

    bp = _load_one(args.file)
    inputs = (*bp.inputs, args.survey, *([args.respondents] if args.respondents else []))
    check_outputs([_file(args.json, "--json")], inputs)
    answers = read_survey(bp.model, args.survey, args.respondents, scale=_scale(args.scale, args.prog))
    _deliver(args, assess(bp.model, answers), quality_csv,
             lambda document: quality_tables(document, width=out.width), inputs)
    return 0


def _deliver(args: argparse.Namespace, document: Any, as_csv: Callable[[Any], str],
             as_tables: Callable[[Any], list[Any]], inputs: Sequence[Any]) -> None:
    """A document written to --json (if asked) and shown in the --output-format asked."""
    if args.json is not None:
        write_output(args.json, document.to_json(), protect=inputs)
        _say(f"wrote {args.json}")
    if args.output_format == "json":
        _emit(document.to_json())
    elif args.output_format == "csv":
        _emit(as_csv(document))
    else:
        _show(as_tables(document))


def gaps(args: argparse.Namespace) -> int:
    """The five gaps, each with its evidence: standards, delivery, promises, survey, management."""
    from blueprint.analysis.gaps import five_gaps, read_evidence, read_results
    from blueprint.analysis.quality import assess
    from blueprint.analysis.quality_table import gaps_csv, gaps_tables

    bp = _load_one(args.file)
    given = [p for p in (args.results, args.survey, args.respondents, args.management) if p]
    inputs = (*bp.inputs, *given)
    check_outputs([_file(args.json, "--json")], inputs)
    _survey_options(args)
    answers, managers = read_evidence(bp.model, args.survey, args.respondents, args.management,
                                      _scale(args.scale, args.prog))
    if args.results is not None:
        results = read_results(args.results, bp.model)
    else:
        _say(f"simulating {_plural(args.replications, 'replication')} of {args.file}")
        results = bp.simulate(replications=args.replications, seed=args.seed, jobs=args.jobs,
                              max_customers=args.max_customers)
    document = five_gaps(bp.model, results, assess(bp.model, answers) if answers else None,
                         answers.answers if answers else (), managers)
    _deliver(args, document, gaps_csv, lambda document: gaps_tables(document, width=out.width), inputs)
    return 0


def _share(text: str) -> float:
    value = float(text.rstrip("% ")) / (100 if text.strip().endswith("%") or float(text.rstrip("% ")) > 1
                                       else 1)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


def staff(args: argparse.Namespace) -> int:
    """Staff per hour to meet a service level: Erlang first, then checked by simulating the day."""
    from blueprint.analysis.staffing import parse_target, recommend_staff
    from blueprint.console import staffing_csv, staffing_tables
    from blueprint.sim.budget import BudgetExceeded

    file: Path = args.file
    bp = _load_one(file)
    check_outputs([_file(args.json, "--json")], bp.inputs)
    resource: str = args.resource
    if resource not in bp.model.resources:
        raise _bad("--resource", f"{resource!r} is not a resource of {file} "
                                 f"({', '.join(bp.model.resources)})", args.prog)
    try:
        ceiling = _share(args.max_abandonment) if args.max_abandonment is not None else None
    except ValueError:
        raise _bad("--max-abandonment", "write a share such as 5% or 0.05", args.prog) from None
    try:
        goal = parse_target(args.target, bp.model.time_unit)
    except ValueError as exc:
        raise _bad("--target", str(exc), args.prog) from None
    try:
        with _executor(args.dask, args.jobs, args.prog) as executor:
            result = recommend_staff(bp.model, bp.graph, resource, goal, max_abandonment=ceiling,
                                     max_customers=args.max_customers, replications=args.replications,
                                     max_replications=args.max_replications, seed=args.seed,
                                     jobs=args.jobs, executor=executor)
    except BudgetExceeded as exc:  # priced past the limits: located in the model
        raise ModelError(bp.source.diagnostics(exc.findings)) from None
    except ValueError as exc:  # the model cannot be staffed this way (no day, no such step)
        sys.stderr.write(f"{file}: cannot staff {resource}: {exc}\n")
        return 1
    if args.output_format == "json":
        _emit(result.to_json())
    elif args.output_format == "csv":
        _emit(staffing_csv(result))
    else:
        from rich.text import Text

        _show([*staffing_tables(result, currency=bp.model.currency),
               Text(f"\npaste under resources.{resource} in {file}:")])
        out.print(Text(result.yaml_block()), soft_wrap=True)  # YAML to paste: never wrapped
    for note in result.notes:
        _say(f"note: {note}")
    if args.json is not None:
        write_output(args.json, result.to_json(), protect=bp.inputs)
        _say(f"wrote {args.json}")
    return 0 if result.target_met_every_hour else 1


SCHEMA_KINDS = ("model", "study", "results", "study-results", "staffing", "economics", "info", "check",
                "quality", "gaps")


def schema(args: argparse.Namespace) -> int:
    """The JSON Schema of a file format: the model (for editors) or what a command writes."""
    from blueprint.schemas import FORMATS, schema_text

    if args.kind not in FORMATS:
        raise _bad("KIND", f"use one of {', '.join(FORMATS)}", args.prog)
    text = schema_text(args.kind)
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_output(args.output, text)
        _say(f"wrote {args.output}")
    return 0


def _json_out(data: dict[str, Any], exclude: tuple[str, ...] = ()) -> None:
    shown = {k: v for k, v in data.items() if k not in exclude}
    sys.stdout.write(json.dumps(shown, indent=2, ensure_ascii=False) + "\n")


# --- the command line ------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, with its complaints raised as :class:`UsageError` (one line, exit 2)."""

    def error(self, message: str) -> Any:
        raise UsageError(message[:1].upper() + message[1:], self.prog)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        try:
            return super().parse_known_args(args, namespace)
        except UsageError as exc:  # an option's own check: the command whose option it is
            if exc.command == "blueprint":
                exc.command = self.prog
            raise


def _count(low: int, high: int | None = None) -> Callable[[str], int]:
    """A whole number from `low` (to `high`), for an option."""

    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            span = f"from {low:,} to {high:,}" if high is not None else f"at least {low:,}"
            raise argparse.ArgumentTypeError(f"{text} is not {span}")
        return value

    return read


def _number(low: float, high: float) -> Callable[[str], float]:
    def read(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is not from {low:g} to {high:g}")
        return value

    return read


def _dask_address(text: str) -> str:
    """A scheduler address that can be one, checked while the arguments are read."""
    from blueprint.analysis.executors import check_address

    try:
        return check_address(text)
    except ValueError as exc:
        raise _bad("--dask", str(exc)) from None


JOBS_HELP = ("processes to simulate with; default: one per core, or this one alone when the run is "
             f"small (priced at under {SERIAL_SECONDS:g} s of simulation), as starting processes "
             "would cost more")
MAX_CUSTOMERS_HELP = (f"allow this many arrivals in one replication (default {MAX_CUSTOMERS:,}): "
                      "a run is priced from the model before it starts and refused past it")
DASK_HELP = "run on a Dask cluster: tcp://scheduler:8786, or `local` for one here"


def _runs(command: argparse.ArgumentParser, *, replications: int | None = 10, seed: bool = True,
          seed_default: int | None = 1, replications_help: str = "independent days (or runs) to simulate",
          dask: bool = True) -> None:
    """The options of every command that simulates."""
    default = "" if replications is None else f" (default {replications})"
    command.add_argument("-n", "--replications", type=_count(1, MAX_REPLICATIONS), default=replications,
                         metavar="N", help=replications_help + default)
    if seed:
        command.add_argument("--seed", type=_count(0), default=seed_default, metavar="S",
                             help="the same seed gives the same numbers"
                                  + ("" if seed_default is None else f" (default {seed_default})"))
    command.add_argument("-j", "--jobs", type=_count(1), metavar="N", help=JOBS_HELP)
    if dask:
        command.add_argument("--dask", type=_dask_address, metavar="ADDRESS", help=DASK_HELP)
    command.add_argument("--max-customers", type=_count(1), metavar="N", help=MAX_CUSTOMERS_HELP)


def _survey_arguments(command: argparse.ArgumentParser, survey_help: str, *, required: bool = False,
                      management: bool = True) -> None:
    """The options of every command that reads a survey (docs/quality.md)."""
    command.add_argument("--survey", type=Path, required=required, metavar="RESPONSES", help=survey_help)
    command.add_argument("--respondents", type=Path, metavar="FILE",
                         help="a row per respondent: dimension weights, recommend (0-10), "
                              "satisfaction (1-5)")
    if management:
        command.add_argument("--management", type=Path, metavar="ANSWERS",
                             help="managers' predictions of customers' expectations (gap 1), in the "
                                  "responses layout")
    command.add_argument("--scale", default="1-7", metavar="LOW-HIGH",
                         help="the answers' scale (default 1-7)")


def _output_format(command: argparse.ArgumentParser, json_is: str, csv_is: str) -> None:
    """How a command that prints tables prints its results."""
    command.add_argument("--output-format", choices=("text", "csv", "json"), default="text",
                         help=f"text: tables for the terminal's width (default); json: {json_is}; "
                              f"csv: {csv_is} (docs/cli.md)")


def parser() -> argparse.ArgumentParser:
    """The `blueprint` command line: a sub-command each, each calling one function above."""
    top = _Parser(prog="blueprint",
                  description="Service blueprints: validate, draw and simulate services described in "
                              "YAML.",
                  epilog="`blueprint COMMAND --help` gives a command's options. Exit status: 0 all "
                         "good; 1 the input has errors, a target is missed, or --strict warnings; 2 "
                         "usage, I/O or internal error; 130 interrupted.")
    top.add_argument("--version", action="store_true", help="print the version and exit")
    commands = top.add_subparsers(title="commands", dest="command", metavar="COMMAND",
                                  parser_class=_Parser)

    def command(run: Callable[[argparse.Namespace], int], name: str | None = None) -> argparse.ArgumentParser:
        doc = (run.__doc__ or "").strip()
        sub = commands.add_parser(name or run.__name__, help=doc, description=doc)
        sub.set_defaults(run=run)
        return sub

    for run in (validate, lint):
        checking = command(run)
        checking.add_argument("files", type=Path, nargs="+", metavar="FILE", help="model files (YAML)")
        if run is lint:
            checking.add_argument("--strict", action="store_true", help="warnings fail (exit 1)")
        checking.add_argument("--output-format", choices=("concise", "csv", "json"), default="concise",
                              help="concise: FILE:LINE:COL lines (default); csv: "
                                   "file,line,column,code,severity,message; json")

    summary = command(info)
    summary.add_argument("file", type=Path, metavar="FILE", help="a model file")
    summary.add_argument("--output-format", choices=("text", "concise", "csv", "json"), default="text",
                         help="text (tables, the default; also: concise), csv or json")

    drawing = command(render)
    drawing.add_argument("file", type=Path, metavar="FILE", help="a model file")
    drawing.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                         help="OUT.svg, OUT.png, OUT.pdf or OUT.dot")
    drawing.add_argument("--overlay", type=Path, metavar="JSON",
                         help="simulation results (blueprint simulate --json): each step coloured "
                              "by its mean wait against its tolerance; or a survey's quality file "
                              "(blueprint quality --json): each moment of truth coloured by its "
                              "gap, perception − expectation")
    drawing.add_argument("--theme", default="colour", help="colour (default) or print (greyscale)")
    drawing.add_argument("--dpi", type=_number(10, 1200), default=96.0,
                         help="resolution of PNG output (default 96)")
    # the limits are blueprint.render.WIDTHS and WRAPS (not imported here: it loads Graphviz)
    drawing.add_argument("--width", type=_number(72, 720), metavar="POINTS",
                         help="width of a step box in points, 72 to 720 (default 152); names wrap "
                              "to it and boxes grow taller to hold them")
    drawing.add_argument("--wrap", type=_count(8, 120), metavar="LETTERS",
                         help="or: wrap step names after about this many letters (8 to 120); the "
                              "boxes are made as wide")
    drawing.add_argument("--page", type=str.lower, metavar="a4|a3",
                         help="PDF only: lay the drawing on an A4 or A3 landscape page, scaled to "
                              "fit")

    simulating = command(simulate)
    simulating.add_argument("file", type=Path, metavar="FILE", help="a model file")
    _runs(simulating)
    simulating.add_argument("--json", type=Path, metavar="PATH",
                            help="write the results here (layout: docs/results.md)")
    simulating.add_argument("--csv", type=Path, metavar="DIR", help="per-replication CSV files here")
    _output_format(simulating, "the results document (as --json writes it)",
                   "a figure a line: table,row,figure,mean,low,high,unit")

    studying = command(whatif)
    studying.add_argument("study", type=Path, metavar="STUDY", help="a study file (YAML)")
    _runs(studying, replications=None, seed=False, replications_help="replace the study's replications")
    studying.add_argument("--json", type=Path, metavar="PATH", help="write the study results here")
    studying.add_argument("--csv", type=Path, metavar="PATH", help="a row per scenario here")
    studying.add_argument("--require", action="append", metavar="TARGET",
                          help="exit 1 if any scenario misses this target (repeatable)")
    _output_format(studying, "the study results (as --json writes them)",
                   "a row per scenario (as --csv writes it)")

    money = command(economics)
    money.add_argument("file", type=Path, metavar="FILE", help="a model file")
    _runs(money, dask=False)
    money.add_argument("--json", type=Path, metavar="PATH", help="write the figures here")
    _output_format(money, "the economics document (as --json writes it)",
                   "a figure a line: table,row,figure,mean,low,high,unit")

    page = command(report)
    page.add_argument("file", type=Path, metavar="FILE", help="a model file")
    page.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                      help="the HTML file to write")
    page.add_argument("--study", type=Path, metavar="STUDY",
                      help="add the scenarios of this study of the model; then every figure comes "
                           "from the study's runs")
    _survey_arguments(page, "customers' answers: adds the customer's verdict (SERVQUAL gaps, "
                            "importance-performance, NPS, CSAT) to the quality page")
    _runs(page, replications=None, seed_default=None, replications_help="default 20, or the study's")

    staffing = command(staff)
    staffing.add_argument("file", type=Path, metavar="FILE", help="a model file")
    staffing.add_argument("-r", "--resource", required=True, help="the resource to staff")
    staffing.add_argument("-t", "--target", required=True, help='e.g. "80%% within 5 min"')
    staffing.add_argument("--max-abandonment", metavar="SHARE",
                          help="e.g. 5%%: also keep lost customers under this, hour by hour")
    _runs(staffing, replications_help="days simulated per round to check the schedule")
    staffing.add_argument("--max-replications", type=_count(1), metavar="N",
                          help="where an hour is too close to call, add days up to this many "
                               "(default: 8 times --replications, at least 80)")
    staffing.add_argument("--json", type=Path, metavar="PATH", help="write the recommendation here")
    _output_format(staffing, "the staffing plan (as --json writes it)", "a row per hour")

    asking = command(survey)
    asking.add_argument("file", type=Path, metavar="FILE", help="a model file")
    asking.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                        help="the questionnaire (CSV): a row per moment of truth x dimension")
    asking.add_argument("--form", type=Path, metavar="PATH",
                        help="where the 22-item model-wide form goes (default OUT's name with "
                             ".22-items)")
    asking.add_argument("--scale", default="1-7", metavar="LOW-HIGH",
                        help="the agreement scale the questions are asked on (default 1-7)")

    verdict = command(quality)
    verdict.add_argument("file", type=Path, metavar="FILE", help="a model file")
    _survey_arguments(verdict, "the answers, a row per respondent x step x dimension "
                               "(docs/quality.md)", required=True, management=False)
    verdict.add_argument("--json", type=Path, metavar="PATH", help="write the quality document here")
    _output_format(verdict, "the quality document (as --json writes it)",
                   "a figure a line: table,row,figure,mean,low,high,unit")

    five = command(gaps)
    five.add_argument("file", type=Path, metavar="FILE", help="a model file")
    five.add_argument("--results", type=Path, metavar="RESULTS",
                      help="simulation results (JSON) for gaps 3 and 4; without it the model is "
                           "simulated")
    _survey_arguments(five, "customers' answers (gap 5)")
    _runs(five, replications=20, dask=False)
    five.add_argument("--json", type=Path, metavar="PATH", help="write the five gaps here")
    _output_format(five, "the five-gaps document (as --json writes it)",
                   "a figure a line: table,row,figure,mean,low,high,unit")

    schemas = command(schema)
    schemas.add_argument("kind", nargs="?", default="model", metavar="KIND",
                         help=f"{', '.join(SCHEMA_KINDS)} (default model)")
    schemas.add_argument("-o", "--output", type=Path, metavar="OUT", help="write here instead of stdout")
    return top


def _one_line_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> str:
    return f"blueprint: warning: {message}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code, never a traceback.

    A usage error is one line on stderr (exit 2); SIGINT or SIGTERM stops the
    command with ``blueprint: interrupted`` (exit 130), its workers ended.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    warnings.formatwarning = _one_line_warning
    out.reset()
    err.reset()
    try:
        with stop_on_signals():
            line = parser()
            args = line.parse_args(arguments)
            if args.version:
                from blueprint.version import VERSION

                sys.stdout.write(f"blueprint {VERSION}\n")
                return 0
            if args.command is None:  # nothing asked: what can be asked
                line.print_help(sys.stderr)
                return 2
            args.prog = f"blueprint {args.command}"
            code: int = args.run(args)
            return code
    except UsageError as exc:
        sys.stderr.write(f"blueprint: error: {_one_line(str(exc))} (see '{exc.command} --help')\n")
        return 2
    except Interrupted:
        sys.stderr.write("blueprint: interrupted\n")
        return EXIT_STATUS
    except ModelError as exc:  # bad input found past loading (a run's budget, a study's scenario)
        _print_diagnostics(exc.diagnostics)
        return _status(exc.diagnostics)
    except SystemExit as done:  # a command's own way out, and --help
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    except (OutputError, OSError) as exc:
        sys.stderr.write(f"blueprint: error: {_one_line(str(exc))}\n")
        return 2
    except Exception as exc:
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


def _one_line(text: str) -> str:
    return " ".join(text.split())
