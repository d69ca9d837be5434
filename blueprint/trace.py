"""Recorded arrivals: replay the day that really happened.

A trace is a CSV file with a ``time`` column — a clock time ``HH:MM[:SS]`` or a
number of time units from the start — and optionally a ``class`` column naming
the customer class. Rows must be in time order. Errors point into the CSV file.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from blueprint.diagnostics import Diagnostic, did_you_mean
from blueprint.files import InputError, read_input
from blueprint.model import ServiceModel
from blueprint.sourcemap import SourceMap

__all__ = ["Arrival", "read_trace"]

Arrival = tuple[float, str | None]


def _clock_seconds(text: str) -> float | None:
    parts = text.split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return None
    hours, minutes, seconds = (int(p) for p in (*parts, "0")[:3])
    if minutes > 59 or seconds > 59:
        return None
    return hours * 60 + minutes + seconds / 60


def read_trace(model: ServiceModel, path: Path, source: SourceMap) -> list[Diagnostic]:
    """Read the trace into the model (``model.trace``); return what is wrong with it."""
    name = str(path)
    try:
        text = read_input(path).decode("utf-8-sig")
    except (InputError, UnicodeDecodeError) as exc:
        # placed where the model names the trace: that is the line to fix
        line, column = source.place(("demand", "trace"))
        if isinstance(exc, InputError):
            return [Diagnostic(source.file, line, column, exc.code, f"cannot read {name}: {exc.reason}")]
        return [Diagnostic(source.file, line, column, "bad-trace", f"cannot read {name}: not UTF-8 text")]
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:  # a field past the csv module's limit, say
        return [Diagnostic(name, max(reader.line_num, 1), 1, "bad-trace", f"not CSV: {exc}")]
    if not rows or "time" not in [h.strip() for h in rows[0]]:
        return [Diagnostic(name, 1, 1, "bad-trace", "the first row must name a `time` column")]
    header = [h.strip() for h in rows[0]]
    time_at, class_at = header.index("time"), header.index("class") if "class" in header else None
    classes = model.demand.class_names
    arrivals: list[Arrival] = []
    problems: list[Diagnostic] = []
    end = model.horizon_end
    latest: float | None = None
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        cell = row[time_at].strip() if time_at < len(row) else ""
        column = len(",".join(row[:time_at])) + (1 if time_at else 0) + 1
        clock = _clock_seconds(cell)
        if clock is not None and model.is_day:
            time = model.clock_to_time(clock)
        else:
            try:
                time = float(cell)
            except ValueError:
                problems.append(Diagnostic(name, number, column, "bad-trace",
                                           f"{cell!r} is not a time (HH:MM[:SS] or a number)"))
                continue
        if not 0 <= time <= end:
            problems.append(Diagnostic(name, number, column, "bad-trace",
                                       f"arrival at {cell} lies outside the horizon"))
            continue
        if latest is not None and time < latest:
            problems.append(Diagnostic(name, number, column, "bad-trace",
                                       f"arrival at {cell} is earlier than the row above"))
            continue
        latest = time  # the order holds whatever else is wrong with the row
        kind = None
        if class_at is not None and class_at < len(row) and row[class_at].strip():
            kind = unicodedata.normalize("NFC", row[class_at].strip())  # as class ids are
            if kind not in classes:
                column = len(",".join(row[:class_at])) + 2
                problems.append(Diagnostic(name, number, column, "unknown-class",
                                           f"{kind!r} is not a customer class"
                                           f"{did_you_mean(kind, classes)}"))
                continue
        arrivals.append((time, kind))
    if not problems:
        model.set_trace(arrivals)
    return problems
