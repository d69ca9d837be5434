"""YAML -> model, with every error placed at its file, line and column.

Loading goes through four stages, and reports every problem of the first stage
that fails, all at once:

1. **text** — the file is readable, not too large, not binary, not empty;
2. **YAML** — YAML 1.2 scalars, safely: no tags, no duplicate keys, bounded
   nesting and alias expansion, every node's position kept (built from the
   libyaml parser's events, which carry their marks);
3. **schema** — the pydantic model of the format, unknown keys with a hint;
4. **references and structure** — ids, references, probabilities, schedules,
   then the graph: reachability, loops, forks and joins.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from blueprint.diagnostics import Diagnostic, Finding, ModelError, did_you_mean
from blueprint.graph import build_graph, check_graph
from blueprint.model import ServiceModel, check_references
from blueprint.model.distributions import DISTRIBUTION_NAMES
from blueprint.sourcemap import Position, SourceMap
from blueprint.trace import read_trace

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "Loaded",
    "load_file",
    "load_plain",
    "load_text",
    "parse_yaml",
    "read_document",
    "resolve_plain_scalar",
    "validate_as",
]

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
    document: Any = None  # the plain YAML data, for studies that edit a copy


def load_file(path: str | os.PathLike[str]) -> Loaded:
    """Load and check a model file; raise :class:`ModelError` with every diagnostic."""
    plain, source = read_document(path)
    return load_plain(plain, source, base=Path(path).parent)


def load_text(text: str | bytes, file: str = "<string>", *, base: Path | None = None) -> Loaded:
    """Load and check a model from text (``base``: folder that trace paths are relative to)."""
    if isinstance(text, bytes):
        text = _decode(text, file)
    plain, source = parse_yaml(text, file)
    return load_plain(plain, source, base=base)


def read_document(path: str | os.PathLike[str]) -> tuple[Any, SourceMap]:
    """Any YAML document of ours (a model, a study) as plain data with its positions."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise _error(name, 1, 1, "file-too-large",
                         f"the file is {size / 1048576:.1f} MiB; a model is at most "
                         f"{MAX_BYTES // 1048576} MiB")
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise _error(name, 1, 1, "file-unreadable", "is a directory, not a model file") from None
    except FileNotFoundError:
        raise _error(name, 1, 1, "file-unreadable", "no such file") from None
    except OSError as exc:
        raise _error(name, 1, 1, "file-unreadable", exc.strerror or str(exc)) from None
    return parse_yaml(_decode(data, name), name)


def validate_as(cls: Any, plain: Any, source: SourceMap) -> Any:
    """Validate plain data against a pydantic class; errors placed in the document."""
    try:
        return cls.model_validate(plain, strict=True)
    except ValidationError as exc:
        raise ModelError(source.diagnostics(
            _finding(error, plain) for error in exc.errors(include_url=False)
        )) from None


def load_plain(plain: Any, source: SourceMap, *, base: Path | None = None) -> Loaded:
    """Stages 3 and 4 on an already parsed document (a study's scenario edits a copy)."""
    file = source.file
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
    return Loaded(model, source, Path(file) if base is not None else None, graph, plain)


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

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOATS = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}


