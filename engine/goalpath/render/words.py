"""Profile values in words, for the renderers people read (text, Markdown, HTML).

A rule tests ``evidence.stretch_project.status``; a person reads "your stretch project has
no status yet". Field paths, measures and file:line stay in JSON and in verbose output,
for coaches; everything a person reads goes through :func:`matched`. Text from a profile
or a pack reaches a terminal only through :func:`printable`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, TypeVar, cast

from ..source import CONTROL_CHARACTERS

if TYPE_CHECKING:  # the words alone (history, progress) need no result models
    from pydantic import BaseModel

    from ..results import PackSummary, RuleRef

_Model = TypeVar("_Model", bound="BaseModel")

#: What each field is, as a noun phrase in the second person.
NOUNS = {
    "goal.priority": "your main priority",
    "goal.secondary_priority": "your second priority",
    "goal.goal_type": "the type of goal",
    "goal.outcome": "your outcome sentence",
    "goal.statement_kind": "how your goal is written",
    "goal.long_term_direction": "your long-term direction",
    "goal.target_role": "the role you are aiming for",
    "goal.current_role": "your current role",
    "goal.target_market": "the market you are aiming at",
    "goal.horizon_months": "your horizon in months",
    "goal.started": "the date you started",
    "goal.secondary_horizon_months": "your second priority's horizon in months",
    "goal.why": "why the goal matters to you",
    "goal.non_negotiables": "non-negotiables",
    "goal.checkpoints": "checkpoints",
    "goal.months_left": "the months left to your deadline",
    "goal.secondary_months_left": "the months left to your second priority's deadline",
    "audit.specific_outcome": "your answer on a specific outcome",
    "audit.measurable_indicators": "your answer on measurable indicators",
    "audit.missing_evidence_known": "your answer on the evidence you are missing",
    "audit.timeline_and_checkpoints": "your answer on a timeline and checkpoints",
    "audit.feedback_source": "your answer on who gives you feedback",
    "audit.life_and_mobility": "your answer on life and mobility",
    "real.relevant": "your answer on Relevant",
    "real.experimental": "your answer on Experimental",
    "real.aspirational": "your answer on Aspirational",
    "real.learning_based": "your answer on Learning-based",
    "indicators.leading": "signs of progress",
    "indicators.lagging": "results you track",
    "evidence.stretch_project.name": "your stretch project",
    "evidence.stretch_project.status": "your stretch project's status",
    "evidence.stretch_project.measured_result": "your stretch project's measured result",
    "evidence.stakeholder_endorsements": "written endorsements",
    "evidence.promotion_case": "your promotion case",
    "evidence.transferable_skills": "transferable skills",
    "evidence.credentials": "credentials",
    "evidence.applied_projects": "applied projects",
    "evidence.informational_interviews": "informational interviews held",
    "evidence.referrals": "referrals",
    "evidence.case_study": "your mini case study",
    "evidence.applications": "applications sent",
    "evidence.application_targeting": "how your applications were chosen",
    "evidence.languages": "languages",
    "evidence.work_authorisation": "your right to work there",
    "evidence.credential_recognition": "recognition of your qualification",
    "evidence.sponsoring_employers": "employers found that hire from abroad",
    "evidence.target_region_contacts": "contacts in the target region",
    "support": "people supporting you",
    "habits.weekly_practice_minutes": "minutes of practice a week",
    "habits.review_cadence": "how often you review progress",
    "habits.hours_worked_per_week": "hours worked a week",
    "habits.rest_days_per_week": "rest days a week",
    "habits.non_work_habit": "your weekly habit outside work",
    "habits.last_review": "your last review",
    "habits.last_reevaluation": "your last re-evaluation",
    "activities": "planned activities",
    "mobility.mode": "how place fits the goal",
    "mobility.target_regions": "target regions",
    "mobility.family_constraints": "how far family commitments reach",
    "mobility.minimum_requirements": "minimum requirements for a move",
    "history.reviews": "earlier reviews",
    "history.first_review": "your first stored review",
    "history.last_review": "your last stored review",
    "history.indicators": "indicators followed across your reviews",
    "history.stalled": "actions stalled since your last review",
    "history.done": "actions done since your last review",
    "history.dropped": "actions dropped at this review",
    "history.missed_checkpoints": "milestones missed since your last review",
}

#: The nouns of list fields for one item, where dropping an "s" would not do.
ONE = {
    "goal.checkpoints": "checkpoint",
    "support": "person supporting you",
    "activities": "planned activity",
    "history.indicators": "indicator followed across your reviews",
    "history.stalled": "action stalled since your last review",
    "history.done": "action done since your last review",
    "history.dropped": "action dropped at this review",
    "history.missed_checkpoints": "milestone missed since your last review",
}

#: Yes-or-no fields as statements: (when true, when false).
STATEMENTS = {
    "goal.validated": (
        "you have tested the goal with people who know the role",
        "the goal is not yet tested with people who know the role",
    ),
    "goal.shared_with_manager": ("your manager knows about the goal", "your manager does not know about the goal yet"),
    "goal.outcome_names_date": ("your outcome sentence names a date", "your outcome sentence names no date"),
    "goal.outcome_names_role": ("your outcome sentence names a role", "your outcome sentence names no role"),
    "indicators.dashboard": ("your indicators are on one dashboard", "your indicators are not on one dashboard yet"),
    "evidence.baseline_documented": ("your baseline is written down", "your baseline is not written down yet"),
    "evidence.stretch_project.emulates_target_role": (
        "your stretch project is the target role's kind of work",
        "your stretch project is not the target role's kind of work",
    ),
    "evidence.stretch_project.abroad": (
        "your stretch project is with the target region",
        "your stretch project is not with the target region",
    ),
    "evidence.requirements_researched": (
        "you have researched the visa, credential and language requirements",
        "you have not yet researched the visa, credential and language requirements",
    ),
    "evidence.transition_plan": ("you have a transition plan", "you have no transition plan yet"),
    "evidence.living_resume": (
        "your résumé is up to date with your results",
        "your résumé is not yet a living record of results",
    ),
    "evidence.portfolio": ("you keep a portfolio", "you keep no portfolio yet"),
    "evidence.pitch_ready": ("your two-part pitch is ready", "your two-part pitch is not ready yet"),
    "evidence.networking_script": ("you have a networking script", "you have no networking script yet"),
    "evidence.spoken_with_hr": (
        "you have talked with HR about the goal",
        "you have never talked with HR about the goal",
    ),
    "habits.public_commitment": ("you have made a public commitment", "you have made no public commitment yet"),
    "mobility.logistics_in_timeline": (
        "your move's logistics are in the timeline",
        "your move's logistics are not in the timeline yet",
    ),
    "mobility.contingency_plan": ("you have a fallback plan", "you have no fallback plan yet"),
    "history.reviewing": ("goalpath review is recording this review", "no review is being recorded"),
    "mobility.with_current_employer": (
        "the move is with your current employer",
        "the move is not with your current employer",
    ),
}

#: Empty fields that read better as a sentence of their own.
EMPTY = {
    "evidence.stretch_project.status": "you have not started a stretch project yet",
    "evidence.stretch_project.measured_result": "your stretch project has no measured result yet",
    "goal.outcome": "you have not written an outcome sentence yet",
    "goal.why": "you have not written down why the goal matters",
    "goal.horizon_months": "the goal has no timeframe yet",
    "goal.target_role": "the goal names no target role yet",
    "goal.target_market": "the goal names no target market yet",
    "goal.long_term_direction": "you have no long-term direction written down",
    "habits.non_work_habit": "you have no weekly habit outside work",
    "habits.weekly_practice_minutes": "you have set no time aside for practice",
    "habits.review_cadence": "you have no set rhythm for reviewing progress",
    "habits.last_review": "you have not held a review yet",
    "habits.last_reevaluation": "you have not re-evaluated the goal yet",
    "history.first_review": "no review of yours is stored yet",
    "history.last_review": "no review of yours is stored yet",
}

_MEASURES = {
    "count-matching": "{n} of your {noun} count here",
    "count-not-matching": "{n} of your {noun} do not count here",
    "count": "{n} {noun}",
}


def noun(field: str) -> str:
    """The field as a noun phrase: from the table, else its last part in plain words."""
    if field in NOUNS:
        return NOUNS[field]
    return field.rsplit(".", 1)[-1].replace("_", " ")


def matched(field: str, measure: str, value: Any) -> str:
    """One profile value a rule tested, as a person would say it."""
    if measure == "value" and type(value) is int and _is_list(field):
        measure = "count"  # a list's value, as why-not reports it, is how many items it has
    if measure in _MEASURES:
        return _MEASURES[measure].format(n=value, noun=ONE.get(field, noun(field)) if value == 1 else noun(field))
    if measure == "days-after-as-of":
        return f"{noun(field)} is {value} days after today" if value is not None else f"{noun(field)} is not set"
    if field in STATEMENTS:
        if value is None:
            return f"you have not said whether {STATEMENTS[field][0]}"
        return STATEMENTS[field][0 if value else 1]
    if value is None:
        return EMPTY.get(field, f"{noun(field)} is not filled in yet")
    if isinstance(value, bool):
        return f"{noun(field)}: {'yes' if value else 'no'}"
    return f"{noun(field)} is {value_words(value)}"


def _is_list(field: str) -> bool:
    from ..fields import profile_fields

    spec = profile_fields().get(field)
    return spec is not None and spec.kind == "list"


def value_words(value: Any) -> str:
    """A value as text: choices with spaces, whole floats without a decimal point."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value.replace("_", " ") if value.replace("_", "").isalnum() and value.islower() else f"“{value}”"
    return str(value)


