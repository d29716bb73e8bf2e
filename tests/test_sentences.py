"""Rules as sentences a coach can review: every built-in rule reads as one plain sentence,
and each kind of condition and effect is said the way the profile's own words say it."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from goalpath.fields import FieldSpec, profile_fields
from goalpath.loader import load_packs
from goalpath.packs.sentences import condition_words, effect_words, rule_sentence
from goalpath.rules import (
    Adjust,
    Condition,
    FieldTest,
    Hold,
    ListTest,
    Location,
    Not,
    Recommend,
    RelativeDate,
    RulePack,
)

BUILTIN = load_packs()

#: What a sentence must never show: Python reprs, agreement marks, ids or paths.
REPR = re.compile(r"\w\(|\(\w+=|\('|\[|\]|[{}]|\bNone\b|\bTrue\b|\bFalse\b|RelativeDate|FieldTest|ListTest|Ref\b")
SNAKE_OR_DOTTED = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[a-z_]+\.[a-z_]+\b")
#: Engine words a coach should not need ("rule out a move" is plain English).
JARGON = re.compile(r"\b(facts?|rules?(?! out)|derived?|boost(ed)?|suppress(ed)?|trigger(ed|s)?|fires?|firing)\b", re.I)


def _without_titles(sentence: str, pack: RulePack, rule_id: str) -> str:
    """The sentence with the action titles it quotes taken out (titles are the pack's own text)."""
    for effect in pack.rule(rule_id).then:
        if isinstance(effect, (Recommend, Hold, Adjust)):
            sentence = sentence.replace(f"'{pack.action(effect.action).title}'", "'…'")
    return sentence


# -- every built-in rule ---------------------------------------------------------------
@pytest.mark.parametrize("rule_id", [r.id for r in BUILTIN.rules])
def test_every_builtin_rule_is_one_plain_sentence(rule_id):
    rule = BUILTIN.rule(rule_id)
    sentence = rule_sentence(rule, BUILTIN)
    assert sentence.startswith("When ") and sentence.endswith(".")
    for effect in rule.then:
        if isinstance(effect, (Recommend, Hold, Adjust)):
            assert f"'{BUILTIN.action(effect.action).title}'" in sentence
    text = _without_titles(sentence, BUILTIN, rule_id)
    assert "\n" not in text and not re.search(r"\.\s", text), "one sentence"
    assert not REPR.search(text), text
    assert not SNAKE_OR_DOTTED.search(text), text
    assert not [path for path in profile_fields() if "." in path and path in text]
    assert not [f.name for f in BUILTIN.facts if f.name in text]
    assert not JARGON.search(text), text
    assert "  " not in text and " ," not in text and ",," not in text


def test_rendering_is_deterministic():
    again = load_packs()
    assert [rule_sentence(r, BUILTIN) for r in BUILTIN.rules] == [rule_sentence(r, again) for r in again.rules]


def test_rendering_does_not_depend_on_hash_order():
    code = (
        "import json; from goalpath.loader import load_packs; from goalpath.packs.sentences import rule_sentence; "
        "p = load_packs(); print(json.dumps([rule_sentence(r, p) for r in p.rules]))"
    )
    here = [rule_sentence(r, BUILTIN) for r in BUILTIN.rules]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout) == here


def test_builtin_baseline_rule():
    assert rule_sentence(BUILTIN.rule("ladder-baseline-open"), BUILTIN) == (
        "When your main or second priority is promotion and your baseline is not written down yet, "
        "conclude that Evidence Ladder step 1 still lacks its evidence."
    )


def test_builtin_overdue_checkpoint_rule():
    assert rule_sentence(BUILTIN.rule("checkpoint-overdue"), BUILTIN) == (
        "When at least one of your checkpoints is still open, is due before today and is a milestone, "
        "conclude that a checkpoint date has passed without the checkpoint being met "
        "and recommend 'Review the checkpoint you missed and change what is not working'."
    )


def test_builtin_next_step_rule_says_the_join():
    assert rule_sentence(BUILTIN.rule("ladder-next-step"), BUILTIN) == (
        "When an Evidence Ladder step still lacks its evidence and no Evidence Ladder step below that one "
        "still lacks its evidence, conclude that the earliest Evidence Ladder step that still lacks its "
        "evidence is that step."
    )


