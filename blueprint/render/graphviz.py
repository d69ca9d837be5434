"""Graphviz in-process, with its messages turned into Python warnings.

The pygraphviz wheel bundles Graphviz; it writes its warnings straight to
file descriptor 2, where a Python program cannot see them. They matter (a
label too big for its box, nodes overlapping), so they are caught here and
raised as :class:`GraphvizWarning` — the tests turn them into failures.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

__all__ = ["GraphvizWarning", "graphviz_messages", "inches", "pinned"]

_FONTS_CONF = Path(__file__).with_name("fonts.conf")


class GraphvizWarning(UserWarning):
    """Something Graphviz said while drawing (overlapping nodes, missing fonts...)."""


# --- Graphviz in-process, its messages caught -----------------------------------------------


@contextlib.contextmanager
def graphviz_messages() -> Iterator[None]:
    """Graphviz writes warnings to file descriptor 2; turn them into Python warnings."""
    os.environ.setdefault("FONTCONFIG_FILE", str(_FONTS_CONF))
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            said = sink.read().decode("utf-8", "replace")
    for line in said.splitlines():
        if line.strip() and "Fontconfig" not in line:
            warnings.warn(f"Graphviz: {line.strip()}", GraphvizWarning, stacklevel=3)


def pinned(x: float, y: float, height: float) -> str:
    return f"{x:.2f},{height - y:.2f}!"


def inches(points: float) -> float:
    return round(points / 72.0, 4)


