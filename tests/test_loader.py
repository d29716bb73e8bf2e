"""Loading rule packs: every problem located and reported at once; a good pack is checked and frozen."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from goalpath import GoalpathError, RulePack, RulesError, load_rules
from goalpath.loader import builtin_rules_path
from goalpath.rules import AllOf, FactTest, FieldTest, Location, Not, Recommend, Rule

PACKS = Path(__file__).parent / "data" / "packs"


@pytest.fixture
def in_packs(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from tests/data/packs so problems name files as a user would type them."""
    monkeypatch.chdir(PACKS)
    return PACKS


def _error(paths: list) -> RulesError:
    with pytest.raises(RulesError) as info:
        load_rules(paths)
    return info.value


# -- a good pack ------------------------------------------------------------------------


def test_good_pack_loads_every_file_in_name_order(in_packs: Path) -> None:
    pack = load_rules(["good"])
    assert isinstance(pack, RulePack)
    assert pack.files == ("good/actions.yaml", "good/rules.yaml")
    assert [a.id for a in pack.actions] == ["write-outcome", "add-checkpoints", "ask-for-feedback"]
    assert [r.id for r in pack.rules] == ["outcome-missing", "checkpoints-missing", "feedback-after-outcome"]
    assert [f.name for f in pack.facts] == ["gap.outcome", "roadmap.open"]


def test_good_pack_objects_are_typed_and_located(in_packs: Path) -> None:
    pack = load_rules(["good"])
    rule = pack.rule("outcome-missing")
    assert rule.at == Location("good/rules.yaml", 2, 5)
    assert rule.when == AllOf((FieldTest("goal.outcome", "present", False, "text", Location("good/rules.yaml", 6, 9)),))
    assert rule.then[-1] == Recommend("write-outcome", None, Location("good/rules.yaml", 10, 9))
    action = pack.action("add-checkpoints")
    assert (action.effort, action.impact, action.lead_time_months, action.step, action.priorities) == (
        "medium",
        4,
        1.0,
        None,
        (),
    )
    assert pack.action("write-outcome").priorities == ("promotion",)
    assert pack.fact_type("roadmap.open").attributes == (("step", "number"),)
    feedback = pack.rule("feedback-after-outcome").when
    assert isinstance(feedback, AllOf)
    assert isinstance(feedback.children[0], FactTest) and feedback.children[0].alias == "open"
    assert isinstance(feedback.children[1], Not)


