"""The rule language as typed, frozen objects: conditions, effects, rules, actions, packs.

These are produced only by :mod:`goalpath.loader`, which checks them against the profile
schema, so later stages trust them without re-validating.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Union

#: Comparison operators as written in rule files, and what they mean.
FIELD_OPERATORS = {
    "is": "equals",
    "is_not": "differs from (or is absent)",
    "below": "is less than",
    "at_most": "is at most",
    "above": "is greater than",
    "at_least": "is at least",
    "in": "is one of",
    "not_in": "is none of (or is absent)",
    "present": "is filled in (true) or left empty (false)",
}
ORDERING_OPERATORS = ("below", "at_most", "above", "at_least")
COUNT_OPERATORS = ("is", "is_not", "below", "at_most", "above", "at_least")
EFFORT_POINTS = {"low": 1, "medium": 2, "high": 3}

#: The ordering tiers, first to last. A recommendation is ranked by its tier first and
#: by its score only within the tier (docs/rule-language.md, "Ranking").
TIERS = ("fix-first", "start-here", "alongside", "this-quarter", "keep-up")
#: How each tier is headed for people.
TIER_TITLES = {
    "fix-first": "Fix first",
    "start-here": "Start here",
    "alongside": "Alongside it",
    "this-quarter": "Also this quarter",
    "keep-up": "Keep it going",
}
DEFAULT_TIER = "this-quarter"

Scalar = Union[str, int, float, bool, dt.date]


@dataclass(frozen=True)
class Location:
    """Where something is written: file as named to the user, 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class RelativeDate:
    """A date written as ``today``, ``today+30`` or ``today-7`` (days from the as-of date)."""

    days: int

    def __str__(self) -> str:
        return "today" if self.days == 0 else f"today{self.days:+d}"


@dataclass(frozen=True)
class Ref:
    """The value of an attribute of a fact matched earlier in the same rule (a join)."""

    alias: str
    attribute: str

    def __str__(self) -> str:
        return f"{self.alias}.{self.attribute}"


Value = Union[Scalar, RelativeDate, tuple[Scalar, ...]]


@dataclass(frozen=True)
class FieldTest:
    """``field: PATH`` with one operator, on a scalar profile field (or a list item's field)."""

    path: str
    op: str
    value: Value
    kind: str  # the field's kind: bool, int, float, text, choice, date, object, list
    at: Location
    computed: bool = False  # a computed field (a method of the profile model taking the as-of date)


@dataclass(frozen=True)
class ListTest:
    """``field: LIST`` with ``any``/``all``/``none``/``count`` over its items."""

    path: str
    quantifier: Literal["any", "all", "none", "count"]
    item: Condition | None
    count_op: str | None
    count_value: int | None
    at: Location


@dataclass(frozen=True)
class AttrTest:
    """One attribute test inside a derived-fact condition's ``where``."""

    attribute: str
    op: str
    value: Scalar | tuple[Scalar, ...] | Ref


@dataclass(frozen=True)
class FactTest:
    """``fact: NAME``: a derived fact exists (optionally bound to an alias, with tests)."""

    name: str
    alias: str | None
    where: tuple[AttrTest, ...]
    at: Location


@dataclass(frozen=True)
class AllOf:
    children: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    child: Condition


Condition = Union[FieldTest, ListTest, FactTest, AllOf, AnyOf, Not]


def walk(cond: Condition) -> Iterator[Condition]:
    """Every condition in a tree, the root first, list items' conditions included."""
    yield cond
    if isinstance(cond, (AllOf, AnyOf)):
        for child in cond.children:
            yield from walk(child)
    elif isinstance(cond, Not):
        yield from walk(cond.child)
    elif isinstance(cond, ListTest) and cond.item is not None:
        yield from walk(cond.item)


@dataclass(frozen=True)
class Derive:
    """Assert a derived fact that other rules can match."""

    fact: str
    attributes: tuple[tuple[str, Scalar | Ref], ...]
    at: Location


@dataclass(frozen=True)
class Recommend:
    """Recommend a catalog action, optionally overriding its impact or tier for this reason."""

    action: str
    impact: int | None
    at: Location
    tier: str | None = None


@dataclass(frozen=True)
class Adjust:
    """Boost (points > 0) or suppress (points < 0) an action that some rule recommends."""

    action: str
    points: float
    at: Location


@dataclass(frozen=True)
class Hold:
    """Hold an action back, whatever its score, if some rule recommends it."""

    action: str
    at: Location


Effect = Union[Derive, Recommend, Adjust, Hold]


@dataclass(frozen=True)
class FactType:
    """A declared derived fact: its name, plain-words meaning and attribute kinds."""

    name: str
    about: str
    attributes: tuple[tuple[str, Literal["text", "number", "flag"]], ...]
    at: Location


@dataclass(frozen=True)
class Step:
    """Where an action sits in a staged framework (``order`` 1 is the first step).

    ``starts_with`` is the earliest step of the same framework alongside which this
    action may start: ``order`` itself when it waits for every step before it.
    """

    framework: str
    order: int
    starts_with: int = 0

    def __post_init__(self) -> None:
        if not self.starts_with:
            object.__setattr__(self, "starts_with", self.order)


