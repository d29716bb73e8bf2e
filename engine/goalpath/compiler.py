"""Compiling a checked rule pack into a durable_rules ruleset definition (plain data).

The fact shape is designed for few, sharp firings:

* the profile is **one flat fact** (``t: p``) holding only the values some rule tests,
  each under a short key (a *feature*). Lists are reduced to counts in Python (the Rete
  has no aggregates), dates to day numbers, so every test the Rete runs is a plain
  comparison on a scalar;
* each derived fact is one fact ``{t: d, n: NAME, v_ATTR: ...}``;
* a rule that matches the absence of a fact waits for a *layer gate* fact
  (``t: $s, k: LAYER``), asserted only when every earlier layer has run to completion,
  so negation never depends on firing order (durable_rules has no truth maintenance).

Rules are put in negation normal form and split into disjunctive branches over facts
(conditions on the profile alone stay one ``$or`` expression). Within a fact's
condition, joins come first (durable_rules drops a join written after an ``$or``) and
end with a join that always holds (a false last join makes durable_rules read past its
expression sequence: a heap-dependent segfault). The generated definition is checked
against the constructs verified to work in durable_rules 2.0.28 (``_check_definition``)
before anything is registered.
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import EngineFault, Problem, RulesError
from .predicates import counter, getter, predicate
from .rules import (
    AllOf,
    AnyOf,
    AttrTest,
    Condition,
    FactTest,
    FieldTest,
    ListTest,
    Not,
    Ref,
    RelativeDate,
    Rule,
    RulePack,
)

#: Most disjunctive branches one rule may expand into.
MAX_BRANCHES = 32
#: Most attribute tests in one test of a derived fact (durable_rules reads at most 32
#: expressions in a sequence, and a join sequence adds one).
MAX_FACT_TESTS = 24
#: Most durable rules in one shard: far below the 4,096 rules of a ruleset and the 255
#: rules that may share one test.
MAX_SHARD_RULES = 200
#: Most derived fact names one shard tests: each is one test below the derived-fact
#: node, which holds at most 511.
MAX_SHARD_FACTS = 400
#: Most alpha tests below one fact name in a shard: a derived fact passing all of them
#: stays inside the 64-entry stack of matching.
MAX_TESTS_PER_FACT = 48
#: Branches whose profile parts share one match fact: the fact passes at most this many
#: tests at once, inside the 64-entry stack.
MATCH_GROUP = 32

PROFILE = "p"
DERIVED = "d"
MATCH = "m"
# Every derived fact has t = "d", so a join on t between two derived facts always holds.
# (A join on "sid" looked equivalent but made negated conditions never match: measured.)
_GUARD = "t"
GATE = "$s"

_ORDER = {"below": "$lt", "at_most": "$lte", "above": "$gt", "at_least": "$gte"}
_ORDER_NEGATED = {"below": "at_least", "at_most": "above", "above": "at_most", "at_least": "below"}
_COUNT_NEGATED = {"is": "is_not", "is_not": "is", **_ORDER_NEGATED}


# -- profile features -----------------------------------------------------------------
@dataclass(frozen=True)
class Feature:
    """One value of the flat profile fact, computed from the profile and the as-of date."""

    key: str
    path: str
    form: str  # "value" | "day" (date as day number) | "days_from_today" | "count"
    item: Condition | None = None
    count_all: bool = False  # count items NOT matching (for "all")
    computed: bool = False  # the path ends in a computed field
    compute: Callable[[Any, dt.date], Any] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compute", self._compiled())

    def _compiled(self) -> Callable[[Any, dt.date], Any]:
        if self.form == "count":
            return counter(self.path, self.item, invert=self.count_all)
        get = getter(self.path, self.computed)
        if self.form == "day":
            return lambda obj, as_of: None if (v := get(obj, as_of)) is None else v.toordinal()
        if self.form == "days_from_today":
            return lambda obj, as_of: None if (v := get(obj, as_of)) is None else (v - as_of).days
        return get

    @property
    def measure(self) -> str:
        """What the value measures: the field itself, or a count of its items."""
        if self.form == "count":
            if self.item is None:
                return "count"
            return "count-not-matching" if self.count_all else "count-matching"
        if self.form == "days_from_today":
            return "days-after-as-of"
        return "value"

    def describe(self, raw: Any) -> Any:
        """The fact value as a person would read it (dates back to ISO text)."""
        if self.form == "day" and isinstance(raw, int):
            return dt.date.fromordinal(raw).isoformat()
        return raw


# -- compiled pack --------------------------------------------------------------------
@dataclass(frozen=True)
class Branch:
    """One durable rule: a (rule, disjunctive branch) pair and the facts it binds."""

    key: str
    rule: Rule
    layer: int
    conditions: tuple[tuple[Condition, bool], ...]  # profile-only parts, and whether negated
    leaf_features: dict[Condition, Feature]  # each field or list test -> its profile value
    aliases: dict[str, str]  # durable alias -> derived fact name (positive facts)

    _supports: tuple[Callable[[Any, dt.date], list[Condition]], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_supports", tuple(_supporter(c, negated) for c, negated in self.conditions))

    def matched_values(self, profile: Any, as_of: dt.date, fact: dict[str, Any]) -> tuple[tuple[str, str, Any], ...]:
        """(field path, measure, value) of each profile test that made this branch hold.

        Under ``any`` only the first alternative that held is shown; under ``not`` the
        tests that failed, as the engine saw them in the profile fact.
        """
        out: dict[tuple[str, str], Any] = {}
        for support in self._supports:
            for leaf in support(profile, as_of):
                feature = self.leaf_features[leaf]
                out.setdefault((feature.path, feature.measure), feature.describe(fact.get(feature.key)))
        return tuple((path, measure, value) for (path, measure), value in out.items())


def _supporter(cond: Condition, negated: bool) -> Callable[[Any, dt.date], list[Condition]]:
    """A function giving the field and list tests that make a profile-only condition hold
    (or fail, if negated), compiled once so that a firing records them cheaply."""
    if isinstance(cond, (FieldTest, ListTest)):
        leaves: list[Condition] = [cond]
        return lambda obj, as_of: leaves
    if isinstance(cond, Not):
        return _supporter(cond.child, not negated)
    children = cond.children  # type: ignore[union-attr]
    parts = [_supporter(child, negated) for child in children]
    if isinstance(cond, AllOf) != negated:  # every child holds (or, negated, every one fails)
        return lambda obj, as_of: [leaf for part in parts for leaf in part(obj, as_of)]
    tests = [predicate(child) for child in children]

    def first(obj: Any, as_of: dt.date) -> list[Condition]:
        for test, part in zip(tests, parts, strict=True):
            if test(obj, as_of) != negated:
                return part(obj, as_of)
        return []

    return first


@dataclass(frozen=True)
class Shard:
    """One durable_rules ruleset of a compiled pack, small enough for every limit of its
    structures (see :func:`_shards`), and the layer gates it needs. Which derived facts
    go to it is decided by :attr:`CompiledPack.alphas`."""

    definition: dict[str, Any]  # branch key -> durable rule
    gates: frozenset[int]  # the layers whose gate its rules wait for


@dataclass(frozen=True)
class CompiledPack:
    """A rule pack turned into durable_rules rulesets plus what the session needs.

    Conditions on the profile alone are evaluated in Python (:attr:`direct` for rules
    that test nothing else, :attr:`matchers` for those that also test derived facts);
    the Rete only joins derived facts, in shards of bounded size, so the engine's fixed
    per-node limits hold for a pack of any size.
    """

    pack: RulePack
    features: tuple[Feature, ...]
    branches: dict[str, Branch]
    layers: int  # number of layer gates to assert (0 when nothing is negated)
    #: Each distinct test on the profile's features, with the branches it decides:
    #: those on the profile alone (fired at once when it holds) and those in a shard
    #: (which then get their slot set in their group's match fact).
    tests: tuple[ProfileTest, ...]
    shards: tuple[Shard, ...]
    #: Each distinct test of a derived fact's own attributes, and those of each fact name:
    #: a derived fact goes only to the shards with a rule whose test it passes.
    alphas: tuple[AlphaTest, ...]
    alphas_by_name: dict[str, tuple[int, ...]]
    #: Branches in a shard that test derived facts: each gets its slot set only once a
    #: fact passing each of its tests exists and its profile part holds.
    waiters: tuple[Waiter, ...]
    #: The tests decided at the start: those with branches on the profile alone, or
    #: branches whose match fact needs no derived fact.
    upfront: tuple[int, ...]
    _computers: tuple[tuple[str, Callable[[Any, dt.date], Any]], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_computers", tuple((f.key, f.compute) for f in self.features))

    @property
    def definition(self) -> dict[str, Any]:
        """Every shard's durable rules in one mapping (branch keys are unique)."""
        return {key: rule for shard in self.shards for key, rule in shard.definition.items()}

    def profile_fact(self, profile: Any, as_of: dt.date) -> dict[str, Any]:
        """The profile's feature values, as explanations report what a rule matched."""
        fact: dict[str, Any] = {"t": PROFILE, "id": PROFILE}
        for key, compute in self._computers:
            value = compute(profile, as_of)
            if value is not None:
                fact[key] = value
        return fact


