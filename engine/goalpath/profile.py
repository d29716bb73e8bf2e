"""The goal profile: everything the article asks a person to know about their goal.

Models are strict (no type coercion), frozen, and reject unknown keys, so a typo in a
profile is reported instead of silently ignored.
"""

from __future__ import annotations

import ast
import datetime as dt
import difflib
import functools
import inspect
import os
import re
import sys
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, Union, cast

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from .errors import MAX_PROBLEMS, GoalpathError, Problem, ProfileError
from .source import Document, parse_text, read_document

SCHEMA_VERSION = 2
#: What each schema version changed, for people (docs/profile.md, "Versions").
VERSION_CHANGES = {
    2: (
        "`mobility.family_constraints` says how far family commitments reach (`none`, `limits_relocation` or "
        "`rules_out_relocation`) instead of `true` or `false`: a version 1 `true` is read as `limits_relocation` and "
        '`false` as `none`. `goal.shared_with_manager` may now be left empty, meaning "would rather not say"; a '
        "version 1 file that left it out is read that way. New, optional: `goal.current_role`, "
        "`goal.secondary_horizon_months`, `goal.checkpoints[].kind`, `evidence.credentials[].exam_date`, "
        "`evidence.application_targeting`, `evidence.spoken_with_hr`, `habits.last_review`, "
        "`habits.last_reevaluation` and `activities[].serves`."
    ),
}

Priority = Literal["promotion", "skill_mastery", "career_pivot", "work_abroad"]
#: Each priority in a person's words.
PRIORITY_WORDS = {
    "promotion": "promotion or title change",
    "skill_mastery": "skill mastery or certification",
    "career_pivot": "career pivot",
    "work_abroad": "living or working abroad",
}
AuditAnswer = Literal["yes", "partly", "no"]
Progress = Literal["not_started", "planned", "in_progress", "done"]
Cadence = Literal["weekly", "fortnightly", "monthly", "quarterly", "yearly", "never"]
LanguageLevel = Literal["A1", "A2", "B1", "B2", "C1", "C2", "native"]
_LEVELS: tuple[str, ...] = LanguageLevel.__args__  # type: ignore[attr-defined]
GoalType = Literal[
    "professional_advancement", "leadership_development", "educational_advancement", "personal_development"
]


def _iso_date(value: Any) -> Any:
    # YAML gives date objects; JSON gives ISO strings. Nothing else is a date here.
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a date (use YYYY-MM-DD)") from None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


#: The first and last dates a profile may hold, and the range of as-of dates the engine takes. Wide for a career
#: and narrow enough that no date arithmetic can leave what Python's dates hold (years 1 to 9999): a deadline is
#: at most 240 months after a start, relative dates in rules reach 99999 days (about 274 years) either side of
#: the as-of date, and a plan runs from the as-of date to the deadline.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)


def _in_range(value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(
            f"{value.isoformat()} is out of range (dates must be from {FIRST_DATE.isoformat()} "
            f"to {LAST_DATE.isoformat()})"
        )
    return value


Date = Annotated[dt.date, BeforeValidator(_iso_date), AfterValidator(_in_range)]
_F = TypeVar("_F", bound=Callable[..., Any])


def computed(kind: Literal["bool", "int", "float"]) -> Callable[[_F], _F]:
    """Mark a method ``(self, as_of) -> value | None`` as a computed field.

    Rules test a computed field like any other (``{field: goal.months_left, at_most: 6}``);
    a profile never sets one. Its docstring is its description in docs/profile.md.
    """

    def mark(method: _F) -> _F:
        method.computed_kind = kind  # type: ignore[attr-defined]
        return method

    return mark


def add_months(start: dt.date, months: int) -> dt.date:
    """The date ``months`` calendar months after ``start`` (the day capped at the 28th)."""
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, min(start.day, 28))


def months_between(start: dt.date, end: dt.date) -> float:
    """Calendar months from ``start`` to ``end`` (1 May to 1 November is 6.0), negative if ``end`` is earlier."""
    whole = (end.year - start.year) * 12 + end.month - start.month
    return whole + (end.day - start.day) / (365.25 / 12)


def _months_from(as_of: dt.date, end: dt.date) -> float:
    return round(months_between(as_of, end), 1)


# "May" only counts next to a year or after "by", "in", "until" or "before": alone it is usually the verb.
_MONTHS = "january|february|march|april|june|july|august|september|october|november|december"
#: A date or timeframe in an outcome sentence: a year, a month, a quarter, or "in/within N months/years".
_DATE_WORDS = re.compile(
    rf"\b(?:(?:19|20)\d\d|(?:{_MONTHS}|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b|q[1-4]\b"
    r"|(?:by|in|until|before)\s+may\b|may\s+(?:19|20)\d\d\b"
    r"|(?:in|within|by|next)\s+(?:the\s+next\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve"
    r"|eighteen|twenty[- ]four)\s+(?:months?|years?|quarters?|weeks?)\b|end of (?:the )?(?:year|quarter))",
    re.IGNORECASE,
)
#: Words that name a role in an outcome sentence ("Become a senior product manager").
_ROLE_WORDS = re.compile(
    r"\b(?:manager|lead|leader|head|director|chief|officer|vp|vice president|president|partner|principal|"
    r"engineer|developer|analyst|scientist|designer|architect|researcher|consultant|specialist|advisor|adviser|"
    r"accountant|nurse|doctor|physician|teacher|lecturer|professor|coordinator|administrator|supervisor|"
    r"executive|associate|owner|founder|strategist|planner|producer|editor|writer|marketer|recruiter|"
    r"technician|therapist|physiotherapist|pharmacist|lawyer|solicitor|auditor|controller|cto|ceo|cfo|coo)s?\b",
    re.IGNORECASE,
)
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Count = Annotated[int, Field(ge=0, le=100_000)]