def test_builtin_nested_rule_keeps_its_groups_apart():
    assert rule_sentence(BUILTIN.rule("manager-not-told"), BUILTIN) == (
        "When either your main priority is promotion, or your second priority is promotion and either your "
        "main priority is skill mastery or the move is with your current employer; and your manager does not "
        "know about the goal yet (or you have not said), "
        "recommend 'Tell your manager about the goal in terms of what the team gains'."
    )


# -- each kind of condition and effect, in a pack of its own ---------------------------
PACK = """
facts:
  - {name: gap.outcome, about: the goal is not written as a specific outcome}
  - {name: risk.burnout, about: the working week leaves little room for rest}
  - {name: step.open, about: a step still lacks its evidence, attributes: {step: number}}
  - {name: step.next, about: this is the earliest step that still lacks its evidence, attributes: {step: number}}
  - {name: practice.open, about: a practice checkpoint is still open, attributes: {step: number}}

actions:
  - {id: a1, title: A one, do: d, evidence: e, done_when: w, effort: low, impact: 3}
  - {id: a2, title: A two, do: d, evidence: e, done_when: w, effort: low, impact: 2}
"""

CASES = {
    # fields
    "{field: goal.priority, is: promotion}": "your main priority is promotion",
    "{field: goal.priority, is_not: career_pivot}": "your main priority is not a career pivot",
    "{field: goal.priority, in: [promotion, career_pivot]}": "your main priority is promotion or a career pivot",
    "{field: goal.priority, not_in: [promotion, career_pivot, work_abroad]}": (
        "your main priority is none of promotion, a career pivot or working abroad"
    ),
    "{field: audit.specific_outcome, not_in: [no, partly]}": (
        "your answer on a specific outcome is neither no nor partly (or you have not said)"
    ),
    "{field: goal.goal_type, in: [personal_development, leadership_development]}": (
        "your goal is a personal or leadership development goal"
    ),
    "{field: goal.horizon_months, below: 6}": "your horizon is less than six months",
    "{field: goal.months_left, at_most: 12}": "you have at most 12 months left to your deadline",
    "{field: evidence.stakeholder_endorsements, at_least: 1}": "you have one or more written endorsements",
    "{field: evidence.informational_interviews, below: 2}": "you have held fewer than two informational interviews",
    "{field: habits.rest_days_per_week, below: 1}": "you take no rest days a week",
    "{field: goal.why, present: false}": "you have not written down why the goal matters",
    "{field: goal.target_role, present: true}": "the goal names a target role",
    "{field: evidence.baseline_documented, is: false}": "your baseline is not written down yet",
    "{field: goal.shared_with_manager, is_not: true}": (
        "your manager does not know about the goal yet (or you have not said)"
    ),
    "{field: goal.shared_with_manager, present: false}": "you have not said whether your manager knows about the goal",
    "{field: evidence.stretch_project.status, not_in: [in_progress, done]}": (
        "your stretch project is neither in progress nor finished (or you have none)"
    ),
    "{field: mobility.mode, in: [relocate, either]}": "you are open to relocating",
    "{field: mobility.family_constraints, is_not: none}": "family commitments limit or rule out a move",
    "{field: goal.started, below: 2026-03-01}": "you started before 2026-03-01",
    "{field: habits.last_review, below: today-91}": "your last review was more than 91 days ago",
    # lists
    "{field: evidence.credentials, any: {field: status, is: in_progress}}": (
        "at least one of your credentials is in progress"
    ),
    "{field: support, none: {field: role, in: [mentor, hr_partner]}}": (
        "none of the people supporting you is a mentor or an HR partner"
    ),
    "{field: evidence.credentials, all: {field: status, is: done}}": "each of your credentials (if any) is awarded",
    "{field: goal.checkpoints, count: {where: {field: kind, is: milestone}, below: 3}}": (
        "you have fewer than three checkpoints that are milestones"
    ),
    "{field: goal.checkpoints, count: {where: {all: [{field: done, is: false}, {field: due, at_most: today+30}]}, at_least: 2}}": (
        "you have at least two checkpoints that are still open and are due no later than 30 days from today"
    ),
    "{field: goal.non_negotiables, count: {is: 0}}": "you have no non-negotiables",
    "{field: goal.checkpoints, any: {all: [{field: done, is: false}, {field: due, below: today}]}}": (
        "at least one of your checkpoints is still open and is due before today"
    ),
    # derived facts
    "{fact: step.open, where: {step: 2}}": "step 2 still lacks its evidence",
    "{fact: step.open, where: {step: {below: 3}}}": "a step below 3 still lacks its evidence",
    "{fact: step.next, where: {step: {at_most: 2}}}": "the earliest step that still lacks its evidence is step 2 or lower",
    "{fact: practice.open, where: {step: 1}}": "a practice checkpoint is still open at step 1",
    "{not: {fact: gap.outcome}}": "the goal is written as a specific outcome",
    "{not: {fact: risk.burnout}}": "there is no sign that the working week leaves little room for rest",
    "{not: {fact: step.open, where: {step: {below: 3}}}}": "no step below 3 still lacks its evidence",
    # combinations
    "{not: {field: goal.horizon_months, above: 12}}": (
        "either your horizon is at most 12 months or the goal has no timeframe yet"
    ),
    "{not: {field: support, any: {field: role, is: mentor}}}": "none of the people supporting you is a mentor",
    "{any: [{field: goal.why, present: false}, {field: goal.horizon_months, above: 24}]}": (
        "either you have not written down why the goal matters or your horizon is more than 24 months"
    ),
    "{any: [{field: goal.priority, is: promotion}, {field: goal.secondary_priority, is: promotion}]}": (
        "your main or second priority is promotion"
    ),
    "{any: [{field: evidence.informational_interviews, below: 2}, {field: evidence.referrals, below: 1}]}": (
        "you have held fewer than two informational interviews or had no referrals"
    ),
    "{any: [{field: goal.validated, is: false}, {field: evidence.spoken_with_hr, is: false}]}": (
        "either the goal is not yet tested with people who know the role or you have never talked with HR about the goal"
    ),
    "[{field: goal.why, present: true}, {any: [{field: goal.horizon_months, at_most: 12}, {field: habits.review_cadence, is: monthly}]}]": (
        "you have written down why the goal matters and either your horizon is at most 12 months "
        "or you review progress monthly"
    ),
    "{any: [{all: [{field: goal.priority, is: promotion}, {field: goal.target_role, present: false}]}, {field: goal.why, present: false}]}": (
        "either your main priority is promotion and the goal names no target role yet, "
        "or you have not written down why the goal matters"
    ),
}

