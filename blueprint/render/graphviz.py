"""Graphviz in-process, with what it says turned into Python warnings worth reading.

The pygraphviz wheel bundles Graphviz; it writes its messages straight to
file descriptor 2, where a Python program cannot see them. Some matter — a
label too big for its box, boxes that touch so edges are drawn straight
through them — and are raised as :class:`GraphvizWarning`, once per drawing
each, in words a user can act on (the tests turn them into failures). The
rest say nothing about the picture (fontconfig grumbling about the system's
configuration files) and are dropped.

A drawing measures its text, routes its edges and renders in several
Graphviz calls; :func:`one_drawing` around the whole of it gathers what they
say, so the same message is said once, not once per call.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

__all__ = ["GraphvizWarning", "graphviz_messages", "inches", "meaning", "one_drawing", "pinned"]

_FONTS_CONF = Path(__file__).with_name("fonts.conf")

# Graphviz's messages that mean a bad picture, and what they mean for it.
_MEANINGS = (
    (re.compile(r"node '(.*)', graph '.*' size too small for label"),
     "the text of {0!r} does not fit its box and is cut"),
    (re.compile(r"some nodes with margin \(.*\) touch - falling back to straight line edges"),
     "boxes touch, so some arrows are drawn straight, across them"),
    (re.compile(r"[Uu]nable to reclaim box space in spline routing for edge \"?(.*?)\"? -> \"?(.*?)\"?\."),
     "the arrow from {0!r} to {1!r} could not be routed around the boxes"),
)
# Messages that say nothing about the picture.
_HARMLESS = re.compile(r"Fontconfig|^\s*$")

_gathering: list[list[str]] = []  # the messages of the drawings being made, innermost last


class GraphvizWarning(UserWarning):
    """Something Graphviz said that means a bad picture (text cut, arrows across boxes...)."""


def meaning(message: str) -> str | None:
    """What a line Graphviz wrote means for the picture; None if it means nothing for it."""
    if _HARMLESS.search(message):
        return None
    text = re.sub(r"^(Warning|Error):\s*", "", message.strip())
    for pattern, said in _MEANINGS:
        found = pattern.search(text)
        if found:
            return f"{said.format(*found.groups())} (Graphviz: {text})"
    return text


@contextlib.contextmanager
def one_drawing() -> Iterator[None]:
    """Gather what every Graphviz call inside says, and warn of what matters once each, after.

    Only the Graphviz calls themselves (:func:`graphviz_messages`) take file descriptor 2:
    a Python warning given in between still reaches the user's stderr.
    """
    _gathering.append([])
    try:
        yield
    finally:
        said = _gathering.pop()
    for message in dict.fromkeys(filter(None, map(meaning, said))):
        warnings.warn(f"Graphviz: {message}", GraphvizWarning, stacklevel=3)


@contextlib.contextmanager
def graphviz_messages() -> Iterator[None]:
    """Catch what Graphviz writes to file descriptor 2 while it runs; warn of what matters
    at the end of this call, or of the drawing it is part of (:func:`one_drawing`)."""
    if not _gathering:
        with one_drawing(), graphviz_messages():
            yield
        return
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
            _gathering[-1] += sink.read().decode("utf-8", "replace").splitlines()


def pinned(x: float, y: float, height: float) -> str:
    return f"{x:.2f},{height - y:.2f}!"


def inches(points: float) -> float:
    return round(points / 72.0, 4)
