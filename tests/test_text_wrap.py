"""The terminal report lays out its own text (render/terminal.py): wrapping and the table."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from goalpath.render.terminal import BOLD, Column, Line, _wrap_cells, _wrap_narrow, cell_len, hanging, table, wrap


def _texts(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    words = st.text(alphabet=alphabet, min_size=1, max_size=30)
    return st.lists(st.tuples(words, st.sampled_from([" ", "  "])), min_size=1, max_size=30).map(
        lambda parts: "".join(w + s for w, s in parts).rstrip()
    )


narrow = _texts(st.characters(min_codepoint=33, max_codepoint=126))
#: Wide (CJK) and combining characters too.
anything = _texts(st.characters(whitelist_categories=("L", "N", "P", "Mn"), blacklist_characters=" "))


def test_cells_count_wide_characters_twice_and_marks_not_at_all() -> None:
    assert cell_len("abc") == 3
    assert cell_len("日本") == 4
    assert cell_len("e\u0301") == 1
    assert cell_len("") == 0


def test_a_paragraph_wraps_under_its_text_not_its_label() -> None:
    line = Line("Draft the three-line message you will send and the five questions you will ask")
    assert hanging("Do: ", line, 3, 40, False) == [
        "   Do: Draft the three-line message you",
        "       will send and the five questions",
        "       you will ask",
    ]


def test_a_word_wider_than_the_line_is_folded() -> None:
    assert hanging("", Line("see https://example.org/a/very/long/path ok"), 0, 12, False) == [
        "see",
        "https://exam",
        "ple.org/a/ve",
        "ry/long/path",
        "ok",
    ]


def test_styles_are_codes_only_with_colour_and_survive_wrapping() -> None:
    line = Line("Bold words", BOLD).append(" then plain ones")
    assert hanging("", line, 0, 12, True) == ["\x1b[1mBold words\x1b[0m", "then plain", "ones"]
    assert hanging("", line, 0, 12, False) == ["Bold words", "then plain", "ones"]


@settings(max_examples=300, deadline=None)
@given(text=narrow, room=st.integers(1, 60))
def test_wrapping_is_greedy(text: str, room: int) -> None:
    spans = wrap(text, room)
    for (start, end), (next_start, next_end) in zip(spans, spans[1:], strict=False):
        first_word = text[next_start:next_end].split(" ")[0]
        # The next line's first word would not have fitted at the end of this one.
        if text[end:next_start].strip() == "":  # a break between words, not a folded word
            assert cell_len(text[start:next_start]) + cell_len(first_word) > room


@settings(max_examples=300, deadline=None)
@given(text=anything, indent=st.integers(0, 12), label=st.sampled_from(["", "• ", "it would appear if: "]))
def test_wrapping_loses_nothing_and_keeps_inside_the_width(text: str, indent: int, label: str) -> None:
    lines = hanging(label, Line(text), indent, 80, False)
    assert all(cell_len(line) <= 80 for line in lines)
    assert lines[0].startswith(" " * indent + label)
    assert "".join(line[indent + len(label) :] for line in lines).replace(" ", "") == text.replace(" ", "")


@settings(max_examples=200, deadline=None)
@given(text=anything, indent=st.integers(0, 12))
def test_coloured_lines_are_the_plain_lines_with_codes(text: str, indent: int) -> None:
    line = Line(text[: len(text) // 2], BOLD).append(text[len(text) // 2 :])
    plain = hanging("Why here: ", line, indent, 80, False)
    coloured = hanging("Why here: ", line, indent, 80, True)
    assert [c.replace("\x1b[1m", "").replace("\x1b[0m", "") for c in coloured] == plain


COLUMNS = (Column("#", right=True), Column("Action"), Column("Score", right=True), Column("Step"))


def _row(rank: int, title: str, score: str, step: str) -> list[Line]:
    return [Line(str(rank)), Line(title), Line(score), Line(step)]


def test_a_table_that_fits_keeps_its_natural_widths() -> None:
    rows = [[_row(1, "Ask for feedback", "5.05", "Evidence Ladder 1")], [_row(2, "Write it down", "4.50", "")]]
    assert table(COLUMNS, rows, 100, False) == [
        "#   Action             Score   Step",
        "────────────────────────────────────────────────",
        "1   Ask for feedback    5.05   Evidence Ladder 1",
        "",
        "2   Write it down       4.50",
    ]


def test_a_table_too_wide_wraps_its_widest_column_first() -> None:
    rows = [[_row(1, "Find out the visa, credential and language requirements for your country", "5.05", "Playbook 1")]]
    assert table(COLUMNS, rows, 50, False) == [
        "#   Action                      Score   Step",
        "──────────────────────────────────────────────────",
        "1   Find out the visa,           5.05   Playbook 1",
        "    credential and language",
        "    requirements for your",
        "    country",
    ]


words = st.lists(st.text(alphabet="abcdefghij", min_size=1, max_size=12), min_size=1, max_size=8).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(1, 99), words, st.sampled_from(["1.00", "12.50"]), words), min_size=1),
    width=st.integers(45, 120),
)
def test_a_table_keeps_inside_the_width_and_every_word(rows: list, width: int) -> None:
    lines = table(COLUMNS, [[_row(*row) for row in rows]], width, False)
    assert all(cell_len(line) <= width for line in lines)
    body = " ".join(lines[2:]).split()
    expected = [w for rank, title, score, step in rows for w in (str(rank), *title.split(), score, *step.split())]
    assert sorted(body) == sorted(expected)


@settings(max_examples=500, deadline=None)
@given(text=narrow | st.text(alphabet=" ab\t\n“”—é", max_size=40), room=st.integers(1, 40))
def test_the_fast_wrapping_of_narrow_text_is_the_general_wrapping(text: str, room: int) -> None:
    assert _wrap_narrow(text, room) == _wrap_cells(text, room)
