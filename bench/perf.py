"""Benchmark: where a recommendation's time goes, against raw durable_rules, the CLI's start-up
and batch throughput. One command:

    python bench/perf.py            (prints Markdown)
    python bench/perf.py --record   (also writes bench/PERF.md)

Everything is measured side by side in one run and reported as ratios, because this
machine's speed varies 2-4x from day to day:

- **Latency.** On the example profiles and a generated cohort (each example profile with
  audit answers and evidence flipped at random, seeded), the calls are interleaved per
  profile: ``recommend(path)``, ``recommend(dict)``, ``evaluate(Profile)``, and a raw
  durable_rules run: the very facts that evaluation asserted, replayed into the same
  compiled rulesets with a handler that does nothing. p50, p95 and p99 of each.
- **The split** of a ``recommend(path)``: reading the file, validating the profile,
  matching (evaluate), ranking and explaining (result), rendering text and JSON; five
  rounds, each giving the text-rendering ratio.
- **Packs** of 1x, 8x and 100x the built-in pack: load and build.
- **Start-up** of ``goalpath --help`` and ``goalpath recommend FIXTURE``, as multiples of
  ``python -c pass``.
- **Batch** throughput of ``goalpath batch`` at 1 and 2 workers on the same cohort, in
  turn three times (a ratio per pair), and the peak resident memory of its processes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # for bigpacks.py

from bigpacks import copies  # noqa: E402

from goalpath import Engine, load_profile  # noqa: E402
from goalpath.profile import profile_from_document  # noqa: E402
from goalpath.render.json import render_json  # noqa: E402
from goalpath.render.text import render_text  # noqa: E402
from goalpath.source import read_document  # noqa: E402

FIXTURES = sorted((ROOT / "fixtures").glob("*.yaml"))
GOALPATH = [sys.executable, "-c", "from goalpath.cli import main; main()"]


def cohort(n: int, seed: int = 2026) -> list[dict[str, Any]]:
    """``n`` realistic profiles: the example profiles with audit answers and evidence flags flipped."""
    rng = random.Random(seed)
    bases = [load_profile(p).model_dump(mode="json", exclude_none=True) for p in FIXTURES]
    out = []
    while len(out) < n:
        data = json.loads(json.dumps(rng.choice(bases)))
        for key in list(data.get("audit", {})):
            if rng.random() < 0.3:
                data["audit"][key] = rng.choice(["yes", "no", "unsure"])
        for key, value in list(data.get("evidence", {}).items()):
            if isinstance(value, bool) and rng.random() < 0.3:
                data["evidence"][key] = not value
        try:
            load_profile(data)
        except Exception:
            continue
        out.append(data)
    return out


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return at(0.5), at(0.95), at(0.99)


def raw_replay(engine: Engine, profile: Any) -> Callable[[], None]:
    """A function that replays into the engine's rulesets exactly the facts one evaluation asserted."""
    rulesets = engine._session._rulesets
    calls: list[tuple[int, dict[str, Any]]] = []
    real = rulesets.session

    import contextlib

    @contextlib.contextmanager
    def recording():  # type: ignore[no-untyped-def]
        with real() as assert_into:

            def record(index: int, fact: dict[str, Any], handler: Any) -> int:
                calls.append((index, fact))
                return assert_into(index, fact, handler)

            yield record

    rulesets.session = recording  # type: ignore[method-assign]
    try:
        engine.evaluate(profile)
    finally:
        rulesets.session = real  # type: ignore[method-assign]

    def replay() -> None:
        with real() as assert_into:
            for index, fact in calls:
                assert_into(index, fact, _nothing)

    return replay


def _nothing(key: str, matched: dict[str, Any]) -> None:
    return None


def latency(engine: Engine, paths: list[Path], dicts: list[dict[str, Any]], rounds: int) -> dict[str, list[float]]:
    names = ("recommend(path)", "recommend(dict)", "evaluate(Profile)", "raw durable_rules")
    samples: dict[str, list[float]] = {name: [] for name in names}
    work = []
    for path, data in zip(paths, dicts, strict=True):
        profile = load_profile(data)
        work.append(
            (
                lambda p=path: engine.recommend(p),
                lambda d=data: engine.recommend(d),
                lambda p=profile: engine.evaluate(p),
                raw_replay(engine, profile),
            )
        )
    for _ in range(rounds):
        for calls in work:
            for name, call in zip(names, calls, strict=True):
                start = time.perf_counter()
                call()
                samples[name].append(time.perf_counter() - start)
    return samples


