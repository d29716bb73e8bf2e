"""Turning a trace into explanations: which rules, which profile values, which chain."""

from __future__ import annotations

from .profile import PRIORITY_WORDS, Profile
from .ranking import Scored
from .results import FactStep, MatchedValue, Placement, Reason, RuleRef
from .rules import TIER_TITLES, Rule, RulePack
from .session import DerivedFact, Firing, Trace

#: What each tier means, as the first half of a placement note.
TIER_MEANING = {
    "fix-first": "Comes before anything else",
    "start-here": "The next step for your main priority",
    "alongside": "Starts this quarter alongside the first step",
    "this-quarter": "Worth doing this quarter",
    "keep-up": "Keeps the goal on track",
}


def rule_ref(rule: Rule, pack: RulePack) -> RuleRef:
    return RuleRef(id=rule.id, title=rule.title, source=str(rule.at), cites=rule.cites, pack=pack.pack_of(rule.at))


def reason(firing: Firing, trace: Trace, pack: RulePack, _seen: frozenset[DerivedFact] = frozenset()) -> Reason:
    """The explanation of one firing, following derived facts back to the profile.

    A fact already being explained further up the chain is not expanded again, so
    facts that support each other cannot loop.
    """
    via = []
    for fact in firing.matched:
        if fact in _seen:
            continue
        seen = _seen | {fact}
        via.append(
            FactStep(
                fact=fact.label(),
                about=pack.fact_type(fact.name).about,
                derived_by=[reason(f, trace, pack, seen) for f in trace.derivations(fact)],
            )
        )
    matched = [MatchedValue(field=v.field, measure=v.measure, value=v.value) for v in firing.values]  # type: ignore[arg-type]
    return Reason(rule=rule_ref(pack.rule(firing.rule_id), pack), matched=matched, via=via)


def depth(r: Reason) -> int:
    """How many rules deep a reason's chain goes (1 for a rule on the profile alone)."""
    return 1 + max((depth(d) for step in r.via for d in step.derived_by), default=0)


def placement(item: Scored, profile: Profile, pack: RulePack) -> Placement:
    """Why an action is ranked in its tier, in one or two sentences."""
    rule = item.tier_rule
    if item.demoted:
        served = " or ".join(PRIORITY_WORDS[p] for p in item.action.priorities)
        main = PRIORITY_WORDS[profile.goal.priority]
        note = f"{TIER_MEANING[item.tier]}: it serves {served}, and your main priority is {main}."
    else:
        note = f"{TIER_MEANING[item.tier]}. {_sentence(rule.title)}"
    return Placement(tier=item.tier, title=TIER_TITLES[item.tier], rule=rule_ref(rule, pack), note=note)  # type: ignore[arg-type]


def _sentence(title: str) -> str:
    """A rule title as a sentence, ending with a full stop."""
    return title if title.endswith((".", "?", "!")) else title + "."