def score_words(score: Any) -> list[str]:
    """The score's parts, one sentence each (``score`` is a :class:`results.Score`)."""
    impact = {
        5: "changes your chances of reaching the goal the most",
        4: "changes your chances a lot",
        3: "helps your chances",
        2: "helps your chances a little",
        1: "helps your chances least",
    }[score.impact]
    if score.urgency == 1.0 or score.months_left is None:
        urgency = "it shows results straight away, so the time left does not press it"
    else:
        left = value_words(round(score.months_left, 1))
        urgency = f"it takes time to show results, and {left} months are left to your next milestone or deadline"
    fit = {
        1.5: "it serves your main priority",
        1.25: "it serves your second priority",
        1.0: "it serves any goal",
        0.75: "it serves another priority",
    }.get(score.fit, "")
    effort = {1: "low", 2: "medium", 3: "high"}[score.effort]
    lines = [
        f"impact {score.impact}: it {impact}",
        f"urgency {score.urgency:.2f}: {urgency}",
        f"fit {score.fit:.2f}: {fit}",
        f"effort {score.effort}: {effort} effort, so the score is divided by {score.effort}",
    ]
    lines += [f"{'+' if a.points >= 0 else '−'}{abs(a.points):.2f}: {a.rule.title}" for a in score.adjustments]
    return lines


