"""Ids and names in any script, without the characters that deceive a reader.

Ids (steps, fail points, resources, classes) may be any Unicode identifier,
as Python defines one (``str.isidentifier()``): ``受理``, ``πελάτης`` and
``касса`` are as good as ``checkout``. Actors and phases are free text. Both
are compared in Unicode's composed form (NFC), so an id typed on a keyboard
that composes ``é`` and one pasted from a file that decomposes it are the
same id.

Two things are refused, because the reader of a blueprint cannot see them:
characters that take no space or reorder text (zero-width characters, bidi
controls, fillers), and two ids of one kind that differ only by case, width
or look-alike letters (Latin ``o``, Greek ``ο``, Cyrillic ``о``). The
*skeleton* of an id is what a reader sees: equal skeletons are confusable.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "BIDI_CONTROLS",
    "INVISIBLE",
    "JOINERS",
    "VARIATION_SELECTORS",
    "char_class",
    "check_id_text",
    "check_name_text",
    "confusion",
    "describe_character",
    "nfc",
    "skeleton",
]


def _chars(*ranges: tuple[int, int]) -> frozenset[str]:
    return frozenset(chr(c) for low, high in ranges for c in range(low, high + 1))


BIDI_CONTROLS = _chars(
    (0x061C, 0x061C),  # ARABIC LETTER MARK
    (0x200E, 0x200F),  # LEFT-TO-RIGHT MARK, RIGHT-TO-LEFT MARK
    (0x202A, 0x202E),  # embeddings, overrides and their POP DIRECTIONAL FORMATTING
    (0x2066, 0x2069),  # isolates and POP DIRECTIONAL ISOLATE
)
"""Characters that change the order text is shown in, not the text."""

JOINERS = _chars((0x200C, 0x200D))  # ZERO WIDTH NON-JOINER, ZERO WIDTH JOINER
VARIATION_SELECTORS = _chars((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))

INVISIBLE = BIDI_CONTROLS | JOINERS | VARIATION_SELECTORS | _chars(
    (0x00AD, 0x00AD),  # SOFT HYPHEN
    (0x034F, 0x034F),  # COMBINING GRAPHEME JOINER
    (0x115F, 0x1160),  # HANGUL CHOSEONG / JUNGSEONG FILLER
    (0x17B4, 0x17B5),  # KHMER VOWEL INHERENT AQ / AA
    (0x180B, 0x180F),  # MONGOLIAN FREE VARIATION SELECTORS, VOWEL SEPARATOR
    (0x200B, 0x200B),  # ZERO WIDTH SPACE
    (0x2060, 0x2064),  # WORD JOINER, invisible mathematical operators
    (0x3164, 0x3164),  # HANGUL FILLER
    (0xFEFF, 0xFEFF),  # ZERO WIDTH NO-BREAK SPACE (byte order mark)
    (0xFFA0, 0xFFA0),  # HALFWIDTH HANGUL FILLER
    (0xE0000, 0xE007F),  # tag characters
)
"""Characters a reader cannot see: refused in ids (and, but for joiners and
variation selectors inside words, in names)."""


def char_class(chars: frozenset[str]) -> str:
    """The characters of the Basic Multilingual Plane among `chars`, as the inside of a regex
    class that Python and JavaScript read alike (``\\x41-\\x5A\\u0300``)."""
    codes = sorted(ord(c) for c in chars if ord(c) < 0x10000)
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])

    def escape(code: int) -> str:
        return f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}"

    return "".join(escape(a) if a == b else f"{escape(a)}-{escape(b)}" for a, b in ranges)


def nfc(text: str) -> str:
    """The composed (NFC) form every id and name is compared in."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def describe_character(char: str) -> str:
    """'U+200B ZERO WIDTH SPACE': how a message names a character."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}".rstrip()


def _problem(char: str) -> str:
    what = "changes the order text is shown in" if char in BIDI_CONTROLS else "cannot be seen"
    return f"contains {describe_character(char)}, which {what}"


def check_id_text(text: str) -> str | None:
    """Why an (NFC) id is refused, or None: an invisible character, or not an identifier."""
    for char in text:
        if char in INVISIBLE:
            return f"{text!r} {_problem(char)}"
    if not text.isidentifier():
        return (f"{text!r} is not a valid id: use letters, digits and underscores, not starting "
                "with a digit")
    return None


def _visible(char: str | None) -> bool:
    return char is not None and not char.isspace() and char not in INVISIBLE


def check_name_text(text: str) -> str | None:
    """Why an (NFC) actor or phase name is refused, or None.

    A joiner between two visible characters is how Persian, Indic scripts and
    emoji sequences are written, and a variation selector picks a glyph of the
    character before it; anywhere else, and every other invisible character,
    is refused, as are control characters other than tab and newline.
    """
    for i, char in enumerate(text):
        if char not in INVISIBLE:
            if unicodedata.category(char) == "Cc" and char not in "\t\n":
                return f"name {text!r} contains {describe_character(char)}, a control character"
            continue
        before, after = (text[i - 1] if i else None), (text[i + 1] if i + 1 < len(text) else None)
        if char in JOINERS and _visible(before) and _visible(after):
            continue
        if char in VARIATION_SELECTORS and _visible(before):
            continue
        return f"name {text!r} {_problem(char)}"
    return None


# Letters of Greek, Cyrillic and a few other scripts that are drawn like a Latin letter in
# common fonts, written out from their glyphs. Upper and lower case both: the table is
# applied before case folding, so a Greek capital tau folds like a Latin T.
_LOOK_ALIKES = {
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
    # Greek small letters
    "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "υ": "u", "χ": "x", "ϲ": "c",
    "ϳ": "j",
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y",
    "Ӏ": "I",
    # Cyrillic small letters
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i",
    "ј": "j", "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
    # Armenian and Latin letters drawn like plainer Latin ones
    "օ": "o", "ս": "u", "ı": "i", "ɩ": "i", "ɑ": "a", "ɡ": "g",
}
_LOOK_ALIKE_TABLE = str.maketrans(_LOOK_ALIKES)


def skeleton(text: str) -> str:
    """What a reader sees: compatibility forms unified (full-width, ligatures), look-alike
    letters replaced by their Latin twin, case folded, runs of spaces made one."""
    if text.isascii():  # the same, quicker: ASCII is its own NFKC and has no look-alikes here
        return " ".join(text.casefold().split())
    shown = unicodedata.normalize("NFKC", text).translate(_LOOK_ALIKE_TABLE)
    return " ".join(unicodedata.normalize("NFKC", shown.casefold()).split())


def confusion(later: str, earlier: str) -> str:
    """How two different texts with the same skeleton differ, for a message."""
    if later.split() == earlier.split():
        return "only in spacing"
    a, b = unicodedata.normalize("NFKC", later), unicodedata.normalize("NFKC", earlier)
    if a == b:
        pair = _first_difference(later, earlier)
        return "only in the width or form of a character" + (f" ({pair})" if pair else "")
    if a.casefold() == b.casefold():
        if later.casefold() == earlier.casefold():
            return "only by case"
        return "only by case and the width or form of characters"
    pair = _first_difference(a, b)
    return "only by look-alike characters" + (f" ({pair})" if pair else "")


def _first_difference(a: str, b: str) -> str | None:
    if len(a) != len(b):
        return None
    for x, y in zip(a, b, strict=True):
        if x != y and x.casefold() != y.casefold():
            return f"{describe_character(x)} where the other has {describe_character(y)}"
    return None
