"""Typed, JSON-serialisable results: ranked actions with their scores and reasons."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, Optional

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleRef(_Result):
    """A rule as cited in an explanation."""

    id: str
    title: str
    source: str  # file:line
    cites: str  # the article section the rule encodes
    pack: str  # the pack the rule is written in


class MatchedValue(_Result):
    """A profile value a rule tested, as the engine saw it."""

    field: str  # the dotted profile path
    measure: Literal["value", "count", "count-matching", "count-not-matching", "days-after-as-of"]
    value: Any


class FactStep(_Result):
    """A derived fact a rule matched, with the reasons it was derived."""

    fact: str
    about: str
    derived_by: list[Reason]


class Reason(_Result):
    """Why: a rule that fired, the profile values it matched and the facts it built on."""

    rule: RuleRef
    matched: list[MatchedValue]
    via: list[FactStep]


class Adjustment(_Result):
    rule: RuleRef
    points: float


class Score(_Result):
    """The score breakdown: ``total = impact × urgency × fit / effort + Σ adjustments``."""

    total: float
    base: float
    impact: int
    urgency: float
    fit: float
    effort: int
    months_left: Optional[float]  # what urgency measured the lead time against (None: no date)
    adjustments: list[Adjustment]


class StepInfo(_Result):
    model_config = ConfigDict(frozen=True, extra="forbid", from_attributes=True)

    framework: str
    order: int
    starts_with: int  # the earliest step of the framework alongside which it may start


class ActionInfo(_Result):
    """A catalog action as shown to the person, read off the pack's action by attribute name."""

    model_config = ConfigDict(frozen=True, extra="forbid", from_attributes=True)

    id: str
    title: str
    do: str
    evidence: str
    done_when: str
    effort: Literal["low", "medium", "high"]
    impact: int
    lead_time_months: float
    step: Optional[StepInfo]
    priorities: list[str]
    tier: str  # the catalog's tier, used when a rule names none
    source: str = Field(validation_alias=AliasChoices("source", "at"))  # file:line in the pack

    @field_validator("source", mode="before")
    @classmethod
    def _location_as_text(cls, value: Any) -> Any:
        return value if isinstance(value, str) else str(value)


Tier = Literal["fix-first", "start-here", "alongside", "this-quarter", "keep-up"]


class Placement(_Result):
    """Which tier an action is ranked in, and why (tiers come before scores)."""

    tier: Tier
    title: str  # the tier as headed for people, e.g. "Start here"
    rule: RuleRef  # the rule whose recommendation put it in this tier
    note: str  # one sentence a person can read


class Recommendation(_Result):
    rank: int
    action: ActionInfo
    placement: Placement
    score: Score
    reasons: list[Reason]
    held_by: list[RuleRef]  # rules holding the action back (empty for shown actions)


class ProfileSummary(_Result):
    name: Optional[str]
    priority: str
    secondary_priority: Optional[str]
    outcome: Optional[str]
    current_role: Optional[str]
    horizon_months: Optional[int]
    as_of: dt.date


class PackInfo(_Result):
    """One pack of the stack a result came from."""

    name: str
    version: Optional[str]
    sha256: str  # the first 16 hex digits of a SHA-256 over the pack's files
    files: list[str]


class PackSummary(_Result):
    """The rules a result came from: the top pack's name and version, and the whole stack."""

    name: str
    version: Optional[str]
    files: list[str]
    rules: int
    actions: int
    packs: list[PackInfo]  # lowest first: the built-in pack, then each pack stacked on it


class Stats(_Result):
    firings: int
    derived_facts: int


class Result(_Result):
    """The answer for one profile: ranked recommendations and what was held back."""

    profile: ProfileSummary
    rules: PackSummary
    recommendations: list[Recommendation]
    not_shown: int  # recommended, but past the requested top N
    held_back: list[Recommendation]
    stats: Stats

    def to_json(self, indent: int | None = 2) -> str:
        """Deterministic JSON: same profile and rules give byte-identical text."""
        return self.model_dump_json(indent=indent)


FactStep.model_rebuild()
Reason.model_rebuild()


class PlanItem(_Result):
    """An action placed on the plan: the quarter it starts in and how long it takes."""

    action: ActionInfo
    start: dt.date
    lead_time_months: float
    quarter: int  # 1 is the quarter that starts on the as-of date
    now: bool  # recommended for this quarter (the rest are later framework steps)
    rank: Optional[int]  # its rank among this quarter's recommendations
    after_deadline: bool


class PlanCheckpoint(_Result):
    """A dated point on the plan: a milestone of the profile, a rest or reward, or a review."""

    date: dt.date
    kind: Literal["milestone", "rest", "reward", "quarterly-review", "yearly-reevaluation"]
    title: str
    details: list[str]  # what to look at there, one line each
    from_profile: bool  # one of the profile's own checkpoints


class Quarter(_Result):
    number: int
    start: dt.date
    end: dt.date  # the last day of the quarter
    items: list[PlanItem]
    checkpoints: list[PlanCheckpoint]


class Plan(_Result):
    """The goal as a dated roadmap: quarters from the as-of date to the deadline."""

    profile: ProfileSummary
    rules: PackSummary
    start: dt.date
    deadline: Optional[dt.date]
    end: dt.date  # the deadline, or a year ahead when the goal has none
    frameworks: list[str]  # the staged frameworks whose steps the plan places
    notes: list[str]  # what the plan had to assume
    quarters: list[Quarter]

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


class Unmet(_Result):
    """A condition of a rule that did not hold: the value seen and the change that would meet it."""

    field: Optional[str]  # the profile field it tests, if it tests one directly
    seen: Any
    change: str  # the change to the profile that would meet it ("" if none would)
    waits_for: list[str]  # for a condition on other advice: what it waits for, outermost first


class RuleCheckInfo(_Result):
    """A rule that recommends the action, checked against the profile."""

    rule: RuleRef
    fired: bool
    unmet: list[Unmet]


class Explanation(_Result):
    """Why an action is where it is: recommended (with its reasons), held back, or not recommended."""

    profile: ProfileSummary
    rules: PackSummary
    action: ActionInfo
    status: Literal["recommended", "held-back", "not-recommended"]
    recommendation: Optional[Recommendation]  # for a recommended or held-back action
    rule_checks: list[RuleCheckInfo]  # every rule that could recommend it, nearest first

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)
