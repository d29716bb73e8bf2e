"""Benchmark: cost per profile of the built-in pack, against plain Python doing the same logic.

Run:  python bench/run.py            (prints a Markdown table)
      python bench/run.py --record   (also rewrites the "Latest run" section of bench/RESULTS.md)

Timings are medians of repeated runs on the example profiles; firings are exact counts.
The last column is tests/oracle.py, a deliberately naive Python interpreter of the same
rules (it re-matches every rule until nothing changes), timed on the same profiles as a
reference point; it is the differential-testing oracle, not a product path, and
hand-written Python for one fixed pack would be faster than either. Machine speed varies
from day to day, so compare runs by the ratio of the two columns, measured side by side.

The summary lines also give the means over the personas that existed before the pack
gained its quarter's work (``EARLIER_PERSONAS``), so that a later run compares like for
like with the numbers recorded before that change.
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

#: The personas of the pack before it recommended a quarter's work (bench/RESULTS.md, "Before and after").
EARLIER_PERSONAS = {
    "abroad-family-remote",
    "abroad-family",
    "abroad-single-relocate",
    "personal-development",
    "pivot-apply",
    "pivot-interviews",
    "pivot-overworked",
    "pivot-project",
    "pivot-referral",
    "pivot-vague",
    "promotion-burnout",
    "promotion-case-relocation",
    "promotion-early",
    "promotion-endorsements",
    "promotion-skipped",
    "promotion-vague",
    "remote-secondary",
    "skill-nurse-abroad",
    "skill-on-track",
}
LATEST = "## Latest run"


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
    for label, chosen in (("mean", rows), ("mean, earlier personas", [r for r in rows if r[0] in EARLIER_PERSONAS])):
        mean = lambda i, rs=chosen: statistics.mean(r[i] for r in rs)  # noqa: E731
        lines.append(f"| **{label}** | {mean(1):.1f} | {mean(2):.0f} | {mean(3):.0f} | {mean(4):.0f} |")
    earlier = [r for r in rows if r[0] in EARLIER_PERSONAS]
    ratio = statistics.mean(r[2] for r in earlier) / statistics.mean(r[4] for r in earlier)
    lines += ["", f"Evaluate ÷ naive interpreter, earlier personas: {ratio:.2f}."]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        path = ROOT / "bench" / "RESULTS.md"
        old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
        kept = old.split(LATEST, 1)[0].rstrip("\n")
        note = "Produced by `python bench/run.py --record`; see that script for method.\n\n"
        path.write_text(f"{kept}\n\n{LATEST}\n\n{note}{text}", encoding="utf-8")


if __name__ == "__main__":
    main()
