"""Results over replications: every statistic as a mean with its 95% interval.

A replication is one possible day; the interval says how sure the mean of
many days is (Student t with n - 1 degrees of freedom). The JSON layout is
DESIGN §4's, so overlays, reports and other tools can read it.
"""

from __future__ import annotations

import csv
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scipy import stats as _stats

from blueprint.files import write_atomic

__all__ = ["SimulationResults", "aggregate", "statistic"]

Stat = dict[str, Any] | None


def statistic(values: list[float | None]) -> Stat:
    """{"mean": x, "ci95": [lo, hi]} over the replications that have a value."""
    present = [float(v) for v in values if v is not None]
    if not present:
        return None
    n = len(present)
    mean = math.fsum(present) / n
    if n < 2:
        return {"mean": mean, "ci95": [mean, mean]}
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in present) / (n - 1))
    half = float(_stats.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
    return {"mean": mean, "ci95": [mean - half, mean + half]}


def _series(rows: list[list[float | None]]) -> list[Stat]:
    length = max((len(r) for r in rows), default=0)
    return [statistic([r[h] if h < len(r) else None for r in rows]) for h in range(length)]


def aggregate(runs: list[dict[str, Any]], model: str, seed: int) -> dict[str, Any]:
    """DESIGN §4 results from per-replication summaries."""

    def over(key: str) -> Stat:
        return statistic([r[key] for r in runs])

    first = runs[0]
    steps = {}
    for sid, step in first["steps"].items():
        col = [r["steps"][sid] for r in runs]
        steps[sid] = {
            "entries": statistic([c["entries"] for c in col]),
            "wait": {name: statistic([c[f"wait_{name}"] for c in col])
                     for name in ("mean", "p50", "p90", "p95")},
            "wait_by_hour": _series([c["wait_by_hour"] for c in col]),
            "wait_p90_by_hour": _series([c["wait_p90_by_hour"] for c in col]),
            "service": {"mean": statistic([c["service_mean"] for c in col])},
            "within_tolerance": statistic([c["within_tolerance"] for c in col]),
            "queue_length": {"mean": statistic([c["queue_length_mean"] for c in col]),
                             "by_hour": _series([c["queue_length_by_hour"] for c in col])},
            "entries_by_hour": _series([c["entries_by_hour"] for c in col]),
            "started_by_hour": _series([c["started_by_hour"] for c in col]),
            "service_levels": {
                limit: {"overall": statistic([c["service_levels"][limit] for c in col]),
                        "by_hour": _series([c["service_levels_by_hour"][limit] for c in col])}
                for limit in step["service_levels"]
            },
            "fail_points": {fid: statistic([c["fail_points"][fid] for c in col])
                            for fid in step["fail_points"]},
        }
    resources = {}
    for rid in first["resources"]:
        col = [r["resources"][rid] for r in runs]
        resources[rid] = {
            **{key: statistic([c[key] for c in col]) for key in
               ("utilization", "idle_hours", "busy_hours", "scheduled_hours", "overtime_hours")},
            "utilization_by_hour": _series([c["utilization_by_hour"] for c in col]),
        }
    return {
        "model": model,
        "replications": len(runs),
        "seed": seed,
        "system": {
            **{key: over(key) for key in ("arrivals", "served", "balked", "reneged", "abandoned",
                                          "abandonment_rate")},
            "time_in_system": {"mean": over("time_in_system_mean"),
                               "p90": over("time_in_system_p90")},
            **{key: over(key) for key in ("revenue", "lost_revenue", "staff_cost",
                                          "in_system_at_end", "in_system_mean")},
            "classes": {
                name: {key: statistic([r["classes"][name][key] for r in runs])
                       for key in ("arrivals", "served", "time_in_system_mean")}
                for name in first["classes"]
            },
            "arrivals_by_hour": _series([r["arrivals_by_hour"] for r in runs]),
        },
        "steps": steps,
        "resources": resources,
    }


@dataclass
class SimulationResults:
    """What `simulate` returns: the aggregated results and every replication's own."""

    data: dict[str, Any]
    runs: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    time_unit: str = "min"

    def to_dict(self) -> dict[str, Any]:
        return {**self.data, "time_unit": self.time_unit, "warnings": list(self.warnings)}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def mean(self, *path: str) -> float | None:
        """A mean by path: ``results.mean("steps", "deposit", "wait", "mean")``."""
        node: Any = self.data
        for part in path:
            node = node[part]
        return None if node is None else node["mean"]

    def write_json(self, path: str | os.PathLike[str], protect: tuple = ()) -> Path:
        return write_atomic(path, self.to_json(), protect=protect)

    def write_csv(self, folder: str | os.PathLike[str]) -> list[Path]:
        """One row per replication: system.csv, steps.csv, resources.csv in `folder`."""
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        system_keys = [k for k, v in self.runs[0].items() if not isinstance(v, dict | list)]
        tables = {
            "system.csv": (["replication", *system_keys],
                           [[k, *(run[key] for key in system_keys)]
                            for k, run in enumerate(self.runs)]),
            "steps.csv": self._nested("steps", "step"),
            "resources.csv": self._nested("resources", "resource"),
        }
        written = []
        for name, (header, rows) in tables.items():
            lines = _csv_text(header, rows)
            written.append(write_atomic(target / name, lines))
        return written

    def _nested(self, key: str, label: str) -> tuple[list[str], list[list[Any]]]:
        sample = next(iter(self.runs[0][key].values()))
        columns = [c for c, v in sample.items() if not isinstance(v, dict | list)]
        rows = [[k, name, *(values[c] for c in columns)]
                for k, run in enumerate(self.runs) for name, values in run[key].items()]
        return ["replication", label, *columns], rows


def _csv_text(header: list[str], rows: list[list[Any]]) -> str:
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue()
