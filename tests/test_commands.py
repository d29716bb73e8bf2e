"""Every command, driven through click's test runner: exact output (golden files), exit
codes, help, files written atomically and never clobbered, iCalendar and JSON Schema
checked with real, independent parsers.

Golden files live in tests/data/golden. After a deliberate change of output, rewrite
them with ``GOALPATH_UPDATE_GOLDEN=1 python -m pytest tests/test_commands.py`` and read
the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest
import vobject
from clirun import invoke

from goalpath.cli.commands import COMMANDS
from goalpath.cli.common import use_color
from goalpath.source import read_document

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "data" / "golden"
PRIYA = ROOT / "fixtures" / "promotion-early.yaml"
HANNAH = ROOT / "fixtures" / "pivot-mapping-quarter.yaml"
UPDATE = os.environ.get("GOALPATH_UPDATE_GOLDEN") == "1"


#: A pack's content hash changes with every edit of its files; golden files hold a stand-in.
_HASH = re.compile(r'"sha256": "[0-9a-f]{16}"')


def golden(name: str, text: str) -> None:
    text = _HASH.sub('"sha256": "<16 hex digits>"', text)
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with GOALPATH_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}"


# -- golden outputs, one per command and format --------------------------------------------------

GOLDEN_RUNS = {
    "recommend.txt": ["recommend", PRIYA],
    "recommend-verbose.txt": ["recommend", PRIYA, "--top", "2", "--verbose"],
    "recommend.md": ["recommend", PRIYA, "--format", "markdown"],
    "recommend.html": ["recommend", PRIYA, "--format", "html"],
    "recommend.json": ["recommend", PRIYA, "--format", "json", "--top", "2"],
    "explain.txt": ["explain", PRIYA, "choose-stretch-project"],
    "explain-why-not.txt": ["explain", PRIYA, "request-stakeholder-endorsements", "--why-not"],
    "explain-why-not.md": ["explain", PRIYA, "request-stakeholder-endorsements", "--format", "markdown"],
    "explain-why-not.json": ["explain", PRIYA, "request-stakeholder-endorsements", "--format", "json"],
    "plan.txt": ["plan", HANNAH],
    "plan.md": ["plan", HANNAH, "--format", "markdown"],
    "plan.html": ["plan", HANNAH, "--format", "html"],
    "plan.json": ["plan", HANNAH, "--format", "json"],
    "init.yaml": ["init", "-", "--as-of", "2026-12-01"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_RUNS))
def test_output_matches_its_golden_file(name: str) -> None:
    result = invoke(*GOLDEN_RUNS[name])
    assert result.exit_code == 0, result.stderr
    golden(name, result.stdout)


def test_plan_writes_an_icalendar_file_that_a_real_parser_reads(tmp_path: Path) -> None:
    target = tmp_path / "goal.ics"
    result = invoke("plan", HANNAH, "--ics", target, "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == f"Wrote {target}\n"
    text = target.read_text(encoding="utf-8")
    golden("plan.ics", text)
    calendar = vobject.readOne(text)
    events = sorted((e.dtstart.value, e.summary.value) for e in calendar.vevent_list)
    plan = json.loads(result.stdout)
    expected = sorted(
        (dt.date.fromisoformat(c["date"]), c["title"]) for q in plan["quarters"] for c in q["checkpoints"]
    )
    assert events == expected
    assert all(
        isinstance(e.dtstart.value, dt.date) and not isinstance(e.dtstart.value, dt.datetime)
        for e in calendar.vevent_list
    )
    assert len({e.uid.value for e in calendar.vevent_list}) == len(events)


def test_the_html_report_is_self_contained() -> None:
    html = invoke("recommend", PRIYA, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<svg" in html and "<details>" in html
    for fetch in ("http://", "https://", "<script", "<link", "@import", "url("):
        assert fetch not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), fetch


# -- every command has help with an example --------------------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_has_help_with_an_example(command: str, flag: str) -> None:
    result = invoke(command, flag)
    assert result.exit_code == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "Example:" in lines, f"{command} --help has no example"
    assert lines[lines.index("Example:") + 1].startswith(f"goalpath {command} ")
    assert "Exit codes:" in lines


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("goalpath ") and result.stdout.strip().split()[-1][0].isdigit()


# -- errors ------------------------------------------------------------------------------------------


def test_an_unknown_action_gets_a_did_you_mean() -> None:
    result = invoke("explain", PRIYA, "choose-strech-project")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for ACTION: 'choose-strech-project' is not an action of the goalpath pack "
        "(did you mean 'choose-stretch-project'?)"
    )


def test_a_wrong_choice_gets_a_did_you_mean(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("schema_version: 2\ngoal:\n  priority: promotoin\n", encoding="utf-8")
    for command in ("validate", "recommend", "plan"):
        result = invoke(command, path)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {path}:3:3: invalid-value: goal.priority: Input should be 'promotion', 'skill_mastery', "
            "'career_pivot' or 'work_abroad', got 'promotoin' (did you mean 'promotion'?)\n"
        )
        assert "Traceback" not in result.output


def test_validate_says_a_good_profile_is_good() -> None:
    result = invoke("validate", PRIYA)
    assert (result.exit_code, result.stdout) == (0, f"{PRIYA}: a valid profile (schema version 2).\n")


def test_a_profile_can_come_from_standard_input() -> None:
    piped = invoke("recommend", "-", "--format", "json", input=PRIYA.read_text(encoding="utf-8"))
    assert piped.exit_code == 0
    assert piped.stdout == invoke("recommend", PRIYA, "--format", "json").stdout
    bad = invoke("validate", "-", input="goal: {priority: nowhere}\n")
    assert bad.exit_code == 1
    assert bad.stderr.startswith("Error: <stdin>:1:8: invalid-value: goal.priority: ")


# -- files written: atomically, and never over an existing file without --force ---------------------


@pytest.mark.parametrize(
    "args",
    [
        ["recommend", PRIYA, "--format", "html", "--output"],
        ["plan", HANNAH, "--ics"],
        ["init"],
        ["schema", "profile", "--output"],
    ],
    ids=["recommend-output", "plan-ics", "init", "schema-output"],
)
def test_an_existing_file_is_never_clobbered(tmp_path: Path, args: list) -> None:
    target = tmp_path / "out.txt"
    target.write_text("mine\n", encoding="utf-8")
    refused = invoke(*args, target)
    assert refused.exit_code == 1
    assert refused.stderr == f"Error: {target}: exists: the file exists already; add --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "mine\n"
    forced = invoke(*args, target, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert target.read_text(encoding="utf-8") != "mine\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # no temporary file left behind


def test_output_goes_to_the_file_and_nothing_to_the_screen(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    result = invoke("recommend", PRIYA, "--format", "markdown", "--output", target)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"Wrote {target}\n")
    assert target.read_text(encoding="utf-8") == invoke("recommend", PRIYA, "--format", "markdown").stdout


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(None) and not use_color("report.txt")
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(None)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: False, raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not use_color(None)


# -- init and interview --------------------------------------------------------------------------------

ANSWERS = [
    "Ada",
    "promotion",
    "",
    "Lead the data platform team of six by December 2027",
    "Senior data engineer",
    "Data platform lead",
    "13",
    "I want to shape how the team works.",
    "yes",
    "maybe",  # refused: asked again
    "partly",
    "no",
    "yes",
    "partly",
    "yes",
    "no",
    "1",
    "sixty",  # refused: asked again
    "60",
    "monthly",
    "45",
    "2",
]


def test_interview_builds_a_valid_profile_from_piped_answers(tmp_path: Path) -> None:
    target = tmp_path / "ada.yaml"
    result = invoke("interview", target, "--as-of", "2026-12-01", input="\n".join(ANSWERS) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Please answer one of yes, partly, no." in result.stderr
    assert "Please answer a whole number." in result.stderr
    golden("interview.yaml", target.read_text(encoding="utf-8"))
    assert invoke("validate", target).exit_code == 0
    recommended = json.loads(invoke("recommend", target, "--format", "json").stdout)
    assert recommended["profile"]["name"] == "Ada"


def test_interview_refuses_an_existing_file_before_asking(tmp_path: Path) -> None:
    target = tmp_path / "ada.yaml"
    target.write_text("mine\n", encoding="utf-8")
    result = invoke("interview", target, input="")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target}: exists: the file exists already; add --force to overwrite it\n"


def test_init_writes_a_profile_that_loads(tmp_path: Path) -> None:
    target = tmp_path / "goal.yaml"
    result = invoke("init", target, "--as-of", "2026-12-01")
    assert (result.exit_code, result.stderr) == (0, f"Wrote {target}\n")
    assert invoke("validate", target).exit_code == 0


# -- JSON Schemas, checked with a real validator --------------------------------------------------------


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def profile_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(invoke("schema", "profile").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("path", sorted((ROOT / "fixtures").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_fixture_validates_against_the_exported_profile_schema(profile_validator, path: Path) -> None:
    errors = [e.message for e in profile_validator.iter_errors(_plain(read_document(path).data))]
    assert errors == []


def test_the_profile_schema_refuses_what_goalpath_refuses(profile_validator) -> None:
    assert not profile_validator.is_valid({"goal": {"priority": "promotoin"}})
    assert not profile_validator.is_valid({"goal": {"priority": "promotion", "horizon_monhts": 3}})
    assert not profile_validator.is_valid({"schema_version": 3, "goal": {"priority": "promotion"}})


@pytest.mark.parametrize(
    ("kind", "args"),
    [
        ("result", ["recommend", PRIYA, "--format", "json"]),
        ("plan", ["plan", HANNAH, "--format", "json"]),
        ("explanation", ["explain", PRIYA, "request-stakeholder-endorsements", "--format", "json"]),
    ],
)
def test_json_output_validates_against_its_exported_schema(kind: str, args: list) -> None:
    schema = json.loads(invoke("schema", kind).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(invoke(*args).stdout), schema, format_checker=jsonschema.FormatChecker())
