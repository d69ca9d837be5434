"""Where each part of a document came from: path -> line and column.

The loader records, for every key and value of the YAML, its position; the
checks report paths; this map turns one into the other. It is what lets every
error point at its file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from blueprint.diagnostics import Diagnostic, Finding

__all__ = ["Position", "SourceMap"]

Path = tuple[Any, ...]


@dataclass(frozen=True)
class Position:
    """0-based (line, column) of a key and of its value."""

    key: tuple[int, int]
    value: tuple[int, int]


@dataclass
class SourceMap:
    """Positions of every node of one document, by path."""

    file: str
    positions: dict[Path, Position] = field(default_factory=dict)

    def place(self, path: Path, *, at_key: bool = False, at_parent: bool = False) -> tuple[int, int]:
        """1-based (line, column) for a path, falling back to its nearest recorded ancestor.

        ``at_parent`` is for a key that is missing: point at the mapping that
        lacks it (its key, or its list item), since the key itself is nowhere.
        """
        path = tuple(path)
        while path and path not in self.positions:
            path = path[:-1]
            at_key = True
        position = self.positions.get(path)
        if position is None:
            return 1, 1
        line, column = position.key if (at_key or at_parent) else position.value
        return line + 1, column + 1

    def diagnostic(self, finding: Finding) -> Diagnostic:
        line, column = self.place(finding.path, at_key=finding.at_key)
        return Diagnostic(self.file, line, column, finding.code, finding.message, finding.severity)

    def diagnostics(self, findings: Iterable[Finding]) -> list[Diagnostic]:
        return sorted(self.diagnostic(f) for f in findings)