@dataclass(frozen=True)
class ProfileTest:
    """One test of the profile's features, shared by every branch whose profile part it is."""

    holds: Callable[[dict[str, Any]], bool]
    direct: tuple[str, ...]  # branches on the profile alone
    slots: tuple[tuple[int, int, int], ...]  # (shard, group, slot) of branches in a shard
    keys: tuple[str, ...]  # every branch it decides, for reporting a failure at a rule


@dataclass(frozen=True)
class AlphaTest:
    """One distinct test of a derived fact on its own attributes (joins left out).

    A fact that fails it cannot match the conditions it was made from, present or
    absent, so it need not be sent to their shards: the cost of a fact grows with the
    rules that could use it, not with the rules that exist.
    """

    name: str
    holds: Callable[[dict[str, Any]], bool]
    shards: tuple[int, ...]  # the shards with a condition it was made from
    waiters: tuple[int, ...]  # the waiters (indexes) that need a fact passing it


@dataclass(frozen=True)
class Waiter:
    """A branch in a shard that tests derived facts, waiting for them before its match fact is sent."""

    key: str
    test: int  # its profile test (an index into ``tests``)
    slot: tuple[int, int, int]  # (shard, group, slot)
    needs: tuple[int, ...]  # the alpha tests a fact must pass for each of its positive fact tests


