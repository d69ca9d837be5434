"""Reading survey answers: the long responses file and the respondents file, every error located.

A responses file has one row per respondent × touchpoint × dimension
(``respondent,step,dimension,expectation,perception``; optional ``adequate``,
``tolerance`` and ``item`` columns); a respondents file one row per respondent
(weights over the five dimensions, ``recommend`` 0–10, ``satisfaction`` 1–5).
Every bad cell is a :class:`~blueprint.diagnostics.Diagnostic` at
``FILE:ROW:COL`` — ROW the file's line number (the header is line 1), COL the
field's 1-based number — and all of them are reported at once, as for models.
Blank answers are allowed and counted.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from blueprint.diagnostics import Diagnostic, ModelError, did_you_mean
from blueprint.files import InputError, read_input
from blueprint.limits import MAX_SURVEY_BYTES
from blueprint.model import DIMENSION_TAGS, DIMENSIONS, ServiceModel, servqual_dimension
from blueprint.model.ids import nfc
from blueprint.survey.questionnaire import moments_of_truth

__all__ = [
    "DEFAULT_SCALE",
    "RESPONDENT_COLUMNS",
    "RESPONSE_COLUMNS",
    "Answer",
    "Respondent",
    "Survey",
    "parse_scale",
    "read_respondents",
    "read_responses",
    "read_survey",
]

DEFAULT_SCALE = (1.0, 7.0)
RESPONSE_COLUMNS = ("respondent", "step", "dimension", "expectation", "perception")
OPTIONAL_RESPONSE_COLUMNS = ("adequate", "tolerance", "item")
WEIGHT_COLUMNS = tuple(f"weight_{d}" for d in DIMENSIONS)
RESPONDENT_COLUMNS = ("respondent", *WEIGHT_COLUMNS, "recommend", "satisfaction")
WEIGHT_SLACK = 1.0  # a respondent's points may sum to 100 ± this (rounding in survey tools)
PASSED_OVER = frozenset(("step_name", "tagged_as", "expectation_statement", "perception_statement",
                         "scale_low", "scale_high", "low_means", "high_means"))
"""The questionnaire's own columns: a filled-in questionnaire reads back as it is."""


class Answer(NamedTuple):
    """One row of the responses: a respondent's two (or three) answers on a dimension at a step."""

    respondent: str
    step: str | None          # None: a model-wide item
    dimension: str            # one of the five
    tag: str                  # the dimension as the file wrote it
    expectation: float | None
    perception: float | None
    adequate: float | None = None
    tolerance: float | None = None   # the longest wait this respondent accepts here (time_unit)
    line: int = 0


@dataclass(frozen=True)
class Respondent:
    """One row of the respondents file."""

    id: str
    weights: dict[str, float] | None   # points out of 100 by dimension
    recommend: int | None              # 0-10
    satisfaction: int | None           # 1-5
    line: int = 0


@dataclass
class Survey:
    """Answers as read, with what was missing; the input of the quality analysis."""

    responses: str
    scale: tuple[float, float]
    answers: list[Answer]
    people: dict[str, Respondent] = field(default_factory=dict)
    respondents_file: str | None = None
    missing: dict[str, int] = field(default_factory=dict)

    @property
    def respondents(self) -> list[str]:
        """Everyone who answered anything, in the order they first appear."""
        seen = dict.fromkeys(a.respondent for a in self.answers)
        seen.update(dict.fromkeys(self.people))
        return list(seen)

    @property
    def files(self) -> tuple[str, ...]:
        return (self.responses, *([self.respondents_file] if self.respondents_file else []))


_SCALE = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*(?:-|–|—|\.\.|to)\s*([-+]?\d+(?:\.\d+)?)\s*$")


def parse_scale(text: object) -> tuple[float, float]:
    """``"1-7"`` (``"-3..3"``, ``"0–10"``) or ``(1, 7)`` as the scale's two ends; anything else,
    or ends not increasing, is a ValueError saying what a scale is."""
    if isinstance(text, str):
        found = _SCALE.match(text)
        if found is None:
            raise ValueError(f"{text!r} is not a scale: write its two ends, such as 1-7, 1-5 or -3..3")
        low, high = float(found.group(1)), float(found.group(2))
    elif isinstance(text, tuple | list) and len(text) == 2 and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in text):
        low, high = float(text[0]), float(text[1])
    else:
        raise ValueError(f"a scale is its two ends, as text ('1-7') or two numbers ((1, 7)); got "
                         f"{text!r}")
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"a scale runs from a lower to a higher number (got {low:g} to {high:g})")
    return low, high


