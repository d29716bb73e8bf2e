"""The goalpath command: exit codes, exact error lines, help text, output formats."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import Result
from clirun import invoke

import goalpath

DATA = Path(__file__).parent / "data"
PACKS = DATA / "packs"
PROFILES = DATA / "profiles"
GOOD = PACKS / "good"
PROFILE = PROFILES / "minimal.yaml"

EXIT_CODE_LINES = [
    "Exit codes:",
    "0  success",
    "1  bad input: a profile or rule file has problems (each shown as file:line:col),",
    "a file to write exists already (add --force), the output cannot be written,",
    "or the review store cannot be used (not a store, corrupt, newer, full, busy)",
    "2  usage error",
    "3  internal error (a bug; please report it with what it printed)",
    "130  interrupted (Ctrl-C)",
]

BAD_PROFILE_LINES = [
    "Error: bad-several.yaml:2:1: invalid-value: schema_version: unsupported schema_version 3; this goalpath reads 2 and upgrades 1",
    "Error: bad-several.yaml:4:1: missing-field: 'goal.priority' is required",
    "Error: bad-several.yaml:5:3: unknown-field: 'goal.horizon_monhts' is not a profile field "
    "(did you mean 'goal.horizon_months'?)",
    "Error: bad-several.yaml:6:3: invalid-value: goal.target_role: Input should be a valid string, got 42",
    "Error: bad-several.yaml:7:3: invalid-value: goal.statement_kind: Input should be 'outcome' or 'activity', got 'result'",
    "Error: bad-several.yaml:8:3: invalid-value: goal.started: '2026-13-01' is not a date (use YYYY-MM-DD)",
    "Error: bad-several.yaml:10:3: invalid-value: audit.specific_outcome: Input should be 'yes', 'partly' or 'no', got 'maybe'",
    "Error: bad-several.yaml:12:3: invalid-value: evidence.referrals: Input should be a valid integer, got '2'",
    "Error: bad-several.yaml:13:3: invalid-value: evidence.portfolio: Input should be a valid boolean, got 1",
]

BAD_RULES_LINES = [
    "Error: bad-refs.yaml:20:12: unknown-action: action 'clime' is not in the action catalog (did you mean 'climb'?)",
    "Error: bad-refs.yaml:24:12: unknown-fact: fact 'ladder.nxt' is not declared under 'facts' (did you mean 'ladder.next'?)",
    "Error: bad-refs.yaml:29:39: unknown-attribute: fact 'ladder.next' has no attribute 'stpe' (did you mean 'step'?) "
    "(it has step)",
    "Error: bad-refs.yaml:36:9: unknown-alias: 'm.step' refers to 'm', but no fact outside 'any' and 'not' in this rule "
    "is named 'm' (add 'as: m' to one)",
]


def recommend_good(*extra: str | Path) -> Result:
    return invoke("recommend", PROFILE, "--no-builtin", "--rules", GOOD, *extra)


def _python_env() -> dict[str, str]:
    """The environment for a child python that can import this very goalpath (installed or not)."""
    engine = str(Path(goalpath.__file__).resolve().parents[1])
    paths = [engine] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def run_module(*args: str | Path, cwd: Path, seed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**_python_env(), "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "goalpath", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def _digest(*roots: Path) -> dict[str, str]:
    files = [p for root in roots for p in ([root] if root.is_file() else sorted(root.rglob("*"))) if p.is_file()]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


# -- success -----------------------------------------------------------------------------


def test_recommend_prints_ranked_actions_and_exits_0() -> None:
    result = recommend_good()
    assert result.exit_code == 0
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("goalpath — next actions for Ada\n")
    assert (
        out.index("1. Write the goal as one outcome")
        < out.index("2. Ask someone for feedback")
        < out.index("3. Add dated checkpoints")
    )
    assert "Score 7.50: impact 5 × urgency 1.00 × fit 1.50 ÷ effort 1 = 7.50" in out


def test_top_2_shows_two_actions() -> None:
    text = recommend_good("--top", "2")
    assert text.exit_code == 0
    assert "2. Ask someone for feedback" in text.stdout
    assert "3. " not in text.stdout and "Add dated checkpoints" not in text.stdout
    data = json.loads(recommend_good("--top", "2", "--format", "json").stdout)
    assert [r["action"]["id"] for r in data["recommendations"]] == ["write-outcome", "ask-for-feedback"]


def test_top_0_shows_every_action() -> None:
    data = json.loads(recommend_good("--top", "0", "--format", "json").stdout)
    assert [r["rank"] for r in data["recommendations"]] == [1, 2, 3]


def test_json_output_parses_and_is_byte_identical_across_runs() -> None:
    first = recommend_good("--format", "json")
    second = recommend_good("--format", "json")
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    data = json.loads(first.stdout)
    assert data["profile"]["name"] == "Ada"
    assert data["profile"]["as_of"] == "2026-01-15"
    files = [str(GOOD / "actions.yaml"), str(GOOD / "rules.yaml")]
    digest = data["rules"]["packs"][0].pop("sha256")
    assert re.fullmatch("[0-9a-f]{16}", digest)
    assert data["rules"] == {
        "name": "test-good",
        "version": None,
        "files": files,
        "rules": 3,
        "actions": 3,
        "packs": [{"name": "test-good", "version": None, "files": files}],
    }
    assert [r["action"]["id"] for r in data["recommendations"]] == [
        "write-outcome",
        "ask-for-feedback",
        "add-checkpoints",
    ]


def test_as_of_option_overrides_the_profile_date() -> None:
    data = json.loads(recommend_good("--format", "json", "--as-of", "2026-06-30").stdout)
    assert data["profile"]["as_of"] == "2026-06-30"


# -- bad input: exit 1, one exact line per problem ----------------------------------------


def test_bad_profile_exits_1_with_every_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROFILES)
    result = invoke("recommend", "bad-several.yaml", "--no-builtin", "--rules", GOOD)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == BAD_PROFILE_LINES
    assert result.stdout == ""


def test_bad_rule_file_exits_1_with_every_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PACKS)
    result = invoke("recommend", PROFILE, "--no-builtin", "--rules", "bad-refs.yaml")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == BAD_RULES_LINES
    assert result.stdout == ""


def test_missing_profile_exits_1(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = invoke("recommend", missing, "--no-builtin", "--rules", GOOD)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {missing}: not-found: no such file\n"


def test_missing_rules_path_exits_1(tmp_path: Path) -> None:
    missing = tmp_path / "no-pack"
    result = invoke("recommend", PROFILE, "--no-builtin", "--rules", missing)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {missing}: not-found: no such file\n"


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["recommend"], "Missing argument 'PROFILE'"),
        (["recommend", PROFILE, "--format", "xml"], "'--format'"),
        (["recommend", PROFILE, "--top", "-1"], "'--top'"),
        (["recommend", PROFILE, "--top", "many"], "'--top'"),
        (["recommend", PROFILE, "--as-of", "2026-13-01"], "'--as-of'"),
        (["recommend", PROFILE, "--colour"], "--colour"),
        (["advise", PROFILE], "advise"),
    ],
    ids=[
        "missing-argument",
        "format-xml",
        "top-negative",
        "top-not-a-number",
        "bad-as-of",
        "unknown-option",
        "unknown-command",
    ],
)
def test_usage_errors_exit_2(args: list, complaint: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert complaint in result.stderr
    assert "Usage: " in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


# -- help --------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["recommend", "--help"]], ids=["group", "recommend"])
def test_help_has_an_example_and_the_exit_codes(args: list) -> None:
    result = invoke(*args)
    assert result.exit_code == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "Example:" in lines
    example = lines[lines.index("Example:") + 1]
    assert example.startswith("goalpath recommend ")
    start = lines.index("Exit codes:")
    assert lines[start : start + len(EXIT_CODE_LINES)] == EXIT_CODE_LINES


def test_group_help_example_runs_as_written(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    repo = Path(__file__).resolve().parents[1]
    lines = [line.strip() for line in invoke("--help").stdout.splitlines()]
    command = lines[lines.index("Example:") + 1].split()
    assert command[:2] == ["goalpath", "recommend"]
    (tmp_path / command[2]).write_bytes((repo / "fixtures" / "promotion-early.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    result = invoke(*command[1:])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("goalpath — next actions")


# -- inputs are never modified -----------------------------------------------------------


def test_inputs_are_not_modified() -> None:
    before = _digest(PROFILE, PROFILES / "bad-several.yaml", GOOD, PACKS / "bad-refs.yaml")
    assert invoke("recommend", PROFILE, "--no-builtin", "--rules", GOOD, "--format", "json").exit_code == 0
    assert invoke("recommend", PROFILE, "--no-builtin", "--rules", GOOD).exit_code == 0
    assert invoke("recommend", PROFILES / "bad-several.yaml", "--no-builtin", "--rules", GOOD).exit_code == 1
    assert invoke("recommend", PROFILE, "--no-builtin", "--rules", PACKS / "bad-refs.yaml").exit_code == 1
    assert _digest(PROFILE, PROFILES / "bad-several.yaml", GOOD, PACKS / "bad-refs.yaml") == before


# -- the real program, from another directory --------------------------------------------


def test_python_m_goalpath_works_from_another_directory(tmp_path: Path) -> None:
    (tmp_path / "me.yaml").write_bytes(PROFILE.read_bytes())
    first = run_module(
        "recommend", "me.yaml", "--no-builtin", "--rules", GOOD, "--format", "json", cwd=tmp_path, seed="1"
    )
    second = run_module(
        "recommend", "me.yaml", "--no-builtin", "--rules", GOOD, "--format", "json", cwd=tmp_path, seed="2"
    )
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    # Different hash seeds, same bytes: no dict or set order leaks into the output.
    assert first.stdout == second.stdout
    assert first.stdout == recommend_good("--format", "json").stdout
    assert json.loads(first.stdout)["recommendations"][0]["action"]["id"] == "write-outcome"


def test_python_m_goalpath_bad_profile_exits_1_with_relative_names(tmp_path: Path) -> None:
    (tmp_path / "bad-several.yaml").write_bytes((PROFILES / "bad-several.yaml").read_bytes())
    result = run_module("recommend", "bad-several.yaml", "--no-builtin", "--rules", GOOD, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == BAD_PROFILE_LINES
    assert result.stdout == ""


def test_python_m_goalpath_usage_error_exits_2(tmp_path: Path) -> None:
    result = run_module("recommend", "--format", "xml", "me.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "'--format'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


BAD_INPUTS = {
    # name: (profile bytes or None for the missing file, rules relative to PACKS)
    "several-problems": ((PROFILES / "bad-several.yaml").read_bytes(), "good"),
    "bad-rules": (PROFILE.read_bytes(), "bad-refs.yaml"),
    "negation-cycle": (PROFILE.read_bytes(), "bad-cycle.yaml"),
    "tag-in-rules": (PROFILE.read_bytes(), "bad-tag-apply.yaml"),
    "tag-in-profile": ((PROFILES / "tagged-apply.yaml").read_bytes(), "good"),
    "missing-profile": (None, "good"),
    "not-utf8": ("goal: {priority: promotion}\nname: café\n".encode("latin-1"), "good"),
    "empty": (b"", "good"),
    "top-level-list": (b"- goal\n", "good"),
    "bad-yaml": (b"goal: [promotion\n", "good"),
    "bad-json": (b'{"goal": }', "good"),
    "alias-bomb": (_bomb().encode(), "good"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_1_with_error_lines_and_no_traceback(case: str, tmp_path: Path) -> None:
    content, rules = BAD_INPUTS[case]
    name = "me.json" if case == "bad-json" else "me.yaml"
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = run_module("recommend", name, "--no-builtin", "--rules", PACKS / rules, cwd=tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("Error: ") for line in lines)
    assert not (tmp_path / "goalpath-tag-ran").exists()


# -- start-up ------------------------------------------------------------------------------
def test_help_loads_no_command_and_no_model() -> None:
    # `goalpath --help` reads the command table: the engine, the models and the renderers
    # are imported only when a command runs (a person at a terminal feels every start-up).
    code = (
        "import sys\n"
        "from goalpath.cli import main\n"
        "sys.argv = ['goalpath', '--help']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('goalpath.', 'pydantic', 'rich', 'durable', 'yaml')))\n"
        "print(heavy, file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "Commands:" in run.stdout
    assert run.stderr.strip() == "['goalpath.cli', 'goalpath.cli.commands', 'goalpath.errors']"


def test_the_command_table_matches_the_commands() -> None:
    from goalpath.cli import cli as group
    from goalpath.cli.commands import COMMANDS

    context = click.Context(group)
    for name, (_, short) in COMMANDS.items():
        command = group.get_command(context, name)
        assert command is not None and command.name == name
        assert command.get_short_help_str(limit=200) == short
    assert sorted(group.commands) == sorted(COMMANDS)  # every command is in the table