class _Model(BaseModel):
    # The attribute docstrings are the field descriptions (docs/profile.md, the JSON Schema and the interview are
    # built from them), given by describe_fields() when asked for: pydantic's use_attribute_docstrings reads each
    # class's source at import, a sixth of building the models, on every start-up (measured, bench/PERF.md).
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class Checkpoint(_Model):
    """A dated milestone on the way to the goal."""

    name: Text
    """What the checkpoint is, in a few words, e.g. "Two written endorsements"."""
    due: Date
    """The date by which the checkpoint should be met (YYYY-MM-DD, from 1900-01-01 to 2199-12-31)."""
    done: bool = False
    """`true` once the checkpoint has been met. Open checkpoints whose date has passed are brought up for review."""
    indicator: Text | None = None
    """The one or two objective signs that will show the checkpoint is met, e.g. "Session held and write-up shared"
    (roadmap step 5). Empty means you have not yet said how you will know."""
    kind: Literal["milestone", "rest", "reward"] = "milestone"
    """What the checkpoint is: `milestone` (something you produce, the default), `rest` (a planned break from goal
    work, e.g. "Two weeks off after the exam") or `reward` (how you will celebrate reaching the milestone before it).
    The article asks that milestones include rest and reward, not just output."""


class Indicator(_Model):
    """Something measured: ``measures`` tells an outcome or quality apart from raw volume."""

    name: Text
    """What you measure, e.g. "Self-serve conversion rate" or "Informational interviews held"."""
    measures: Literal["outcome", "quality", "volume"] = "outcome"
    """What kind of sign it is: `outcome` is a result, `quality` is how good something was (e.g. conversations that
    led to an introduction), `volume` is a raw count of things sent, joined or attended (what the article calls a
    vanity metric)."""
    current: float | None = None
    """Today's value, in the indicator's unit. Empty means not measured yet."""
    target: float | None = None
    """The value you aim for, in the same unit. Empty means there is no number to reach (e.g. a promotion either
    happens or not)."""
    unit: Text | None = None
    """The unit of `current` and `target`, e.g. "percent" or "hours". Empty for a plain count."""


class Indicators(_Model):
    leading: list[Indicator] = []
    """Leading indicators: signs of progress you control, such as projects started, certifications completed or
    conversations had. The article asks for three to five."""
    lagging: list[Indicator] = []
    """Lagging indicators: results that show you have arrived, such as a promotion, a salary increase or an
    international assignment. The article asks for one or two."""
    dashboard: bool = False
    """`true` if these indicators are kept together on one tracker or dashboard that you look at regularly
    (the article's goal-tracking dashboard, reviewed monthly)."""


