"""The library API: load a rule pack once, then recommend actions for profiles.

from goalpath import Engine
engine = Engine()                      # the built-in rules, or Engine(["my-rules/"])
result = engine.recommend("me.yaml")   # a path, a dict or a Profile
print(result.to_json())
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .compiler import compile_pack
from .explain import placement, reason, rule_ref
from .loader import load_rules
from .profile import Profile, ProfileSource, load_profile
from .ranking import Scored, rank
from .results import (
    ActionInfo,
    Adjustment,
    PackSummary,
    ProfileSummary,
    Recommendation,
    Result,
    Score,
    Stats,
    StepInfo,
)
from .rules import Recommend, RulePack
from .session import Firing, Session, Trace, effects


@dataclass(frozen=True)
class Evaluation:
    """A profile, the date it was judged at, and the trace of everything that fired."""

    profile: Profile
    as_of: dt.date
    trace: Trace


class Engine:
    """A compiled rule pack, ready to evaluate any number of profiles.

    Build one per rule pack and reuse it: building compiles and registers the pack with
    the rule engine. An engine is safe to use from several threads (evaluations are
    serialised inside; the rule engine itself is single-threaded).

    Raises:
        RulesError: the rule pack has problems (all of them, located).
    """

    def __init__(self, rules: Sequence[str | Path] | RulePack | None = None) -> None:
        self.pack: RulePack = rules if isinstance(rules, RulePack) else load_rules(rules)
        self._session = Session(compile_pack(self.pack))
        self._order = {rule.id: i for i, rule in enumerate(self.pack.rules)}

    def __reduce__(self) -> tuple:
        # The compiled ruleset lives in the C engine and cannot travel between processes:
        # a pickled engine carries its checked pack and compiles it again on arrival.
        return (Engine, (self.pack,))

    def evaluate(self, profile: ProfileSource, *, as_of: dt.date | None = None) -> Evaluation:
        """Run the rules for a profile and return the raw trace.

        ``as_of`` (default: the profile's ``as_of``, else today) is the date checkpoints
        and relative dates are judged against.

        Raises:
            ProfileError: the profile cannot be read or is not valid.
        """
        loaded = load_profile(profile)
        when = as_of or loaded.as_of or dt.date.today()
        return Evaluation(loaded, when, self._session.evaluate(loaded, when))

    def recommend(self, profile: ProfileSource, *, as_of: dt.date | None = None, top: int | None = None) -> Result:
        """Ranked, explained actions for a profile (at most ``top`` of them).

        Raises:
            ProfileError: the profile cannot be read or is not valid.
        """
        evaluation = self.evaluate(profile, as_of=as_of)
        return self.result(evaluation, top=top)

    def result(self, evaluation: Evaluation, *, top: int | None = None) -> Result:
        """Place, score, rank and explain an evaluation."""
        pack, trace, profile = self.pack, evaluation.trace, evaluation.profile
        firings_by_action: dict[str, dict[str, Firing]] = {}
        for firing in trace.firings:
            for effect in effects(firing, pack):
                if isinstance(effect, Recommend):
                    firings_by_action.setdefault(effect.action, {}).setdefault(firing.rule_id, firing)
        scored = rank((f.rule_id for f in trace.firings), pack, profile, evaluation.as_of)
        shown_items = [item for item in scored if not item.held]
        visible = shown_items[:top] if top is not None else shown_items

        def explained(rank: int, item: Scored) -> Recommendation:
            firings = firings_by_action[item.action.id]
            reasons = [reason(firings[r], trace, pack) for r in sorted(firings, key=self._order.__getitem__)]
            return _recommendation(rank, item, reasons, profile)

        # Explanations are built only for what is returned: the shown and the held back.
        shown = [explained(rank, item) for rank, item in enumerate(visible, 1)]
        held = [explained(rank, item) for rank, item in enumerate((i for i in scored if i.held), 1)]
        goal = profile.goal
        return Result(
            profile=ProfileSummary(
                name=profile.name,
                priority=goal.priority,
                secondary_priority=goal.secondary_priority,
                outcome=goal.outcome,
                current_role=goal.current_role,
                horizon_months=goal.horizon_months,
                as_of=evaluation.as_of,
            ),
            rules=PackSummary(files=list(pack.files), rules=len(pack.rules), actions=len(pack.actions)),
            recommendations=shown,
            not_shown=len(shown_items) - len(visible),
            held_back=held,
            stats=Stats(firings=len(trace.firings), derived_facts=len(trace.facts)),
        )


def _recommendation(rank: int, item: Scored, reasons: list, profile: Profile) -> Recommendation:
    a = item.action
    return Recommendation(
        rank=rank,
        action=ActionInfo(
            id=a.id,
            title=a.title,
            do=a.do,
            evidence=a.evidence,
            done_when=a.done_when,
            effort=a.effort,
            impact=a.impact,
            lead_time_months=a.lead_time_months,
            step=StepInfo(framework=a.step.framework, order=a.step.order, starts_with=a.step.starts_with)
            if a.step
            else None,
            priorities=list(a.priorities),
            tier=a.tier,
            source=str(a.at),
        ),
        placement=placement(item, profile),
        score=Score(
            total=item.total,
            base=item.base,
            impact=item.impact,
            urgency=item.urgency,
            fit=item.fit,
            effort=item.effort,
            adjustments=[Adjustment(rule=rule_ref(rule), points=points) for rule, points in item.adjustments],
        ),
        reasons=reasons,
        held_by=[rule_ref(rule) for rule in item.held_by],
    )


def recommend(
    profile: ProfileSource,
    rules: Sequence[str | Path] | None = None,
    *,
    as_of: dt.date | None = None,
    top: int | None = None,
) -> Result:
    """One-off convenience: build an engine for ``rules`` and recommend for ``profile``.

    Build an :class:`Engine` yourself to evaluate many profiles.
    """
    return Engine(rules).recommend(profile, as_of=as_of, top=top)
