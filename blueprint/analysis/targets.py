"""Targets a service must meet, and the KPIs a study compares.

Targets are judged on the mean over replications: "80% within 5 minutes at
the deposit counter", "no more than 5% of customers lost", "tellers busy
between 70% and 90% of their scheduled time", "staff cost at most 2,000".
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field, PositiveFloat, model_validator
from pydantic_core import PydanticCustomError

from blueprint.model.base import Identifier, Strict
from blueprint.results import Replication, service_level_key

__all__ = ["KPIS", "OUTCOME_KPIS", "Limit", "ServiceLevelTarget", "Targets", "UtilizationTarget",
           "evaluate_targets", "kpi_values"]

KPIS = ("served", "abandonment_rate", "time_in_system", "revenue", "lost_revenue", "staff_cost",
        "material_cost", "profit", "idle_hours", "cost_per_served")
"""The KPIs every scenario reports: each is a field of the simulator's replication record."""

_FIELD = {"time_in_system": "time_in_system_mean"}

OUTCOME_KPIS = ("complaints", "complaint_rate", "dissatisfied", "dissatisfaction_rate",
                "omission_rate", "time_to_resolve", "clv_lost")
"""The KPIs of a model with `complaints` or `demand.loyalty` (docs/loyalty.md), besides KPIS."""


class Limit(Strict):
    """A bound on a KPI's mean."""

    at_most: float | None = Field(None, description="The mean must not exceed this.")
    at_least: float | None = Field(None, description="The mean must reach this.")

    @model_validator(mode="after")
    def _some_bound(self) -> Limit:
        if self.at_most is None and self.at_least is None:
            raise PydanticCustomError("missing-key", "give `at_most`, `at_least` or both")
        return self

    def holds(self, value: float | None) -> bool:
        if value is None:
            return False
        return (self.at_most is None or value <= self.at_most + 1e-12) and (
            self.at_least is None or value >= self.at_least - 1e-12)


class ServiceLevelTarget(Strict):
    """At least `at_least` of the customers reaching `step` start service within `within`."""

    step: Identifier = Field(description="The step whose wait is judged.")
    within: PositiveFloat = Field(description="Longest acceptable wait (the model's time unit).")
    at_least: float = Field(ge=0, le=1, description="Share that must be served within it.")


class UtilizationTarget(Limit):
    """Busy share of a resource's scheduled time, within bounds."""

    resource: Identifier = Field(description="The resource judged.")


class Targets(Strict):
    """Every target is optional; those given are judged for every scenario."""

    service_level: ServiceLevelTarget | None = Field(None, description="Served within a wait.")
    abandonment_rate: Limit | None = Field(None, description="Share of customers lost.")
    utilization: UtilizationTarget | None = Field(None, description="A resource's utilisation.")
    staff_cost: Limit | None = Field(None, description="Staff cost over the horizon.")
    time_in_system: Limit | None = Field(None, description="Mean time in system.")
    complaints: Limit | None = Field(None, description="Complaints a day.")
    complaint_rate: Limit | None = Field(None, description="Complaints per customer served.")
    dissatisfied: Limit | None = Field(None, description="Dissatisfied customers a day.")
    omission_rate: Limit | None = Field(
        None, description="Complaints the linked complaint process never records or handles.")
    time_to_resolve: Limit | None = Field(None, description="The complaint process's mean time to "
                                                            "resolve (the model's time unit).")
    dissatisfaction_rate: Limit | None = Field(
        None, description="Share of arrivals hit by a fail point, kept past a tolerance, or lost.")
    clv_lost: Limit | None = Field(None, description="Lifetime value lost a day (with loyalty).")

    def service_level_requests(self) -> dict[str, list[float]]:
        if self.service_level is None:
            return {}
        return {self.service_level.step: [self.service_level.within]}

    def given(self) -> list[str]:
        return [name for name in type(self).model_fields if getattr(self, name)]


def kpi_values(runs: Sequence[Replication], targets: Targets) -> dict[str, list[float | None]]:
    """Per KPI, one value per replication (paired across scenarios by replication).

    Every value is read from the replication record, never recomputed: the
    economics command and the report show the same figures.
    """
    values: dict[str, list[float | None]] = {
        kpi: [getattr(r, _FIELD.get(kpi, kpi)) for r in runs] for kpi in KPIS
    }
    for rid in runs[0].resources:
        values[f"utilization:{rid}"] = [r.resources[rid].utilization for r in runs]
    if runs[0].outcomes is not None:  # complaints and loyalty, where the model follows them
        for kpi in OUTCOME_KPIS:
            values[kpi] = [getattr(r.outcomes, kpi) if r.outcomes is not None else None for r in runs]
    if targets.service_level is not None:
        step, within = targets.service_level.step, targets.service_level.within
        values[f"service_level:{step}"] = [r.steps[step].service_levels[service_level_key(within)]
                                           for r in runs]
        values[f"wait:{step}"] = [r.steps[step].wait_mean for r in runs]
    return values


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def evaluate_targets(targets: Targets, values: dict[str, list[float | None]]) -> dict[str, bool]:
    """Whether each given target holds, judged on the mean over replications."""
    verdicts: dict[str, bool] = {}
    if targets.service_level is not None:
        level = _mean(values[f"service_level:{targets.service_level.step}"])
        verdicts["service_level"] = level is not None and level >= targets.service_level.at_least - 1e-12
    if targets.abandonment_rate is not None:
        verdicts["abandonment_rate"] = targets.abandonment_rate.holds(_mean(values["abandonment_rate"]))
    if targets.utilization is not None:
        key = f"utilization:{targets.utilization.resource}"
        verdicts["utilization"] = targets.utilization.holds(_mean(values.get(key, [])))
    if targets.staff_cost is not None:
        verdicts["staff_cost"] = targets.staff_cost.holds(_mean(values["staff_cost"]))
    if targets.time_in_system is not None:
        verdicts["time_in_system"] = targets.time_in_system.holds(_mean(values["time_in_system"]))
    for kpi in ("complaints", "complaint_rate", "dissatisfied", "dissatisfaction_rate",
                "omission_rate", "time_to_resolve", "clv_lost"):
        limit = getattr(targets, kpi)
        if limit is not None:  # a model that does not follow outcomes cannot meet it
            verdicts[kpi] = limit.holds(_mean(values.get(kpi, [])))
    return verdicts