class _Rows:
    """A CSV file's rows with their line numbers, and the errors found in them."""

    def __init__(self, path: str | os.PathLike[str], problems: list[Diagnostic]):
        self.name = os.fspath(path)
        self.problems = problems
        self.text: str | None = None  # None: the file could not be read (said in problems)
        try:
            data = read_input(path, MAX_SURVEY_BYTES)
        except InputError as exc:
            problems.append(Diagnostic(exc.path, 1, 1, exc.code, exc.reason))
            return
        try:
            self.text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            problems.append(Diagnostic(self.name, line, 1, "bad-encoding",
                                       "not UTF-8 text: save the file as UTF-8 CSV"))

    def error(self, line: int, column: int, code: str, message: str) -> None:
        self.problems.append(Diagnostic(self.name, line, column, code, message))

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each row with the line it starts on (a quoted cell may span lines); blank rows skipped."""
        if self.text is None:
            return
        reader = csv.reader(io.StringIO(self.text, newline=""), strict=True)
        start = 1
        try:
            for row in reader:
                if "".join(row).strip():
                    yield start, row
                start = reader.line_num + 1
        except csv.Error as exc:  # an unclosed quote runs to the end: said where the row starts
            self.error(start, 1, "bad-csv", f"not readable as CSV from here on ({exc}): a quote "
                                            "opened in this row is never closed")


def _header(rows: _Rows, header: list[str], required: Sequence[str], known: Sequence[str],
            what: str) -> dict[str, int] | None:
    """Column name -> 0-based index, or None (errors said) when a required column is missing."""
    columns: dict[str, int] = {}
    ok = True
    named = max((i for i, raw in enumerate(header) if raw.strip()), default=-1) + 1
    for i in range(named, len(header)):  # trailing nameless columns (a spreadsheet's): ignored
        columns[f" {i}"] = i
    unnamed = [i for i in range(named) if not header[i].strip()]
    if unnamed:
        rows.error(1, unnamed[0] + 1, "bad-header",
                   f"{len(unnamed)} column{'s have' if len(unnamed) > 1 else ' has'} no name: "
                   "give each column its name")
        ok = False
    for i, raw in enumerate(header[:named]):
        name = raw.strip().lower()
        if not name:
            continue
        if name in columns:
            rows.error(1, i + 1, "bad-header", f"column {name!r} is given twice")
            ok = False
        elif name not in known:
            hint = did_you_mean(name, known)
            if hint and name not in PASSED_OVER:  # a misspelt column: its answers would be lost
                rows.error(1, i + 1, "bad-header", f"unknown column {raw!r}{hint}; {what} has: "
                                                   f"{', '.join(known)}")
                ok = False
            columns[f" {i}"] = i  # another column (a survey tool's timestamp): passed over
            continue
        columns[name] = i
    missing = [c for c in required if c not in columns]
    if missing:
        rows.error(1, 1, "bad-header", f"missing column{'s' if len(missing) > 1 else ''} "
                                       f"{', '.join(missing)}: {what} needs {', '.join(required)}")
        ok = False
    return columns if ok else None


def _twice(rows: _Rows, line: int, row: list[str], columns: dict[str, int], item: int | None,
           seen: dict[tuple[str, str, str, str], int]) -> bool:
    """Whether this row answers what an earlier row of the respondent answered (said as
    `duplicate-answer`, whatever else is wrong with either row). Model-wide rows may repeat a
    dimension — the 22 items ask each four or five times — unless an `item` column names them."""
    cells = [row[columns[c]].strip() if columns[c] < len(row) else ""
             for c in ("respondent", "step", "dimension")]
    who, step, tag = cells[0], nfc(cells[1]), cells[2]
    code = item is not None and item < len(row) and row[item].strip()
    if not who or (not step and not code):
        return False
    dimension = DIMENSION_TAGS.get(tag.lower(), tag)
    key = (who, step, dimension, row[item].strip() if code and item is not None else "")
    if key in seen:
        where = f"at {step}" if step else f"model-wide, item {key[3]}"
        rows.error(line, columns["respondent"] + 1, "duplicate-answer",
                   f"{who} answered {dimension} {where} twice (first on line {seen[key]})")
        return True
    seen[key] = line
    return False


def _respondent(rows: _Rows, line: int, row: list[str], columns: dict[str, int]) -> str:
    """The row's respondent id (blank: said as `missing-respondent`)."""
    ident = _cell(row, columns, "respondent")
    if not ident:
        rows.error(line, columns["respondent"] + 1, "missing-respondent", "no respondent id in this row")
    return ident


