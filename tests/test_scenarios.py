"""Golden cases: every fixtures/scenarios/*.yaml is a profile with what a coach following
the article expects of its advice. Adding a case adds no Python.

The scenario format and its runner are library code (:mod:`goalpath.packs.scenarios`,
also behind ``goalpath rules test``); this file runs the built-in pack's scenarios with
it, one test per scenario, and pins how the runner reports a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from goalpath import Engine, GoalpathError
from goalpath.packs import scenarios

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = scenarios.find([ROOT / "fixtures" / "scenarios"])


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def test_there_are_scenarios():
    assert len(SCENARIOS) >= 12


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(engine: Engine, path: Path):
    outcome = scenarios.run(engine, scenarios.read(path, engine.pack))
    report = "\n".join(f"{f.check}: " + "\n".join(f.lines) for f in outcome.failures)
    assert outcome.passed, f"{path.name}:\n{report}"
    for rec in outcome.result.recommendations:
        assert all(r.rule.cites for r in rec.reasons)


def test_a_failing_scenario_shows_expected_against_actual(engine: Engine, tmp_path: Path):
    case = tmp_path / "wrong.yaml"
    case.write_text(
        f"profile: {ROOT / 'fixtures' / 'promotion-early.yaml'}\n"
        "top: [share-goal-with-manager, choose-stretch-project]\n"
        "excludes: [choose-stretch-project]\n"
        "actions: {at_most: 3}\n",
        encoding="utf-8",
    )
    outcome = scenarios.run(engine, scenarios.read(case, engine.pack))
    got = [r.action.id for r in outcome.result.recommendations]
    assert got[:2] == ["choose-stretch-project", "share-goal-with-manager"]
    assert [(f.check, f.lines) for f in outcome.failures] == [
        (
            "top",
            (
                "expected these first, in this order (2):",
                "    #  expected                 actual",
                "  ! 1  share-goal-with-manager  choose-stretch-project",
                "  ! 2  choose-stretch-project   share-goal-with-manager",
            ),
        ),
        ("excludes", ("must not be recommended, but it is, at 1: choose-stretch-project",)),
        ("actions", (f"expected 0 to 3 actions recommended, got {len(got)}",)),
    ]


def test_a_misspelt_action_in_a_scenario_is_a_located_error(engine: Engine, tmp_path: Path):
    case = tmp_path / "typo.yaml"
    case.write_text("profile: me.yaml\nincludes:\n  - choose-stretch-projct\n", encoding="utf-8")
    with pytest.raises(GoalpathError) as caught:
        scenarios.read(case, engine.pack)
    assert str(caught.value) == (
        f"{case}:3:5: unknown-action: action 'choose-stretch-projct' is not in the pack "
        "(did you mean 'choose-stretch-project'?)"
    )


def test_readme_example_output_is_what_the_command_prints(engine: Engine):
    """The README's example output is the real output of its first set-up command."""
    from goalpath.render.text import render_text

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("```text\n") + len("```text\n")
    shown = readme[start : readme.index("```", start)]
    actual = render_text(engine.recommend(ROOT / "fixtures" / "promotion-early.yaml", top=5), width=100)
    assert shown.rstrip("\n").removesuffix("...").rstrip("\n") in actual
    assert actual.startswith(shown.split("\n", 1)[0])
