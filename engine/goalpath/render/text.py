"""The terminal report: a summary table by tier, then each action with what to do and why.

Matched values read as words; ``verbose`` (for coaches) shows field paths and file:line.
Text from a profile or a pack is made :func:`~.words.printable` first, so it can carry no
terminal codes of its own; bold and dim are added only with ``color``.
"""

from __future__ import annotations

import json
from typing import Any

from ..profile import PRIORITY_WORDS
from ..results import Explanation, Plan, Reason, Recommendation, Result
from .terminal import BOLD, DIM, Column, Line, Report, table
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


def _step(rec: Recommendation) -> Line:
    step = rec.action.step
    return Line(f"{step.framework} {step.order}" if step else "")


#: A line of a report: its indent, a label that hangs (or ""), and its text.
_Item = tuple[int, str, Line]


def _reason_lines(reason: Reason, indent: int, out: list[_Item], verbose: bool) -> None:
    rule = reason.rule
    line = Line(rule.title, BOLD)
    line.append(f"  ({rule.id}, {rule.source})" if verbose else f"  ({rule_source(rule)})", DIM)
    out.append((indent, "• ", line))
    out.append((indent + 2, "", Line(f"article: “{rule.cites}”", DIM)))
    if reason.matched:
        if verbose:
            shown = "; ".join(f"{_measured(m.field, m.measure)} = {_value(m.value)}" for m in reason.matched)
            out.append((indent + 2, "matched: ", Line(shown)))
        else:
            shown = "; ".join(matched(m.field, m.measure, m.value) for m in reason.matched)
            out.append((indent + 2, "seen: ", Line(shown[0].upper() + shown[1:] + ".")))
    for step in reason.via:
        out.append((indent + 2, "because ", Line(step.about)))
        for deeper in step.derived_by:
            _reason_lines(deeper, indent + 4, out, verbose)


def render_text(result: Result, *, width: int = 100, color: bool = False, verbose: bool = False) -> str:
    """A summary table by tier, then each action with what to do, its score and why.

    ``verbose`` shows field paths and rule locations, for coaches.
    """
    result = printable_model(result)
    out = Report(width, color)
    p = result.profile
    who = f" for {p.name}" if p.name else ""
    out.add(Line(f"goalpath — next actions{who}", BOLD))
    priority = PRIORITY_WORDS.get(p.priority, p.priority)
    if p.secondary_priority:
        priority += f", then {PRIORITY_WORDS.get(p.secondary_priority, p.secondary_priority)}"
    horizon = f", {p.horizon_months} months" if p.horizon_months else ""
    if p.current_role:
        priority += f", from {p.current_role}"
    goal = f"“{p.outcome}”" if p.outcome else "(no outcome written yet)"
    out.add(f"Goal: {goal} — {priority}{horizon}; as of {p.as_of.isoformat()}")
    if not result.recommendations:
        out.add()
        out.add("No actions to recommend: the rules found nothing this profile needs next.")
        return out.text()
    sections: list[list[list[Line]]] = []
    tier = None
    for rec in result.recommendations:
        if rec.placement.tier != tier:
            tier = rec.placement.tier
            sections.append([[Line(), Line(rec.placement.title, BOLD), Line(), Line(), Line()]])
        sections[-1].append(
            [
                Line(str(rec.rank)),
                Line(rec.action.title),
                Line(f"{rec.score.total:.2f}"),
                Line(rec.action.effort),
                _step(rec),
            ]
        )
    out.add()
    out.lines.extend(table(_COLUMNS, sections, width, color))
    for rec in result.recommendations:
        a, s = rec.action, rec.score
        out.add()
        out.add(Line(f"{rec.rank}. {a.title}", BOLD))
        out.add(rec.placement.note, 3, "Why here: ")
        for label, words in (("Do", a.do), ("Evidence", a.evidence), ("Done when", a.done_when)):
            out.add(words, 3, f"{label}: ")
        formula = f"impact {s.impact} × urgency {s.urgency:.2f} × fit {s.fit:.2f} ÷ effort {s.effort} = {s.base:.2f}"
        for adj in s.adjustments:
            formula += f" {'+' if adj.points >= 0 else '−'} {abs(adj.points):.2f} ({adj.rule.title})"
        out.add(f"Score {s.total:.2f}: {formula}", 3)
        out.add("Why:", 3)
        lines: list[_Item] = []
        for reason in rec.reasons:
            _reason_lines(reason, 3, lines, verbose)
        for indent, label, line in lines:
            out.add(line, indent, label)
    if result.not_shown:
        out.add()
        more = "action" if result.not_shown == 1 else "actions"
        out.add(f"{result.not_shown} more {more} not shown (--top 0 shows all).")
    if result.held_back:
        out.add()
        out.add("Held back for now:")
        for r in result.held_back:
            why = "; ".join(rule.title for rule in r.held_by) or "other advice scores higher"
            out.add(f"{r.action.title}: {_sentence_case(why)}", 3, "• ")
    return out.text()


