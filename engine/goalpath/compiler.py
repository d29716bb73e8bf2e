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
from collections import Counter
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
#: durable_rules hangs with more distinct equality values under one attribute (measured ~511).
MAX_EQUALITY_VALUES = 400
#: durable_rules fails (error 108) when more rules share one identical condition (measured 256).
MAX_SHARED_CONDITION = 200

PROFILE = "p"
DERIVED = "d"
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
class CompiledPack:
    """A rule pack turned into a durable_rules definition plus what the session needs."""

    pack: RulePack
    definition: dict[str, Any]
    features: tuple[Feature, ...]
    branches: dict[str, Branch]
    layers: int  # number of layer gates to assert (0 when nothing is negated)
    _computers: tuple[tuple[str, Callable[[Any, dt.date], Any]], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_computers", tuple((f.key, f.compute) for f in self.features))

    def profile_fact(self, profile: Any, as_of: dt.date) -> dict[str, Any]:
        fact: dict[str, Any] = {"t": PROFILE, "id": PROFILE}
        for key, compute in self._computers:
            value = compute(profile, as_of)
            if value is not None:
                fact[key] = value
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
    """Compile a checked pack into a durable_rules definition.

    Raises:
        RulesError: a rule expands past what the engine can run (too many branches,
            circular joins, or the measured scale limits of durable_rules); loading
            reports these too (:func:`rule_problems`), so a loaded pack never does.
    """
    generated = _generate(pack.rules, pack.strata)
    if generated.problems:
        raise RulesError(generated.problems)
    _check_definition(generated.definition)
    feats = tuple(generated.features.by_signature.values())
    return CompiledPack(pack, generated.definition, feats, generated.branches, generated.layers)


def rule_problems(rules: Sequence[Rule], strata: dict[str, int]) -> list[Problem]:
    """What in these rules the engine cannot run, each at the rule that causes it."""
    return _generate(rules, strata).problems


@dataclass
class _Generated:
    definition: dict[str, Any]
    branches: dict[str, Branch]
    features: _Features
    layers: int
    problems: list[Problem]


def _at(rule: Rule, code: str, message: str) -> Problem:
    return Problem(rule.at.file, rule.at.line, rule.at.column, code, message)


def _generate(rules: Sequence[Rule], strata: dict[str, int]) -> _Generated:
    features = _Features()
    definition: dict[str, Any] = {}
    branches: dict[str, Branch] = {}
    layers = 0
    problems: list[Problem] = []
    for index, rule in enumerate(rules):
        conjs = _dnf(rule.when, False, features)
        if len(conjs) > MAX_BRANCHES:
            problems.append(
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
            conditions: list[dict[str, Any]] = []
            gated = bool(conj.absent) and layer > 0
            if gated:
                layers = max(layers, layer)
                conditions.append({"g": {"$and": [{"t": GATE}, {"k": layer}]}})
            if conj.profile or not conj.facts:
                exprs = [{"t": PROFILE}, *conj.profile]
                conditions.append({PROFILE: {"$and": exprs} if len(exprs) > 1 else exprs[0]})
            aliases: dict[str, str] = {}
            named: dict[str, str] = {}
            ordered = _order_facts(conj.facts)
            if ordered is None:
                problems.append(
                    _at(
                        rule,
                        "join-cycle",
                        f"rule '{rule.id}': its facts refer to each other in a circle; one must be matched first",
                    )
                )
                break
            for i, test in enumerate(ordered):
                alias = f"a_{test.alias}" if test.alias else f"d{i}"
                conditions.append({alias: _fact_expr(test, named)})
                aliases[alias] = test.name
                if test.alias:
                    named[test.alias] = alias
            for i, test in enumerate(conj.absent):
                conditions.append({f"n{i}$not": _fact_expr(test, named)})
            definition[key] = {"all": conditions, "run": key}
            branches[key] = Branch(key, rule, layer, tuple(conj.conditions), features.leaves, aliases)
    problems += _scale_problems(definition, branches, features)
    return _Generated(definition, branches, features, layers, problems)


def _scale_problems(definition: dict[str, Any], branches: dict[str, Branch], features: _Features) -> list[Problem]:
    """The measured scale limits of durable_rules, each reported at the rule that crosses it."""
    problems: list[Problem] = []
    values: dict[str, set[str]] = {}
    sharing: Counter[str] = Counter()
    for key, rule in definition.items():
        owner = branches[key].rule
        for cond in rule["all"]:
            for attr, value in _equalities(next(iter(cond.values()))):
                seen = values.setdefault(attr, set())
                if value not in seen:
                    seen.add(value)
                    if len(seen) == MAX_EQUALITY_VALUES + 1:
                        what = (
                            "fact names are matched"
                            if attr == "n"
                            else f"values are tested on '{_attr_name(attr, features)}'"
                        )
                        problems.append(
                            _at(
                                owner,
                                "too-large",
                                f"with rule '{owner.id}', more than {MAX_EQUALITY_VALUES} different {what}, the most "
                                "the engine runs (split the pack, or tell facts apart by an attribute)",
                            )
                        )
            shared = json.dumps(cond, sort_keys=True)
            sharing[shared] += 1
            if sharing[shared] == MAX_SHARED_CONDITION + 1:
                problems.append(
                    _at(
                        owner,
                        "too-large",
                        f"with rule '{owner.id}', more than {MAX_SHARED_CONDITION} rules share one identical condition, the most "
                        "the engine runs (derive one fact from that condition and match the fact)",
                    )
                )
    return problems


def _attr_name(attr: str, features: _Features) -> str:
    if attr.startswith("v_"):
        return attr[2:]
    feature = features.by_key.get(attr)
    return feature.path if feature is not None else attr


def _equalities(expr: Any) -> Iterable[tuple[str, str]]:
    """(attribute, value) of every plain equality test in a generated expression."""
    if not isinstance(expr, dict) or len(expr) != 1:
        return
    op, arg = next(iter(expr.items()))
    if op in ("$and", "$or") and isinstance(arg, list):
        for child in arg:
            yield from _equalities(child)
    elif not op.startswith("$") and not isinstance(arg, dict):
        yield op, json.dumps(arg)


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
