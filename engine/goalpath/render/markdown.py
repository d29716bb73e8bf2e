"""Markdown for people: the ranked actions by tier, each with what to do, why, and its score.

Text from a profile or a pack is made :func:`~.words.printable` first: Markdown is read in
terminals and editors too, which act on control characters as a terminal does.
"""

from __future__ import annotations

from ..profile import PRIORITY_WORDS
from ..results import Explanation, Plan, Reason, Recommendation, Result
from .words import fields_in_words, matched, printable_model, rule_source, score_words


def goal_line(result: Result) -> str:
    """The goal in one line: the outcome, the priorities, the horizon and the as-of date."""
    p = result.profile
    priority = PRIORITY_WORDS.get(p.priority, p.priority)
    if p.secondary_priority:
        priority += f", then {PRIORITY_WORDS.get(p.secondary_priority, p.secondary_priority)}"
    if p.current_role:
        priority += f", from {p.current_role}"
    horizon = f", {p.horizon_months} months" if p.horizon_months else ""
    goal = f"“{p.outcome}”" if p.outcome else "(no outcome written yet)"
    return f"{goal} — {priority}{horizon}; as of {p.as_of.isoformat()}"


def render_markdown(result: Result, *, verbose: bool = False) -> str:
    """The result as a Markdown document (``verbose`` adds field paths and rule locations)."""
    result = printable_model(result)
    who = f" for {result.profile.name}" if result.profile.name else ""
    out = [f"# Next actions{who}", "", f"**Goal:** {_escape(goal_line(result))}", ""]
    if not result.recommendations:
        out += ["No actions to recommend: the rules found nothing this profile needs next.", ""]
    tier = None
    for rec in result.recommendations:
        if rec.placement.tier != tier:
            tier = rec.placement.tier
            out += [f"## {rec.placement.title}", ""]
        out += _recommendation(rec, verbose)
    if result.not_shown:
        more = "action" if result.not_shown == 1 else "actions"
        out += [f"*{result.not_shown} more {more} not shown.*", ""]
    if result.held_back:
        out += ["## Held back for now", ""]
        for r in result.held_back:
            why = "; ".join(rule.title for rule in r.held_by) or "other advice scores higher"
            out.append(f"- **{_escape(r.action.title)}**: {_escape(why)}.")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _recommendation(rec: Recommendation, verbose: bool) -> list[str]:
    a, s = rec.action, rec.score
    step = f" · **Step:** {a.step.framework} {a.step.order}" if a.step else ""
    out = [
        f"### {rec.rank}. {_escape(a.title)}",
        "",
        f"*Why here:* {_escape(rec.placement.note)}",
        "",
        f"- **Do:** {_escape(a.do)}",
        f"- **Evidence:** {_escape(a.evidence)}",
        f"- **Done when:** {_escape(a.done_when)}",
        f"- **Effort:** {a.effort}{step} · **Score:** {s.total:.2f}",
        "",
        "**Score:** " + "; ".join(_escape(line) for line in score_words(s)) + ".",
        "",
        "**Why:**",
        "",
    ]
    for reason in rec.reasons:
        out += _reason(reason, 0, verbose)
    out.append("")
    return out


def _reason(reason: Reason, depth: int, verbose: bool) -> list[str]:
    pad = "  " * depth
    rule = reason.rule
    where = f"`{rule.id}`, {rule.source}" if verbose else rule_source(rule)
    out = [f"{pad}- {_escape(rule.title)} ({where}; article: “{_escape(rule.cites)}”)"]
    if reason.matched:
        if verbose:
            seen = "; ".join(f"`{m.field}` ({m.measure}) = {m.value!r}" for m in reason.matched)
        else:
            seen = _escape("; ".join(matched(m.field, m.measure, m.value) for m in reason.matched))
            seen = seen[0].upper() + seen[1:]
        out.append(f"{pad}  - Seen: {seen}.")
    for step in reason.via:
        out.append(f"{pad}  - Because {_escape(step.about)}:")
        for deeper in step.derived_by:
            out += _reason(deeper, depth + 2, verbose)
    return out


def _escape(text: str) -> str:
    """Text safe inside Markdown: characters that would start emphasis or links are escaped."""
    for char in ("\\", "*", "_", "[", "]", "<", ">", "`"):
        text = text.replace(char, "\\" + char)
    return text


def render_plan_markdown(plan: Plan) -> str:
    """The plan as Markdown: a section per quarter with what starts and the checkpoints."""
    plan = printable_model(plan)
    who = f" for {plan.profile.name}" if plan.profile.name else ""
    deadline = plan.deadline.isoformat() if plan.deadline else "none set"
    out = [f"# Plan{who}", "", f"From {plan.start.isoformat()} to {plan.end.isoformat()} (deadline: {deadline}).", ""]
    out += [f"> {_escape(note)}" for note in plan.notes]
    if plan.notes:
        out.append("")
    for quarter in plan.quarters:
        out += [f"## Quarter {quarter.number}: {quarter.start.isoformat()} to {quarter.end.isoformat()}", ""]
        for item in quarter.items:
            step = f" ({item.action.step.framework} {item.action.step.order})" if item.action.step else ""
            when = "now" if item.now else f"from {item.start.isoformat()}"
            out.append(f"- {_escape(item.action.title)}{_escape(step)}, {when}")
        if quarter.items:
            out.append("")
        for checkpoint in quarter.checkpoints:
            out.append(f"- **{checkpoint.date.isoformat()}: {_escape(checkpoint.title)}**")
            out += [f"  - {_escape(detail)}" for detail in checkpoint.details]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_explanation_markdown(explanation: Explanation) -> str:
    """Why one action is where it is, as Markdown."""
    explanation = printable_model(explanation)
    a, rec = explanation.action, explanation.recommendation
    status = {
        "recommended": "Recommended",
        "held-back": "Recommended, but held back for now",
        "not-recommended": "Not recommended for this profile",
    }[explanation.status]
    out = [f"# {_escape(a.title)}", "", f"{status}.", ""]
    if rec:
        out += [f"*Why here:* {_escape(rec.placement.note)}", "", "**Score:**", ""]
        out += [f"- {_escape(line)}" for line in score_words(rec.score)]
        out += ["", "**Why:**", ""]
        for reason in rec.reasons:
            out += _reason(reason, 0, False)
        out.append("")
    waiting = [c for c in explanation.rule_checks if not c.fired]
    if waiting:
        out += [
            "## "
            + ("Other rules that would also recommend it" if rec else "Rules that would recommend it, nearest first"),
            "",
        ]
        for check in waiting:
            out.append(
                f"- {_escape(check.rule.title)} ({rule_source(check.rule)}; article: “{_escape(check.rule.cites)}”)"
            )
            for unmet in check.unmet:
                if unmet.field:
                    out.append(f"  - Not met: {_escape(matched(unmet.field, 'value', unmet.seen))}.")
                elif unmet.waits_for:
                    out.append(f"  - Waits for: {_escape(unmet.waits_for[0])}.")
                if unmet.change:
                    out.append(f"  - It would appear if: {_escape(fields_in_words(unmet.change))}.")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