class Goal(_Model):
    """The goal itself: roadmap steps 1 and 2 (why, destination and horizon)."""

    priority: Priority
    """What the goal is mainly about: `promotion` (promotion or title change), `skill_mastery` (a skill or
    certification), `career_pivot` (a move into a different field) or `work_abroad` (living or working in another
    country)."""
    secondary_priority: Priority | None = None
    """A second priority from the same four, when the goal serves two (e.g. a promotion that needs a new skill).
    Empty means there is only one."""
    goal_type: GoalType | None = None
    """The article's four types of career goal, each needing different evidence and pacing: `professional_advancement`
    (promotion, performance, title), `leadership_development` (leading teams or cross-functional work),
    `educational_advancement` (degrees, certifications, training) or `personal_development` (communication, time
    management, resilience). Empty if unsure."""
    outcome: Text | None = None
    """Roadmap step 2: the goal as one sentence naming the result, the role or market and a date, e.g. "Lead a team of
    six within 24 months". Empty means you cannot yet say it."""
    statement_kind: Literal["outcome", "activity"] | None = None
    """Whether `outcome` names a result (`outcome`, e.g. "become a senior product manager") or things to do
    (`activity`, e.g. "complete a leadership programme"). Empty if unsure."""
    long_term_direction: Text | None = None
    """Where this goal leads in two to five years, e.g. "VP marketing at a product-led company": the long-term goal a
    short-term one (3 to 12 months) serves. Empty if not written down."""
    target_role: Text | None = None
    """The role you are aiming for, e.g. "Head of growth". Empty if not decided; a promotion or pivot needs one."""
    current_role: Text | None = None
    """The role or field you work in now, e.g. "Secondary-school maths teacher" or "Retail banking operations". For a
    career pivot it is the anchor your transferable skills are mapped from. Empty if you would rather not say."""
    target_market: Text | None = None
    """The country, region or market you are aiming at, e.g. "Southern Germany". Empty if not decided; a goal that
    involves a move needs one."""
    horizon_months: Annotated[int, Field(ge=1, le=240)] | None = None
    """How many months you give yourself to reach the goal, counted from `started`. Empty means no timeframe yet."""
    started: Date | None = None
    """The date you began working towards the goal (YYYY-MM-DD, from 1900-01-01 to 2199-12-31); the horizon counts
    from it, so the deadline is fixed (and may fall up to 240 months after 2199-12-31). Empty means the profile's
    `as_of` is the start (it is filled in from it when the profile is read). With neither, the horizon counts from the
    day goalpath runs, and the deadline moves with it: write one of the two."""
    secondary_horizon_months: Annotated[int, Field(ge=1, le=240)] | None = None
    """How many months you give the secondary priority, counted like `horizon_months`, when it has a date of its own
    (e.g. a promotion within 12 months, then a move abroad within 36). Empty means it shares `horizon_months`."""
    why: Text | None = None
    """Roadmap step 1: why this goal matters to you, in a sentence or two. Empty means not written down yet."""
    non_negotiables: list[Text] = []
    """Roadmap step 1: what any plan must respect and you will not trade away, one per item, e.g. "Keep working from
    home three days a week"."""
    checkpoints: list[Checkpoint] = []
    """Roadmap step 5: dated milestones on the way to the goal. The article asks for three, about a quarter apart."""
    validated: bool = False
    """`true` if you have tested the goal with people who do or hire for the target role (the article's fix for "goals
    without validation"; informational interviews count)."""
    shared_with_manager: bool | None = None
    """`true` if your manager knows about the goal, `false` if they do not. Empty if you would rather not say, or it
    does not apply (for example, a move you are not ready to discuss at work). The article suggests framing it as what
    the team gains."""

    @computed("float")
    def months_left(self, as_of: dt.date) -> float | None:
        """Months from the as-of date to the goal's deadline (`started`, or the as-of date, plus `horizon_months`),
        to one decimal; below 0 once the deadline has passed. Empty without `horizon_months`."""
        if self.horizon_months is None:
            return None
        return _months_from(as_of, add_months(self.started or as_of, self.horizon_months))

    @computed("float")
    def secondary_months_left(self, as_of: dt.date) -> float | None:
        """Months from the as-of date to the secondary priority's deadline: `secondary_horizon_months` if it has one,
        else the goal's own `months_left`. Empty without a secondary priority or any horizon."""
        if self.secondary_priority is None:
            return None
        if self.secondary_horizon_months is None:
            return self.months_left(as_of)
        return _months_from(as_of, add_months(self.started or as_of, self.secondary_horizon_months))

    @computed("bool")
    def outcome_names_date(self, as_of: dt.date) -> bool | None:
        """Whether the `outcome` sentence itself names a date or timeframe: a year, a month, a quarter, or "within 18
        months". Empty without an outcome."""
        return None if self.outcome is None else bool(_DATE_WORDS.search(self.outcome))

    @computed("bool")
    def outcome_names_role(self, as_of: dt.date) -> bool | None:
        """Whether the `outcome` sentence itself names a role, by a word such as manager, lead, director, engineer,
        analyst, designer or nurse. Empty without an outcome."""
        return None if self.outcome is None else bool(_ROLE_WORDS.search(self.outcome))


class Audit(_Model):
    """Answers to the article's final checklist: can the person answer each question?"""

    specific_outcome: AuditAnswer | None = None
    """Final checklist: can you say what specific outcome you want?"""
    measurable_indicators: AuditAnswer | None = None
    """Final checklist: can you name three measurable indicators that show progress?"""
    missing_evidence_known: AuditAnswer | None = None
    """Final checklist: do you know which skills, experiences or credentials you are missing?"""
    timeline_and_checkpoints: AuditAnswer | None = None
    """Final checklist: do you have a timeline and three checkpoints?"""
    feedback_source: AuditAnswer | None = None
    """Final checklist: do you know who can give you feedback and how you will get it?"""
    life_and_mobility: AuditAnswer | None = None
    """Final checklist: does the goal account for your life and where you want to live and work?"""


class Real(_Model):
    """Answers to the REAL lens for development goals: Relevant, Experimental, Aspirational, Learning-based."""

    relevant: AuditAnswer | None = None
    """REAL lens, Relevant: does each activity move you towards the outcome?"""
    experimental: AuditAnswer | None = None
    """REAL lens, Experimental: does the plan let you learn by trying things rather than waiting for certainty?"""
    aspirational: AuditAnswer | None = None
    """REAL lens, Aspirational: does the goal still motivate you?"""
    learning_based: AuditAnswer | None = None
    """REAL lens, Learning-based: does the goal build capability, not just performance?"""


