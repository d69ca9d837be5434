"""The engine against exact queueing results (Erlang B, C, A, M/M/c/K, Jackson, Cobham).

Each test runs replications of a steady-state model with a fixed seed and
asserts that the exact value lies inside the 99% Student-t interval of the
replication means: a tolerance the run derives from its own noise.
"""

from __future__ import annotations

import pytest

from tests.sim_support import assert_within_ci99, per_replication, steady

EXP = "{dist: exponential, mean: %s}"


def test_mmc_waits_match_erlang_c():
    # M/M/3, lambda 2.7, mu 1: P(W>0) 0.8171, Wq 2.724, P(Wq <= 1) 0.3947 (Erlang C).
    bp = steady(f"- {{id: serve, zone: frontstage, resource: server, duration: {EXP % 1}, "
                "tolerance: 1}", length=22000, warmup=2000, rate_per_min=2.7,
                resources="server: {capacity: 3}")
    results = bp.simulate(replications=12, seed=11, jobs=2)
    assert_within_ci99(2.724, per_replication(results, "steps", "serve", "wait_mean"), "Wq")
    assert_within_ci99(0.3947, per_replication(results, "steps", "serve", "within_tolerance"), "SL")
    util = per_replication(results, "resources", "server", "utilization")
    assert_within_ci99(0.9, util, "utilisation = lambda E[S] / c")


def test_no_queue_room_is_a_loss_system_erlang_b():
    # balk_at 0: who cannot be served at once leaves. B(5, 4) = 0.19907.
    bp = steady(f"- {{id: serve, zone: frontstage, resource: server, duration: {EXP % 1}}}",
                length=6000, warmup=200, rate_per_min=4, resources="server: {capacity: 5}",
                demand_extra="balk_at: 0")
    results = bp.simulate(replications=10, seed=3, jobs=2)
    assert_within_ci99(0.19907, per_replication(results, "abandonment_rate"), "blocking")


def test_balking_at_k_minus_c_is_mmck_blocking():
    # M/M/2/5: lambda 2, mu 1.2, c 2, K 5 -> balk when 3 are waiting.
    lam, mu, c, k = 2.0, 1.2, 2, 5
    a = lam / mu
    weights = [a**n / (1 if n == 0 else __import__("math").factorial(min(n, c)) * c ** max(n - c, 0))
               for n in range(k + 1)]
    blocking = weights[k] / sum(weights)
    bp = steady(f"- {{id: serve, zone: frontstage, resource: server, duration: {EXP % (1 / mu)}}}",
                length=8000, warmup=200, rate_per_min=lam, resources="server: {capacity: 2}",
                demand_extra=f"balk_at: {k - c}")
    results = bp.simulate(replications=10, seed=5, jobs=2)
    assert_within_ci99(blocking, per_replication(results, "abandonment_rate"), "M/M/c/K blocking")


def test_exponential_patience_matches_erlang_a():
    # M/M/14+M: lambda 10/3, mu 1/3, theta 0.2: P(W>0) 0.14526, P(abandon) 0.013984.
    bp = steady(f"- {{id: serve, zone: frontstage, resource: agent, duration: {EXP % 3}, "
                "tolerance: 0}", length=30000, warmup=600, rate_per_min=10 / 3,
                resources="agent: {capacity: 14}", demand_extra=f"patience: {EXP % 5}")
    results = bp.simulate(replications=10, seed=7, jobs=2)
    assert_within_ci99(0.013984, per_replication(results, "abandonment_rate"), "P(abandon)")
    waited = [1 - v for v in per_replication(results, "steps", "serve", "within_tolerance")]
    assert_within_ci99(0.14526, waited, "P(W>0)")


def test_tandem_sojourn_matches_jackson():
    # M/M/1 -> M/M/1, lambda 1, mu 2 then 1.5: E[T] = 1/(2-1) + 1/(1.5-1) = 3.
    bp = steady(f"""
        - {{id: first, zone: frontstage, resource: a, duration: {EXP % 0.5}}}
        - {{id: second, zone: backstage, resource: b, duration: {EXP % (1 / 1.5)}}}
        """, length=20000, warmup=1000, rate_per_min=1, resources="a: {capacity: 1}\nb: {capacity: 1}")
    results = bp.simulate(replications=12, seed=13, jobs=2)
    assert_within_ci99(3.0, per_replication(results, "time_in_system_mean"), "E[T] tandem")


def test_rework_loop_matches_jackson_with_feedback():
    # M/M/1 with 20% redo: gamma 0.6, mu 1 -> lambda 0.75 at the station, E[T] = 1.25 * 4 = 5.
    bp = steady(f"""
        - id: serve
          zone: frontstage
          resource: clerk
          duration: {EXP % 1}
          fail_points: [{{id: redo, name: Done again, p: 0.2, effect: redo, recovery: Redo}}]
        """, length=40000, warmup=2000, rate_per_min=0.6, resources="clerk: {capacity: 1}")
    results = bp.simulate(replications=12, seed=17, jobs=2)
    assert_within_ci99(5.0, per_replication(results, "time_in_system_mean"), "E[T] rework")
    visits = [r["steps"]["serve"]["entries"] / r["arrivals"] for r in results.runs]
    assert_within_ci99(1.25, visits, "visits per customer")


def test_priority_classes_match_cobham():
    # Non-preemptive M/M/1, mu 1: class 0 at 0.3/min, class 1 at 0.5/min.
    # W0 = lambda E[S^2] / 2 = 0.8; Wq0 = W0 / (1 - 0.3) ; Wq1 = W0 / (0.7 * 0.2).
    bp = steady(f"- {{id: serve, zone: frontstage, resource: desk, duration: {EXP % 1}}}",
                length=30000, warmup=2000, rate_per_min=0.8, resources="desk: {capacity: 1}",
                demand_extra="classes: {urgent: {share: 0.375, priority: 0}, "
                             "routine: {share: 0.625, priority: 1}}")
    results = bp.simulate(replications=12, seed=19, jobs=2)
    urgent = per_replication(results, "classes", "urgent", "time_in_system_mean")
    routine = per_replication(results, "classes", "routine", "time_in_system_mean")
    assert_within_ci99(0.8 / 0.7 + 1, urgent, "urgent E[T]")
    assert_within_ci99(0.8 / (0.7 * 0.2) + 1, routine, "routine E[T]")


@pytest.mark.parametrize("reps", [6])
def test_littles_law_holds_in_steady_state(reps):
    # L = lambda W for the whole system and Lq = lambda Wq at a step, within the run's noise.
    bp = steady(f"- {{id: serve, zone: frontstage, resource: server, duration: {EXP % 1}}}",
                length=20000, warmup=1000, rate_per_min=1.6, resources="server: {capacity: 2}")
    results = bp.simulate(replications=reps, seed=23, jobs=2)
    for run in results.runs:
        rate = run["arrivals"] / (19000)
        assert run["in_system_mean"] == pytest.approx(rate * run["time_in_system_mean"], rel=0.03)
        step = run["steps"]["serve"]
        assert step["queue_length_mean"] == pytest.approx(rate * step["wait_mean"], rel=0.05)
