"""The goal profile: everything the article asks a person to know about their goal.

Models are strict (no type coercion), frozen, and reject unknown keys, so a typo in a
profile is reported instead of silently ignored.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from .errors import Problem, ProfileError
from .source import Document, read_document

SCHEMA_VERSION = 1

Priority = Literal["promotion", "skill_mastery", "career_pivot", "work_abroad"]
AuditAnswer = Literal["yes", "partly", "no"]
Progress = Literal["not_started", "planned", "in_progress", "done"]
Cadence = Literal["weekly", "fortnightly", "monthly", "quarterly", "yearly", "never"]
LanguageLevel = Literal["A1", "A2", "B1", "B2", "C1", "C2", "native"]
GoalType = Literal["professional_advancement", "leadership_development", "educational_advancement", "personal_development"]


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


Date = Annotated[dt.date, BeforeValidator(_iso_date)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Count = Annotated[int, Field(ge=0, le=100_000)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Checkpoint(_Model):
    """A dated milestone on the way to the goal."""

    name: Text
    due: Date
    done: bool = False
    indicator: Text | None = None


class Indicator(_Model):
    """Something measured: ``measures`` tells an outcome or quality apart from raw volume."""

    name: Text
    measures: Literal["outcome", "quality", "volume"] = "outcome"
    current: float | None = None
    target: float | None = None
    unit: Text | None = None


class Indicators(_Model):
    leading: list[Indicator] = []
    lagging: list[Indicator] = []
    dashboard: bool = False


class Goal(_Model):
    """The goal itself: roadmap steps 1 and 2 (why, destination and horizon)."""

    priority: Priority
    secondary_priority: Priority | None = None
    #: the article's four types of career goal; each needs different evidence and pacing
    goal_type: GoalType | None = None
    outcome: Text | None = None
    statement_kind: Literal["outcome", "activity"] | None = None
    #: where this goal leads in two to five years (the long-term goal a short-term one serves)
    long_term_direction: Text | None = None
    target_role: Text | None = None
    target_market: Text | None = None
    horizon_months: Annotated[int, Field(ge=1, le=240)] | None = None
    started: Date | None = None
    why: Text | None = None
    non_negotiables: list[Text] = []
    checkpoints: list[Checkpoint] = []
    validated: bool = False
    shared_with_manager: bool = False


class Audit(_Model):
    """Answers to the article's final checklist: can the person answer each question?"""

    specific_outcome: AuditAnswer | None = None
    measurable_indicators: AuditAnswer | None = None
    missing_evidence_known: AuditAnswer | None = None
    timeline_and_checkpoints: AuditAnswer | None = None
    feedback_source: AuditAnswer | None = None
    life_and_mobility: AuditAnswer | None = None


class Real(_Model):
    """Answers to the REAL lens for development goals: Relevant, Experimental, Aspirational, Learning-based."""

    relevant: AuditAnswer | None = None
    experimental: AuditAnswer | None = None
    aspirational: AuditAnswer | None = None
    learning_based: AuditAnswer | None = None


class Credential(_Model):
    name: Text
    status: Progress = "planned"
    recognised_in_target_market: bool | None = None


class Project(_Model):
    name: Text
    status: Progress = "planned"
    measured_result: Text | None = None
    emulates_target_role: bool = False
    abroad: bool = False


class Language(_Model):
    name: Text
    level: LanguageLevel
    target_level: LanguageLevel | None = None


class Evidence(_Model):
    """The evidence inventory, one field per step of the article's three frameworks."""

    # Framework A: the Evidence Ladder
    baseline_documented: bool = False
    stretch_project: Project | None = None
    stakeholder_endorsements: Count = 0
    promotion_case: Progress = "not_started"
    # Framework B: the Pivot Bridge
    transferable_skills: list[Text] = []
    credentials: list[Credential] = []
    applied_projects: list[Project] = []
    informational_interviews: Count = 0
    referrals: Count = 0
    case_study: Progress = "not_started"
    applications: Count = 0
    # Framework C: the Mobility Playbook
    languages: list[Language] = []
    requirements_researched: bool = False
    work_authorisation: Literal["unknown", "not_needed", "researching", "applied", "granted"] = "unknown"
    credential_recognition: Literal["unknown", "not_needed", "needed", "in_progress", "recognised"] = "unknown"
    sponsoring_employers: Count = 0
    target_region_contacts: Count = 0
    transition_plan: bool = False
    # Tools and artefacts
    living_resume: bool = False
    portfolio: bool = False
    pitch_ready: bool = False
    networking_script: bool = False


class Supporter(_Model):
    role: Literal["mentor", "coach", "hr_partner", "manager", "peer", "sponsor"]
    name: Text | None = None
    meets: Cadence | None = None


