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
``random.random()``. The blocks start small and grow to :data:`BLOCK` (a
bank's day draws a few dozen numbers from most of its streams, and a block
of 2,048 draws costs a tenth of a millisecond); numpy draws these
distributions one value after another from the bit stream, so the numbers do
not depend on where a block ends (tests/test_streams.py checks it). The
truncated normal, whose rejection works on whole blocks, always draws
:data:`BLOCK` at a time.
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

__all__ = ["BLOCK", "FIRST_BLOCKS", "Streams", "sampler"]

BLOCK = 2048
FIRST_BLOCKS = (64, 256, 1024)
"""The sizes of a stream's first blocks; then BLOCK at a time."""
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
        return _blocks(gen.random)

    def exponentials(self, purpose: str) -> Stream:
        """Unit-mean exponentials (arrivals are unit exponentials stretched by the rate)."""
        gen = self.generator(purpose)
        return _blocks(gen.standard_exponential)

    def durations(self, purpose: str, distribution: Distribution) -> Stream:
        return sampler(self.generator(purpose), distribution)


def _blocks(draw: Callable[[int], np.ndarray]) -> Stream:
    """The values of draw(64), draw(256), draw(1024), then draw(BLOCK) again and again."""
    sizes = itertools.chain(FIRST_BLOCKS, itertools.repeat(BLOCK))
    return itertools.chain.from_iterable(draw(size).tolist() for size in sizes)


def sampler(gen: np.random.Generator, d: Distribution) -> Stream:
    """An endless stream of samples of a duration distribution."""
    if isinstance(d, Fixed):
        return itertools.repeat(float(d.value))
    if isinstance(d, Exponential):
        return _blocks(lambda n: gen.exponential(d.mean, n))
    if isinstance(d, Uniform):
        return _blocks(lambda n: gen.uniform(d.low, d.high, n))
    if isinstance(d, Triangular):
        return _blocks(lambda n: gen.triangular(d.low, d.mode, d.high, n))
    if isinstance(d, Normal):
        if d.sd == 0:
            return itertools.repeat(float(d.mean))
        return itertools.chain.from_iterable(iter(lambda: _truncated_normal(gen, d.mean, d.sd).tolist(),
                                                  None))
    if isinstance(d, Lognormal):
        mu, sigma = d.log_parameters
        return _blocks(lambda n: gen.lognormal(mu, sigma, n))
    if isinstance(d, Gamma):
        shape, scale = d.shape_scale
        return _blocks(lambda n: gen.gamma(shape, scale, n))
    if isinstance(d, Empirical):
        values = np.asarray(d.values, dtype=float)
        return _blocks(lambda n: gen.choice(values, n))
    raise TypeError(f"no sampler for {type(d).__name__}")


def _truncated_normal(gen: np.random.Generator, mean: float, sd: float) -> np.ndarray:
    """Normal samples conditioned on being >= 0 (rejection: no step takes negative time)."""
    kept = np.empty(0)
    while kept.size < BLOCK:
        draws = gen.normal(mean, sd, BLOCK)
        kept = np.concatenate([kept, draws[draws >= 0]])
    return kept[:BLOCK]
