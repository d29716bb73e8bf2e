"""How profile fields read in a rule sentence: the words for values, the templates for
tests whose plain form reads badly, amounts, dates and what list items are called.

Data only; :mod:`goalpath.packs.sentences` puts the words together. Item fields are
keyed ``list[].field``. Templates may hold ``{v}`` (the value) and the agreement marks
``{is} {has} {does} {s} {its} {it}``, filled in for one item or several.
"""

from __future__ import annotations

from typing import Union

from ..render import words

Words = dict[str, Union[str, tuple[str, str]]]
PRIORITIES: Words = {
    "promotion": "promotion",
    "skill_mastery": "skill mastery",
    "career_pivot": "a career pivot",
    "work_abroad": "working abroad",
}
PROGRESS: Words = {
    "not_started": "not started",
    "planned": "planned",
    "in_progress": "in progress",
    "done": "finished",
}
MEASURES: Words = {"outcome": ("a result", "results"), "quality": "quality", "volume": "raw volume"}

#: How a choice field's values read; a pair is (for one item, for several).
LEVELS: Words = {level: level for level in ("A1", "A2", "B1", "B2", "C1", "C2", "native")}

VALUES: dict[str, Words] = {
    "goal.priority": PRIORITIES,
    "goal.secondary_priority": PRIORITIES,
    "goal.goal_type": {
        "professional_advancement": "a professional advancement goal",
        "leadership_development": "a leadership development goal",
        "educational_advancement": "an educational advancement goal",
        "personal_development": "a personal development goal",
    },
    "goal.statement_kind": {"activity": "things to do", "outcome": "an outcome"},
    "evidence.stretch_project.status": PROGRESS,
    "evidence.promotion_case": PROGRESS,
    "evidence.case_study": PROGRESS,
    "evidence.applied_projects[].status": PROGRESS,
    "evidence.credentials[].status": {**PROGRESS, "done": "awarded"},
    "evidence.credential_recognition": {
        "unknown": "unknown",
        "not_needed": "not needed",
        "needed": "needed but not started",
        "in_progress": "in progress",
        "recognised": "done",
    },
    "evidence.work_authorisation": {
        "unknown": "unknown",
        "not_needed": "not needed",
        "researching": "being researched",
        "applied": "applied for",
        "granted": "granted",
    },
    "goal.checkpoints[].kind": {
        "milestone": ("a milestone", "milestones"),
        "rest": ("a rest break", "rest breaks"),
        "reward": ("a reward", "rewards"),
    },
    "activities[].kind": {
        "course": ("a course", "courses"),
        "reading": "reading",
        "conference": ("a conference", "conferences"),
        "networking": "networking",
        "certification": ("a certification", "certifications"),
        "project": ("a project", "projects"),
        "talk": ("a talk", "talks"),
        "application": ("an application", "applications"),
        "language": "language learning",
        "mentoring": "mentoring",
        "other": "something else",
    },
    "support[].role": {
        "mentor": ("a mentor", "mentors"),
        "coach": ("a coach", "coaches"),
        "hr_partner": ("an HR partner", "HR partners"),
        "manager": ("a manager", "managers"),
        "peer": ("a peer", "peers"),
        "sponsor": ("a sponsor", "sponsors"),
    },
    "indicators.leading[].measures": MEASURES,
    "indicators.lagging[].measures": MEASURES,
    "activities[].measures": MEASURES,
    "evidence.languages[].level": LEVELS,
    "evidence.languages[].target_level": LEVELS,
}

#: Item fields whose values say what the item is ("is a milestone", "is finished").
WHAT_ITEMS_ARE = frozenset(
    {
        "goal.checkpoints[].kind",
        "activities[].kind",
        "support[].role",
        "evidence.credentials[].status",
        "evidence.applied_projects[].status",
    }
)

#: Fields whose test does not read "<noun> is <value>": (holds, does not hold).
TEMPLATES = {
    "goal.statement_kind": ("your goal is written as {v}", "your goal is not written as {v}"),
    "goal.goal_type": ("your goal is {v}", "your goal is not {v}"),
    "evidence.stretch_project.status": ("your stretch project is {v}", "your stretch project is not {v}"),
    "evidence.application_targeting": ("your applications are {v}", "your applications are not {v}"),
    "habits.review_cadence": ("you review progress {v}", "you do not review progress {v}"),
    "support[].meets": ("meet{s} you {v}", "{does} not meet you {v}"),
    "indicators.leading[].measures": ("measure{s} {v}", "{does} not measure {v}"),
    "indicators.lagging[].measures": ("measure{s} {v}", "{does} not measure {v}"),
    "activities[].measures": ("measure{s} {v}", "{does} not measure {v}"),
}

