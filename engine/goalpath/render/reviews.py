"""Reviews over time for a terminal: what changed at a review, past reviews, indicator trends.

Text from a profile or a pack is made :func:`~.words.printable` before it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .terminal import BOLD, DIM, Column, Line, Report, table
from .words import printable, value_words

if TYPE_CHECKING:  # history and progress read the store alone: no engine, no models
    from ..store.review import Review


def _add(out: Report, text: str | None = None, indent: int = 0, label: str = "") -> None:
    """``text`` from a profile, a pack or the store, made printable, as a line of ``out``."""
    out.add(None if text is None else printable(text), indent, label)


def _heading(out: Report, text: str) -> None:
    out.add()
    out.add(Line(printable(text), BOLD))


def _reviews(n: int) -> str:
    return "1 review" if n == 1 else f"{n} reviews"


def review_summary(outcome: Review) -> str:
    """The review's first line under its title: what it is compared with."""
    if outcome.last is None:
        return "First review: there is nothing earlier to compare with. The next review compares with this one."
    days = (outcome.date - outcome.last).days
    return f"Compared with the last review, on {outcome.last.isoformat()} ({days} days ago)."


def review_sections(outcome: Review) -> list[tuple[str, str, list[str], str]]:
    """What changed, as (heading, bullet, items, closing line) sections, in the order a coach goes through them.

    Texts are as written (not yet made printable): each renderer makes them safe for its format.
    """
    sections = []
    if outcome.done:
        how = {
            "marked": "you marked it done. Well done.",
            "evidence": "what it was for is in your profile now. Well done.",
            "marked-open": "you marked it done. Well done. Your profile still reads as if it were missing: "
            "update it, so the next review sees the evidence.",
        }
        items = [f"{c.title}: {how[c.how]}" for c in outcome.done]
        sections.append(("Done since the last review", "✓ ", items, ""))
    if outcome.stalled:
        items = []
        for stalled in outcome.stalled:
            when = (
                "recommended at the last review"
                if stalled.reviews == 1
                else f"recommended at the last {stalled.reviews} reviews, since {stalled.since.isoformat()}"
            )
            if outcome.checkin.actions.get(stalled.id) == "started":
                when = f"started, but {when}"
            items.append(f"{stalled.title} ({when})")
        tactic = next((r for r in outcome.result.recommendations if r.action.id == "change-stalled-tactic"), None)
        closing = (
            f"Change one thing about each: see number {tactic.rank} below, “{tactic.action.title}”."
            if tactic is not None
            else "If an action is not producing evidence, change it: a smaller first step, a standing slot, or help."
        )
        sections.append(("Stalled: recommended at the last review, still without their evidence", "• ", items, closing))
    if outcome.carried:
        items = [f"{c.title} (recommended since {c.since.isoformat()})" for c in outcome.carried]
        closing = "Less than a quarter so far: give them until the next quarterly review before changing tactic."
        sections.append(("Still open from the last review", "• ", items, closing))
    if outcome.dropped:
        heading = "Dropped at this review (not recommended again unless you mark it --started)"
        sections.append((heading, "• ", [c.title for c in outcome.dropped], ""))
    if outcome.new and outcome.last is not None:
        sections.append(("New this review", "• ", [f"{c.rank}. {c.title}" for c in outcome.new], ""))
    if outcome.moved:
        items = [f"{c.title}: from number {c.was} to {c.rank}" for c in outcome.moved]
        sections.append(("Moved", "• ", items, ""))
    measured = [i for i in outcome.indicators if (i.current, i.previous, i.target) != (None, None, None)]
    if measured:
        sections.append(("Indicators", "• ", [_indicator_words(i) for i in measured], ""))
    if outcome.missed:
        items = [f"{m.name} (due {m.due.isoformat()})" for m in outcome.missed]
        sections.append(("Milestones whose date passed without being met", "• ", items, ""))
    return sections


