"""Starting a profile: a commented starter file, and the questions of an interview.

The interview asks the article's final checklist and audit one question at a time: the
goal, the priority, the horizon, the evidence so far. Each question's words, choices,
bounds and default come from the profile model (its field descriptions and types), so
the questions cannot drift from the schema. The answers become a valid profile.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic.fields import FieldInfo

from .fields import FieldSpec, profile_fields
from .profile import SCHEMA_VERSION, Profile, describe_fields, model_in

STARTER = """\
# A goalpath profile: your career goal, the evidence you have, and how you work on it.
# Fill in what you know and leave the rest out; every field is described in
# docs/profile.md. Then run:  goalpath recommend {file}
schema_version: {version}
name: Your name
as_of: {today}               # the day this profile describes (YYYY-MM-DD)

goal:
  # promotion, skill_mastery, career_pivot or work_abroad
  priority: promotion
  # One sentence: the result, the role or market, and a date.
  outcome: Be promoted to team lead, leading a team of five, by {example_date}
  target_role: Team lead
  horizon_months: 18         # how long you give yourself, counted from `started`
  started: {today}
  why: Write two or three sentences on why this goal matters to you.
  checkpoints:               # about a quarter apart, each with how you will know it is met
    - name: Current results written down
      due: {checkpoint}
      indicator: One page of results shared with my manager

# The final checklist: can you answer each question? yes, partly or no.
audit:
  specific_outcome: yes
  measurable_indicators: partly
  missing_evidence_known: partly
  timeline_and_checkpoints: partly
  feedback_source: no
  life_and_mobility: yes

indicators:
  leading: []                # three to five signs of progress you control
  lagging: []                # one or two results, such as the promotion itself

evidence: {{}}                 # what you can already show (see docs/profile.md)

habits:
  weekly_practice_minutes: 30
  review_cadence: monthly
"""


def starter_profile(today: dt.date, file: str = "goal.yaml") -> str:
    """The commented starter profile, dated ``today``."""
    return STARTER.format(
        file=file,
        version=SCHEMA_VERSION,
        today=today.isoformat(),
        example_date=(today + dt.timedelta(days=548)).strftime("%B %Y"),
        checkpoint=(today + dt.timedelta(days=60)).isoformat(),
    )


@dataclass(frozen=True)
class Question:
    """One interview question about one profile field."""

    path: str
    text: str  # the question, from the field's description
    kind: str  # choice, answer (yes/partly/no), text, int, bool, date
    choices: tuple[str, ...]
    default: Any  # shown and used when the answer is left empty; None means the field is left out
    low: int | None = None
    high: int | None = None
    when: Callable[[dict[str, Any]], bool] | None = None  # asked only if this holds for the answers so far

    def parse(self, raw: str) -> Any:
        """The answer as the field's value (None for an empty answer with no default).

        Raises:
            ValueError: the answer does not fit the field, in words the person can act on.
        """
        text = raw.strip()
        if not text:
            return self.default
        if self.kind in ("choice", "answer"):
            if text not in self.choices:
                close = difflib.get_close_matches(text, self.choices, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ValueError(f"answer one of {', '.join(self.choices)}{hint}")
            return text
        if self.kind == "int":
            if not re.fullmatch(r"\d+", text):
                raise ValueError("answer a whole number")
            value = int(text)
            if (self.low is not None and value < self.low) or (self.high is not None and value > self.high):
                raise ValueError(f"answer a number from {self.low} to {self.high}")
            return value
        if self.kind == "bool":
            if text.lower() in ("y", "yes", "true"):
                return True
            if text.lower() in ("n", "no", "false"):
                return False
            raise ValueError("answer yes or no")
        if self.kind == "date":
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise ValueError("answer a date as YYYY-MM-DD") from None
        return text


def _priority_is(*priorities: str) -> Callable[[dict[str, Any]], bool]:
    return lambda answers: (
        answers.get("goal.priority") in priorities or answers.get("goal.secondary_priority") in priorities
    )


#: The interview, in order: (field path, default, asked when). The words come from the model.
_ASKED: tuple[tuple[str, Any, Callable[[dict[str, Any]], bool] | None], ...] = (
    ("name", None, None),
    ("goal.priority", "promotion", None),
    ("goal.secondary_priority", None, None),
    ("goal.outcome", None, None),
    ("goal.current_role", None, None),
    ("goal.target_role", None, _priority_is("promotion", "career_pivot")),
    ("goal.target_market", None, _priority_is("work_abroad")),
    ("goal.horizon_months", 12, None),
    ("goal.why", None, None),
    ("audit.specific_outcome", None, None),
    ("audit.measurable_indicators", None, None),
    ("audit.missing_evidence_known", None, None),
    ("audit.timeline_and_checkpoints", None, None),
    ("audit.feedback_source", None, None),
    ("audit.life_and_mobility", None, None),
    ("evidence.baseline_documented", False, _priority_is("promotion")),
    ("evidence.stakeholder_endorsements", 0, _priority_is("promotion")),
    ("evidence.informational_interviews", 0, _priority_is("career_pivot", "work_abroad")),
    ("evidence.requirements_researched", False, _priority_is("work_abroad")),
    ("habits.weekly_practice_minutes", None, None),
    ("habits.review_cadence", None, None),
    ("habits.hours_worked_per_week", None, None),
    ("habits.rest_days_per_week", None, None),
)


def questions() -> list[Question]:
    """The interview's questions, each built from its field in the profile model."""
    describe_fields()
    fields = profile_fields()
    return [_question(path, fields[path], default, when) for path, default, when in _ASKED]


