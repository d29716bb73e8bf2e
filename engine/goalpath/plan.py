"""The goal as a dated roadmap: this quarter's work, the later framework steps, and checkpoints.

How a plan is made (also in the README, "goalpath plan"):

* the plan runs from the as-of date to the deadline (the start, or the profile's as-of
  date, plus the horizon), split into quarters; a goal with no horizon is planned a year
  ahead, and one whose deadline has passed a quarter ahead, with a note saying so;
* every action recommended now goes in the first quarter;
* each framework of the pack (its ``frameworks`` section) adds its steps that are still
  open and not recommended yet. A step starts when the step before it has had its time
  (the lead times of its actions, one after another, at least a month each), or, if it
  may start alongside an earlier step (``starts_with``), together with that step; a
  step's actions follow one another in catalog order;
* the profile's own checkpoints (milestones, rest and rewards) keep their dates;
* every three months from the as-of date comes a quarterly review that names the
  milestones of that quarter and the leading and lagging indicators to look at, with a
  rest or reward for the milestones met when the profile has planned none; a goal of
  more than a year gets its yearly re-evaluation.
"""

from __future__ import annotations

import datetime as dt

from .profile import Checkpoint, add_months
from .results import ActionInfo, Plan, PlanCheckpoint, PlanItem, Quarter, Result
from .rules import Action, RulePack
from .session import Evaluation
from .whynot import undoes_evidence, why_not

#: How far ahead a goal with no horizon is planned, and how long any step takes at least.
DEFAULT_MONTHS = 12
MIN_STEP_MONTHS = 1.0


def build_plan(evaluation: Evaluation, pack: RulePack, result: Result) -> Plan:
    """The dated roadmap of an evaluation, with ``result`` (all its actions) as this quarter's work."""
    profile, as_of = evaluation.profile, evaluation.as_of
    goal = profile.goal
    notes: list[str] = []
    deadline = add_months(goal.started or as_of, goal.horizon_months) if goal.horizon_months else None
    if deadline is None:
        end = add_months(as_of, DEFAULT_MONTHS)
        notes.append("The goal has no horizon, so this plan covers the next twelve months.")
    elif deadline <= as_of:
        end = add_months(as_of, 3)
        notes.append(f"The deadline ({deadline.isoformat()}) has passed, so this plan covers the next quarter.")
    else:
        end = deadline
    if goal.horizon_months and goal.started is None:
        notes.append("The profile has no start date or as_of, so the deadline counts from today and moves with it.")

    items = [_item(rec.action, as_of, as_of, end, rank=rec.rank) for rec in result.recommendations]
    recommended = {rec.action.id for rec in result.recommendations}
    for start, action in _later_steps(evaluation, pack, recommended):
        items.append(_item(ActionInfo.model_validate(action), max(start, as_of), as_of, end, rank=None))

    checkpoints = [_from_profile(c) for c in goal.checkpoints if not c.done and as_of <= c.due <= end]
    checkpoints += _reviews(evaluation, end)
    if goal.horizon_months and goal.horizon_months > 12 and add_months(as_of, 12) <= end:
        checkpoints.append(
            PlanCheckpoint(
                date=add_months(as_of, 12),
                kind="yearly-reevaluation",
                title="Re-evaluate the goal itself",
                details=[
                    "Is this still the right goal? Have your priorities, family plans or the market changed?",
                    "If they have, change the plan without guilt.",
                ],
                from_profile=False,
            )
        )

    quarters = []
    number, start = 1, as_of
    while start < end:
        stop = min(add_months(as_of, 3 * number), end)
        last = stop - dt.timedelta(days=1) if stop < end else end
        quarters.append(
            Quarter(
                number=number,
                start=start,
                end=last,
                items=sorted((i for i in items if start <= i.start <= last), key=_item_order),
                checkpoints=sorted((c for c in checkpoints if start <= c.date <= last), key=_checkpoint_order),
            )
        )
        number, start = number + 1, stop
    return Plan(
        profile=result.profile,
        rules=result.rules,
        start=as_of,
        deadline=deadline,
        end=end,
        frameworks=[f.name for f in pack.frameworks],
        notes=notes,
        quarters=quarters,
    )


def _item(action: ActionInfo, start: dt.date, as_of: dt.date, end: dt.date, *, rank: int | None) -> PlanItem:
    months = (start.year - as_of.year) * 12 + start.month - as_of.month - (start.day < as_of.day)
    return PlanItem(
        action=action,
        start=start,
        lead_time_months=action.lead_time_months,
        quarter=months // 3 + 1,
        now=rank is not None,
        rank=rank,
        after_deadline=start > end,
    )


