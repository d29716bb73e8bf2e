"""The terminal report wraps hanging paragraphs itself (a rich grid per line was most of
its rendering time): it must wrap exactly as the rich grid did."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from goalpath.render.text import _Hanging


def _texts(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    words = st.text(alphabet=alphabet, min_size=1, max_size=30)
    return st.lists(st.tuples(words, st.sampled_from([" ", "  "])), min_size=1, max_size=30).map(
        lambda parts: "".join(w + s for w, s in parts).rstrip()
    )


#: One cell each: there the grid's wrapping is the reference.
narrow = _texts(st.characters(min_codepoint=33, max_codepoint=126))
#: Wide (CJK) and combining characters too: the grid cut such text with "…" at times, so
#: there the promise is only that nothing is lost and no line is too wide.
anything = _texts(st.characters(whitelist_categories=("L", "N", "P", "Mn"), blacklist_characters=" "))


def _console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(file=buffer, width=80, color_system=None, highlight=False, emoji=False), buffer


def _by_rich_grid(label: str, text: str, indent: int) -> str:
    console, buffer = _console()
    grid = Table.grid()
    grid.add_column(width=len(label), no_wrap=True)
    grid.add_column()
    grid.add_row(Text(label), Text(text))
    console.print(Padding(grid, (0, 0, 0, indent)))
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


def _by_goalpath(label: str, text: str, indent: int) -> str:
    console, buffer = _console()
    console.print(_Hanging(label, Text(text)).lines(indent, 80), no_wrap=True, crop=False)
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))


@settings(max_examples=300, deadline=None)
@given(text=narrow, label=st.sampled_from(["• ", "Do: ", "it would appear if: "]), indent=st.integers(0, 12))
def test_hanging_paragraphs_wrap_as_the_rich_grid_did(text: str, label: str, indent: int) -> None:
    assert _by_goalpath(label, text, indent) == _by_rich_grid(label, text, indent)


@settings(max_examples=300, deadline=None)
@given(text=anything, indent=st.integers(0, 12))
def test_wrapping_loses_nothing_and_keeps_inside_the_width(text: str, indent: int) -> None:
    lines = _Hanging("• ", Text(text)).lines(indent, 80).plain.split("\n")
    assert all(cell_len(line) <= 80 for line in lines)
    assert "".join(line[indent + 2 :] for line in lines).replace(" ", "") == text.replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(text=anything, indent=st.integers(0, 12))
def test_plain_lines_are_the_styled_lines_without_styles(text: str, indent: int) -> None:
    hanging = _Hanging("Why here: ", Text(text, style="bold"))
    assert hanging.plain_lines(indent, 80) == hanging.lines(indent, 80).plain
