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
import os
from collections.abc import Iterator
from concurrent.futures import Executor

__all__ = ["INSTALL_HINT", "DaskUnavailable", "dask_executor"]

INSTALL_HINT = "pip install 'blueprint[dask]'  (or: pip install 'dask[distributed]')"


class DaskUnavailable(ImportError):
    """Dask is optional; this says how to install it."""


@contextlib.contextmanager
def dask_executor(address: str, workers: int | None = None) -> Iterator[Executor]:
    """An executor on a Dask cluster: `address` is tcp://host:port, or `local` for a new one."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskUnavailable(f"Dask is not installed: {INSTALL_HINT}") from exc
    cluster = None
    if address == "local":
        cluster = LocalCluster(n_workers=workers or min(4, os.cpu_count() or 1), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address)
    try:
        yield client.get_executor()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