EFFECTS = {
    "[recommend: a1]": "recommend 'A one'",
    "[{recommend: {action: a1, tier: start-here}}]": "recommend 'A one' as the next step",
    "[{recommend: {action: a1, tier: fix-first, impact: 5}}]": (
        "recommend 'A one' as something to fix first with impact 5 instead of 3"
    ),
    "[{recommend: {action: a2, tier: keep-up}}, {recommend: {action: a1, tier: alongside}}]": (
        "recommend 'A two' to keep the goal going and recommend 'A one' alongside the next step"
    ),
    "[derive: gap.outcome]": "conclude that the goal is not written as a specific outcome",
    "[{derive: {fact: step.open, with: {step: 1}}}]": "conclude that step 1 still lacks its evidence",
    "[{derive: {fact: step.next, with: {step: 4}}}, recommend: a1]": (
        "conclude that the earliest step that still lacks its evidence is step 4 and recommend 'A one'"
    ),
    "[{boost: {action: a1, by: 2}}, {suppress: {action: a2, by: 1}}]": (
        "add 2 points to 'A one' and take 1 point off 'A two'"
    ),
    "[hold: a1, hold: a2, recommend: a1]": "hold back 'A one' and 'A two', and recommend 'A one'",
}


def _pack_of(tmp_path: Path, rules: list[tuple[str, str]]) -> RulePack:
    body = "".join(
        f"  - {{id: r{i}, title: t, cites: c, when: {when}, then: {then}}}\n" for i, (when, then) in enumerate(rules)
    )
    path = tmp_path / "pack.yaml"
    path.write_text(PACK + "\nrules:\n" + body, encoding="utf-8")
    return load_packs([path], builtin=False)


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> RulePack:
    rules = [(when, "[recommend: a1]") for when in CASES]
    rules += [("{field: goal.priority, is: promotion}", then) for then in EFFECTS]
    return _pack_of(tmp_path_factory.mktemp("sentences"), rules)


