"""Rule-count scale: packs far past what one durable_rules ruleset holds load, evaluate
and agree with the small pack they are made of.

Each shape here once broke the engine: 512 rules testing one field hung inside
durable_rules; five copies of the built-in pack failed at evaluation (error 303, the
matching stack); 5,000 and 10,000 rules could not be created (error 106). Timing claims
live in bench/, not here: these tests bound nothing but a hang (SIGALRM).
"""

from __future__ import annotations

import contextlib
import gc
import pickle
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import yaml
from bigpacks import copies, renamed, rules_per_copy
from sharing import assert_threads_agree_with_serial, rss_growth_kib

from goalpath import Engine, load_profile
from goalpath.compiler import MAX_TESTS_PER_FACT

ROOT = Path(__file__).resolve().parent.parent
PROFILES = sorted((ROOT / "fixtures").glob("*.yaml"))
AS_OF = "2026-11-01"
ACTION = {"id": "a1", "title": "A one", "do": "d", "evidence": "e", "done_when": "w", "effort": "low", "impact": 3}


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail, rather than hang the suite, if the block runs past ``seconds`` (a hang guard, not a timing test)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s: the engine hangs")

    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def write_pack(folder: Path, data: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text('name: scale\nversion: "1"\n', encoding="utf-8")
    (folder / "rules.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def fired(engine: Engine, profile: object) -> set[str]:
    return {f.rule_id for f in engine.evaluate(profile).trace.firings}


def promotion(**goal: object) -> dict:
    return {"as_of": AS_OF, "goal": {"priority": "promotion", **goal}}


# -- shapes that broke the engine ------------------------------------------------------------
def test_512_rules_on_one_field_load_and_fire_by_their_thresholds(tmp_path: Path) -> None:
    rules = [
        {
            "id": f"at-least-{i}",
            "title": "t",
            "cites": "S",
            "when": {"field": "goal.horizon_months", "at_least": i},
            "then": [{"recommend": "a1"}],
        }
        for i in range(1, 513)
    ]
    pack = write_pack(tmp_path / "p", {"actions": [ACTION], "rules": rules})
    with deadline(120):
        engine = Engine([pack], builtin=False)
        assert fired(engine, promotion(horizon_months=12)) == {f"at-least-{i}" for i in range(1, 13)}
        assert fired(engine, promotion(horizon_months=240)) == {f"at-least-{i}" for i in range(1, 241)}
        assert fired(engine, promotion()) == set()


def test_hundreds_of_derived_facts_chain_through_every_shard(tmp_path: Path) -> None:
    # A chain of 450 facts, each derived from the one before: more fact names than one
    # ruleset's fact node holds, and every link crosses into the shard of the next.
    n = 450
    facts = [{"name": f"f.{i}", "about": f"link {i}"} for i in range(n)]
    rules = [
        {
            "id": "start",
            "title": "t",
            "cites": "S",
            "when": {"field": "goal.priority", "is": "promotion"},
            "then": [{"derive": "f.0"}],
        }
    ] + [
        {"id": f"link-{i}", "title": "t", "cites": "S", "when": {"fact": f"f.{i - 1}"}, "then": [{"derive": f"f.{i}"}]}
        for i in range(1, n)
    ]
    rules.append(
        {"id": "end", "title": "t", "cites": "S", "when": {"fact": f"f.{n - 1}"}, "then": [{"recommend": "a1"}]}
    )
    pack = write_pack(tmp_path / "p", {"facts": facts, "actions": [ACTION], "rules": rules})
    with deadline(120):
        engine = Engine([pack], builtin=False)
        evaluation = engine.evaluate(promotion())
    assert len(evaluation.trace.firings) == n + 1
    assert [r.action.id for r in engine.result(evaluation).recommendations] == ["a1"]
    assert fired(engine, {"as_of": AS_OF, "goal": {"priority": "career_pivot"}}) == set()


def test_hundreds_of_rules_sharing_one_derived_fact_test(tmp_path: Path) -> None:
    # Far more rules on one fact test than one ruleset lets share a node.
    n = 4 * MAX_TESTS_PER_FACT + 18
    rules = [
        {
            "id": "start",
            "title": "t",
            "cites": "S",
            "when": {"field": "goal.priority", "is": "promotion"},
            "then": [{"derive": {"fact": "shared", "with": {"step": 2}}}],
        }
    ] + [
        {
            "id": f"on-shared-{i}",
            "title": "t",
            "cites": "S",
            "when": [{"fact": "shared", "where": {"step": 2}}, {"field": "goal.horizon_months", "at_least": i % 7}],
            "then": [{"recommend": "a1"}],
        }
        for i in range(n)
    ]
    facts = [{"name": "shared", "about": "one fact", "attributes": {"step": "number"}}]
    pack = write_pack(tmp_path / "p", {"facts": facts, "actions": [ACTION], "rules": rules})
    with deadline(120):
        engine = Engine([pack], builtin=False)
        assert fired(engine, promotion(horizon_months=3)) == {"start"} | {
            f"on-shared-{i}" for i in range(n) if i % 7 <= 3
        }


# -- copies of the built-in pack ---------------------------------------------------------
def _renamed_firings(builtin: Engine, profile: object, k: int) -> set[str]:
    return {renamed(rule, k) for rule in fired(builtin, profile)}


@pytest.fixture(scope="module")
def builtin() -> Engine:
    return Engine()


@pytest.fixture(scope="module")
def five_copies(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    with deadline(300):
        return Engine([copies(5, tmp_path_factory.mktemp("five"))], builtin=False)


@pytest.fixture(scope="module")
def largest(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The largest pack the limits promise: 10,000 rules and more, of the built-in pack's shape."""
    n = -(-10_000 // rules_per_copy())
    with deadline(600):
        engine = Engine([copies(n, tmp_path_factory.mktemp("largest"))], builtin=False)
    gc.collect()
    return engine


@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
def test_five_copies_fire_five_times_what_the_builtin_pack_fires(
    builtin: Engine, five_copies: Engine, profile: Path
) -> None:
    with deadline(120):
        assert fired(five_copies, profile) == set().union(*(_renamed_firings(builtin, profile, k) for k in range(1, 6)))


def test_a_pack_of_10_000_rules_loads_and_evaluates_every_profile(builtin: Engine, largest: Engine) -> None:
    rules = len(largest.pack.rules)
    shards = len(largest._session.compiled.shards)
    assert rules >= 10_000
    assert shards > 1  # more than one ruleset holds
    n = rules // rules_per_copy()
    for profile in PROFILES:
        with deadline(120):
            got = fired(largest, profile)
        want = set().union(*(_renamed_firings(builtin, profile, k) for k in (1, n)))
        assert want <= got, profile.name
        assert len(got) == n * len(fired(builtin, profile)), profile.name


def test_the_largest_pack_is_deterministic_and_threads_agree_with_serial(largest: Engine) -> None:
    profiles = [load_profile(p) for p in PROFILES[:4]]
    assert [largest.recommend(p).to_json() for p in profiles] == [largest.recommend(p).to_json() for p in profiles]
    assert_threads_agree_with_serial(largest, profiles, threads=4, rounds=3)


def _recommend_json(engine: Engine, path: str) -> str:
    return engine.recommend(path).to_json()


def test_the_largest_pack_gives_the_same_results_in_worker_processes(largest: Engine) -> None:
    # Batches run in worker processes: the engine pickles as its pack and is rebuilt there.
    paths = [str(p) for p in PROFILES[:3]]
    serial = [largest.recommend(p).to_json() for p in paths]
    assert len(pickle.dumps(largest)) > 0
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = list(pool.map(_recommend_json, [largest] * len(paths), paths))
    assert parallel == serial


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_memory_stays_flat_over_many_evaluations_of_the_largest_pack(largest: Engine) -> None:
    profiles = [load_profile(p) for p in PROFILES[:6]]
    grown = rss_growth_kib(largest, profiles, warm_up=30, evaluations=300)
    # Each evaluation opens a session in dozens of rulesets: one left behind is megabytes.
    assert grown < 8 * 1024, f"RSS grew by {grown} KiB over 300 evaluations"


def test_a_ruleset_first_reached_after_a_gate_opened_still_sees_the_gate(tmp_path: Path) -> None:
    # 'late' waits for the absence of 'y' (gate 1) and for 'x', which is derived only in
    # layer 1: its ruleset, 250 rules further on, is first reached after gate 1 opened.
    def rule(ident: str, when: object, then: object) -> dict:
        return {"id": ident, "title": "t", "cites": "S", "when": when, "then": [then]}

    facts = [{"name": n, "about": n} for n in ("w", "x", "y", "z")]
    rules = [
        rule("w", {"field": "goal.horizon_months", "at_least": 36}, {"derive": "w"}),
        rule("y", {"field": "goal.horizon_months", "at_least": 24}, {"derive": "y"}),
        rule("x", [{"not": {"fact": "w"}}, {"field": "goal.priority", "is": "promotion"}], {"derive": "x"}),
        *(rule(f"filler-{i}", [{"fact": "z"}, {"fact": "x"}], {"recommend": "a1"}) for i in range(250)),
        rule("late", [{"fact": "x"}, {"not": {"fact": "y"}}], {"recommend": "a1"}),
    ]
    pack = write_pack(tmp_path / "p", {"facts": facts, "actions": [ACTION], "rules": rules})
    engine = Engine([pack], builtin=False)
    assert engine.pack.strata["x"] == 1 and engine.pack.strata["late"] == 1
    assert len(engine._session.compiled.shards) > 1
    assert fired(engine, promotion(horizon_months=12)) == {"x", "late"}
    assert fired(engine, promotion(horizon_months=24)) == {"x", "y"}
    assert fired(engine, promotion(horizon_months=36)) == {"w", "y"}
