"""Scenario tests for rule packs: a profile and what a coach expects of its advice.

A scenario file holds ``profile`` (a path relative to the scenario file) and any of:

- ``about``: one line on what the case is;
- ``top``: the first actions, in exactly this order;
- ``top_five``: actions that must each be among the first five, in any order;
- ``includes`` / ``excludes``: actions that must / must not be recommended at all;
- ``held``: actions that must be held back (recommended by some rule, then held);
- ``tiers``: ``{action: tier}`` for actions whose tier is decided;
- ``high_effort_in_top_five``: ``{at_least: N, at_most: M}``;
- ``actions``: ``{at_least: N, at_most: M}``, how many actions are recommended.

Every action named must be in the pack, so a misspelt id is a located error, never a
test that passes. :func:`run` checks one scenario; :func:`coverage` says which rules,
actions and conditions a set of runs never exercised.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import Engine
from ..errors import GoalpathError, Problem
from ..loader import MANIFEST
from ..loader.reader import _hint
from ..results import Result
from ..rules import TIERS, Condition, Location, RulePack
from ..session import Evaluation
from ..source import Document, read_document
from ..whynot import leaf_checks

LISTS = ("top", "top_five", "includes", "excludes", "held")
BOUNDS = ("high_effort_in_top_five", "actions")
KEYS = ("profile", "about", *LISTS, "tiers", *BOUNDS)


@dataclass(frozen=True)
class Scenario:
    """One scenario file, read and checked against a pack."""

    name: str
    file: str  # as named to the user
    profile: Path
    about: str | None
    expect: dict[str, Any]


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold: which, and the lines that show expected and actual."""

    check: str
    lines: tuple[str, ...]


@dataclass
class Outcome:
    """A scenario run: its failures (none if it passed), and what the engine did."""

    scenario: Scenario
    failures: list[Failure]
    evaluation: Evaluation
    result: Result

    @property
    def passed(self) -> bool:
        return not self.failures


def pack_tests(pack: str | Path) -> Path | None:
    """A pack's scenario directory: the one its manifest names under 'tests', else its
    tests/ directory, if there is one."""
    root = Path(pack)
    if not root.is_dir():
        return None
    named = "tests"
    manifest = root / MANIFEST
    if manifest.is_file():
        data = read_document(manifest).data
        if isinstance(data, dict) and isinstance(data.get("tests"), str):
            named = data["tests"]
            if not (root / named).is_dir():
                raise GoalpathError(
                    [
                        read_document(manifest).problem(
                            ("tests",), "not-found", f"the pack's tests directory '{named}' does not exist"
                        )
                    ]
                )
    directory = root / named
    return directory if directory.is_dir() else None


