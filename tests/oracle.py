"""A deliberately naive reference evaluator of the rule language, for differential tests.

It shares nothing with the durable_rules path but the Python item evaluator: it walks
conditions directly over the profile and a set of derived facts, layer by layer, until
nothing new is derived. If the compiled Rete and this disagree, one of them is wrong.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterator
from typing import Any

from goalpath.predicates import holds
from goalpath.rules import AllOf, AnyOf, Derive, FactTest, FieldTest, ListTest, Not, Ref, RulePack
from goalpath.session import DerivedFact

Env = tuple[dict[str, DerivedFact], tuple[DerivedFact, ...]]


_OPS = {
    "is": operator.eq,
    "is_not": operator.ne,
    "below": operator.lt,
    "at_most": operator.le,
    "above": operator.gt,
    "at_least": operator.ge,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}


def _attr(fact: DerivedFact, name: str) -> Any:
    return dict(fact.attributes)[name]


def _fact_ok(test: FactTest, fact: DerivedFact, env: dict[str, DerivedFact]) -> bool:
    if fact.name != test.name:
        return False
    for t in test.where:
        left = _attr(fact, t.attribute)
        right = _attr(env[t.value.alias], t.value.attribute) if isinstance(t.value, Ref) else t.value
        if not _OPS[t.op](left, right):
            return False
    return True


def _matches(cond, profile, facts: set[DerivedFact], as_of: dt.date, env: Env) -> Iterator[Env]:
    bound, matched = env
    if isinstance(cond, (FieldTest, ListTest)):
        if holds(cond, profile, as_of):
            yield env
    elif isinstance(cond, FactTest):
        for fact in sorted(facts):
            if _fact_ok(cond, fact, bound):
                new = dict(bound)
                if cond.alias:
                    new[cond.alias] = fact
                yield new, matched + (fact,)
    elif isinstance(cond, Not):
        if not any(True for _ in _matches(cond.child, profile, facts, as_of, env)):
            yield env
    elif isinstance(cond, AnyOf):
        for child in cond.children:
            yield from _matches(child, profile, facts, as_of, env)
    elif isinstance(cond, AllOf):
        # Facts that bind aliases first, joins next, everything else last.
        def order(c):
            if isinstance(c, FactTest):
                return 1 if any(isinstance(t.value, Ref) for t in c.where) else 0
            return 2

        children = sorted(cond.children, key=order)

        def chain(i: int, e: Env) -> Iterator[Env]:
            if i == len(children):
                yield e
                return
            for nxt in _matches(children[i], profile, facts, as_of, e):
                yield from chain(i + 1, nxt)

        yield from chain(0, env)


def evaluate(pack: RulePack, profile: Any, as_of: dt.date) -> tuple[set, set[DerivedFact]]:
    """(firings as (rule id, sorted matched facts), derived facts) for a profile."""
    facts: set[DerivedFact] = set()
    firings: set[tuple[str, tuple[DerivedFact, ...]]] = set()
    for layer in range(max(pack.strata.values(), default=0) + 1):
        rules = [r for r in pack.rules if pack.strata[r.id] == layer]
        changed = True
        while changed:
            changed = False
            for rule in rules:
                for bound, matched in list(_matches(rule.when, profile, facts, as_of, ({}, ()))):
                    key = (rule.id, tuple(sorted(set(matched))))
                    if key in firings:
                        continue
                    firings.add(key)
                    changed = True
                    for effect in rule.then:
                        if isinstance(effect, Derive):
                            attrs = tuple(
                                (a, _attr(bound[v.alias], v.attribute) if isinstance(v, Ref) else v)
                                for a, v in effect.attributes
                            )
                            facts.add(DerivedFact(effect.fact, attrs))
    return firings, facts
