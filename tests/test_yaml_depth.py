"""The nesting limit is ours: the same error at the same place with or without libyaml.

libyaml refuses deep nesting by itself (1000 levels in the 0.2.6 bundled with
PyYAML 6.0.4) and reads a line ahead, so a long line of brackets used to fail
there as `yaml-syntax` before our own limit saw it. Each case below is nested
far deeper than both limits; the expected place is counted by hand: the model
mapping is level 1, so the container that goes past MAX_DEPTH (64) is the
65th.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from blueprint.diagnostics import ModelError
from blueprint.loader import MAX_DEPTH, parse_yaml

MODELS = sorted((Path(__file__).resolve().parent.parent / "models").glob("*.yaml"))

PARSERS = [
    pytest.param(False, id="pure-python"),
    pytest.param(True, id="libyaml", marks=pytest.mark.skipif(
        not yaml.__with_libyaml__, reason="this PyYAML has no libyaml")),
]

HEAD = "blueprint: 1\nname:"

# (text, 1-based line, column of the container that goes past the limit)
CASES = {
    # `name: [[[...` on one line: the k-th `[` is level k + 1, at column 6 + k; k = 64
    "flow-brackets-one-line": (HEAD + " " + "[" * 5000 + "]" * 5000 + "\n", 2, 6 + 64),
    # `name: {a: {a: ...`: the k-th `{` is at column 7 + 4 (k - 1); k = 64 -> 259
    "flow-braces-one-line": (HEAD + " " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", 2, 259),
    # one `[` per line from line 3, each at column 2: the 64th is on line 66
    "flow-brackets-many-lines": (HEAD + "\n" + " [\n" * 2000 + " " + "]" * 2000 + "\n", 66, 2),
    # block mappings, each one space deeper: `k0:` on line 2 holds level 2 (line 3, column 2),
    # so level n starts on line n + 1 at column n
    "block-mappings": (
        "blueprint: 1\n" + "".join(" " * i + f"k{i}:\n" for i in range(1200)) + " " * 1200 + "v: 1\n",
        66, 65),
    # block sequences, `-` alone on its line, each one space deeper: level n at line n + 1,
    # column n, like the mappings
    "block-sequences": (HEAD + "\n" + "".join(" " * i + "-\n" for i in range(1, 1200))
                        + " " * 1200 + "- 1\n", 66, 65),
    # `- - - ...` on one line: level 2 is the list at column 1, level n >= 3 starts at column
    # 1 + 2 (n - 2); a list item is placed at the `- ` before it, 2 columns earlier: 1 + 2 (n - 3)
    "compact-sequences-one-line": (HEAD + "\n" + "- " * 1500 + "1\n", 3, 1 + 2 * 62),
}


def _refusal(text: str, libyaml: bool) -> list[tuple[int, int, str]]:
    with pytest.raises(ModelError) as caught:
        parse_yaml(text, "deep.yaml", libyaml=libyaml)
    return [(d.line, d.column, d.code) for d in caught.value.diagnostics]


def test_the_limit_is_64_levels():
    assert MAX_DEPTH == 64


@pytest.mark.parametrize("libyaml", PARSERS)
@pytest.mark.parametrize("case", list(CASES))
def test_deep_nesting_is_refused_as_too_deep_where_our_limit_is_crossed(case, libyaml):
    text, line, column = CASES[case]
    assert _refusal(text, libyaml) == [(line, column, "yaml-too-deep")]


@pytest.mark.parametrize("libyaml", PARSERS)
def test_nesting_at_the_limit_is_accepted(libyaml):
    # the model mapping plus 63 lists: exactly 64 levels
    plain, _ = parse_yaml(HEAD + " " + "[" * 63 + "]" * 63 + "\n", libyaml=libyaml)
    depth, node = 1, plain["name"]
    while isinstance(node, list):
        depth, node = depth + 1, node[0] if node else None
    assert depth == MAX_DEPTH


@pytest.mark.parametrize("libyaml", PARSERS)
def test_a_syntax_error_on_a_line_of_brackets_stays_a_syntax_error(libyaml):
    # 70 brackets opened, one closed by the wrong kind: a syntax error, nowhere near the limit
    text = HEAD + " " + "[" * 30 + "}" + "\n"
    (located,) = _refusal(text, libyaml)
    assert located[2] == "yaml-syntax"


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="this PyYAML has no libyaml")
@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_both_parsers_give_the_same_data_and_positions(path):
    text = path.read_text(encoding="utf-8")
    fast, fast_source = parse_yaml(text, libyaml=True)
    pure, pure_source = parse_yaml(text, libyaml=False)
    assert fast == pure
    assert fast_source.positions == pure_source.positions
