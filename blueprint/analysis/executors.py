"""Where replications run: a local process pool, or a Dask cluster.

Replications and scenarios are independent tasks, so anything that runs a
`concurrent.futures.Executor` can run them: ``--jobs N`` makes a process pool
on this machine, ``--dask tcp://scheduler:8786`` sends them to a cluster, and
``--dask local`` starts a small cluster here (handy to try Dask out). Every
replication draws its own seeded streams, so the numbers are the same on any
of them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Iterator
from concurrent.futures import Executor
from typing import Any

from blueprint.interrupts import children, deferred, end_processes, stopping

__all__ = ["CONNECT_TIMEOUT", "INSTALL_HINT", "SCHEMES", "DaskUnavailable", "check_address",
           "dask_executor"]

CONNECT_TIMEOUT = 10  # seconds
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
_ADDRESS = re.compile(r"^(?:(?:" + "|".join(SCHEMES) + r")://)?(?P<host>[A-Za-z0-9_.\-]+|\[[0-9A-Fa-f:.]+\])"
                      r":(?P<port>[0-9]{1,5})/?$")
INSTALL_HINT = "pip install 'blueprint[dask]'  (or: pip install 'dask[distributed]')"


class DaskUnavailable(ImportError):
    """Dask is optional; this says how to install it."""


def check_address(address: str) -> str:
    """`address` if it names a scheduler (``local``, ``tcp://host:8786``, ``host:8786``), else ValueError.

    Checked before Dask is asked, so a typo is a usage error, not a wait for
    a connection that cannot be made.
    """
    if address == "local":
        return address
    match = _ADDRESS.match(address)
    if match is None:
        raise ValueError(f"{address!r} is not a scheduler address: give tcp://HOST:PORT "
                         f"(or {', '.join(s + '://' for s in SCHEMES[1:])}HOST:PORT), or `local`")
    if not 0 < int(match.group("port")) < 65536:
        raise ValueError(f"{address!r}: the port is a number from 1 to 65535")
    return address


@contextlib.contextmanager
def dask_executor(address: str, workers: int | None = None) -> Iterator[Executor]:
    """An executor on a Dask cluster: `address` is tcp://host:port, or `local` for a new one.

    A scheduler that does not answer within :data:`CONNECT_TIMEOUT` seconds
    is an :class:`OSError`. If the run stops early (an interrupt, an error),
    its tasks are cancelled before the client closes, and a local cluster's
    worker processes are ended with it.
    """
    check_address(address)
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskUnavailable(f"Dask is not installed: {INSTALL_HINT}") from exc
    cluster: Any = None
    client: Any = None
    before = children()
    try:
        if address == "local":
            with deferred():  # a cluster half started would leave its workers behind
                cluster = LocalCluster(n_workers=workers or min(4, os.cpu_count() or 1),
                                       threads_per_worker=1, processes=True, dashboard_address=None)
                client = Client(cluster)
        else:
            client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        _close(client, cluster, before)
        raise OSError(f"--dask {address}: cannot reach the scheduler ({exc})") from None
    except BaseException:  # an interrupt held while the cluster started, or its failure
        with deferred(), _quiet("distributed"):
            _close(client, cluster, before)
        raise
    executor = client.get_executor()
    try:
        with _quiet_when_stopping("distributed", "tornado"):
            yield executor
    except BaseException:
        with deferred(), _quiet("distributed"):
            executor.shutdown(wait=False)
            if cluster is not None:  # its workers are ours: end them now, not after their task
                end_processes(children() - before)
            _close(client, cluster, before)
        raise
    with deferred():
        _close(client, cluster, before)


def _close(client: Any, cluster: Any, before: set[Any]) -> None:
    if client is not None:
        client.close()
    if cluster is not None:
        cluster.close()
    end_processes(children() - before)  # a worker restarted while the cluster closed, say


@contextlib.contextmanager
def _quiet(logger: str) -> Iterator[None]:
    """No log lines from a library while it is being stopped on purpose."""
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        log.setLevel(level)


class _WhileStopping(logging.Filter):
    """Drops a record once a signal has asked the command to stop."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not stopping()


@contextlib.contextmanager
def _quiet_when_stopping(*libraries: str) -> Iterator[None]:
    """No log lines from these libraries' loggers once the command is stopping: the run's
    futures are then cancelled on purpose, and a gather cut short is no news to the user."""
    quiet = _WhileStopping()
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
               if name.split(".")[0] in libraries]
    for logger in loggers:
        logger.addFilter(quiet)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)