_COLUMNS = (Column("#", right=True), Column("Action"), Column("Score", right=True), Column("Effort"), Column("Step"))


def _sentence_case(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def render_plan_text(plan: Plan, *, width: int = 100, color: bool = False) -> str:
    """The plan quarter by quarter: what starts in each, then its checkpoints and reviews."""
    plan = printable_model(plan)
    out = Report(width, color)
    who = f" for {plan.profile.name}" if plan.profile.name else ""
    out.add(Line(f"goalpath — plan{who}", BOLD))
    deadline = plan.deadline.isoformat() if plan.deadline else "none set"
    out.add(f"From {plan.start.isoformat()} to {plan.end.isoformat()} (deadline: {deadline})")
    for note in plan.notes:
        out.add(Line(f"Note: {note}", DIM))
    for quarter in plan.quarters:
        out.add()
        out.add(Line(f"Quarter {quarter.number}: {quarter.start.isoformat()} to {quarter.end.isoformat()}", BOLD))
        for item in quarter.items:
            step = f" ({item.action.step.framework} {item.action.step.order})" if item.action.step else ""
            when = "now" if item.now else f"from {item.start.isoformat()}"
            out.add(f"{item.action.title}{step}, {when}", 2, "• ")
        for checkpoint in quarter.checkpoints:
            out.add(Line(f"{checkpoint.date.isoformat()}  ", BOLD).append(checkpoint.title), 2)
            for detail in checkpoint.details:
                out.add(detail, 14)
    return out.text()


def render_explanation_text(
    explanation: Explanation, *, width: int = 100, color: bool = False, verbose: bool = False
) -> str:
    """Why one action is where it is: its reasons if recommended, and what each rule still needs."""
    explanation = printable_model(explanation)
    out = Report(width, color)
    a = explanation.action
    out.add(Line(a.title, BOLD))
    status = {
        "recommended": "Recommended",
        "held-back": "Recommended, but held back for now",
        "not-recommended": "Not recommended for this profile",
    }[explanation.status]
    rec = explanation.recommendation
    if rec and explanation.status == "recommended":
        status += f": number {rec.rank}, {rec.placement.title.lower()}"
    out.add(f"{status}.")
    if rec:
        out.add(rec.placement.note, 0, "Why here: ")
        if rec.held_by:
            out.add(_sentence_case("; ".join(r.title for r in rec.held_by)), 0, "Held back: ")
        out.add(f"Score {rec.score.total:.2f}:")
        for words in score_words(rec.score):
            out.add(words, 2, "• ")
        out.add("Rules:")
        lines: list[_Item] = []
        for reason in rec.reasons:
            _reason_lines(reason, 2, lines, verbose)
        for indent, label, line in lines:
            out.add(line, indent, label)
    waiting = [c for c in explanation.rule_checks if not c.fired]
    if waiting:
        out.add()
        heading = "Other rules that would also recommend it" if rec else "Rules that would recommend it, nearest first"
        out.add(f"{heading}:")
        for check in waiting:
            title = Line(check.rule.title, BOLD)
            title.append(
                f"  ({check.rule.id}, {check.rule.source})" if verbose else f"  ({rule_source(check.rule)})", DIM
            )
            out.add(title, 2, "• ")
            out.add(Line(f"article: “{check.rule.cites}”", DIM), 4)
            for unmet in check.unmet:
                change = unmet.change if verbose else fields_in_words(unmet.change)
                if unmet.field:
                    seen = (
                        f"`{unmet.field}` = {_value(unmet.seen)}"
                        if verbose
                        else matched(unmet.field, "value", unmet.seen)
                    )
                    out.add(_sentence_case(seen), 4, "not met: ")
                elif unmet.waits_for:
                    out.add(_sentence_case(unmet.waits_for[0]), 4, "waits for: ")
                if change:
                    out.add(change + ".", 4, "it would appear if: ")
                elif not unmet.field:
                    out.add("it depends on other advice", 4, "not met: ")
    return out.text()
