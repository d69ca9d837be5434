"""Random numbers: one stream per purpose, the same on every machine.

Replication *k* of seed *s* draws from ``SeedSequence(s, spawn_key=(k, h))``
where *h* names the purpose — arrivals, classes, the durations of step
``deposit``, the routing after ``triage``, the patience at ``deposit``, the
fail point ``wrong_slip`` — so the numbers depend only on the seed, the
replication and the purpose. The same seed gives the same run in one process,
many processes or a cluster; and two scenarios that differ at one step draw
the same numbers everywhere else (common random numbers), so their
difference is the change, not the noise.

Draws are made in blocks by numpy and handed out one at a time through a C
iterator: ``next(stream)`` costs about as much as Python's own
``random.random()``.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Iterator

import numpy as np

from blueprint.model import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Normal,
    Triangular,
    Uniform,
)

__all__ = ["BLOCK", "Streams", "sampler"]

BLOCK = 2048
Stream = Iterator[float]


class Streams:
    """The generators of one replication, created on demand by purpose name."""

    def __init__(self, seed: int, replication: int):
        self.seed = seed
        self.replication = replication

    def generator(self, purpose: str) -> np.random.Generator:
        sequence = np.random.SeedSequence(
            self.seed, spawn_key=(self.replication, zlib.crc32(purpose.encode("utf-8")))
        )
        return np.random.Generator(np.random.PCG64(sequence))

    def uniforms(self, purpose: str) -> Stream:
        gen = self.generator(purpose)
        return _blocks(lambda: gen.random(BLOCK))

    def exponentials(self, purpose: str) -> Stream:
        """Unit-mean exponentials (arrivals are unit exponentials stretched by the rate)."""
        gen = self.generator(purpose)
        return _blocks(lambda: gen.standard_exponential(BLOCK))

    def durations(self, purpose: str, distribution: Distribution) -> Stream:
        return sampler(self.generator(purpose), distribution)


def _blocks(draw: Callable[[], np.ndarray]) -> Stream:
    return itertools.chain.from_iterable(iter(lambda: draw().tolist(), None))


def sampler(gen: np.random.Generator, d: Distribution) -> Stream:
    """An endless stream of samples of a duration distribution."""
    if isinstance(d, Fixed):
        return itertools.repeat(float(d.value))
    if isinstance(d, Exponential):
        return _blocks(lambda: gen.exponential(d.mean, BLOCK))
    if isinstance(d, Uniform):
        return _blocks(lambda: gen.uniform(d.low, d.high, BLOCK))
    if isinstance(d, Triangular):
        return _blocks(lambda: gen.triangular(d.low, d.mode, d.high, BLOCK))
    if isinstance(d, Normal):
        if d.sd == 0:
            return itertools.repeat(float(d.mean))
        return _blocks(lambda: _truncated_normal(gen, d.mean, d.sd))
    if isinstance(d, Lognormal):
        mu, sigma = d.log_parameters
        return _blocks(lambda: gen.lognormal(mu, sigma, BLOCK))
    if isinstance(d, Gamma):
        shape, scale = d.shape_scale
        return _blocks(lambda: gen.gamma(shape, scale, BLOCK))
    if isinstance(d, Empirical):
        values = np.asarray(d.values, dtype=float)
        return _blocks(lambda: gen.choice(values, BLOCK))
    raise TypeError(f"no sampler for {type(d).__name__}")


def _truncated_normal(gen: np.random.Generator, mean: float, sd: float) -> np.ndarray:
    """Normal samples conditioned on being >= 0 (rejection: no step takes negative time)."""
    kept = np.empty(0)
    while kept.size < BLOCK:
        draws = gen.normal(mean, sd, BLOCK)
        kept = np.concatenate([kept, draws[draws >= 0]])
    return kept[:BLOCK]
