"""Text from a rule file or a profile never reaches a terminal as control characters.

A rule file refuses them when it is loaded; every report for people (text, Markdown,
HTML) and every error line shows them as visible escapes; JSON keeps the exact data.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from clirun import invoke
from hypothesis import given
from hypothesis import strategies as st

from goalpath.render.html import render_html
from goalpath.render.markdown import render_markdown
from goalpath.render.text import render_text
from goalpath.render.words import printable, printable_model
from goalpath.results import Result as Recommendations

FIXTURE = Path(__file__).parent.parent / "fixtures" / "promotion-early.yaml"

#: What must never be printed raw: C0 controls but tab and newline, DEL, C1 controls, bidi controls.
UNSAFE = frozenset(
    chr(c)
    for c in [
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)

HOSTILE = "\x1b]0;pwned\x07"
NAME = f"Priya {HOSTILE}\x00\u202eRaman"
OUTCOME = f"{HOSTILE} Be promoted to analytics manager \u202eby May 2028\x00"
CHECKPOINT = f"Stretch project agreed {HOSTILE}\u202e"


def _quoted(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar, escapes and all.
    return json.dumps(text)


def hostile_profile(tmp_path: Path) -> Path:
    text = FIXTURE.read_text(encoding="utf-8")
    for old, new in (
        ("name: Priya Raman", f"name: {_quoted(NAME)}"),
        (
            "outcome: Be promoted to analytics manager, leading a team of three, by May 2028",
            f"outcome: {_quoted(OUTCOME)}",
        ),
        ("name: Stretch project agreed and started", f"name: {_quoted(CHECKPOINT)}"),
    ):
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _assert_no_raw_controls(output: str) -> None:
    assert not set(output) & UNSAFE, sorted(set(output) & UNSAFE)


ACTION = """\
actions:
  - id: hostile-action
    title: {title}
    do: Update the plan.
    evidence: The plan.
    done_when: It is updated.
    effort: low
    impact: 3
"""

RULE = """\
rules:
  - id: hostile-rule
    title: The outcome is written
    cites: Feedback
    when:
      - {field: goal.outcome, present: true}
    then:
      - recommend: hostile-action