def _too_wide(rows: _Rows, line: int, row: list[str], columns: dict[str, int]) -> bool:
    """A row with more or fewer fields than the header: a comma too many or too few, said at
    the first field too many, or after the last one there is."""
    if len(row) == len(columns):
        return False
    more = len(row) > len(columns)
    rows.error(line, len(columns) + 1 if more else len(row) + 1, "bad-csv",
               f"this row has {len(row)} field{'s' if len(row) != 1 else ''}, the header "
               f"{len(columns)}: a comma too {'many' if more else 'few'}? (a blank answer is an "
               "empty field between commas)")
    return True


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    i = columns.get(name)
    return row[i].strip() if i is not None and i < len(row) else ""


def _number(rows: _Rows, line: int, column: int, text: str, what: str) -> float | None:
    try:
        if "_" in text:  # Python reads 1_0 as 10; a survey tool never writes it
            raise ValueError(text)
        value = float(text)
    except ValueError:
        rows.error(line, column, "bad-number", f"{what} {text!r} is not a number")
        return None
    if not math.isfinite(value):
        rows.error(line, column, "bad-number", f"{what} must be a finite number, not {text!r}")
        return None
    return value


def _answer(rows: _Rows, line: int, row: list[str], columns: dict[str, int], name: str,
            scale: tuple[float, float], missing: dict[str, int]) -> float | None:
    if name not in columns:
        return None
    text = _cell(row, columns, name)
    if not text:
        missing[name] = missing.get(name, 0) + 1
        return None
    value = _number(rows, line, columns[name] + 1, text, name)
    if value is not None and not scale[0] <= value <= scale[1]:
        rows.error(line, columns[name] + 1, "out-of-scale",
                   f"{name} {text} is outside the scale {scale[0]:g}–{scale[1]:g}")
        return None
    return value


def read_responses(model: ServiceModel, path: str | os.PathLike[str], *,
                   scale: tuple[float, float] = DEFAULT_SCALE,
                   problems: list[Diagnostic] | None = None,
                   management: bool = False) -> tuple[list[Answer], dict[str, int]]:
    """The answers of a long responses file, and how many of each were blank.

    Errors go to `problems` when given (to be reported with others), else raise
    :class:`ModelError` at once. A `management` questionnaire (managers
    predicting what customers expect, for gap 1) needs no perception column.
    """
    required = RESPONSE_COLUMNS[:4] if management else RESPONSE_COLUMNS
    found: list[Diagnostic] = [] if problems is None else problems
    rows = _Rows(path, found)
    steps = {s.id: s for s in model.steps}
    moments = {s.id for s in moments_of_truth(model)}
    answers: list[Answer] = []
    missing = {"expectation": 0, "perception": 0}
    seen: dict[tuple[str, str, str, str], int] = {}
    lines = rows.rows()
    first = next(lines, None)
    if first is None and rows.text is not None:
        rows.error(1, 1, "empty-survey", "the file is empty: it needs a header row "
                                         f"({','.join(RESPONSE_COLUMNS)}) and answers")
    if first is None:
        pass
    else:
        columns = _header(rows, first[1], required,
                          (*RESPONSE_COLUMNS, *OPTIONAL_RESPONSE_COLUMNS), "a responses file")
        if columns is not None:
            if "adequate" in columns:
                missing["adequate"] = 0
            quick = _Quick(columns, moments, scale)
            item = columns.get("item")
            for line, row in lines:
                twice = _twice(rows, line, row, columns, item, seen)
                answer = quick.answer(row, line, missing)
                if answer is None:  # something is off: read it cell by cell, saying what
                    answer = _read_answer(rows, line, row, columns, steps, moments, scale, missing)
                if answer is not None and not twice:
                    answers.append(answer)
            if not rows.problems and not any(a.expectation is not None or a.perception is not None
                                             for a in answers):
                rows.error(2 if not answers else answers[0].line, 1, "empty-survey",
                           "the file has no answers" + (": every expectation and perception is blank"
                                                        if answers else ", only a header"))
    if problems is None and found:
        raise ModelError(found)
    return answers, missing


