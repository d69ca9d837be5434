"""Dotted-path overrides: `resources.teller.schedule[1].capacity: 5`.

A scenario is the model with a few values changed. Each change names its
place by a dotted path with list indexes, exactly as the model file nests
it. A path that names nothing in the model is an error, with a hint, so a
misspelt override never silently leaves the baseline unchanged. Ids may be in
any script (`steps.受理.duration`); paths and ids are compared in Unicode's
composed form (NFC), as the loader stores them.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from typing import Any

from blueprint.diagnostics import did_you_mean

__all__ = ["OverrideError", "apply_overrides", "parse_path"]

_PART = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


class OverrideError(ValueError):
    """An override path that does not name anything in the model."""


def parse_path(path: str) -> list[str | int]:
    """'resources.teller.schedule[1].capacity' -> ['resources', 'teller', 'schedule', 1, 'capacity']."""
    path = unicodedata.normalize("NFC", path)
    parts: list[str | int] = []
    position = 0
    for match in _PART.finditer(path):
        gap = path[position:match.start()].strip(".")
        if gap:
            raise OverrideError(f"cannot read {path!r} near {gap!r}")
        key, index = match.groups()
        parts.append(int(index) if index is not None else key)
        position = match.end()
    if not parts or path[position:].strip("."):
        raise OverrideError(f"{path!r} is not a dotted path such as resources.teller.capacity")
    return parts


def _step_alias(node: Any, key: str | int) -> Any:
    """`steps.deposit` may name the step whose id is deposit, as well as `steps[3]`."""
    if isinstance(node, list) and isinstance(key, str):
        for i, item in enumerate(node):
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(ident, str) and unicodedata.normalize("NFC", ident) == key:
                return i
    return key


def apply_overrides(document: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A copy of the model document with every override applied (paths checked)."""
    changed = copy.deepcopy(document)
    for path, value in overrides.items():
        parts = parse_path(path)
        node: Any = changed
        for depth, raw in enumerate(parts):
            key = _step_alias(node, raw)
            last = depth == len(parts) - 1
            where = ".".join(str(p) for p in parts[:depth]) or "the model"
            if isinstance(node, dict):
                if key not in node and not (last and depth > 0):
                    hint = did_you_mean(key, [str(k) for k in node])
                    raise OverrideError(f"{path!r} names nothing: {where} has no {key!r}{hint}")
                if last:
                    node[key] = value
                else:
                    node = node[key]
            elif isinstance(node, list) and isinstance(key, int):
                if not 0 <= key < len(node):
                    raise OverrideError(f"{path!r} names nothing: {where} has {len(node)} "
                                        f"items, numbered from 0")
                if last:
                    node[key] = value
                else:
                    node = node[key]
            else:
                items = node if isinstance(node, list) else []
                ids = [str(i.get("id")) for i in items if isinstance(i, dict)]
                hint = did_you_mean(key, ids) if ids else ""
                raise OverrideError(f"{path!r} names nothing: {where} has no {key!r}{hint}")
    return changed
