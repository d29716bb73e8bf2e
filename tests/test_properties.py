"""Properties the engine guarantees, checked on generated profiles."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalpath import Engine, load_profile
from goalpath.loader import builtin_rules_path
from goalpath.source import parse_text

import oracle
from strategies import profiles

ROOT = Path(__file__).resolve().parents[1]
LADDER = ROOT / "tests" / "data" / "engine" / "ladder.yaml"
PACKS = {"ladder": [LADDER]}
if any(builtin_rules_path().glob("*.yaml")):
    PACKS["builtin"] = None

ENGINES = {name: Engine(paths, builtin=paths is None) for name, paths in PACKS.items()}
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _shuffled(data, rng: random.Random):
    """The same profile with every list in a different order."""
    if isinstance(data, dict):
        return {k: _shuffled(v, rng) for k, v in data.items()}
    if isinstance(data, list):
        items = [_shuffled(v, rng) for v in data]
        rng.shuffle(items)
        return items
    return data


def _reasons(rec):
    stack = list(rec.reasons) + [a for a in ()]
    while stack:
        reason = stack.pop()
        yield reason
        for step in reason.via:
            stack.extend(step.derived_by)


@pytest.mark.parametrize("pack", sorted(PACKS))
@SETTINGS
@given(data=profiles)
def test_output_is_deterministic(pack, data):
    engine = ENGINES[pack]
    assert engine.recommend(data).to_json() == engine.recommend(data).to_json()


@pytest.mark.parametrize("pack", sorted(PACKS))
@SETTINGS
@given(data=profiles, seed=st.integers(0, 2**16))
def test_output_does_not_depend_on_list_order(pack, data, seed):
    engine = ENGINES[pack]
    assert engine.recommend(_shuffled(data, random.Random(seed))).to_json() == engine.recommend(data).to_json()


@pytest.mark.parametrize("pack", sorted(PACKS))
@SETTINGS
@given(data=profiles)
def test_every_explanation_cites_a_rule_that_exists(pack, data):
    engine = ENGINES[pack]
    result = engine.recommend(data)
    for rec in result.recommendations + result.held_back:
        assert rec.reasons, f"{rec.action.id} has no reason"
        for reason in _reasons(rec):
            rule = engine.pack.rule(reason.rule.id)
            assert (reason.rule.title, reason.rule.source, reason.rule.cites) == (rule.title, str(rule.at), rule.cites)
        for adj in rec.score.adjustments:
            assert engine.pack.rule(adj.rule.id).title == adj.rule.title


@pytest.mark.parametrize("pack", sorted(PACKS))
@SETTINGS
@given(data=profiles)
def test_session_terminates_and_matches_the_reference_evaluator(pack, data):
    engine = ENGINES[pack]
    evaluation = engine.evaluate(data)
    firings, facts = oracle.evaluate(engine.pack, evaluation.profile, evaluation.as_of)
    got = {(f.rule_id, tuple(sorted(set(f.matched)))) for f in evaluation.trace.firings}
    assert got == firings
    assert set(evaluation.trace.facts) == facts


@SETTINGS
@given(data=profiles)
def test_profile_round_trips_through_json_and_yaml(data):
    profile = load_profile(data)
    assert load_profile(profile.model_dump(mode="json")) == profile
    text = yaml.safe_dump(profile.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
    assert load_profile(yaml.safe_load(text)) == profile


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**16), data=profiles)
def test_rule_order_in_the_pack_does_not_change_what_fires(tmp_path_factory, seed, data):
    doc = parse_text(LADDER.read_text(), str(LADDER)).data  # YAML 1.2: `no` stays text
    random.Random(seed).shuffle(doc["rules"])
    path = tmp_path_factory.mktemp("shuffled") / "ladder.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    shuffled = Engine([path], builtin=False).recommend(data)
    original = ENGINES["ladder"].recommend(data)
    summary = lambda r: [(x.action.id, x.score.total, sorted(y.rule.id for y in x.reasons)) for x in r.recommendations]  # noqa: E731
    assert summary(shuffled) == summary(original)


def test_as_of_is_part_of_the_input():
    data = {
        "as_of": "2026-11-01",
        "goal": {"priority": "promotion", "checkpoints": [{"name": "c", "due": "2026-10-15"}]},
    }
    engine = ENGINES["ladder"]
    assert engine.recommend(data, as_of=dt.date(2026, 10, 1)).profile.as_of == dt.date(2026, 10, 1)


@pytest.mark.parametrize("pack", sorted(PACKS))
@SETTINGS
@given(data=profiles)
def test_trace_round_trips_through_json(pack, data):
    """A trace is plain data: it serialises to JSON and reads back equal."""
    from goalpath.session import Trace

    trace = ENGINES[pack].evaluate(data).trace
    text = trace.to_json()
    assert Trace.from_json(text) == trace
    assert Trace.from_json(text).to_json() == text