def match_fact(group: int, slots: Iterable[int], part: int | None = None) -> dict[str, Any]:
    """The fact that tells a shard which branches of one group hold on the profile.

    A group's slots may come in several facts, as their branches become ready; ``part``
    (the first slot of a later one) keeps their ids distinct.
    """
    ident = f"m:{group}" if part is None else f"m:{group}:{part}"
    fact: dict[str, Any] = {"t": MATCH, "g": group, "id": ident}
    for slot in slots:
        fact[f"k{slot}"] = True
    return fact


def derived_fact(name: str, attributes: tuple[tuple[str, Any], ...]) -> dict[str, Any]:
    """The durable fact for a derived fact; its id is its content, so equal facts are one."""
    ident = "d:" + name + "".join(f"|{k}={v!r}" for k, v in attributes)
    fact: dict[str, Any] = {"t": DERIVED, "n": name, "id": ident}
    for attr, value in attributes:
        fact["v_" + attr] = value
    return fact


def gate_fact(layer: int) -> dict[str, Any]:
    return {"t": GATE, "k": layer, "id": f"g{layer}"}


class _Features:
    def __init__(self) -> None:
        self.by_signature: dict[tuple, Feature] = {}
        self.by_key: dict[str, Feature] = {}
        self.leaves: dict[Condition, Feature] = {}  # shared by every branch

    def get(
        self, path: str, form: str, item: Condition | None = None, count_all: bool = False, computed: bool = False
    ) -> str:
        signature = (path, form, repr(item), count_all)
        if signature not in self.by_signature:
            key = f"f{len(self.by_signature)}"
            self.by_signature[signature] = self.by_key[key] = Feature(key, path, form, item, count_all, computed)
        return self.by_signature[signature].key


# -- negation normal form and the profile expression -----------------------------------
def _profile_test(test: FieldTest | ListTest, negated: bool, features: _Features) -> dict[str, Any]:
    """A durable expression on the profile fact for one field or list test."""
    key, expr = _profile_test_expr(test, negated, features)
    features.leaves[test] = features.by_key[key]
    return expr