def resolve_plain_scalar(text: str) -> Any:
    """A plain (unquoted) scalar as YAML 1.2's core schema reads it: `yes` and `09:00` are text."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text)
    if text.startswith(("0o", "0x")) and len(text) > 2:
        try:
            return int(text[2:], 8 if text[1] == "o" else 16)
        except ValueError:
            return text
    if _FLOAT.match(text):
        return float(text)
    return _SPECIAL_FLOATS.get(text.lower(), text)


def parse_yaml(text: str, file: str = "<string>") -> tuple[Any, SourceMap]:
    """Safe YAML 1.2 -> plain Python data and the position of every node.

    The document is built from the parser's events, not by a constructor: no
    tag can run code, duplicate keys are all found, nesting and alias
    expansion are bounded, and every node's line and column are recorded.
    """
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise _error(file, 1, 1, "empty-file", "the file is empty; a model starts with `blueprint: 1`")
    source = SourceMap(file)
    builder = _Builder(source, text)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except _Stop:
        pass
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(file, exc, text) from None
    except yaml.reader.ReaderError as exc:
        line, column = _text_line_col(text, exc.position)
        raise _error(file, line, column, "not-text",
                     f"character {exc.character!r} is not allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise _error(file, 1, 1, "yaml-syntax", str(exc).splitlines()[0]) from None
    if builder.findings:
        raise ModelError(source.diagnostics(builder.findings))
    if not isinstance(builder.root, dict):
        kind = "a list" if isinstance(builder.root, list) else "a single value"
        line, column = source.place(())
        raise _error(file, line, column, "not-a-mapping",
                     f"the file holds {kind}; a model is a mapping that starts with `blueprint: 1`")
    return builder.root, source


def _text_line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _unclosed_quote(text: str, before_line: int) -> tuple[int, int] | None:
    """The first line before the error that opens a quote it does not close (1-based)."""
    for number, line in enumerate(text.splitlines()[:before_line - 1], 1):
        quote, column = None, 0
        for index, char in enumerate(line):
            if quote is None and char == "#" and (index == 0 or line[index - 1] in " \t"):
                break
            if char in "\"'" and (quote is None or quote == char):
                if quote is None and index and line[index - 1].isalnum():
                    continue  # an apostrophe inside a word (don't), not a quote
                escaped = quote == '"' and index and line[index - 1] == "\\"
                if not escaped:
                    quote, column = (None, column) if quote else (char, index)
        if quote is not None:
            return number, column + 1
    return None


def _syntax_error(file: str, exc: yaml.MarkedYAMLError, text: str) -> ModelError:
    opened = exc.context or ""
    unclosed = opened.startswith(("while scanning a quoted", "while parsing a flow"))
    mark = (exc.context_mark if unclosed else None) or exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    quote = None if unclosed else _unclosed_quote(text, line)
    if quote is not None:
        return _error(file, *quote, "yaml-syntax",
                      f"this quoted text is never closed on its line; YAML then fails at line "
                      f"{line} ({exc.problem or opened})")
    problem = exc.problem or exc.context or "invalid YAML"
    if "\\t" in problem or "tab" in problem.lower():
        return _error(file, line, column, "yaml-tab",
                      "a tab character here; YAML indents with spaces only")
    if unclosed:
        what = "quoted text" if "quoted" in opened else "bracket"
        return _error(file, line, column, "yaml-syntax",
                      f"this {what} is never closed ({problem})")
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    return _error(file, line, column, "yaml-syntax", f"{problem}{context}")


class _Stop(Exception):
    """Building cannot go on (too deep, too large, a second document)."""


_NO_KEY = object()


class _Frame:
    __slots__ = ("anchor", "key", "key_mark", "path", "size", "value")

    def __init__(self, value: Any, path: tuple[Any, ...], anchor: str | None):
        self.value, self.path, self.anchor = value, path, anchor
        self.key: Any = _NO_KEY
        self.key_mark: tuple[int, int] = (0, 0)
        self.size = 1


class _Builder:
    """Builds plain dicts, lists and scalars from parser events, recording positions."""

    def __init__(self, source: SourceMap, text: str):
        self.source = source
        self.lines = text.split("\n")
        self.findings: list[Finding] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.root: Any = None
        self.nodes = 0
        self.documents = 0

    def feed(self, event: Any) -> None:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self._node(event, self._scalar(event), 1)
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            container: Any = {} if kind is yaml.MappingStartEvent else []
            path = self._place(event)
            if path is None:
                return
            self._check_tag(event, path)
            if len(self.stack) >= MAX_DEPTH:
                self.findings.append(Finding(
                    "yaml-too-deep", f"nested more than {MAX_DEPTH} levels deep", path))
                raise _Stop
            self.stack.append(_Frame(container, path, event.anchor))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = self.stack.pop()
            if frame.anchor is not None:
                self.anchors[frame.anchor] = (frame.value, frame.size)
            self._attach(frame.value, frame.size, frame.path)
        elif kind is yaml.AliasEvent:
            value, size = self.anchors.get(event.anchor, (None, 1))
            self._node(event, value, size)
        elif kind is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                mark = event.start_mark
                self.source.positions[("<document>",)] = Position(
                    (mark.line, mark.column), (mark.line, mark.column))
                self.findings.append(Finding(
                    "yaml-syntax", "a model file holds one YAML document; a second starts here",
                    ("<document>",)))
                raise _Stop

    def _place(self, event: Any) -> tuple[Any, ...] | None:
        """Record where a value starts; None when it stands where a key should be."""
        mark = (event.start_mark.line, event.start_mark.column)
        if not self.stack:
            self.source.positions[()] = Position(mark, mark)
            return ()
        frame = self.stack[-1]
        if isinstance(frame.value, list):
            path = (*frame.path, len(frame.value))
            if type(event) is not yaml.ScalarEvent:  # a mapping or list item: at its `- `
                mark = self._dash_before(mark)
            self.source.positions[path] = Position(mark, mark)
            return path
        if frame.key is _NO_KEY:
            if type(event) is not yaml.ScalarEvent:
                path = (*frame.path, "<key>")
                self.source.positions[path] = Position(mark, mark)
                self.findings.append(Finding("yaml-syntax", "a key must be a plain value", path))
                raise _Stop
            return None
        path = (*frame.path, frame.key)
        self.source.positions[path] = Position(frame.key_mark, mark)
        return path

    def _dash_before(self, mark: tuple[int, int]) -> tuple[int, int]:
        """The `- ` that introduces a block-sequence item on the same line, if there is one."""
        line, column = mark
        if line < len(self.lines):
            head = self.lines[line][:column].rstrip(" ")
            if head.endswith("-") and (len(head) == 1 or head[-2] in " -"):
                return line, len(head) - 1
        return mark

    def _node(self, event: Any, value: Any, size: int) -> None:
        frame = self.stack[-1] if self.stack else None
        if frame is not None and isinstance(frame.value, dict) and frame.key is _NO_KEY:
            self._key(frame, event, value)
            return
        path = self._place(event)
        if type(event) is yaml.ScalarEvent:
            self._check_tag(event, path)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
        self._attach(value, size, path)

    def _key(self, frame: _Frame, event: Any, key: Any) -> None:
        mark = (event.start_mark.line, event.start_mark.column)
        if isinstance(key, dict | list):
            key = "<key>"
        if key in frame.value:
            first = self.source.positions.get((*frame.path, key))
            where = f" (first at line {first.key[0] + 1})" if first else ""
            path = (*frame.path, "<duplicate>", len(self.findings))
            self.source.positions[path] = Position(mark, mark)
            self.findings.append(Finding(
                "duplicate-key", f"key {key!r} appears twice in this mapping{where}", path))
        frame.key, frame.key_mark = key, mark

    def _attach(self, value: Any, size: int, path: tuple[Any, ...] | None = None) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            path = path if path is not None else (self.stack[-1].path if self.stack else ())
            self.findings.append(Finding(
                "yaml-too-large", f"aliases expand this document past {MAX_NODES:,} nodes "
                "(an alias bomb?)", path))
            raise _Stop
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.value, list):
            frame.value.append(value)
        else:
            frame.value[frame.key] = value
            frame.key = _NO_KEY

    def _scalar(self, event: Any) -> Any:
        if event.tag is None and event.implicit[0] and not event.style:
            return resolve_plain_scalar(event.value)
        return event.value

    def _check_tag(self, event: Any, path: tuple[Any, ...] | None) -> None:
        if event.tag is not None and event.tag != "!":
            self.findings.append(Finding(
                "yaml-tag", f"YAML tags such as {event.tag} are not allowed in a model; write "
                "plain values (quote text)", path or ()))


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
    return validate_as(ServiceModel, plain, source)


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
