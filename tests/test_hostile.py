"""Hostile input gets a one-line located error and exit code 1, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from goalpath.cli import cli

RULES = Path(__file__).parent / "data" / "packs" / "good"


def _run(tmp_path: Path, name: str, text: str, *args: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return CliRunner().invoke(cli, ["recommend", str(path), *args], catch_exceptions=False), path


@pytest.mark.parametrize(
    "name, text",
    [
        ("flow.yaml", "a: " + "[" * 5000 + "]" * 5000),
        ("flow.json", '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ("block.yaml", "a:\n" + "".join("  " * (i + 1) + "b:\n" for i in range(2000))),
    ],
)
def test_absurd_nesting_is_refused(tmp_path, name, text):
    result, path = _run(tmp_path, name, text)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: too-deep: values are nested more than 64 levels deep\n"


def test_huge_file_is_refused_before_reading(tmp_path):
    result, path = _run(tmp_path, "big.yaml", "goal: {priority: promotion}\n" + "# padding\n" * 500_000)
    assert result.exit_code == 1
    assert result.output == f"Error: {path}: too-large: the file is larger than 4 MiB\n"


def test_nesting_in_a_rule_file_is_refused_too(tmp_path):
    profile = tmp_path / "p.yaml"
    profile.write_text("goal: {priority: promotion}\n", encoding="utf-8")
    rules = tmp_path / "deep.yaml"
    rules.write_text("rules:\n" + "".join("  " * (i + 1) + "x:\n" for i in range(2000)), encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["recommend", str(profile), "--no-builtin", "--rules", str(rules)], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert result.output == f"Error: {rules}: too-deep: values are nested more than 64 levels deep\n"