def _profile_test_expr(test: FieldTest | ListTest, negated: bool, features: _Features) -> tuple[str, dict[str, Any]]:
    if isinstance(test, ListTest):
        if test.quantifier == "count":
            key = features.get(test.path, "count", test.item)
            op, bound = test.count_op or "is", test.count_value
        elif test.quantifier == "all":
            key = features.get(test.path, "count", test.item, count_all=True)
            op, bound = "is", 0
        else:
            key = features.get(test.path, "count", test.item)
            op, bound = ("at_least", 1) if test.quantifier == "any" else ("is", 0)
        if negated:
            op = _COUNT_NEGATED[op]
        return key, _cmp(op, key, bound)  # counts are always present
    op = test.op
    value: Any = test.value
    if op == "present":
        form = "day" if test.kind == "date" else "value"
        key = features.get(test.path, form, computed=test.computed)
        return key, {"$ex" if value != negated else "$nex": {key: 1}}
    if isinstance(value, RelativeDate) or (isinstance(value, tuple) and value and isinstance(value[0], RelativeDate)):
        key = features.get(test.path, "days_from_today")
        value = tuple(v.days for v in value) if isinstance(value, tuple) else value.days
    elif test.kind == "date":
        key = features.get(test.path, "day")
        value = tuple(v.toordinal() for v in value) if isinstance(value, tuple) else value.toordinal()
    else:
        key = features.get(test.path, "value", computed=test.computed)
    absent = {"$nex": {key: 1}}
    if op in ("is", "in", "not_in", "is_not"):
        values = value if isinstance(value, tuple) else (value,)
        positive = op in ("is", "in")
        if positive != negated:  # the field equals one of the values
            tests = [{key: v} for v in values]
            return key, tests[0] if len(tests) == 1 else {"$or": tests}
        differs = [{"$neq": {key: v}} for v in values]
        return key, {"$or": [absent, differs[0] if len(differs) == 1 else {"$and": differs}]}
    if negated:
        return key, {"$or": [absent, _cmp(_ORDER_NEGATED[op], key, value)]}
    return key, _cmp(op, key, value)


def _cmp(op: str, key: str, value: Any) -> dict[str, Any]:
    if op == "is":
        return {key: value}
    if op == "is_not":
        return {"$neq": {key: value}}
    return {_ORDER[op]: {key: value}}


@dataclass
class _Conj:
    profile: list[dict[str, Any]] = field(default_factory=list)
    facts: list[FactTest] = field(default_factory=list)
    absent: list[FactTest] = field(default_factory=list)
    conditions: list[tuple[Condition, bool]] = field(default_factory=list)

    def merge(self, other: _Conj) -> _Conj:
        return _Conj(
            self.profile + other.profile,
            self.facts + other.facts,
            self.absent + other.absent,
            self.conditions + other.conditions,
        )


def _has_fact(cond: Condition) -> bool:
    if isinstance(cond, FactTest):
        return True
    if isinstance(cond, (AllOf, AnyOf)):
        return any(_has_fact(c) for c in cond.children)
    if isinstance(cond, Not):
        return _has_fact(cond.child)
    return False


def _profile_expr(cond: Condition, negated: bool, features: _Features) -> dict[str, Any]:
    """A profile-only subtree as one durable expression (negation pushed to the leaves)."""
    if isinstance(cond, (FieldTest, ListTest)):
        return _profile_test(cond, negated, features)
    if isinstance(cond, Not):
        return _profile_expr(cond.child, not negated, features)
    children = [_profile_expr(c, negated, features) for c in cond.children]  # type: ignore[union-attr]
    op = "$and" if isinstance(cond, AllOf) != negated else "$or"
    if len(children) == 1:
        return children[0]
    flat: list[dict[str, Any]] = []
    for child in children:
        flat.extend(child[op] if set(child) == {op} else [child])
    return {op: flat}


def _dnf(cond: Condition, negated: bool, features: _Features) -> list[_Conj]:
    if not _has_fact(cond):
        expr = _profile_expr(cond, negated, features)
        return [_Conj(profile=[expr], conditions=[(cond, negated)])]
    if isinstance(cond, FactTest):
        return [_Conj(absent=[cond])] if negated else [_Conj(facts=[cond])]
    if isinstance(cond, Not):
        return _dnf(cond.child, not negated, features)
    assert isinstance(cond, (AllOf, AnyOf))
    parts = [_dnf(c, negated, features) for c in cond.children]
    if isinstance(cond, AllOf) != negated:  # conjunction: cross product
        result = [_Conj()]
        for options in parts:
            result = [done.merge(option) for done in result for option in options]
            if len(result) > MAX_BRANCHES:
                return result
        return result
    return [conj for options in parts for conj in options]


# -- emitting durable conditions ------------------------------------------------------
def _attr_expr(test: AttrTest, aliases: dict[str, str]) -> dict[str, Any]:
    key = "v_" + test.attribute
    if isinstance(test.value, Ref):
        ref = {aliases[test.value.alias]: "v_" + test.value.attribute}
        return (
            {key: ref}
            if test.op == "is"
            else ({"$neq": {key: ref}} if test.op == "is_not" else {_ORDER[test.op]: {key: ref}})
        )
    if test.op in ("in", "not_in"):
        values = test.value if isinstance(test.value, tuple) else (test.value,)
        if test.op == "in":
            return {key: values[0]} if len(values) == 1 else {"$or": [{key: v} for v in values]}
        return {"$neq": {key: values[0]}} if len(values) == 1 else {"$and": [{"$neq": {key: v}} for v in values]}
    return _cmp(test.op, key, test.value)


