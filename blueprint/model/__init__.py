"""The model format (version 1): pydantic classes, pure data, no I/O.

A service is a :class:`ServiceModel`: steps in the blueprint's four zones,
resources that customers queue for, and the demand that arrives through the
day. :func:`check_references` finds names that point at nothing (on the plain
document, beside the schema); :func:`check_consistency` finds numbers that
disagree in a valid model. :mod:`blueprint.model.ids` holds the rules for ids
in any script.
"""

from blueprint.model.base import ClockTime, Identifier, Name, format_clock, parse_clock
from blueprint.model.consistency import branch_probabilities, check_consistency
from blueprint.model.demand import CustomerClass, Demand
from blueprint.model.distributions import (
    DISTRIBUTION_NAMES,
    Distribution,
    Duration,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Normal,
    Triangular,
    Uniform,
)
from blueprint.model.references import ReferenceCheck, check_references
from blueprint.model.resources import Resource, ShiftWindow
from blueprint.model.schema import json_schema
from blueprint.model.service import (
    MINUTES_PER_UNIT,
    DayHorizon,
    Link,
    ServiceModel,
    SteadyStateHorizon,
)
from blueprint.model.servqual import DIMENSION_TAGS, ORIGINAL_TEN, servqual_dimension
from blueprint.model.steps import (
    DIMENSIONS,
    END,
    ZONES,
    Branch,
    Evidence,
    FailPoint,
    Fork,
    Promise,
    Step,
)

__all__ = [
    "DIMENSIONS",
    "DIMENSION_TAGS",
    "DISTRIBUTION_NAMES",
    "END",
    "MINUTES_PER_UNIT",
    "ORIGINAL_TEN",
    "ZONES",
    "Branch",
    "ClockTime",
    "CustomerClass",
    "DayHorizon",
    "Demand",
    "Distribution",
    "Duration",
    "Empirical",
    "Evidence",
    "Exponential",
    "FailPoint",
    "Fixed",
    "Fork",
    "Gamma",
    "Identifier",
    "Link",
    "Lognormal",
    "Name",
    "Normal",
    "Promise",
    "ReferenceCheck",
    "Resource",
    "ServiceModel",
    "ShiftWindow",
    "SteadyStateHorizon",
    "Step",
    "Triangular",
    "Uniform",
    "branch_probabilities",
    "check_consistency",
    "check_references",
    "format_clock",
    "json_schema",
    "parse_clock",
    "servqual_dimension",
]
