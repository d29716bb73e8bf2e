"""100,000 evaluations in one process keep memory flat (sessions are always deleted)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest
from sharing import rss_growth_kib, rss_kib

from goalpath import Engine, load_profile

LADDER = Path(__file__).parent / "data" / "engine" / "ladder.yaml"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_memory_stays_flat_over_100k_evaluations():
    engine = Engine([LADDER], builtin=False)
    profiles = [
        load_profile(
            {
                "as_of": "2026-11-01",
                "goal": {"priority": p},
                "audit": {"specific_outcome": a},
                "evidence": {"baseline_documented": b},
            }
        )
        for p in ("promotion", "career_pivot")
        for a in ("yes", "no")
        for b in (True, False)
    ]
    grown = rss_growth_kib(engine, profiles, warm_up=5_000, evaluations=100_000)
    # A leaked session costs megabytes; a leak of even 100 bytes per evaluation is ~10 MB.
    assert grown < 4 * 1024, f"RSS grew by {grown} KiB over 100,000 evaluations"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_engines_that_go_away_release_their_rules():
    gc.collect()
    for _ in range(50):
        Engine([LADDER], builtin=False).recommend({"goal": {"priority": "promotion"}})
    gc.collect()
    before = rss_kib()
    for _ in range(300):
        Engine([LADDER], builtin=False).recommend({"goal": {"priority": "promotion"}})
    gc.collect()
    assert rss_kib() - before < 8 * 1024
