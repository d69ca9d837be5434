"""Safe YAML 1.2 with positions: plain data, and where every node came from.

The document is built from the libyaml parser's events rather than by a
constructor: no tag can run code (every tag is refused), every duplicate key
is found, nesting and alias expansion are bounded, scalars are read by YAML
1.2's core schema (`yes` and `09:00` are text), and each key and value keeps
its line and column for the diagnostics. Keys are stored in Unicode's composed
form (NFC), the form ids are compared in, so `café` typed either way is one
key, and the paths of the source map are the paths the checks report.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from typing import Any

import yaml

from blueprint.diagnostics import Diagnostic, Finding, ModelError
from blueprint.sourcemap import Position, SourceMap

__all__ = ["MAX_DEPTH", "MAX_NODES", "parse_yaml", "resolve_plain_scalar", "yaml_error"]

MAX_DEPTH = 64
MAX_NODES = 2_000_000


def yaml_error(file: str, line: int, column: int, code: str, message: str) -> ModelError:
    return ModelError([Diagnostic(file, line, column, code, message)])


_PURE = yaml.SafeLoader
_FAST = getattr(yaml, "CSafeLoader", None)  # libyaml, when the wheel has it
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOATS = {".inf": math.inf, "+.inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}
_LARGEST = int(sys.float_info.max)
_LARGEST_DIGITS = len(str(_LARGEST))  # 309


def _integer(text: str, base: int = 10) -> int | float:
    """An integer, or infinity when it is beyond the largest float, as `1e309` is.

    No count or cost is that large, and every number of a model must convert
    to a float; reading it as infinite lets the checks refuse it like `.inf`
    (and a 5,000-digit integer is never converted, which Python refuses).
    """
    negative = text.startswith("-")
    if base == 10:  # leading zeros do not count, and Python converts at most 4,300 digits
        digits = text.lstrip("+-").lstrip("0")
        if len(digits) > _LARGEST_DIGITS:
            return -math.inf if negative else math.inf
        text = ("-" if negative else "") + (digits or "0")
    value = int(text, base)
    if abs(value) > _LARGEST:
        return -math.inf if negative else math.inf
    return value


def resolve_plain_scalar(text: str) -> Any:
    """A plain (unquoted) scalar as YAML 1.2's core schema reads it: `yes` and `09:00` are text."""
    if _NULL.match(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return _integer(text)
    if text.startswith(("0o", "0x")) and len(text) > 2:
        try:
            return _integer(text[2:], 8 if text[1] == "o" else 16)
        except ValueError:
            return text
    if _FLOAT.match(text):
        return float(text)
    return _SPECIAL_FLOATS.get(text.lower(), text)


def parse_yaml(text: str, file: str = "<string>", *, libyaml: bool | None = None) -> tuple[Any, SourceMap]:
    """Safe YAML 1.2 -> plain Python data and the position of every node.

    The document is built from the parser's events, not by a constructor: no
    tag can run code, duplicate keys are all found, nesting and alias
    expansion are bounded, and every node's line and column are recorded.
    ``libyaml``: use PyYAML's C parser (None: when it is installed).
    """
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise yaml_error(file, 1, 1, "empty-file", "the file is empty; a model starts with `blueprint: 1`")
    if libyaml and _FAST is None:
        raise ValueError("this PyYAML was built without libyaml")
    loader = _FAST if _FAST is not None and libyaml is not False else _PURE
    builder = _Builder(SourceMap(file), text)
    try:
        _feed(builder, text, loader)
    except yaml.MarkedYAMLError as exc:
        deeper = _refused_for_depth(builder, text, exc) if loader is not _PURE else None
        if deeper is None:
            raise _syntax_error(file, exc, text) from None
        builder = deeper
    except yaml.reader.ReaderError as exc:
        line, column = _text_line_col(text, exc.position)
        raise yaml_error(file, line, column, "not-text",
                         f"character {exc.character!r} is not allowed in YAML") from None
    except yaml.YAMLError as exc:
        raise yaml_error(file, 1, 1, "yaml-syntax", str(exc).splitlines()[0]) from None
    source = builder.source
    if builder.findings:
        raise ModelError(source.diagnostics(builder.findings))
    if not isinstance(builder.root, dict):
        kind = "a list" if isinstance(builder.root, list) else "a single value"
        line, column = source.place(())
        raise yaml_error(file, line, column, "not-a-mapping",
                         f"the file holds {kind}; a model is a mapping that starts with `blueprint: 1`")
    return builder.root, source


def _feed(builder: _Builder, text: str, loader: Any) -> None:
    try:
        for event in yaml.parse(text, Loader=loader):
            builder.feed(event)
    except _Stop:
        pass


_OPENERS = re.compile(r"[\[{:?-]")


def _refused_for_depth(builder: _Builder, text: str, exc: yaml.MarkedYAMLError) -> _Builder | None:
    """Our depth limit, where libyaml refused the document before it reached us.

    libyaml refuses deep nesting itself (1000 levels in 0.2.6), and its scanner
    reads a whole line ahead, so a line of brackets fails there before the
    events that cross our `MAX_DEPTH` arrive. When the lines between the last
    event we saw and the error could hold enough new levels, the same text
    goes through PyYAML's pure-Python parser, which has no limit of its own,
    up to the error; it stops at our limit, at the node that crosses it.
    Returns that builder, or None when the error is not about depth.
    """
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    last_line = builder.last.start_mark.line if builder.last is not None else 0
    lines = builder.lines[last_line:mark.line + 1]
    if len(builder.stack) + sum(len(_OPENERS.findall(line)) for line in lines) < MAX_DEPTH:
        return None
    again = _Builder(SourceMap(builder.source.file), text, stop_at=(mark.line, mark.column))
    try:
        _feed(again, text, _PURE)
    except yaml.YAMLError:
        return None
    return again if any(f.code == "yaml-too-deep" for f in again.findings) else None


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
        return yaml_error(file, *quote, "yaml-syntax",
                      f"this quoted text is never closed on its line; YAML then fails at line "
                      f"{line} ({exc.problem or opened})")
    problem = exc.problem or exc.context or "invalid YAML"
    if "\\t" in problem or "tab" in problem.lower():
        return yaml_error(file, line, column, "yaml-tab",
                      "a tab character here; YAML indents with spaces only")
    if unclosed:
        what = "quoted text" if "quoted" in opened else "bracket"
        return yaml_error(file, line, column, "yaml-syntax",
                      f"this {what} is never closed ({problem})")
    context = f" ({exc.context})" if exc.context and exc.problem else ""
    return yaml_error(file, line, column, "yaml-syntax", f"{problem}{context}")


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

    def __init__(self, source: SourceMap, text: str, stop_at: tuple[int, int] | None = None):
        self.source = source
        self.lines = text.split("\n")
        self.stop_at = stop_at  # (line, column), 0-based: a re-parse goes no further
        self.last: Any = None   # the last event fed
        self.findings: list[Finding] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.root: Any = None
        self.nodes = 0
        self.documents = 0

    def feed(self, event: Any) -> None:
        kind = type(event)
        self.last = event
        if self.stop_at is not None and (event.start_mark.line, event.start_mark.column) >= self.stop_at:
            raise _Stop
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
        elif isinstance(key, str) and not key.isascii():
            key = unicodedata.normalize("NFC", key)  # ids are compared composed; so are paths
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


