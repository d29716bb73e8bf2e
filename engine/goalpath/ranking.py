"""Ordering recommended actions: tiers first, then the score within a tier.

The policy (docs/rule-language.md, "Ranking"):

* every recommendation names a tier (``fix-first``, ``start-here``, ``this-quarter``,
  ``keep-up``): the rule's own, else the action's catalog tier. An action is ranked in
  the best tier any of its reasons gives it;
* ``start-here`` and ``alongside`` are built around the goal's main priority: an action
  placed in one of them that serves only other priorities drops one tier (start-here to
  alongside, alongside to this-quarter);
* within a tier, ``score = impact × urgency × fit / effort`` of the action's best reason,
  plus every boost and suppression aimed at it, each rule counted once;
* an action some rule holds back, or whose score is 0 or below, is not ranked but
  listed as held back.

Ties are broken by impact (high first), effort (low first), the action's framework step
(earlier first; an action outside any framework last), then action id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .profile import Profile, add_months, months_between
from .rules import EFFORT_POINTS, TIERS, Action, Adjust, Hold, Recommend, Rule, RulePack

FIT_PRIMARY = 1.5
FIT_SECONDARY = 1.25
FIT_ANY = 1.0
FIT_OTHER = 0.75
MIN_MONTHS_LEFT = 0.5
#: Tiers built around the goal's main priority (see the module docstring).
_AROUND_MAIN_PRIORITY = ("start-here", "alongside")


def months_left(profile: Profile, as_of: dt.date) -> float | None:
    """Months from ``as_of`` to the nearer of the goal's deadline and its next open milestone.

    Rest and reward checkpoints are planned around the work, so they set no deadline for it.
    """
    goal = profile.goal
    dates = [c.due for c in goal.checkpoints if not c.done and c.kind == "milestone"]
    if goal.horizon_months is not None:
        dates.append(add_months(goal.started or as_of, goal.horizon_months))
    if not dates:
        return None
    return max(MIN_MONTHS_LEFT, months_between(as_of, min(dates)))


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
    """An action's place in the ranking and its score parts, before they become a result."""

    action: Action
    tier: str
    tier_rule: Rule  # the rule whose recommendation put the action in its tier
    demoted: bool  # placed in start-here or alongside, but it serves only other priorities (one tier down)
    impact: int
    urgency: float
    fit: float
    effort: int
    base: float
    adjustments: tuple[tuple[Rule, float], ...]
    held_by: tuple[Rule, ...]
    months_left: float | None

    @property
    def total(self) -> float:
        return round(self.base + sum(points for _, points in self.adjustments), 2)

    @property
    def held(self) -> bool:
        return bool(self.held_by) or self.total <= 0

    def rank_key(self) -> tuple:
        step = self.action.step.order if self.action.step else 100
        return (TIERS.index(self.tier), -self.total, -self.impact, self.effort, step, self.action.id)


def score(
    action: Action,
    recommended_by: list[tuple[Rule, Recommend]],
    adjusted_by: list[tuple[Rule, Adjust]],
    held_by: list[tuple[Rule, Hold]],
    profile: Profile,
    left: float | None,
) -> Scored:
    """Place and score one action from every rule that recommended, adjusted or held it."""
    u, f, e = urgency(action, left), fit(action, profile), EFFORT_POINTS[action.effort]
    impact = max((rec.impact or action.impact) for _, rec in recommended_by)
    base = round(impact * u * f / e, 2)
    tier_rule, tier = min(
        ((rule, rec.tier or action.tier) for rule, rec in recommended_by),
        key=lambda pair: (TIERS.index(pair[1]), pair[0].id),
    )
    demoted = tier in _AROUND_MAIN_PRIORITY and f not in (FIT_PRIMARY, FIT_ANY)
    seen: dict[str, tuple[Rule, float]] = {}
    for rule, adj in adjusted_by:
        seen.setdefault(rule.id, (rule, adj.points))
    adjustments = tuple(seen[k] for k in sorted(seen))
    holds = tuple(sorted({rule.id: rule for rule, _ in held_by}.values(), key=lambda r: r.id))
    return Scored(
        action,
        TIERS[TIERS.index(tier) + 1] if demoted else tier,
        tier_rule,
        demoted,
        impact,
        round(u, 2),
        f,
        e,
        base,
        adjustments,
        holds,
        left,
    )


def rank(rule_ids: Iterable[str], pack: RulePack, profile: Profile, as_of: dt.date) -> list[Scored]:
    """Every action recommended by the rules that fired, placed, scored and in rank order.

    ``rule_ids`` are the rules of a trace's firings, in trace order. Held-back actions
    are included; callers split them off with :attr:`Scored.held`.
    """
    recommended: dict[str, list[tuple[Rule, Recommend]]] = {}
    adjusted: dict[str, list[tuple[Rule, Adjust]]] = {}
    held: dict[str, list[tuple[Rule, Hold]]] = {}
    for rule_id in rule_ids:
        rule = pack.rule(rule_id)
        for effect in rule.then:
            if isinstance(effect, Recommend):
                recommended.setdefault(effect.action, []).append((rule, effect))
            elif isinstance(effect, Adjust):
                adjusted.setdefault(effect.action, []).append((rule, effect))
            elif isinstance(effect, Hold):
                held.setdefault(effect.action, []).append((rule, effect))
    left = months_left(profile, as_of)
    return sorted(
        (
            score(pack.action(a), recs, adjusted.get(a, []), held.get(a, []), profile, left)
            for a, recs in recommended.items()
        ),
        key=Scored.rank_key,
    )
