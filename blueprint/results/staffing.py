"""The result of `blueprint staff`: servers hour by hour, and what they achieve.

The first answer per hour comes from queueing formulas; the achieved figures
come from simulating the whole day with the recommended schedule, each with
its 95% interval and the number of replications it took to be sure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from blueprint.results import display
from blueprint.results.base import Record
from blueprint.results.tables import choose, frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HourAchieved", "ShiftRow", "StaffingPlan"]

StaffingTable = Literal["hours", "schedule"]


class ShiftRow(Record):
    """A window of the recommended schedule (equal neighbouring hours merged)."""

    start: str = Field(alias="from", description='Start, "HH:MM".')
    end: str = Field(alias="to", description='End, "HH:MM".')
    capacity: int = Field(description="Servers on duty.")


class HourAchieved(Record):
    """One hour: the recommendation and what the simulated day achieves with it."""

    start: str = Field(alias="from", description='Start of the hour, "HH:MM".')
    end: str = Field(alias="to", description='End of the hour, "HH:MM".')
    servers: int = Field(description="Recommended servers.")
    erlang_estimate: int = Field(description="The first answer, from Erlang C (or A).")
    current: float = Field(description="Servers on duty in the model as it is (mean over the hour).")
    service_level: float | None = Field(
        description="Simulated share of customers arriving in the hour who started within the "
                    "target wait (mean over replications).")
    service_level_ci95: list[float] | None = Field(
        description="Its 95% interval [low, high].")
    abandonment_rate: float | None = Field(
        description="Share of those customers who left before starting service.")
    replications: int = Field(description="Replications behind the figures of this hour.")
    verdict: str = Field(
        description="met; missed (the interval is wholly below the target: a server was added); "
                    "too close to call (the target is inside the interval after the most "
                    "replications allowed).")


class StaffingPlan(Record):
    """What `blueprint staff --json` writes."""

    resource: str = Field(description="The resource staffed.")
    target: str = Field(description='The target as given, e.g. "80% within 5 min".')
    target_share: float = Field(description="The share that must be served within the wait.")
    target_within: float = Field(description="The wait, in the model's time unit.")
    time_unit: str = Field(description="The model's time unit.")
    max_abandonment: float | None = Field(None, description="Ceiling on the share lost per hour.")
    schedule: list[ShiftRow] = Field(description="The recommended shifts.")
    achieved: list[HourAchieved] = Field(description="Hour by hour.")
    staff_cost: float = Field(description="Cost of the recommended schedule.")
    current_staff_cost: float = Field(description="Cost of the resource's schedule in the model.")
    target_met_every_hour: bool = Field(description="Whether every hour meets the target.")
    simulation_rounds: int = Field(description="Schedules tried: each one simulated for as many days "
                                               "as its verdicts needed.")
    days_simulated: int = Field(0, description="Replications simulated over all the rounds: the work "
                                               "the recommendation cost.")
    notes: list[str] = Field(default_factory=list, description="What the reader must know.")

    def yaml_block(self) -> str:
        """A `schedule:` block ready to paste under the resource in the model."""
        lines = ["schedule:"]
        lines += [f'  - {{from: "{w.start}", to: "{w.end}", capacity: {w.capacity}}}'
                  for w in self.schedule]
        return "\n".join(lines)

    def to_json(self) -> str:
        return self.model_dump_json(indent=2, by_alias=True) + "\n"

    def to_pandas(self, table: StaffingTable = "hours") -> pd.DataFrame:
        """The plan as a pandas DataFrame (docs/results.md, "From Python").

        ``"hours"``: one row per hour — from, to, servers, erlang_estimate,
        current, service_level (its mean over the replications),
        service_level_low, service_level_high (its 95% interval),
        abandonment_rate, replications, verdict.
        ``"schedule"``: one row per shift — from, to, capacity.
        """
        if choose(table, ("hours", "schedule"), "StaffingPlan") == "schedule":
            return frame([(w.start, w.end, w.capacity) for w in self.schedule],
                         ("from", "to", "capacity"))
        return frame([(h.start, h.end, h.servers, h.erlang_estimate, h.current, h.service_level,
                       *(h.service_level_ci95 or (None, None)), h.abandonment_rate, h.replications,
                       h.verdict) for h in self.achieved],
                     ("from", "to", "servers", "erlang_estimate", "current", "service_level",
                      "service_level_low", "service_level_high", "abandonment_rate", "replications",
                      "verdict"))

    def __repr__(self) -> str:
        return display.staffing_repr(self)

    def __str__(self) -> str:
        return display.staffing_repr(self)

    def _repr_html_(self) -> str:
        """Jupyter shows a plan as its shifts and what each hour achieves."""
        return display.staffing_html(self)
