"""Golden cases: every fixtures/scenarios/*.yaml is a profile with what a coach following
the article expects of its advice. Adding a case adds no Python.

A scenario holds ``profile`` (a path relative to the scenario) and any of:

- ``top``: the first actions, in exactly this order (where the article implies an order);
- ``top_five``: actions that must each be among the first five, in any order;
- ``includes`` / ``excludes``: actions that must / must not be recommended at all;
- ``held``: actions that must be held back (recommended by some rule, then held);
- ``tiers``: ``{action: tier}`` for actions whose tier the article decides;
- ``high_effort_in_top_five``: ``{at_most: N}``;
- ``actions``: ``{at_least: N, at_most: M}`` for how many actions are recommended.

Every action named must exist in the pack, so a misspelt id fails instead of passing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from goalpath import Engine
from goalpath.rules import TIERS
from goalpath.source import read_document

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "fixtures" / "scenarios").glob("*.yaml"))
LISTS = ("top", "top_five", "includes", "excludes", "held")
BOUNDS = ("high_effort_in_top_five", "actions")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def _bounds(case: dict, key: str, name: str) -> tuple[int, int]:
    value = case.get(key, {})
    assert isinstance(value, dict) and set(value) <= {"at_least", "at_most"}, f"{name}: '{key}' takes at_least/at_most"
    return value.get("at_least", 0), value.get("at_most", 10_000)


def test_there_are_scenarios():
    assert len(SCENARIOS) >= 12


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(engine: Engine, path: Path):
    case = read_document(path).data
    name = path.stem
    assert set(case) <= {"profile", "tiers", *LISTS, *BOUNDS}, f"unknown keys in {path.name}: {sorted(case)}"
    named = {a for key in LISTS for a in case.get(key, [])} | set(case.get("tiers", {}))
    unknown = sorted(a for a in named if a not in {x.id for x in engine.pack.actions})
    assert not unknown, f"{name}: not actions of the pack: {unknown}"
    assert set(case.get("tiers", {}).values()) <= set(TIERS), f"{name}: tiers are {', '.join(TIERS)}"

    result = engine.recommend(path.parent / case["profile"])
    recs = result.recommendations
    got = [r.action.id for r in recs]
    top = case.get("top", [])
    assert got[: len(top)] == top, f"{name}: expected first {top}, got {got}"
    assert not set(case.get("top_five", [])) - set(got[:5]), f"{name}: expected in the top five, got {got[:5]}"
    assert not set(case.get("includes", [])) - set(got), f"{name}: missing from {got}"
    assert not set(case.get("excludes", [])) & set(got), f"{name}: unexpected in {got}"
    held = [r.action.id for r in result.held_back]
    assert not set(case.get("held", [])) - set(held), f"{name}: expected held back, held back are {held}"
    placed = {r.action.id: r.placement.tier for r in recs}
    wrong = {a: placed.get(a) for a, tier in case.get("tiers", {}).items() if placed.get(a) != tier}
    assert not wrong, f"{name}: tiers differ from {case['tiers']}: {wrong}"
    heavy = [r.action.id for r in recs[:5] if r.action.effort == "high"]
    low, high = _bounds(case, "high_effort_in_top_five", name)
    assert low <= len(heavy) <= high, f"{name}: {len(heavy)} high-effort actions in the top five: {heavy}"
    low, high = _bounds(case, "actions", name)
    assert low <= len(got) <= high, f"{name}: {len(got)} actions recommended, expected {low} to {high}: {got}"
    for rec in recs:
        assert all(r.rule.cites for r in rec.reasons)


def test_readme_example_output_is_what_the_command_prints(engine: Engine):
    """The README's example output is the real output of its first set-up command."""
    from goalpath.render.text import render_text

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\n") + len("```text\n")
    shown = readme[start : readme.index("```", start)]
    actual = render_text(engine.recommend(ROOT / "fixtures" / "promotion-early.yaml", top=5), width=100)
    assert shown.rstrip("\n").removesuffix("...").rstrip("\n") in actual
    assert actual.startswith(shown.split("\n", 1)[0])