class _Quick:
    """A row read in one go when every cell is as it should be (nearly every row of a real
    survey); any doubt returns None, and the row is read again cell by cell, with errors."""

    def __init__(self, columns: dict[str, int], moments: set[str], scale: tuple[float, float]):
        self.width = len(columns)
        self.who, self.step, self.dim = columns["respondent"], columns["step"], columns["dimension"]
        self.values = [(name, columns[name]) for name in ("expectation", "perception", "adequate")
                       if name in columns]
        self.tolerance = columns.get("tolerance")
        self.moments = moments
        self.low, self.high = scale
        self.tags = dict(DIMENSION_TAGS)

    def answer(self, row: list[str], line: int, missing: dict[str, int]) -> Answer | None:
        if len(row) != self.width:
            return None
        who, step, tag = row[self.who].strip(), row[self.step].strip(), row[self.dim].strip()
        if not step.isascii():
            step = nfc(step)
        dimension = self.tags.get(tag) or self.tags.get(tag.lower())
        if not who or dimension is None or (step and step not in self.moments):
            return None
        got: dict[str, float | None] = {}
        blank = []
        for name, i in self.values:
            text = row[i].strip()
            if not text:
                got[name] = None
                blank.append(name)
                continue
            if "_" in text:
                return None
            try:
                value = float(text)
            except ValueError:
                return None
            if not self.low <= value <= self.high:  # also false for nan
                return None
            got[name] = value
        tolerance = None
        if self.tolerance is not None and row[self.tolerance].strip():
            if "_" in row[self.tolerance]:
                return None
            try:
                tolerance = float(row[self.tolerance])
            except ValueError:
                return None
            if not step or not 0 <= tolerance < math.inf:
                return None
        for name in blank:
            missing[name] = missing.get(name, 0) + 1
        return Answer(who, step or None, dimension, tag, got.get("expectation"), got.get("perception"),
                      got.get("adequate"), tolerance, line)


def _read_answer(rows: _Rows, line: int, row: list[str], columns: dict[str, int],
                 steps: Mapping[str, object], moments: set[str], scale: tuple[float, float],
                 missing: dict[str, int]) -> Answer | None:
    before = len(rows.problems)
    if _too_wide(rows, line, row, columns):
        return None
    respondent = _respondent(rows, line, row, columns)
    step: str | None = nfc(_cell(row, columns, "step")) or None
    if step is not None and step not in steps:
        rows.error(line, columns["step"] + 1, "unknown-step",
                   f"{step!r} is not a step of the model{did_you_mean(step, moments)}")
    elif step is not None and step not in moments:
        zone = getattr(steps[step], "zone", "")
        rows.error(line, columns["step"] + 1, "not-a-touchpoint",
                   f"{step!r} is a {zone} step, out of the customer's sight: a survey asks about "
                   "customer and frontstage steps (the moments of truth)")
    tag = _cell(row, columns, "dimension")
    dimension = ""
    if not tag:
        rows.error(line, columns["dimension"] + 1, "unknown-dimension", "no dimension in this row")
    elif tag.lower() not in DIMENSION_TAGS:
        rows.error(line, columns["dimension"] + 1, "unknown-dimension",
                   f"{tag!r} is not a SERVQUAL dimension{did_you_mean(tag.lower(), DIMENSION_TAGS)}: "
                   "use tangibles, reliability, responsiveness, assurance or empathy (or one of "
                   "the original ten, or 有形性, 可靠性, 响应性, 保证性, 移情性)")
    else:
        dimension = servqual_dimension(tag)
    expectation = _answer(rows, line, row, columns, "expectation", scale, missing)
    perception = _answer(rows, line, row, columns, "perception", scale, missing)
    adequate = _answer(rows, line, row, columns, "adequate", scale, missing)
    tolerance = None
    if _cell(row, columns, "tolerance"):
        tolerance = _number(rows, line, columns["tolerance"] + 1, _cell(row, columns, "tolerance"),
                            "tolerance")
        if tolerance is not None and step is None:
            rows.error(line, columns["tolerance"] + 1, "bad-number",
                       "a tolerance is the wait accepted at a step: this model-wide row has no step")
            tolerance = None
        elif tolerance is not None and tolerance < 0:
            rows.error(line, columns["tolerance"] + 1, "bad-number",
                       f"tolerance {tolerance:g} is a wait: it cannot be negative")
            tolerance = None
    if len(rows.problems) > before:
        return None
    return Answer(respondent, step, dimension, tag, expectation, perception, adequate, tolerance, line)