def split(engine: Engine, paths: list[Path], rounds: int) -> dict[str, float]:
    parts = {
        "read": 0.0,
        "validate": 0.0,
        "match": 0.0,
        "rank and explain": 0.0,
        "render text": 0.0,
        "render json": 0.0,
    }
    for _ in range(rounds):
        for path in paths:
            t0 = time.perf_counter()
            doc = read_document(path)
            t1 = time.perf_counter()
            profile = profile_from_document(doc)
            t2 = time.perf_counter()
            evaluation = engine.evaluate(profile)
            t3 = time.perf_counter()
            result = engine.result(evaluation, top=5)
            t4 = time.perf_counter()
            render_text(result, width=100, color=False)
            t5 = time.perf_counter()
            render_json(result)
            t6 = time.perf_counter()
            for name, spent in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t6 - t5), strict=True):
                parts[name] += spent
    return parts


#: The environment of the commands timed: with bytecode caching on, as an installed wheel
#: has it (PYTHONDONTWRITEBYTECODE=1, set on some machines, makes every start compile
#: goalpath's sources again: about 0.1 s more).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def walls(commands: dict[str, list[str]], repeat: int) -> dict[str, float]:
    """Median wall time of each command, run round-robin after one warm-up run each."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for rounds in range(repeat + 1):
        for name, args in commands.items():
            start = time.perf_counter()
            subprocess.run(args, cwd=ROOT, capture_output=True, check=False, env=_ENV)
            if rounds:
                samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


#: A cold ``goalpath recommend``, timed stage by stage inside one fresh interpreter.
_STAGES = """
import sys, time
marks = [("start", time.perf_counter())]
def mark(name): marks.append((name, time.perf_counter()))
import click, goalpath.cli; mark("import click and the command table")
import pydantic; from pydantic import BaseModel; mark("import pydantic")
import yaml, goalpath.source; mark("import PyYAML and the reader")
import goalpath.profile; mark("build the profile models")
import goalpath.results; mark("build the result models")
import goalpath.api, goalpath.cli.common, goalpath.render.text; mark("import the rest of goalpath")
engine = goalpath.api.Engine(); mark("load and compile the built-in pack")
result = engine.recommend(sys.argv[1], top=5); mark("read, validate, evaluate, rank")
goalpath.render.text.render_text(result); mark("render text")
for (_, a), (name, b) in zip(marks, marks[1:]):
    print(f"{name}\t{b - a}")
