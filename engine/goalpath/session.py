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
from dataclasses import dataclass, field
from typing import Any

from .compiler import CompiledPack, derived_fact, gate_fact
from .durable_engine import DurableRuleset
from .errors import EngineFault
from .profile import Profile
from .rules import Derive, Effect, Ref, RulePack

#: A pack whose rules keep deriving past this many firings is a bug in the pack or engine.
MAX_FIRINGS = 20_000


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
        self._ruleset = DurableRuleset(compiled.definition)

    def evaluate(self, profile: Profile, as_of: dt.date) -> Trace:
        """Run every rule to a fixpoint for ``profile`` as of ``as_of``.

        Raises:
            EngineFault: the engine misbehaved (never for bad input).
        """
        compiled = self.compiled
        firings: dict[tuple, Firing] = {}
        asserted: set[str] = set()
        facts: set[DerivedFact] = set()

        def on_fire(key: str, matched: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
            branch = compiled.branches[key]
            rule = branch.rule
            bound = {alias: _as_derived(matched[alias]) for alias in branch.aliases}
            identity = (rule.id, tuple(sorted(bound.values())))
            if identity in firings:
                return []  # the same match through another branch of an `any`
            if len(firings) >= MAX_FIRINGS:
                raise EngineFault(f"more than {MAX_FIRINGS} rule firings: the rules do not settle")
            by_alias = {alias[2:]: fact for alias, fact in matched.items() if alias.startswith("a_")}
            derived: list[DerivedFact] = []
            out: list[dict[str, Any]] = []
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
                        out.append(body)
            values = tuple(MatchedField(*v) for v in branch.matched_values(profile, as_of, profile_fact))
            firings[identity] = Firing(rule.id, tuple(bound.values()), tuple(derived), values)
            return out

        profile_fact = compiled.profile_fact(profile, as_of)
        start = [profile_fact] + [gate_fact(k) for k in range(1, compiled.layers + 1)]
        self._ruleset.run(start, on_fire)
        ordered = tuple(sorted(firings.values(), key=Firing.sort_key))
        return Trace(as_of, ordered, tuple(sorted(facts)))


def _as_derived(fact: dict[str, Any]) -> DerivedFact:
    attrs = tuple(sorted((k[2:], v) for k, v in fact.items() if k.startswith("v_")))
    return DerivedFact(fact["n"], attrs)
