"""Scoring and ranking recommended actions (the formula is in docs/rule-language.md).

``base = impact × urgency × fit / effort`` for each reason an action is recommended;
an action's score is its best base plus every boost and suppression aimed at it, each
rule counted once. Ranked by score (high first), impact (high), effort (low), then id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .profile import Profile
from .rules import EFFORT_POINTS, Action, Adjust, Recommend, Rule

FIT_PRIMARY = 1.5
FIT_SECONDARY = 1.25
FIT_ANY = 1.0
FIT_OTHER = 0.75
MIN_MONTHS_LEFT = 0.5
_DAYS_PER_MONTH = 365.25 / 12


def months_left(profile: Profile, as_of: dt.date) -> float | None:
    """Months from ``as_of`` to the nearer of the goal's deadline and next open checkpoint."""
    goal = profile.goal
    dates = [c.due for c in goal.checkpoints if not c.done]
    if goal.horizon_months is not None:
        start = goal.started or as_of
        month = start.month - 1 + goal.horizon_months
        year, month = start.year + month // 12, month % 12 + 1
        day = min(start.day, 28)
        dates.append(dt.date(year, month, day))
    if not dates:
        return None
    return max(MIN_MONTHS_LEFT, (min(dates) - as_of).days / _DAYS_PER_MONTH)


def urgency(action: Action, left: float | None) -> float:
    if left is None or action.lead_time_months <= 0:
        return 1.0
    return 1.0 + min(1.0, action.lead_time_months / left)


def fit(action: Action, profile: Profile) -> float:
    if not action.priorities:
        return FIT_ANY
    if profile.goal.priority in action.priorities:
        return FIT_PRIMARY
    if profile.goal.secondary_priority in action.priorities:
        return FIT_SECONDARY
    return FIT_OTHER


@dataclass(frozen=True)
class Scored:
    """An action's score parts before they become a result."""

    action: Action
    impact: int
    urgency: float
    fit: float
    effort: int
    base: float
    adjustments: tuple[tuple[Rule, float], ...]

    @property
    def total(self) -> float:
        return round(self.base + sum(points for _, points in self.adjustments), 2)

    def rank_key(self) -> tuple:
        return (-self.total, -self.impact, self.effort, self.action.id)


def score(
    action: Action,
    recommended_by: list[tuple[Rule, Recommend]],
    adjusted_by: list[tuple[Rule, Adjust]],
    profile: Profile,
    left: float | None,
) -> Scored:
    """Score one action from every rule that recommended or adjusted it."""
    u, f, e = urgency(action, left), fit(action, profile), EFFORT_POINTS[action.effort]
    impact = max((rec.impact or action.impact) for _, rec in recommended_by)
    base = round(impact * u * f / e, 2)
    seen: dict[str, tuple[Rule, float]] = {}
    for rule, adj in adjusted_by:
        seen.setdefault(rule.id, (rule, adj.points))
    adjustments = tuple(seen[k] for k in sorted(seen))
    return Scored(action, impact, round(u, 2), f, e, base, adjustments)
