"""Why an action was not recommended: every condition checked against a finished trace.

:func:`check` evaluates any condition, derived-fact tests and joins included, against an
evaluation's profile and the facts its trace derived, and says which parts failed and on
which value. :func:`why_not` applies it to every rule that could recommend an action,
nearest first (fewest unmet conditions), with the change to the profile that would meet
each condition. It reads the trace only, never the rule engine, so it can explain any
evaluation after the fact; ``tests/oracle.py`` stays a separate, naive evaluator.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from .predicates import COMPARE, getter, holds
from .rules import (
    AllOf,
    AnyOf,
    AttrTest,
    Condition,
    Derive,
    FactTest,
    FieldTest,
    ListTest,
    Not,
    Recommend,
    Ref,
    RelativeDate,
    Rule,
    RulePack,
)
from .session import DerivedFact, Evaluation

Env = dict[str, DerivedFact | None]

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    **COMPARE,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}
#: Most alias bindings tried for one rule before settling for the first ones found.
MAX_BINDINGS = 256


@dataclass(frozen=True)
class Check:
    """One condition checked: whether it holds, what was seen, and its parts."""

    condition: Condition
    holds: bool
    seen: Any  # a field or list test's value (a count for lists); matching facts for a fact test
    parts: tuple[Check, ...] = ()

    def unmet(self, negated: bool = False) -> list[tuple[Check, bool]]:
        """The leaf checks to change for this condition to hold (with whether each is negated).

        Under ``all`` every failing part; under ``any`` the part nearest to holding; under
        ``not`` the parts that hold and would have to stop holding.
        """
        want = not negated
        if self.holds == want:
            return []
        cond = self.condition
        if isinstance(cond, Not):
            return self.parts[0].unmet(not negated)
        if isinstance(cond, (AllOf, AnyOf)):
            conjunctive = isinstance(cond, AllOf) != negated
            options = [part.unmet(negated) for part in self.parts]
            if conjunctive:
                return [leaf for option in options for leaf in option]
            candidates = [option for option in options if option]
            return min(candidates, key=_cost) if candidates else []
        return [(self, negated)]


#: Fields a person would not change to get one action: they define the goal itself.
GIVEN_FIELDS = frozenset({"goal.priority", "goal.secondary_priority"})


def _cost(leaves: list[tuple[Check, bool]]) -> int:
    """How much changing these leaves asks of a person: a given field costs far more."""
    return sum(100 if getattr(c.condition, "path", None) in GIVEN_FIELDS else 1 for c, _ in leaves)


def check(cond: Condition, evaluation: Evaluation, env: Env | None = None) -> Check:
    """Check ``cond`` against an evaluation's profile and derived facts (joins bound by ``env``)."""
    return _Checker(evaluation).check(cond, env or {})


def leaf_checks(when: Condition, evaluation: Evaluation) -> list[tuple[Check, ...]]:
    """For each way to bind a rule's facts, its leaf checks (field, list and fact tests) in
    condition order: what condition coverage counts."""
    checker = _Checker(evaluation)
    out = []
    for env in checker.bindings(when):
        found: list[Check] = []
        _leaves(checker.check(when, env), found)
        out.append(tuple(found))
    return out


def _leaves(check_: Check, out: list[Check]) -> None:
    if check_.parts:
        for part in check_.parts:
            _leaves(part, out)
    else:
        out.append(check_)


