"""The results of `blueprint simulate`: the document ``--json`` writes, and one replication's.

:class:`SimulationResults` is the file: the whole service (``system``), every
step and every resource, each figure a :class:`Statistic` over the
replications. :class:`Replication` is one simulated day in plain numbers, the
rows of ``--csv``; the document is computed from the replications, never the
other way round. Definitions are in ``docs/results.md``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_origin

from pydantic import Field, PrivateAttr

from blueprint.files import Output, check_outputs, csv_text, write_output
from blueprint.results import display
from blueprint.results.base import ById, Record, Statistic, mean_at
from blueprint.results.loyalty import LoyaltyResults, OutcomeReplication
from blueprint.results.tables import (
    REPLICATION_COLUMNS,
    STATISTIC_COLUMNS,
    choose,
    frame,
    replication_rows,
    simulation_rows,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CSV_FILES",
    "ClassReplication",
    "ClassResults",
    "Replication",
    "ResourceReplication",
    "ResourceResults",
    "ServiceLevelResults",
    "SimulationResults",
    "StepClassReplication",
    "StepClassResults",
    "StepReplication",
    "StepResults",
    "SystemResults",
    "WaitStatistics",
    "service_level_key",
]

SimulationTable = Literal["statistics", "replications"]

# the files `write_csv` may write: a command checks them all before it runs
CSV_FILES = ("system.csv", "steps.csv", "resources.csv", "classes.csv")

Stat = Statistic | None
Series = list[Statistic | None]
Number = float | None
HourSeries = list[float | None]


def service_level_key(within: float) -> str:
    """How a requested wait names its service level in results: 5.0 -> '5', 0.5 -> '0.5'."""
    return f"{within:g}"


# --- one replication: plain numbers ----------------------------------------------------------


class StepClassReplication(Record):
    """One customer class at one step, in one replication."""

    entries: int = Field(description="Visits to the step by customers of the class.")
    wait_mean: Number = Field(description="Mean wait of those who started service.")
    wait_p50: Number = Field(description="Median of those waits.")
    wait_p90: Number = Field(description="90th percentile of those waits.")
    wait_p95: Number = Field(description="95th percentile of those waits.")
    within_tolerance: Number = Field(description="Share of visits that started within tolerance.")


class StepReplication(Record):
    """One step in one replication."""

    entries: int = Field(description="Visits to the step (a redo counts again).")
    balked: int = Field(0, description="Customers who found the queue at balk_at and left at once.")
    reneged: int = Field(0, description="Customers whose patience ran out in the step's queue.")
    entries_by_hour: list[float] = Field(description="Visits by the hour they reached the step.")
    started_by_hour: list[float] = Field(description="Visits that started service, by that hour.")
    wait_mean: Number = Field(description="Mean wait of visits that started service.")
    wait_p50: Number = Field(description="Median wait.")
    wait_p90: Number = Field(description="90th percentile wait.")
    wait_p95: Number = Field(description="95th percentile wait.")
    wait_by_hour: HourSeries = Field(description="Mean wait by the hour customers reached the step.")
    wait_p90_by_hour: HourSeries = Field(description="90th percentile wait by hour.")
    wait_sample: list[float] = Field(description="Up to 400 waits, evenly spaced, for histograms.")
    service_mean: Number = Field(description="Mean service time of completed services.")
    within_tolerance: Number = Field(description="Share of visits that started within `tolerance`.")
    within_promise: Number = Field(
        None, description="Share of visits that started within the step's `promise` (gap 4).")
    beyond_standard: Number = Field(
        None, description="Share of services that took longer than the step's `standard` (gap 3).")
    service_levels: ById[Number] = Field(
        description="Share of visits that started within each requested wait (key: the wait).")
    service_levels_by_hour: ById[HourSeries] = Field(
        description="The same shares by the hour customers reached the step.")
    queue_length_mean: float = Field(description="Time-average number waiting.")
    queue_length_by_hour: list[float] = Field(description="Time-average number waiting, by hour.")
    queue_time_total: float = Field(description="Customer-time spent waiting here.")
    fail_points: ById[int] = Field(description="Times each fail point fired.")
    classes: ById[StepClassReplication] = Field(
        default_factory=dict, validate_default=True,
        description="Per customer class (models with classes).")


class ResourceReplication(Record):
    """One resource in one replication (hours are clock hours)."""

    utilization: Number = Field(description="Busy server-time / scheduled server-time.")
    idle_hours: float = Field(description="Scheduled server-hours not used: perished capacity.")
    idle_cost: float = Field(description="Idle server-hours x cost_per_hour.")
    busy_hours: float = Field(description="Server-hours spent serving within the schedule.")
    scheduled_hours: float = Field(description="Server-hours on shift.")
    overtime_hours: float = Field(description="Server-hours spent serving after closing.")
    utilization_by_hour: HourSeries = Field(description="Utilisation in each hour.")


class ClassReplication(Record):
    """One customer class in one replication."""

    arrivals: int = Field(description="Customers of the class who arrived.")
    served: int = Field(description="Of them, served to the end.")
    time_in_system_mean: Number = Field(description="Mean time in system of those served.")


class Replication(Record):
    """One simulated day (or steady-state run) in plain numbers: a row of ``--csv``."""

    arrivals: int = Field(description="Customers who arrived (after the warm-up).")
    served: int = Field(description="Customers who walked the journey to the end.")
    balked: int = Field(description="Customers who would not join a queue that long.")
    reneged: int = Field(description="Customers who gave up waiting.")
    abandoned: int = Field(description="balked + reneged + lost at an `abandon` fail point.")
    abandonment_rate: float = Field(description="abandoned / arrivals.")
    time_in_system_mean: Number = Field(description="Mean time in system of served customers.")
    time_in_system_p90: Number = Field(description="90th percentile of it.")
    revenue: float = Field(description="Value of the customers served.")
    lost_revenue: float = Field(description="Value of the customers lost.")
    staff_cost: float = Field(description="Scheduled server-hours x cost_per_hour.")
    material_cost: float = Field(description="Step visits x the step's material_cost.")
    profit: float = Field(description="revenue - staff_cost - material_cost.")
    cost_per_served: Number = Field(description="(staff_cost + material_cost) / served.")
    idle_hours: float = Field(description="Idle server-hours over every resource.")
    idle_cost: float = Field(description="Idle server-hours x cost_per_hour, over every resource.")
    in_system_at_end: int = Field(
        description="Customers who arrived after the warm-up and are still inside when a "
                    "steady-state run stops (0 for a day).")
    in_system_mean: float = Field(description="Time-average number of customers inside.")
    time_in_system_total: float = Field(description="Time inside of every customer, served or lost.")
    measured_hours: float = Field(description="Hours the statistics cover.")
    arrivals_by_hour: list[int] = Field(description="Arrivals in each hour.")
    classes: ById[ClassReplication] = Field(description="Per customer class ('all' if none).")
    steps: ById[StepReplication] = Field(description="Per step, by id.")
    resources: ById[ResourceReplication] = Field(description="Per resource, by id.")
    outcomes: OutcomeReplication | None = Field(
        None, description="Customers by outcome, complaints, lifetime value lost (with `complaints` "
                          "or `demand.loyalty`).")


# --- the document: statistics over replications ----------------------------------------------


class WaitStatistics(Record):
    mean: Stat = Field(description="Mean wait of visits that started service.")
    p50: Stat = Field(description="Median wait.")
    p90: Stat = Field(description="90th percentile wait.")
    p95: Stat = Field(description="95th percentile wait.")


class MeanOnly(Record):
    mean: Stat = Field(description="Mean over the replications.")


class QueueLength(Record):
    mean: Stat = Field(description="Time-average number of customers waiting (not in service).")
    by_hour: Series = Field(description="The same, hour by hour.")


class ServiceLevelResults(Record):
    overall: Stat = Field(description="Share of visits that started within the wait.")
    by_hour: Series = Field(description="The same, by the hour customers reached the step.")


class StepClassResults(Record):
    entries: Stat = Field(description="Visits by customers of the class.")
    wait: WaitStatistics = Field(description="Their waits (mean and percentiles).")
    within_tolerance: Stat = Field(description="Share of their visits served within tolerance.")


class StepResults(Record):
    name: str | None = Field(None, description="The step's name in the model (what a client knows "
                                               "it by; the key is its id).")
    entries: Stat = Field(description="Visits to the step per replication.")
    balked: Stat = Field(None, description="Customers lost at the step by balking: they found "
                                           "balk_at or more waiting and left at once.")
    reneged: Stat = Field(None, description="Customers lost at the step by reneging: their "
                                            "patience ran out in its queue.")
    wait: WaitStatistics = Field(description="Time from reaching the step to starting service.")
    wait_by_hour: Series = Field(description="Mean wait by the hour customers reached the step.")
    wait_p90_by_hour: Series = Field(description="90th percentile wait by hour.")
    service: MeanOnly = Field(description="Service time.")
    within_tolerance: Stat = Field(
        description="Share of visits that started within the step's tolerance; those who left "
                    "count as failures.")
    within_promise: Stat = Field(
        None, description="Share of visits that started within the step's `promise.within`; those "
                          "who left count as promises broken (null without a promise).")
    beyond_standard: Stat = Field(
        None, description="Share of the step's services that took longer than its `standard` "
                          "(null without a standard).")
    queue_length: QueueLength = Field(description="Customers waiting.")
    entries_by_hour: Series = Field(description="Visits by hour.")
    started_by_hour: Series = Field(description="Visits that started service, by hour.")
    service_levels: ById[ServiceLevelResults] = Field(
        description="Share started within each requested wait (studies, staffing).")
    fail_points: ById[Stat] = Field(description="Times each fail point fired.")
    classes: ById[StepClassResults] = Field(
        default_factory=dict, validate_default=True,
        description="Per customer class (models with classes).")


class ResourceResults(Record):
    utilization: Stat = Field(description="Busy server-time / scheduled server-time.")
    idle_hours: Stat = Field(description="Scheduled server-hours not used: perished capacity.")
    idle_cost: Stat = Field(description="Idle server-hours x cost_per_hour.")
    busy_hours: Stat = Field(description="Server-hours spent serving within the schedule.")
    scheduled_hours: Stat = Field(description="Server-hours on shift.")
    overtime_hours: Stat = Field(description="Server-hours spent serving after closing.")
    utilization_by_hour: Series = Field(description="Utilisation hour by hour.")


class TimeInSystem(Record):
    mean: Stat = Field(description="Mean time from arrival to leaving, of served customers.")
    p90: Stat = Field(description="Its 90th percentile.")


class ClassResults(Record):
    arrivals: Stat = Field(description="Customers of the class who arrived.")
    served: Stat = Field(description="Of them, served to the end.")
    time_in_system_mean: Stat = Field(description="Mean time in system of those served.")


class SystemResults(Record):
    arrivals: Stat = Field(description="Customers who arrived.")
    served: Stat = Field(description="Customers who walked the journey to the end.")
    balked: Stat = Field(description="Customers who would not join a queue that long.")
    reneged: Stat = Field(description="Customers who gave up waiting.")
    abandoned: Stat = Field(description="balked + reneged + lost at an `abandon` fail point.")
    abandonment_rate: Stat = Field(description="abandoned / arrivals.")
    time_in_system: TimeInSystem = Field(description="Time in system of served customers.")
    revenue: Stat = Field(description="Value of the customers served.")
    lost_revenue: Stat = Field(description="Value of the customers who left unserved.")
    staff_cost: Stat = Field(description="Scheduled server-hours x cost_per_hour.")
    material_cost: Stat = Field(description="Step visits x the step's material_cost.")
    profit: Stat = Field(description="revenue - staff_cost - material_cost.")
    cost_per_served: Stat = Field(description="(staff_cost + material_cost) / served.")
    idle_hours: Stat = Field(description="Idle (perished) server-hours over every resource.")
    idle_cost: Stat = Field(description="Their cost: idle hours x cost_per_hour.")
    in_system_at_end: Stat = Field(description="Customers inside when a steady-state run stops.")
    in_system_mean: Stat = Field(description="Time-average number of customers inside.")
    classes: ById[ClassResults] = Field(description="Per customer class ('all' if none).")
    arrivals_by_hour: Series = Field(description="Arrivals hour by hour.")
    complaints: Stat = Field(None, description="Customers who complained (with `complaints`).")
    complaint_rate: Stat = Field(None, description="complaints / customers served.")
    dissatisfied: Stat = Field(
        None, description="Customers hit by a fail point, who waited past a tolerance, or lost.")
    dissatisfaction_rate: Stat = Field(None, description="dissatisfied / arrivals.")
    omission_rate: Stat = Field(
        None, description="Complaints never recorded or handled (with a complaint process).")
    time_to_resolve: Stat = Field(
        None, description="Mean time the complaint process took to resolve a complaint.")


class SimulationResults(Record):
    """What `blueprint simulate --json` writes: every figure over the replications."""

    model: str = Field(description="Name of the service model.")
    replications: int = Field(description="Replications (simulated days or runs).")
    seed: int = Field(description="The seed: the same seed gives the same numbers.")
    time_unit: Literal["s", "min", "h"] = Field(description="Unit of every time in the file.")
    currency: str | None = Field(None, description="How the model writes money (its `currency`): "
                                                   "a code or a symbol; none if it gives none.")
    system: SystemResults = Field(description="The whole service.")
    steps: ById[StepResults] = Field(description="Per step, by id.")
    resources: ById[ResourceResults] = Field(description="Per resource, by id.")
    warnings: list[str] = Field(default_factory=list,
                                description="What the reader must know (e.g. an overloaded queue).")
    loyalty: LoyaltyResults | None = Field(
        None, description="Lifetime value and what the day loses of it (with `demand.loyalty`).")

    _runs: list[Replication] = PrivateAttr(default_factory=list)

    @property
    def runs(self) -> list[Replication]:
        """Every replication's own numbers, in replication order (not in the JSON)."""
        return self._runs

    def with_runs(self, runs: list[Replication]) -> SimulationResults:
        self._runs = list(runs)
        return self

    def mean(self, *path: str | int) -> float | None:
        """A mean by path: ``results.mean("steps", "deposit", "wait", "mean")`` (None where no
        replication had a value). A key that is not there is a
        :class:`~blueprint.results.ResultKeyError` (a KeyError) listing the keys that are."""
        return mean_at(self, path, "results")

    def to_pandas(self, table: SimulationTable = "statistics") -> pd.DataFrame:
        """The results as a long pandas DataFrame (docs/results.md, "From Python").

        ``"statistics"``: one row per statistic of the JSON — section, id,
        customer_class, figure, hour, mean, ci_low, ci_high, path.
        ``"replications"``: one row per replication and figure — replication,
        section, id, customer_class, figure, hour, value — named as the
        statistics are, so a figure's mean over the replications is its
        statistic's mean. Needs pandas (``pip install 'blueprint[pandas]'``).
        """
        if choose(table, ("statistics", "replications"), "SimulationResults") == "statistics":
            return frame(simulation_rows(self.to_dict()), STATISTIC_COLUMNS)
        if not self._runs:
            raise ValueError("these results hold no replications (results read from a JSON file "
                             "keep only the statistics): simulate to get them")
        return frame(replication_rows(self._runs), REPLICATION_COLUMNS)

    def __repr__(self) -> str:
        return display.simulation_repr(self)

    def __str__(self) -> str:
        return display.simulation_repr(self)

    def _repr_html_(self) -> str:
        """Jupyter shows results as a summary: headline KPIs, waits per step, resources."""
        return display.simulation_html(self)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, by_alias=True) + "\n"

    def write_json(self, path: str | os.PathLike[str], protect: tuple[Any, ...] = ()) -> Path:
        """Write the document (by :func:`blueprint.files.write_output`; never over one of the
        `protect` input files)."""
        return write_output(path, self.to_json(), protect=protect)

    def csv_tables(self) -> dict[str, str]:
        """One row per replication: system.csv, steps.csv, resources.csv and, with classes,
        classes.csv (per step and class) — as CSV text by file name."""
        runs = self._runs
        system = [c for c in _scalars(Replication) if c != "outcomes"]
        # complaints and lifetime value, where the model follows them: more columns of the day
        followed = [c for c in _scalars(OutcomeReplication)] if runs and runs[0].outcomes else []
        tables = {
            "system.csv": csv_text(["replication", *system, *followed],
                                    [[k, *(getattr(r, c) for c in system),
                                      *(getattr(r.outcomes, c) for c in followed)]
                                     for k, r in enumerate(runs)]),
            "steps.csv": _nested(runs, "steps", "step", StepReplication),
            "resources.csv": _nested(runs, "resources", "resource", ResourceReplication),
        }
        if runs and any(s.classes for s in runs[0].steps.values()):
            columns = _scalars(StepClassReplication)
            rows = [[k, sid, name, *(getattr(figures, c) for c in columns)]
                    for k, r in enumerate(runs) for sid, step in r.steps.items()
                    for name, figures in step.classes.items()]
            tables["classes.csv"] = csv_text(["replication", "step", "class", *columns], rows)
        return tables

    def write_csv(self, folder: str | os.PathLike[str], protect: tuple[Any, ...] = ()) -> list[Path]:
        """The :meth:`csv_tables` as files in `folder` (created if needed; at most the
        :data:`CSV_FILES`), never over one of the `protect` input files."""
        tables = self.csv_tables()
        check_outputs([Output(Path(folder), "the CSV folder", tuple(tables))], protect)
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        return [write_output(target / name, text, protect=protect) for name, text in tables.items()]


def _scalars(cls: type[Record]) -> list[str]:
    """The fields of a replication record that are single numbers (CSV columns)."""
    return [name for name, field in cls.model_fields.items()
            if get_origin(field.annotation) not in (dict, list)
            and not (isinstance(field.annotation, type) and issubclass(field.annotation, Record))]


def _nested(runs: list[Replication], key: str, label: str, cls: type[Record]) -> str:
    columns = _scalars(cls)
    rows = [[k, name, *(getattr(values, c) for c in columns)]
            for k, run in enumerate(runs) for name, values in getattr(run, key).items()]
    return csv_text(["replication", label, *columns], rows)


