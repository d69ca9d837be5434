"""The money of a service: what staff cost, what customers bring, what walks away unused.

Two views. The *day's economics* come from a simulation: staff cost,
revenue, revenue lost to balking, reneging and abandonment, idle server-hours
(capacity that perished) and what they cost, cost per served customer — each
the simulator's own figure (computed once, per replication), here gathered
into one table. Shostack's *profitability view* needs no simulation: each
step's execution time costs labour by the minute, plus materials, so a
designer sees what a one-minute slip at a step costs per customer and per day.
"""

from __future__ import annotations

import networkx as nx

from blueprint.graph import visit_ratios
from blueprint.model import ServiceModel
from blueprint.results import SimulationResults
from blueprint.results.economics import DayEconomics, Economics, ProfitPoint, ResourceMoney, StepCost

__all__ = ["StepCost", "customer_value", "day_economics", "economics", "profit_curve", "profitability"]


def day_economics(results: SimulationResults) -> DayEconomics:
    """The day's money figures of a simulation, with their 95% intervals."""
    system = results.system
    return DayEconomics(
        replications=results.replications,
        revenue=system.revenue, lost_revenue=system.lost_revenue, staff_cost=system.staff_cost,
        material_cost=system.material_cost, profit=system.profit,
        idle_server_hours=system.idle_hours, idle_cost=system.idle_cost,
        cost_per_served=system.cost_per_served, served=system.served, lost=system.abandoned,
        clv_lost=results.loyalty.clv_lost if results.loyalty is not None else None,
        complaints=system.complaints,
        resources={rid: ResourceMoney(idle_hours=r.idle_hours, idle_cost=r.idle_cost,
                                      utilization=r.utilization)
                   for rid, r in results.resources.items()},
    )


def profitability(model: ServiceModel, g: nx.MultiDiGraph) -> list[StepCost]:
    """Shostack's view: labour cost per minute x execution time + materials, per step."""
    visits = visit_ratios(g, model)
    rows = []
    for step in model.steps:
        minutes = (step.duration.mean if step.duration else 0.0) * model.minutes_per_unit
        rate = model.resources[step.resource].cost_per_hour / 60 if step.resource else 0.0
        labour = rate * minutes
        rows.append(StepCost(step=step.id, visits=visits[step.id], minutes=minutes,
                             labour_per_visit=labour, materials_per_visit=step.material_cost,
                             per_customer=(labour + step.material_cost) * visits[step.id],
                             minute_slip=rate * visits[step.id]))
    return rows


def profit_curve(model: ServiceModel, g: nx.MultiDiGraph,
                 slips: range = range(0, 11)) -> list[ProfitPoint]:
    """Profit per customer when every staffed step runs `slip` minutes longer per visit."""
    rows = profitability(model, g)
    value = customer_value(model)
    cost = sum(r.per_customer for r in rows)
    per_minute = sum(r.minute_slip for r in rows)
    return [ProfitPoint(slip_minutes=float(s), cost_per_customer=cost + per_minute * s,
                        profit_per_customer=value - cost - per_minute * s) for s in slips]


def customer_value(model: ServiceModel) -> float:
    """What an arriving customer brings when served: the classes' values weighted by their shares."""
    demand = model.demand
    if not demand.classes:
        return demand.value
    return sum(c.share * (demand.value if c.value is None else c.value) for c in demand.classes.values())


def economics(model: ServiceModel, g: nx.MultiDiGraph, results: SimulationResults) -> Economics:
    """Both views in one document (what `blueprint economics --json` writes)."""
    return Economics(model=model.name, day=day_economics(results),
                     profitability=profitability(model, g), profit_curve=profit_curve(model, g))