def render_review_text(outcome: Review, *, width: int = 100, color: bool = False, store: str = "") -> str:
    """What changed since the last review, then this quarter's actions, then where it was recorded."""
    out = Report(width, color)
    name = printable(outcome.person)
    out.add(Line(f"goalpath — review {outcome.number} for {name}, {outcome.date.isoformat()}", BOLD))
    _add(out, review_summary(outcome))
    for heading, bullet, items, closing in review_sections(outcome):
        _heading(out, heading)
        for item in items:
            _add(out, item, 2, bullet)
        if closing:
            _add(out, closing, 2)
    out.add()
    from .text import render_text  # the report and its models, only for a review

    report = render_text(outcome.result, width=width, color=color)
    # The actions a next review asks about: those shown, but advice on the review itself (its check-in leaves
    # that out).
    asked = [r for r in outcome.result.recommendations if r.action.id in outcome.checkin.actions]
    if asked:
        marks = Report(width, color)
        marks.add()
        _add(marks, "At the next review, say what became of each with --done, --started or --dropped and its id:")
        for r in asked:
            _add(marks, r.action.id, 2, f"{r.rank}. ")
        report += marks.text()
    recorded = "Recorded" if outcome.recorded else "Already recorded (the same review was stored before)"
    where = f" in {printable(store)}" if store else ""
    return out.text() + report + f"\n{recorded} as review {outcome.number} of {name}{where}.\n"


def _indicator_words(indicator: Any) -> str:
    kind = f"{indicator.name} ({indicator.kind})"
    target = f"; target {value_words(indicator.target)}" if indicator.target is not None else ""
    state = indicator.state
    if state == "unmeasured":
        return f"{kind}: no value written down this time{target}"
    now = value_words(indicator.current)
    if state == "reached":
        return f"{kind}: {now}, target reached"
    if state == "new":
        return f"{kind}: {now}, first measured now{target}"
    if state == "flat" and indicator.flat_for == 1:
        return f"{kind}: {now}, unchanged since the last review{target}"
    if state == "flat":
        return f"{kind}: {now}, not moved for {_reviews(indicator.flat_for)}{target}"
    direction = "up" if indicator.current > indicator.previous else "down"
    return f"{kind}: {now}, {direction} from {value_words(indicator.previous)}{target}"


def render_history_text(person: str, rows: list[dict[str, Any]], *, width: int = 100, color: bool = False) -> str:
    """Past reviews, one row each: date, the top action, what was done and what stalled."""
    out = Report(width, color)
    out.add(Line(f"goalpath — reviews of {printable(person)}", BOLD))
    columns = (Column("#", right=True), Column("Date"), Column("Top action"), Column("Done"), Column("Stalled"))
    body = [
        [
            Line(str(row["review"])),
            Line(row["date"]),
            Line(printable(row["top_titles"][0]) if row["top_titles"] else "(nothing recommended)"),
            Line(str(len(row["done"]))),
            Line(str(len(row["stalled"]))),
        ]
        for row in rows
    ]
    out.add()
    out.lines.extend(table(columns, [body], width, color))
    notes = [(row["review"], row["note"]) for row in rows if row["note"]]
    if notes:
        _heading(out, "Notes")
        for number, note in notes:
            _add(out, note, 2, f"{number}. ")
    return out.text()


#: Eight heights of a bar, for a one-line chart of each indicator.
_BARS = "▁▂▃▄▅▆▇█"


def render_progress_text(person: str, rows: list[dict[str, Any]], *, width: int = 100, color: bool = False) -> str:
    """Each indicator's values review by review, as a bar chart against its target."""
    out = Report(width, color)
    out.add(Line(f"goalpath — progress of {printable(person)}", BOLD))
    dates = [row["date"] for row in rows]
    _add(out, f"{len(rows)} reviews, from {dates[0]} to {dates[-1]}." if rows else "No reviews yet.")
    for name, values, target in indicator_series(rows):
        if all(value is None for value in values):
            continue  # never measured: nothing to chart (a yes-or-no outcome, say)
        _heading(out, name)
        top = max([v for v in values if v is not None] + ([target] if target is not None else []) + [0])
        line = Line()
        for value in values:
            if value is None:
                line.append("·", DIM)
            else:
                line.append(_BARS[min(7, max(0, round(7 * value / top)))] if top > 0 else _BARS[0])
        out.add(line, 2)
        shown = [value_words(v) if v is not None else "-" for v in values]
        target_words = f"; target {value_words(target)}" if target is not None else ""
        _add(out, f"values: {', '.join(shown)}{target_words}", 2)
    return out.text()


def indicator_series(rows: list[dict[str, Any]]) -> list[tuple[str, list[float | None], float | None]]:
    """(name, the value at each review or None, the latest target) of each indicator, in order of appearance."""
    names: list[str] = []
    for row in rows:
        names.extend(n for n in row["indicators"] if n not in names)
    out = []
    for name in names:
        values = [row["indicators"].get(name) for row in rows]
        targets = [row["targets"].get(name) for row in rows if row["targets"].get(name) is not None]
        out.append((name, values, targets[-1] if targets else None))
    return out
