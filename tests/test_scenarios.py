"""Golden cases: every fixtures/scenarios/*.yaml is a profile with the actions a coach
expects first, expects somewhere, and expects never. Adding a case adds no Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from goalpath import Engine
from goalpath.source import read_document

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "fixtures" / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def test_there_are_scenarios():
    assert len(SCENARIOS) >= 3


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(engine: Engine, path: Path):
    case = read_document(path).data
    assert set(case) <= {"profile", "top", "includes", "excludes"}, f"unknown keys in {path.name}"
    result = engine.recommend(path.parent / case["profile"])
    got = [r.action.id for r in result.recommendations]
    top = case.get("top", [])
    assert got[: len(top)] == top, f"{path.stem}: expected first {top}, got {got}"
    assert not set(case.get("includes", [])) - set(got), f"{path.stem}: missing from {got}"
    assert not set(case.get("excludes", [])) & set(got), f"{path.stem}: unexpected in {got}"
    for rec in result.recommendations:
        assert all(r.rule.cites for r in rec.reasons)


def test_readme_example_output_is_what_the_command_prints(engine: Engine):
    """The README's example output is the real output of its first set-up command."""
    from goalpath.report import render_text

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\n") + len("```text\n")
    shown = readme[start : readme.index("```", start)]
    actual = render_text(engine.recommend(ROOT / "fixtures" / "promotion-early.yaml", top=5), width=100)
    assert shown.rstrip("\n").removesuffix("...").rstrip("\n") in actual
    assert actual.startswith(shown.split("\n", 1)[0])
