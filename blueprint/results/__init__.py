"""The documents the toolkit writes: typed, with committed JSON Schemas.

Each command's ``--json`` file is one of these pydantic models — simulation
results, a study, a staffing plan, the economics — so a script reads
``results.system.served.mean`` with types checked, an editor validates a file
against ``models/*.schema.json``, and the layout is written down once, in
``docs/results.md``. This package is pure data at the bottom of the layers:
the simulator fills it, analysis and report read it.

In a notebook each document shows itself as a short summary (``repr``, and
HTML tables in Jupyter) and turns into pandas DataFrames with ``to_pandas()``
(pandas is optional: ``pip install 'blueprint[pandas]'``).
"""

from blueprint.results.base import Record, ResultKeyError, Statistic, mean_of
from blueprint.results.simulation import (
    ClassReplication,
    ClassResults,
    Replication,
    ResourceReplication,
    ResourceResults,
    ServiceLevelResults,
    SimulationResults,
    StepClassReplication,
    StepClassResults,
    StepReplication,
    StepResults,
    SystemResults,
    WaitStatistics,
    service_level_key,
)
from blueprint.results.tables import PandasUnavailable

__all__ = [
    "ClassReplication",
    "ClassResults",
    "PandasUnavailable",
    "Record",
    "Replication",
    "ResourceReplication",
    "ResourceResults",
    "ResultKeyError",
    "ServiceLevelResults",
    "SimulationResults",
    "Statistic",
    "StepClassReplication",
    "StepClassResults",
    "StepReplication",
    "StepResults",
    "SystemResults",
    "WaitStatistics",
    "mean_of",
    "service_level_key",
]