#: Choice fields best said as a whole clause per set of values (a value's opposite is
#: the clause for the other values).
CHOICE_SETS: dict[str, dict[frozenset[str], str]] = {
    "mobility.mode": {
        frozenset({"relocate"}): "you plan to relocate",
        frozenset({"remote"}): "you plan to work remotely for an employer elsewhere",
        frozenset({"either"}): "you would relocate or work remotely",
        frozenset({"none"}): "the goal involves no move and no work across borders",
        frozenset({"relocate", "either"}): "you are open to relocating",
        frozenset({"remote", "either"}): "you are open to remote work across borders",
        frozenset({"relocate", "remote", "either"}): "the goal involves a move or remote work across borders",
        frozenset({"relocate", "either", "none"}): "you are not aiming at remote work alone",
    },
    "mobility.family_constraints": {
        frozenset({"none"}): "family commitments do not limit a move",
        frozenset({"limits_relocation"}): "family commitments limit where or when you can move",
        frozenset({"rules_out_relocation"}): "family commitments rule out a move for now",
        frozenset({"limits_relocation", "rules_out_relocation"}): "family commitments limit or rule out a move",
        frozenset({"none", "limits_relocation"}): "family commitments do not rule out a move",
    },
}

#: Numbers said as amounts: (template, one, several, counted) where a counted amount
#: takes "fewer than" and an amount of time "less than".
AMOUNTS = {
    "goal.horizon_months": ("your horizon is {v}", "month", "months", False),
    "goal.secondary_horizon_months": ("your second priority's horizon is {v}", "month", "months", False),
    "goal.months_left": ("you have {v} left to your deadline", "month", "months", False),
    "goal.secondary_months_left": ("you have {v} left to your second priority's deadline", "month", "months", False),
    "evidence.stakeholder_endorsements": ("you have {v}", "written endorsement", "written endorsements", True),
    "evidence.informational_interviews": (
        "you have held {v}",
        "informational interview",
        "informational interviews",
        True,
    ),
    "evidence.referrals": ("you have had {v}", "referral", "referrals", True),
    "evidence.applications": ("you have sent {v}", "application", "applications", True),
    "evidence.sponsoring_employers": (
        "you have found {v}",
        "employer that hires from abroad",
        "employers that hire from abroad",
        True,
    ),
    "evidence.target_region_contacts": (
        "you have talked with {v}",
        "person in the target region",
        "people in the target region",
        True,
    ),
    "habits.weekly_practice_minutes": ("you practise {v} a week", "minute", "minutes", False),
    "habits.hours_worked_per_week": ("you work {v} a week", "hour", "hours", False),
    "habits.rest_days_per_week": ("you take {v} a week", "rest day", "rest days", True),
    "evidence.languages[].levels_short": ("{is} {v} short of {its} target level", "level", "levels", True),
}

#: Dates: where the comparison ({v}) goes.
DATES = {
    "habits.last_review": "your last review was {v}",
    "habits.last_reevaluation": "your last re-evaluation was {v}",
    "history.first_review": "your first stored review was {v}",
    "history.last_review": "your last stored review was {v}",
    "history.stalled[].since": "{has} been recommended since {v}",
    "goal.started": "you started {v}",
    "goal.checkpoints[].due": "{is} due {v}",
    "activities[].due": "{is} due {v}",
    "evidence.credentials[].exam_date": "{has} {its} exam {v}",
}

#: Yes-or-no fields of list items: (true, false).
ITEM_STATEMENTS = {
    "goal.checkpoints[].done": ("{has} been met", "{is} still open"),
    "evidence.credentials[].recognised_in_target_market": (
        "{is} recognised in the target market",
        "{is} not recognised in the target market",
    ),
    "evidence.applied_projects[].emulates_target_role": (
        "{is} the target role's kind of work",
        "{is} not the target role's kind of work",
    ),
    "evidence.applied_projects[].abroad": ("{is} with the target region", "{is} not with the target region"),
}

