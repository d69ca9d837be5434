"""Exact queueing results: published reference values, independent brute force, and limits.

Tolerances follow the number of decimals a reference is given with: a value
quoted to 4 decimals must agree within half a unit of the last place (5e-5).
Where no table exists the check is an independent computation — the
birth-death chain truncated far into its tail, a tagged customer's Markov
chain solved with a matrix exponential — or a limit the formula must reach
(Erlang A -> Erlang C as patience grows, M/M/c/K -> Erlang B when K = c).
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.linalg import expm
from scipy.stats import poisson

import blueprint.analysis
from blueprint.analysis import queueing
from blueprint.analysis.queueing import (
    erlang_a,
    erlang_b,
    erlang_c,
    jackson_network,
    mm1,
    mmc,
    mmck,
    offered_load,
    servers_for_service_level,
)

servers = st.integers(min_value=1, max_value=60)
loads = st.floats(min_value=0.01, max_value=80.0)
utilizations = st.floats(min_value=0.05, max_value=0.95)


def half_unit(decimals: int) -> float:
    """Tolerance of a value quoted to ``decimals`` places."""
    return 0.5 * 10.0**-decimals


def birth_death(c: int, lam: float, mu: float, theta: float, extra: int = 400) -> np.ndarray:
    """Stationary law of M/M/c+M truncated ``extra`` places past c, normalised in log space."""
    n = np.arange(c + extra + 1)
    death = np.minimum(n, c) * mu + np.maximum(n - c, 0) * theta
    log_w = np.concatenate([[0.0], np.cumsum(np.log(lam / death[1:]))])
    w = np.exp(log_w - log_w.max())
    return w / w.sum()


def tagged_served_by(c: int, mu: float, theta: float, t: float, ahead: int, patient: bool) -> np.ndarray:
    """P(a tagged waiting customer starts service by t | k ahead) for k = 0..ahead, via expm.

    States 0..ahead count customers ahead; then "served" and "gone". Those
    ahead leave by service (cμ) or abandonment (jθ); the tagged customer
    abandons at θ unless ``patient`` (then this is the offered wait's law).
    """
    served, gone = ahead + 1, ahead + 2
    q = np.zeros((ahead + 3, ahead + 3))
    for j in range(ahead + 1):
        q[j, j - 1 if j else served] = c * mu + j * theta
        if not patient:
            q[j, gone] = theta
        q[j, j] = -q[j].sum()
    return expm(q * t)[: ahead + 1, served]


# --- Erlang B --------------------------------------------------------------------------------


def test_erlang_b_of_10_servers_at_10_erlangs_is_0_2146():
    assert erlang_b(10, 10.0) == pytest.approx(0.2146, abs=half_unit(4))


def test_erlang_b_of_17_servers_at_10_erlangs_is_0_01295():
    assert erlang_b(17, 10.0) == pytest.approx(0.01295, abs=half_unit(5))


def test_erlang_b_of_one_server_is_a_over_1_plus_a():
    assert erlang_b(1, 3.0) == pytest.approx(3.0 / 4.0, rel=1e-15)


def test_erlang_b_stays_finite_for_a_hundred_thousand_servers():
    value = erlang_b(100_000, 95_000.0)
    assert 0.0 < value < 1e-50


@given(servers, loads)
def test_erlang_b_falls_as_servers_are_added(c, a):
    assert erlang_b(c + 1, a) <= erlang_b(c, a)


@given(servers, loads, st.floats(min_value=1.001, max_value=3.0))
def test_erlang_b_rises_with_offered_load(c, a, factor):
    assert erlang_b(c, a * factor) >= erlang_b(c, a)


@given(servers, loads)
def test_erlang_b_is_poisson_pmf_over_cdf(c, a):
    expected = math.exp(poisson.logpmf(c, a) - poisson.logcdf(c, a))
    assert erlang_b(c, a) == pytest.approx(expected, rel=1e-9, abs=1e-300)


# --- Erlang C / M/M/c ------------------------------------------------------------------------


def test_erlang_c_three_servers_at_2_7_erlangs_wait_with_probability_0_8171():
    assert mmc(3, 2.7, 1.0).prob_wait == pytest.approx(0.8171, abs=half_unit(4))
    assert erlang_c(3, 2.7) == pytest.approx(0.8171, abs=half_unit(4))


def test_erlang_c_three_servers_at_2_7_erlangs_mean_wait_is_2_724():
    assert mmc(3, 2.7, 1.0).mean_wait == pytest.approx(2.724, abs=half_unit(3))


def test_erlang_c_three_servers_at_2_7_erlangs_serve_0_3947_within_one_time_unit():
    assert mmc(3, 2.7, 1.0).service_level(1.0) == pytest.approx(0.3947, abs=half_unit(4))


def test_mmc_satisfies_littles_law_and_adds_the_service_time():
    queue = mmc(4, 3.0, 1.0)
    assert queue.mean_queue_length == pytest.approx(3.0 * queue.mean_wait, rel=1e-14)
    assert queue.mean_sojourn == pytest.approx(queue.mean_wait + 1.0, rel=1e-14)
    assert queue.mean_in_system == pytest.approx(3.0 * queue.mean_sojourn, rel=1e-14)
    assert queue.utilization == pytest.approx(0.75, rel=1e-15)


def test_mm1_matches_the_textbook_formulas():
    queue = mm1(0.5, 1.0)  # ρ = 1/2: L = ρ/(1-ρ) = 1, W = 1/(μ-λ) = 2, Wq = ρ/(μ-λ) = 1
    assert queue.prob_wait == pytest.approx(0.5, rel=1e-14)
    assert queue.mean_in_system == pytest.approx(1.0, rel=1e-14)
    assert queue.mean_sojourn == pytest.approx(2.0, rel=1e-14)
    assert queue.mean_wait == pytest.approx(1.0, rel=1e-14)


@given(servers, utilizations)
def test_erlang_c_is_at_least_erlang_b(c, rho):
    assert erlang_c(c, rho * c) >= erlang_b(c, rho * c)


@given(servers, utilizations)
def test_service_level_at_zero_is_the_chance_of_not_waiting(c, rho):
    queue = mmc(c, rho * c, 1.0)
    assert queue.service_level(0.0) == pytest.approx(1.0 - queue.prob_wait, abs=1e-15)


# --- Erlang A ---------------------------------------------------------------------------------

CALL_CENTRE = {"servers": 14, "arrival_rate": 10 / 3, "service_rate": 1 / 3, "patience_rate": 0.2}


def test_erlang_a_call_centre_waits_with_probability_0_14526():
    assert erlang_a(**CALL_CENTRE).prob_wait == pytest.approx(0.14526, abs=half_unit(5))


def test_erlang_a_call_centre_loses_0_013984_to_abandonment():
    assert erlang_a(**CALL_CENTRE).prob_abandon == pytest.approx(0.013984, abs=half_unit(6))


def test_erlang_a_call_centre_serves_0_916792_within_20_seconds():
    assert erlang_a(**CALL_CENTRE).service_level(1 / 3) == pytest.approx(0.916792, abs=half_unit(6))


def test_erlang_a_service_level_counts_abandoners_as_failures():
    """0.916792 is P(served and waited <= t) over all arrivals, not P(offered wait <= t) = 0.918714."""
    c, lam, mu, theta, t = 14, 10 / 3, 1 / 3, 0.2, 1 / 3
    p = birth_death(c, lam, mu, theta, extra=150)
    served = tagged_served_by(c, mu, theta, t, ahead=150, patient=False)
    offered = tagged_served_by(c, mu, theta, t, ahead=150, patient=True)
    level = erlang_a(c, lam, mu, theta).service_level(t)
    assert level == pytest.approx(p[:c].sum() + p[c:] @ served, abs=1e-9)
    assert p[:c].sum() + p[c:] @ offered == pytest.approx(0.918714, abs=half_unit(6))


@pytest.mark.parametrize(
    ("c", "lam", "mu", "theta", "t"),
    [(1, 0.8, 1.0, 0.5, 0.7), (5, 6.0, 1.0, 0.3, 0.25), (8, 5.0, 1.0, 2.0, 1.5), (3, 9.0, 2.0, 1.0, 0.1)],
)
def test_erlang_a_service_level_matches_a_tagged_customer_chain(c, lam, mu, theta, t):
    p = birth_death(c, lam, mu, theta, extra=120)
    served = tagged_served_by(c, mu, theta, t, ahead=120, patient=False)
    assert erlang_a(c, lam, mu, theta).service_level(t) == pytest.approx(
        p[:c].sum() + p[c:] @ served, abs=1e-9
    )


@settings(max_examples=60)
@given(
    servers,
    st.floats(min_value=0.1, max_value=2.0),
    st.floats(min_value=0.05, max_value=5.0),
)
def test_erlang_a_matches_the_truncated_birth_death_chain(c, load_per_server, theta):
    lam, mu = load_per_server * c, 1.0
    p = birth_death(c, lam, mu, theta, extra=int(40 + 20 * lam / theta))
    queue = np.maximum(np.arange(p.size) - c, 0)
    result = erlang_a(c, lam, mu, theta)
    assert result.prob_wait == pytest.approx(p[c:].sum(), rel=1e-9, abs=1e-14)
    assert result.mean_queue_length == pytest.approx(p @ queue, rel=1e-9, abs=1e-14)
    assert result.prob_abandon == pytest.approx(theta * (p @ queue) / lam, rel=1e-9, abs=1e-14)


@given(servers, st.floats(min_value=0.1, max_value=3.0))
def test_erlang_a_with_patience_rate_equal_to_service_rate_is_the_infinite_server_queue(c, a):
    # Every customer present then leaves at rate μ: N is Poisson(a), M/M/∞.
    result = erlang_a(c, a, 1.0, 1.0)
    assert result.prob_wait == pytest.approx(poisson.sf(c - 1, a), rel=1e-10, abs=1e-300)


@settings(max_examples=40)
@given(servers, utilizations, st.floats(min_value=0.0, max_value=3.0))
def test_erlang_a_tends_to_erlang_c_as_patience_becomes_endless(c, rho, t):
    patient = mmc(c, rho * c, 1.0)
    nearly = erlang_a(c, rho * c, 1.0, 1e-9)
    assert nearly.prob_wait == pytest.approx(patient.prob_wait, rel=1e-5, abs=1e-12)
    assert nearly.mean_wait == pytest.approx(patient.mean_wait, rel=1e-5, abs=1e-12)
    assert nearly.mean_wait_served == pytest.approx(patient.mean_wait, rel=1e-5, abs=1e-12)
    assert nearly.service_level(t) == pytest.approx(patient.service_level(t), abs=1e-6)
    assert nearly.prob_abandon < 1e-6


@given(servers, st.floats(min_value=0.1, max_value=3.0), st.floats(min_value=0.05, max_value=5.0))
def test_erlang_a_serves_immediately_exactly_those_who_do_not_wait(c, load_per_server, theta):
    result = erlang_a(c, load_per_server * c, 1.0, theta)
    assert result.service_level(0.0) == pytest.approx(1.0 - result.prob_wait, abs=1e-12)


@pytest.mark.parametrize(("c", "lam", "theta"), [(14, 10 / 3 * 3, 0.6), (2, 3.0, 0.5), (5, 4.0, 0.1)])
def test_erlang_a_mean_wait_of_served_customers_integrates_the_late_share(c, lam, theta):
    # E[wait; served] = ∫ P(served, wait > t) dt = ∫ (1 - P(abandon) - SL(t)) dt.
    result = erlang_a(c, lam, 1.0, theta)
    late, _ = quad(lambda t: 1.0 - result.prob_abandon - result.service_level(t), 0, np.inf)
    assert result.mean_wait_served * (1 - result.prob_abandon) == pytest.approx(late, rel=1e-7)
    assert result.mean_wait == pytest.approx(result.prob_abandon / theta, rel=1e-12)


def test_erlang_a_overloaded_service_is_stable_and_serves_at_capacity():
    result = erlang_a(10, 20.0, 1.0, 1e-4)  # twice the capacity, very patient customers
    assert result.prob_abandon == pytest.approx(0.5, rel=1e-3)
    assert result.utilization == pytest.approx(1.0, rel=1e-3)
    assert result.mean_wait_served == pytest.approx(math.log(2) / 1e-4, rel=1e-3)  # λ e^(-θw) = cμ


# --- M/M/c/K ---------------------------------------------------------------------------------


@given(servers, loads)
def test_mmck_with_no_waiting_room_blocks_like_erlang_b(c, a):
    assert mmck(c, c, a, 1.0).prob_block == pytest.approx(erlang_b(c, a), rel=1e-10, abs=1e-300)


@given(st.integers(min_value=1, max_value=20), utilizations)
def test_mmck_with_a_vast_waiting_room_is_mmc(c, rho):
    finite, unlimited = mmck(c, c + 2000, rho * c, 1.0), mmc(c, rho * c, 1.0)
    assert finite.mean_queue_length == pytest.approx(unlimited.mean_queue_length, rel=1e-9)
    assert finite.mean_wait == pytest.approx(unlimited.mean_wait, rel=1e-9)


@pytest.mark.parametrize("rho", [0.5, 2.0])
def test_mm1k_blocks_with_the_geometric_formula(rho):
    # M/M/1/K: P_K = (1 - ρ) ρ^K / (1 - ρ^(K+1)); K = 3 gives 1/15 at ρ = 1/2 and 8/15 at ρ = 2.
    result = mmck(1, 3, rho, 1.0)
    assert result.prob_block == pytest.approx((1 - rho) * rho**3 / (1 - rho**4), rel=1e-13)
    assert result.throughput == pytest.approx(rho * (1 - result.prob_block), rel=1e-13)


def test_mmck_satisfies_littles_law_for_admitted_customers():
    result = mmck(3, 8, 4.0, 1.0)
    assert result.mean_in_system == pytest.approx(result.throughput * result.mean_sojourn, rel=1e-13)
    assert result.mean_sojourn == pytest.approx(result.mean_wait + 1.0, rel=1e-13)
    assert result.utilization == pytest.approx(result.throughput / 3.0, rel=1e-13)


# --- Jackson networks ------------------------------------------------------------------------


def test_tandem_of_two_mm1_stations_takes_3_time_units():
    network = jackson_network([1.0, 0.0], [[0.0, 1.0], [0.0, 0.0]], [2.0, 1.5])
    assert network.mean_sojourn == pytest.approx(3.000, abs=half_unit(3))
    assert network.utilization == pytest.approx((0.5, 2 / 3), rel=1e-14)


def test_mm1_with_20_percent_rework_takes_5_time_units():
    network = jackson_network([0.6], [[0.2]], [1.0])
    assert network.arrival_rates[0] == pytest.approx(0.75, rel=1e-14)  # 0.6 / (1 - 0.2)
    assert network.visits[0] == pytest.approx(1.25, rel=1e-14)
    assert network.mean_sojourn == pytest.approx(5.000, abs=half_unit(3))


@given(servers, utilizations, st.floats(min_value=0.1, max_value=10.0))
def test_jackson_network_of_one_station_is_mmc(c, rho, mu):
    lam = rho * c * mu
    network, queue = jackson_network([lam], [[0.0]], [mu], c), mmc(c, lam, mu)
    assert network.mean_sojourn == pytest.approx(queue.mean_sojourn, rel=1e-12)
    assert network.stations[0].prob_wait == pytest.approx(queue.prob_wait, rel=1e-12)


def test_jackson_network_splits_flow_by_routing_probabilities():
    # Triage sends 70% to deposits and 30% to enquiries, with two tellers at each.
    network = jackson_network([1.0, 0, 0], [[0, 0.7, 0.3], [0, 0, 0], [0, 0, 0]], [2.0, 1.0, 0.5], [1, 2, 2])
    assert network.arrival_rates == pytest.approx((1.0, 0.7, 0.3), rel=1e-14)
    expected = (
        mm1(1.0, 2.0).mean_in_system + mmc(2, 0.7, 1.0).mean_in_system + mmc(2, 0.3, 0.5).mean_in_system
    )
    assert network.mean_sojourn == pytest.approx(expected, rel=1e-13)


def test_jackson_network_names_every_unstable_station():
    with pytest.raises(ValueError, match=r"station 1 .*ρ = 1\.2.*station 2 .*ρ = 1\.5"):
        jackson_network([1.2, 0, 0], [[0, 1, 0], [0, 0, 1], [0, 0, 0]], [2.0, 1.0, 0.8])


def test_jackson_network_rejects_a_loop_with_no_way_out():
    # Half of station 0's customers leave; stations 1 and 2 pass everyone back and forth.
    with pytest.raises(ValueError, match=r"stations \[1, 2\] can never leave"):
        jackson_network([1.0, 0, 0], [[0, 0.5, 0], [0, 0, 1], [0, 1, 0]], [2.0, 2.0, 2.0])


def test_jackson_network_rejects_routing_rows_above_one():
    with pytest.raises(ValueError, match="row summing to at most 1"):
        jackson_network([1.0, 0], [[0.5, 0.6], [0, 0]], [2.0, 2.0])


# --- staffing --------------------------------------------------------------------------------


def test_80_percent_in_20_seconds_needs_14_agents_for_10_calls_per_3_minutes():
    lam, mu, t = 10 / 3, 1 / 3, 1 / 3  # per minute; 3-minute calls; 20 s
    assert offered_load(lam, mu) == pytest.approx(10.0, rel=1e-15)
    assert mmc(13, lam, mu).service_level(t) == pytest.approx(0.796, abs=half_unit(3))
    assert mmc(14, lam, mu).service_level(t) == pytest.approx(0.888, abs=half_unit(3))
    assert servers_for_service_level(lam, mu, within=t, target=0.8) == 14


@settings(max_examples=40)
@given(
    st.floats(min_value=0.5, max_value=50.0),
    st.floats(min_value=0.0, max_value=2.0),
    st.floats(min_value=0.05, max_value=0.99),
    st.floats(min_value=0.05, max_value=2.0),
)
def test_staffing_finds_the_fewest_servers_that_meet_the_target(a, t, target, theta):
    c = servers_for_service_level(a, 1.0, within=t, target=target)
    assert mmc(c, a, 1.0).service_level(t) >= target
    assert c == math.floor(a) + 1 or mmc(c - 1, a, 1.0).service_level(t) < target
    c_a = servers_for_service_level(a, 1.0, within=t, target=target, patience_rate=theta)
    assert erlang_a(c_a, a, 1.0, theta).service_level(t) >= target
    assert c_a == 1 or erlang_a(c_a - 1, a, 1.0, theta).service_level(t) < target


# --- arguments and the public surface --------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_b(0, 1.0), "servers must be a whole number of at least 1, got 0"),
        (lambda: erlang_b(2.5, 1.0), "servers must be a whole number"),
        (lambda: erlang_b(True, 1.0), "servers must be a whole number"),
        (lambda: erlang_b(3, -1.0), "load must be a finite number > 0"),
        (lambda: mmc(2, float("nan"), 1.0), "arrival_rate must be a finite number > 0"),
        (lambda: mmc(2, 3.0, 1.0), r"unstable: utilisation λ/\(cμ\) = 1\.5 >= 1.*at least 4 servers"),
        (lambda: erlang_c(3, 3.0), "unstable"),
        (lambda: erlang_a(2, 1.0, 1.0, 0.0), "patience_rate must be a finite number > 0"),
        (lambda: mmc(2, 1.0, 1.0).service_level(-1), "within must be a finite time >= 0"),
        (lambda: mmck(3, 2, 1.0, 1.0), "capacity .* must be >= servers = 3, got 2"),
        (lambda: servers_for_service_level(1.0, 1.0, 1.0, 80), "target must be a share strictly between"),
        (lambda: jackson_network([1.0], [[0.0]], [1.0, 2.0]), "service_rates must be a list of 1 numbers"),
        (lambda: jackson_network([1.0, 0], [[0, 1], [0, 0]], [2.0, 2.0], [1]), "servers must be one"),
        (lambda: jackson_network([0.0], [[0.0]], [1.0]), "at least one station receiving arrivals"),
    ],
)
def test_bad_arguments_raise_value_errors_that_say_what_to_change(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_analysis_package_re_exports_the_queueing_functions():
    assert set(blueprint.analysis.__all__) == set(queueing.__all__)
    for name in queueing.__all__:
        assert getattr(blueprint.analysis, name) is getattr(queueing, name)


def test_docstring_examples_run():
    failures, tried = doctest.testmod(queueing, raise_on_error=False)
    assert tried > 10
    assert failures == 0
