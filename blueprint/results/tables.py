"""Result documents as pandas DataFrames: long ("tidy") tables to filter, pivot and plot.

A document's JSON nests figures by where they belong (``steps → deposit →
wait → p90``); a DataFrame wants one row per observation. So every
``to_pandas()`` gives a long table: one row per statistic, with columns that
say where it belongs (``section``, ``id``, ``customer_class``, ``figure``,
``hour``), its ``mean``, the ends of its 95% interval (``ci_low``,
``ci_high``), and where it is in the JSON (``path``, a JSON Pointer). Pivot it
into the table you need::

    stats = results.to_pandas()
    steps = stats[stats.section == "steps"]
    steps.pivot_table(index="id", columns="figure", values="mean")        # step x figure
    waits = stats[stats.figure == "wait_by_hour"]
    waits.pivot(index="hour", columns="id", values="mean").plot()          # waits through the day

The per-replication table has the same columns with one ``value`` per
replication instead of the statistic, so its mean over replications is the
statistic's mean. pandas is optional (``pip install 'blueprint[pandas]'``):
it is imported here, when a table is asked for. The layouts are written down
in docs/results.md ("From Python: notebooks, paths and DataFrames").
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from blueprint.diagnostics import did_you_mean

if TYPE_CHECKING:
    import pandas as pd

    from blueprint.results.simulation import Replication

__all__ = ["INSTALL_HINT", "REPLICATION_COLUMNS", "STATISTIC_COLUMNS", "PandasUnavailable",
           "choose", "frame", "pointer", "replication_rows", "simulation_rows", "statistics"]

INSTALL_HINT = "pip install 'blueprint[pandas]'  (or: pip install pandas)"

PLACE = ("section", "id", "customer_class", "figure", "hour")
STATISTIC_COLUMNS = (*PLACE, "mean", "ci_low", "ci_high", "path")
REPLICATION_COLUMNS = ("replication", *PLACE, "value")

Row = tuple[Any, ...]
Path = list[str | int]


class PandasUnavailable(ImportError):
    """pandas is optional; this says how to install it."""


def frame(rows: Sequence[Row], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of `rows`; an ``hour`` or ``replication`` column holds whole numbers, a
    ``significant`` one true or false, each or <NA>."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise PandasUnavailable(f"to_pandas() needs pandas, which is not installed: "
                                f"{INSTALL_HINT}") from exc
    table = pd.DataFrame.from_records(list(rows), columns=list(columns))
    dtypes = {"hour": pd.Int64Dtype(), "replication": pd.Int64Dtype(), "significant": pd.BooleanDtype()}
    return table.astype({column: dtype for column, dtype in dtypes.items() if column in table.columns})


def choose(table: str, tables: Sequence[str], owner: str) -> str:
    """`table` if it is one of `tables`, else a ValueError naming them."""
    if table not in tables:
        raise ValueError(f"{owner}.to_pandas() has no table {table!r}{did_you_mean(table, tables)}; "
                         f"the tables: {', '.join(map(repr, tables))}")
    return table


def pointer(path: Sequence[str | int]) -> str:
    """A JSON Pointer (RFC 6901): ``/steps/deposit/wait/mean`` (``~`` and ``/`` in a key escaped)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def statistics(data: Any, path: Path | None = None) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every statistic (``{"mean", "ci95", ...}``) in a document's JSON, with its path, in
    document order; a null statistic (no replication had a value) is not one."""
    path = path or []
    if isinstance(data, dict):
        if "ci95" in data and isinstance(data.get("mean"), int | float):
            yield path, data
            return
        for key, value in data.items():
            yield from statistics(value, [*path, key])
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from statistics(value, [*path, index])


def place(path: Path) -> Row:
    """Where a statistic of simulation results belongs, from its path: (section, id,
    customer_class, figure, hour). ``system/classes/regular/served`` is ("system", None,
    "regular", "served", None); ``steps/deposit/queue_length/by_hour/3`` is ("steps",
    "deposit", None, "queue_length.by_hour", 3)."""
    section, rest = str(path[0]), list(path[1:])
    if section == "loyalty":  # loyalty/clv_lost; loyalty/by_cause/wrong_dish/clv_lost
        if rest[0] in ("by_outcome", "by_cause"):
            return section, str(rest[1]), None, f"{rest[0]}.{rest[2]}", None
        return section, None, None, ".".join(map(str, rest)), None
    ident = None if section == "system" else str(rest.pop(0))
    customer_class = None
    if rest[:1] == ["classes"] and len(rest) > 2:
        customer_class, rest = str(rest[1]), rest[2:]
    hour = rest.pop() if rest and isinstance(rest[-1], int) else None
    return section, ident, customer_class, ".".join(map(str, rest)), hour


def simulation_rows(data: dict[str, Any], prefix: Path | None = None) -> list[Row]:
    """The statistics table of simulation results (their JSON), as rows of STATISTIC_COLUMNS;
    `prefix` is where the results sit in a larger document (a study's scenario)."""
    prefix = prefix or []
    sections = ("system", "steps", "resources", "loyalty")
    return [(*place(path), stat["mean"], *stat["ci95"], pointer([*prefix, *path]))
            for path, stat in statistics({key: data[key] for key in sections if data.get(key)})]


# --- one row per replication, named as the statistics are -------------------------------------

_WAITS = {f"wait_{q}": f"wait.{q}" for q in ("mean", "p50", "p90", "p95")}
# a replication's field -> the statistic it makes (where the names differ)
_NAMES: dict[str, dict[str, str]] = {
    "Replication": {"time_in_system_mean": "time_in_system.mean",
                    "time_in_system_p90": "time_in_system.p90"},
    "StepReplication": {**_WAITS, "service_mean": "service.mean",
                        "queue_length_mean": "queue_length.mean",
                        "queue_length_by_hour": "queue_length.by_hour",
                        "service_levels": "service_levels.{}.overall",
                        "service_levels_by_hour": "service_levels.{}.by_hour",
                        "fail_points": "fail_points.{}"},
    "StepClassReplication": _WAITS,
}
_NOT_FIGURES = frozenset({"classes", "steps", "resources", "wait_sample", "outcomes"})


def replication_rows(runs: Sequence[Replication]) -> list[Row]:
    """Every replication's figures as rows of REPLICATION_COLUMNS (``wait_sample`` aside: it is
    in ``results.runs``)."""
    rows: list[Row] = []
    for k, run in enumerate(runs):
        rows += _figures(k, ("system", None, None), run)
        for name, in_class in run.classes.items():
            rows += _figures(k, ("system", None, name), in_class)
        for sid, step in run.steps.items():
            rows += _figures(k, ("steps", sid, None), step)
            for name, at_step in step.classes.items():
                rows += _figures(k, ("steps", sid, name), at_step)
        for rid, resource in run.resources.items():
            rows += _figures(k, ("resources", rid, None), resource)
    return rows + _outcome_rows(runs)


def _outcome_rows(runs: Sequence[Replication]) -> list[Row]:
    """Complaints and lifetime value, day by day, placed as their statistics are (an outcome
    or a cause a day did not have counts 0 that day, as in the statistics)."""
    days = [(k, r.outcomes) for k, r in enumerate(runs) if r.outcomes is not None]
    if not days:
        return []
    outcomes = sorted({o for _, d in days for o in d.customers})
    causes = sorted({c for _, d in days for c in d.causes})
    rows: list[Row] = []
    for k, d in days:
        rows += [(k, "system", None, None, key, None, float(getattr(d, key)))
                 for key in ("complaints", "complaint_rate", "dissatisfied", "dissatisfaction_rate",
                             "omission_rate", "time_to_resolve")
                 if getattr(d, key) is not None]
        if d.clv is None:
            continue
        rows += [(k, "loyalty", None, None, "clv", None, d.clv),
                 (k, "loyalty", None, None, "clv_lost", None, float(d.clv_lost or 0.0))]
        for o in outcomes:
            rows += [(k, "loyalty", o, None, "by_outcome.customers", None, float(d.customers.get(o, 0))),
                     (k, "loyalty", o, None, "by_outcome.clv_lost", None,
                      d.clv_lost_by_outcome.get(o, 0.0))]
        for c in causes:
            cause = d.causes.get(c)
            rows += [(k, "loyalty", c, None, f"by_cause.{key}", None,
                      float(getattr(cause, key)) if cause is not None else 0.0)
                     for key in ("customers", "complaints", "clv_lost")]
    return rows


def _figures(k: int, where: tuple[str, str | None, str | None], record: Any) -> list[Row]:
    names = _NAMES.get(type(record).__name__, {})
    rows: list[Row] = []
    for field in type(record).model_fields:
        if field in _NOT_FIGURES:
            continue
        value, figure = getattr(record, field), names.get(field, field)
        series = value.items() if isinstance(value, dict) else [(None, value)]
        for key, item in series:
            name = figure.format(key) if key is not None else figure
            hours = enumerate(item) if isinstance(item, list) else [(None, item)]
            rows += [(k, *where, name, hour, float(v)) for hour, v in hours if v is not None]
    return rows
