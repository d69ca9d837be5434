"""Text on the drawing: wrapped, escaped, and set as Graphviz HTML-like labels.

Any label a user writes — quotes, ampersands, angle brackets, emoji, CJK —
must come out as written and keep the SVG well-formed, so every piece of user
text goes through :func:`escape` before it meets markup.

Names are drawn in full: they wrap onto as many lines as they need and their
boxes grow. Only a name longer than :data:`NAME_LIMIT` columns (a wide CJK
character counts two) is cut, with "…", and the drawing warns about it
(:class:`LongNameWarning`).
"""

from __future__ import annotations

import html
import textwrap
import unicodedata
import warnings

__all__ = ["NAME_LIMIT", "LongNameWarning", "clipped", "display_width", "escape", "html_label",
           "text_line", "tooltip", "wrap"]

NAME_LIMIT = 200  # columns of a name drawn in full (docs/model-format.md, "Names on the drawing")


class LongNameWarning(UserWarning):
    """A name longer than :data:`NAME_LIMIT` columns, cut with "…" on the drawing."""


def escape(text: str) -> str:
    """Text for an HTML-like label: markup characters escaped, control characters dropped."""
    cleaned = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return html.escape(cleaned, quote=True)


def tooltip(text: str) -> str:
    """Text for a plain Graphviz attribute (escString): backslashes would start escapes."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == "\n")
    return cleaned.replace("\\", "\\\\")


def display_width(text: str) -> int:
    """Width in 'Latin letters': CJK and other wide characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clipped(text: str, what: str, limit: int = NAME_LIMIT) -> str:
    """`text` as drawn: whole up to `limit` columns, else cut with "…" and a warning naming `what`."""
    text = " ".join(text.split())
    if display_width(text) <= limit:
        return text
    cut = text
    while display_width(cut) > limit - 1:
        cut = cut[:-1]
    warnings.warn(f"{what} is {display_width(text)} characters long; the drawing shows its first "
                  f"{limit} (names longer than {limit} characters are cut)", LongNameWarning,
                  stacklevel=2)
    return cut.rstrip() + "…"


def wrap(text: str, width: int, max_lines: int | None = None, *, balanced: bool = False) -> list[str]:
    """Wrap to `width` columns (wide characters count double), as many lines as it takes.

    ``balanced`` evens the lines out: the text takes as many lines as at `width`, each as
    short as that allows, so no word (or character) is left alone on a last line. With
    `max_lines`, a longer text is cut there and its last line ends with "…" (for text the
    user did not write, such as a generated subtitle).
    """
    text = " ".join(text.split())
    width = max(width, 1)
    if not text:
        return [""]
    lines = _wrapped(text, width)
    if balanced and len(lines) > 1:
        low = max(1, width // 2)
        while low < width:  # the narrowest width that needs no more lines
            middle = (low + width) // 2
            if len(_wrapped(text, middle)) <= len(lines):
                width = middle
            else:
                low = middle + 1
        lines = _wrapped(text, width)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and display_width(last) > width - 1:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _wrapped(text: str, width: int) -> list[str]:
    if display_width(text) == len(text):
        return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    return _wrap_wide(text, width)


def _wrap_wide(text: str, width: int) -> list[str]:
    """Wrap text with wide characters: between any two CJK characters, or at spaces."""
    lines: list[str] = []
    current = ""
    for word in _breakable(text):
        if current and display_width(current + word) > width:
            lines.append(current.rstrip())
            current = word.lstrip()
            while display_width(current) > width:  # a word longer than a line
                head = ""
                for ch in current:
                    if display_width(head + ch) > width:
                        break
                    head += ch
                lines.append(head)
                current = current[len(head):]
        else:
            current += word
    lines.append(current)
    return [line for line in lines if line] or [""]


def _breakable(text: str) -> list[str]:
    """Pieces a line may break between: each wide character on its own, Latin words whole
    (with the space before them), and punctuation kept with the character before it."""
    pieces: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        closing = unicodedata.category(ch) in ("Po", "Pe", "Pf") and ch not in "·"
        if pieces and (closing or (not wide and not ch.isspace()
                                   and not _is_wide(pieces[-1][-1]))):
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def text_line(text: str, size: float, colour: str, *, bold: bool = False,
              italic: bool = False, font: str | None = None) -> str:
    """One line of escaped text in a label, with its size and colour."""
    body = escape(text)
    if bold:
        body = f"<B>{body}</B>"
    if italic:
        body = f"<I>{body}</I>"
    face = f' FACE="{escape(font)}"' if font else ""
    return f'<FONT POINT-SIZE="{size:g}" COLOR="{colour}"{face}>{body}</FONT>'


def html_label(rows: list[str], *, align: str = "CENTER", background: str | None = None,
               width: float | None = None) -> str:
    """Stack pre-built rows (from :func:`text_line`) into an HTML-like label.

    ``background`` fills the label (an edge label stays readable where lines cross it);
    ``width`` (points) makes it at least that wide, so aligned rows line up with its edge.
    """
    if not rows:
        return ""
    cells = "".join(f'<TR><TD ALIGN="{align}" BALIGN="{align}">{row}</TD></TR>' for row in rows)
    fill = f' BGCOLOR="{background}"' if background else ""
    wide = f' WIDTH="{width:.0f}"' if width else ""
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1"{fill}{wide}>'
            f'{cells}</TABLE>>')
