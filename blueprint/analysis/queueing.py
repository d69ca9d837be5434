"""Exact queueing formulas: the numbers a simulation of a simple service must reproduce.

A bank counter with ``c`` tellers, customers arriving at random (Poisson, rate
``λ``) and served for exponential times (rate ``μ``) is the M/M/c queue; how
long people wait there follows from Erlang's formulas without simulating
anything. Analysts use these results for quick estimates and first staffing
numbers, and the simulator's tests are held to them.

- :func:`erlang_b` — the share of customers lost when nobody may wait (M/M/c/c);
- :func:`erlang_c` and :func:`mmc` — everyone waits, patiently (M/M/c);
- :func:`erlang_a` — customers give up after an exponential patience (M/M/c+M);
- :func:`mmck` — a waiting room of limited size: arrivals who find it full balk;
- :func:`jackson_network` — stations in series, with branches or rework loops;
- :func:`servers_for_service_level` — the fewest servers for "80% within 20 s".

Units: every rate is per the same time unit (per minute, say) and every time
passed in or returned (``within``, waits, sojourns) is in that unit. The
offered load ``a = λ/μ`` is in Erlangs: the mean number of busy servers if
nobody were lost.

Everything is computed in a numerically stable way — Erlang B by its
recursion in log space, Erlang A by summing the birth-death chain's queue
weights outward from their peak — so hundreds of servers, tiny blocking
probabilities and patience rates near zero give finite, accurate answers.

>>> round(erlang_b(10, 10.0), 4)
0.2146
>>> round(mmc(3, 2.7, 1.0).prob_wait, 4)
0.8171
>>> servers_for_service_level(10 / 3, 1 / 3, within=1 / 3, target=0.8)
14
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from numbers import Integral, Real

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, expit, gammainc, gammaln, logsumexp

__all__ = [
    "ErlangA",
    "JacksonNetwork",
    "MMc",
    "MMcK",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "jackson_network",
    "mm1",
    "mmc",
    "mmck",
    "offered_load",
    "servers_for_service_level",
]

_TAIL = 45.0  # queue weights below e^-45 of the largest are dropped: far below double precision
_MAX_TERMS = 1 << 24  # guard against absurd parameters (patience ~1e-12 of the service rate)


# --- argument checks: messages a user can act on ----------------------------------------------


def _require_servers(value: object, name: str = "servers") -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
    return int(value)


def _require_rate(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0 (events per time unit), got {value!r}")
    return float(value)


def _require_time(value: object, name: str = "within") -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite time >= 0 (in the rates' time unit), got {value!r}")
    return float(value)


def _require_stable(servers: int, arrival_rate: float, service_rate: float) -> None:
    rho = arrival_rate / (servers * service_rate)
    if rho >= 1:
        raise ValueError(
            f"the queue is unstable: utilisation λ/(cμ) = {rho:.4g} >= 1, so waits grow without bound; "
            f"use at least {math.floor(arrival_rate / service_rate) + 1} servers, or erlang_a / mmck "
            "for customers who abandon or balk"
        )


# --- Erlang B: the recursion, in log space ------------------------------------------------------


def _log_inverse_erlang_b_steps(load: float) -> Iterator[float]:
    """Yield log(1/B(k, a)) for k = 1, 2, ...: 1/B(k) = 1 + (k/a)/B(k-1), which never overflows here."""
    log_load = math.log(load) if load > 0 else -math.inf
    log_r = 0.0
    k = 0
    while True:
        k += 1
        z = math.log(k) - log_load + log_r
        log_r = z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))
        yield log_r


def _log_inverse_erlang_b(servers: int, load: float) -> float:
    return next(islice(_log_inverse_erlang_b_steps(load), servers - 1, None))


def _log_expm1(x: float) -> float:
    """log(e^x - 1) for x > 0 without overflow or cancellation."""
    return x + math.log(-math.expm1(-x))


def _prob_wait_mmc(log_inverse_b: float, rho: float) -> float:
    """Erlang C from Erlang B: 1/C = 1 + (1 - ρ)(1/B - 1)."""
    return float(expit(-(math.log1p(-rho) + _log_expm1(log_inverse_b))))


def offered_load(arrival_rate: float, service_rate: float) -> float:
    """The offered load a = λ/μ in Erlangs: the mean number of servers busy if nobody were lost.

    >>> offered_load(2.0, 0.25)   # two calls a minute, four minutes each
    8.0
    """
    return _require_rate(arrival_rate, "arrival_rate") / _require_rate(service_rate, "service_rate")


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability B(c, a) of the loss system M/M/c/c: the share of arrivals turned away.

    ``servers`` is c; ``load`` is the offered load a = λ/μ in Erlangs. The
    result holds for any service-time distribution with that mean (insensitivity).

    >>> round(erlang_b(17, 10.0), 5)
    0.01295
    """
    c = _require_servers(servers)
    a = _require_rate(load, "load")
    return math.exp(-_log_inverse_erlang_b(c, a))


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival has to wait, C(c, a), in the M/M/c queue (needs a < c).

    >>> round(erlang_c(3, 2.7), 4)
    0.8171
    """
    c = _require_servers(servers)
    a = _require_rate(load, "load")
    _require_stable(c, a, 1.0)
    return _prob_wait_mmc(_log_inverse_erlang_b(c, a), a / c)


# --- M/M/c -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MMc:
    """Steady state of the M/M/c queue: Poisson arrivals, c exponential servers, unlimited room and patience.

    Attributes: ``utilization`` ρ = λ/(cμ); ``prob_wait`` P(Wq > 0) (Erlang C);
    ``mean_wait`` Wq, the mean time in queue; ``mean_queue_length`` Lq, the
    mean number waiting; ``mean_sojourn`` W = Wq + 1/μ, the mean time in the
    system; ``mean_in_system`` L = λW.
    """

    servers: int
    arrival_rate: float
    service_rate: float
    utilization: float
    prob_wait: float
    mean_wait: float
    mean_queue_length: float
    mean_sojourn: float
    mean_in_system: float

    def service_level(self, within: float) -> float:
        """P(Wq <= within): the share of customers whose service starts within ``within``.

        >>> round(mmc(3, 2.7, 1.0).service_level(1.0), 4)
        0.3947
        """
        t = _require_time(within)
        spare = self.servers * self.service_rate - self.arrival_rate
        return 1.0 - self.prob_wait * math.exp(-spare * t)


def _mmc(servers: int, arrival_rate: float, service_rate: float, log_inverse_b: float) -> MMc:
    capacity = servers * service_rate
    rho = arrival_rate / capacity
    prob_wait = _prob_wait_mmc(log_inverse_b, rho)
    mean_wait = prob_wait / (capacity - arrival_rate)
    mean_sojourn = mean_wait + 1.0 / service_rate
    return MMc(
        servers=servers,
        arrival_rate=arrival_rate,
        service_rate=service_rate,
        utilization=rho,
        prob_wait=prob_wait,
        mean_wait=mean_wait,
        mean_queue_length=arrival_rate * mean_wait,
        mean_sojourn=mean_sojourn,
        mean_in_system=arrival_rate * mean_sojourn,
    )


def mmc(servers: int, arrival_rate: float, service_rate: float) -> MMc:
    """Solve the M/M/c queue; raises ValueError when λ >= cμ, where no steady state exists.

    >>> round(mmc(3, 2.7, 1.0).mean_wait, 3)
    2.724
    """
    c = _require_servers(servers)
    lam = _require_rate(arrival_rate, "arrival_rate")
    mu = _require_rate(service_rate, "service_rate")
    _require_stable(c, lam, mu)
    return _mmc(c, lam, mu, _log_inverse_erlang_b(c, lam / mu))


def mm1(arrival_rate: float, service_rate: float) -> MMc:
    """Solve the single-server M/M/1 queue (mmc with one server).

    >>> mm1(0.5, 1.0).mean_sojourn
    2.0
    """
    return mmc(1, arrival_rate, service_rate)


# --- Erlang A: M/M/c+M --------------------------------------------------------------------------


def _log_kummer_closed(s: float, y: float) -> float:
    """log M(s, y) = log(Γ(s+1) e^y y^-s P(s, y)) for y >= s, arranged so large s and y do not cancel."""
    if s < 30:
        remainder = float(gammaln(s + 1)) - (s * math.log(s) - s + 0.5 * math.log(2 * math.pi * s))
    else:  # Stirling series for log Γ(s+1); the next term is below 1e-17 here
        remainder = 1 / (12 * s) - 1 / (360 * s**3) + 1 / (1260 * s**5) - 1 / (1680 * s**7)
    d = (y - s) / s
    return s * (d - math.log1p(d)) + 0.5 * math.log(2 * math.pi * s) + remainder + math.log(gammainc(s, y))


def _rising_weights(s: float, x: float, start: int, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Queue weights from ``start`` outward (step ±1) until the tail is negligible, relative to ``start``."""
    n = 64
    while True:
        if step > 0:
            k = np.arange(start + 1, start + n + 1, dtype=float)
            with np.errstate(divide="ignore"):  # x far below s + k: the weight underflows to 0
                log_w = np.cumsum(np.log1p((x - s - k) / (s + k)))  # w_k / w_{k-1} = x / (s + k)
            q = x / (s + k[-1] + 1)
            done = False
        else:
            k = np.arange(start - 1, max(0, start - n) - 1, -1, dtype=float)
            log_w = np.cumsum(np.log1p((s + k + 1 - x) / x))  # w_k / w_{k+1} = (s + k + 1) / x
            q = (s + k[-1]) / x
            done = k[-1] == 0
        if done or q == 0 or log_w[-1] + math.log(q / (1 - q)) < -_TAIL:
            return k, log_w
        if n >= _MAX_TERMS:
            raise ValueError(
                "patience_rate is too small next to the service rate for the exact Erlang A sum; "
                "use mmc (Erlang C), which is its limit"
            )
        n *= 2