class Credential(_Model):
    name: Text
    """The credential, e.g. "Chartered Engineer (ICE)" or a named certificate or degree."""
    status: Progress = "planned"
    """How far along it is: `not_started`, `planned` (decided on, not begun), `in_progress` or `done` (awarded)."""
    recognised_in_target_market: bool | None = None
    """Whether it counts in the country or market you are aiming at: `true`, `false`, or empty if you do not know
    yet."""
    exam_date: Date | None = None
    """The date of its exam or final assessment, once booked (YYYY-MM-DD, from 1900-01-01 to 2199-12-31). Empty means
    no date is booked yet."""


class Project(_Model):
    name: Text
    """The project, in a few words."""
    status: Progress = "planned"
    """How far along it is: `not_started`, `planned` (decided on, not begun), `in_progress` or `done`."""
    measured_result: Text | None = None
    """The result as a number against the starting figure, e.g. "Conversion up from 2.6% to 3.1%". Empty until
    measured."""
    emulates_target_role: bool = False
    """`true` if the project is the kind of work the target role does (what a career pivot needs to show)."""
    abroad: bool = False
    """`true` if the project is with people or an organisation in the target region, such as a short-term assignment
    or remote work with an international team."""


class Language(_Model):
    name: Text
    """The language, e.g. "German"."""
    level: LanguageLevel
    """Your current level on the European (CEFR) scale, from `A1` (beginner) to `C2` (mastery), or `native`."""
    target_level: LanguageLevel | None = None
    """The level the target role or country expects, on the same scale. Empty if no particular level is needed."""

    @computed("int")
    def levels_short(self, as_of: dt.date) -> int | None:
        """How many steps of the scale (A1, A2, B1, B2, C1, C2, native) lie between `level` and `target_level`; 0 once
        the target is reached. Empty without a `target_level`."""
        if self.target_level is None:
            return None
        return max(0, _LEVELS.index(self.target_level) - _LEVELS.index(self.level))


class Evidence(_Model):
    """The evidence inventory, one field per step of the article's three frameworks."""

    # Framework A: the Evidence Ladder
    baseline_documented: bool = False
    """Framework A step 1: `true` once your current responsibilities and results are written down."""
    stretch_project: Project | None = None
    """Framework A step 2: the one initiative you chose to produce a measurable improvement. Leave it out if none is
    chosen yet."""
    stakeholder_endorsements: Count = 0
    """Framework A step 3: how many stakeholders have endorsed your work in writing (the article asks for two)."""
    promotion_case: Progress = "not_started"
    """Framework A step 4: how far along the promotion case is: your results and endorsements combined into one
    story."""
    # Framework B: the Pivot Bridge
    transferable_skills: list[Text] = []
    """Framework B step 1: skills that carry over directly into the new field, one per item (the article asks for
    three)."""
    credentials: list[Credential] = []
    """Certifications, degrees and licences you hold or are working towards. Framework B step 2 asks for one recognised
    credential; for skill mastery, passing the exam by a date is the first checkpoint."""
    applied_projects: list[Project] = []
    """Projects where you applied the skill or did the target role's kind of work. Framework B step 2 asks for one;
    skill mastery asks for two live projects."""
    informational_interviews: Count = 0
    """Framework B step 3: how many informational interviews you have held with people in the target field (the article
    asks for two). They also count as testing the goal."""
    referrals: Count = 0
    """Framework B step 3: how many times someone in the target field has referred you for a role (the article asks
    for one)."""
    case_study: Progress = "not_started"
    """How far along your mini case study is: a short write-up showing how your background maps to the new field's
    needs (career pivot)."""
    applications: Count = 0
    """Framework B step 4: how many applications you have sent for roles in the target field."""
    application_targeting: Literal["targeted", "untargeted", "mixed"] | None = None
    """How the applications were chosen: `targeted` (each matched to your proof and tailored to the role),
    `untargeted` (sent widely, much the same each time) or `mixed`. Empty if you have sent none or would rather not
    say."""
    # Framework C: the Mobility Playbook
    languages: list[Language] = []
    """Languages you speak or are learning, with your level and the level you need (part of Framework C step 1)."""
    requirements_researched: bool = False
    """Framework C step 1: `true` once you have researched the target country's visa, credential and language
    requirements."""
    work_authorisation: Literal["unknown", "not_needed", "researching", "applied", "granted"] = "unknown"
    """Framework C step 1: where you stand on the right to work in the target country. `unknown` means you have not
    found out yet."""
    credential_recognition: Literal["unknown", "not_needed", "needed", "in_progress", "recognised"] = "unknown"
    """Framework C step 1: whether your qualification must be recognised in the target country, and how far along that
    is. `unknown` means you have not found out yet; `needed` means it is needed but not started."""
    sponsoring_employers: Count = 0
    """Framework C step 2: how many organisations you have found that sponsor visas or hire people across borders."""
    target_region_contacts: Count = 0
    """Framework C step 3: how many people in the target region you have talked with."""
    transition_plan: bool = False
    """Framework C step 4: `true` once the move is timed to match your readiness for the role and your personal
    logistics."""
    # Tools and artefacts
    living_resume: bool = False
    """`true` if your résumé is kept up to date with your latest results and credentials (a living résumé)."""
    portfolio: bool = False
    """`true` if you keep a portfolio documenting your projects and their measured results."""
    pitch_ready: bool = False
    """`true` if your two-part pitch is ready: the evidence you have delivered, and your plan for the next role."""
    networking_script: bool = False
    """`true` if you have a networking script or informational-interview template for asking for and running
    conversations."""
    # Inside the organisation
    spoken_with_hr: bool | None = None
    """`true` if you have talked with someone in HR about this goal (internal pathways, promotion criteria, the
    mobility policy); `false` if you never have. Empty if you would rather not say. Having an HR partner under
    `support` is a different thing: you can have one and never have raised the goal."""


