"""Packs stacked on the built-in pack: what a coach's pack may change, what results record."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalpath import Engine, RulesError, check_rules, load_packs
from goalpath.cli import cli

ROOT = Path(__file__).resolve().parents[1]
NURSES = ROOT / "fixtures" / "packs" / "nurses-abroad"
ANA = NURSES / "tests" / "profiles" / "ana-uk.yaml"
BUILTIN = load_packs()
RULE_IDS = [r.id for r in BUILTIN.rules]
ACTION_IDS = [a.id for a in BUILTIN.actions]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def write_pack(root: Path, name: str, sections: dict) -> Path:
    pack = root / name
    pack.mkdir(parents=True, exist_ok=True)
    (pack / "pack.yaml").write_text(yaml.safe_dump({"name": name, "version": "1"}), encoding="utf-8")
    (pack / "changes.yaml").write_text(yaml.safe_dump(sections, sort_keys=False), encoding="utf-8")
    return pack


@SETTINGS
@given(st.lists(st.sampled_from(RULE_IDS), min_size=1, max_size=8, unique=True))
def test_disabling_any_builtin_rules_drops_exactly_those(tmp_path_factory, disabled: list[str]) -> None:
    pack = write_pack(tmp_path_factory.mktemp("p"), "coach", {"disable": {"rules": disabled}})
    try:
        stacked = load_packs([pack])
    except RulesError as error:
        # Dropping rules can leave a fact nobody derives: a warning for 'rules check', never an error.
        pytest.fail(f"disabling {disabled} failed to load: {error}")
    assert [r.id for r in stacked.rules] == [r for r in RULE_IDS if r not in disabled]
    assert [(c.how, c.id, c.pack) for c in stacked.changes] == [("disabled", r, "coach") for r in disabled]


@SETTINGS
@given(st.sampled_from(ACTION_IDS), st.integers(1, 5), st.sampled_from(["low", "medium", "high"]))
def test_reweighting_an_action_changes_that_action_only(
    tmp_path_factory, action: str, impact: int, effort: str
) -> None:
    pack = write_pack(
        tmp_path_factory.mktemp("p"), "coach", {"reweight": [{"action": action, "impact": impact, "effort": effort}]}
    )
    stacked = load_packs([pack])
    before = {a.id: a for a in BUILTIN.actions}
    for changed in stacked.actions:
        if changed.id == action:
            assert (changed.impact, changed.effort) == (impact, effort)
            assert (changed.title, changed.at) == (before[action].title, before[action].at)
        else:
            assert changed == before[changed.id]


def test_an_overridden_rule_keeps_its_place_and_is_credited_to_the_overriding_pack(tmp_path: Path) -> None:
    target = BUILTIN.rule("playbook-next-scan")
    pack = write_pack(
        tmp_path,
        "coach",
        {
            "overrides": {
                "rules": [
                    {
                        "id": "playbook-next-scan",
                        "title": "Next in the playbook: the scan, starting with the nursing regulator",
                        "cites": target.cites,
                        "when": {"fact": "playbook.next", "where": {"step": 1}},
                        "then": [{"recommend": {"action": "run-regulatory-scan", "tier": "start-here", "impact": 4}}],
                    }
                ]
            }
        },
    )
    stacked = load_packs([pack])
    assert [r.id for r in stacked.rules] == RULE_IDS
    rule = stacked.rule("playbook-next-scan")
    assert rule.title.endswith("nursing regulator")
    assert stacked.pack_of(rule.at) == "coach"
    data = Engine(stacked).recommend(ANA).model_dump()
    scan = next(r for r in data["recommendations"] if r["action"]["id"] == "run-regulatory-scan")
    assert scan["reasons"][0]["rule"]["pack"] == "coach"
    assert scan["score"]["impact"] == 4


def test_changing_an_id_no_lower_pack_has_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, "coach", {"reweight": [{"rule": "playbook-next-scn", "impact": 2}]})
    with pytest.raises(RulesError) as caught:
        load_packs([pack])
    assert str(caught.value) == (
        f"{pack / 'changes.yaml'}:2:3: unknown-id: cannot reweight rule 'playbook-next-scn': "
        "no pack below defines it (did you mean 'playbook-next-scan'?)"
    )


def test_changing_a_disabled_id_says_it_was_disabled(tmp_path: Path) -> None:
    first = write_pack(tmp_path, "one", {"disable": {"actions": ["plan-move-fallback"]}})
    second = write_pack(tmp_path, "two", {"reweight": [{"action": "plan-move-fallback", "impact": 5}]})
    problems = [str(p) for p in check_rules([first, second])]
    assert problems == [
        f"{second / 'changes.yaml'}:2:3: unknown-id: cannot reweight action 'plan-move-fallback': "
        "it was disabled (it is defined at rules/mobility-playbook.yaml:109)"
    ]


def test_results_record_every_pack_with_its_version_and_a_content_hash(tmp_path: Path) -> None:
    copy = tmp_path / "nurses-abroad"
    copy.mkdir()
    for path in NURSES.iterdir():
        if path.is_file():
            (copy / path.name).write_bytes(path.read_bytes())
    packs = Engine([copy]).recommend(ANA).rules.packs
    assert [(p.name, p.version) for p in packs] == [("goalpath", "4"), ("nurses-abroad", "1.0")]
    assert packs[1].files == [str(copy / "layering.yaml"), str(copy / "registration.yaml")]
    assert Engine([NURSES]).recommend(ANA).rules.packs[1].sha256 == packs[1].sha256  # content, not place
    (copy / "layering.yaml").write_text((copy / "layering.yaml").read_text() + "\n# edited\n", encoding="utf-8")
    assert Engine([copy]).recommend(ANA).rules.packs[1].sha256 != packs[1].sha256


def test_the_builtin_pack_can_be_left_out() -> None:
    alone = Engine([ROOT / "tests" / "data" / "engine" / "ladder.yaml"], builtin=False)
    assert [layer.name for layer in alone.pack.layers] == ["ladder"]
    with pytest.raises(RulesError, match="duplicate-id: fact 'ladder.open' is already declared at rules/"):
        Engine([ROOT / "tests" / "data" / "engine" / "ladder.yaml"])


def test_goalpath_rules_variable_stacks_packs_for_every_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOALPATH_RULES", str(NURSES))
    result = CliRunner().invoke(cli, ["recommend", str(ANA), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert '"name": "nurses-abroad"' in result.stdout
    assert "gather-verification-documents" in result.stdout
    plain = CliRunner().invoke(cli, ["recommend", str(ANA), "--format", "json", "--no-builtin", "--rules", str(NURSES)])
    assert plain.exit_code == 1  # the coach pack alone names built-in facts it cannot find
    assert "unknown-fact: fact 'mobility.matters' is not declared" in plain.output
