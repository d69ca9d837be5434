"""The engine against a peer: Ciw simulating the same networks gives the same mean waits.

Both sides run independent replications; the difference of their means must
lie within the 99% interval of a difference (Welch), so only a real
disagreement fails, never noise.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from tests.sim_support import per_replication, steady

ciw = pytest.importorskip("ciw")

LENGTH, WARMUP, REPS = 6000.0, 500.0, 8
EXP = "{dist: exponential, mean: %s}"


def ciw_mean_waits(arrival: list[float], service: list[float], servers: list[int],
                   routing: list[list[float]]) -> list[list[float]]:
    """Per replication, the mean wait at each node of a Ciw network."""
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=r) if r else None for r in arrival],
        service_distributions=[ciw.dists.Exponential(rate=s) for s in service],
        number_of_servers=servers,
        routing=routing,
    )
    runs = []
    for k in range(REPS):
        ciw.seed(1000 + k)
        simulation = ciw.Simulation(network)
        simulation.simulate_until_max_time(LENGTH)
        records = [r for r in simulation.get_all_records() if r.arrival_date >= WARMUP]
        runs.append([
            sum(r.waiting_time for r in records if r.node == n + 1)
            / max(1, sum(1 for r in records if r.node == n + 1))
            for n in range(len(service))
        ])
    return runs


def assert_same_mean(ours: list[float], theirs: list[float], what: str) -> None:
    n1, n2 = len(ours), len(theirs)
    m1, m2 = sum(ours) / n1, sum(theirs) / n2
    v1 = sum((x - m1) ** 2 for x in ours) / (n1 - 1) / n1
    v2 = sum((x - m2) ** 2 for x in theirs) / (n2 - 1) / n2
    df = (v1 + v2) ** 2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    half = stats.t.ppf(0.995, df) * math.sqrt(v1 + v2)
    assert abs(m1 - m2) <= half, f"{what}: blueprint {m1:.4g} vs Ciw {m2:.4g} (allowed ±{half:.3g})"


def test_mm3_waits_agree_with_ciw():
    bp = steady(f"- {{id: serve, zone: frontstage, resource: s, duration: {EXP % 1}}}",
                length=LENGTH, warmup=WARMUP, rate_per_min=2.4, resources="s: {capacity: 3}")
    ours = per_replication(bp.simulate(replications=REPS, seed=31, jobs=2),
                           "steps", "serve", "wait_mean")
    theirs = [run[0] for run in ciw_mean_waits([2.4], [1.0], [3], [[0.0]])]
    assert_same_mean(ours, theirs, "M/M/3 wait")


def test_three_station_tandem_waits_agree_with_ciw():
    bp = steady(f"""
        - {{id: a, zone: frontstage, resource: ra, duration: {EXP % (1 / 1.25)}}}
        - {{id: b, zone: backstage, resource: rb, duration: {EXP % (2 / 1.5)}}}
        - {{id: c, zone: support, resource: rc, duration: {EXP % (1 / 1.2)}}}
        """, length=LENGTH, warmup=WARMUP, rate_per_min=1.0,
        resources="ra: {capacity: 1}\nrb: {capacity: 2}\nrc: {capacity: 1}")
    results = bp.simulate(replications=REPS, seed=37, jobs=2)
    theirs = ciw_mean_waits([1.0, 0, 0], [1.25, 0.75, 1.2], [1, 2, 1],
                            [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    for n, step in enumerate("abc"):
        assert_same_mean(per_replication(results, "steps", step, "wait_mean"),
                         [run[n] for run in theirs], f"tandem station {step}")


def test_network_with_rework_agrees_with_ciw():
    # Check-in then inspection; 25% of inspections send the job back to check-in.
    bp = steady(f"""
        - {{id: check_in, zone: frontstage, resource: desk, duration: {EXP % 0.5}}}
        - id: inspect
          zone: backstage
          resource: bay
          duration: {EXP % 0.8}
          fail_points: [{{id: reject, name: Rejected, p: 0.25, effect: goto, goto: check_in,
                         recovery: Redo the check-in}}]
        """, length=LENGTH, warmup=WARMUP, rate_per_min=0.8,
        resources="desk: {capacity: 1}\nbay: {capacity: 1}")
    results = bp.simulate(replications=REPS, seed=41, jobs=2)
    theirs = ciw_mean_waits([0.8, 0], [2.0, 1.25], [1, 1], [[0.0, 1.0], [0.25, 0.0]])
    for n, step in enumerate(("check_in", "inspect")):
        assert_same_mean(per_replication(results, "steps", step, "wait_mean"),
                         [run[n] for run in theirs], f"rework network {step}")