class _Checker:
    def __init__(self, evaluation: Evaluation) -> None:
        self.profile = evaluation.profile
        self.as_of = evaluation.as_of
        self.trace = evaluation.trace
        self.facts = evaluation.trace.facts

    def check(self, cond: Condition, env: Env) -> Check:
        if isinstance(cond, (FieldTest, ListTest)):
            return Check(cond, holds(cond, self.profile, self.as_of), self.seen(cond))
        if isinstance(cond, FactTest):
            if cond.alias is not None and cond.alias in env:
                fact = env[cond.alias]
                ok = fact is not None and self.fact_matches(cond, fact, env)
                return Check(cond, ok, (fact,) if fact is not None else ())
            found = tuple(f for f in self.facts if self.fact_matches(cond, f, env))
            return Check(cond, bool(found), found)
        if isinstance(cond, Not):
            inner = self.check(cond.child, env)
            return Check(cond, not inner.holds, None, (inner,))
        parts = tuple(self.check(child, env) for child in cond.children)  # type: ignore[union-attr]
        result = all(p.holds for p in parts) if isinstance(cond, AllOf) else any(p.holds for p in parts)
        return Check(cond, result, None, parts)

    def seen(self, cond: FieldTest | ListTest) -> Any:
        if isinstance(cond, ListTest):
            if cond.quantifier == "count" and cond.item is None:
                return len(getter(cond.path)(self.profile, self.as_of) or ())
            items = getter(cond.path)(self.profile, self.as_of) or ()
            if cond.item is None:
                return len(items)
            return sum(1 for item in items if holds(cond.item, item, self.as_of))
        return getter(cond.path, cond.computed)(self.profile, self.as_of)

    def fact_matches(self, cond: FactTest, fact: DerivedFact, env: Env) -> bool:
        if fact.name != cond.name:
            return False
        values = dict(fact.attributes)
        return all(self.attr_holds(test, values.get(test.attribute), env) for test in cond.where)

    def attr_holds(self, test: AttrTest, value: Any, env: Env) -> bool:
        right: Any = test.value
        if isinstance(right, Ref):
            bound = env.get(right.alias)
            if bound is None:
                return False
            right = dict(bound.attributes).get(right.attribute)
        if value is None:
            return test.op in ("is_not", "not_in")
        return _OPS[test.op](value, right)

    def bindings(self, when: Condition) -> Iterator[Env]:
        """Every way to bind a rule's aliases to derived facts (None where nothing matches)."""
        binders = list(_binders(when))
        choices: list[list[DerivedFact | None]] = []
        for test in binders:
            # Candidates meet the binder's own tests; joins to other aliases are checked later.
            own = replace(test, where=tuple(t for t in test.where if not isinstance(t.value, Ref)))
            fitting = [f for f in self.facts if self.fact_matches(own, f, {})]
            choices.append(list(fitting) or [None])
        for combo in itertools.islice(itertools.product(*choices), MAX_BINDINGS):
            yield {test.alias: fact for test, fact in zip(binders, combo, strict=True) if test.alias}


def _binders(cond: Condition) -> Iterator[FactTest]:
    """Fact tests that bind an alias for the whole rule (under ``all`` only, as the loader allows)."""
    if isinstance(cond, FactTest) and cond.alias:
        yield cond
    elif isinstance(cond, AllOf):
        for child in cond.children:
            yield from _binders(child)


@dataclass(frozen=True)
class Unmet:
    """A condition of a rule that did not hold, what was seen, and what would change it."""

    check: Check
    negated: bool
    change: str  # what to change in the profile, in words ("" if no change to it would do)
    waits_for: tuple[str, ...] = ()  # for a derived fact: what it stands for, then what that needs

    @property
    def field(self) -> str | None:
        cond = self.check.condition
        return cond.path if isinstance(cond, (FieldTest, ListTest)) else None


def undoes_evidence(check_: Check, negated: bool) -> bool:
    """Whether meeting this leaf means undoing what the profile already has: a lower number,
    fewer items, a flag turned off or a field emptied (so the step it guards is done)."""
    cond = check_.condition
    op = getattr(cond, "op", None) or getattr(cond, "count_op", None) or getattr(cond, "quantifier", None)
    if negated:
        op = _NEGATED.get(op or "", op)
    if isinstance(cond, ListTest):
        return op in ("below", "at_most", "none", "is_not") and bool(check_.seen)
    if not isinstance(cond, FieldTest):
        return False
    seen = check_.seen
    if op == "present":
        return (cond.value is False) != negated and seen is not None
    if op == "is" and cond.kind == "bool":
        return (cond.value is False) != negated and seen is True
    if op in ("below", "at_most") and isinstance(seen, (int, float)):
        return True
    return False


@dataclass(frozen=True)
class RuleCheck:
    """A rule that would recommend the action, checked, with what it still needs."""

    rule: Rule
    fired: bool
    unmet: tuple[Unmet, ...]


@dataclass(frozen=True)
class WhyNot:
    """Why an action is where it is: shown, held back, or not recommended at all."""

    action_id: str
    status: str  # "recommended", "held-back" or "not-recommended"
    rules: tuple[RuleCheck, ...]  # nearest first


