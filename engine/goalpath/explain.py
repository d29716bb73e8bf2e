"""Turning a trace into explanations: which rules, which profile values, which chain."""

from __future__ import annotations

from .results import FactStep, MatchedValue, Reason, RuleRef
from .rules import Rule, RulePack
from .session import DerivedFact, Firing, Trace


def rule_ref(rule: Rule) -> RuleRef:
    return RuleRef(id=rule.id, title=rule.title, source=str(rule.at), cites=rule.cites)


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
    matched = [MatchedValue(field=path, value=value) for path, value in firing.profile_values]
    return Reason(rule=rule_ref(firing.rule), matched=matched, via=via)


def depth(r: Reason) -> int:
    """How many rules deep a reason's chain goes (1 for a rule on the profile alone)."""
    return 1 + max((depth(d) for step in r.via for d in step.derived_by), default=0)
