"""The terminal report: a summary table by tier, then each action with what to do and why.

Matched values read as words; ``verbose`` (for coaches) shows field paths and file:line.
Text from a profile or a pack is made :func:`~.words.printable` first, and is handed to rich
as :class:`~rich.text.Text`, never as markup, so that "[bold]" in a title is shown as it is.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..profile import PRIORITY_WORDS
from ..results import Explanation, Plan, Reason, Recommendation, Result
from .words import fields_in_words, matched, printable_model, rule_source, score_words


def _value(value: Any) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value
    return json.dumps(value)


_MEASURE_WORDS = {
    "count": " (how many)",
    "count-matching": " (how many qualify)",
    "count-not-matching": " (how many do not qualify)",
    "days-after-as-of": " (days after the as-of date)",
}


def _measured(field: str, measure: str) -> str:
    return field + _MEASURE_WORDS.get(measure, "")


def _step(rec: Recommendation) -> Text:
    step = rec.action.step
    return Text(f"{step.framework} {step.order}" if step else "")


def _reason_lines(reason: Reason, indent: int, out: list[tuple[int, RenderableType | _Hanging]], verbose: bool) -> None:
    rule = reason.rule
    line = Text(rule.title, style="bold")
    line.append(f"  ({rule.id}, {rule.source})" if verbose else f"  ({rule_source(rule)})", style="dim")
    out.append((indent, _hanging("• ", line)))
    out.append((indent + 2, Text(f"article: “{rule.cites}”", style="dim")))
    if reason.matched:
        if verbose:
            shown = "; ".join(f"{_measured(m.field, m.measure)} = {_value(m.value)}" for m in reason.matched)
            out.append((indent + 2, _hanging("matched: ", Text(shown))))
        else:
            shown = "; ".join(matched(m.field, m.measure, m.value) for m in reason.matched)
            out.append((indent + 2, _hanging("seen: ", Text(shown[0].upper() + shown[1:] + "."))))
    for step in reason.via:
        out.append((indent + 2, _hanging("because ", Text(step.about))))
        for deeper in step.derived_by:
            _reason_lines(deeper, indent + 4, out, verbose)


class _Hanging:
    """``label`` then ``text``, wrapped lines lined up under the text, not the label.

    Wrapped here rather than by a rich grid: a grid per line cost most of a report's
    rendering time (about 88% of a recommendation with its report, measured). Words wrap
    at spaces, and a word wider than the line is folded, as rich does.
    """

    def __init__(self, label: str, text: Text) -> None:
        self.label = label
        self.text = text

    def plain_lines(self, indent: int, width: int) -> str:
        """:meth:`lines` as plain text (no styles to keep: much faster)."""
        room = max(1, width - indent - cell_len(self.label))
        text = self.text.plain
        pad = " " * indent
        under = " " * cell_len(self.label)
        return "\n".join(
            pad + (self.label if i == 0 else under) + text[start:end]
            for i, (start, end) in enumerate(_wrap(text, room))
        )

    def lines(self, indent: int, width: int) -> Text:
        room = max(1, width - indent - cell_len(self.label))
        out = Text()
        for i, (start, end) in enumerate(_wrap(self.text.plain, room)):
            if i:
                out.append("\n")
            out.append(" " * indent + (self.label if i == 0 else " " * cell_len(self.label)))
            out.append_text(self.text[start:end])
        return out


def _hanging(label: str, text: Text) -> _Hanging:
    return _Hanging(label, text)


def _wrap(plain: str, room: int) -> list[tuple[int, int]]:
    """(start, end) of each line of ``plain`` wrapped greedily at spaces into ``room`` cells."""
    lines: list[tuple[int, int]] = []
    start = end = used = 0
    open_line = False
    for word in re.finditer(r"\S+", plain):
        w_start, w_end = word.span()
        size = cell_len(word.group())
        if open_line and used + cell_len(plain[end:w_start]) + size <= room:  # the spaces as written
            end, used = w_end, used + cell_len(plain[end:w_start]) + size
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


def _print(console: Console, item: RenderableType | _Hanging | None = None, indent: int = 0) -> None:
    """Print a line (indented), a hanging paragraph wrapped to the console's width, or (None) a blank line.

    Without colour, text that fits the line is written as it is: what rich would print,
    for a fraction of the time. Anything else goes through rich.
    """
    plain = console.color_system is None
    if isinstance(item, _Hanging) and plain:
        console.file.write(item.plain_lines(indent, console.width) + "\n")
        return
    if isinstance(item, _Hanging):
        item = item.lines(indent, console.width)
        indent = 0
    if item is None and plain:
        console.file.write("\n")
    elif isinstance(item, Text) and plain and "\n" not in item.plain and indent + cell_len(item.plain) <= console.width:
        console.file.write(" " * indent + item.plain + "\n")
    elif isinstance(item, Text) and "\n" in item.plain:  # already wrapped, by _Hanging
        if plain:
            console.file.write(item.plain + "\n")
        else:
            console.print(item, no_wrap=True, crop=False)
    elif item is None:
        console.print()
    else:
        console.print(Padding(item, (0, 0, 0, indent)) if indent else item)


def render_text(result: Result, *, width: int = 100, color: bool = False, verbose: bool = False) -> str:
    """A summary table by tier, then each action with what to do, its score and why.

    ``verbose`` shows field paths and rule locations, for coaches.
    """
    result = printable_model(result)
    buffer = io.StringIO()
    console = _console(buffer, width, color)
    p = result.profile
    who = f" for {p.name}" if p.name else ""
    _print(console, Text(f"goalpath — next actions{who}", style="bold"))
    priority = PRIORITY_WORDS.get(p.priority, p.priority)
    if p.secondary_priority:
        priority += f", then {PRIORITY_WORDS.get(p.secondary_priority, p.secondary_priority)}"
    horizon = f", {p.horizon_months} months" if p.horizon_months else ""
    if p.current_role:
        priority += f", from {p.current_role}"
    goal = f"“{p.outcome}”" if p.outcome else "(no outcome written yet)"
    _print(console, Text(f"Goal: {goal} — {priority}{horizon}; as of {p.as_of.isoformat()}"))
    if not result.recommendations:
        _print(console)
        _print(console, Text("No actions to recommend: the rules found nothing this profile needs next."))
        return _tidy(buffer.getvalue())
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("Action")
    table.add_column("Score", justify="right")
    table.add_column("Effort")
    table.add_column("Step")
    tier = None
    for rec in result.recommendations:
        if rec.placement.tier != tier:
            if tier is not None:
                table.add_section()
            tier = rec.placement.tier
            table.add_row("", Text(rec.placement.title, style="bold"), "", "", "")
        table.add_row(
            str(rec.rank), Text(rec.action.title), f"{rec.score.total:.2f}", Text(rec.action.effort), _step(rec)
        )
    _print(console)
    console.print(table)
    for rec in result.recommendations:
        a, s = rec.action, rec.score
        _print(console)
        _print(console, Text(f"{rec.rank}. {a.title}", style="bold"))
        _print(console, _hanging("Why here: ", Text(rec.placement.note)), 3)
        for label, words in (("Do", a.do), ("Evidence", a.evidence), ("Done when", a.done_when)):
            _print(console, _hanging(f"{label}: ", Text(words)), 3)
        formula = f"impact {s.impact} × urgency {s.urgency:.2f} × fit {s.fit:.2f} ÷ effort {s.effort} = {s.base:.2f}"
        for adj in s.adjustments:
            formula += f" {'+' if adj.points >= 0 else '−'} {abs(adj.points):.2f} ({adj.rule.title})"
        _print(console, Text(f"Score {s.total:.2f}: {formula}"), 3)
        _print(console, Text("Why:"), 3)
        lines: list[tuple[int, RenderableType | _Hanging]] = []
        for reason in rec.reasons:
            _reason_lines(reason, 3, lines, verbose)
        for indent, line in lines:
            _print(console, line, indent)
    if result.not_shown:
        _print(console)
        more = "action" if result.not_shown == 1 else "actions"
        _print(console, Text(f"{result.not_shown} more {more} not shown (--top 0 shows all)."))
    if result.held_back:
        _print(console)
        _print(console, Text("Held back for now:"))
        for r in result.held_back:
            why = "; ".join(rule.title for rule in r.held_by) or "other advice scores higher"
            _print(console, _hanging("• ", Text(f"{r.action.title}: {_sentence_case(why)}")), 3)
    return _tidy(buffer.getvalue())


def _sentence_case(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _tidy(text: str) -> str:
    # rich pads table cells to the full width; trailing blanks only get in the way of diffs.
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _console(buffer: io.StringIO, width: int, color: bool) -> Console:
    return Console(
        file=buffer,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


def render_plan_text(plan: Plan, *, width: int = 100, color: bool = False) -> str:
    """The plan quarter by quarter: what starts in each, then its checkpoints and reviews."""
    plan = printable_model(plan)
    buffer = io.StringIO()
    console = _console(buffer, width, color)
    who = f" for {plan.profile.name}" if plan.profile.name else ""
    console.print(Text(f"goalpath — plan{who}", style="bold"))
    deadline = plan.deadline.isoformat() if plan.deadline else "none set"
    console.print(Text(f"From {plan.start.isoformat()} to {plan.end.isoformat()} (deadline: {deadline})"))
    for note in plan.notes:
        console.print(Text(f"Note: {note}", style="dim"))
    for quarter in plan.quarters:
        console.print()
        console.print(
            Text(f"Quarter {quarter.number}: {quarter.start.isoformat()} to {quarter.end.isoformat()}", style="bold")
        )
        for item in quarter.items:
            step = f" ({item.action.step.framework} {item.action.step.order})" if item.action.step else ""
            when = "now" if item.now else f"from {item.start.isoformat()}"
            _print(console, _hanging("• ", Text(f"{item.action.title}{step}, {when}")), 2)
        for checkpoint in quarter.checkpoints:
            line = Text(f"{checkpoint.date.isoformat()}  ", style="bold")
            line.append(checkpoint.title)
            console.print(Padding(line, (0, 0, 0, 2)))
            for detail in checkpoint.details:
                console.print(Padding(Text(detail), (0, 0, 0, 14)))
    return _tidy(buffer.getvalue())


def render_explanation_text(
    explanation: Explanation, *, width: int = 100, color: bool = False, verbose: bool = False
) -> str:
    """Why one action is where it is: its reasons if recommended, and what each rule still needs."""
    explanation = printable_model(explanation)
    buffer = io.StringIO()
    console = _console(buffer, width, color)
    a = explanation.action
    console.print(Text(a.title, style="bold"))
    status = {
        "recommended": "Recommended",
        "held-back": "Recommended, but held back for now",
        "not-recommended": "Not recommended for this profile",
    }[explanation.status]
    rec = explanation.recommendation
    if rec and explanation.status == "recommended":
        status += f": number {rec.rank}, {rec.placement.title.lower()}"
    console.print(Text(f"{status}."))
    if rec:
        _print(console, _hanging("Why here: ", Text(rec.placement.note)), 0)
        if rec.held_by:
            held = "; ".join(r.title for r in rec.held_by)
            _print(console, _hanging("Held back: ", Text(_sentence_case(held))))
        console.print(Text(f"Score {rec.score.total:.2f}:"))
        for words in score_words(rec.score):
            _print(console, _hanging("• ", Text(words)), 2)
        console.print(Text("Rules:"))
        lines: list[tuple[int, RenderableType | _Hanging]] = []
        for reason in rec.reasons:
            _reason_lines(reason, 2, lines, verbose)
        for indent, renderable in lines:
            _print(console, renderable, indent)
    waiting = [c for c in explanation.rule_checks if not c.fired]
    if waiting:
        console.print()
        heading = "Other rules that would also recommend it" if rec else "Rules that would recommend it, nearest first"
        console.print(Text(f"{heading}:"))
        for check in waiting:
            title = Text(check.rule.title, style="bold")
            title.append(
                f"  ({check.rule.id}, {check.rule.source})" if verbose else f"  ({rule_source(check.rule)})",
                style="dim",
            )
            _print(console, _hanging("• ", title), 2)
            console.print(Padding(Text(f"article: “{check.rule.cites}”", style="dim"), (0, 0, 0, 4)))
            for unmet in check.unmet:
                change = unmet.change if verbose else fields_in_words(unmet.change)
                if unmet.field:
                    seen = (
                        f"`{unmet.field}` = {_value(unmet.seen)}"
                        if verbose
                        else matched(unmet.field, "value", unmet.seen)
                    )
                    _print(console, _hanging("not met: ", Text(_sentence_case(seen))), 4)
                elif unmet.waits_for:
                    waits = _sentence_case(unmet.waits_for[0])
                    _print(console, _hanging("waits for: ", Text(waits)), 4)
                if change:
                    _print(console, _hanging("it would appear if: ", Text(change + ".")), 4)
                elif not unmet.field:
                    _print(console, _hanging("not met: ", Text("it depends on other advice")), 4)
    return _tidy(buffer.getvalue())