def why_not(action_id: str, evaluation: Evaluation, pack: RulePack, *, depth: int = 3) -> WhyNot:
    """Every rule that recommends ``action_id``, checked against the evaluation, nearest first.

    A rule's unmet derived-fact conditions are followed into the rules that derive the
    fact, ``depth`` levels down, so that each change named is a change to the profile.
    """
    action = pack.action(action_id)
    fired = {f.rule_id for f in evaluation.trace.firings}
    checker = _Checker(evaluation)
    candidates = [r for r in pack.rules if any(isinstance(e, Recommend) and e.action == action.id for e in r.then)]
    checked = [_check_rule(rule, checker, pack, fired, depth) for rule in candidates]
    checked.sort(key=lambda rc: (not rc.fired, len(rc.unmet), pack.position(rc.rule.id)))
    status = "recommended" if any(rc.fired for rc in checked) else "not-recommended"
    return WhyNot(action.id, status, tuple(checked))


def _check_rule(
    rule: Rule,
    checker: _Checker,
    pack: RulePack,
    fired: set[str],
    depth: int,
    wanted: dict[str, tuple[AttrTest, ...]] | None = None,
) -> RuleCheck:
    """Check a rule; ``wanted`` adds attribute tests to the facts its aliases bind (so that
    it derives a fact with particular attributes)."""
    when = _constrain(rule.when, wanted) if wanted else rule.when
    best: list[tuple[Check, bool]] | None = None
    for env in checker.bindings(when):
        unmet = checker.check(when, env).unmet()
        if best is None or _cost(unmet) < _cost(best):
            best = unmet
        if not best:
            break
    leaves = best or []
    return RuleCheck(rule, rule.id in fired, tuple(_unmet(c, n, checker, pack, fired, depth) for c, n in leaves))


def _constrain(cond: Condition, wanted: dict[str, tuple[AttrTest, ...]]) -> Condition:
    """``cond`` with extra attribute tests on the fact tests that bind the given aliases."""
    if isinstance(cond, FactTest) and cond.alias in wanted:
        return replace(cond, where=cond.where + wanted[cond.alias])
    if isinstance(cond, AllOf):
        return AllOf(tuple(_constrain(child, wanted) for child in cond.children))
    return cond


def _unmet(check_: Check, negated: bool, checker: _Checker, pack: RulePack, fired: set[str], depth: int) -> Unmet:
    cond = check_.condition
    if isinstance(cond, FactTest):
        if negated:
            changes, chain = _unfact_change(cond, check_.seen, checker, pack)
        else:
            changes, chain = _fact_change(cond, checker, pack, fired, depth)
        return Unmet(check_, negated, "; ".join(changes), tuple(chain))
    return Unmet(check_, negated, change(cond, check_.seen, negated))  # type: ignore[arg-type]


def _unfact_change(
    cond: FactTest, found: tuple[DerivedFact, ...], checker: _Checker, pack: RulePack
) -> tuple[list[str], list[str]]:
    """(changes, what it waits for): what would stop the facts a ``not`` condition found."""
    about = pack.fact_type(cond.name).about
    changes: list[str] = []
    for fact in found:
        for firing in checker.trace.derivations(fact):
            rule = pack.rule(firing.rule_id)
            for leaf, negated in checker.check(rule.when, {}).unmet(negated=True):
                if isinstance(leaf.condition, (FieldTest, ListTest)):
                    text = change(leaf.condition, leaf.seen, negated)
                    if text not in changes:
                        changes.append(text)
    return changes, [f"it not being the case that {about}"]


def _fact_change(
    cond: FactTest, checker: _Checker, pack: RulePack, fired: set[str], depth: int
) -> tuple[list[str], list[str]]:
    """(changes, what it waits for): the nearest way the profile could make a needed fact derived."""
    about = pack.fact_type(cond.name).about
    wanted = tuple(t for t in cond.where if not isinstance(t.value, Ref))
    options = []
    for rule in pack.rules:
        for effect in rule.then:
            if isinstance(effect, Derive) and effect.fact == cond.name:
                needs = _needs(effect, wanted)
                if needs is not None:
                    options.append(_check_rule(rule, checker, pack, fired, depth - 1, needs))
    if depth <= 0 or not options:
        return [], [about]
    nearest = min(options, key=lambda rc: (_cost([(u.check, u.negated) for u in rc.unmet]), pack.position(rc.rule.id)))
    changes = [c for u in nearest.unmet for c in u.change.split("; ") if c]
    chain = [about] + [step for u in nearest.unmet for step in u.waits_for]
    return changes, chain