def _queue_ahead(s: float, x: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Queue length met by an arrival who must wait, its probabilities, and log M(s, x).

    In units of the patience rate θ, with s = cμ/θ and x = λ/θ, the chain's
    weight of k waiting is w_k = Π_{j<=k} x / (s + j); M(s, x) = Σ w_k is
    Kummer's 1F1(1; s+1; x). The weights are summed outward from their peak.
    """
    mode = max(0, math.floor(x - s))  # weights rise while x / (s + k) >= 1
    right_k, right_w = _rising_weights(s, x, mode, +1)
    if mode > 0:
        left_k, left_w = _rising_weights(s, x, mode, -1)
        k = np.concatenate([left_k[::-1], [mode], right_k])
        log_w = np.concatenate([left_w[::-1], [0.0], right_w])
    else:
        k = np.concatenate([[0.0], right_k])
        log_w = np.concatenate([[0.0], right_w])
    log_total = float(logsumexp(log_w))
    log_m = log_total if mode == 0 else _log_kummer_closed(s, x)
    return k, np.exp(log_w - log_total), log_m


def _log_kummer(s: float, y: float) -> float:
    return 0.0 if y == 0 else _queue_ahead(s, y)[2]


@dataclass(frozen=True)
class ErlangA:
    """Steady state of the Erlang A queue M/M/c+M: waiting customers abandon at rate θ (mean patience 1/θ).

    Attributes: ``prob_wait`` P(an arrival must wait); ``prob_abandon`` P(an
    arrival leaves before service); ``mean_queue_length`` the mean number
    waiting; ``mean_wait`` the mean time in queue over all arrivals, served or
    not (= P(abandon)/θ); ``mean_wait_served`` the mean wait of those who are
    served (the simulator's ``wait``); ``utilization`` served load / c.
    """

    servers: int
    arrival_rate: float
    service_rate: float
    patience_rate: float
    prob_wait: float
    prob_abandon: float
    mean_queue_length: float
    mean_wait: float
    mean_wait_served: float
    utilization: float
    _log_prob_all_busy_none_waiting: float = field(repr=False, compare=False)

    def service_level(self, within: float) -> float:
        """P(served and waited <= within), over all arrivals: those who abandon count as failures.

        This is the simulator's ``within_tolerance`` and Mandelbaum & Zeltyn's
        convention; it is below P(offered wait <= within), which ignores
        abandonment. A tagged arrival who finds k waiting is served late with
        probability s/(s+k+1)·I_u(s+1, k+1), u = e^(-θt); summed over k:

            P(served, wait > t) = π_c · s/(s+1) · e^(-(cμ+θ)t + (λ/θ)(1 - u)) · M(s+1, (λ/θ)u).

        >>> round(erlang_a(14, 10 / 3, 1 / 3, 0.2).service_level(1 / 3), 6)
        0.916792
        """
        t = _require_time(within)
        c, lam, mu, theta = self.servers, self.arrival_rate, self.service_rate, self.patience_rate
        s, x = c * mu / theta, lam / theta
        log_late = (
            self._log_prob_all_busy_none_waiting
            + math.log(s / (s + 1))
            - (c * mu + theta) * t
            + x * -math.expm1(-theta * t)
            + _log_kummer(s + 1, x * math.exp(-theta * t))
        )
        return min(1.0, max(0.0, 1.0 - self.prob_abandon - math.exp(log_late)))


def _erlang_a(servers: int, lam: float, mu: float, theta: float, log_inverse_b: float) -> ErlangA:
    s, x = servers * mu / theta, lam / theta
    ahead, prob_ahead, log_m = _queue_ahead(s, x)
    log_norm = float(np.logaddexp(_log_expm1(log_inverse_b), log_m))  # π_c = 1 / (1/B - 1 + M)
    prob_wait = math.exp(log_m - log_norm)
    mean_queue = prob_wait * float(prob_ahead @ ahead)
    prob_abandon = theta * mean_queue / lam
    # Served after k ahead: E[wait; served] = s/(s+k+1) · Σ_{j=1..k+1} 1/(cμ + jθ).
    first = ahead[0]
    before = (digamma(s + first + 1) - digamma(s + 1)) / theta if first > 0 else 0.0
    waited = before + np.cumsum(1.0 / (servers * mu + (ahead + 1) * theta))
    served_wait = prob_wait * float(prob_ahead @ (s / (s + ahead + 1) * waited))
    return ErlangA(
        servers=servers,
        arrival_rate=lam,
        service_rate=mu,
        patience_rate=theta,
        prob_wait=prob_wait,
        prob_abandon=prob_abandon,
        mean_queue_length=mean_queue,
        mean_wait=mean_queue / lam,
        mean_wait_served=served_wait / (1 - prob_abandon),
        utilization=lam * (1 - prob_abandon) / (servers * mu),
        _log_prob_all_busy_none_waiting=-log_norm,
    )


def erlang_a(servers: int, arrival_rate: float, service_rate: float, patience_rate: float) -> ErlangA:
    """Solve M/M/c+M exactly; stable for any load, and tends to Erlang C as ``patience_rate`` -> 0.

    ``patience_rate`` θ is 1 / mean patience: a waiting customer leaves at rate θ.

    >>> ea = erlang_a(14, 10 / 3, 1 / 3, 0.2)
    >>> round(ea.prob_wait, 5), round(ea.prob_abandon, 6)
    (0.14526, 0.013984)
    """
    c = _require_servers(servers)
    lam = _require_rate(arrival_rate, "arrival_rate")
    mu = _require_rate(service_rate, "service_rate")
    theta = _require_rate(patience_rate, "patience_rate")
    return _erlang_a(c, lam, mu, theta, _log_inverse_erlang_b(c, lam / mu))


# --- M/M/c/K -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MMcK:
    """Steady state of M/M/c/K: at most K customers inside (c in service, K - c waiting), the rest balk.

    Attributes: ``prob_block`` P(an arrival finds K inside and leaves);
    ``throughput`` λ(1 - prob_block); ``utilization`` throughput/(cμ);
    ``mean_queue_length`` Lq; ``mean_in_system`` L; ``mean_wait`` and
    ``mean_sojourn`` the mean time in queue and in the system of admitted customers.
    """

    servers: int
    capacity: int
    arrival_rate: float
    service_rate: float
    prob_block: float
    throughput: float
    utilization: float
    mean_queue_length: float
    mean_in_system: float
    mean_wait: float
    mean_sojourn: float


def mmck(servers: int, capacity: int, arrival_rate: float, service_rate: float) -> MMcK:
    """Solve M/M/c/K (any load: the finite room keeps it stable). ``balk_at`` in a model is K - c.

    >>> round(mmck(2, 2, 1.0, 1.0).prob_block, 4)   # K = c is Erlang B: B(2, 1) = 0.2
    0.2
    """
    c = _require_servers(servers)
    k = _require_servers(capacity, "capacity")
    if k < c:
        raise ValueError(
            f"capacity (customers inside, in service or waiting) must be >= servers = {c}, got {k}"
        )
    lam = _require_rate(arrival_rate, "arrival_rate")
    mu = _require_rate(service_rate, "service_rate")
    a = lam / mu
    n = np.arange(k + 1, dtype=float)
    busy = np.minimum(n, c)
    log_w = n * math.log(a) - gammaln(busy + 1) - (n - busy) * math.log(c)  # a^n / (c! c^(n-c)) beyond c
    p = np.exp(log_w - logsumexp(log_w))
    throughput = lam * (1 - float(p[-1]))
    queue = float(p @ (n - busy))
    inside = float(p @ n)
    return MMcK(
        servers=c,
        capacity=k,
        arrival_rate=lam,
        service_rate=mu,
        prob_block=float(p[-1]),
        throughput=throughput,
        utilization=throughput / (c * mu),
        mean_queue_length=queue,
        mean_in_system=inside,
        mean_wait=queue / throughput,
        mean_sojourn=inside / throughput,
    )


# --- open Jackson networks ---------------------------------------------------------------------


@dataclass(frozen=True)
class JacksonNetwork:
    """Steady state of an open Jackson network of M/M/c stations.

    Attributes: ``arrival_rates`` the total flow into each station (external
    plus routed), the solution of λ = γ + λP; ``stations`` each station as an
    :class:`MMc` at that rate; ``throughput`` Σγ; ``mean_in_system`` Σ L;
    ``mean_sojourn`` the mean time from entering to leaving the network,
    Σ L / Σ γ by Little's law.
    """

    arrival_rates: tuple[float, ...]
    stations: tuple[MMc, ...]
    throughput: float
    mean_in_system: float
    mean_sojourn: float

    @property
    def utilization(self) -> tuple[float, ...]:
        """Utilisation ρ of each station."""
        return tuple(station.utilization for station in self.stations)

    @property
    def visits(self) -> tuple[float, ...]:
        """Mean number of visits a customer pays to each station (rework counts again)."""
        return tuple(rate / self.throughput for rate in self.arrival_rates)


def _as_vector(values: ArrayLike, name: str, size: int | None) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or (size is not None and array.size != size) or array.size == 0:
        expected = "a non-empty list" if size is None else f"a list of {size} numbers, one per station"
        raise ValueError(f"{name} must be {expected}, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers, got {array.tolist()}")
    return array


def _trapped_stations(routing: np.ndarray) -> list[int]:
    """Stations from which no chain of routes leads out of the network."""
    can_leave = routing.sum(axis=1) < 1 - 1e-12
    changed = True
    while changed:
        reach = can_leave | ((routing > 0) & can_leave[np.newaxis, :]).any(axis=1)
        changed = bool((reach != can_leave).any())
        can_leave = reach
    return np.flatnonzero(~can_leave).tolist()


def _station_servers(servers: int | Sequence[int], size: int) -> list[int]:
    if isinstance(servers, Integral) and not isinstance(servers, bool):
        return [_require_servers(servers)] * size
    counts = list(servers)  # type: ignore[arg-type]
    if len(counts) != size:
        raise ValueError(f"servers must be one whole number or a list of {size}, one per station")
    return [_require_servers(count, f"servers[{i}]") for i, count in enumerate(counts)]


def jackson_network(
    external_arrival_rates: ArrayLike,
    routing: ArrayLike,
    service_rates: ArrayLike,
    servers: int | Sequence[int] = 1,
) -> JacksonNetwork:
    """Solve an open Jackson network: Poisson arrivals, M/M/c stations, random routing.

    ``external_arrival_rates`` γ_i: arrivals from outside at each station;
    ``routing[i][j]`` the probability of going to station j after service at
    i (1 - row sum leaves); ``service_rates`` μ_i per server; ``servers`` c_i,
    one number for all stations or one each. Raises ValueError when a station
    is unstable (ρ >= 1) or customers could never leave.

    >>> round(jackson_network([1.0, 0.0], [[0, 1], [0, 0]], [2.0, 1.5]).mean_sojourn, 3)
    3.0
    >>> round(jackson_network([0.6], [[0.2]], [1.0]).mean_sojourn, 3)   # 20% rework
    5.0
    """
    gamma = _as_vector(external_arrival_rates, "external_arrival_rates", None)
    size = gamma.size
    if (gamma < 0).any() or gamma.sum() <= 0:
        raise ValueError("external_arrival_rates must be >= 0 with at least one station receiving arrivals")
    mu = _as_vector(service_rates, "service_rates", size)
    if (mu <= 0).any():
        raise ValueError(f"service_rates must all be > 0, got {mu.tolist()}")
    p = np.asarray(routing, dtype=float)
    if p.shape != (size, size):
        raise ValueError(f"routing must be a {size}×{size} matrix of probabilities, got shape {p.shape}")
    if not np.all(np.isfinite(p)) or (p < 0).any() or (p.sum(axis=1) > 1 + 1e-9).any():
        raise ValueError("routing entries must be probabilities >= 0 with each row summing to at most 1")
    trapped = _trapped_stations(p)
    if trapped:
        raise ValueError(f"customers at stations {trapped} can never leave the network: give them a way out")
    counts = _station_servers(servers, size)
    lam = np.maximum(np.linalg.solve((np.eye(size) - p).T, gamma), 0.0)  # λ = γ + λP
    capacity = np.array(counts) * mu
    unstable = [
        f"station {i} (λ = {lam[i]:.4g}, cμ = {capacity[i]:.4g}, ρ = {lam[i] / capacity[i]:.4g})"
        for i in range(size)
        if lam[i] >= capacity[i]
    ]
    if unstable:
        raise ValueError(
            f"unstable: {'; '.join(unstable)} — each needs ρ < 1: add servers there or cut its flow"
        )
    stations = tuple(
        _mmc(counts[i], float(lam[i]), float(mu[i]), _log_inverse_erlang_b(counts[i], lam[i] / mu[i]))
        for i in range(size)
    )
    inside = math.fsum(station.mean_in_system for station in stations)
    throughput = float(gamma.sum())
    return JacksonNetwork(
        arrival_rates=tuple(float(rate) for rate in lam),
        stations=stations,
        throughput=throughput,
        mean_in_system=inside,
        mean_sojourn=inside / throughput,
    )


# --- staffing ----------------------------------------------------------------------------------


def servers_for_service_level(
    arrival_rate: float,
    service_rate: float,
    within: float,
    target: float,
    *,
    patience_rate: float | None = None,
) -> int:
    """The fewest servers whose service level within ``within`` reaches ``target`` (a share in (0, 1)).

    Without ``patience_rate`` the service level is Erlang C's P(Wq <= within);
    with it, Erlang A's P(served and waited <= within), abandoners counting as
    failures (:meth:`ErlangA.service_level`).

    >>> servers_for_service_level(10 / 3, 1 / 3, within=1 / 3, target=0.8, patience_rate=0.2)
    13
    """
    lam = _require_rate(arrival_rate, "arrival_rate")
    mu = _require_rate(service_rate, "service_rate")
    t = _require_time(within)
    if isinstance(target, bool) or not isinstance(target, Real) or not 0 < target < 1:
        raise ValueError(f"target must be a share strictly between 0 and 1 (0.8 for 80%), got {target!r}")
    theta = None if patience_rate is None else _require_rate(patience_rate, "patience_rate")
    load = lam / mu
    # Erlang C needs c > a; with abandonment, P(served) <= c/a caps the service level.
    first = math.floor(load) + 1 if theta is None else max(1, math.ceil(target * load))
    for c, log_inverse_b in enumerate(_log_inverse_erlang_b_steps(load), start=1):
        if c < first:
            continue
        if theta is None:
            level = _mmc(c, lam, mu, log_inverse_b).service_level(t)
        else:
            level = _erlang_a(c, lam, mu, theta, log_inverse_b).service_level(t)
        if level >= target:
            return c
    raise AssertionError("unreachable: the service level tends to 1 as servers grow")
