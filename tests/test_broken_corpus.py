"""An independent corpus of broken models: the code and the exact place of every error.

Each file in ``tests/broken/`` is a small, realistic service broken in one way
(a few on purpose in two or three independent ways, to prove that every error
is reported at once). Its first lines say what a careful reader expects, one
line per diagnostic::

    # expect: 14:5 unknown-key

The LINE:COL is where a user wants the cursor, decided before looking at what
the loader does:

- an unknown or duplicate key: the key;
- a wrong value or a reference to nothing: the value;
- a problem with a whole list item (a step that cannot be reached, an item
  missing a key, a shift that overlaps another): the item's ``- `` marker;
- a problem with a whole block collection (probabilities that do not sum to 1,
  class shares): the key that names the collection, not its first child;
- a key missing from a nested mapping: the key that names that mapping; from
  the model itself: its first key;
- two keys that exclude each other: the second key; two values that contradict
  each other (low above high, a shift ending before it starts): the second value;
- a loop with no way out: the reference that closes it (a `next` or `goto`);
  a redo that always fires: its `p`;
- a YAML syntax error: where the construct that is never closed opens.

Where the loader disagrees with that, the case is an ``xfail(strict=True)``
below with the reason, so that a fix turns it into a pass that must be
promoted. Two tests per file keep those apart: one checks only the codes (so a
position problem still guards the code), one checks codes, lines and columns.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import blueprint
from blueprint.cli import main
from blueprint.loader import MAX_DEPTH, MAX_NODES

BROKEN = Path(__file__).parent / "broken"
FILES = sorted(path.name for path in BROKEN.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+) ([a-z][a-z-]*)$")
CLI_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): (?P<code>[a-z][a-z-]*): \S.*$")
SUMMARY = re.compile(r"^\d+ files? checked: ")

Located = tuple[int, int, str]

# --- what the loader gets wrong today (each entry is a problem to fix in the package) ---------

CODE_PROBLEMS: dict[str, str] = {}

POSITION_PROBLEMS: dict[str, str] = {**CODE_PROBLEMS}


def _cases(problems: dict[str, str], files: list[str] | None = None) -> list[object]:
    return [
        pytest.param(name, id=name.removesuffix(".yaml"),
                     marks=[pytest.mark.xfail(strict=True, reason=problems[name])]
                     if name in problems else [])
        for name in (FILES if files is None else files)
    ]


# --- helpers ---------------------------------------------------------------------------------


def expected(path: Path) -> list[Located]:
    """The `# expect: LINE:COL code` lines at the top of a corpus file, sorted."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = EXPECT.match(line)
        if match:
            found.append((int(match[1]), int(match[2]), match[3]))
    return sorted(found)


def reported(path: Path) -> list[Located]:
    """Every (line, column, code) the loader reports; fails the test if the model loads."""
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.load(path)
    assert all(d.file == str(path) for d in caught.value.diagnostics)
    return sorted((d.line, d.column, d.code) for d in caught.value.diagnostics)


