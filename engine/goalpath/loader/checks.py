"""Warnings: what loading allows but a pack's author almost certainly did not mean.

Each is a :class:`Problem` of severity ``warning``, at the file and line to look at:

* ``unused-action``: an action no rule recommends, so it can never be advised;
* ``unused-fact``: a fact that rules derive but no rule or framework reads;
* ``never-derived``: a rule tests a fact that no rule derives (so a test that it holds
  is never true, and a test that it does not hold always is);
* ``never-true``: comparisons on one field that contradict each other (``is: a`` with
  ``is: b``, ``above: 5`` with ``below: 3``, ``present: false`` with any value test);
* ``fact-cycle``: derived facts that can only be derived from each other, so none of
  them ever is;
* ``shadowed``: a change that a higher pack undoes (an override overridden again, a
  reweight of something later replaced or disabled).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem
from ..rules import (
    AllOf,
    AnyOf,
    Condition,
    Derive,
    FactTest,
    FieldTest,
    ListTest,
    Location,
    Recommend,
    RelativeDate,
    RulePack,
    walk,
)
from .strata import _components


def warnings(pack: RulePack, layers: Sequence[Any] = ()) -> list[Problem]:
    """Every warning for a loaded pack, in no particular order (callers sort)."""
    out: list[Problem] = []
    out += _unused_actions(pack)
    out += _facts(pack)
    out += _contradictions(pack)
    out += _shadows(pack)
    return out


def _warn(at: Location, code: str, message: str) -> Problem:
    return Problem(at.file, at.line, at.column, code, message, "warning")


# -- actions and facts -------------------------------------------------------------------
def _unused_actions(pack: RulePack) -> list[Problem]:
    recommended = {e.action for rule in pack.rules for e in rule.then if isinstance(e, Recommend)}
    return [
        _warn(a.at, "unused-action", f"no rule recommends action '{a.id}', so it is never advised")
        for a in pack.actions
        if a.id not in recommended
    ]


def _facts(pack: RulePack) -> list[Problem]:
    derived: dict[str, list[str]] = {}  # fact -> rules deriving it
    for rule in pack.rules:
        for effect in rule.then:
            if isinstance(effect, Derive):
                derived.setdefault(effect.fact, []).append(rule.id)
    read = {f.open_fact for f in pack.frameworks}
    out: list[Problem] = []
    for rule in pack.rules:
        for cond in walk(rule.when):
            if isinstance(cond, FactTest):
                read.add(cond.name)
                if cond.name not in derived:
                    out.append(
                        _warn(
                            cond.at,
                            "never-derived",
                            f"rule '{rule.id}' tests fact '{cond.name}', which no rule derives: "
                            "a test that it holds is never true (and 'not' it, always true)",
                        )
                    )
    for fact in pack.facts:
        if fact.name in derived and fact.name not in read:
            out.append(
                _warn(
                    fact.at,
                    "unused-fact",
                    f"fact '{fact.name}' is derived (by {', '.join(derived[fact.name])}) but no rule or framework reads it",
                )
            )
        elif fact.name not in derived and fact.name not in read:
            out.append(_warn(fact.at, "unused-fact", f"fact '{fact.name}' is declared but no rule derives or reads it"))
    out += _fact_cycles(pack, derived)
    return out


def _fact_cycles(pack: RulePack, derived: dict[str, list[str]]) -> list[Problem]:
    """Facts whose every derivation needs another fact of the same circle: none is ever derived."""
    needs: dict[str, set[str]] = {name: set() for name in derived}  # fact -> facts some deriving rule needs
    grounded: set[str] = set()  # facts some rule derives without needing a derived fact
    rule_needs = {rule.id: _required_facts(rule.when) for rule in pack.rules}
    for rule in pack.rules:
        for effect in rule.then:
            if isinstance(effect, Derive):
                needs[effect.fact] |= rule_needs[rule.id]
    # A fact is reachable if some rule derives it and every fact that rule needs is reachable.
    changed = True
    while changed:
        changed = False
        for rule in pack.rules:
            if rule_needs[rule.id] <= grounded:
                for effect in rule.then:
                    if isinstance(effect, Derive) and effect.fact not in grounded:
                        grounded.add(effect.fact)
                        changed = True
    stuck = sorted(set(derived) - grounded)
    if not stuck:
        return []
    component = _components(stuck, {f: sorted(needs[f] & set(stuck)) for f in stuck})
    circles: dict[int, list[str]] = {}
    for fact, number in component.items():
        circles.setdefault(number, []).append(fact)
    out = []
    by_name = {f.name: f for f in pack.facts}
    for members in circles.values():
        members.sort()
        if len(members) == 1 and members[0] not in needs[members[0]]:
            continue  # stuck only because of a circle elsewhere: reported there
        for fact in members:
            out.append(
                _warn(
                    by_name[fact].at,
                    "fact-cycle",
                    f"fact '{fact}' is derived only from facts of a circle ({' -> '.join(members + members[:1])}), "
                    "so none of them is ever derived; derive one of them from the profile",
                )
            )
    return out


def _required_facts(cond: Condition) -> set[str]:
    """Facts that must hold for the condition to hold (those outside 'any' and 'not')."""
    if isinstance(cond, FactTest):
        return {cond.name}
    if isinstance(cond, AllOf):
        return set().union(*(_required_facts(c) for c in cond.children))
    if isinstance(cond, AnyOf):
        options = [_required_facts(c) for c in cond.children]
        return set.intersection(*options) if options else set()
    return set()


# -- contradictions ----------------------------------------------------------------------
@dataclass
class _Field:
    """What the tests of one conjunction require of one field."""

    allowed: set | None = None  # the value must be one of these (None: any)
    excluded: set = field(default_factory=set)
    low: tuple[Any, bool] | None = None  # (bound, inclusive)
    high: tuple[Any, bool] | None = None
    present: bool | None = None
    first: FieldTest | None = None


def _contradictions(pack: RulePack) -> list[Problem]:
    out: list[Problem] = []
    for rule in pack.rules:
        for cond in walk(rule.when):
            children: tuple[Condition, ...] = ()
            if isinstance(cond, AllOf):
                children = cond.children
            elif isinstance(cond, ListTest) and cond.item is not None and not isinstance(cond.item, AllOf):
                children = (cond.item,)
            found = _conjunction([c for c in children if isinstance(c, FieldTest)])
            if found is not None:
                test, reason = found
                out.append(_warn(test.at, "never-true", f"rule '{rule.id}' can never match: {reason}"))
    return out


def _conjunction(tests: list[FieldTest]) -> tuple[FieldTest, str] | None:
    """The first test that contradicts the ones before it on the same field, and why."""
    seen: dict[str, _Field] = {}
    for test in tests:
        state = seen.setdefault(test.path, _Field())
        if state.first is None:
            state.first = test
        reason = _add(state, test)
        if reason is not None:
            return test, f"'{test.path}' {reason}"
    return None


def _comparable(value: Any) -> bool:
    return isinstance(value, (int, float, dt.date)) and not isinstance(value, (bool, RelativeDate))


def _add(state: _Field, test: FieldTest) -> str | None:
    op, value = test.op, test.value
    if op == "present":
        if state.present is not None and state.present != value:
            return "must be both filled in and left empty"
        if value is False and (state.allowed is not None or state.low or state.high):
            return "is tested for a value and also required to be empty"
        state.present = bool(value)
        return None
    if op in ("is", "in", "below", "at_most", "above", "at_least"):
        if state.present is False:
            return "is required to be empty and also tested for a value"
        state.present = True
    if op in ("is", "in"):
        values = set(value) if isinstance(value, tuple) else {value}
        state.allowed = values if state.allowed is None else state.allowed & values
    elif op in ("is_not", "not_in"):
        state.excluded |= set(value) if isinstance(value, tuple) else {value}
    elif _comparable(value):
        inclusive = op in ("at_most", "at_least")
        if op in ("above", "at_least"):
            if state.low is None or value > state.low[0] or (value == state.low[0] and not inclusive):
                state.low = (value, inclusive)
        elif state.high is None or value < state.high[0] or (value == state.high[0] and not inclusive):
            state.high = (value, inclusive)
    if state.allowed is not None:
        left = {v for v in state.allowed - state.excluded if _inside(v, state)}
        if not left:
            return "can never equal what one test requires while the others exclude it"
    if state.low is not None and state.high is not None:
        (lo, lo_in), (hi, hi_in) = state.low, state.high
        if lo > hi or (lo == hi and not (lo_in and hi_in)):
            return f"cannot be both {_bound('above', lo, lo_in)} and {_bound('below', hi, hi_in)}"
    return None


def _bound(side: str, value: Any, inclusive: bool) -> str:
    if inclusive:
        side = "at least" if side == "above" else "at most"
    return f"{side} {value}"


def _inside(value: Any, state: _Field) -> bool:
    if not _comparable(value):
        return True
    for bound, is_low in ((state.low, True), (state.high, False)):
        if bound is None or not _comparable(bound[0]) or isinstance(bound[0], dt.date) != isinstance(value, dt.date):
            continue
        limit, inclusive = bound
        if is_low and (value < limit or (value == limit and not inclusive)):
            return False
        if not is_low and (value > limit or (value == limit and not inclusive)):
            return False
    return True


# -- layering ----------------------------------------------------------------------------
_VERBS = {"overridden": "overrides", "disabled": "disables", "reweighted": "reweights"}


def _shadows(pack: RulePack) -> list[Problem]:
    out: list[Problem] = []
    by_target: dict[tuple[str, str], list] = {}
    for change in pack.changes:
        by_target.setdefault((change.kind, change.id), []).append(change)
    for (kind, target), changes in by_target.items():
        for n, earlier in enumerate(changes):
            # A change is lost when a later one sets everything it set (or replaces it whole).
            later = next(
                (c for c in changes[n + 1 :] if c.fields == ("*",) or set(earlier.fields) <= set(c.fields)), None
            )
            if later is None:
                continue
            out.append(
                _warn(
                    earlier.at,
                    "shadowed",
                    f"pack '{earlier.pack}' {_VERBS[earlier.how]} {kind} '{target}' here, but pack '{later.pack}' "
                    f"{_VERBS[later.how]} it again at {later.at}, so this change has no effect",
                )
            )
    return out
