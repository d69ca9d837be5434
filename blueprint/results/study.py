"""The results of `blueprint whatif`: every scenario against the baseline.

Per scenario: the overrides that made it, every KPI's mean with its interval
and its *paired* change against the baseline (the same random numbers ran in
both, so the change is the effect, not noise), which targets hold, and the
scenario's whole simulation results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from blueprint.results import display
from blueprint.results.base import ById, Record, Statistic, mean_at
from blueprint.results.simulation import SimulationResults
from blueprint.results.tables import (
    REPLICATION_COLUMNS,
    STATISTIC_COLUMNS,
    Row,
    choose,
    frame,
    pointer,
    replication_rows,
    simulation_rows,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Change", "KpiComparison", "ScenarioResults", "StudyResults"]

StudyTable = Literal["statistics", "kpis", "targets", "replications"]


class Change(Statistic):
    """A KPI's change against the baseline, replication by replication (paired)."""

    significant: bool = Field(description="Whether the paired 95% interval excludes 0.")


class KpiComparison(Record):
    value: Statistic | None = Field(description="The KPI in this scenario.")
    change: Change | None = Field(None, description="Its change against the baseline.")


class ScenarioResults(Record):
    overrides: dict[str, Any] = Field(description="Dotted-path overrides that make the scenario.")
    kpis: ById[KpiComparison] = Field(
        description="Every KPI: served, abandonment_rate, time_in_system, revenue, lost_revenue, "
                    "staff_cost, material_cost, profit, idle_hours, cost_per_served, "
                    "utilization:<resource>, and with a service-level target "
                    "service_level:<step> and wait:<step>.")
    targets: ById[bool] = Field(description="Whether each of the study's targets holds.")
    results: SimulationResults = Field(description="The scenario's simulation results.")

    def __repr__(self) -> str:
        return f"<ScenarioResults: {display.scenario_line(self)}>"


class StudyResults(Record):
    """What `blueprint whatif --json` writes."""

    study: str = Field(description="Name of the study.")
    seed: int = Field(description="Seed shared by every scenario.")
    replications: int = Field(description="Replications per scenario.")
    scenarios: ById[ScenarioResults] = Field(description="By name; `baseline` first.")
    same_as: dict[str, str] = Field(
        default_factory=dict,
        description="Scenarios that make the same model as an earlier one (a sweep point that "
                    "repeats a named scenario, say): run once, under the earlier name, given "
                    "here as name -> earlier name.")

    def notes(self) -> list[str]:
        """What a reader of the study's table must know: scenarios that were the same."""
        return [f"scenario {name!r} is the same as {earlier!r} (the same model): run once, as "
                f"{earlier!r}" for name, earlier in self.same_as.items()]

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, by_alias=True) + "\n"

    def mean(self, *path: str | int) -> float | None:
        """A mean by path: ``study.mean("scenarios", "busy_day", "kpis", "profit", "change")``;
        a key that is not there is a :class:`~blueprint.results.ResultKeyError` listing the
        keys that are."""
        return mean_at(self, path, "study")

    def to_pandas(self, table: StudyTable = "statistics") -> pd.DataFrame:
        """The study as a long pandas DataFrame (docs/results.md, "From Python").

        ``"statistics"``: every statistic of every scenario, one row each —
        scenario, then the columns of ``SimulationResults.to_pandas()``; a
        KPI's value and change are rows of section ``kpis`` (id: the KPI,
        figure: ``value`` or ``change``).
        ``"kpis"``: one row per scenario and KPI — scenario, kpi, mean,
        ci_low, ci_high, change, change_low, change_high, significant.
        ``"targets"``: one row per scenario and target — scenario, target, met.
        ``"replications"``: scenario, then the columns of
        ``SimulationResults.to_pandas("replications")``.
        """
        chosen = choose(table, ("statistics", "kpis", "targets", "replications"), "StudyResults")
        if chosen == "kpis":
            return frame(self._kpi_rows(), ("scenario", "kpi", "mean", "ci_low", "ci_high", "change",
                                            "change_low", "change_high", "significant"))
        if chosen == "targets":
            return frame([(name, target, met) for name, scenario in self.scenarios.items()
                          for target, met in scenario.targets.items()], ("scenario", "target", "met"))
        if chosen == "replications":
            if not all(scenario.results.runs for scenario in self.scenarios.values()):
                raise ValueError("this study holds no replications (a study read from a JSON file "
                                 "keeps only the statistics): run it to get them")
            return frame([(name, *row) for name, scenario in self.scenarios.items()
                          for row in replication_rows(scenario.results.runs)],
                         ("scenario", *REPLICATION_COLUMNS))
        return frame(self._statistic_rows(), ("scenario", *STATISTIC_COLUMNS))

    def _statistic_rows(self) -> list[Row]:
        rows: list[Row] = []
        for name, scenario in self.to_dict()["scenarios"].items():
            at = ["scenarios", name]
            rows += [(name, "kpis", kpi, None, figure, None, stat["mean"], *stat["ci95"],
                      pointer([*at, "kpis", kpi, figure]))
                     for kpi, comparison in scenario["kpis"].items()
                     for figure in ("value", "change") if (stat := comparison.get(figure))]
            rows += [(name, *row) for row in simulation_rows(scenario["results"], [*at, "results"])]
        return rows

    def _kpi_rows(self) -> list[Row]:
        rows: list[Row] = []
        for name, scenario in self.scenarios.items():
            for kpi, comparison in scenario.kpis.items():
                value, change = comparison.value, comparison.change
                rows.append((name, kpi, *(_three(value) if value else (None,) * 3),
                             *(_three(change) if change else (None,) * 3),
                             None if change is None else change.significant))
        return rows

    def __repr__(self) -> str:
        return display.study_repr(self)

    def __str__(self) -> str:
        return display.study_repr(self)

    def _repr_html_(self) -> str:
        """Jupyter shows a study as its scenarios side by side."""
        return display.study_html(self)


def _three(stat: Statistic) -> tuple[float, float, float]:
    return stat.mean, stat.low, stat.high