def _later_steps(evaluation: Evaluation, pack: RulePack, recommended: set[str]) -> list[tuple[dt.date, Action]]:
    """(start date, action) for each open framework step not recommended this quarter."""
    as_of = evaluation.as_of
    out: list[tuple[dt.date, Action]] = []
    for framework in pack.frameworks:
        open_steps = sorted(
            {dict(f.attributes)["step"] for f in evaluation.trace.facts if f.name == framework.open_fact}
        )
        started: dict[int, dt.date] = {}  # when each step started
        done_by: dt.date | None = None  # when the steps so far have had their time
        for order in open_steps:
            actions = [
                a
                for a in pack.actions
                if a.step
                and a.step.framework == framework.name
                and a.step.order == order
                and _still_to_do(a, evaluation, pack)
            ]
            now = [a for a in actions if a.id in recommended]
            # Recommended actions take their time first; the step's other actions follow, one
            # after another, each no earlier than the step it may start alongside allows.
            step_end = _after(as_of, max(a.lead_time_months for a in now)) if now else None
            starts = [as_of] if now else []
            for action in (a for a in actions if a.id not in recommended):
                ready = done_by or as_of
                if action.step and action.step.starts_with < order and action.step.starts_with in started:
                    ready = min(ready, started[action.step.starts_with])
                begin = max(ready, step_end) if step_end else ready
                out.append((begin, action))
                starts.append(begin)
                step_end = _after(begin, action.lead_time_months)
            if starts:
                started[order] = min(starts)
                done_by = max(step_end or as_of, done_by or as_of)
    return out


def _still_to_do(action: Action, evaluation: Evaluation, pack: RulePack) -> bool:
    """False for a framework action whose evidence the profile already has (its rules would need it undone)."""
    answer = why_not(action.id, evaluation, pack, depth=0)
    return any(rc.fired or not any(undoes_evidence(u.check, u.negated) for u in rc.unmet) for rc in answer.rules)


def _after(start: dt.date, months: float) -> dt.date:
    whole = max(MIN_STEP_MONTHS, months)
    return add_months(start, int(whole)) + dt.timedelta(days=round((whole - int(whole)) * 30))


def _from_profile(checkpoint: Checkpoint) -> PlanCheckpoint:
    details = [f"Met when: {checkpoint.indicator}"] if checkpoint.indicator else []
    return PlanCheckpoint(
        date=checkpoint.due, kind=checkpoint.kind, title=checkpoint.name, details=details, from_profile=True
    )


def _reviews(evaluation: Evaluation, end: dt.date) -> list[PlanCheckpoint]:
    """A review every three months: the quarter's milestones, the indicators, and a reward."""
    profile, as_of = evaluation.profile, evaluation.as_of
    leading = [i.name for i in profile.indicators.leading]
    lagging = [i.name for i in profile.indicators.lagging]
    out = []
    number = 1
    while add_months(as_of, 3 * (number - 1)) < end:
        # On the last day of each quarter (the deadline itself for the last one).
        day = min(add_months(as_of, 3 * number) - dt.timedelta(days=1), end)
        since = add_months(as_of, 3 * (number - 1))
        due = [c for c in profile.goal.checkpoints if since <= c.due <= day]
        milestones = [c.name for c in due if c.kind == "milestone"]
        rested = any(c.kind in ("rest", "reward") for c in due)
        details = [
            "Compare what you achieved with your milestones"
            + (f" ({'; '.join(milestones)})" if milestones else "")
            + ". Change any action that is not producing evidence.",
        ]
        if leading or lagging:
            if leading:
                details.append("Leading indicators to look at: " + "; ".join(leading) + ".")
            if lagging:
                details.append("Lagging indicators to look at: " + "; ".join(lagging) + ".")
        else:
            details.append(
                "Choose the indicators you will look at: three to five signs of progress, one or two results."
            )
        if not rested:
            details.append("Name each milestone you met, and take a rest or reward for it.")
        out.append(
            PlanCheckpoint(
                date=day,
                kind="quarterly-review",
                title=f"Quarterly review {number}",
                details=details,
                from_profile=False,
            )
        )
        number += 1
    return out


def _item_order(item: PlanItem) -> tuple:
    later = item.action.step.order if item.action.step else 100
    return (item.start, not item.now, item.rank if item.rank is not None else later, item.action.id)


def _checkpoint_order(checkpoint: PlanCheckpoint) -> tuple:
    return (checkpoint.date, not checkpoint.from_profile, checkpoint.title)
