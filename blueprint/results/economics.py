"""The result of `blueprint economics`: the day's money and the price of a slow minute.

The day's figures are the simulation's own (one definition each, computed
per replication by the simulator), with their 95% intervals; the
profitability rows are Shostack's view, from the model alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from blueprint.results import display
from blueprint.results.base import ById, Record, Statistic, mean_at
from blueprint.results.tables import choose, frame, pointer, statistics

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DayEconomics", "Economics", "ProfitPoint", "ResourceMoney", "StepCost"]

EconomicsTable = Literal["statistics", "profitability", "profit_curve"]

Stat = Statistic | None


class ResourceMoney(Record):
    idle_hours: Stat = Field(description="Idle (perished) server-hours.")
    idle_cost: Stat = Field(description="Their cost.")
    utilization: Stat = Field(description="Busy / scheduled server-time.")


class DayEconomics(Record):
    """The day's money over the replications (means with 95% intervals)."""

    replications: int = Field(description="Replications the figures come from.")
    revenue: Stat = Field(description="Value of the customers served.")
    lost_revenue: Stat = Field(description="Value of the customers who left unserved.")
    staff_cost: Stat = Field(description="Scheduled server-hours x cost_per_hour.")
    material_cost: Stat = Field(description="Step visits x material_cost.")
    profit: Stat = Field(description="revenue - staff_cost - material_cost.")
    idle_server_hours: Stat = Field(description="Idle (perished) server-hours.")
    idle_cost: Stat = Field(description="Their cost.")
    cost_per_served: Stat = Field(description="(staff_cost + material_cost) / served.")
    served: Stat = Field(description="Customers served.")
    lost: Stat = Field(description="Customers lost (balked, reneged, abandoned).")
    clv_lost: Stat = Field(None, description="Lifetime value lost over the day's customers: the "
                                             "long-run money beside the day's (with loyalty).")
    complaints: Stat = Field(None, description="Customers who complained (with complaints).")
    resources: ById[ResourceMoney] = Field(description="Per resource.")


class StepCost(Record):
    """Shostack's profitability of one step, per customer."""

    step: str = Field(description="Step id.")
    visits: float = Field(description="Mean visits per customer (fail-point loops included).")
    minutes: float = Field(description="Mean execution time per visit, in minutes.")
    labour_per_visit: float = Field(description="Resource cost per minute x minutes.")
    materials_per_visit: float = Field(description="The step's material_cost.")
    per_customer: float = Field(description="(labour + materials) x visits.")
    minute_slip: float = Field(description="What one more minute per visit costs per customer.")


class ProfitPoint(Record):
    slip_minutes: float = Field(description="Minutes added to every staffed step's visit.")
    cost_per_customer: float = Field(description="Labour and materials per customer then.")
    profit_per_customer: float = Field(description="Value per customer minus that cost.")


class Economics(Record):
    """What `blueprint economics --json` writes."""

    model: str = Field(description="Name of the service model.")
    day: DayEconomics = Field(description="The day's money, from the simulation.")
    profitability: list[StepCost] = Field(description="Per step, from the model.")
    profit_curve: list[ProfitPoint] = Field(description="Profit per customer as steps slow down.")

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, by_alias=True) + "\n"

    def mean(self, *path: str | int) -> float | None:
        """A mean by path: ``economics.mean("day", "profit")``; a key that is not there is a
        :class:`~blueprint.results.ResultKeyError` listing the keys that are."""
        return mean_at(self, path, "economics")

    def to_pandas(self, table: EconomicsTable = "statistics") -> pd.DataFrame:
        """The economics as a pandas DataFrame (docs/results.md, "From Python").

        ``"statistics"``: one row per statistic of the day — section (``day``
        or ``resources``), id (the resource), figure, mean, ci_low, ci_high, path.
        ``"profitability"``: one row per step, the columns of ``profitability``.
        ``"profit_curve"``: one row per slip, the columns of ``profit_curve``.
        """
        chosen = choose(table, ("statistics", "profitability", "profit_curve"), "Economics")
        if chosen != "statistics":
            records = self.profitability if chosen == "profitability" else self.profit_curve
            fields = StepCost if chosen == "profitability" else ProfitPoint
            return frame([tuple(r.to_dict().values()) for r in records], list(fields.model_fields))
        rows = []
        for path, stat in statistics(self.to_dict()["day"], ["day"]):
            section, ident = ("resources", str(path[2])) if path[1] == "resources" else ("day", None)
            rows.append((section, ident, str(path[-1]), stat["mean"], *stat["ci95"], pointer(path)))
        return frame(rows, ("section", "id", "figure", "mean", "ci_low", "ci_high", "path"))

    def __repr__(self) -> str:
        return display.economics_repr(self)

    def __str__(self) -> str:
        return display.economics_repr(self)

    def _repr_html_(self) -> str:
        """Jupyter shows the economics as the day's money and the profitability per step."""
        return display.economics_html(self)
