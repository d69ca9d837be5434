"""Text on the drawing: wrapped, escaped, and set as Graphviz HTML-like labels.

Any label a user writes — quotes, ampersands, angle brackets, emoji, CJK —
must come out as written and keep the SVG well-formed, so every piece of user
text goes through :func:`escape` before it meets markup.
"""

from __future__ import annotations

import html
import textwrap
import unicodedata

__all__ = ["display_width", "escape", "html_label", "text_line", "tooltip", "wrap"]


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


def wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Wrap to `width` columns (wide characters count double), ellipsis past `max_lines`."""
    text = " ".join(text.split())
    if not text:
        return [""]
    if display_width(text) == len(text):
        lines = textwrap.wrap(text, width, break_long_words=True) or [""]
    else:
        lines, current = [], ""
        for ch in text:
            if display_width(current + ch) > width:
                lines.append(current.rstrip())
                current = ch.lstrip()
            else:
                current += ch
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and display_width(last) > width - 1:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


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


def html_label(rows: list[str], *, align: str = "CENTER", background: str | None = None) -> str:
    """Stack pre-built rows (from :func:`text_line`) into an HTML-like label.

    ``background`` fills the label (an edge label stays readable where lines cross it).
    """
    if not rows:
        return ""
    cells = "".join(f'<TR><TD ALIGN="{align}" BALIGN="{align}">{row}</TD></TR>' for row in rows)
    fill = f' BGCOLOR="{background}"' if background else ""
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1"{fill}>{cells}</TABLE>>'
