"""Which font draws the text, and a warning where CJK text would have none.

PNG and PDF are drawn with the fonts of this machine (Graphviz reads them
through fontconfig, set up by ``fonts.conf`` beside this file). Chinese,
Japanese and Korean text needs a font with those glyphs, or it comes out as
empty boxes ("tofu"). So a drawing with CJK text asks for a CJK family first,
and where no CJK font is installed, a PNG or PDF of it raises one
:class:`FontWarning` per process naming the package to install. SVG only
names the fonts: the viewer draws the text with its own, which this machine
cannot check, so SVG and DOT output never warn.
"""

from __future__ import annotations

import functools
import glob
import os
import warnings
from collections.abc import Iterable

__all__ = ["CJK_FONT_PACKAGE", "FontWarning", "as_set_in_cjk", "cjk_font", "drawing_font",
           "glyphs_missing", "has_cjk", "warn_if_glyphs_missing"]

CJK_FONT_PACKAGE = "fonts-noto-cjk"

# Unicode blocks of Chinese, Japanese and Korean script: radicals, symbols and punctuation,
# kana, bopomofo, hangul, unified and compatibility ideographs, full-width forms.
_CJK_BLOCKS = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x2FF0, 0x9FFF), (0xA960, 0xA97F),
    (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
    (0x20000, 0x3134F),
)

# Families with CJK glyphs, by the file names they are installed under.
_CJK_FONTS = (
    ("*NotoSansCJK*", "Noto Sans CJK SC"),
    ("*NotoSerifCJK*", "Noto Serif CJK SC"),
    ("*wqy-microhei*", "WenQuanYi Micro Hei"),
    ("*wqy-zenhei*", "WenQuanYi Zen Hei"),
    ("*SourceHanSans*", "Source Han Sans SC"),
    ("*DroidSansFallback*", "Droid Sans Fallback"),
)
# The folders fonts.conf gives fontconfig: a font elsewhere is not one Graphviz finds.
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")

_warned: set[str] = set()


class FontWarning(UserWarning):
    """Text in a PNG or PDF that no installed font can draw (it would come out as boxes)."""


def has_cjk(text: str) -> bool:
    """Whether `text` holds any Chinese, Japanese or Korean character."""
    return any(low <= ord(ch) <= high for ch in text if ord(ch) >= 0x1100
               for low, high in _CJK_BLOCKS)


def cjk_font() -> str | None:
    """A font family with Chinese, Japanese and Korean glyphs, if one is installed.

    Without one, CJK labels in PNG and PDF come out as boxes. On Debian/Ubuntu:
    ``apt install fonts-noto-cjk``. SVG output is unaffected: the viewer's fonts are used.
    Looked up once per process, as Graphviz's fontconfig reads the fonts once too.
    """
    return _installed_cjk_font()


@functools.cache
def _installed_cjk_font() -> str | None:
    for pattern, family in _CJK_FONTS:
        for folder in _FONT_DIRS:
            if glob.glob(os.path.join(os.path.expanduser(folder), "**", pattern), recursive=True):
                return family
    return None


def glyphs_missing(text: str) -> bool:
    """Whether `text` has CJK characters that no font on this machine can draw."""
    return has_cjk(text) and cjk_font() is None


def as_set_in_cjk(text: str) -> str:
    """`text` with each CJK character replaced by an em dash, for measuring only.

    A CJK glyph is one em wide, and so is an em dash in the Latin fonts: measured
    this way, text takes the room it will take where a CJK font draws it (an SVG
    viewer; this machine once one is installed), not that of missing-glyph boxes.
    """
    return "".join("\u2014" if has_cjk(ch) else ch for ch in text)


def drawing_font(text: str, latin: str) -> str:
    """The font list for a drawing whose words are `text`: a CJK family first when it needs one.

    The CJK family draws Latin letters too, so a drawing keeps one look throughout.
    """
    if has_cjk(text):
        family = cjk_font()
        if family:
            return f"{family},{latin}"
    return latin


def warn_if_glyphs_missing(labels: Iterable[str]) -> None:
    """Warn, once per process, that CJK text is to be drawn and no CJK font is installed."""
    if "cjk" in _warned or not any(has_cjk(label) for label in labels) or cjk_font() is not None:
        return
    _warned.add("cjk")
    warnings.warn(
        "this drawing has Chinese, Japanese or Korean text but no CJK font is installed, so "
        "PNG and PDF show it as empty boxes; install one (Debian/Ubuntu: apt install "
        f"{CJK_FONT_PACKAGE}) and draw again, or draw to SVG", FontWarning, stacklevel=4)
