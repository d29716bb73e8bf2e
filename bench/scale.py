"""Benchmark: loading and evaluating packs of about 100, 1,000 and 10,000 rules.

Run:  python bench/scale.py            (prints Markdown)
      python bench/scale.py --record   (also writes bench/SCALE.md)

Two kinds of big pack, each built fresh in a temporary folder and measured side by side
with the built-in pack in the same run (this machine's speed varies 2-4x from day to
day, so read the ratios; absolute figures are dated):

- **copies**: the built-in pack written k times over, every id renamed (tests/bigpacks.py).
  Each copy fires as the original does, so firings grow with k: the cost per firing
  should stay level.
- **inert**: the built-in pack plus rules of its shape (a derived fact and a profile field)
  that never fire for these profiles. The firings stay those of the built-in pack: the
  cost of an evaluation should stay near the built-in pack's, whatever the rule count.

Load is reading and checking the files; build is compiling and registering the rulesets
(``Engine(pack)``). Evaluate is ``Engine.evaluate`` on each example profile, every engine
in turn in each round, all engines alive at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # for bigpacks.py

from bigpacks import copies, rules_per_copy  # noqa: E402

from goalpath import Engine, load_packs, load_profile  # noqa: E402

SIZES = (100, 1_000, 10_000)
PROFILES = sorted((ROOT / "fixtures").glob("*.yaml"))


def inert(n: int, folder: Path) -> Path:
    """``n`` rules that need Evidence Ladder step 9 open (there is none) and a horizon reached."""
    folder.mkdir(parents=True, exist_ok=True)
    rules = [
        {
            "id": f"inert-{i}",
            "title": "Never fires: the Evidence Ladder has no step 9",
            "cites": "Framework A — The Evidence Ladder (for promotion)",
            "when": [
                {"fact": "ladder.open", "where": {"step": 9}},
                {"field": "goal.horizon_months", "at_least": 1 + i % 240},
            ],
            "then": [{"recommend": "document-baseline-impact"}],
        }
        for i in range(n)
    ]
    (folder / "pack.yaml").write_text(f'name: inert-{n}\nversion: "1"\nbuilds_on: [goalpath]\n', encoding="utf-8")
    for start in range(0, n, 500):  # one file holds at most 200,000 values: 500 rules a file
        text = yaml.safe_dump({"rules": rules[start : start + 500]}, sort_keys=False)
        (folder / f"inert-{start // 500:03d}.yaml").write_text(text, encoding="utf-8")
    return folder


def build(paths: list[Path], builtin: bool) -> tuple[Engine, float, float]:
    gc.collect()
    start = time.perf_counter()
    pack = load_packs(paths, builtin=builtin)
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    engine = Engine(pack)
    return engine, load_s, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write bench/SCALE.md")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    built: list[tuple[str, Engine, float, float]] = [("built-in pack", *build([], True))]
    with tempfile.TemporaryDirectory() as tmp:
        for size in SIZES:
            k = max(1, round(size / rules_per_copy()))
            built.append((f"copies ×{k}", *build([copies(k, Path(tmp) / f"copies-{k}")], False)))
        for size in SIZES:
            extra = size - len(built[0][1].pack.rules)
            if extra > 0:
                pack = inert(extra, Path(tmp) / f"inert-{extra}")
                built.append((f"built-in + {extra:,} inert", *build([pack], True)))

    # Every engine is timed on every profile in each round, round after round, so that the
    # machine's drift during the run touches them all alike; a profile's time is its median.
    profiles = [load_profile(p) for p in PROFILES]
    firings = [[len(engine.evaluate(p).trace.firings) for p in profiles] for _, engine, _, _ in built]
    samples: list[list[list[float]]] = [[[] for _ in profiles] for _ in built]
    for _ in range(args.rounds):
        gc.collect()
        for e, (_, engine, _, _) in enumerate(built):
            for i, profile in enumerate(profiles):
                start = time.perf_counter()
                engine.evaluate(profile)
                samples[e][i].append(time.perf_counter() - start)
    times = [[statistics.median(s) for s in per_engine] for per_engine in samples]
    base_load = built[0][2]

    lines = [
        f"Recorded {dt.date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()}, {len(PROFILES)} example profiles, {args.rounds} rounds. Ratios are to the built-in "
        "pack in the same run: evaluate ÷ built-in is the median over the profiles of each profile's ratio.",
        "",
        "| pack | rules | rulesets | load (s) | build (s) | load ÷ built-in | firings, mean | evaluate, median (ms) "
        "| evaluate ÷ built-in | per firing ÷ built-in |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e, (name, engine, load_s, build_s) in enumerate(built):
        ratio = statistics.median(t / b for t, b in zip(times[e], times[0], strict=True))
        per_firing = statistics.median(
            (t / f) / (b / g) for t, f, b, g in zip(times[e], firings[e], times[0], firings[0], strict=True) if f and g
        )
        lines.append(
            f"| {name} | {len(engine.pack.rules):,} | {len(engine._session.compiled.shards)} | {load_s:.2f} "
            f"| {build_s:.2f} | {load_s / base_load:.1f} | {statistics.mean(firings[e]):.1f} "
            f"| {statistics.median(times[e]) * 1e3:.2f} | {ratio:.2f} | {per_firing:.2f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        head = (ROOT / "bench" / "SCALE.md").read_text(encoding="utf-8").split("## Latest run", 1)[0]
        note = "Produced by `python bench/scale.py --record`; see that script for method.\n\n"
        (ROOT / "bench" / "SCALE.md").write_text(f"{head}## Latest run\n\n{note}{text}", encoding="utf-8")


if __name__ == "__main__":
    main()
