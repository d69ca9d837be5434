"""Stopping on SIGINT and SIGTERM: at once, with the workers ended and nothing half-written.

The command installs :func:`stop_on_signals`: the first SIGINT or SIGTERM
raises :class:`Interrupted` in the main thread, wherever it is, and the code
on the way out ends what it started (a process pool, a Dask cluster). A few
steps must not be cut in half — starting workers, ending them — so they run
:func:`deferred`: a signal that arrives meanwhile is raised when they are
done. A second signal while stopping ends the process at once. Pool workers
run :func:`quiet_worker` first: they leave SIGINT to the main process (a
Ctrl-C reaches the whole process group) and die on SIGTERM.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterable, Iterator
from types import FrameType

__all__ = ["EXIT_STATUS", "Interrupted", "children", "deferred", "end_processes", "quiet_worker",
           "stop_on_signals", "stopping"]

EXIT_STATUS = 130
_SIGNALS = tuple(s for s in (getattr(signal, "SIGINT", None), getattr(signal, "SIGTERM", None)) if s)
_MESSAGE = b"blueprint: interrupted\n"


class Interrupted(BaseException):
    """A SIGINT or SIGTERM asked the command to stop (not an ``Exception``: nothing swallows it)."""

    def __init__(self, signum: int = 2):
        super().__init__(signum)  # its args rebuild it: SimPy copies the exceptions it passes on
        self.signum = signum

    def __str__(self) -> str:
        return _name(self.signum)


def _name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


class _State:
    installed = False
    holding = 0             # depth of deferred() blocks
    pending: int | None = None
    stopping = False


_STATE = _State()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _STATE.stopping:  # asked twice: the clean-up is taking too long for the user
        os.write(2, _MESSAGE)
        os._exit(EXIT_STATUS)
    if _STATE.holding:
        _STATE.pending = signum
        return
    _STATE.stopping = True
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`Interrupted` in this block (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or _STATE.installed:
        yield
        return
    previous = {s: signal.signal(s, _on_signal) for s in _SIGNALS}
    _STATE.installed = True
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _STATE.installed, _STATE.holding, _STATE.pending, _STATE.stopping = False, 0, None, False


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block is done; then stop, if one came."""
    if not _STATE.installed or threading.current_thread() is not threading.main_thread():
        yield
        return
    _STATE.holding += 1
    try:
        yield
    finally:
        _STATE.holding -= 1
        if not _STATE.holding and _STATE.pending is not None and not _STATE.stopping:
            signum, _STATE.pending = _STATE.pending, None
            _STATE.stopping = True
            raise Interrupted(signum)


def stopping() -> bool:
    """Whether a signal has asked the command to stop (and it is ending what it started)."""
    return _STATE.stopping


def quiet_worker() -> None:
    """In a pool worker: SIGINT is the main process's to handle, SIGTERM ends the worker."""
    if hasattr(signal, "SIGINT"):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def children() -> set[multiprocessing.process.BaseProcess]:
    """This process's live worker processes (those `multiprocessing` started, in any way)."""
    return set(multiprocessing.active_children())


def end_processes(processes: Iterable[multiprocessing.process.BaseProcess], grace: float = 5.0) -> None:
    """Terminate the processes (SIGTERM), and kill those still there after `grace` seconds."""
    ending = [p for p in processes if p.is_alive()]
    for process in ending:
        process.terminate()
    for process in ending:
        process.join(grace)
        if process.is_alive():
            process.kill()
            process.join(grace)
