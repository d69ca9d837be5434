"""Random streams: a stream's numbers do not depend on how many are drawn at a time."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from blueprint.model import Empirical, Exponential, Gamma, Lognormal, Normal, Triangular, Uniform
from blueprint.sim.streams import BLOCK, FIRST_BLOCKS, Streams, sampler

DISTRIBUTIONS = {
    "exponential": (Exponential(dist="exponential", mean=3.0), lambda g, n: g.exponential(3.0, n)),
    "uniform": (Uniform(dist="uniform", low=1.0, high=4.0), lambda g, n: g.uniform(1.0, 4.0, n)),
    "triangular": (Triangular(dist="triangular", low=1.0, mode=2.0, high=6.0),
                   lambda g, n: g.triangular(1.0, 2.0, 6.0, n)),
    "lognormal": (Lognormal(dist="lognormal", mean=4.0, sd=2.0),
                  lambda g, n: g.lognormal(*Lognormal(dist="lognormal", mean=4.0, sd=2.0).log_parameters, n)),
    "gamma": (Gamma(dist="gamma", mean=2.0, sd=3.0),
              lambda g, n: g.gamma(*Gamma(dist="gamma", mean=2.0, sd=3.0).shape_scale, n)),
    "empirical": (Empirical(dist="empirical", values=[1.0, 2.0, 5.0]),
                  lambda g, n: g.choice(np.array([1.0, 2.0, 5.0]), n)),
}
ENOUGH = sum(FIRST_BLOCKS) + 2 * BLOCK + 7  # across every growing block and into the steady ones


def _generator(seed: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(seed))


@pytest.mark.parametrize("name", list(DISTRIBUTIONS))
@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_a_stream_draws_what_one_large_draw_would(name, seed):
    distribution, whole = DISTRIBUTIONS[name]
    drawn = list(itertools.islice(sampler(_generator(seed), distribution), ENOUGH))
    assert drawn == whole(_generator(seed), ENOUGH).tolist()


def test_uniform_and_arrival_streams_draw_what_one_large_draw_would():
    streams = Streams(7, 3)
    uniforms = list(itertools.islice(streams.uniforms("routing:triage"), ENOUGH))
    assert uniforms == streams.generator("routing:triage").random(ENOUGH).tolist()
    gaps = list(itertools.islice(streams.exponentials("arrivals"), ENOUGH))
    assert gaps == streams.generator("arrivals").standard_exponential(ENOUGH).tolist()


def test_a_normal_duration_is_never_negative_and_keeps_its_blocks():
    # truncated at 0 by rejection over whole blocks of BLOCK draws: the first BLOCK values are
    # the non-negative draws of the first batches, in order
    drawn = list(itertools.islice(sampler(_generator(5), Normal(dist="normal", mean=1.0, sd=2.0)), BLOCK))
    raw = _generator(5).normal(1.0, 2.0, 4 * BLOCK)
    assert min(drawn) >= 0
    assert drawn == raw[raw >= 0][:BLOCK].tolist()
