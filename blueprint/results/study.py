"""The results of `blueprint whatif`: every scenario against the baseline.

Per scenario: the overrides that made it, every KPI's mean with its interval
and its *paired* change against the baseline (the same random numbers ran in
both, so the change is the effect, not noise), which targets hold, and the
scenario's whole simulation results.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from blueprint.results.base import Record, Statistic
from blueprint.results.simulation import SimulationResults

__all__ = ["Change", "KpiComparison", "ScenarioResults", "StudyResults"]


class Change(Statistic):
    """A KPI's change against the baseline, replication by replication (paired)."""

    significant: bool = Field(description="Whether the paired 95% interval excludes 0.")


class KpiComparison(Record):
    value: Statistic | None = Field(description="The KPI in this scenario.")
    change: Change | None = Field(None, description="Its change against the baseline.")


class ScenarioResults(Record):
    overrides: dict[str, Any] = Field(description="Dotted-path overrides that make the scenario.")
    kpis: dict[str, KpiComparison] = Field(
        description="Every KPI: served, abandonment_rate, time_in_system, revenue, lost_revenue, "
                    "staff_cost, material_cost, profit, idle_hours, cost_per_served, "
                    "utilization:<resource>, and with a service-level target "
                    "service_level:<step> and wait:<step>.")
    targets: dict[str, bool] = Field(description="Whether each of the study's targets holds.")
    results: SimulationResults = Field(description="The scenario's simulation results.")


class StudyResults(Record):
    """What `blueprint whatif --json` writes."""

    study: str = Field(description="Name of the study.")
    seed: int = Field(description="Seed shared by every scenario.")
    replications: int = Field(description="Replications per scenario.")
    scenarios: dict[str, ScenarioResults] = Field(description="By name; `baseline` first.")
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
