"""The money of a service: what staff cost, what customers bring, what walks away unused.

Two views. The *day's economics* come from a simulation: staff cost,
revenue, revenue lost to balking, reneging and abandonment, idle server-hours
(capacity that perished) and what they cost, cost per served customer.
Shostack's *profitability view* needs no simulation: each step's execution
time costs labour by the minute, plus materials, so a designer sees what a
one-minute slip at a step costs per customer and per day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from blueprint.graph import visit_ratios
from blueprint.model import ServiceModel

__all__ = ["StepCost", "day_economics", "profit_curve", "profitability"]


def day_economics(results: Any, model: ServiceModel) -> dict[str, Any]:
    """Money figures (means over replications) from simulation results (DESIGN §4)."""
    data = results.data if hasattr(results, "data") else results
    system = data["system"]

    def mean(stat: dict[str, Any] | None) -> float:
        return 0.0 if stat is None else float(stat["mean"])

    idle_cost = 0.0
    idle_hours = 0.0
    per_resource = {}
    for rid, figures in data["resources"].items():
        hours = mean(figures["idle_hours"])
        cost = hours * model.resources[rid].cost_per_hour
        idle_hours += hours
        idle_cost += cost
        per_resource[rid] = {"idle_hours": hours, "idle_cost": cost,
                             "utilization": mean(figures["utilization"])}
    materials = sum(mean(data["steps"][s.id]["entries"]) * s.material_cost for s in model.steps)
    served = mean(system["served"])
    staff = mean(system["staff_cost"])
    revenue = mean(system["revenue"])
    return {
        "revenue": revenue,
        "lost_revenue": mean(system["lost_revenue"]),
        "staff_cost": staff,
        "material_cost": materials,
        "profit": revenue - staff - materials,
        "idle_server_hours": idle_hours,
        "idle_cost": idle_cost,
        "cost_per_served": (staff + materials) / served if served else None,
        "served": served,
        "lost": mean(system["abandoned"]),
        "resources": per_resource,
    }


@dataclass(frozen=True)
class StepCost:
    step: str
    visits: float            # per customer
    minutes: float           # mean execution time per visit
    labour_per_visit: float
    materials_per_visit: float
    per_customer: float      # (labour + materials) x visits
    minute_slip: float       # what one more minute per visit costs per customer


def profitability(model: ServiceModel, g: nx.MultiDiGraph) -> list[StepCost]:
    """Shostack's view: labour cost per minute x execution time + materials, per step."""
    visits = visit_ratios(g, model)
    rows = []
    for step in model.steps:
        minutes = (step.duration.mean if step.duration else 0.0) * model.minutes_per_unit
        rate = model.resources[step.resource].cost_per_hour / 60 if step.resource else 0.0
        labour = rate * minutes
        rows.append(StepCost(step.id, visits[step.id], minutes, labour, step.material_cost,
                             (labour + step.material_cost) * visits[step.id],
                             rate * visits[step.id]))
    return rows


def profit_curve(model: ServiceModel, g: nx.MultiDiGraph,
                 slips: range = range(0, 11)) -> list[dict[str, float]]:
    """Profit per customer when every staffed step runs `slip` minutes longer per visit."""
    rows = profitability(model, g)
    value = model.demand.value
    cost = sum(r.per_customer for r in rows)
    per_minute = sum(r.minute_slip for r in rows)
    return [{"slip_minutes": float(s), "cost_per_customer": cost + per_minute * s,
             "profit_per_customer": value - cost - per_minute * s} for s in slips]
