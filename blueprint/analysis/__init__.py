"""The analysis layer: exact queueing formulas, what-if studies and staffing.

Queueing formulas (:mod:`blueprint.analysis.queueing`) give quick estimates
without simulating, first staffing numbers, and the exact values the
simulator's tests are held to.
"""

from blueprint.analysis.queueing import (
    ErlangA,
    JacksonNetwork,
    MMc,
    MMcK,
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
