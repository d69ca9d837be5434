"""Whatever a user types, the loader answers with a model or with diagnostics, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import blueprint
from blueprint.loader import parse_yaml

MODELS = sorted((Path(__file__).resolve().parent.parent / "models").glob("*.yaml"))
TEXTS = [p.read_text(encoding="utf-8") for p in MODELS]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["end", "09:00", "25:99", "exponential", "customer", "teller", "all"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)


def _answer(text: str) -> None:
    lines = text.count("\n") + 2
    try:
        blueprint.loads(text, "fuzz.yaml")
    except blueprint.ModelError as exc:
        assert exc.diagnostics, "a ModelError always carries diagnostics"
        for d in exc.diagnostics:
            assert 1 <= d.line <= lines and d.column >= 1, d
            assert d.code and d.message


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*path, i))
    return found


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.data())
def test_text_edits_give_a_model_or_diagnostics(text, data):
    start = data.draw(st.integers(0, len(text)))
    length = data.draw(st.integers(0, 40))
    insert = data.draw(st.text(alphabet=st.sampled_from(list(" :-[]{}\n\t#!&*'\"|>?,x1")),
                               max_size=6))
    _answer(text[:start] + insert + text[start + length:])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TEXTS), st.data())
def test_structural_mutations_give_a_model_or_diagnostics(text, data):
    plain, _ = parse_yaml(text)
    paths = [p for p in _paths(plain) if p]
    path = data.draw(st.sampled_from(paths))
    parent: Any = plain
    for part in path[:-1]:
        parent = parent[part]
    action = data.draw(st.sampled_from(["delete", "replace", "add_key"]))
    if action == "delete":
        del parent[path[-1]]
    elif action == "replace":
        parent[path[-1]] = data.draw(values)
    elif isinstance(parent, dict):
        parent[data.draw(st.text(min_size=1, max_size=10))] = data.draw(values)
    _answer(_dump(plain))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_diagnostics(raw):
    try:
        blueprint.api.Blueprint(blueprint.loader.load_text(raw, "bytes.yaml"))
    except blueprint.ModelError as exc:
        assert exc.diagnostics