@dataclass(frozen=True)
class Action:
    """An entry of the action catalog: what to do, what it proves, when it is done."""

    id: str
    title: str
    do: str
    evidence: str
    done_when: str
    effort: Literal["low", "medium", "high"]
    impact: int
    lead_time_months: float
    step: Step | None
    priorities: tuple[str, ...]
    cites: str | None
    at: Location
    tier: str = DEFAULT_TIER


@dataclass(frozen=True)
class Framework:
    """A staged framework, and the derived fact that marks each of its steps still open.

    The fact has a number attribute ``step``; a dated plan reads the open steps from it.
    """

    name: str
    open_fact: str
    at: Location


@dataclass(frozen=True)
class Retired:
    """A rule or action id that was retired, and the id that now does its job."""

    kind: Literal["rule", "action"]
    id: str
    successor: str
    at: Location


@dataclass(frozen=True)
class Rule:
    """A rule: when its conditions hold for the profile and derived facts, apply effects."""

    id: str
    title: str
    cites: str
    when: Condition
    then: tuple[Effect, ...]
    at: Location


@dataclass(frozen=True)
class PackLayer:
    """One pack of a stack, as a result records it: name, version, files and a content hash."""

    name: str
    version: str | None
    files: tuple[str, ...]
    sha256: str  # the first 16 hex digits of a SHA-256 over the pack's files


@dataclass(frozen=True)
class Change:
    """How a pack changed a rule or action of a pack below it, by id: the layering record."""

    kind: Literal["rule", "action"]
    id: str
    how: Literal["overridden", "disabled", "reweighted"]
    at: Location  # the override, disable or reweight entry
    pack: str
    original: Location  # where the lower pack defines it
    original_pack: str
    #: What the change set: the fields an action override or reweight gives, ("impact",)
    #: for a rule's reweight, ("*",) for what replaces or drops it whole.
    fields: tuple[str, ...] = ("*",)
    #: For a disabled action: the rules that lost their effects on it (a rule left with
    #: no effect is dropped too).
    affected: tuple[str, ...] = ()


@dataclass(frozen=True)
class RulePack:
    """A loaded, fully checked rule pack: the files it came from and their contents."""

    files: tuple[str, ...]
    facts: tuple[FactType, ...]
    actions: tuple[Action, ...]
    rules: tuple[Rule, ...]
    #: Retired ids, each with the id that replaced it (ids are a public interface).
    retired: tuple[Retired, ...] = ()
    #: The staged frameworks whose open steps a dated plan schedules.
    frameworks: tuple[Framework, ...] = ()
    #: The pack's name and version, from the first ``pack:`` section that gives them.
    name: str = "rules"
    version: str | None = None
    #: The packs it is made of, lowest first.
    layers: tuple[PackLayer, ...] = ()
    #: What each pack changed of the packs below it, in the order the changes were made.
    changes: tuple[Change, ...] = ()
    #: Evaluation layer of each rule id: a rule that matches the absence of a fact runs
    #: in a later layer than every rule that can derive that fact.
    strata: dict[str, int] = field(default_factory=dict, compare=False)
    _index: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def __repr__(self) -> str:
        # The fields' own repr runs to megabytes for a big pack (and hangs a debugger or a test report).
        version = f" {self.version}" if self.version else ""
        return (
            f"<RulePack {self.name}{version}: {len(self.rules)} rules, {len(self.actions)} actions, "
            f"{len(self.files)} files>"
        )

    def pack_of(self, at: Location) -> str:
        """The name of the pack whose files hold ``at`` (the stack's name if none does)."""
        for layer in reversed(self.layers):
            if at.file in layer.files:
                return layer.name
        return self.name

    def action(self, action_id: str) -> Action:
        """The catalog action with this id, or with the successor of a retired id."""
        return self._lookup("action:", action_id, self.actions)  # type: ignore[return-value]

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id, or with the successor of a retired id."""
        return self._lookup("rule:", rule_id, self.rules)  # type: ignore[return-value]

    def fact_type(self, name: str) -> FactType:
        return self._lookup("fact:", name, self.facts)  # type: ignore[return-value]

    def position(self, rule_id: str) -> int:
        """Where the rule stands in the pack (file order, then order within the file)."""
        return self._lookup("position:", rule_id, self.rules)  # type: ignore[return-value]

    def _lookup(self, prefix: str, key: str, items: tuple) -> object:
        if not self._index:
            for kind, group in (("action:", self.actions), ("rule:", self.rules), ("fact:", self.facts)):
                for item in group:
                    self._index[kind + getattr(item, "id", getattr(item, "name", ""))] = item
            for position, rule in enumerate(self.rules):
                self._index[f"position:{rule.id}"] = position
            for old in self.retired:
                self._index[f"{old.kind}:{old.id}"] = self._index[f"{old.kind}:{old.successor}"]
        return self._index[prefix + key]