def find(paths: Iterable[str | Path]) -> list[Path]:
    """Scenario files: each file given, and the .yaml/.yml files of each directory, sorted."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        else:
            found.append(path)
    return found


def read(path: str | Path, pack: RulePack, label: str | None = None) -> Scenario:
    """Read a scenario file and check it names only actions and tiers that exist.

    Raises:
        GoalpathError: every problem in the file, located.
    """
    doc = read_document(path, label)
    problems: list[Problem] = []
    data = doc.data
    if not isinstance(data, dict):
        raise GoalpathError([doc.problem((), "invalid-value", "a scenario must be a mapping with 'profile'")])
    for key in data:
        if key not in KEYS:
            problems.append(doc.problem((key,), "unknown-key", f"'{key}' is not a key of a scenario{_hint(key, KEYS)}"))
    actions = {a.id for a in pack.actions} | {r.id for r in pack.retired if r.kind == "action"}
    for key in LISTS:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(doc.problem((key,), "invalid-value", f"'{key}' must be a list of action ids"))
            continue
        for i, action in enumerate(value):
            if action not in actions:
                problems.append(_unknown_action(doc, (key, i), action, actions, pack))
    tiers = data.get("tiers", {})
    if not isinstance(tiers, dict):
        problems.append(doc.problem(("tiers",), "invalid-value", "'tiers' must map action ids to tiers"))
        tiers = {}
    for action, tier in tiers.items():
        if action not in actions:
            problems.append(_unknown_action(doc, ("tiers", action), str(action), actions, pack))
        if tier not in TIERS:
            problems.append(
                doc.problem(
                    ("tiers", action),
                    "invalid-value",
                    f"'{tier}' is not a tier{_hint(str(tier), TIERS)}; use one of {', '.join(TIERS)}",
                )
            )
    for key in BOUNDS:
        value = data.get(key, {})
        if not isinstance(value, dict) or set(value) - {"at_least", "at_most"}:
            problems.append(doc.problem((key,), "invalid-value", f"'{key}' takes at_least and/or at_most"))
        elif not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value.values()):
            problems.append(doc.problem((key,), "invalid-value", f"'{key}' bounds must be whole numbers from 0"))
    profile = data.get("profile")
    if not isinstance(profile, str) or not profile.strip():
        problems.append(
            doc.problem(
                ("profile",) if "profile" in data else (),
                "missing-key",
                "a scenario needs 'profile', the path of a profile file",
            )
        )
    about = data.get("about")
    if about is not None and not isinstance(about, str):
        problems.append(doc.problem(("about",), "invalid-value", "'about' must be text"))
    if problems:
        raise GoalpathError(problems)
    successor = {r.id: r.successor for r in pack.retired if r.kind == "action"}
    expect = {k: v for k, v in data.items() if k not in ("profile", "about")}
    for key in LISTS:
        if key in expect:
            expect[key] = [successor.get(a, a) for a in expect[key]]
    if "tiers" in expect:
        expect["tiers"] = {successor.get(a, a): tier for a, tier in expect["tiers"].items()}
    return Scenario(Path(path).stem, doc.file, Path(path).parent / str(profile), about, expect)


def _unknown_action(doc: Document, path: tuple, action: str, actions: set[str], pack: RulePack) -> Problem:
    for change in pack.changes:
        if change.kind == "action" and change.id == action and change.how == "disabled":
            return doc.problem(
                path,
                "unknown-action",
                f"action '{action}' is disabled (by pack {change.pack} at {change.at}), so no scenario can expect it",
            )
    return doc.problem(path, "unknown-action", f"action '{action}' is not in the pack{_hint(action, actions)}")


def run(engine: Engine, scenario: Scenario) -> Outcome:
    """Evaluate a scenario's profile and check every expectation.

    Raises:
        ProfileError: the scenario's profile cannot be read or is not valid.
    """
    evaluation = engine.evaluate(scenario.profile)
    result = engine.result(evaluation)
    return Outcome(scenario, check(scenario, result), evaluation, result)


def check(scenario: Scenario, result: Result) -> list[Failure]:
    """What in a result differs from a scenario's expectations."""
    expect = scenario.expect
    got = [r.action.id for r in result.recommendations]
    rank = {a: n for n, a in enumerate(got, 1)}
    failures: list[Failure] = []
    top = expect.get("top", [])
    if got[: len(top)] != top:
        failures.append(
            Failure("top", (f"expected these first, in this order ({len(top)}):", *_ranked_diff(top, got[: len(top)])))
        )
    missing = [a for a in expect.get("top_five", []) if a not in got[:5]]
    if missing:
        failures.append(
            Failure(
                "top_five",
                (
                    "expected among the first five: " + ", ".join(f"{a} ({_where(a, rank)})" for a in missing),
                    "the first five are:",
                    *(f"  {n}. {a}" for n, a in enumerate(got[:5], 1)),
                ),
            )
        )
    absent = [a for a in expect.get("includes", []) if a not in rank]
    if absent:
        failures.append(Failure("includes", tuple(f"expected recommended, but it is not: {a}" for a in absent)))
    present = [a for a in expect.get("excludes", []) if a in rank]
    if present:
        failures.append(
            Failure("excludes", tuple(f"must not be recommended, but it is, at {rank[a]}: {a}" for a in present))
        )
    held = [r.action.id for r in result.held_back]
    unheld = [a for a in expect.get("held", []) if a not in held]
    if unheld:
        failures.append(
            Failure(
                "held",
                tuple(
                    f"expected held back: {a} ({_where(a, rank) if a in rank else 'not recommended at all'})"
                    for a in unheld
                ),
            )
        )
    placed = {r.action.id: r.placement.tier for r in result.recommendations}
    wrong = [(a, tier) for a, tier in expect.get("tiers", {}).items() if placed.get(a) != tier]
    if wrong:
        failures.append(
            Failure(
                "tiers",
                tuple(f"{a}: expected tier {tier}, got {placed.get(a) or 'not recommended'}" for a, tier in wrong),
            )
        )
    heavy = [r.action.id for r in result.recommendations[:5] if r.action.effort == "high"]
    bounded = _bounds(expect, "high_effort_in_top_five", len(heavy), "high-effort actions in the first five")
    if bounded:
        failures.append(Failure("high_effort_in_top_five", (bounded, *(f"  {a}" for a in heavy))))
    bounded = _bounds(expect, "actions", len(got), "actions recommended")
    if bounded:
        failures.append(Failure("actions", (bounded,)))
    return failures