class Supporter(_Model):
    role: Literal["mentor", "coach", "hr_partner", "manager", "peer", "sponsor"]
    """Who they are to you: `mentor` (industry context and introductions), `coach` (strategy and accountability),
    `hr_partner` (internal pathways and mobility policies), `manager`, `peer` or `sponsor` (someone senior who backs
    you)."""
    name: Text | None = None
    """Their name or a short description, e.g. "VP marketing at a former employer". Empty if you would rather not
    say."""
    meets: Cadence | None = None
    """How often you talk with them about your goal. Empty if there is no set rhythm."""


class Habits(_Model):
    weekly_practice_minutes: Annotated[int, Field(ge=0, le=10_080)] | None = None
    """Minutes a week of deliberate practice towards the goal (the article suggests starting with 30). Empty if you
    have not set any time aside."""
    review_cadence: Cadence | None = None
    """How often you review progress against your checkpoints (the article asks for monthly). Empty if there is no set
    rhythm."""
    hours_worked_per_week: Annotated[int, Field(ge=0, le=168)] | None = None
    """Hours you work in a typical week, all jobs together. Long hours are read as a risk of burnout. Empty if you
    would rather not say."""
    rest_days_per_week: Annotated[int, Field(ge=0, le=7)] | None = None
    """Full days a week without work. No rest day is read as a risk of burnout. Empty if you would rather not say."""
    non_work_habit: Text | None = None
    """One weekly habit unrelated to work, e.g. "Choir on Thursdays" (the article asks for one). Empty if there is
    none."""
    public_commitment: bool = False
    """`true` if you have promised a dated presentation, internal write-up or peer-led session in front of others
    (the article's public commitment)."""
    last_review: Date | None = None
    """The date of your last review of progress against your checkpoints (YYYY-MM-DD, from 1900-01-01 to 2199-12-31;
    the article asks for one every three months). Empty if you have not held one yet."""
    last_reevaluation: Date | None = None
    """The date you last re-evaluated the goal itself (YYYY-MM-DD, from 1900-01-01 to 2199-12-31): is it still the
    right goal, have your priorities shifted (the article asks for this once a year). Empty if you have not done so
    yet."""


class Activity(_Model):
    """Something the person plans to do; rules tell activity from outcome by these fields."""

    description: Text
    """What you plan to do, e.g. "Online UX design course"."""
    kind: Literal[
        "course",
        "reading",
        "conference",
        "networking",
        "certification",
        "project",
        "talk",
        "application",
        "language",
        "mentoring",
        "other",
    ]
    """What sort of activity it is; `language` is language learning and `other` anything not listed."""
    metric: Text | None = None
    """How you will count or measure it, e.g. "Requests sent per week". Empty if you do not measure it."""
    measures: Literal["outcome", "quality", "volume"] | None = None
    """What the metric counts: a result (`outcome`), how good something was (`quality`) or a raw count (`volume`).
    Empty if there is no metric."""
    produces_evidence: Text | None = None
    """What the activity will produce that someone else could check, e.g. "A conference talk delivered by Q3". Empty
    means it produces nothing yet, which the article calls mistaking activity for outcome."""
    due: Date | None = None
    """When you plan to finish it (YYYY-MM-DD, from 1900-01-01 to 2199-12-31). Empty if there is no date."""
    serves: Text | None = None
    """What the activity is for: `outcome` (the goal itself) or the `name` of the checkpoint it moves you towards,
    written exactly as in `goal.checkpoints`. Empty means it is not linked to anything yet."""


class Mobility(_Model):
    mode: Literal["relocate", "remote", "either", "none"] = "none"
    """How place fits the goal: `relocate` (move to another country or region), `remote` (work remotely for an
    employer elsewhere), `either`, or `none` (no move and no cross-border work)."""
    target_regions: list[Text] = []
    """Countries or regions you would move to or work in, one per item, e.g. "Bavaria"."""
    family_constraints: Literal["none", "limits_relocation", "rules_out_relocation"] = "none"
    """How far family commitments (a partner's job, children's schooling, care) reach: `none`, `limits_relocation`
    (a move is possible, but where or when is constrained) or `rules_out_relocation` (no move for now). Version 1
    profiles wrote `true` for `limits_relocation` and `false` for `none`; they are upgraded when read."""
    minimum_requirements: list[Text] = []
    """What any place must offer before you move, one per item, e.g. "Healthcare cover" or "Schools teaching in
    English" (roadmap step 1)."""
    logistics_in_timeline: bool = False
    """`true` once visa processing, credential recognition, tax and family logistics have dates in your timeline."""
    contingency_plan: bool = False
    """`true` if you have a fallback if the move stalls: a regional alternative, a remote-first employer or a rotational
    assignment."""
    with_current_employer: bool = False
    """`true` if the move is an assignment or transfer with your current employer."""