#: Fields filled in, where "<noun> is filled in" reads badly (EMPTY has the other way).
FILLED = {
    "goal.outcome": "you have written an outcome sentence",
    "goal.why": "you have written down why the goal matters",
    "goal.horizon_months": "the goal has a timeframe",
    "goal.target_role": "the goal names a target role",
    "goal.target_market": "the goal names a target market",
    "goal.long_term_direction": "you have a long-term direction written down",
    "habits.non_work_habit": "you have a weekly habit outside work",
    "habits.weekly_practice_minutes": "you have set time aside for practice",
    "habits.review_cadence": "you have a set rhythm for reviewing progress",
    "habits.last_review": "you have held a review",
    "habits.last_reevaluation": "you have re-evaluated the goal",
    "history.first_review": "a review of yours is stored",
    "history.last_review": "a review of yours is stored",
    "evidence.stretch_project": "you have a stretch project",
    "evidence.stretch_project.status": "you have a stretch project",
    "evidence.stretch_project.measured_result": "your stretch project has a measured result",
}
EMPTY = {  # the words table, and more
    **words.EMPTY,
    "evidence.stretch_project": "you have no stretch project",
    "goal.months_left": "the goal has no deadline",
    "goal.secondary_months_left": "your second priority has no deadline",
}

#: List items' fields filled in or left empty: (filled in, empty).
ITEM_PRESENT = {
    "goal.checkpoints[].indicator": (
        "name{s} what will show {it} {is} met",
        "{does} not say what will show {it} {is} met",
    ),
    "evidence.credentials[].recognised_in_target_market": (
        "{has} been checked against the target market",
        "{has} not been checked against the target market yet",
    ),
    "evidence.credentials[].exam_date": ("{has} an exam date booked", "{has} no exam date booked yet"),
    "activities[].produces_evidence": (
        "produce{s} something that someone else could check",
        "produce{s} nothing that someone else could check yet",
    ),
    "activities[].serves": (
        "{is} linked to a checkpoint or the outcome",
        "{is} not linked to a checkpoint or the outcome yet",
    ),
    "activities[].metric": ("{has} a metric", "{has} no metric"),
    "indicators.leading[].current": ("{has} a current value written down", "{has} no current value written down"),
    "indicators.lagging[].current": ("{has} a current value written down", "{has} no current value written down"),
    "indicators.leading[].target": ("{has} a target value", "{has} no target value"),
    "indicators.lagging[].target": ("{has} a target value", "{has} no target value"),
    "evidence.applied_projects[].measured_result": ("{has} a measured result", "{has} no measured result yet"),
}

#: Fields with no noun in the words tables.
MORE_NOUNS = {
    "as_of": "the profile's date",
    "name": "your name",
    "schema_version": "the profile's schema version",
}

#: List items' fields as nouns, by the field's own name.
ITEM_NOUNS = {
    "current": "current value",
    "measures": "kind of measure",
    "meets": "set rhythm of meeting",
    "target": "target value",
    "target_level": "target level",
    "due": "due date",
    "exam_date": "exam date",
    "indicator": "sign that it is met",
    "measured_result": "measured result",
    "produces_evidence": "note of what it produces",
    "serves": "checkpoint it serves",
    "recognised_in_target_market": "recognition in the target market",
}

#: One item of each list, for counts ("exactly one checkpoint").
ONE = {
    "goal.non_negotiables": "non-negotiable",
    "goal.checkpoints": "checkpoint",
    "indicators.leading": "sign of progress",
    "indicators.lagging": "result you track",
    "evidence.transferable_skills": "transferable skill",
    "evidence.credentials": "credential",
    "evidence.applied_projects": "applied project",
    "evidence.languages": "language",
    "support": "person supporting you",
    "activities": "planned activity",
    "mobility.target_regions": "target region",
    "mobility.minimum_requirements": "minimum requirement for a move",
}

AGREEMENT = {
    "{is}": ("is", "are"),
    "{has}": ("has", "have"),
    "{does}": ("does", "do"),
    "{s}": ("s", ""),
    "{its}": ("its", "their"),
    "{it}": ("it", "they"),
}
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