def _integer(rows: _Rows, line: int, row: list[str], columns: dict[str, int], name: str,
             low: int, high: int) -> int | None:
    text = _cell(row, columns, name)
    if not text:
        return None
    value = _number(rows, line, columns[name] + 1, text, name)
    if value is None:
        return None
    if value != int(value) or not low <= value <= high:
        rows.error(line, columns[name] + 1, "out-of-scale",
                   f"{name} {text} is not a whole number from {low} to {high}")
        return None
    return int(value)


def read_respondents(path: str | os.PathLike[str], *,
                     problems: list[Diagnostic] | None = None) -> dict[str, Respondent]:
    """The respondents file: each respondent's weights, recommendation and satisfaction."""
    found: list[Diagnostic] = [] if problems is None else problems
    rows = _Rows(path, found)
    people: dict[str, Respondent] = {}
    lines = rows.rows()
    first = next(lines, None)
    if first is None and rows.text is not None:
        rows.error(1, 1, "empty-survey", "the file is empty: it needs a header row starting "
                                         "with respondent")
    if first is None:
        pass
    else:
        columns = _header(rows, first[1], ("respondent",), RESPONDENT_COLUMNS, "a respondents file")
        given = [c for c in WEIGHT_COLUMNS if columns is not None and c in columns]
        if columns is not None and given and len(given) != len(WEIGHT_COLUMNS):
            absent = [c for c in WEIGHT_COLUMNS if c not in given]
            rows.error(1, columns[given[0]] + 1, "bad-weights",
                       f"weights go over all five dimensions: {', '.join(absent)} missing")
            columns = None
        if columns is not None:
            first_seen: dict[str, int] = {}
            for line, row in lines:
                ident = row[columns["respondent"]].strip() if columns["respondent"] < len(row) else ""
                if ident and ident in first_seen:  # said whatever else is wrong with either row
                    rows.error(line, columns["respondent"] + 1, "duplicate-respondent",
                               f"{ident} is in the file twice (first on line {first_seen[ident]})")
                person = _read_respondent(rows, line, row, columns, given)
                if ident and ident not in first_seen:
                    first_seen[ident] = line
                    if person is not None:
                        people[person.id] = person
    if problems is None and found:
        raise ModelError(found)
    return people


def _read_respondent(rows: _Rows, line: int, row: list[str], columns: dict[str, int],
                     weight_columns: list[str]) -> Respondent | None:
    before = len(rows.problems)
    if _too_wide(rows, line, row, columns):
        return None
    ident = _respondent(rows, line, row, columns)
    weights: dict[str, float] | None = None
    if weight_columns:
        cells = {c: _cell(row, columns, c) for c in weight_columns}
        if any(cells.values()):
            blank = [c for c, text in cells.items() if not text]
            if blank:
                rows.error(line, columns[blank[0]] + 1, "bad-weights",
                           f"{blank[0]} is blank: give all five weights or none")
            else:
                values = {c: _number(rows, line, columns[c] + 1, text, c) for c, text in cells.items()}
                if all(v is not None for v in values.values()):
                    negative = [c for c, v in values.items() if v is not None and v < 0]
                    total = sum(v for v in values.values() if v is not None)
                    if negative:
                        rows.error(line, columns[negative[0]] + 1, "bad-weights",
                                   f"{negative[0]} is negative: points are 0 to 100")
                    elif abs(total - 100) > WEIGHT_SLACK:
                        rows.error(line, columns[weight_columns[0]] + 1, "bad-weights",
                                   f"the five weights sum to {total:g}, not 100 (±{WEIGHT_SLACK:g})")
                    else:
                        weights = {c.removeprefix("weight_"): float(v)
                                   for c, v in values.items() if v is not None}
    recommend = _integer(rows, line, row, columns, "recommend", 0, 10)
    satisfaction = _integer(rows, line, row, columns, "satisfaction", 1, 5)
    if len(rows.problems) > before:
        return None
    return Respondent(ident, weights, recommend, satisfaction, line)


def read_survey(model: ServiceModel, responses: str | os.PathLike[str],
                respondents: str | os.PathLike[str] | None = None, *,
                scale: tuple[float, float] | str = DEFAULT_SCALE) -> Survey:
    """A survey of `model`: its answers and respondents, or :class:`ModelError` with every error."""
    bounds = parse_scale(scale)
    problems: list[Diagnostic] = []
    answers, missing = read_responses(model, responses, scale=bounds, problems=problems)
    people = read_respondents(respondents, problems=problems) if respondents is not None else {}
    if problems:
        raise ModelError(problems)
    return Survey(os.fspath(responses), bounds, answers, people,
                  os.fspath(respondents) if respondents is not None else None, missing)
