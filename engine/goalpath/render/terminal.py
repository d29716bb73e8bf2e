"""Text for a terminal: widths in cells, greedy wrapping, bold and dim, and a column table.

Written here rather than taken from a terminal library: the report needs five columns,
two styles and word wrapping, and rich, which did this before, cost more to import and
to lay out a report than the whole recommendation it showed (issue 10, measured in
``bench/perf.py``). Styles are SGR codes, written only when colour is asked for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

BOLD = "1"
DIM = "2"
_RESET = "\x1b[0m"
_WORD = re.compile(r"\S+")
#: Format characters that take no cell (joiners and marks); the rest of Cf is escaped before.
_ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


@lru_cache(maxsize=4096)
def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or char in _ZERO_WIDTH:
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _narrow(text: str) -> bool:
    """Whether every character of ``text`` takes one cell: ASCII, and nearly all the rest of what a report holds
    (curly quotes, dashes, accented letters), each distinct character looked at once."""
    return text.isascii() or all(_char_cells(char) == 1 for char in set(text) if not char.isascii())


def cell_len(text: str) -> int:
    """How many terminal cells ``text`` takes: wide (CJK) characters two, combining marks none."""
    if _narrow(text):
        return len(text)
    return sum(_char_cells(char) for char in text)


def wrap(plain: str, room: int) -> list[tuple[int, int]]:
    """(start, end) of each line of ``plain`` wrapped greedily at spaces into ``room`` cells.

    Spaces between words on a line are kept as written; a word wider than the line is
    folded across lines. Text with no words is one empty line.
    """
    return _wrap_narrow(plain, room) if _narrow(plain) else _wrap_cells(plain, room)


def _wrap_cells(plain: str, room: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    start = end = used = 0
    open_line = False
    for word in _WORD.finditer(plain):
        w_start, w_end = word.span()
        size = cell_len(word.group())
        gap = cell_len(plain[end:w_start])
        if open_line and used + gap + size <= room:
            end, used = w_end, used + gap + size
            continue
        if open_line:
            lines.append((start, end))
        while size > room:  # fold a word wider than the line
            cut, cells = w_start, 0
            while cut < w_end and cells + cell_len(plain[cut]) <= room:
                cells += cell_len(plain[cut])
                cut += 1
            cut = max(cut, w_start + 1)
            lines.append((w_start, cut))
            w_start = cut
            size = cell_len(plain[w_start:w_end])
        start, end, used, open_line = w_start, w_end, size, True
    if open_line or not lines:
        lines.append((start, end))
    return lines


def _wrap_narrow(plain: str, room: int) -> list[tuple[int, int]]:
    """:func:`wrap` for text of one cell a character: the same lines, in a third of the time."""
    text = plain.strip()
    if not text:
        return [(0, 0)]
    if len(text) <= room:  # the usual case: it fits
        start = len(plain) - len(plain.lstrip())
        return [(start, start + len(text))]
    lines: list[tuple[int, int]] = []
    start = end = -1
    for word in _WORD.finditer(plain):
        w_start, w_end = word.span()
        if start >= 0 and w_end - start <= room:
            end = w_end
            continue
        if start >= 0:
            lines.append((start, end))
        while w_end - w_start > room:  # fold a word wider than the line
            lines.append((w_start, w_start + room))
            w_start += room
        start, end = w_start, w_end
    lines.append((start, end))
    return lines


class Line:
    """One run of text made of parts, each plain or styled (:data:`BOLD`, :data:`DIM`)."""

    __slots__ = ("parts",)

    def __init__(self, text: str = "", style: str | None = None) -> None:
        self.parts: list[tuple[str, str | None]] = [(text, style)] if text else []

    def append(self, text: str, style: str | None = None) -> Line:
        if text:
            self.parts.append((text, style))
        return self

    @property
    def plain(self) -> str:
        if len(self.parts) == 1:
            return self.parts[0][0]
        return "".join(text for text, _ in self.parts)

    def cut(self, start: int, end: int) -> Line:
        """The characters from ``start`` to ``end`` of :attr:`plain`, with their styles."""
        out = Line()
        at = 0
        for text, style in self.parts:
            low, high = max(start, at), min(end, at + len(text))
            if low < high:
                out.parts.append((text[low - at : high - at], style))
            at += len(text)
        return out

    def styled(self, color: bool) -> str:
        """The text, with SGR codes around styled parts when ``color``."""
        if not color:
            return self.plain
        return "".join(f"\x1b[{style}m{text}{_RESET}" if style else text for text, style in self.parts)


def hanging(label: str, line: Line | str, indent: int, width: int, color: bool) -> list[str]:
    """``label`` then ``line`` wrapped to ``width``, wrapped lines lined up under the text."""
    room = max(1, width - indent - cell_len(label))
    pad = " " * indent
    if isinstance(line, str) or (not color and len(line.parts) <= 1):
        text = line if isinstance(line, str) else line.plain
        if len(text) <= room and text.isascii() and text == text.strip():  # the usual line: it fits as it is
            return [pad + label + text]
        spans = wrap(text, room)
        if len(spans) == 1:
            return [pad + label + text[spans[0][0] : spans[0][1]]]
        under = " " * cell_len(label)
        return [pad + (label if i == 0 else under) + text[s:e] for i, (s, e) in enumerate(spans)]
    under = " " * cell_len(label)
    spans = wrap(line.plain, room)
    return [pad + (label if i == 0 else under) + line.cut(s, e).styled(color) for i, (s, e) in enumerate(spans)]


class Report:
    """The lines of a report as it is written, each wrapped to the width."""

    def __init__(self, width: int, color: bool) -> None:
        self.width = width
        self.color = color
        self.lines: list[str] = []

    def add(self, line: Line | str | None = None, indent: int = 0, label: str = "") -> None:
        """A line (wrapped, and indented), ``label`` hanging before it; None is a blank line."""
        if line is None:
            self.lines.append("")
            return
        self.lines.extend(hanging(label, line, indent, self.width, self.color))

    def text(self) -> str:
        return "".join(line.rstrip() + "\n" for line in self.lines)


class Column:
    """A table column: its heading, and whether its cells are right-aligned."""

    __slots__ = ("heading", "right")

    def __init__(self, heading: str, *, right: bool = False) -> None:
        self.heading = heading
        self.right = right


#: Between two columns.
GAP = "   "


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[Line]], width: int) -> list[int]:
    """Each column's width: as wide as its widest cell while the table fits ``width``.

    Past that the widest columns give way first, down to their longest word, then below
    it (words are folded) down to one cell.
    """
    natural = [cell_len(column.heading) for column in columns]
    longest_word = [cell_len(column.heading) for column in columns]
    for row in rows:
        for i, cell in enumerate(row):
            plain = cell.plain
            natural[i] = max(natural[i], cell_len(plain))
            longest_word[i] = max([longest_word[i], *(cell_len(w) for w in plain.split())])
    widths = list(natural)
    excess = sum(widths) + len(GAP) * (len(columns) - 1) - width
    for floor in (longest_word, [1] * len(columns)):
        while excess > 0:
            shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: (widths[i], -i))
            widths[widest] -= 1
            excess -= 1
    return widths


def table(
    columns: Sequence[Column], sections: Sequence[Sequence[Sequence[Line]]], width: int, color: bool
) -> list[str]:
    """``sections`` of rows under bold headings and a rule, a blank line between sections.

    Each row has one :class:`Line` per column; a cell too wide for its column wraps.
    """
    widths = _widths(columns, [row for section in sections for row in section], width)
    rule = "─" * (sum(widths) + len(GAP) * (len(columns) - 1))
    header = [Line(column.heading, BOLD) for column in columns]
    out = [*_row(columns, widths, header, color), rule]
    for number, section in enumerate(sections):
        if number:
            out.append("")
        for row in section:
            out.extend(_row(columns, widths, row, color))
    return out


def _row(columns: Sequence[Column], widths: list[int], row: Sequence[Line], color: bool) -> list[str]:
    # Each cell's lines as (text shown, its width in cells).
    cells: list[list[tuple[str, int]]] = []
    for cell, w in zip(row, widths, strict=True):
        plain = cell.plain
        if len(cell.parts) <= 1 and not color:
            cells.append([(plain[s:e], cell_len(plain[s:e])) for s, e in wrap(plain, w)])
        else:
            cells.append([(cell.cut(s, e).styled(color), cell_len(plain[s:e])) for s, e in wrap(plain, w)])
    height = max(len(lines) for lines in cells)
    out = []
    for n in range(height):
        parts = []
        for column, w, lines in zip(columns, widths, cells, strict=True):
            text, used = lines[n] if n < len(lines) else ("", 0)
            room = " " * (w - used)
            parts.append(room + text if column.right else text + room)
        out.append(GAP.join(parts).rstrip())
    return out
