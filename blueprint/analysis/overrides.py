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

_KEY = re.compile(r"[^.\[\]]+")
_INDEX = re.compile(r"\[([0-9]+)\]")


class OverrideError(ValueError):
    """An override path that does not name anything in the model."""


def parse_path(path: str) -> list[str | int]:
    """'resources.teller.schedule[1].capacity' -> ['resources', 'teller', 'schedule', 1, 'capacity'].

    A path is keys joined by dots, each key followed by any number of list
    indexes `[N]`. Nothing may be left out: an empty key (`steps..serve`,
    `.demand`, `demand.`) or a bracket that is not an index is refused, not
    read as something the user did not write.
    """
    path = unicodedata.normalize("NFC", path)
    parts: list[str | int] = []
    position = 0
    while True:
        key = _KEY.match(path, position)
        if key is None:
            raise OverrideError(f"{path!r} is not a dotted path such as resources.teller.capacity: "
                                f"{_missing_key(path, position)}")
        parts.append(key.group())
        position = key.end()
        while (index := _INDEX.match(path, position)) is not None:
            parts.append(int(index.group(1)))
            position = index.end()
        if position == len(path):
            return parts
        if path[position] != ".":
            raise OverrideError(f"{path!r} is not a dotted path such as resources.teller.capacity: "
                                f"{_bad_bracket(path, position)}")
        position += 1


def _missing_key(path: str, position: int) -> str:
    """Why there is no key at `position`: the path ends, or a dot or bracket comes first."""
    if not path:
        return "it is empty"
    if position == len(path):
        return "it ends with a dot"
    if path[position] == ".":
        return ("it starts with a dot" if position == 0 else
                f"an empty key between the dots at characters {position} and {position + 1}")
    if path[position] == "[":
        return ("it starts with a list index, but a path starts with a key, as in steps[0]"
                if position == 0 else f"a dot before the list index at character {position + 1}: "
                "an index follows its key, as in schedule[1]")
    return f"a stray {path[position]!r} at character {position + 1}"


def _bad_bracket(path: str, position: int) -> str:
    """What is wrong at `position`, after a key or an index, where a dot, `[` or the end belongs."""
    char = path[position]
    if char == "]":
        return f"a ']' without its '[' at character {position + 1}"
    if char != "[":
        return f"{char!r} follows a list index at character {position + 1}: write a dot before the key"
    close = path.find("]", position)
    if close < 0:
        return f"the '[' at character {position + 1} is never closed"
    return (f"'{path[position:close + 1]}' is not a list index: write a whole number from 0, as "
            "in schedule[1] (steps may also be named by id: steps.deposit)")


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
