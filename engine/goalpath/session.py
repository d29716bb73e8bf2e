"""One forward-chaining evaluation of a profile, recorded as a trace of frozen events.

The session asserts the flat profile fact, then one layer gate per negation layer, and
lets durable_rules chain: each firing's effects are applied here (derived facts are
asserted back into the same session, at most once each) and recorded with the rule,
the profile values it tested and the derived facts it matched. Rendering is elsewhere.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from .compiler import Branch, CompiledPack, derived_fact, gate_fact
from .durable_engine import DurableRuleset
from .errors import EngineFault
from .profile import Profile
from .rules import Adjust, Derive, Hold, Recommend, Ref, Rule

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


@dataclass(frozen=True)
class Firing:
    """A rule fired: what it matched and what it produced."""

    rule: Rule
    matched: tuple[DerivedFact, ...]  # derived facts it matched, in condition order
    derived: tuple[DerivedFact, ...]  # derived facts its effects assert
    _branch: Branch
    _profile: Profile
    _as_of: dt.date
    _profile_fact: dict[str, Any]

    @property
    def profile_values(self) -> tuple[tuple[str, Any], ...]:
        """(field, value) for each profile test that made the rule fire, as the engine saw it."""
        return self._branch.matched_values(self._profile, self._as_of, self._profile_fact)

    @property
    def recommends(self) -> tuple[Recommend, ...]:
        return tuple(e for e in self.rule.then if isinstance(e, Recommend))

    @property
    def adjusts(self) -> tuple[Adjust, ...]:
        return tuple(e for e in self.rule.then if isinstance(e, Adjust))

    @property
    def holds(self) -> tuple[Hold, ...]:
        return tuple(e for e in self.rule.then if isinstance(e, Hold))

    def sort_key(self) -> tuple:
        return (self.rule.id, self.matched)


@dataclass(frozen=True)
class Trace:
    """Everything one evaluation did, in a canonical order (not firing order)."""

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
            firings[identity] = Firing(
                rule, tuple(bound.values()), tuple(derived), branch, profile, as_of, profile_fact
            )
            return out

        profile_fact = compiled.profile_fact(profile, as_of)
        start = [profile_fact] + [gate_fact(k) for k in range(1, compiled.layers + 1)]
        self._ruleset.run(start, on_fire)
        ordered = tuple(sorted(firings.values(), key=Firing.sort_key))
        return Trace(as_of, ordered, tuple(sorted(facts)))


def _as_derived(fact: dict[str, Any]) -> DerivedFact:
    attrs = tuple(sorted((k[2:], v) for k, v in fact.items() if k.startswith("v_")))
    return DerivedFact(fact["n"], attrs)