def _needs(derive: Derive, wanted: tuple[AttrTest, ...]) -> dict[str, tuple[AttrTest, ...]] | None:
    """What the aliases of a deriving rule must bind for ``derive`` to meet ``wanted``; None if
    a constant attribute of the derived fact already rules it out."""
    values = dict(derive.attributes)
    needs: dict[str, tuple[AttrTest, ...]] = {}
    for test in wanted:
        value = values.get(test.attribute)
        if isinstance(value, Ref):
            needs[value.alias] = needs.get(value.alias, ()) + (AttrTest(value.attribute, test.op, test.value),)
        elif value is None or not _OPS[test.op](value, test.value):
            return None
    return needs


def change(cond: FieldTest | ListTest, seen: Any, negated: bool = False) -> str:
    """The change to the profile that would make a field or list test hold (or fail, if negated)."""
    if isinstance(cond, ListTest):
        return _list_change(cond, seen, negated)
    op, value = cond.op, cond.value
    if negated:
        op, value = _NEGATED.get(op, op), (not value if op == "present" else value)
    name = f"`{cond.path}`"
    shown = "empty" if seen is None else _words(seen)
    if cond.computed:
        return f"{name} (worked out from your profile) is {shown}; the rule needs it {_wanted(op, value)}"
    if op == "present":
        return f"fill in {name}" if value else f"leave {name} empty"
    if op == "is" and cond.kind == "bool":
        return f"set {name} to {_words(value)}"
    if op in ("is", "in"):
        options = value if isinstance(value, tuple) else (value,)
        return f"set {name} to {' or '.join(_words(v) for v in options)} (it is {shown})"
    if op in ("is_not", "not_in"):
        return f"change {name} from {shown}"
    if isinstance(seen, (int, float)) and isinstance(value, (int, float)) and not isinstance(value, bool):
        target = {"at_least": value, "above": value + 1, "at_most": value, "below": value - 1}[op]
        if cond.kind == "int" and isinstance(target, float):
            target = int(target)
        return f"{'raise' if op in ('at_least', 'above') else 'lower'} {name} from {_words(seen)} to {_words(target)}"
    return f"{name} is {shown}; the rule needs it {_wanted(op, value)}"


_NEGATED = {
    "is": "is_not",
    "is_not": "is",
    "in": "not_in",
    "not_in": "in",
    "below": "at_least",
    "at_most": "above",
    "above": "at_most",
    "at_least": "below",
}


def _list_change(cond: ListTest, seen: int, negated: bool) -> str:
    name = f"`{cond.path}`"
    which = " that qualify" if cond.item is not None and cond.quantifier != "all" else ""
    if cond.quantifier == "count":
        op, bound = cond.count_op or "is", cond.count_value or 0
        if negated:
            op = _NEGATED.get(op, op)
        target = {"at_least": bound, "above": bound + 1, "at_most": bound, "below": bound - 1, "is": bound}.get(op)
        if target is None:
            return f"have a number of items{which} in {name} other than {bound}"
        more = target - seen
        if more > 0:
            return f"add {more} more {_item(more)}{which} to {name} (it has {seen})"
        return f"have at most {target} {_item(target)}{which} in {name} (it has {seen})"
    if (cond.quantifier == "any") != negated:
        return f"add an item{' that qualifies' if cond.item else ''} to {name}"
    if cond.quantifier == "all":
        return f"change the {_item(seen)} in {name} that do not qualify ({seen})"
    return f"remove or change the {seen} {_item(seen)} in {name} that qualify"


def _item(n: int) -> str:
    return "item" if n == 1 else "items"


def _wanted(op: str, value: Any) -> str:
    words = {
        "is": "to be",
        "is_not": "not to be",
        "below": "below",
        "at_most": "at most",
        "above": "above",
        "at_least": "at least",
        "in": "to be one of",
        "not_in": "to be none of",
        "present": "filled in",
    }
    return f"{words[op]} {_words(value)}" if op != "present" else words[op]


def _words(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, RelativeDate):
        return str(value)
    if isinstance(value, tuple):
        return ", ".join(_words(v) for v in value)
    return str(value)
