"""Checks that an engine can be shared: by threads, and over many evaluations in one process.

Used against the small packs (tests/test_engine.py, tests/test_memory.py) and against the
largest pack (tests/test_scale.py), so both are held to the same promise.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Sequence
from typing import Any

from goalpath import Engine


def assert_threads_agree_with_serial(engine: Engine, profiles: Sequence[Any], threads: int, rounds: int) -> None:
    """``threads`` threads each recommend ``rounds`` times, cycling through ``profiles``;
    every result must equal the serial one for its profile."""
    serial = [engine.recommend(p).to_json() for p in profiles]
    results: dict[tuple[int, int], str] = {}
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(rounds):
                results[(t, i)] = engine.recommend(profiles[(t + i) % len(profiles)]).to_json()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    started = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
    assert errors == []
    assert len(results) == threads * rounds
    assert all(text == serial[(t + i) % len(profiles)] for (t, i), text in results.items())


def rss_kib() -> int:
    """Resident memory of this process (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4


def rss_growth_kib(engine: Engine, profiles: Sequence[Any], warm_up: int, evaluations: int) -> int:
    """How much resident memory grows over ``evaluations`` evaluations, after ``warm_up``
    (which fills allocator pools and caches), cycling through ``profiles``."""
    for i in range(warm_up):
        engine.evaluate(profiles[i % len(profiles)])
    gc.collect()
    before = rss_kib()
    for i in range(evaluations):
        engine.evaluate(profiles[i % len(profiles)])
    gc.collect()
    return rss_kib() - before