def _fact_expr(test: FactTest, aliases: dict[str, str]) -> dict[str, Any]:
    exprs = [_attr_expr(t, aliases) for t in test.where]
    # durable_rules drops a join written after an $or in the same condition: joins first.
    exprs.sort(key=lambda e: 0 if _is_join(e) else 1 if not _has_or(e) else 2)
    joins = [t.value.alias for t in test.where if isinstance(t.value, Ref)]
    if joins:
        # When a join is false, durable_rules skips ahead to the end of the sequence
        # but steps over the end marker if the false join is the last one, then reads
        # past the sequence until some byte happens to match: a crash that depends on
        # heap contents (measured). A join that always holds, last, keeps every skip
        # inside the sequence. Joins only ever refer to derived facts, so this holds.
        guard = {_GUARD: {aliases[joins[0]]: _GUARD}}
        exprs.insert(sum(1 for e in exprs if _is_join(e)), guard)
    return {"$and": [{"t": DERIVED}, {"n": test.name}, *exprs]}


def _is_join(expr: Any) -> bool:
    """Whether an expression compares with another fact's attribute (a join)."""
    op, arg = next(iter(expr.items()))
    if op in ("$and", "$or"):
        return any(_is_join(child) for child in arg)
    if op in _COMPARISONS:
        arg = next(iter(arg.values()))
    elif op.startswith("$"):
        return False
    return isinstance(arg, dict)


def _is_guard(expr: Any) -> bool:
    """Whether an expression is the always-true join that ends a join sequence."""
    ref = expr.get(_GUARD) if isinstance(expr, dict) and len(expr) == 1 else None
    return isinstance(ref, dict) and len(ref) == 1 and next(iter(ref.values())) == _GUARD


def _has_or(expr: Any) -> bool:
    if isinstance(expr, dict):
        return "$or" in expr or any(_has_or(v) for v in expr.values())
    if isinstance(expr, list):
        return any(_has_or(e) for e in expr)
    return False


def _order_facts(facts: list[FactTest]) -> list[FactTest] | None:
    """Order positive facts so every join refers to a fact matched before it (None: a circle)."""
    ordered: list[FactTest] = []
    pending = list(facts)
    while pending:
        named = {f.alias for f in ordered if f.alias}
        ready = [f for f in pending if all(not isinstance(t.value, Ref) or t.value.alias in named for t in f.where)]
        if not ready:
            return None
        ordered.append(ready[0])
        pending.remove(ready[0])
    return ordered


def compile_pack(pack: RulePack) -> CompiledPack:
    """Compile a checked pack into durable_rules rulesets and Python tests.

    Raises:
        RulesError: a rule expands past what the engine can run (too many branches or
            circular joins); loading reports these too (:func:`rule_problems`), so a
            loaded pack never does.
    """
    generated = _generate(pack.rules, pack.strata)
    if generated.problems:
        raise RulesError(generated.problems)
    shards, slot_of = _shards(generated)
    for shard in shards:
        _check_definition(shard.definition)
    alpha_index: dict[str, int] = {}  # signature -> index
    alpha_exprs: list[dict[str, Any]] = []
    alpha_shards: list[set[int]] = []
    alpha_waiters: list[list[int]] = []
    needs_of: dict[str, tuple[int, ...]] = {}
    shard_of = {key: number for number, shard in enumerate(shards) for key in shard.definition}
    for key, number in shard_of.items():
        needs: list[int] = []
        for expr, present in generated.alphas[key]:
            signature = json.dumps(expr, sort_keys=True)
            if signature not in alpha_index:
                alpha_index[signature] = len(alpha_exprs)
                alpha_exprs.append(expr)
                alpha_shards.append(set())
                alpha_waiters.append([])
            index = alpha_index[signature]
            alpha_shards[index].add(number)
            if present and index not in needs:
                needs.append(index)
        needs_of[key] = tuple(needs)
    by_signature: dict[str, tuple[list[Any], list[str], list[tuple[int, int, int]], list[str]]] = {}
    test_of: dict[str, int] = {}  # signature -> index in tests
    waiters: list[Waiter] = []
    for key in [*generated.direct, *generated.definition]:
        if key not in generated.matched and key not in generated.direct:
            continue  # anchored on its facts alone
        exprs = generated.profile[key]
        signature = json.dumps(exprs, sort_keys=True)
        test = test_of.setdefault(signature, len(test_of))
        entry = by_signature.setdefault(signature, (exprs, [], [], []))
        entry[3].append(key)
        if key not in generated.matched:
            entry[1].append(key)
        elif needs_of[key]:
            for index in needs_of[key]:
                alpha_waiters[index].append(len(waiters))
            waiters.append(Waiter(key, test, slot_of[key], needs_of[key]))
        else:
            entry[2].append(slot_of[key])
    tests = tuple(
        ProfileTest(_feature_test(exprs), tuple(direct), tuple(slots), tuple(keys))
        for exprs, direct, slots, keys in by_signature.values()
    )
    alphas = tuple(
        AlphaTest(expr["$and"][0]["n"], _expr_test(expr), tuple(sorted(alpha_shards[i])), tuple(alpha_waiters[i]))
        for i, expr in enumerate(alpha_exprs)
    )
    by_name: dict[str, list[int]] = {}
    for i, alpha in enumerate(alphas):
        by_name.setdefault(alpha.name, []).append(i)
    return CompiledPack(
        pack,
        tuple(generated.features.by_signature.values()),
        generated.branches,
        generated.layers,
        tests,
        tuple(shards),
        alphas,
        {name: tuple(indexes) for name, indexes in by_name.items()},
        tuple(waiters),
        tuple(i for i, test in enumerate(tests) if test.direct or test.slots),
    )


