"""The dated plan: this quarter's work first, later framework steps in order, and reviews."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from goalpath import Engine
from goalpath.plan import build_plan

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "fixtures").glob("*.yaml"))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def plan_for(engine: Engine, source):
    evaluation = engine.evaluate(source)
    return build_plan(evaluation, engine.pack, engine.result(evaluation))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_every_plan_keeps_its_promises(engine: Engine, path: Path):
    plan = plan_for(engine, path)
    assert plan.quarters[0].start == plan.start
    for before, after in zip(plan.quarters, plan.quarters[1:], strict=False):
        assert after.start == before.end + dt.timedelta(days=1)
    items = [i for q in plan.quarters for i in q.items]
    assert all(i.quarter == 1 for i in items if i.now)
    assert all(q.start <= i.start <= q.end for q in plan.quarters for i in q.items)
    # A later framework step never starts before a step it has to wait for (one below the
    # step it may start alongside); none of this quarter's actions comes back later.
    now = {i.action.id for i in items if i.now}
    later = [i for i in items if i.action.step and not i.now]
    assert not now & {i.action.id for i in later}
    for a in items:
        for b in later:
            if a.action.step and a.action.step.framework == b.action.step.framework:
                if a.action.step.order < b.action.step.starts_with:
                    assert a.start <= b.start, (a.action.id, b.action.id)
    reviews = [c for q in plan.quarters for c in q.checkpoints if c.kind == "quarterly-review"]
    assert len(reviews) == len(plan.quarters)
    assert plan_for(engine, path).to_json() == plan.to_json()


def test_a_pivot_plan_skips_the_interviews_already_held(engine: Engine):
    """Hannah has held her two interviews: the referral, not the interviews, follows the credential."""
    plan = plan_for(engine, ROOT / "fixtures" / "pivot-mapping-quarter.yaml")
    later = [(i.action.id, i.start.isoformat()) for q in plan.quarters for i in q.items if not i.now]
    assert later == [("ask-for-referral", "2027-04-01"), ("apply-selectively", "2027-05-01")]


def test_reviews_name_the_indicators_and_a_reward(engine: Engine):
    plan = plan_for(engine, ROOT / "fixtures" / "promotion-early.yaml")
    first = next(c for c in plan.quarters[0].checkpoints if c.kind == "quarterly-review")
    assert first.date == dt.date(2027, 1, 31)
    assert first.details == [
        "Compare what you achieved with your milestones (Stretch project agreed and started). Change any action that is not producing evidence.",
        "Leading indicators to look at: Stretch project milestones met; Analysts I mentor who shipped work; Stakeholder endorsements.",
        "Lagging indicators to look at: Promotion to analytics manager.",
        "Name each milestone you met, and take a rest or reward for it.",
    ]


def test_a_goal_without_a_horizon_is_planned_a_year_ahead(engine: Engine):
    plan = plan_for(engine, {"as_of": "2026-11-01", "goal": {"priority": "promotion"}})
    assert (plan.deadline, plan.end) == (None, dt.date(2027, 11, 1))
    assert plan.notes == ["The goal has no horizon, so this plan covers the next twelve months."]
    assert len(plan.quarters) == 4


def test_a_passed_deadline_is_said(engine: Engine):
    plan = plan_for(
        engine, {"as_of": "2026-11-01", "goal": {"priority": "promotion", "horizon_months": 6, "started": "2026-01-01"}}
    )
    assert plan.notes == ["The deadline (2026-07-01) has passed, so this plan covers the next quarter."]
