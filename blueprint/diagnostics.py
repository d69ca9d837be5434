"""Diagnostics: what the toolkit says about a model, and where.

Checks deep in the model and graph layers know nothing of files: they report a
:class:`Finding` that points at a *path* into the document
(``("steps", 3, "next", 0, "to")``). The loader, which knows the YAML, turns
each finding into a :class:`Diagnostic` with a file, line and column, printed
the way ruff and compilers print theirs::

    models/bank.yaml:41:13: unknown-step: 'depost' is not a step (did you mean 'deposit'?)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Diagnostic", "Finding", "ModelError", "Severity", "did_you_mean"]

Severity = Literal["error", "warning"]
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """A problem found in a model, located by its path in the document.

    ``at_key`` points at the key of the last path element instead of its value
    (an unknown key, a duplicate id), which is what a reader looks for first.
    """

    code: str
    message: str
    path: Path = ()
    severity: Severity = "error"
    at_key: bool = False


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A finding placed in a file: ``FILE:LINE:COL: code: message`` (1-based)."""

    file: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default="error", compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


class ModelError(ValueError):
    """A model that cannot be used; carries every diagnostic found, not only the first."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics: list[Diagnostic] = sorted(diagnostics)
        count = len(self.diagnostics)
        head = "\n".join(str(d) for d in self.diagnostics[:20])
        more = f"\n... and {count - 20} more" if count > 20 else ""
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the model:\n{head}{more}")


def did_you_mean(word: object, candidates: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' hint for a misspelt key or id, or '' when nothing is close."""
    if not isinstance(word, str):
        return ""
    pool = sorted(set(candidates))
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close and len(word) >= 3:
        close = [c for c in pool if c.startswith(word)][:1]
    if not close:
        lowered = {c.lower(): c for c in pool}
        if word.lower() in lowered:
            close = [lowered[word.lower()]]
    return f" (did you mean {close[0]!r}?)" if close else ""