def indicator_reached(current: float, previous: float | None, target: float) -> bool:
    """Whether an indicator at ``current`` has reached ``target``; a target below where it was (fewer defects,
    say) is reached from above."""
    start = previous if previous is not None else current
    return current <= target if start > target else current >= target


class IndicatorTrend(_Model):
    """One indicator across the reviews stored for this goal."""

    name: Text
    """The indicator's name, as written in `indicators`."""
    kind: Literal["leading", "lagging"]
    """Whether it is one of your leading or your lagging indicators."""
    current: float | None = None
    """Its value now. Empty if it has no value now."""
    previous: float | None = None
    """Its value at the last review. Empty if it had none then, or there was no review."""
    target: float | None = None
    """The value you aim for. Empty if there is none."""
    flat_for: Count = 0
    """How many reviews in a row, back from the last one, have had the value it has now: 2 means it has not moved
    over the last two reviews; 0 that it changed since the last review, or is new."""

    @computed("bool")
    def short_of_target(self, as_of: dt.date) -> bool | None:
        """Whether it has yet to reach its target (from above, for a target below its last value). Empty without
        a value or a target."""
        if self.current is None or self.target is None:
            return None
        return not indicator_reached(self.current, self.previous, self.target)


class StalledAction(_Model):
    """An action recommended at the last review and recommended again: its evidence is still missing."""

    action: Text
    """The action's id."""
    reviews: Count = 1
    """How many reviews in a row, back from the last one, have recommended it."""
    since: Date
    """The date of the first of those reviews (YYYY-MM-DD, from 1900-01-01 to 2199-12-31)."""


class History(_Model):
    """What earlier reviews of this goal say. `goalpath review` fills it in from the review store, for rules that
    advise on progress over time; a profile written by hand leaves it out."""

    reviewing: bool = False
    """`true` while `goalpath review` records a review (so advice to hold one is not given during one)."""
    reviews: Count = 0
    """How many earlier reviews are stored."""
    first_review: Date | None = None
    """The date of the first stored review (YYYY-MM-DD, from 1900-01-01 to 2199-12-31). Empty if there is none."""
    last_review: Date | None = None
    """The date of the last stored review (YYYY-MM-DD, from 1900-01-01 to 2199-12-31). Empty if there is none."""
    indicators: list[IndicatorTrend] = []
    """Each indicator of the profile, with its value at the last review and how long it has not moved."""
    stalled: list[StalledAction] = []
    """Actions recommended at the last review that are recommended again, neither done nor dropped."""
    done: list[Text] = []
    """Ids of the actions done since the last review: marked done, or no longer needed because their evidence is
    there now."""
    dropped: list[Text] = []
    """Ids of the actions dropped at this review."""
    missed_checkpoints: list[Text] = []
    """Names of the milestones whose date passed since the last review (or ever, at a first review) and that are not
    met."""


def _whole_version(value: Any) -> Any:
    # Literal[2] alone takes 2.0 (it equals 2): a version is a whole number, never a float, a date or true.
    if type(value) is not int:
        if isinstance(value, bool):
            written = "true" if value else "false"  # as a YAML or JSON file spells it
        else:
            written = "an empty value" if value is None else _describe(value)
        raise ValueError(f"{written} is not a whole number; this goalpath reads {SCHEMA_VERSION} and upgrades 1")
    return value


class Profile(_Model):
    """A person's career-goal profile (schema version 2)."""

    schema_version: Annotated[Literal[2], BeforeValidator(_whole_version)] = 2
    """The profile format's version, a whole number: write `2`. A file that says `1`, or says nothing, is read as
    version 1 and upgraded (see "Versions" below); any other version (including `2.0` or `true`) is refused."""
    name: Text | None = None
    """Your name, shown at the top of the report. Empty leaves it out."""
    as_of: Date | None = None
    """The date the profile describes (YYYY-MM-DD, from 1900-01-01 to 2199-12-31); checkpoint dates and deadlines are
    judged against it. Empty means today, unless `--as-of` is given."""
    goal: Goal
    """The goal itself: why it matters, what result, by when, and the checkpoints on the way. `goal.priority` is the
    one field every profile must fill in."""
    audit: Audit = Audit()
    """The article's final checklist: six questions that show whether the goal is actionable. Answer each `yes`,
    `partly` or `no`; `partly` and `no` bring up the matching advice, and an empty answer brings up none."""
    real: Real = Real()
    """The REAL lens for development goals: is the goal Relevant, Experimental, Aspirational and Learning-based? Answer
    each `yes`, `partly` or `no`; `partly` and `no` bring up advice on the lens, and an empty answer brings up none."""
    indicators: Indicators = Indicators()
    """How you measure progress: leading indicators you control and lagging indicators that show the result."""
    evidence: Evidence = Evidence()
    """Roadmap step 3, the evidence inventory: what you can already show, one field per step of the article's three
    frameworks (A for promotion, B for a career pivot, C for working abroad), plus your tools."""
    support: list[Supporter] = []
    """Roadmap step 6: the people who help you, one per item: mentors, coaches, HR partners and others."""
    habits: Habits = Habits()
    """Roadmap step 6 and the article's advice on burnout: your weekly practice, reviews, working hours and rest."""
    activities: list[Activity] = []
    """Things you plan to do towards the goal, one per item, each with what it will produce."""
    mobility: Mobility = Mobility()
    """Where you want to live and work, and what a move must respect. Leave it out if the goal involves neither a move
    nor remote work across borders."""
    history: History = History()
    """What earlier reviews say, filled in by `goalpath review` from the review store. Leave it out."""

    @model_validator(mode="after")
    def _start_from_as_of(self) -> Profile:
        # The horizon counts from the start; with no start written, the profile's own as_of is the start, so the
        # deadline stays where it was when the profile was written, whatever day goalpath runs on.
        if self.goal.started is None and self.goal.horizon_months is not None and self.as_of is not None:
            return self.model_copy(update={"goal": self.goal.model_copy(update={"started": self.as_of})})
        return self