"""


def cold_stages(fixture: Path, repeat: int) -> dict[str, float]:
    """Median seconds of each stage of a cold recommendation, each in a fresh interpreter."""
    samples: dict[str, list[float]] = {}
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _STAGES, str(fixture)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env=_ENV,
        ).stdout
        for line in out.splitlines():
            name, spent = line.split("\t")
            samples.setdefault(name, []).append(float(spent))
    return {name: statistics.median(times) for name, times in samples.items()}


#: Runs a command and prints the peak RSS (KiB) of it and its workers. A small process of its own, because a
#: child forked from this big benchmark process would count this process's pages as its own.
_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def batch_run(source: Path, jobs: int) -> tuple[float, int]:
    """Seconds for ``goalpath batch`` over ``source``, and the peak RSS (KiB) of its largest process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, *GOALPATH, "batch", str(source), "--quiet", "--jobs", str(jobs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - start, int(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write bench/PERF.md")
    parser.add_argument("--cohort", type=int, default=200, help="generated profiles for latency")
    parser.add_argument("--batch", type=int, default=10000, help="records for the batch throughput")
    args = parser.parse_args()

    engine = Engine()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generated = cohort(args.cohort)
        paths = list(FIXTURES)
        dicts = [load_profile(p).model_dump(mode="json", exclude_none=True) for p in FIXTURES]
        for i, data in enumerate(generated):
            path = folder / f"g{i}.json"
            path.write_text(json.dumps(data), encoding="utf-8")
            paths.append(path)
            dicts.append(data)
        lat = latency(engine, paths, dicts, rounds=3)
        # One round at a time, the text-rendering ratio of each: the median of five says more on a shared
        # machine than one sum whose rounds met different loads.
        rounds = [split(engine, paths, rounds=1) for _ in range(5)]
        parts = {name: sum(r[name] for r in rounds) for name in rounds[0]}
        render_ratios = sorted(
            r["render text"] / (sum(r.values()) - r["render text"] - r["render json"]) for r in rounds
        )

        packs = []
        for k in (1, 8, 100):
            pack = copies(k, folder / f"pack{k}") if k > 1 else None
            start = time.perf_counter()
            from goalpath import load_packs

            loaded = load_packs([pack] if pack else [], builtin=pack is None)
            load_s = time.perf_counter() - start
            start = time.perf_counter()
            Engine(loaded)
            packs.append((k, len(loaded.rules), load_s, time.perf_counter() - start))

        starts = walls(
            {
                "pass": [sys.executable, "-c", "pass"],
                "help": [*GOALPATH, "--help"],
                "recommend": [*GOALPATH, "recommend", str(FIXTURES[0])],
            },
            9,
        )
        passing, help_s, cold_s = starts["pass"], starts["help"], starts["recommend"]
        stages = cold_stages(FIXTURES[0], 7)

        source = folder / "batch.jsonl"
        records = cohort(args.batch, seed=7)
        source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        # 1 and 2 workers in turn, three times: the ratio of each pair, run back to back.
        pairs = [(batch_run(source, 1), batch_run(source, 2)) for _ in range(3)]
        batch_ratios = sorted(a[0] / b[0] for a, b in pairs)
        one = statistics.median(a[0] for a, _ in pairs)
        two = statistics.median(b[0] for _, b in pairs)
        rss_one = max(a[1] for a, _ in pairs)
        rss_two = max(b[1] for _, b in pairs)

    raw = statistics.median(lat["raw durable_rules"])
    lines = [
        f"Recorded {dt.date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} CPUs), Python "
        f"{platform.python_version()}, {platform.system()}; built-in pack ({len(engine.pack.rules)} rules); "
        f"{len(FIXTURES)} example profiles and {args.cohort} generated ones, 3 interleaved rounds.",
        "",
        "| call | p50 (ms) | p95 (ms) | p99 (ms) | p50 ÷ raw durable_rules |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, samples in lat.items():
        p50, p95, p99 = percentiles(samples)
        lines.append(f"| {name} | {p50 * 1e3:.2f} | {p95 * 1e3:.2f} | {p99 * 1e3:.2f} | {p50 / raw:.2f} |")
    total = sum(parts.values())
    lines += ["", "| part of recommend(path) + rendering | share |", "|---|---:|"]
    lines += [f"| {name} | {spent / total:.0%} |" for name, spent in parts.items()]
    lines += [
        "",
        f"Text rendering ÷ read + validate + match + rank and explain, each of 5 rounds: median "
        f"{statistics.median(render_ratios):.2f} (from {render_ratios[0]:.2f} to {render_ratios[-1]:.2f})",
        "",
        "| pack | rules | load (s) | build (s) |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {k}x built-in | {n:,} | {load_s:.2f} | {build_s:.2f} |" for k, n, load_s, build_s in packs]
    lines += [
        "",
        f"- `python -c pass`: {passing * 1e3:.0f} ms; `goalpath --help`: {help_s / passing:.1f}x; "
        f"`goalpath recommend {FIXTURES[0].relative_to(ROOT)}`: {cold_s / passing:.1f}x "
        f"({help_s * 1e3:.0f} ms and {cold_s * 1e3:.0f} ms), run round-robin with bytecode cached.",
        f"- `goalpath batch` on {args.batch:,} records, 1 and 2 workers in turn, three pairs: "
        f"{args.batch / one:.0f} profiles/s with 1 worker, {args.batch / two:.0f} with 2 (medians); "
        f"2 workers ÷ 1, each pair: median {statistics.median(batch_ratios):.2f}x (from {batch_ratios[0]:.2f} "
        f"to {batch_ratios[-1]:.2f}). Peak resident memory of its largest process: "
        f"{rss_one // 1024} MiB (1 worker), {rss_two // 1024} MiB (2 workers).",
    ]
    lines += [
        "",
        "Where a cold `goalpath recommend` spends its time, stage by stage in a fresh interpreter "
        "(medians of 7), as multiples of `python -c pass`:",
        "",
        "| stage | ms | ÷ `python -c pass` |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {spent * 1e3:.0f} | {spent / passing:.1f}x |" for name, spent in stages.items()]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.record:
        target = ROOT / "bench" / "PERF.md"
        head = (
            target.read_text(encoding="utf-8").split("## Latest run", 1)[0] if target.exists() else "# Performance\n\n"
        )
        note = "Produced by `python bench/perf.py --record`; see that script for method.\n\n"
        target.write_text(f"{head}## Latest run\n\n{note}{text}", encoding="utf-8")


if __name__ == "__main__":
    main()
