"""Turning an evaluation into advice: place, score, rank and explain what the rules recommended.

This is the stage between the trace (what fired) and the result (what a person reads):
:func:`ranking.rank` orders the recommended actions, :mod:`explain` says why, and
:func:`build_result` assembles the typed :class:`results.Result`.
"""

from __future__ import annotations

from .explain import placement, reason, rule_ref
from .profile import Profile
from .ranking import Scored, rank
from .results import (
    ActionInfo,
    Adjustment,
    Explanation,
    PackInfo,
    PackSummary,
    ProfileSummary,
    Reason,
    Recommendation,
    Result,
    RuleCheckInfo,
    Score,
    Stats,
    Unmet,
)
from .rules import Recommend, RulePack
from .session import Evaluation, Firing, Trace, effects
from .whynot import why_not


def build_result(evaluation: Evaluation, pack: RulePack, *, top: int | None = None) -> Result:
    """The ranked, explained actions of an evaluation (at most ``top`` shown).

    Explanations are built only for what the result returns: the shown actions and the
    held-back ones.
    """
    trace, profile = evaluation.trace, evaluation.profile
    scored = rank((f.rule_id for f in trace.firings), pack, profile, evaluation.as_of)
    shown = [item for item in scored if not item.held]
    visible = shown if top is None else shown[:top]
    held = [item for item in scored if item.held]
    reasons = _Reasons(trace, pack)
    return Result(
        profile=ProfileSummary(
            name=profile.name,
            priority=profile.goal.priority,
            secondary_priority=profile.goal.secondary_priority,
            outcome=profile.goal.outcome,
            current_role=profile.goal.current_role,
            horizon_months=profile.goal.horizon_months,
            as_of=evaluation.as_of,
        ),
        rules=pack_summary(pack),
        recommendations=[
            recommendation(n, item, reasons.of(item.action.id), profile, pack) for n, item in enumerate(visible, 1)
        ],
        not_shown=len(shown) - len(visible),
        held_back=[
            recommendation(n, item, reasons.of(item.action.id), profile, pack) for n, item in enumerate(held, 1)
        ],
        stats=Stats(firings=len(trace.firings), derived_facts=len(trace.facts)),
    )


def pack_summary(pack: RulePack) -> PackSummary:
    """The stack of packs a result came from: each with its version and content hash."""
    return PackSummary(
        name=pack.name,
        version=pack.version,
        files=list(pack.files),
        rules=len(pack.rules),
        actions=len(pack.actions),
        packs=[PackInfo(name=p.name, version=p.version, sha256=p.sha256, files=list(p.files)) for p in pack.layers],
    )


def recommendation(rank_: int, item: Scored, reasons: list[Reason], profile: Profile, pack: RulePack) -> Recommendation:
    """One ranked action with its placement, score breakdown and reasons."""
    return Recommendation(
        rank=rank_,
        action=ActionInfo.model_validate(item.action),
        placement=placement(item, profile, pack),
        score=Score(
            total=item.total,
            base=item.base,
            impact=item.impact,
            urgency=item.urgency,
            fit=item.fit,
            effort=item.effort,
            months_left=None if item.months_left is None else round(item.months_left, 1),
            adjustments=[Adjustment(rule=rule_ref(rule, pack), points=points) for rule, points in item.adjustments],
        ),
        reasons=reasons,
        held_by=[rule_ref(rule, pack) for rule in item.held_by],
    )


class _Reasons:
    """The reasons for each recommended action, in pack order, built on demand."""

    def __init__(self, trace: Trace, pack: RulePack) -> None:
        self.trace, self.pack = trace, pack
        self.by_action: dict[str, dict[str, Firing]] = {}
        for firing in trace.firings:
            for effect in effects(firing, pack):
                if isinstance(effect, Recommend):
                    self.by_action.setdefault(effect.action, {}).setdefault(firing.rule_id, firing)

    def of(self, action_id: str) -> list[Reason]:
        firings = self.by_action[action_id]
        return [reason(firings[r], self.trace, self.pack) for r in sorted(firings, key=self.pack.position)]


def explain_action(evaluation: Evaluation, pack: RulePack, action_id: str) -> Explanation:
    """Why one action is recommended, held back or not recommended, with every rule that could
    recommend it checked, nearest first, and the change to the profile each still needs.

    Raises:
        KeyError: ``action_id`` is not an action of the pack (nor a retired one).
    """
    action = pack.action(action_id)
    result = build_result(evaluation, pack)
    shown = {r.action.id: r for r in result.recommendations}
    held = {r.action.id: r for r in result.held_back}
    answer = why_not(action.id, evaluation, pack)
    status = "recommended" if action.id in shown else "held-back" if action.id in held else "not-recommended"
    return Explanation(
        profile=result.profile,
        rules=result.rules,
        action=ActionInfo.model_validate(action),
        status=status,  # type: ignore[arg-type]
        recommendation=shown.get(action.id) or held.get(action.id),
        rule_checks=[
            RuleCheckInfo(
                rule=rule_ref(rc.rule, pack),
                fired=rc.fired,
                unmet=[
                    Unmet(field=u.field, seen=_plain(u.check.seen), change=u.change, waits_for=list(u.waits_for))
                    for u in rc.unmet
                ],
            )
            for rc in answer.rules
        ],
    )


def _plain(value: object) -> object:
    """A value seen, as JSON-ready data (matching derived facts become their labels)."""
    if isinstance(value, tuple):
        return [getattr(v, "label", lambda v=v: v)() for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[attr-defined]
    return value
