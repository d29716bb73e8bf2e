"""One forward-chaining evaluation of a profile, recorded as a trace of frozen events.

The session asserts the flat profile fact, then one layer gate per negation layer, and
lets durable_rules chain: each firing's effects are applied here (derived facts are
asserted back into the same session, at most once each) and recorded, as plain data,
with the rule id, the profile values it tested and the derived facts it matched. The
trace serialises to JSON and back; explaining and rendering are elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .compiler import AlphaTest, CompiledPack, ProfileTest, derived_fact, gate_fact, match_fact
from .durable_engine import Rulesets
from .errors import EngineFault
from .profile import Profile
from .rules import Derive, Effect, Ref, RulePack

#: A pack whose rules keep deriving past this many firings is a bug in the pack or engine.
MAX_FIRINGS = 100_000


@dataclass(frozen=True, order=True)
class DerivedFact:
    """A fact a rule derived: its declared name and attribute values."""

    name: str
    attributes: tuple[tuple[str, Any], ...] = ()

    def label(self) -> str:
        if not self.attributes:
            return self.name
        inner = ", ".join(f"{k}={json.dumps(v) if isinstance(v, str) else v}" for k, v in self.attributes)
        return f"{self.name}({inner})"

    def to_data(self) -> list:
        return [self.name, [list(pair) for pair in self.attributes]]

    @classmethod
    def from_data(cls, data: list) -> DerivedFact:
        name, attributes = data
        return cls(name, tuple((k, v) for k, v in attributes))


@dataclass(frozen=True, order=True)
class MatchedField:
    """A profile value a rule tested, as the engine saw it when the rule fired."""

    field: str  # dotted path; a list's item fields are counted, not named
    measure: str  # "value", "count", "count-matching", "count-not-matching" or "days-after-as-of"
    value: Any


@dataclass(frozen=True)
class Firing:
    """A rule fired: which rule, what it matched and what it derived. Plain data."""

    rule_id: str
    matched: tuple[DerivedFact, ...]  # derived facts it matched, in condition order
    derived: tuple[DerivedFact, ...]  # derived facts its effects assert
    values: tuple[MatchedField, ...]  # the profile values that made it hold

    def sort_key(self) -> tuple:
        return (self.rule_id, self.matched)

    def to_data(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "matched": [f.to_data() for f in self.matched],
            "derived": [f.to_data() for f in self.derived],
            "values": [[v.field, v.measure, v.value] for v in self.values],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Firing:
        return cls(
            data["rule"],
            tuple(DerivedFact.from_data(f) for f in data["matched"]),
            tuple(DerivedFact.from_data(f) for f in data["derived"]),
            tuple(MatchedField(*v) for v in data["values"]),
        )


def effects(firing: Firing, pack: RulePack) -> tuple[Effect, ...]:
    """The effects of the rule that fired (a trace names rules; the pack holds them)."""
    return pack.rule(firing.rule_id).then


@dataclass(frozen=True)
class Trace:
    """Everything one evaluation did, in a canonical order (not firing order). Plain data:
    :meth:`to_json` and :meth:`from_json` round-trip it."""

    as_of: dt.date
    firings: tuple[Firing, ...]
    facts: tuple[DerivedFact, ...]

    _derived_by: dict[DerivedFact, tuple[Firing, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[DerivedFact, list[Firing]] = {}
        for firing in self.firings:
            for fact in firing.derived:
                index.setdefault(fact, []).append(firing)
        object.__setattr__(self, "_derived_by", {fact: tuple(fs) for fact, fs in index.items()})

    def derivations(self, fact: DerivedFact) -> tuple[Firing, ...]:
        """The firings that derived ``fact``, in trace order."""
        return self._derived_by.get(fact, ())

    def fired(self, rule_id: str) -> tuple[Firing, ...]:
        """The firings of one rule, in trace order."""
        return tuple(f for f in self.firings if f.rule_id == rule_id)

    def to_json(self) -> str:
        """The trace as deterministic JSON text."""
        data = {
            "as_of": self.as_of.isoformat(),
            "firings": [f.to_data() for f in self.firings],
            "facts": [f.to_data() for f in self.facts],
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Trace:
        """A trace written by :meth:`to_json`."""
        data = json.loads(text)
        return cls(
            dt.date.fromisoformat(data["as_of"]),
            tuple(Firing.from_data(f) for f in data["firings"]),
            tuple(DerivedFact.from_data(f) for f in data["facts"]),
        )


@dataclass(frozen=True)
class Evaluation:
    """A profile, the date it was judged at, and the trace of everything that fired."""

    profile: Profile
    as_of: dt.date
    trace: Trace


class Session:
    """Evaluates profiles against one compiled pack; safe to share between threads."""

    def __init__(self, compiled: CompiledPack) -> None:
        self.compiled = compiled
        self._rulesets = Rulesets(shard.definition for shard in compiled.shards)

    def evaluate(self, profile: Profile, as_of: dt.date) -> Trace:
        """Run every rule to a fixpoint for ``profile`` as of ``as_of``.

        Rules on the profile alone are tested in Python; each rule that also tests
        derived facts gets a match fact in its shard when its profile part holds. Every
        derived fact goes to each shard that tests it, until none is new; then the next
        layer's gate opens the rules that wait for the absence of a fact.

        Raises:
            EngineFault: the engine misbehaved (never for bad input).
        """
        compiled = self.compiled
        firings: dict[tuple, Firing] = {}
        asserted: set[str] = set()
        facts: set[DerivedFact] = set()
        pending: deque[dict[str, Any]] = deque()

        def on_fire(key: str, matched: dict[str, dict[str, Any]]) -> None:
            rule = compiled.branches[key].rule
            try:
                fire(key, matched)
            except EngineFault as fault:
                if fault.problems[0].line:
                    raise
                raise EngineFault(f"rule '{rule.id}': {fault.message}", rule.at) from fault
            except Exception as exc:
                raise EngineFault(f"rule '{rule.id}' failed while it ran: {exc!r}", rule.at) from exc

        def fire(key: str, matched: dict[str, dict[str, Any]]) -> None:
            branch = compiled.branches[key]
            rule = branch.rule
            bound = {alias: _as_derived(matched[alias]) for alias in branch.aliases}
            identity = (rule.id, tuple(sorted(bound.values())))
            if identity in firings:
                return  # the same match through another branch of an `any`
            if len(firings) >= MAX_FIRINGS:
                raise EngineFault(f"more than {MAX_FIRINGS} rule firings: the rules do not settle")
            by_alias = {alias[2:]: fact for alias, fact in matched.items() if alias.startswith("a_")}
            derived: list[DerivedFact] = []
            for effect in rule.then:
                if isinstance(effect, Derive):
                    attrs = tuple(
                        (attr, by_alias[v.alias]["v_" + v.attribute] if isinstance(v, Ref) else v)
                        for attr, v in effect.attributes
                    )
                    fact = DerivedFact(effect.fact, attrs)
                    derived.append(fact)
                    body = derived_fact(effect.fact, attrs)
                    if body["id"] not in asserted:
                        asserted.add(body["id"])
                        facts.add(fact)
                        pending.append(body)
            values = tuple(MatchedField(*v) for v in branch.matched_values(profile, as_of, profile_fact))
            firings[identity] = Firing(rule.id, tuple(bound.values()), tuple(derived), values)

        profile_fact = compiled.profile_fact(profile, as_of)
        decided: dict[int, bool] = {}  # profile test -> whether it holds, once asked
        passed: set[int] = set()  # alpha tests some derived fact has passed
        opened: set[int] = set()  # shards with a session
        gated = 0  # the layers whose gate is open

        def holds(index: int) -> bool:
            if index not in decided:
                decided[index] = _holds(compiled.tests[index], profile_fact, compiled)
            return decided[index]

        with self._rulesets.session() as assert_into:

            def send(shard: int, fact: dict[str, Any]) -> None:
                if shard not in opened:
                    # A shard first reached after gates opened gets them first.
                    opened.add(shard)
                    for layer in sorted(compiled.shards[shard].gates):
                        if layer <= gated:
                            assert_into(shard, gate_fact(layer), on_fire)
                assert_into(shard, fact, on_fire)

            def send_matches(groups: dict[tuple[int, int], list[int]], first: bool) -> None:
                for (shard, group), slots in sorted(groups.items()):
                    slots.sort()
                    send(shard, match_fact(group, slots, None if first else slots[0]))

            def settle() -> None:
                while pending:
                    body = pending.popleft()
                    targets: set[int] = set()
                    ready: dict[tuple[int, int], list[int]] = {}
                    for index in compiled.alphas_by_name.get(body["n"], ()):
                        alpha = compiled.alphas[index]
                        if not _passes(alpha, body):
                            continue
                        targets.update(alpha.shards)
                        if index in passed:
                            continue
                        passed.add(index)
                        for number in alpha.waiters:
                            waiter = compiled.waiters[number]
                            if all(need in passed for need in waiter.needs) and holds(waiter.test):
                                shard, group, slot = waiter.slot
                                ready.setdefault((shard, group), []).append(slot)
                    for shard in sorted(targets):
                        send(shard, body)
                    send_matches(ready, first=False)

            groups: dict[tuple[int, int], list[int]] = {}
            for index in compiled.upfront:
                if holds(index):
                    test = compiled.tests[index]
                    for key in test.direct:
                        on_fire(key, {})
                    for shard, group, slot in test.slots:
                        groups.setdefault((shard, group), []).append(slot)
            send_matches(groups, first=True)
            settle()
            for layer in range(1, compiled.layers + 1):
                gated = layer
                for shard in sorted(opened):
                    if layer in compiled.shards[shard].gates:
                        assert_into(shard, gate_fact(layer), on_fire)
                settle()
        ordered = tuple(sorted(firings.values(), key=Firing.sort_key))
        return Trace(as_of, ordered, tuple(sorted(facts)))


def _holds(test: ProfileTest, fact: dict[str, Any], compiled: CompiledPack) -> bool:
    """A profile test; a failure of it is reported at the first rule that uses it."""
    try:
        return test.holds(fact)
    except Exception as exc:
        rule = compiled.branches[test.keys[0]].rule
        raise EngineFault(f"rule '{rule.id}': its conditions on the profile failed: {exc!r}", rule.at) from exc


def _passes(alpha: AlphaTest, body: dict[str, Any]) -> bool:
    try:
        return alpha.holds(body)
    except Exception as exc:
        raise EngineFault(f"a test of fact '{alpha.name}' failed on {body['id']}: {exc!r}") from exc


def _as_derived(fact: dict[str, Any]) -> DerivedFact:
    attrs = tuple(sorted((k[2:], v) for k, v in fact.items() if k.startswith("v_")))
    return DerivedFact(fact["n"], attrs)
