"""YAML -> model, with every error placed at its file, line and column.

Loading goes through four stages, and reports every problem of the first stage
that fails, all at once:

1. **text** — the file is readable, not too large, not binary, not empty;
2. **YAML** — YAML 1.2 scalars, safely: no tags, no duplicate keys, bounded
   nesting and alias expansion, every node's position kept (built from the
   libyaml parser's events, which carry their marks);
3. **schema and references** — the pydantic model of the format, unknown keys
   with a hint; beside it, on whatever part of the document loaded, duplicate
   and confusable ids and every reference (so one missing key does not hide a
   broken `goto` elsewhere); on a valid model, probabilities, schedules, rates;
4. **structure** — the graph: reachability, loops, forks and joins; the trace.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from blueprint.diagnostics import Diagnostic, Finding, ModelError, did_you_mean
from blueprint.files import MAX_INPUT_BYTES, InputError, read_input
from blueprint.graph import build_graph, check_graph
from blueprint.model import ReferenceCheck, ServiceModel, check_consistency, check_references
from blueprint.model.distributions import DISTRIBUTION_NAMES
from blueprint.sourcemap import SourceMap
from blueprint.trace import read_trace
from blueprint.yamlsafe import MAX_DEPTH, MAX_NODES, parse_yaml, resolve_plain_scalar, yaml_error

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Loaded",
    "input_files",
    "load_file",
    "load_plain",
    "load_text",
    "not_finite_message",
    "parse_yaml",
    "read_document",
    "resolve_plain_scalar",
    "validate_as",
]

MAX_BYTES = MAX_INPUT_BYTES
FORMAT_VERSION = 1


@dataclass
class Loaded:
    """A checked model, with the source map that places later warnings in the file."""

    model: ServiceModel
    source: SourceMap
    path: Path | None
    graph: Any
    document: Any = None  # the plain YAML data, for studies that edit a copy


def load_file(path: str | os.PathLike[str], *, link: bool = True) -> Loaded:
    """Load and check a model file; raise :class:`ModelError` with every diagnostic.
    ``link=False``: leave its complaint process unlinked (it is being linked itself)."""
    plain, source = read_document(path)
    return load_plain(plain, source, base=Path(path).parent, link=link)


def load_text(text: str | bytes, file: str = "<string>", *, base: Path | None = None) -> Loaded:
    """Load and check a model from text (``base``: folder that trace paths are relative to)."""
    if isinstance(text, bytes):
        text = _decode(text, file)
    plain, source = parse_yaml(text, file)
    return load_plain(plain, source, base=base)


def read_document(path: str | os.PathLike[str]) -> tuple[Any, SourceMap]:
    """Any YAML document of ours (a model, a study) as plain data with its positions.

    Read by :func:`blueprint.files.read_input`: a regular file of at most
    :data:`MAX_BYTES`, or a diagnostic at ``FILE:1:1`` (``not-a-file``,
    ``file-unreadable``, ``file-too-large``).
    """
    name = str(path)
    try:
        data = read_input(path, MAX_BYTES)
    except InputError as exc:
        raise _error(name, 1, 1, exc.code, exc.reason) from None
    return parse_yaml(_decode(data, name), name)


def input_files(*loaded: Loaded) -> tuple[Path, ...]:
    """The files the loaded models were read from: each model file and its trace.

    These are the files an output must never replace.
    """
    found: list[Path] = []
    for each in loaded:
        if each.path is not None:
            found.append(each.path)
        base = each.path.parent if each.path is not None else None
        for linked in (_trace_path(each.model, base), _process_path(each.model, base)):
            if linked is not None:
                found.append(linked)
    return tuple(dict.fromkeys(found))


def validate_as(cls: Any, plain: Any, source: SourceMap) -> Any:
    """Validate plain data against a pydantic class; errors placed in the document."""
    value, findings = _schema(cls, plain)
    if findings:
        raise ModelError(source.diagnostics(findings))
    return value


def load_plain(plain: Any, source: SourceMap, *, base: Path | None = None, link: bool = True) -> Loaded:
    """Stages 3 and 4 on an already parsed document (a study's scenario edits a copy)."""
    file = source.file
    _check_version(plain, source)
    model, findings = _schema(ServiceModel, plain)
    references = check_references(
        plain, line_of=lambda path, at_key: source.place(path, at_key=at_key)[0])
    findings = _without_cascades(findings, references)
    if model is not None:
        findings += check_consistency(model)
    if findings or model is None:
        raise ModelError(source.diagnostics(findings))
    trace_path = _trace_path(model, base)
    graph = build_graph(model)
    errors = source.diagnostics(f for f in check_graph(graph, model) if f.severity == "error")
    if trace_path is not None:
        errors += read_trace(model, trace_path, source)
    if link:
        errors += _link_process(model, base, source)
    if errors:
        raise ModelError(errors)
    return Loaded(model, source, Path(file) if base is not None else None, graph, plain)


def _process_path(model: ServiceModel, base: Path | None) -> Path | None:
    if model.complaints is None or model.complaints.process is None:
        return None
    path = Path(model.complaints.process)
    return path if path.is_absolute() or base is None else base / path


def _link_process(model: ServiceModel, base: Path | None, source: SourceMap) -> list[Diagnostic]:
    """Load the complaint-handling model the complaints arrive into; its errors are its own
    file's, and a file that is not there is an error at the `process` key."""
    path = _process_path(model, base)
    if path is None:
        return []
    where = ("complaints", "process")
    try:
        linked = load_file(path, link=False)
    except ModelError as exc:
        if any(d.code in ("file-unreadable", "not-a-file") for d in exc.diagnostics):
            return source.diagnostics([Finding("bad-process", f"{model.complaints.process!r}: "  # type: ignore[union-attr]
                                               f"{exc.diagnostics[0].message}", where)])
        return list(exc.diagnostics)
    if linked.model.complaints is not None and linked.model.complaints.process is not None:
        return source.diagnostics([Finding("bad-process", "the complaint process has a complaint "
                                           "process of its own: link one level only", where)])
    model.set_complaint_process(linked.model, linked.graph)
    return []


def _without_cascades(schema: list[Finding], references: ReferenceCheck) -> list[Finding]:
    """Schema and reference findings, each mistake once.

    A reference whose own value is wrong (a number, an invalid id) has its
    schema error and no second one; a reference that repeats an invalid id
    defined elsewhere is not an error of its own: the definition's is.
    """
    wrong = {f.path for f in schema}
    kept = [f for f in schema
            if not (f.code in ("bad-id", "bad-name") and f.path in references.resolved)]
    return kept + [f for f in references.findings if f.path not in wrong]


# --- stage 1: text --------------------------------------------------------------------------


_error = yaml_error


def _decode(data: bytes, file: str) -> str:
    if len(data) > MAX_BYTES:
        raise _error(file, 1, 1, "file-too-large", f"a model is at most {MAX_BYTES // 1048576} MiB")
    if b"\x00" in data:
        line, column = _line_col(data, data.index(b"\x00"))
        raise _error(file, line, column, "not-text", "this is a binary file, not a YAML model")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _line_col(data, exc.start)
        raise _error(file, line, column, "not-text",
                     f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8") from None


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


# --- stage 3: schema ------------------------------------------------------------------------


def _check_version(plain: Any, source: SourceMap) -> None:
    """A file of another format version is not read any further."""
    version = plain.get("blueprint")
    # the integer 1 only: `true` and `1.0` equal 1 in Python, and are not a version
    if type(version) is not int or version != FORMAT_VERSION:
        if "blueprint" not in plain:
            raise ModelError([source.diagnostic(Finding(
                "bad-version", "the first key of a model is `blueprint: 1` (the format version)",
                ()))])
        if version is None:
            message = f"the format version is empty: write `blueprint: {FORMAT_VERSION}`"
        elif type(version) is not int:
            message = (f"the format version is the integer {FORMAT_VERSION}, not "
                       f"{_describe(version)}: write `blueprint: {FORMAT_VERSION}`")
        else:
            message = (f"format version {_describe(version)} is not supported; this toolkit "
                       f"reads `blueprint: {FORMAT_VERSION}`")
        raise ModelError([source.diagnostic(Finding("bad-version", message, ("blueprint",)))])


def _schema(cls: Any, plain: Any) -> tuple[Any, list[Finding]]:
    """The validated value, or None and every schema error as a finding."""
    try:
        return cls.model_validate(plain, strict=True), []
    except ValidationError as exc:
        return None, [_finding(error, plain) for error in exc.errors(include_url=False)]


def _finding(error: Any, plain: Any) -> Finding:
    """A pydantic error as a finding: a code, a message in the user's terms, and a path."""
    path, node, parent, at_key = _document_path(plain, error["loc"])
    kind: str = error["type"]
    message = error["msg"]
    # an error about a whole mapping or list, or about a key being there at all: at the key
    # (a wrong type or length stays on the value: the value is what is wrong)
    at_key = at_key or ("-" in kind and isinstance(node, dict | list)) or bool(
        error.get("ctx", {}).get("at_key"))
    in_distribution = isinstance(parent, dict) and parent.get("dist") in DISTRIBUTION_NAMES
    if kind == "missing":
        return Finding("missing-key", f"missing required key {error['loc'][-1]!r}", path,
                       at_key=True)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        return Finding("bad-value", f"{error['input']!r} is not one of {expected}"
                       f"{did_you_mean(error['input'], choices)}", path, at_key=at_key)
    if kind in _NUMBER_ERRORS and _non_finite(error["input"]):
        return Finding("bad-value", not_finite_message(error["input"]), path)
    if kind == "bad-distribution" and isinstance(node, dict) and "dist" in node \
            and node["dist"] not in DISTRIBUTION_NAMES:
        hint = did_you_mean(node["dist"], DISTRIBUTION_NAMES)
        return Finding("bad-distribution",
                       f"unknown distribution {node['dist']!r}{hint}; known: "
                       f"{', '.join(DISTRIBUTION_NAMES)}", (*path, "dist"))
    if "-" in kind:  # our own codes (PydanticCustomError) carry their message already
        return Finding(kind, message, path, at_key=at_key or kind == "unknown-key")
    if kind.endswith(("_type", "_parsing")) or kind in {"model_type", "model_attributes_type"}:
        return Finding("wrong-type", f"{_lower(message)}, not {_describe(error['input'])}", path,
                       at_key=at_key)
    code = "bad-distribution" if in_distribution else "bad-value"
    return Finding(code, f"{_lower(message)} (got {error['input']!r})", path, at_key=at_key)


# pydantic's errors for a value that should be a number: the type, and the bounds
_NUMBER_ERRORS = frozenset({"finite_number", "float_type", "int_type", "int_from_float",
                            "greater_than", "greater_than_equal", "less_than", "less_than_equal"})


def _non_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def not_finite_message(value: float) -> str:
    """Why `.inf`, `-.inf`, `.nan` (and `1e309`, which overflows) are refused wherever a number goes."""
    if math.isnan(value):
        return "must be a finite number, not `.nan` (not a number)"
    sign, minus = ("-", "minus ") if value < 0 else ("", "")
    return (f"must be a finite number, not {minus}infinity (`{sign}.inf`, or a number beyond "
            f"±1.8e308 such as `{sign}1e309`)")


def _document_path(plain: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any, Any, bool]:
    """The part of a pydantic location that exists in the document (union tags are skipped).

    Returns the path, the node there, its parent, and whether a dict key is meant.
    """
    node, parent, path, at_key = plain, None, [], False
    for part in loc:
        if part == "[key]":
            at_key = True
        elif (isinstance(node, dict) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)):
            path.append(part)
            parent, node = node, node[part]
    return tuple(path), node, parent, at_key


def _lower(message: str) -> str:
    message = message.replace("Input should be", "should be")
    return message[:1].lower() + message[1:]


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{value!r}"


# --- stage 4: trace file --------------------------------------------------------------------


def _trace_path(model: ServiceModel, base: Path | None) -> Path | None:
    if model.demand.trace is None:
        return None
    trace = Path(model.demand.trace)
    return trace if trace.is_absolute() or base is None else base / trace