def rule_source(rule: RuleRef) -> str:
    """Where a rule comes from, for people: the pack and the rule id, not a file path."""
    return f"{rule.pack} pack, rule {rule.id}"


_FIELD_IN_TEXT = re.compile(r"`([a-z_]+(?:\.[a-z_]+)+)`")


_SET_FLAG = re.compile(r"set `([a-z_]+(?:\.[a-z_]+)+)` to (true|false)")


def fields_in_words(text: str) -> str:
    """Text with each `field.path` in it replaced by the field's name in words, and a yes-or-no
    field set to true or false said as what it states."""

    def flag(m: re.Match[str]) -> str:
        statement = STATEMENTS.get(m.group(1))
        return statement[0 if m.group(2) == "true" else 1] if statement else m.group(0)

    text = _FIELD_IN_TEXT.sub(lambda m: noun(m.group(1)), _SET_FLAG.sub(flag, text))
    return text.replace("(it is empty)", "(it is not filled in yet)")


def packs_phrase(rules: PackSummary) -> str:
    """The packs a result came from, for a footer: 'the goalpath pack 3', or a list of them."""
    named = [f"{p.name} {p.version}" if p.version else p.name for p in rules.packs]
    if not named:
        return f"the {rules.name} pack"
    if len(named) == 1:
        return f"the {rules.packs[0].name} pack" + (f" {rules.packs[0].version}" if rules.packs[0].version else "")
    return "the " + ", ".join(named[:-1]) + f" and {named[-1]} packs"


def printable(text: str) -> str:
    """``text`` with each control character made visible, so that a terminal shows it rather than acts on it.

    C0 and C1 controls and DEL become ``\\x1b``-style escapes, bidirectional formatting
    characters ``<U+202E>``; tab and newline stay. Text without them comes back unchanged.
    """
    return CONTROL_CHARACTERS.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0x9F else f"<U+{code:04X}>"


#: In a model's JSON: a character :func:`printable` changes, as JSON writes it. C0 controls
#: are always escaped in JSON (``\u001b``, ``\r``...); the others appear as they are. A
#: literal backslash before b, f or r matches too, which only costs the walk below.
_DIRTY_JSON = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\\u00[01]|\\[bfr]")


def printable_model(model: _Model) -> _Model:
    """A result, plan or explanation with every text in it made :func:`printable`.

    A model with no such text, nearly every one, is returned as it is: one look at its
    JSON tells, much faster than visiting each of its texts.
    """
    try:
        clean = not _DIRTY_JSON.search(model.model_dump_json())
    except ValueError:  # text JSON cannot hold (a lone surrogate, in a result a host application built): look at all
        clean = False
    return model if clean else cast(_Model, _printable_value(model))


def _printable_value(value: Any) -> Any:
    """``value`` with its texts made printable: the very same object where nothing changed.

    Results are almost always clean, and copying every model of one cost more than
    rendering it (measured): so only the models, lists and dicts on the way to a
    changed text are copied.
    """
    if isinstance(value, str):
        return printable(value) if CONTROL_CHARACTERS.search(value) else value
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        changed = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = _printable_value(old)
            if new is not old:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, (list, tuple)):
        items = [_printable_value(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        pairs = [(_printable_value(key), _printable_value(item)) for key, item in value.items()]
        if all(k is old_k and v is old_v for (k, v), (old_k, old_v) in zip(pairs, value.items(), strict=True)):
            return value
        return dict(pairs)
    return value
