"""YAML -> model, with every error placed at its file, line and column.

Loading goes through four stages, and reports every problem of the first stage
that fails, all at once:

1. **text** — the file is readable, not too large, not binary, not empty;
2. **YAML** — YAML 1.2, safely: no tags, no duplicate keys, bounded nesting
   and alias expansion (the round-trip parser keeps each node's position);
3. **schema** — the pydantic model of the format, unknown keys with a hint;
4. **references and structure** — ids, references, probabilities, schedules,
   then the graph: reachability, loops, forks and joins.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from blueprint.diagnostics import Diagnostic, Finding, ModelError, did_you_mean
from blueprint.graph import build_graph, check_graph
from blueprint.model import ServiceModel, check_references
from blueprint.model.distributions import DISTRIBUTION_NAMES
from blueprint.sourcemap import Position, SourceMap
from blueprint.trace import read_trace

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Loaded", "load_file", "load_text", "parse_yaml"]

MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000
FORMAT_VERSION = 1


@dataclass
class Loaded:
    """A checked model, with the source map that places later warnings in the file."""

    model: ServiceModel
    source: SourceMap
    path: Path | None
    graph: Any


def load_file(path: str | os.PathLike[str]) -> Loaded:
    """Load and check a model file; raise :class:`ModelError` with every diagnostic."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _error(name, 1, 1, "file-too-large",
                         f"the file is {size / 1048576:.1f} MiB; a model is at most "
                         f"{MAX_BYTES // 1048576} MiB")
        data = path.read_bytes()
    except IsADirectoryError:
        raise _error(name, 1, 1, "file-unreadable", "is a directory, not a model file") from None
    except FileNotFoundError:
        raise _error(name, 1, 1, "file-unreadable", "no such file") from None
    except OSError as exc:
        raise _error(name, 1, 1, "file-unreadable", exc.strerror or str(exc)) from None
    return load_text(data, name, base=path.parent)


def load_text(text: str | bytes, file: str = "<string>", *, base: Path | None = None) -> Loaded:
    """Load and check a model from text (``base``: folder that trace paths are relative to)."""
    if isinstance(text, bytes):
        text = _decode(text, file)
    plain, source = parse_yaml(text, file)
    model = _validate(plain, source)
    findings: list[Finding] = list(check_references(model))
    trace_path = _trace_path(model, base)
    if findings:
        raise ModelError(source.diagnostics(findings))
    graph = build_graph(model)
    errors = source.diagnostics(f for f in check_graph(graph, model) if f.severity == "error")
    if trace_path is not None:
        errors += read_trace(model, trace_path, source)
    if errors:
        raise ModelError(errors)
    return Loaded(model, source, Path(file) if base is not None else None, graph)


# --- stage 1: text --------------------------------------------------------------------------


def _error(file: str, line: int, column: int, code: str, message: str) -> ModelError:
    return ModelError([Diagnostic(file, line, column, code, message)])


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


# --- stage 2: YAML --------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.version = (1, 2)
    yaml.allow_duplicate_keys = False
    return yaml


def parse_yaml(text: str, file: str = "<string>") -> tuple[Any, SourceMap]:
    """Safe YAML 1.2 -> plain Python data and the position of every node."""
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise _error(file, 1, 1, "empty-file", "the file is empty; a model starts with `blueprint: 1`")
    try:
        document = _yaml().load(text)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = (exc.problem or "").split('"')[1] if '"' in (exc.problem or "") else "key"
        raise _error(file, mark.line + 1, mark.column + 1, "duplicate-key",
                     f"key {key!r} appears twice in this mapping") from None
    except MarkedYAMLError as exc:
        raise _syntax_error(file, exc) from None
    except RecursionError:
        raise _too_deep(file, text) from None
    except YAMLError as exc:
        raise _error(file, 1, 1, "yaml-syntax", str(exc).splitlines()[0]) from None
    source = SourceMap(file)
    if not isinstance(document, CommentedMap):
        kind = "a list" if isinstance(document, list) else "a single value"
        raise _error(file, 1, 1, "not-a-mapping",
                     f"the file holds {kind}; a model is a mapping that starts with `blueprint: 1`")
    converter = _Plain(file, source)
    plain = converter.convert(document, (), 0)
    if converter.findings:
        raise ModelError(source.diagnostics(converter.findings))
    return plain, source


def _syntax_error(file: str, exc: MarkedYAMLError) -> ModelError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or exc.context or "invalid YAML"
    if "'\\t'" in problem or "\\t" in problem or "tab" in problem.lower():
        return _error(file, line, column, "yaml-tab",
                      "a tab character here; YAML indents with spaces only")
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    return _error(file, line, column, "yaml-syntax", f"{problem}{context}")


def _too_deep(file: str, text: str) -> ModelError:
    """Find where nesting first goes past the limit, by counting brackets and indentation."""
    depth = 0
    for number, line in enumerate(text.splitlines(), 1):
        for column, char in enumerate(line, 1):
            if char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return _error(file, number, column, "yaml-too-deep",
                                  f"nested more than {MAX_DEPTH} levels deep")
            elif char in "]}":
                depth -= 1
        indent = len(line) - len(line.lstrip(" "))
        if indent // 2 > MAX_DEPTH and line.strip():
            return _error(file, number, indent + 1, "yaml-too-deep",
                          f"nested more than {MAX_DEPTH} levels deep")
    return _error(file, 1, 1, "yaml-too-deep", f"nested more than {MAX_DEPTH} levels deep")


