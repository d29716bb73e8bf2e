"""``goalpath rules ...``, as a coach uses it: exact output (golden files) and exit codes.

The corpus of broken packs is tests/data/broken-packs: each case is one rule file (or a
pack directory, or a directory whose ``args`` file lists several packs) with one thing
wrong, stacked on the built-in pack, and ``NAME.out`` holds what ``goalpath rules check``
prints for it, then its exit code. Adding a case adds no Python: write the case, run
``GOALPATH_UPDATE_GOLDEN=1 python -m pytest tests/test_rules_commands.py`` and read the
new ``.out`` file before committing it.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from clirun import invoke

from goalpath.packs.diagnostics import CODES

ROOT = Path(__file__).resolve().parents[1]
BROKEN = Path("tests") / "data" / "broken-packs"
GOLDEN = Path("tests") / "data" / "golden"
NURSES = Path("fixtures") / "packs" / "nurses-abroad"
UPDATE = os.environ.get("GOALPATH_UPDATE_GOLDEN") == "1"
CASES = sorted(p.name for p in (ROOT / BROKEN).iterdir() if p.suffix == ".yaml" or p.is_dir())


@pytest.fixture(autouse=True)
def _in_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in the output are as a coach would type them
    monkeypatch.delenv("GOALPATH_RULES", raising=False)


def golden(path: Path, text: str) -> None:
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}: run with GOALPATH_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"


def _case_args(name: str) -> list[str]:
    case = BROKEN / name
    listed = case / "args"
    if listed.is_file():
        return [str(case / line) for line in listed.read_text(encoding="utf-8").split()]
    return [str(case)]


# -- rules check -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", CASES)
def test_broken_pack_diagnostics_match_their_golden_file(name: str) -> None:
    result = invoke("rules", "check", *_case_args(name))
    golden(BROKEN / f"{Path(name).stem}.out", result.stdout + f"[exit {result.exit_code}]\n")
    assert result.stderr == ""


def test_every_case_has_one_broken_thing_and_a_code_with_a_description() -> None:
    for name in CASES:
        result = invoke("rules", "check", *_case_args(name), "--format", "json")
        problems = json.loads(result.stdout)["problems"]
        assert len({(p["code"], p["message"].split(":")[0]) for p in problems}) >= 1, name
        assert {p["code"] for p in problems} <= set(CODES), name
        codes = {p["code"] for p in problems}
        assert len(codes) == 1, f"{name} breaks more than one thing: {sorted(codes)}"


def test_the_builtin_pack_and_the_example_coach_pack_have_no_problem_at_all() -> None:
    assert invoke("rules", "check").stdout == "no problems in 12 files\n"
    result = invoke("rules", "check", NURSES, "--strict")
    assert (result.exit_code, result.stdout) == (0, "no problems in 14 files\n")


def test_warnings_alone_exit_0_unless_strict() -> None:
    case = BROKEN / "unused-action.yaml"
    assert invoke("rules", "check", case).exit_code == 0
    assert invoke("rules", "check", case, "--strict").exit_code == 1


def test_check_json_lists_each_problem_with_its_place_and_severity() -> None:
    result = invoke("rules", "check", BROKEN / "unknown-field.yaml", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "problems": [
            {
                "file": "tests/data/broken-packs/unknown-field.yaml",
                "line": 6,
                "column": 12,
                "severity": "error",
                "code": "unknown-field",
                "message": "'evidence.endorsments' is not a field of the profile "
                "(did you mean 'evidence.stakeholder_endorsements'?)",
            }
        ],
        "errors": 1,
        "warnings": 0,
        "files": 13,
    }


def test_check_sarif_is_a_sarif_2_1_0_log_with_located_results() -> None:
    result = invoke("rules", "check", BROKEN / "contradiction.yaml", "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "goalpath"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["never-true"]
    (found,) = run["results"]
    assert found["level"] == "warning"
    assert found["ruleId"] == "never-true" and found["ruleIndex"] == 0
    assert found["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "tests/data/broken-packs/contradiction.yaml"},
        "region": {"startLine": 8, "startColumn": 9},
    }


def test_check_reads_packs_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOALPATH_RULES", str(BROKEN / "unknown-action.yaml"))
    result = invoke("rules", "check")
    assert result.exit_code == 1
    assert result.stdout.startswith("tests/data/broken-packs/unknown-action.yaml:7:13: unknown-action:")


# -- rules test ------------------------------------------------------------------------------
def test_the_example_pack_passes_its_scenarios_with_full_rule_coverage(tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = invoke("rules", "test", NURSES, "--junit", report)
    assert result.exit_code == 0, result.stdout
    golden(GOLDEN / "rules-test.txt", result.stdout)
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == ("nurses-abroad", "3", "0")
    assert [c.get("name") for c in suite.iter("testcase")] == ["ana-uk", "grace-australia", "joseph-canada"]


def test_a_failing_scenario_exits_1_and_shows_expected_against_actual(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "tests").mkdir(parents=True)
    (pack / "pack.yaml").write_text('name: coach\nversion: "1"\n', encoding="utf-8")
    (pack / "weights.yaml").write_text("reweight:\n  - {action: run-regulatory-scan, impact: 1}\n", encoding="utf-8")
    profile = ROOT / NURSES / "tests" / "profiles" / "ana-uk.yaml"
    (pack / "tests" / "ana.yaml").write_text(
        f"about: The scan still comes first\nprofile: {profile}\ntop: [build-target-region-contacts, run-regulatory-scan]\n",
        encoding="utf-8",
    )
    report = tmp_path / "junit.xml"
    result = invoke("rules", "test", pack, "--no-coverage", "--junit", report)
    assert result.exit_code == 1
    assert result.stdout == (
        f"FAIL  ana  ({pack / 'tests' / 'ana.yaml'})\n"
        "      The scan still comes first\n"
        "      top: expected these first, in this order (2):\n"
        "            #  expected                      actual\n"
        "          ! 1  build-target-region-contacts  run-regulatory-scan\n"
        "          ! 2  run-regulatory-scan           schedule-language-practice\n"
        "\n"
        "1 scenario: 0 passed, 1 failed\n"
    )
    failure = ET.parse(report).getroot().find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message", "").startswith("top: expected these first")


def test_test_without_scenarios_is_a_usage_error() -> None:
    result = invoke("rules", "test")
    assert result.exit_code == 2
    assert "no scenarios to run" in result.stderr


def test_the_builtin_scenarios_run_from_the_command_line() -> None:
    result = invoke("rules", "test", "--scenarios", "fixtures/scenarios", "--no-coverage")
    assert result.exit_code == 0
    assert result.stdout.endswith("passed\n") and "FAIL" not in result.stdout


# -- rules diff ------------------------------------------------------------------------------
def test_diff_shows_what_the_example_pack_changes_for_nurse_profiles() -> None:
    result = invoke("rules", "diff", "builtin", NURSES, "--profiles", NURSES / "tests" / "profiles")
    assert result.exit_code == 0
    golden(GOLDEN / "rules-diff.txt", result.stdout)
    data = json.loads(
        invoke(
            "rules", "diff", "builtin", NURSES, "--profiles", NURSES / "tests" / "profiles", "--format", "json"
        ).stdout
    )
    joseph = next(p for p in data["profiles"] if p["profile"].endswith("joseph-canada.yaml"))
    assert joseph["changed"] and joseph["entered"][0] == {
        "action": "talk-to-hospital-recruiters",
        "title": "Talk to two international recruiters at hospitals in your target region",
        "new": 1,
    }
    assert data["summary"].startswith("3 profiles: 3 changed")


def test_diff_of_a_pack_with_itself_changes_nothing_and_exit_code_says_so() -> None:
    args = ("rules", "diff", NURSES, NURSES, "--profiles", NURSES / "tests" / "profiles", "--exit-code")
    result = invoke(*args)
    assert (result.exit_code, result.stdout.splitlines()[-1]) == (0, "3 profiles: no change in what anyone is shown")
    changed = invoke("rules", "diff", "builtin", NURSES, "--profiles", NURSES / "tests" / "profiles", "--exit-code")
    assert changed.exit_code == 1


# -- rules list and show ---------------------------------------------------------------------
def test_list_reads_a_coach_pack_back_as_sentences() -> None:
    result = invoke("rules", "list", "--rules", NURSES, "--pack", "nurses-abroad")
    assert result.exit_code == 0
    golden(GOLDEN / "rules-list.txt", result.stdout)


def test_list_shows_every_builtin_rule_once() -> None:
    result = invoke("rules", "list")
    assert result.exit_code == 0
    *headers, count = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    ids = [line.split()[0] for line in headers]
    assert len(ids) == len(set(ids)) == 133
    assert count == "133 rules in goalpath"


def test_list_refuses_a_pack_not_in_the_stack() -> None:
    result = invoke("rules", "list", "--pack", "nurses")
    assert result.exit_code == 2
    assert "no pack 'nurses' in the stack (it holds: goalpath)" in result.stderr


def test_show_an_action_says_what_changed_it_and_which_rules_recommend_it() -> None:
    result = invoke("rules", "show", "start-credential-recognition", "--rules", NURSES)
    assert result.exit_code == 0
    golden(GOLDEN / "rules-show-action.txt", result.stdout)


def test_show_a_rule_and_a_disabled_rule() -> None:
    shown = invoke("rules", "show", "nurse-english-test", "--rules", NURSES)
    assert shown.exit_code == 0
    golden(GOLDEN / "rules-show-rule.txt", shown.stdout)
    disabled = invoke("rules", "show", "playbook-next-short-project", "--rules", NURSES)
    assert (disabled.exit_code, disabled.stdout) == (
        0,
        "rule 'playbook-next-short-project' (written at rules/mobility-playbook.yaml:289, in pack goalpath) "
        "is disabled by pack nurses-abroad at fixtures/packs/nurses-abroad/layering.yaml:11.\n",
    )


def test_show_an_unknown_id_suggests_the_nearest() -> None:
    result = invoke("rules", "show", "ladder-next-baselin")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "Error: Invalid value for ID: no rule or action 'ladder-next-baselin' in the stack "
        "(did you mean 'ladder-next-baseline'?)\n"
    )
