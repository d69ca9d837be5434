"""What `blueprint info` and `blueprint validate|lint --output-format json` write."""

from __future__ import annotations

from pydantic import Field

from blueprint.results.base import Record

__all__ = ["CheckReport", "DiagnosticRecord", "FailPointSummary", "ModelSummary", "ResourceSummary"]


class FailPointSummary(Record):
    id: str = Field(description="Fail point id.")
    step: str = Field(description="The step it belongs to.")
    name: str = Field(description="What goes wrong.")
    p: float = Field(description="Probability it fires after each service.")
    effect: str = Field(description="redo, goto, delay or abandon.")


class ResourceSummary(Record):
    capacity: int | list[str] = Field(
        description='Servers on duty, or the shifts as "HH:MM-HH:MM: N".')
    cost_per_hour: float = Field(description="Cost of one server for one hour.")
    used_by: list[str] = Field(description="Steps that use it.")


class Complexity(Record):
    steps: int
    decision_points: int
    branches: int
    forks: int
    loops: int
    fail_points: int
    wait_points: int


class ModelSummary(Record):
    """What `blueprint info --output-format json` writes."""

    name: str = Field(description="Name of the service.")
    file: str | None = Field(description="The model file, if it came from one.")
    time_unit: str = Field(description="s, min or h.")
    horizon: dict[str, str | float] = Field(
        description='{"open", "close"} for a day, {"length", "warmup"} for a steady-state run.')
    steps_per_zone: dict[str, list[str]] = Field(description="Step ids by zone, in journey order.")
    touchpoints: list[str] = Field(
        description="Customer steps and the steps a journey flow across the line of "
                    "interaction reaches or leaves.")
    line_crossings: dict[str, list[list[str]]] = Field(
        description="For each line (interaction, visibility, internal), the flows [from, to] "
                    "that cross it.")
    fail_points: list[FailPointSummary] = Field(description="Every fail point.")
    wait_points: list[str] = Field(description="Steps marked W.")
    resources: dict[str, ResourceSummary] = Field(description="Per resource.")
    expected_arrivals: float | None = Field(
        description="Mean arrivals over the horizon (a trace's length for a trace).")
    complexity: Complexity = Field(description="Counts of the service's intricacy (Shostack).")


class DiagnosticRecord(Record):
    file: str = Field(description="The file.")
    line: int = Field(description="1-based line.")
    column: int = Field(description="1-based column.")
    code: str = Field(description="What kind of problem, e.g. unknown-step.")
    severity: str = Field(description="error or warning.")
    message: str = Field(description="What is wrong and, where it can, how to fix it.")


class CheckReport(Record):
    """What `blueprint validate` and `blueprint lint` write with ``--output-format json``."""

    files: list[str] = Field(description="The files checked.")
    valid: list[str] | None = Field(None, description="Those that loaded (validate only).")
    diagnostics: list[DiagnosticRecord] = Field(description="Every error and warning.")
