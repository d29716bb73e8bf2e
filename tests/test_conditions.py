"""Each condition form of the rule language, including what an empty field means."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalpath import Engine

CASES = {
    # rule id: condition (YAML flow syntax)
    "eq": "{field: goal.priority, is: promotion}",
    "neq-empty": "{field: goal.target_market, is_not: Germany}",
    "below": "{field: goal.horizon_months, below: 12}",
    "below-empty": "{field: habits.hours_worked_per_week, below: 40}",
    "not-below-empty": "{not: {field: habits.hours_worked_per_week, below: 40}}",
    "at-least": "{field: evidence.stakeholder_endorsements, at_least: 2}",
    "in": "{field: audit.specific_outcome, in: [no, partly]}",
    "not-in-empty": "{field: audit.feedback_source, not_in: [yes]}",
    "present": "{field: goal.outcome, present: true}",
    "absent": "{field: goal.target_role, present: false}",
    "any-item": "{field: evidence.credentials, any: {field: status, is: done}}",
    "all-items": "{field: evidence.credentials, all: {field: status, is: done}}",
    "all-of-none": "{field: support, all: {field: role, is: mentor}}",
    "none-item": "{field: support, none: {field: role, in: [mentor, coach]}}",
    "count-where": "{field: evidence.credentials, count: {where: {field: status, in: [planned, done]}, at_least: 2}}",
    "count-plain": "{field: goal.non_negotiables, count: {is: 2}}",
    "date-relative": "{field: goal.checkpoints, any: {field: due, below: today}}",
    "date-absolute": "{field: goal.started, at_least: 2026-01-01}",
    "any-of": "{any: [{field: goal.priority, is: career_pivot}, {field: goal.horizon_months, at_most: 6}]}",
    "all-of": "{all: [{field: goal.priority, is: promotion}, {field: goal.horizon_months, at_most: 6}]}",
    "not-any": "{not: {any: [{field: goal.priority, is: career_pivot}, {field: goal.horizon_months, above: 24}]}}",
    # Computed fields: started 2026-03-01 + 6 months = 2026-09-01, two months before the as-of date.
    "computed-months-left": "{field: goal.months_left, at_most: -1.9}",
    "computed-empty": "{field: goal.secondary_months_left, present: true}",
    "computed-not-empty": "{not: {field: goal.secondary_months_left, below: 3}}",
    "computed-flag": "{field: goal.outcome_names_date, is: true}",
    "computed-item": "{field: evidence.languages, any: {field: levels_short, at_least: 2}}",
    "computed-item-empty": "{field: evidence.languages, any: {field: levels_short, present: false}}",
}

PROFILE = {
    "as_of": "2026-11-01",
    "goal": {
        "priority": "promotion",
        "outcome": "Senior analyst by 2027",
        "horizon_months": 6,
        "started": "2026-03-01",
        "non_negotiables": ["no relocation", "Fridays off"],
        "checkpoints": [{"name": "a", "due": "2026-12-01"}, {"name": "b", "due": "2026-10-01"}],
    },
    "audit": {"specific_outcome": "partly"},
    "evidence": {
        "stakeholder_endorsements": 1,
        "credentials": [{"name": "SQL", "status": "done"}, {"name": "Stats", "status": "planned"}],
        "languages": [{"name": "German", "level": "A2", "target_level": "B2"}],
    },
    "support": [{"role": "peer"}],
}

HOLDS = {
    "eq",
    "neq-empty",
    "below",
    "not-below-empty",
    "in",
    "not-in-empty",
    "present",
    "absent",
    "any-item",
    "none-item",
    "count-where",
    "count-plain",
    "date-relative",
    "date-absolute",
    "any-of",
    "all-of",
    "not-any",
    "computed-months-left",
    "computed-not-empty",
    "computed-flag",
    "computed-item",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Engine:
    rules = "\n".join(
        f"  - {{id: {rule_id}, title: {rule_id}, cites: S, when: {cond}, then: [{{recommend: {rule_id}}}]}}"
        for rule_id, cond in CASES.items()
    )
    actions = "\n".join(
        f"  - {{id: {rule_id}, title: {rule_id}, do: d, evidence: e, done_when: w, effort: low, impact: 3}}"
        for rule_id in CASES
    )
    path: Path = tmp_path_factory.mktemp("conditions") / "pack.yaml"
    path.write_text(f"actions:\n{actions}\nrules:\n{rules}\n", encoding="utf-8")
    return Engine([path], builtin=False)


def test_each_condition_form_holds_exactly_when_it_should(engine):
    fired = {f.rule_id for f in engine.evaluate(PROFILE).trace.firings}
    assert sorted(fired) == sorted(HOLDS)


def test_explanations_name_the_alternative_that_held(engine):
    result = engine.recommend(PROFILE, top=None)
    by_id = {r.action.id: r for r in result.recommendations}
    (reason,) = by_id["any-of"].reasons
    assert [(m.field, m.value) for m in reason.matched] == [("goal.horizon_months", 6)]
    (reason,) = by_id["date-absolute"].reasons
    assert [(m.field, m.value) for m in reason.matched] == [("goal.started", "2026-03-01")]
    (reason,) = by_id["not-below-empty"].reasons
    assert [(m.field, m.value) for m in reason.matched] == [("habits.hours_worked_per_week", None)]