class Habits(_Model):
    weekly_practice_minutes: Annotated[int, Field(ge=0, le=10_080)] | None = None
    review_cadence: Cadence | None = None
    hours_worked_per_week: Annotated[int, Field(ge=0, le=168)] | None = None
    rest_days_per_week: Annotated[int, Field(ge=0, le=7)] | None = None
    non_work_habit: Text | None = None
    #: a dated presentation, write-up or session promised in front of others
    public_commitment: bool = False


class Activity(_Model):
    """Something the person plans to do; rules tell activity from outcome by these fields."""

    description: Text
    kind: Literal[
        "course", "reading", "conference", "networking", "certification", "project", "talk",
        "application", "language", "mentoring", "other",
    ]
    metric: Text | None = None
    measures: Literal["outcome", "quality", "volume"] | None = None
    produces_evidence: Text | None = None
    due: Date | None = None


class Mobility(_Model):
    mode: Literal["relocate", "remote", "either", "none"] = "none"
    target_regions: list[Text] = []
    family_constraints: bool = False
    minimum_requirements: list[Text] = []
    logistics_in_timeline: bool = False
    contingency_plan: bool = False
    #: the move is an assignment or transfer with the current employer
    with_current_employer: bool = False


class Profile(_Model):
    """A person's career-goal profile (schema version 1)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    name: Text | None = None
    as_of: Date | None = None
    goal: Goal
    audit: Audit = Audit()
    real: Real = Real()
    indicators: Indicators = Indicators()
    evidence: Evidence = Evidence()
    support: list[Supporter] = []
    habits: Habits = Habits()
    activities: list[Activity] = []
    mobility: Mobility = Mobility()


ProfileSource = Union[Profile, dict, str, Path]


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _field_names(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """Field names of the model that holds the last element of ``loc``."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if isinstance(current, type) else None
        if info is None:
            return []
        current = _model_in(info.annotation)
        if current is None:
            return []
    return list(current.model_fields) if isinstance(current, type) else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel inside an annotation such as ``X | None`` or ``tuple[X, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def problems_from_validation(error: ValidationError, doc: Document) -> list[Problem]:
    """Turn pydantic's errors into located problems, one per error."""
    problems = []
    for err in error.errors(include_url=False):
        # Drop pydantic's union/function tags so the location is a plain field path.
        loc = tuple(p for p in err["loc"] if isinstance(p, int) or not str(p).startswith(("function-", "literal[")))
        loc = tuple(p for p in loc if p not in ("int", "float", "str", "bool", "date", "none", "tuple"))
        where = _dotted(loc) or "(top level)"
        kind = err["type"]
        if kind == "extra_forbidden":
            known = _field_names(Profile, loc)
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f" (did you mean '{_dotted(loc[:-1] + (close[0],))}'?)" if close else ""
            problems.append(doc.problem(loc, "unknown-field", f"'{where}' is not a profile field{hint}"))
        elif kind == "missing":
            problems.append(doc.problem(loc, "missing-field", f"'{where}' is required"))
        else:
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message[len("Value error, "):]
            if kind == "literal_error" and loc and loc[-1] == "schema_version":
                message = f"unsupported schema_version {_describe(err['input'])}; this goalpath reads {SCHEMA_VERSION}"
            elif kind != "value_error":
                message = f"{message}, got {_describe(err['input'])}"
            problems.append(doc.problem(loc, "invalid-value", f"{where}: {message}"))
    return problems


def profile_from_document(doc: Document) -> Profile:
    """Validate a parsed document as a profile.

    Raises:
        ProfileError: every problem found, each located in the document.
    """
    if not isinstance(doc.data, dict):
        raise ProfileError([doc.problem((), "invalid-value", "a profile must be a mapping of fields")])
    try:
        return Profile.model_validate(doc.data)
    except ValidationError as exc:
        raise ProfileError(problems_from_validation(exc, doc)) from None


def load_profile(source: ProfileSource, *, label: str | None = None) -> Profile:
    """Load a profile from a file path, a dict, or pass a :class:`Profile` through.

    Raises:
        ProfileError: the file cannot be read, parsed or validated.
    """
    if isinstance(source, Profile):
        return source
    if isinstance(source, dict):
        return profile_from_document(Document(label or "<profile>", source, {(): (0, 0)}))
    try:
        doc = read_document(source, label)
    except ProfileError:
        raise
    except Exception as exc:  # GoalpathError from the reader: re-root it as a profile problem
        problems = getattr(exc, "problems", None)
        if problems is None:
            raise
        raise ProfileError(list(problems)) from None
    return profile_from_document(doc)
