"""One self-contained HTML report to open and print: the ranked actions with their reasons,
and the goal's roadmap as an inline SVG timeline. No scripts, fonts or images are fetched.

The timeline runs from the as-of date to the end of the plan: a band per quarter, a mark
for every checkpoint and review, and a bar for each framework step from the day it starts
for as long as it usually takes. Text from a profile or a pack is made
:func:`~.words.printable` before it is escaped: browsers act on bidirectional overrides.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from ..results import Plan, PlanItem, Reason, Recommendation, Result
from .markdown import goal_line
from .words import matched, packs_phrase, printable, printable_model, rule_source, score_words, value_words

_CSS = """
:root { --ink: #1d2433; --muted: #5b6478; --line: #d9dee8; --accent: #2f5bd3; --soft: #eef2fb; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink);
       max-width: 60rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
.goal { color: var(--muted); margin: 0 0 1.5rem; }
.action { border: 1px solid var(--line); border-radius: 10px; padding: .9rem 1.1rem; margin: 0 0 .9rem;
          break-inside: avoid; }
.action h3 { font-size: 1.05rem; margin: 0 0 .3rem; }
.rank { display: inline-block; min-width: 1.6rem; color: var(--accent); font-weight: 700; }
.meta { color: var(--muted); font-size: .88rem; margin: 0 0 .5rem; }
.why-here { background: var(--soft); border-radius: 6px; padding: .35rem .6rem; margin: .3rem 0 .6rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem .8rem; margin: .4rem 0; }
dt { font-weight: 600; } dd { margin: 0; }
details { margin-top: .5rem; } summary { cursor: pointer; color: var(--accent); }
ul.reasons, ul.reasons ul { margin: .3rem 0; padding-left: 1.2rem; }
.cite, .src { color: var(--muted); font-size: .85rem; }
.held li { margin-bottom: .3rem; }
svg { width: 100%; height: auto; }
.notes { color: var(--muted); font-size: .9rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  details > *:not(summary) { display: block; }
  summary { display: none; }
  .action { border-color: #bbb; }
}
"""


def render_html(
    result: Result,
    plan: Plan | None = None,
    progress: list[dict[str, Any]] | None = None,
    review: tuple[str, list[tuple[str, str, list[str], str]]] | None = None,
) -> str:
    """The report as one HTML document: the ranked actions, then the roadmap timeline if a plan is given.

    ``review`` (a summary line and sections of items, from :mod:`.reviews`) puts what
    changed since the last review first; ``progress`` (a person's review rows, from
    :func:`goalpath.store.history.history_rows`) adds a chart of each indicator across the
    reviews.
    """
    result = printable_model(result)
    plan = printable_model(plan) if plan is not None else None
    who = f" for {escape(result.profile.name)}" if result.profile.name else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Next actions{who}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>Next actions{who}</h1>",
        f'<p class="goal">{escape(goal_line(result))}</p>',
    ]
    if review is not None:
        summary, sections = review
        parts.append(f"<p>{escape(printable(summary))}</p>")
        for heading, _, items, closing in sections:
            parts += [f"<h2>{escape(printable(heading))}</h2>", "<ul>"]
            parts += [f"<li>{escape(printable(item))}</li>" for item in items]
            parts.append("</ul>")
            if closing:
                parts.append(f"<p>{escape(printable(closing))}</p>")
    if progress:
        parts += ["<h2>Progress over your reviews</h2>", *progress_charts(progress)]
    if plan is not None:
        parts += ["<h2>Roadmap</h2>", timeline_svg(plan)]
        if plan.notes:
            parts.append('<p class="notes">' + " ".join(escape(n) for n in plan.notes) + "</p>")
    if not result.recommendations:
        parts.append("<p>No actions to recommend: the rules found nothing this profile needs next.</p>")
    tier = None
    for rec in result.recommendations:
        if rec.placement.tier != tier:
            tier = rec.placement.tier
            parts.append(f"<h2>{escape(rec.placement.title)}</h2>")
        parts.append(_action(rec))
    if result.held_back:
        parts += ["<h2>Held back for now</h2>", '<ul class="held">']
        for r in result.held_back:
            why = "; ".join(rule.title for rule in r.held_by) or "other advice scores higher"
            parts.append(f"<li><strong>{escape(r.action.title)}</strong>: {escape(why)}.</li>")
        parts.append("</ul>")
    parts += [
        f"<footer>Made by goalpath with {escape(packs_phrase(result.rules))}, "
        f"as of {result.profile.as_of.isoformat()}.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _action(rec: Recommendation) -> str:
    a, s = rec.action, rec.score
    step = f" · {escape(a.step.framework)} step {a.step.order}" if a.step else ""
    reasons = "".join(_reason(r) for r in rec.reasons)
    score = "".join(f"<li>{escape(line)}</li>" for line in score_words(s))
    return (
        '<section class="action">'
        f'<h3><span class="rank">{rec.rank}.</span> {escape(a.title)}</h3>'
        f'<p class="meta">Effort {escape(a.effort)}{step} · score {s.total:.2f}</p>'
        f'<p class="why-here">{escape(rec.placement.note)}</p>'
        f"<dl><dt>Do</dt><dd>{escape(a.do)}</dd><dt>Evidence</dt><dd>{escape(a.evidence)}</dd>"
        f"<dt>Done when</dt><dd>{escape(a.done_when)}</dd></dl>"
        f'<details><summary>Why, and how the score is made</summary><ul class="reasons">{reasons}</ul>'
        f"<p><strong>Score {s.total:.2f}</strong></p><ul>{score}</ul></details>"
        "</section>"
    )


def _reason(reason: Reason) -> str:
    rule = reason.rule
    seen = ""
    if reason.matched:
        words = "; ".join(matched(m.field, m.measure, m.value) for m in reason.matched)
        seen = f"<br>Seen: {escape(words[0].upper() + words[1:])}."
    via = ""
    for step in reason.via:
        deeper = "".join(_reason(d) for d in step.derived_by)
        via += f"<li>Because {escape(step.about)}<ul>{deeper}</ul></li>"
    return (
        f'<li>{escape(rule.title)} <span class="src">({escape(rule_source(rule))})</span>'
        f'<br><span class="cite">Article: “{escape(rule.cites)}”</span>{seen}'
        f"{'<ul>' + via + '</ul>' if via else ''}</li>"
    )


# -- the timeline ---------------------------------------------------------------------------
_WIDTH, _LEFT, _RIGHT = 900, 130, 20
_ROW, _TOP = 24, 50
_MARKS = {
    "milestone": ("#2f5bd3", "circle", "milestone"),
    "rest": ("#2e9d6a", "circle", "rest"),
    "reward": ("#e0a100", "star", "reward"),
    "quarterly-review": ("#5b6478", "diamond", "quarterly review"),
    "yearly-reevaluation": ("#b0407a", "diamond", "yearly re-evaluation"),
}


def timeline_svg(plan: Plan) -> str:
    """The plan as an inline SVG: quarters, a row per framework step, and the checkpoints."""
    plan = printable_model(plan)
    start, end = plan.start, max(plan.end, plan.start + dt.timedelta(days=1))
    span = (end - start).days

    def x(day: dt.date) -> float:
        return _LEFT + (min(max(day, start), end) - start).days / span * (_WIDTH - _LEFT - _RIGHT)

    steps = [i for q in plan.quarters for i in q.items if i.action.step and i.action.step.framework in plan.frameworks]
    steps.sort(key=lambda i: (plan.frameworks.index(i.action.step.framework), i.start, i.action.step.order))  # type: ignore[union-attr]
    checkpoints = [c for q in plan.quarters for c in q.checkpoints]
    marks_y = _TOP + _ROW * len(steps) + 8
    height = marks_y + 56
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-label="Roadmap from {start.isoformat()} to {end.isoformat()}" font-family="system-ui, sans-serif">',
        f"<title>Roadmap from {start.isoformat()} to {end.isoformat()}</title>",
    ]
    for q in plan.quarters:
        x0, x1 = x(q.start), x(min(q.end + dt.timedelta(days=1), end))
        fill = "#f1f4fb" if q.number % 2 else "#fafbfe"
        out.append(f'<rect x="{x0:.1f}" y="22" width="{x1 - x0:.1f}" height="{marks_y - 8}" fill="{fill}"/>')
        out.append(
            f'<text x="{(x0 + x1) / 2:.1f}" y="15" font-size="11" text-anchor="middle" fill="#5b6478">'
            f"Q{q.number} · {q.start.strftime('%b %Y')}</text>"
        )
    for n, item in enumerate(steps):
        out.append(_bar(item, x, _TOP + _ROW * n))
    out.append(f'<text x="8" y="{marks_y + 4}" font-size="12" font-weight="600" fill="#1d2433">Checkpoints</text>')
    for checkpoint in checkpoints:
        out.append(
            _mark(checkpoint.kind, x(checkpoint.date), marks_y, f"{checkpoint.date.isoformat()}: {checkpoint.title}")
        )
    if plan.deadline and start <= plan.deadline <= end:
        dx = x(plan.deadline)
        out.append(
            f'<line x1="{dx:.1f}" y1="22" x2="{dx:.1f}" y2="{marks_y + 12}" stroke="#b0407a" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{dx - 4:.1f}" y="{marks_y + 26}" font-size="11" text-anchor="end" fill="#b0407a">'
            f"deadline {plan.deadline.isoformat()}</text>"
        )
    legend_x = _LEFT
    for kind, (_, _, words) in _MARKS.items():
        out.append(_mark(kind, legend_x + 6, height - 12, words))
        out.append(f'<text x="{legend_x + 16}" y="{height - 8}" font-size="11" fill="#5b6478">{escape(words)}</text>')
        legend_x += 24 + 7 * len(words)
    out.append("</svg>")
    return "\n".join(out)


def _bar(item: PlanItem, x, y: float) -> str:  # type: ignore[no-untyped-def]
    step = item.action.step
    months = max(item.lead_time_months, 1.0)
    stop = item.start + dt.timedelta(days=round(months * 30.4))
    x0, x1 = x(item.start), x(stop)
    color = "#2f5bd3" if item.now else "#9fb3ea"
    title = escape(f"{item.action.title} (from {item.start.isoformat()})")
    name = escape(f"{step.framework} {step.order}") if step else ""
    words = escape(item.action.title if len(item.action.title) <= 60 else item.action.title[:57] + "…")
    anchor, tx = ("start", x1 + 6) if x1 < _WIDTH - 330 else ("end", x0 - 6)
    return (
        f'<g><title>{title}</title><text x="8" y="{y + 4}" font-size="12" fill="#1d2433">{name}</text>'
        f'<rect x="{x0:.1f}" y="{y - 7}" width="{max(x1 - x0, 4):.1f}" height="14" rx="4" fill="{color}"/>'
        f'<text x="{tx:.1f}" y="{y + 4}" font-size="11" text-anchor="{anchor}" fill="#3a4256">{words}</text></g>'
    )


def _mark(kind: str, cx: float, cy: float, label: str) -> str:
    color, shape, _ = _MARKS[kind]
    if shape == "circle":
        body = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{color}"/>'
    elif shape == "diamond":
        points = f"{cx:.1f},{cy - 6:.1f} {cx + 6:.1f},{cy:.1f} {cx:.1f},{cy + 6:.1f} {cx - 6:.1f},{cy:.1f}"
        body = f'<polygon points="{points}" fill="white" stroke="{color}" stroke-width="2"/>'
    else:
        star = [(0, -7), (2, -2), (7, -2), (3, 2), (5, 7), (0, 4), (-5, 7), (-3, 2), (-7, -2), (-2, -2)]
        points = " ".join(f"{cx + dx:.1f},{cy + dy:.1f}" for dx, dy in star)
        body = f'<polygon points="{points}" fill="{color}"/>'
    return f"<g><title>{escape(label)}</title>{body}</g>"


def render_progress_html(person: str, rows: list[dict[str, Any]]) -> str:
    """A page of charts: each indicator's value at each review, against its target."""
    who = escape(printable(person))
    dates = f"{len(rows)} reviews, from {rows[0]['date']} to {rows[-1]['date']}." if rows else "No reviews yet."
    return (
        "\n".join(
            [
                "<!DOCTYPE html>",
                '<html lang="en">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>Progress of {who}</title>",
                f"<style>{_CSS}</style>",
                "</head>",
                "<body>",
                f"<h1>Progress of {who}</h1>",
                f'<p class="goal">{escape(dates)}</p>',
                *progress_charts(rows),
                "<footer>Made by goalpath from the review store.</footer>",
                "</body>",
                "</html>",
            ]
        )
        + "\n"
    )


def progress_charts(rows: list[dict[str, Any]]) -> list[str]:
    """One titled SVG line chart per indicator measured at some review: its values, and its target dashed."""
    from .reviews import indicator_series

    out = []
    for name, values, target in indicator_series(rows):
        if all(v is None for v in values):
            continue
        out.append(f"<h3>{escape(printable(name))}</h3>")
        out.append(_progress_svg(name, [row["date"] for row in rows], values, target))
    return out


def _progress_svg(name: str, dates: list[str], values: list[float | None], target: float | None) -> str:
    width, height, left, right, top, bottom = 640, 170, 48, 16, 14, 34
    high = max([v for v in values if v is not None] + ([target] if target is not None else []) + [0]) or 1
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (plot_w * i / (len(values) - 1) if len(values) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / high)

    label = escape(printable(name))
    parts = [
        f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="{label}: value at each review">',
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#d9dee8"/>',
        f'<text x="{left - 6}" y="{y(0) + 4:.1f}" font-size="11" text-anchor="end" fill="#5b6478">0</text>',
        f'<text x="{left - 6}" y="{y(high) + 4:.1f}" font-size="11" text-anchor="end" fill="#5b6478">'
        f"{value_words(high)}</text>",
    ]
    if target is not None:
        parts.append(
            f'<line x1="{left}" y1="{y(target):.1f}" x2="{width - right}" y2="{y(target):.1f}" stroke="#2f5bd3" '
            f'stroke-dasharray="5 4"/><text x="{width - right}" y="{y(target) - 5:.1f}" font-size="11" '
            f'text-anchor="end" fill="#2f5bd3">target {value_words(target)}</text>'
        )
    points = [(x(i), y(v), v) for i, v in enumerate(values) if v is not None]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1d2433" stroke-width="2"/>')
    for px, py, v in points:
        parts.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="#1d2433"><title>{value_words(v)}</title></circle>'
        )
    for i, day in enumerate(dates):
        anchor = "start" if i == 0 and len(dates) > 1 else "end" if i == len(dates) - 1 and len(dates) > 1 else "middle"
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 12}" font-size="11" text-anchor="{anchor}" fill="#5b6478">{day}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
