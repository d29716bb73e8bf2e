"""Hypothesis strategies for goal profiles (as the plain dicts a YAML file would give)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

PRIORITIES = ["promotion", "skill_mastery", "career_pivot", "work_abroad"]
ANSWERS = ["yes", "partly", "no"]
PROGRESS = ["not_started", "planned", "in_progress", "done"]
CADENCE = ["weekly", "fortnightly", "monthly", "quarterly", "yearly", "never"]
LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
GOAL_TYPES = ["professional_advancement", "leadership_development", "educational_advancement", "personal_development"]

text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=16)
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31)).map(dt.date.isoformat)
counts = st.integers(min_value=0, max_value=6)


def _opt(**fields):
    return st.fixed_dictionaries({}, optional=fields)


checkpoint = st.fixed_dictionaries(
    {"name": text, "due": dates},
    optional={"done": st.booleans(), "indicator": text, "kind": st.sampled_from(["milestone", "rest", "reward"])},
)
indicator = st.fixed_dictionaries(
    {"name": text},
    optional={
        "measures": st.sampled_from(["outcome", "quality", "volume"]),
        "current": st.floats(0, 100),
        "target": st.floats(0, 100),
    },
)
project = st.fixed_dictionaries(
    {"name": text},
    optional={
        "status": st.sampled_from(PROGRESS),
        "measured_result": text,
        "emulates_target_role": st.booleans(),
        "abroad": st.booleans(),
    },
)
credential = st.fixed_dictionaries(
    {"name": text},
    optional={"status": st.sampled_from(PROGRESS), "recognised_in_target_market": st.booleans(), "exam_date": dates},
)
activity = st.fixed_dictionaries(
    {
        "description": text,
        "kind": st.sampled_from(
            [
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
        ),
    },
    optional={
        "metric": text,
        "measures": st.sampled_from(["outcome", "quality", "volume"]),
        "produces_evidence": text,
        "due": dates,
        "serves": st.just("outcome"),
    },
)

OUTCOMES = st.sampled_from(
    [
        "Get better at management",
        "Lead a team of six within 24 months",
        "Senior PM by Q3 2027",
        "Work in Europe someday",
    ]
)

profiles = st.fixed_dictionaries(
    {
        "as_of": dates,
        "goal": st.fixed_dictionaries(
            {"priority": st.sampled_from(PRIORITIES)},
            optional={
                "secondary_priority": st.sampled_from(PRIORITIES),
                "goal_type": st.sampled_from(GOAL_TYPES),
                "outcome": st.one_of(text, OUTCOMES),
                "current_role": text,
                "secondary_horizon_months": st.integers(1, 60),
                "statement_kind": st.sampled_from(["outcome", "activity"]),
                "long_term_direction": text,
                "target_role": text,
                "target_market": text,
                "horizon_months": st.integers(1, 60),
                "started": dates,
                "why": text,
                "non_negotiables": st.lists(text, max_size=3),
                "checkpoints": st.lists(checkpoint, max_size=4),
                "validated": st.booleans(),
                "shared_with_manager": st.one_of(st.booleans(), st.none()),
            },
        ),
    },
    optional={
        "name": text,
        "audit": _opt(
            **{
                k: st.sampled_from(ANSWERS)
                for k in (
                    "specific_outcome",
                    "measurable_indicators",
                    "missing_evidence_known",
                    "timeline_and_checkpoints",
                    "feedback_source",
                    "life_and_mobility",
                )
            }
        ),
        "real": _opt(
            **{k: st.sampled_from(ANSWERS) for k in ("relevant", "experimental", "aspirational", "learning_based")}
        ),
        "indicators": _opt(
            leading=st.lists(indicator, max_size=7), lagging=st.lists(indicator, max_size=3), dashboard=st.booleans()
        ),
        "evidence": _opt(
            baseline_documented=st.booleans(),
            stretch_project=project,
            stakeholder_endorsements=counts,
            promotion_case=st.sampled_from(PROGRESS),
            transferable_skills=st.lists(text, max_size=4),
            credentials=st.lists(credential, max_size=3),
            applied_projects=st.lists(project, max_size=3),
            informational_interviews=counts,
            referrals=counts,
            case_study=st.sampled_from(PROGRESS),
            applications=counts,
            application_targeting=st.sampled_from(["targeted", "untargeted", "mixed"]),
            spoken_with_hr=st.booleans(),
            languages=st.lists(
                st.fixed_dictionaries(
                    {"name": text, "level": st.sampled_from(LEVELS)}, optional={"target_level": st.sampled_from(LEVELS)}
                ),
                max_size=3,
            ),
            requirements_researched=st.booleans(),
            work_authorisation=st.sampled_from(["unknown", "not_needed", "researching", "applied", "granted"]),
            credential_recognition=st.sampled_from(["unknown", "not_needed", "needed", "in_progress", "recognised"]),
            sponsoring_employers=counts,
            target_region_contacts=counts,
            transition_plan=st.booleans(),
            living_resume=st.booleans(),
            portfolio=st.booleans(),
            pitch_ready=st.booleans(),
            networking_script=st.booleans(),
        ),
        "support": st.lists(
            st.fixed_dictionaries(
                {"role": st.sampled_from(["mentor", "coach", "hr_partner", "manager", "peer", "sponsor"])},
                optional={"meets": st.sampled_from(CADENCE)},
            ),
            max_size=3,
        ),
        "habits": _opt(
            weekly_practice_minutes=st.integers(0, 600),
            review_cadence=st.sampled_from(CADENCE),
            hours_worked_per_week=st.integers(20, 80),
            rest_days_per_week=st.integers(0, 7),
            non_work_habit=text,
            public_commitment=st.booleans(),
            last_review=dates,
            last_reevaluation=dates,
        ),
        "activities": st.lists(activity, max_size=4),
        "mobility": _opt(
            mode=st.sampled_from(["relocate", "remote", "either", "none"]),
            target_regions=st.lists(text, max_size=2),
            family_constraints=st.sampled_from([True, False, "none", "limits_relocation", "rules_out_relocation"]),
            minimum_requirements=st.lists(text, max_size=2),
            logistics_in_timeline=st.booleans(),
            contingency_plan=st.booleans(),
            with_current_employer=st.booleans(),
        ),
    },
)