class _Plain:
    """Turns the round-trip tree into plain dicts, lists and scalars, recording positions."""

    def __init__(self, file: str, source: SourceMap):
        self.file = file
        self.source = source
        self.findings: list[Finding] = []
        self.nodes = 0

    def convert(self, node: Any, path: tuple[Any, ...], depth: int) -> Any:
        self.nodes += 1
        if self.nodes == MAX_NODES:
            self.findings.append(Finding(
                "yaml-too-large", "aliases expand this document past "
                f"{MAX_NODES:,} nodes (an alias bomb?)", path))
        if self.nodes >= MAX_NODES:
            return None
        if depth > MAX_DEPTH:
            if depth == MAX_DEPTH + 1:
                self.findings.append(Finding(
                    "yaml-too-deep", f"nested more than {MAX_DEPTH} levels deep", path))
            return None
        tag = getattr(getattr(node, "tag", None), "value", None) or (
            node.tag if isinstance(getattr(node, "tag", None), str) else None)
        if isinstance(node, TaggedScalar) or (tag and isinstance(node, CommentedMap | CommentedSeq)):
            self.findings.append(Finding(
                "yaml-tag", f"YAML tags such as {tag or node.tag!s} are not allowed in a model",
                path))
        if isinstance(node, CommentedMap):
            if not path:
                self.source.positions[()] = Position((node.lc.line, node.lc.col),
                                                     (node.lc.line, node.lc.col))
            result: dict[Any, Any] = {}
            for key, value in node.items():
                key_plain = self._scalar(key)
                child = (*path, key_plain)
                key_pos, value_pos = node.lc.key(key), node.lc.value(key)
                self.source.positions[child] = Position(key_pos, value_pos)
                if isinstance(key, CommentedMap | CommentedSeq):
                    self.findings.append(Finding("yaml-syntax", "a key must be a plain value",
                                                 child, at_key=True))
                    continue
                result[key_plain] = self.convert(value, child, depth + 1)
            return result
        if isinstance(node, CommentedSeq):
            items = []
            for i, value in enumerate(node):
                child = (*path, i)
                position = node.lc.item(i)
                self.source.positions[child] = Position(position, position)
                items.append(self.convert(value, child, depth + 1))
            return items
        return self._scalar(node)

    @staticmethod
    def _scalar(value: Any) -> Any:
        if value is None or type(value) in (bool, int, float, str):
            return value
        if isinstance(value, TaggedScalar):
            return value.value
        if isinstance(value, bool) or type(value).__name__ == "ScalarBoolean":
            return bool(value)
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return float(value)
        if isinstance(value, str):
            return str(value)
        if isinstance(value, _dt.date | _dt.datetime):
            return value.isoformat()
        return str(value)


# --- stage 3: schema ------------------------------------------------------------------------


def _validate(plain: Any, source: SourceMap) -> ServiceModel:
    version = plain.get("blueprint")
    if version != FORMAT_VERSION:
        if "blueprint" not in plain:
            raise ModelError([source.diagnostic(Finding(
                "bad-version", "the first key of a model is `blueprint: 1` (the format version)",
                ()))])
        raise ModelError([source.diagnostic(Finding(
            "bad-version", f"format version {version!r} is not supported; this toolkit reads "
            f"`blueprint: {FORMAT_VERSION}`", ("blueprint",)))])
    try:
        return ServiceModel.model_validate(plain, strict=True)
    except ValidationError as exc:
        raise ModelError(source.diagnostics(
            _finding(error, plain) for error in exc.errors(include_url=False)
        )) from None


def _finding(error: Any, plain: Any) -> Finding:
    """A pydantic error as a finding: a code, a message in the user's terms, and a path."""
    path, node, at_key = _document_path(plain, error["loc"])
    kind: str = error["type"]
    message = error["msg"]
    if kind == "missing":
        return Finding("missing-key", f"missing required key {error['loc'][-1]!r}", path,
                       at_key=True)
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip()]
        return Finding("bad-value", f"{error['input']!r} is not one of {expected}"
                       f"{did_you_mean(error['input'], choices)}", path, at_key=at_key)
    if kind == "bad-distribution" and isinstance(node, dict) and "dist" in node:
        hint = did_you_mean(node["dist"], DISTRIBUTION_NAMES)
        return Finding("bad-distribution",
                       f"unknown distribution {node['dist']!r}{hint}; known: "
                       f"{', '.join(DISTRIBUTION_NAMES)}", (*path, "dist"))
    if "-" in kind:  # our own codes (PydanticCustomError) carry their message already
        return Finding(kind, message, path, at_key=at_key or kind == "unknown-key")
    if kind.endswith(("_type", "_parsing")) or kind in {"model_type", "model_attributes_type"}:
        return Finding("wrong-type", f"{_lower(message)}, not {_describe(error['input'])}", path,
                       at_key=at_key)
    return Finding("bad-value", f"{_lower(message)} (got {error['input']!r})", path, at_key=at_key)


def _document_path(plain: Any, loc: tuple[Any, ...]) -> tuple[tuple[Any, ...], Any, bool]:
    """The part of a pydantic location that exists in the document (union tags are skipped)."""
    node, path, at_key = plain, [], False
    for part in loc:
        if part == "[key]":
            at_key = True
        elif isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
    return tuple(path), node, at_key


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
