"""Every limit a run is held to, in one place (docs/simulation.md lists them for users).

The budget (:mod:`blueprint.sim.budget`) refuses a run the model prices past
them before it starts; the engine stops one that passes them anyway. They
live here, with no imports, so the command line can name them in its help
without loading the simulator.
"""

from __future__ import annotations

__all__ = ["MAX_ARRIVALS", "MAX_CUSTOMERS", "MAX_INSIDE", "MAX_REPLICATIONS", "MAX_SURVEY_BYTES",
           "MAX_VISITS", "SERIAL_SECONDS", "VISITS_PER_CUSTOMER"]

MAX_CUSTOMERS = 1_000_000
"""Expected arrivals in one replication, by default (about 15 s of simulation per replication);
``--max-customers`` raises it."""
VISITS_PER_CUSTOMER = 50
"""Step visits allowed per allowed customer: a rework loop may multiply visits, up to this."""
MAX_INSIDE = 250_000
"""Customers inside at once: each is a live process (about 1.5 kB), so about 400 MB."""
MAX_REPLICATIONS = 100_000
"""Replications of one run (each keeps its own statistics until the run ends)."""
MAX_VISITS = 10_000
"""Step visits by one customer: a rework loop that almost never lets go."""
MAX_ARRIVALS = 20_000_000
"""Arrivals the engine simulates in one replication, whatever the budget allowed."""
SERIAL_SECONDS = 0.3
"""A run priced at less simulation than this (seconds) runs in the command's own process when
the number of processes was left to blueprint: starting workers would cost more than they save."""

MAX_SURVEY_BYTES = 128 * 1024 * 1024
"""The largest survey file read (about 5 million answers, 200,000 respondents of 25 rows); a
model file stops at 10 MiB, a survey of a large programme is bigger."""