ProfileSource = Union[Profile, dict, str, os.PathLike[str]]


@functools.cache
def describe_fields() -> None:
    """Give every profile field its description: the docstring written under it in this module.

    Call it before reading ``model_fields[...].description`` or building a JSON Schema;
    validation never needs it. The models are built again, each after those it holds.
    """
    tree = ast.parse(inspect.getsource(sys.modules[__name__]))
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        model = globals().get(node.name)
        if not (isinstance(model, type) and issubclass(model, _Model)):
            continue
        for first, second in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(first, ast.AnnAssign)
                and isinstance(first.target, ast.Name)
                and isinstance(second, ast.Expr)
                and isinstance(second.value, ast.Constant)
                and isinstance(second.value.value, str)
                and first.target.id in model.model_fields
            ):
                model.model_fields[first.target.id].description = inspect.cleandoc(second.value.value)
        model.model_rebuild(force=True)


def described_type(value: Any) -> str:
    """How an argument of the wrong type is named in a TypeError: its type, and its text for a string."""
    name = "None" if value is None else type(value).__name__
    return f"{name} {_describe(value)}" if isinstance(value, (str, bytes)) else name


def check_source(source: Any, argument: str = "source") -> ProfileSource:
    """``source`` itself if :func:`load_profile` can read it: a path, a dict or a :class:`Profile`.

    Raises:
        TypeError: anything else, naming ``argument`` (a programming error, not bad input).
    """
    if isinstance(source, (Profile, dict, str)):
        return source
    if isinstance(source, os.PathLike) and isinstance(os.fspath(source), str):
        return cast("os.PathLike[str]", source)
    raise TypeError(
        f"{argument} must be a path (str or os.PathLike), a dict or a goalpath.Profile, got {described_type(source)}"
    )