@pytest.mark.parametrize(("number", "when"), list(enumerate(CASES)))
def test_condition_reads_as_expected(cases, number, when):
    assert rule_sentence(cases.rule(f"r{number}"), cases) == f"When {CASES[when]}, recommend 'A one'."


@pytest.mark.parametrize(("number", "then"), list(enumerate(EFFECTS, start=len(CASES))))
def test_effects_read_as_expected(cases, number, then):
    expected = f"When your main priority is promotion, {EFFECTS[then]}."
    assert rule_sentence(cases.rule(f"r{number}"), cases) == expected


def test_a_join_reads_as_that_one(tmp_path):
    pack = _pack_of(
        tmp_path,
        [
            (
                "[{fact: step.open, as: o}, {not: {fact: step.open, where: {step: {below: {ref: o.step}}}}}]",
                "[{derive: {fact: step.next, with: {step: {ref: o.step}}}}]",
            )
        ],
    )
    assert rule_sentence(pack.rule("r0"), pack) == (
        "When a step still lacks its evidence and no step below that one still lacks its evidence, "
        "conclude that the earliest step that still lacks its evidence is that step."
    )


def test_condition_and_effect_words_stand_alone(cases):
    rule = cases.rule(f"r{list(CASES).index('{field: goal.priority, is: promotion}')}")
    assert condition_words(rule.when, cases) == "your main priority is promotion"
    assert effect_words(rule.then[0], cases) == "recommend 'A one'"
    hold = cases.rule(f"r{len(CASES) + list(EFFECTS).index('[hold: a1, hold: a2, recommend: a1]')}")
    assert [effect_words(e, cases) for e in hold.then] == [
        "hold back 'A one'",
        "hold back 'A two'",
        "recommend 'A one'",
    ]


# -- any field a coach pack may test ---------------------------------------------------
AT = Location("pack.yaml", 1, 1)


def _tests_of(spec: FieldSpec, path: str) -> list[FieldTest]:
    """A field test for each operator the field takes, with a value of its kind."""
    ordering = ("below", "at_most", "above", "at_least")
    if spec.kind == "bool":
        pairs: list = [("is", True), ("is", False), ("is_not", True)]
    elif spec.kind == "choice":
        c = spec.choices
        pairs = [("is", c[0]), ("is_not", c[-1]), ("in", tuple(c[:2])), ("not_in", tuple(c[:3]))]
    elif spec.kind in ("int", "float"):
        pairs = [(op, n) for op in ordering for n in (1, 3)] + [("is", 0), ("is_not", 2), ("in", (1, 2))]
    elif spec.kind == "date":
        pairs = [(op, d) for op in ordering for d in (RelativeDate(0), RelativeDate(-30), dt.date(2026, 3, 1))]
    elif spec.kind == "text":
        pairs = [("is", "Head of growth"), ("is_not", "Head of growth")]
    else:
        pairs = []
    pairs += [("present", True), ("present", False)]
    return [FieldTest(path, op, value, spec.kind, AT, spec.computed) for op, value in pairs]


def _every_field_condition() -> list[Condition]:
    conditions: list[Condition] = []
    for path, spec in profile_fields().items():
        if spec.kind != "list":
            conditions += [c for t in _tests_of(spec, path) for c in (t, Not(t))]
            continue
        conditions += [ListTest(path, "count", None, op, n, AT) for op in ("is", "below", "above") for n in (0, 1, 2)]
        for name, item in spec.item_fields.items():
            for test in _tests_of(item, name):
                conditions += [ListTest(path, q, test, None, None, AT) for q in ("any", "all", "none")]
                conditions += [
                    ListTest(path, "count", test, "below", 2, AT),
                    ListTest(path, "any", Not(test), None, None, AT),
                ]
    return conditions


def test_every_profile_field_reads_in_words():
    said = [condition_words(c, BUILTIN) for c in _every_field_condition()]
    assert len(said) > 2000
    assert [s for s in said if REPR.search(s) or SNAKE_OR_DOTTED.search(s) or "  " in s or "not not" in s] == []
