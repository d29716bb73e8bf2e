"""Why-not: any condition checked against a finished trace, and the change that would meet it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from goalpath import Engine
from goalpath.whynot import _check_rule, _Checker, check, why_not

from strategies import profiles

ROOT = Path(__file__).resolve().parents[1]
LADDER = ROOT / "tests" / "data" / "engine" / "ladder.yaml"
ENGINES = {"ladder": Engine([LADDER], builtin=False), "builtin": Engine()}


@pytest.mark.parametrize("pack", sorted(ENGINES))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=profiles)
def test_a_rule_checks_as_met_exactly_when_it_fired(pack, data):
    """The after-the-fact evaluator agrees with the engine on every rule of the pack."""
    engine = ENGINES[pack]
    evaluation = engine.evaluate(data)
    fired = {f.rule_id for f in evaluation.trace.firings}
    checker = _Checker(evaluation)
    met = {r.id for r in engine.pack.rules if not _check_rule(r, checker, engine.pack, fired, 0).unmet}
    assert met == fired


def test_a_recommended_action_names_the_rule_that_fired_first():
    engine = ENGINES["builtin"]
    evaluation = engine.evaluate(ROOT / "fixtures" / "promotion-early.yaml")
    answer = why_not("choose-stretch-project", evaluation, engine.pack)
    assert answer.status == "recommended"
    first = answer.rules[0]
    assert (first.rule.id, first.fired, first.unmet) == ("ladder-next-stretch-choose", True, ())


def test_a_later_step_says_which_earlier_evidence_it_waits_for():
    """Priya's endorsements wait for the stretch project: finishing and measuring it is the change."""
    engine = ENGINES["builtin"]
    evaluation = engine.evaluate(ROOT / "fixtures" / "promotion-early.yaml")
    answer = why_not("request-stakeholder-endorsements", evaluation, engine.pack)
    assert answer.status == "not-recommended"
    nearest = answer.rules[0]
    assert nearest.rule.id == "ladder-next-endorsements"
    (unmet,) = nearest.unmet
    assert "set `evidence.stretch_project.status` to done (it is empty)" in unmet.change
    assert "fill in `evidence.stretch_project.measured_result`" in unmet.change
    assert "goal.priority" not in unmet.change  # the goal itself is never the change asked for


def test_a_done_step_says_what_is_done():
    engine = ENGINES["builtin"]
    evaluation = engine.evaluate(ROOT / "fixtures" / "promotion-early.yaml")
    (rule,) = why_not("document-baseline-impact", evaluation, engine.pack).rules
    assert "set `evidence.baseline_documented` to false" in rule.unmet[0].change


def test_numbers_say_how_far_to_go():
    engine = ENGINES["builtin"]
    evaluation = engine.evaluate(ROOT / "fixtures" / "promotion-early.yaml")
    answer = why_not("protect-recovery-time", evaluation, engine.pack)
    assert [u.change for u in answer.rules[0].unmet] == ["raise `habits.hours_worked_per_week` from 42 to 55"]


def test_check_reports_what_it_saw():
    engine = ENGINES["builtin"]
    evaluation = engine.evaluate(ROOT / "fixtures" / "promotion-early.yaml")
    seen = check(engine.pack.rule("no-weekly-practice").when, evaluation)
    assert not seen.holds
    assert [(c.condition.path, c.seen) for c, _ in seen.unmet()] == [("habits.weekly_practice_minutes", 60)]  # type: ignore[union-attr]