def _describe(value: Any) -> str:
    """A value for a message, short; a date as it is written in a profile (2026-01-01), not as Python shows it."""
    if isinstance(value, dt.datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, dt.date):
        text = value.isoformat()
    else:
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _field_names(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Field names of the model that holds the last element of ``loc``."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = cast(type[BaseModel], current).model_fields.get(part) if isinstance(current, type) else None
        if info is None:
            return []
        current = model_in(info.annotation)
        if current is None:
            return []
    return list(cast(type[BaseModel], current).model_fields) if isinstance(current, type) else []


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel inside an annotation such as ``X | None`` or ``tuple[X, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = model_in(arg)
        if found is not None:
            return found
    return None


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _data_path(loc: tuple[str | int, ...], data: Any) -> tuple[str | int, ...]:
    """The parts of a pydantic error location that name keys or items of the input.

    pydantic adds tags for union members and validators (``int``, ``function-after[...]``)
    to locations; following the input data keeps exactly the field path a person wrote,
    even for a key that happens to be called ``int`` or ``none``.
    """
    path: list[str | int] = []
    current = data
    for part in loc:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        elif isinstance(part, str) and current is not None and not isinstance(current, (dict, list)):
            continue  # a tag on a scalar value
        elif isinstance(current, dict) and isinstance(part, str) and "[" not in part and part.isidentifier():
            path.append(part)  # a missing field: named, but not in the data
            current = None
            continue
        else:
            continue
        path.append(part)
    return tuple(path)


def problems_from_validation(error: ValidationError, doc: Document) -> list[Problem]:
    """Turn pydantic's errors into located problems, one per error.

    Only the first :data:`MAX_PROBLEMS` get a did-you-mean: an error lists no more, and
    looking for close names costs most of the time for a file of many unknown keys.
    """
    problems = []
    for count, err in enumerate(error.errors(include_url=False)):
        loc = _data_path(err["loc"], doc.data)
        where = _dotted(loc) or "(top level)"
        kind = err["type"]
        if kind == "extra_forbidden":
            known = _field_names(Profile, loc) if count < MAX_PROBLEMS else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1) if known else []
            hint = f" (did you mean '{_dotted(loc[:-1] + (close[0],))}'?)" if close else ""
            problems.append(doc.problem(loc, "unknown-field", f"'{where}' is not a profile field{hint}"))
        elif kind == "missing":
            problems.append(doc.problem(loc, "missing-field", f"'{where}' is required"))
        else:
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, ") :]
            if kind == "literal_error" and loc and loc[-1] == "schema_version":
                message = (
                    f"unsupported schema_version {_describe(err['input'])}; "
                    f"this goalpath reads {SCHEMA_VERSION} and upgrades 1"
                )
            elif kind == "literal_error" and isinstance(err["input"], str):
                choices = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
                close = difflib.get_close_matches(err["input"], choices, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = f"{message}, got {_describe(err['input'])}{hint}"
            elif kind != "value_error":
                message = f"{message}, got {_describe(err['input'])}"
            problems.append(doc.problem(loc, "invalid-value", f"{where}: {message}"))
    return problems


def upgrade(data: dict) -> dict:
    """A profile's data upgraded to the current schema version (a copy; the input is not changed).

    Version 1 (or no ``schema_version``): ``mobility.family_constraints`` was true/false;
    ``true`` becomes ``limits_relocation`` and ``false`` becomes ``none``. Nothing else
    changed meaning. Data of any other version is returned as it is, for validation to
    accept or refuse.
    """
    version = data.get("schema_version", 1)
    if type(version) is not int or version != 1:
        return data
    out = {**data, "schema_version": SCHEMA_VERSION}
    mobility = out.get("mobility")
    if isinstance(mobility, dict) and isinstance(mobility.get("family_constraints"), bool):
        reach = "limits_relocation" if mobility["family_constraints"] else "none"
        out["mobility"] = {**mobility, "family_constraints": reach}
    return out


def _cross_field_problems(profile: Profile, doc: Document) -> list[Problem]:
    """Problems that need more than one field to see: what an activity ``serves`` must name."""
    names = {c.name for c in profile.goal.checkpoints}
    problems = []
    for i, activity in enumerate(profile.activities):
        if activity.serves is None or activity.serves == "outcome" or activity.serves in names:
            continue
        close = difflib.get_close_matches(activity.serves, sorted(names | {"outcome"}), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        problems.append(
            doc.problem(
                ("activities", i, "serves"),
                "unknown-checkpoint",
                f"activities[{i}].serves: '{activity.serves}' is not 'outcome' or the name of a checkpoint{hint}",
            )
        )
    return problems


def profile_from_document(doc: Document) -> Profile:
    """Validate a parsed document as a profile, upgrading an older schema version first.

    Raises:
        ProfileError: every problem found, each located in the document.
    """
    if not isinstance(doc.data, dict):
        raise ProfileError([doc.problem((), "invalid-value", "a profile must be a mapping of fields")])
    try:
        profile = Profile.model_validate(upgrade(doc.data))
    except ValidationError as exc:
        raise ProfileError(problems_from_validation(exc, doc)) from None
    problems = _cross_field_problems(profile, doc)
    if problems:
        raise ProfileError(problems)
    return profile


def load_profile_text(text: str, label: str = "<stdin>") -> Profile:
    """Load a profile from YAML or JSON text (for example standard input), named ``label`` in problems.

    Raises:
        ProfileError: the text cannot be parsed or is not a valid profile.
    """
    try:
        doc = parse_text(text, label, json_syntax=text.lstrip().startswith("{"))
    except ProfileError:
        raise
    except GoalpathError as exc:
        raise ProfileError(list(exc.problems)) from None
    return profile_from_document(doc)


def load_profile(source: ProfileSource, *, label: str | None = None) -> Profile:
    """Load a profile from a file path (str or os.PathLike), a dict, or pass a :class:`Profile` through.

    ``label`` names the file in problems (default: the path as given, or ``<profile>`` for a dict).

    Raises:
        ProfileError: the file cannot be read, parsed or validated; a path holding a NUL
            character is one no file can have, reported as unreadable like a missing file.
        TypeError: ``source`` is none of those, or ``label`` is not a str.
    """
    check_source(source)
    if label is not None and not isinstance(label, str):
        raise TypeError(f"label must be a str or None, got {described_type(label)}")
    if isinstance(source, Profile):
        return source
    if isinstance(source, dict):
        return profile_from_document(Document(label or "<profile>", source, {(): (0, 0)}))
    path = os.fspath(source)
    if "\0" in path:
        # A path usually comes from a person (a form, a command line): bad input, not a programming error.
        file = label if label is not None else path.replace("\0", "\\0")
        raise ProfileError([Problem(file, 0, 0, "unreadable", "a file name cannot contain a NUL character")])
    try:
        doc = read_document(path, label, stdin_ok=True)
    except ProfileError:
        raise
    except Exception as exc:  # GoalpathError from the reader: re-root it as a profile problem
        problems = getattr(exc, "problems", None)
        if problems is None:
            raise
        raise ProfileError(list(problems)) from None
    return profile_from_document(doc)