# -- the profile part in Python -----------------------------------------------------
def _feature_test(exprs: list[Any]) -> Callable[[dict[str, Any]], bool]:
    """The profile expressions of a branch, all of which must hold, as one Python test.

    They are the very expressions the Rete would run on the profile fact (the features
    of :meth:`CompiledPack.profile_fact`), with durable_rules' meaning: a test of a key
    the fact lacks is false, except ``$nex``.
    """
    parts = [_expr_test(e) for e in exprs]
    if not parts:
        return lambda fact: True
    if len(parts) == 1:
        return parts[0]
    return lambda fact: all(part(fact) for part in parts)


_PY_ORDER = {"$lt": operator.lt, "$lte": operator.le, "$gt": operator.gt, "$gte": operator.ge, "$neq": operator.ne}


def _expr_test(expr: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    ((op, arg),) = expr.items()
    if op in ("$and", "$or"):
        parts = [_expr_test(e) for e in arg]
        if op == "$and":
            return lambda fact: all(part(fact) for part in parts)
        return lambda fact: any(part(fact) for part in parts)
    if op in ("$ex", "$nex"):
        ((key, _),) = arg.items()
        return (lambda fact: key in fact) if op == "$ex" else (lambda fact: key not in fact)
    if op in _PY_ORDER:
        ((key, value),) = arg.items()
        compare = _PY_ORDER[op]
        return lambda fact: key in fact and compare(fact[key], value)
    if op.startswith("$"):
        raise EngineFault(f"no Python meaning for the profile expression {expr!r}")
    key, value = op, arg
    return lambda fact: key in fact and _same(fact[key], value)


def _same(left: Any, right: Any) -> bool:
    """Equality as the engine tests it: true and 1 are different values."""
    return left == right and isinstance(left, bool) == isinstance(right, bool)


def rule_problems(rules: Sequence[Rule], strata: dict[str, int]) -> list[Problem]:
    """What in these rules the engine cannot run, each at the rule that causes it."""
    return _generate(rules, strata).problems


@dataclass
class _Generated:
    definition: dict[str, Any]  # durable rules of the branches that test derived facts
    direct: list[str]  # branches on the profile alone
    branches: dict[str, Branch]
    features: _Features
    layers: int
    problems: list[Problem]
    tests: dict[str, dict[str, list[Any]]] = field(default_factory=dict)  # branch -> fact -> its expressions
    profile: dict[str, list[Any]] = field(default_factory=dict)  # branch -> its profile expressions
    matched: set[str] = field(default_factory=set)  # branches in a shard anchored on a match fact
    #: branch -> the alpha part of each of its fact tests, and whether the fact must be present
    alphas: dict[str, list[tuple[dict[str, Any], bool]]] = field(default_factory=dict)


def _at(rule: Rule, code: str, message: str) -> Problem:
    return Problem(rule.at.file, rule.at.line, rule.at.column, code, message)


def _generate(rules: Sequence[Rule], strata: dict[str, int]) -> _Generated:
    features = _Features()
    generated = _Generated({}, [], {}, features, 0, [])
    for index, rule in enumerate(rules):
        conjs = _dnf(rule.when, False, features)
        if len(conjs) > MAX_BRANCHES:
            generated.problems.append(
                _at(
                    rule,
                    "too-complex",
                    f"rule '{rule.id}' expands into {len(conjs)} alternatives, more than the {MAX_BRANCHES} "
                    "the engine runs; split it into several rules",
                )
            )
            continue
        layer = strata.get(rule.id, 0)
        for b, conj in enumerate(conjs):
            key = f"r{index}" if len(conjs) == 1 else f"r{index}.{b}"
            branch = _branch(key, rule, layer, conj, features, generated)
            if branch is None:
                break
            generated.branches[key] = branch
    return generated


def _branch(key: str, rule: Rule, layer: int, conj: _Conj, features: _Features, out: _Generated) -> Branch | None:
    """One disjunctive branch of a rule: on the profile alone, or a durable rule in ``out``."""
    out.profile[key] = conj.profile
    if not conj.facts and not conj.absent:
        out.direct.append(key)
        return Branch(key, rule, layer, tuple(conj.conditions), features.leaves, {})
    ordered = _order_facts(conj.facts)
    if ordered is None:
        out.problems.append(
            _at(
                rule,
                "join-cycle",
                f"rule '{rule.id}': its facts refer to each other in a circle; one must be matched first",
            )
        )
        return None
    for test in [*conj.facts, *conj.absent]:
        if len(test.where) > MAX_FACT_TESTS:
            out.problems.append(
                _at(
                    rule,
                    "too-complex",
                    f"rule '{rule.id}' tests {len(test.where)} attributes of fact '{test.name}' at once, more than "
                    f"the {MAX_FACT_TESTS} the engine runs; split the test over several facts",
                )
            )
            return None
    conditions: list[dict[str, Any]] = []
    if conj.absent and layer > 0:
        out.layers = max(out.layers, layer)
        conditions.append({"g": {"$and": [{"t": GATE}, {"k": layer}]}})
    if conj.conditions or not conj.facts:
        # The profile part is tested in Python; a match fact anchors the rule (its group
        # and slot are given when the shards are made).
        out.matched.add(key)
        conditions.append({MATCH: None})
    aliases: dict[str, str] = {}
    named: dict[str, str] = {}
    tests: dict[str, list[Any]] = {}
    alphas: list[tuple[dict[str, Any], bool]] = []
    for i, test in enumerate(ordered):
        alias = f"a_{test.alias}" if test.alias else f"d{i}"
        expr = _fact_expr(test, named)
        conditions.append({alias: expr})
        tests.setdefault(test.name, []).append(expr)
        alphas.append((_alpha(expr), True))
        aliases[alias] = test.name
        if test.alias:
            named[test.alias] = alias
    for i, test in enumerate(conj.absent):
        expr = _fact_expr(test, named)
        conditions.append({f"n{i}$not": expr})
        tests.setdefault(test.name, []).append(expr)
        alphas.append((_alpha(expr), False))
    out.alphas[key] = alphas
    out.definition[key] = {"all": conditions, "run": key}
    out.tests[key] = tests
    return Branch(key, rule, layer, tuple(conj.conditions), features.leaves, aliases)


def _alpha(expr: dict[str, Any]) -> dict[str, Any]:
    """A fact condition's tests on the fact alone: its name and constant attribute tests, no joins."""
    return {"$and": [e for e in expr["$and"][1:] if not _is_join(e)]}


def _shards(generated: _Generated) -> tuple[list[Shard], dict[str, tuple[int, int, int]]]:
    """Split the durable rules into rulesets that each stay inside durable_rules' limits.

    The limits are those of its structures (rete.c, events.c in 2.0.28): an alpha node
    holds at most 511 tests (past that, ``create_ruleset`` spins forever), 255 rules
    sharing one test (error 108), and matching one fact pushes every test it passes
    onto a 64-entry stack (error 303 at evaluation). A shard holds at most
    :data:`MAX_SHARD_RULES` rules, tests at most :data:`MAX_SHARD_FACTS` fact names,
    and at most :data:`MAX_TESTS_PER_FACT` tests of any one fact, so every node stays
    far inside all three, whatever the pack.
    """
    shards: list[dict[str, Any]] = []
    shard_of: dict[str, int] = {}
    current: dict[str, Any] = {}
    per_fact: dict[str, int] = {}
    for key, rule in generated.definition.items():
        tests = generated.tests[key]
        grown = {name: per_fact.get(name, 0) + _alpha_nodes(exprs) for name, exprs in tests.items()}
        names = set(per_fact) | set(tests)
        if current and (
            len(current) >= MAX_SHARD_RULES
            or len(names) > MAX_SHARD_FACTS
            or any(n > MAX_TESTS_PER_FACT for n in grown.values())
        ):
            shards.append(current)
            current, per_fact = {}, {}
            grown = {name: _alpha_nodes(exprs) for name, exprs in tests.items()}
        current[key] = rule
        per_fact.update(grown)
        shard_of[key] = len(shards)
    if current:
        shards.append(current)
    slot_of: dict[str, tuple[int, int, int]] = {}
    group = 0
    for number, definition in enumerate(shards):
        matched = [key for key in definition if key in generated.matched]
        for start in range(0, len(matched), MATCH_GROUP):
            group += 1
            for slot, key in enumerate(matched[start : start + MATCH_GROUP]):
                slot_of[key] = (number, group, slot)
                conditions = definition[key]["all"]
                at = next(i for i, c in enumerate(conditions) if c == {MATCH: None})
                conditions[at] = {MATCH: {"$and": [{"t": MATCH}, {"g": group}, {f"k{slot}": True}]}}
    built = []
    for definition in shards:
        gates = frozenset(generated.branches[key].layer for key, rule in definition.items() if "g" in rule["all"][0])
        built.append(Shard(definition, gates))
    return built, slot_of


def _alpha_nodes(exprs: list[Any]) -> int:
    """How many alpha tests a fact's expressions add below its name test (an upper bound)."""
    return sum(len(e["$and"]) - 2 for e in exprs)


# -- the allow-list -------------------------------------------------------------------
_COMPARISONS = ("$lt", "$lte", "$gt", "$gte", "$neq")


def _check_definition(definition: dict[str, Any]) -> None:
    """Check the generated ruleset uses only constructs verified on durable_rules 2.0.28.

    durable_rules accepts some wrong input silently (``$ne`` read as a join that never
    matches, a join to a missing alias, ``pri`` wrapping); anything outside this list
    is a compiler bug, raised as :class:`EngineFault`.
    """
    for key, rule in definition.items():
        if set(rule) != {"all", "run"} or rule["run"] != key or not isinstance(rule["all"], list):
            raise EngineFault(f"generated rule {key} has an unexpected shape: {sorted(rule)}")
        seen: list[str] = []
        for cond in rule["all"]:
            if len(cond) != 1:
                raise EngineFault(f"generated rule {key}: a condition binds {len(cond)} aliases")
            alias, expr = next(iter(cond.items()))
            _check_expr(key, expr, seen, top=True)
            seen.append(alias)


def _check_expr(rule: str, expr: Any, seen: list[str], top: bool = False) -> None:
    if not isinstance(expr, dict) or len(expr) != 1:
        raise EngineFault(f"generated rule {rule}: malformed expression {expr!r}")
    op, arg = next(iter(expr.items()))
    if op in ("$and", "$or"):
        if not isinstance(arg, list) or not arg:
            raise EngineFault(f"generated rule {rule}: {op} needs a list")
        joins = [child for child in arg if _is_join(child)]
        if op == "$or" and joins:
            raise EngineFault(f"generated rule {rule}: a join inside $or (durable_rules misreads its sequence)")
        if joins and not _is_guard(joins[-1]):
            raise EngineFault(f"generated rule {rule}: the last join of a condition must be the guard join")
        seen_or = False
        for child in arg:
            if _has_or(child):
                seen_or = True
            elif seen_or and _is_join(child):
                raise EngineFault(f"generated rule {rule}: a join follows an $or (durable_rules drops it)")
            _check_expr(rule, child, seen)
        return
    if op in ("$ex", "$nex"):
        if not (isinstance(arg, dict) and len(arg) == 1 and next(iter(arg.values())) == 1):
            raise EngineFault(f"generated rule {rule}: malformed {op}")
        return
    if op in _COMPARISONS:
        if not isinstance(arg, dict) or len(arg) != 1:
            raise EngineFault(f"generated rule {rule}: malformed {op}")
        _check_operand(rule, next(iter(arg.values())), seen)
        return
    if op.startswith("$"):
        raise EngineFault(f"generated rule {rule}: operator {op} is not on the verified list")
    _check_operand(rule, arg, seen)


def _check_operand(rule: str, value: Any, seen: list[str]) -> None:
    if isinstance(value, dict):
        if len(value) != 1 or next(iter(value)) not in seen:
            raise EngineFault(f"generated rule {rule}: join to an alias not matched earlier: {value!r}")
    elif isinstance(value, bool) or value is None or isinstance(value, (int, float, str)):
        return
    else:
        raise EngineFault(f"generated rule {rule}: operand of unsupported type {type(value).__name__}")