def test_good_pack_objects_are_frozen(in_packs: Path) -> None:
    pack = load_rules(["good"])
    rule = pack.rules[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.id = "renamed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        pack.actions[0].impact = 1  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        pack.rules = ()  # type: ignore[misc]
    assert isinstance(pack.rules, tuple) and isinstance(rule.then, tuple)
    assert rule.id == "outcome-missing"


def test_negated_fact_runs_in_a_later_layer_than_its_producer(in_packs: Path) -> None:
    pack = load_rules(["good"])
    # feedback-after-outcome matches roadmap.open positively: same layer is enough.
    assert pack.strata["feedback-after-outcome"] >= pack.strata["outcome-missing"]


def test_relative_dates_in_conditions_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(
        "actions:\n  - {id: a, title: A, do: Do., evidence: E., done_when: D., effort: low, impact: 1}\n"
        "rules:\n"
        "  - {id: r, title: R, cites: C, when: {field: goal.started, at_most: today-30}, then: [recommend: a]}\n"
        "  - {id: s, title: S, cites: C, when: {field: goal.started, below: 2026-03-01}, then: [recommend: a]}\n",
        encoding="utf-8",
    )
    pack = load_rules([path])
    assert str(pack.rule("r").when.value) == "today-30"  # type: ignore[union-attr]
    assert pack.rule("s").when.value == dt.date(2026, 3, 1)  # type: ignore[union-attr]


def test_builtin_pack_loads_with_no_arguments() -> None:
    root = builtin_rules_path()
    names = sorted(p.name for p in root.glob("*.yaml") if p.name != "pack.yaml") if root.is_dir() else []
    if not names:
        pytest.skip("the built-in rules/ directory has no .yaml files yet")
    pack = load_rules()
    assert pack.files == tuple(f"rules/{name}" for name in names)
    assert (pack.name, pack.version) == ("goalpath", "4")  # from rules/pack.yaml, the manifest
    assert pack.rules and pack.actions
    assert all(isinstance(rule, Rule) and rule.cites for rule in pack.rules)
    assert load_rules([]) == pack


# -- each kind of problem, pinned -------------------------------------------------------


def test_condition_problems_are_located_and_explained(in_packs: Path) -> None:
    assert str(_error(["bad-fields.yaml"])).splitlines() == [
        "bad-fields.yaml:15:12: unknown-field: 'evidence.endorsments' is not a field of the profile "
        "(did you mean 'evidence.stakeholder_endorsements'?)",
        "bad-fields.yaml:20:37: invalid-condition: 'above' compares numbers or dates, but 'goal.target_role' holds text",
        "bad-fields.yaml:27:9: invalid-value: 'goal.horizon_months' holds a number, got text '12'",
        "bad-fields.yaml:32:34: invalid-value: 'promotoin' is not a value of 'goal.priority' (did you mean 'promotion'?); "
        "use one of promotion, skill_mastery, career_pivot, work_abroad",
        "bad-fields.yaml:37:5: invalid-condition: a condition has more than one of field, fact, all, any, not "
        "(it has: field, present, fact)",
        "bad-fields.yaml:42:35: invalid-value: 'goal.validated' holds true or false, got text 'yes'",
        "bad-fields.yaml:49:13: unknown-field: 'goal.checkpoints[].dne' is not a field of this list's items "
        "(did you mean 'goal.checkpoints[].done'?)",
    ]


def test_reference_problems_are_located_and_explained(in_packs: Path) -> None:
    assert str(_error(["bad-refs.yaml"])).splitlines() == [
        "bad-refs.yaml:20:12: unknown-action: action 'clime' is not in the action catalog (did you mean 'climb'?)",
        "bad-refs.yaml:24:12: unknown-fact: fact 'ladder.nxt' is not declared under 'facts' (did you mean 'ladder.next'?)",
        "bad-refs.yaml:29:39: unknown-attribute: fact 'ladder.next' has no attribute 'stpe' (did you mean 'step'?) (it has step)",
        "bad-refs.yaml:36:9: unknown-alias: 'm.step' refers to 'm', but no fact outside 'any' and 'not' in this rule "
        "is named 'm' (add 'as: m' to one)",
    ]


def test_duplicate_ids_name_the_first_place(in_packs: Path) -> None:
    assert str(_error(["bad-duplicates"])).splitlines() == [
        "bad-duplicates/a-first.yaml:16:5: duplicate-id: rule 'same-id' is already defined at bad-duplicates/a-first.yaml:11",
        "bad-duplicates/b-second.yaml:2:5: duplicate-id: action 'shared' is already defined at bad-duplicates/a-first.yaml:2",
    ]


def test_negation_cycle_is_refused(in_packs: Path) -> None:
    assert str(_error(["bad-cycle.yaml"])).splitlines() == [
        "bad-cycle.yaml:8:5: negation-cycle: rule 'moving-unless-stuck' depends on the absence of a fact that it helps "
        "derive (through moving-unless-stuck, stuck-when-moving)",
        "bad-cycle.yaml:13:5: negation-cycle: rule 'stuck-when-moving' depends on the absence of a fact that it helps "
        "derive (through moving-unless-stuck, stuck-when-moving)",
    ]


def test_negation_cycle_through_three_rules_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text(
        "facts:\n  - {name: f1, about: one}\n  - {name: f2, about: two}\n  - {name: f3, about: three}\n"
        "rules:\n"
        "  - {id: r1, title: R1, cites: C, when: {fact: f2}, then: [derive: f1]}\n"
        "  - {id: r2, title: R2, cites: C, when: {fact: f3}, then: [derive: f2]}\n"
        "  - {id: r3, title: R3, cites: C, when: {not: {fact: f1}}, then: [derive: f3]}\n",
        encoding="utf-8",
    )
    error = _error([path])
    assert [p.code for p in error.problems] == ["negation-cycle"] * 3


def test_unknown_top_level_key_is_refused_and_the_rest_still_checked(in_packs: Path) -> None:
    assert str(_error(["bad-top-level.yaml"])).splitlines() == [
        "bad-top-level.yaml:3:1: unknown-key: 'rulez' is not a key of a rule file (did you mean 'rules'?)",
        "bad-top-level.yaml:9:12: unknown-fact: fact 'nothing.here' is not declared under 'facts'",
    ]


def test_python_tag_on_a_scalar_is_refused(in_packs: Path) -> None:
    assert str(_error(["bad-tag-name.yaml"])) == (
        "bad-tag-name.yaml:3:12: bad-tag: the YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"
    )


def test_loading_never_runs_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # the tag's command would create its file here
    with pytest.raises(RulesError):
        load_rules([PACKS / "bad-tag-apply.yaml"])
    assert not (tmp_path / "goalpath-tag-ran").exists()


def test_python_tag_on_a_sequence_is_refused(in_packs: Path) -> None:
    error = _error(["bad-tag-apply.yaml"])
    assert [(p.line, p.column, p.code) for p in error.problems] == [(4, 12, "bad-tag")]


# -- collect, sort, fail once -----------------------------------------------------------


def test_every_problem_in_every_file_comes_in_one_sorted_error(in_packs: Path) -> None:
    alone = {p for name in ("bad-refs.yaml", "bad-fields.yaml", "bad-duplicates") for p in _error([name]).problems}
    error = _error(["bad-refs.yaml", "bad-fields.yaml", "bad-duplicates"])
    assert set(error.problems) == alone
    assert list(error.problems) == sorted(error.problems, key=lambda p: (p.file, p.line, p.column))
    assert [p.file for p in error.problems][0] == "bad-duplicates/a-first.yaml"
    assert [p.file for p in error.problems][-1] == "bad-refs.yaml"
    assert str(error).count("\n") == len(alone) - 1


def test_unreadable_files_are_reported_with_the_other_problems(in_packs: Path) -> None:
    lines = str(_error(["bad-refs.yaml", "missing.yaml"])).splitlines()
    assert (
        lines[0]
        == "bad-refs.yaml:20:12: unknown-action: action 'clime' is not in the action catalog (did you mean 'climb'?)"
    )
    assert lines[-1] == "missing.yaml: not-found: no such file"
    assert len(lines) == 5


def test_a_directory_without_rule_files_is_refused(tmp_path: Path) -> None:
    assert str(_error([tmp_path])) == f"{tmp_path}: empty-pack: the directory holds no .yaml rule files"


def test_rules_error_is_a_goalpath_error(in_packs: Path) -> None:
    assert isinstance(_error(["bad-cycle.yaml"]), GoalpathError)


def test_a_version_1_family_test_says_how_to_write_it_now(tmp_path: Path) -> None:
    """Profile version 2 turned mobility.family_constraints into a choice; an old pack is told how to adapt."""
    pack = tmp_path / "old.yaml"
    pack.write_text(
        "actions:\n"
        "  - {id: a1, title: T, do: d, evidence: e, done_when: w, effort: low, impact: 3}\n"
        "rules:\n"
        "  - {id: r1, title: t, cites: S, when: {field: mobility.family_constraints, is: true}, then: [{recommend: a1}]}\n",
        encoding="utf-8",
    )
    (problem,) = _error([pack]).problems
    assert str(problem) == (
        f"{pack}:4:77: invalid-value: 'mobility.family_constraints' holds one of none, limits_relocation, "
        "rules_out_relocation, got true/false True (profile version 1 wrote true/false: write 'is_not: none' "
        "for true, 'is: none' for false)"
    )
