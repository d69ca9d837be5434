"""blueprint — service blueprints you can validate, draw and simulate.

A service (a bank counter, a clinic visit, a repair call) is written as a YAML
model: steps in the blueprint's zones — customer actions, frontstage,
backstage, support — with physical evidence, fail points, wait points and
execution standards, plus the resources customers queue for and the demand
that rises and falls through the day.

>>> import blueprint
>>> bp = blueprint.load("models/bank_branch.yaml")      # doctest: +SKIP
>>> bp.info()["touchpoints"]                             # doctest: +SKIP

Errors never come one at a time: :class:`ModelError` carries every
:class:`Diagnostic`, each with its file, line and column.
"""

from blueprint.api import Blueprint, load, loads
from blueprint.diagnostics import Diagnostic, ModelError
from blueprint.model import ServiceModel, json_schema

__all__ = ["Blueprint", "Diagnostic", "ModelError", "ServiceModel", "json_schema", "load", "loads"]
__version__ = "0.1.0"