"""


# -- rule files ---------------------------------------------------------------------------
def test_a_rule_file_with_an_escape_sequence_in_a_title_is_refused_where_it_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pack.yaml").write_text(ACTION.format(title=r'"\e]0;pwned\a Update the plan"'), encoding="utf-8")
    message = (
        "pack.yaml:3:5: invalid-value: 'title' holds a control character (U+001B, escape); rule files hold plain text"
    )

    check = invoke("rules", "check", "pack.yaml")
    assert check.exit_code == 1
    assert check.stdout.splitlines()[:3] == [
        message,
        r'  3 |     title: "\e]0;pwned\a Update the plan"',
        "    |     ^",
    ]
    assert check.stdout.splitlines()[3].startswith("1 error in ")

    loading = invoke("recommend", hostile_profile(tmp_path), "--rules", "pack.yaml")
    assert loading.exit_code == 1
    assert loading.stderr == f"Error: {message}\n"
    assert loading.stdout == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            ACTION.format(title='"Update \\u202e the plan"'),
            "3:5: invalid-value: 'title' holds a control character (U+202E, right-to-left override)",
        ),
        (
            ACTION.format(title="Update the plan").replace("do: Update the plan.", r'do: "Update\0 the plan."'),
            "4:5: invalid-value: 'do' holds a control character (U+0000, null)",
        ),
        (
            ACTION.format(title="Update the plan").replace("evidence: The plan.", r'evidence: "The \x9b plan."'),
            "5:5: invalid-value: 'evidence' holds a control character (U+009B, a C1 control)",
        ),
        (
            ACTION.format(title="Update the plan") + RULE.replace("cites: Feedback", r'cites: "Feed\x7fback"'),
            "12:5: invalid-value: 'cites' holds a control character (U+007F, delete)",
        ),
        (
            ACTION.format(title="Update the plan")
            + RULE.replace("{field: goal.outcome, present: true}", r'{field: goal.target_role, is: "\e[2J"}'),
            "14:35: invalid-value: a value for 'goal.target_role' holds a control character (U+001B, escape)",
        ),
        (
            'facts:\n  - name: hostile.fact\n    about: "a fact \\u2066that hides\\u2069"\n',
            "3:5: invalid-value: 'about' holds a control character (U+2066, left-to-right isolate)",
        ),
        (
            "facts:\n  - name: tagged\n    about: a tag\n    attributes: {label: text}\n"
            + ACTION.format(title="Update the plan")
            + RULE.replace("      - recommend: hostile-action", '      - derive: {fact: tagged, with: {label: "\\a"}}'),
            "20:39: invalid-value: a value for attribute 'label' holds a control character (U+0007, bell)",
        ),
    ],
    ids=["bidi-title", "nul-do", "c1-evidence", "del-cites", "condition-value", "fact-about", "derived-attribute"],
)
def test_every_text_of_a_rule_file_refuses_control_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pack.yaml").write_text(text, encoding="utf-8")
    result = invoke("rules", "check", "pack.yaml")
    assert result.exit_code == 1
    assert f"pack.yaml:{message}; rule files hold plain text" in result.stdout.splitlines()


def test_a_pack_manifest_refuses_control_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pack").mkdir()
    Path("pack/pack.yaml").write_text(
        'name: hostile\nversion: "1"\ndescription: "Rules \\e]0;pwned\\a"\n', encoding="utf-8"
    )
    Path("pack/actions.yaml").write_text(ACTION.format(title="Update the plan") + RULE, encoding="utf-8")
    result = invoke("rules", "check", "pack")
    assert result.exit_code == 1
    assert (
        "pack/pack.yaml:3:1: invalid-value: 'description' holds a control character (U+001B, escape); "
        "rule files hold plain text"
    ) in result.stdout.splitlines()


def test_check_shows_the_offending_line_escaped_with_the_caret_under_the_same_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bidi override may stand in a YAML file as it is; shown raw, it would reorder the line.
    monkeypatch.chdir(tmp_path)
    Path("pack.yaml").write_text(
        'actions:\n  - {title: "a\u202eb", do: x, evidence: x, done_when: x, effort: low, impact: 3, id: 5}\n',
        encoding="utf-8",
    )
    result = invoke("rules", "check", "pack.yaml")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    _assert_no_raw_controls(result.stdout)
    shown = '  2 |   - {title: "a<U+202E>b", do: x, evidence: x, done_when: x, effort: low, impact: 3, id: 5}'
    at_id = lines.index("pack.yaml:2:78: invalid-value: 'id' must be non-empty text, got a number")
    assert lines[at_id + 1 : at_id + 3] == [shown, "    |" + " " * (shown.index("id: 5") - 5) + "^"]


# -- reports --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_recommend_shows_control_characters_in_the_profile_as_escapes(tmp_path: Path, fmt: str) -> None:
    result = invoke("recommend", hostile_profile(tmp_path), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    _assert_no_raw_controls(result.stdout)
    if fmt == "text":
        assert result.stdout.splitlines()[0] == r"goalpath — next actions for Priya \x1b]0;pwned\x07\x00<U+202E>Raman"
        assert r"Goal: “\x1b]0;pwned\x07 Be promoted to analytics manager <U+202E>by May 2028\x00”" in result.stdout
    else:
        assert result.stdout.splitlines()[0] == r"# Next actions for Priya \x1b]0;pwned\x07\x00<U+202E>Raman"
        # Markdown escapes the backslashes and brackets of the escapes in turn, so they read as written.
        assert (
            r"**Goal:** “\\x1b\]0;pwned\\x07 Be promoted to analytics manager \<U+202E\>by May 2028\\x00”"
            in result.stdout
        )


def test_recommend_json_keeps_the_exact_text(tmp_path: Path) -> None:
    result = invoke("recommend", hostile_profile(tmp_path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    profile = json.loads(result.stdout)["profile"]
    assert (profile["name"], profile["outcome"]) == (NAME, OUTCOME)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_plan_shows_control_characters_in_checkpoint_names_as_escapes(tmp_path: Path, fmt: str) -> None:
    result = invoke("plan", hostile_profile(tmp_path), "--format", fmt)
    assert result.exit_code == 0, result.stderr
    _assert_no_raw_controls(result.stdout)
    assert r"Stretch project agreed \x1b]0;pwned\x07" in result.stdout.replace("\\\\", "\\").replace("\\]", "]")


def test_renderers_escape_control_characters_in_pack_text_too(tmp_path: Path) -> None:
    # A pack loaded through the library refuses them; a result built by a host application may not.
    result = invoke("recommend", FIXTURE, "--format", "json")
    recommendations = Recommendations.model_validate_json(result.stdout)
    first = recommendations.recommendations[0]
    action = first.action.model_copy(update={"title": f"{HOSTILE}Hijacked", "do": "Do \u202eit\x1b[2J"})
    hostile = recommendations.model_copy(
        update={"recommendations": [first.model_copy(update={"action": action}), *recommendations.recommendations[1:]]}
    )
    for output in (render_text(hostile), render_markdown(hostile), render_html(hostile)):
        _assert_no_raw_controls(output)
        assert "x1b]0;pwned" in output.replace("\\]", "]")
    assert r"1. \x1b]0;pwned\x07Hijacked" in render_text(hostile)
    assert r"Do <U+202E>it\x1b[2J" in render_text(hostile)


def test_markup_in_pack_text_is_shown_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("pack.yaml").write_text(ACTION.format(title='"[bold]Loud[/bold] and [/] unbalanced"') + RULE, encoding="utf-8")
    result = invoke("recommend", FIXTURE, "--rules", "pack.yaml", "--top", "0")
    assert result.exit_code == 0, result.stderr
    assert "[bold]Loud[/bold] and [/] unbalanced" in result.stdout
    table_rows = [line for line in result.stdout.splitlines() if "Loud" in line and "low" in line]
    assert table_rows and "[bold]Loud[/bold] and [/] unbalanced" in table_rows[0]


# -- error lines ----------------------------------------------------------------------------
def test_an_unknown_profile_key_holding_an_escape_is_reported_with_the_escape_visible(tmp_path: Path) -> None:
    path = tmp_path / "key.yaml"
    path.write_text(r'"\e]0;x\a": 1' + "\n" + FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("recommend", path)
    assert result.exit_code == 1
    _assert_no_raw_controls(result.stderr)
    assert result.stderr == f"Error: {path}:1:1: unknown-field: '\\x1b]0;x\\x07' is not a profile field\n"


# -- printable ------------------------------------------------------------------------------
texts = st.text() | st.text(alphabet=st.sampled_from(sorted(UNSAFE)) | st.characters())


@given(text=texts)
def test_printable_leaves_no_control_character_and_changes_nothing_else(text: str) -> None:
    shown = printable(text)
    assert not set(shown) & UNSAFE
    if not set(text) & UNSAFE:
        assert shown == text


def test_printable_escapes_exactly_the_unsafe_characters() -> None:
    assert printable("a\tb\nc") == "a\tb\nc"
    assert printable("\x00\x1b\x7f\x85\x9f") == r"\x00\x1b\x7f\x85\x9f"
    assert printable("\u202a\u202e\u2066\u2069") == "<U+202A><U+202E><U+2066><U+2069>"
    changed = {chr(c) for c in range(0x3000) if printable(chr(c)) != chr(c)}
    assert changed == UNSAFE


@given(text=texts)
def test_a_result_with_any_text_in_it_is_made_printable_everywhere(text: str) -> None:
    # printable_model looks at a model's JSON first and returns a clean model as it is:
    # that look must never miss a text the renderers would show.
    recommendations = Recommendations.model_validate_json(_json_result())
    first = recommendations.recommendations[0]
    action = first.action.model_copy(update={"title": f"Title {text}", "evidence": text})
    model = recommendations.model_copy(update={"recommendations": [first.model_copy(update={"action": action})]})
    shown = printable_model(model)
    assert shown.recommendations[0].action.title == printable(f"Title {text}")
    assert shown.recommendations[0].action.evidence == printable(text)
    assert (shown is model) == (printable(text) == text)


@functools.cache
def _json_result() -> str:
    result = invoke("recommend", FIXTURE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result.stdout