def cli_validate(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[Located]]:
    """Run `blueprint validate PATH`; the exit code and the diagnostics printed on stderr."""
    status = main(["validate", str(path)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    printed = []
    for line in captured.err.splitlines():
        match = CLI_LINE.match(line)
        if match:
            assert match["file"] == str(path)
            printed.append((int(match["line"]), int(match["column"]), match["code"]))
        else:
            assert SUMMARY.match(line), f"neither a diagnostic nor the summary: {line!r}"
    return status, sorted(printed)


# --- the corpus ------------------------------------------------------------------------------


def test_corpus_is_large_and_every_file_says_what_it_expects():
    assert len(FILES) >= 45
    for name in FILES:
        assert expected(BROKEN / name), f"{name} has no `# expect:` line"


@pytest.mark.parametrize("name", _cases(CODE_PROBLEMS))
def test_broken_model_is_refused_with_the_expected_codes(name: str):
    path = BROKEN / name
    assert Counter(c for _, _, c in reported(path)) == Counter(c for _, _, c in expected(path))


@pytest.mark.parametrize("name", _cases(POSITION_PROBLEMS))
def test_broken_model_reports_each_error_at_the_expected_line_and_column(name: str):
    path = BROKEN / name
    assert reported(path) == expected(path)


_PARAMETER_ERRORS = ["dist_low_above_high.yaml", "dist_triangular_mode_outside.yaml"]


@pytest.mark.parametrize("name", _PARAMETER_ERRORS)
def test_bad_distribution_parameters_are_not_called_an_unknown_distribution(name: str):
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.load(BROKEN / name)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "bad-distribution"
    assert "unknown distribution" not in diagnostic.message


@pytest.mark.parametrize("name", _cases(CODE_PROBLEMS, [
    "syntax_bad_indentation.yaml",
    "duplicate_key_nested.yaml",
    "unknown_key_step.yaml",
    "unsafe_tag_python.yaml",
    "multi_schema_errors.yaml",
    "multi_reference_errors.yaml",
    "only_comments.yaml",
    "endless_loop.yaml",
]))
def test_cli_validate_prints_every_error_as_file_line_col_code_message(name, capsys):
    path = BROKEN / name
    status, printed = cli_validate(path, capsys)
    assert (status, printed) == (1, expected(path))


# --- files generated here: empty, binary, huge, hostile --------------------------------------


def _refused(path: Path) -> list[Located]:
    with pytest.raises(blueprint.ModelError) as caught:
        blueprint.load(path)
    return [(d.line, d.column, d.code) for d in caught.value.diagnostics]


def test_empty_file_is_refused_at_1_1(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    assert _refused(path) == [(1, 1, "empty-file")]


def test_binary_file_is_refused_at_its_first_nul_byte(tmp_path):
    path = tmp_path / "logo.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    assert _refused(path) == [(3, 1, "not-text")]  # the first NUL: line 3 after \r\n and \n


def test_invalid_utf8_is_refused_at_the_offending_byte(tmp_path):
    path = tmp_path / "cafe.yaml"
    path.write_bytes("blueprint: 1\nname: Café crème\n".encode("latin-1"))
    assert _refused(path) == [(2, 10, "not-text")]


def test_50_mb_file_is_refused_without_being_read(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.write(b"blueprint: 1\n")
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing on disk
    assert _refused(path) == [(1, 1, "file-too-large")]


@pytest.fixture(scope="module")
def deep_nesting(tmp_path_factory) -> list[Located]:
    """`name: [[[[...]]]]` 5000 levels deep, loaded once for the tests below."""
    path = tmp_path_factory.mktemp("deep") / "deep.yaml"
    path.write_text("blueprint: 1\nname: " + "[" * 5000 + "]" * 5000 + "\n")
    return _refused(path)


def test_deep_nesting_is_refused_at_the_first_bracket_past_the_limit(deep_nesting):
    # the model mapping is level 1, so the k-th `[` is level k + 1: the MAX_DEPTH-th goes past
    column = len("name: ") + MAX_DEPTH
    assert deep_nesting == [(2, column, "yaml-too-deep")]


ALIAS_BOMB = "\n".join([
    "blueprint: 1",
    'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    *(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]"
      for previous, name in zip("abcdefgh", "bcdefghi", strict=True)),
    "name: *i",
    "",
])


@pytest.fixture(scope="module")
def alias_bomb(tmp_path_factory) -> list[Located]:
    """Billion laughs: 9 levels of 9 aliases each, 9**9 strings once expanded."""
    path = tmp_path_factory.mktemp("bomb") / "laughs.yaml"
    path.write_text(ALIAS_BOMB)
    return _refused(path)


def test_alias_bomb_is_refused_as_too_large(alias_bomb):
    assert [code for _, _, code in alias_bomb] == ["yaml-too-large"]


def test_alias_bomb_is_refused_at_the_alias_that_crosses_the_limit(alias_bomb):
    (located,) = alias_bomb
    # lists a..f expand to about 670,000 nodes together, each *f in g to 600,000 more: the
    # document crosses the 2,000,000-node limit at one of the aliases on g's line
    assert MAX_NODES == 2_000_000
    lines = ALIAS_BOMB.splitlines()
    line, column, code = located
    assert (code, lines[line - 1][:2]) == ("yaml-too-large", "g:")
    assert lines[line - 1][column - 1:column + 1] == "*f"


def test_cli_directory_given_as_a_model_is_an_io_error_exit_2(tmp_path, capsys):
    folder = tmp_path / "models.yaml"
    folder.mkdir()
    assert cli_validate(folder, capsys) == (2, [(1, 1, "not-a-file")])


def test_cli_missing_file_is_an_io_error_exit_2(tmp_path, capsys):
    assert cli_validate(tmp_path / "nowhere.yaml", capsys) == (2, [(1, 1, "file-unreadable")])
