"""A replication's figures from the engine's columns: the percentiles per hour are numpy's."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint.sim.summary import _p90_by_hour

waits = st.lists(st.tuples(st.integers(min_value=-1, max_value=5),
                           st.one_of(st.floats(min_value=0, max_value=1e6, allow_nan=False),
                                     st.sampled_from([0.0, 1.0, 2.5]))),  # ties, as fixed waits give
                 max_size=60)


@settings(max_examples=300, deadline=None)
@given(waits)
def test_the_90th_percentile_of_each_hour_is_numpys_to_the_last_bit(rows):
    hours = 6
    hour_of = np.array([h for h, _ in rows], dtype=int)
    values = np.array([w for _, w in rows], dtype=float)
    expected = [float(np.percentile(values[hour_of == h], 90)) if (hour_of == h).any() else None
                for h in range(hours)]  # hour -1 lies past the hours reported: left out
    assert _p90_by_hour(values, hour_of, hours) == expected


def test_an_hour_of_one_wait_has_that_wait_and_an_empty_hour_none():
    assert _p90_by_hour(np.array([4.0, 1.0, 3.0]), np.array([0, 2, 2]), 3) == [4.0, None, 1.0 + 0.9 * 2.0]
