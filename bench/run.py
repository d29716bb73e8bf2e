"""Benchmark: cost per profile of the built-in pack, against plain Python doing the same logic.

Run:  python bench/run.py            (prints a Markdown table)
      python bench/run.py --record   (also rewrites bench/RESULTS.md)

Timings are medians of repeated runs on the example profiles; firings are exact counts.
The last column is tests/oracle.py, a deliberately naive Python interpreter of the same
rules (it re-matches every rule until nothing changes), timed on the same profiles as a
reference point; it is the differential-testing oracle, not a product path, and
hand-written Python for one fixed pack would be faster than either.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # for oracle.py

from goalpath import Engine, load_profile, load_rules  # noqa: E402

import oracle  # noqa: E402


def _median_us(fn, repeat: int) -> float:
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        samples.append((time.perf_counter() - start) / repeat * 1e6)
    return statistics.median(samples)


def _rss_kib() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="rewrite bench/RESULTS.md")
    parser.add_argument("--repeat", type=int, default=400)
    args = parser.parse_args()

    start = time.perf_counter()
    pack = load_rules()
    load_ms = (time.perf_counter() - start) * 1e3
    start = time.perf_counter()
    engine = Engine(pack)
    compile_ms = (time.perf_counter() - start) * 1e3
    branches = len(engine._session.compiled.branches)

    rows = []
    for path in sorted((ROOT / "fixtures").glob("*.yaml")):
        profile = load_profile(path)
        as_of = profile.as_of or dt.date.today()
        firings = len(engine.evaluate(profile).trace.firings)
        evaluate = _median_us(lambda p=profile: engine.evaluate(p), args.repeat)
        recommend = _median_us(lambda p=profile: engine.recommend(p), args.repeat // 2)
        python = _median_us(lambda p=profile, d=as_of: oracle.evaluate(pack, p, d), args.repeat // 2)
        rows.append((path.stem, firings, evaluate, recommend, python))

    gc.collect()
    profiles = [load_profile(p) for p in sorted((ROOT / "fixtures").glob("*.yaml"))]
    before = _rss_kib()
    start = time.perf_counter()
    for i in range(100_000):
        engine.evaluate(profiles[i % len(profiles)])
    loop_s = time.perf_counter() - start
    grown = _rss_kib() - before

    lines = [
        f"Recorded {dt.date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()}; built-in pack: {len(pack.rules)} rules ({branches} compiled), {len(pack.actions)} actions.",
        "",
        f"- load and check the pack: {load_ms:.1f} ms; compile and register it: {compile_ms:.1f} ms",
        f"- 100,000 evaluations in one process: {loop_s:.1f} s, resident memory grew {grown} KiB",
        "",
        "| profile | firings | evaluate (µs) | recommend incl. ranking and explanations (µs) | naive Python interpreter, same rules (µs) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, firings, evaluate, recommend, python in rows:
        lines.append(f"| {name} | {firings} | {evaluate:.0f} | {recommend:.0f} | {python:.0f} |")
    mean = lambda i: statistics.mean(r[i] for r in rows)  # noqa: E731
    lines.append(f"| **mean** | {mean(1):.1f} | {mean(2):.0f} | {mean(3):.0f} | {mean(4):.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        header = "# Benchmark results\n\nProduced by `python bench/run.py --record`; see that script for method.\n\n"
        (ROOT / "bench" / "RESULTS.md").write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    main()