def _question(path: str, spec: FieldSpec, default: Any, when: Callable[[dict[str, Any]], bool] | None) -> Question:
    info = _field_info(path)
    text = _ask(info.description or path)
    bounds = _bounds(info)
    if spec.kind == "choice":
        choices = spec.choices
        kind = "answer" if set(choices) == {"yes", "partly", "no"} else "choice"
        return Question(path, text, kind, choices, default, when=when)
    return Question(
        path, text, spec.kind if spec.kind in ("int", "bool", "date") else "text", (), default, *bounds, when=when
    )


def _field_info(path: str) -> FieldInfo:
    model: Any = Profile
    info: FieldInfo | None = None
    for part in path.split("."):
        info = model.model_fields[part]
        model = model_in(info.annotation)
    if info is None:  # pragma: no cover - every path in _ASKED names a field (tests/test_starter.py)
        raise KeyError(path)
    return info


def _bounds(info: FieldInfo) -> tuple[int | None, int | None]:
    low = high = None
    pending = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        pending.extend(getattr(arg, "__metadata__", ()))
    for item in pending:
        if isinstance(item, FieldInfo):
            pending.extend(item.metadata)
            continue
        if getattr(item, "ge", None) is not None:
            low = item.ge
        if getattr(item, "le", None) is not None:
            high = item.le
    return low, high


def _ask(description: str) -> str:
    """A field description as a question: its first sentence, without a leading label."""
    text = " ".join(description.split())
    text = re.sub(r"^(Final checklist|REAL lens, \w[\w-]*|Roadmap step \d+|Framework [ABC] step \d+): ", "", text)
    first = re.split(r"(?<!e\.g\.)(?<!i\.e\.)(?<=[.?])\s", text, maxsplit=1)[0]
    flag = re.match(r"^`true` (?:if|once) (.*)\.$", first)
    if flag:  # a yes-or-no field: "`true` once X." becomes "X? (yes or no)"
        first = flag.group(1) + "? (yes or no)"
    first = first.removesuffix(".")  # the prompt adds its own colon
    return first[0].upper() + first[1:]


def answers_to_profile(answers: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The answers (field path -> value; None for left out) as profile data, dated ``today``."""
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "as_of": today}
    for path, value in answers.items():
        if value is None:
            continue
        *parents, last = path.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    goal = data.setdefault("goal", {})
    if "horizon_months" in goal:
        goal.setdefault("started", today)
    return data