def _where(action: str, rank: dict[str, int]) -> str:
    return f"ranked {rank[action]}" if action in rank else "not recommended"


def _bounds(expect: dict[str, Any], key: str, n: int, what: str) -> str | None:
    value = expect.get(key)
    if value is None:
        return None
    low, high = value.get("at_least", 0), value.get("at_most")
    if n < low or (high is not None and n > high):
        wanted = f"{low} to {high}" if high is not None else f"at least {low}"
        return f"expected {wanted} {what}, got {n}"
    return None


def _ranked_diff(expected: Sequence[str], actual: Sequence[str]) -> list[str]:
    """Expected and actual rankings side by side, each differing row marked with '!'."""
    wide = max(len("expected"), *(len(a) for a in expected))
    lines = [f"    #  {'expected'.ljust(wide)}  actual"]
    for n, want in enumerate(expected):
        got = actual[n] if n < len(actual) else "(nothing)"
        mark = " " if got == want else "!"
        lines.append(f"  {mark} {n + 1:<2} {want.ljust(wide)}  {got}")
    return lines


# -- coverage ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ConditionCoverage:
    """One test in a rule's conditions: whether scenarios saw it hold, and fail."""

    rule: str
    at: Location
    condition: Condition
    seen_true: bool
    seen_false: bool


@dataclass
class Coverage:
    """What a set of scenario runs never exercised, among the rules of some packs."""

    rules: list[str] = field(default_factory=list)  # ids of the rules covered
    rules_unreached: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    actions_unreached: list[str] = field(default_factory=list)
    conditions: list[ConditionCoverage] = field(default_factory=list)

    @property
    def conditions_partial(self) -> list[ConditionCoverage]:
        return [c for c in self.conditions if not (c.seen_true and c.seen_false)]


def coverage(pack: RulePack, packs: Sequence[str], outcomes: Sequence[Outcome]) -> Coverage:
    """Which rules and actions of the named ``packs`` no run reached, and which of their
    conditions were never seen both true and false."""
    files = {f for layer in pack.layers if layer.name in packs for f in layer.files}
    rules = [r for r in pack.rules if r.at.file in files]
    actions = [a for a in pack.actions if a.at.file in files]
    fired = {f.rule_id for o in outcomes for f in o.evaluation.trace.firings}
    advised = {r.action.id for o in outcomes for r in [*o.result.recommendations, *o.result.held_back]}
    report = Coverage(
        rules=[r.id for r in rules],
        rules_unreached=[r.id for r in rules if r.id not in fired],
        actions=[a.id for a in actions],
        actions_unreached=[a.id for a in actions if a.id not in advised],
    )
    for rule in rules:
        seen: dict[int, list[bool]] = {}
        leaf_of: dict[int, Condition] = {}
        for outcome in outcomes:
            for leaves in leaf_checks(rule.when, outcome.evaluation):
                for i, leaf in enumerate(leaves):
                    truth = seen.setdefault(i, [False, False])
                    truth[0 if leaf.holds else 1] = True
                    leaf_of.setdefault(i, leaf.condition)
        if not outcomes:
            continue
        for i in sorted(seen):
            at: Location = leaf_of[i].at  # type: ignore[union-attr]  # leaves are field, list and fact tests
            report.conditions.append(ConditionCoverage(rule.id, at, leaf_of[i], seen[i][0], seen[i][1]))
    return report
