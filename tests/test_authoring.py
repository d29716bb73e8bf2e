"""docs/authoring.md is a walk-through a coach follows word for word, so it is run here as
written: each ```yaml block headed ``# file: PATH`` is written to PATH, and each
```console command runs in that folder and must print what the guide shows (up to a
``...`` line). After a deliberate change of output, rewrite the shown output with
``GOALPATH_UPDATE_GOLDEN=1 python -m pytest tests/test_authoring.py`` and read the diff.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import goalpath
from goalpath.packs.diagnostics import CODES

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "authoring.md"
UPDATE = os.environ.get("GOALPATH_UPDATE_GOLDEN") == "1"
BLOCK = re.compile(r"```(yaml|console)\n(.*?)```", re.S)
TABLE_START = "| code | meaning |\n|---|---|\n"


def _run(command: str, cwd: Path) -> str:
    args = shlex.split(command)
    assert args[0] == "goalpath", f"the guide runs only goalpath commands: {command}"
    env = {k: v for k, v in os.environ.items() if k != "GOALPATH_RULES"}
    env.update({"PYTHONPATH": str(Path(goalpath.__file__).resolve().parents[1]), "NO_COLOR": "1"})
    run = subprocess.run(
        [sys.executable, "-m", "goalpath", *args[1:]], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode in (0, 1), f"{command}: {run.stderr}"
    return run.stdout


def _console(block: str, cwd: Path, problems: list[str]) -> str:
    """Run a console block's commands; return the block with their real output."""
    runs: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            runs.append((line[2:], []))
        else:
            runs[-1][1].append(line)
    out = []
    for command, shown in runs:
        actual = _run(command, cwd).splitlines()
        cut = bool(shown) and shown[-1] == "..."
        expected = shown[:-1] if cut else shown
        got = actual[: len(expected)] if cut else actual
        if got != expected:
            problems.append(f"$ {command}\n  shown:  {expected}\n  actual: {got}")
        keep = len(expected) if expected else len(actual)  # a bare "..." (a new command) shows it all
        out += [f"$ {command}", *(actual[:keep] + ["..."] if cut else actual)]
    return "\n".join(out) + "\n"


def test_the_guide_runs_as_written(tmp_path: Path) -> None:
    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    text = GUIDE.read_text(encoding="utf-8")
    problems: list[str] = []
    written: list[str] = []

    def step(match: re.Match[str]) -> str:
        kind, body = match.group(1), match.group(2)
        if kind == "yaml":
            first = body.split("\n", 1)[0]
            if first.startswith("# file: "):
                path = tmp_path / first.removeprefix("# file: ")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(body, encoding="utf-8")
                written.append(first)
            return match.group(0)
        return f"```console\n{_console(body, tmp_path, problems)}```"

    rewritten = BLOCK.sub(step, text)
    assert written, "the guide writes no files"
    if UPDATE:
        GUIDE.write_text(rewritten, encoding="utf-8")
        return
    assert not problems, "docs/authoring.md shows output the commands no longer print:\n" + "\n".join(problems)


def test_the_guide_lists_every_problem_code() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    table = "".join(f"| `{code}` | {meaning} |\n" for code, meaning in CODES.items())
    start = text.index(TABLE_START) + len(TABLE_START)
    if UPDATE:
        GUIDE.write_text(text[:start] + table, encoding="utf-8")
        return
    assert text[start:] == table, "the problem codes table is stale: run with GOALPATH_UPDATE_GOLDEN=1"


def test_the_finished_example_pack_is_what_the_guide_points_to() -> None:
    assert "fixtures/packs/nurses-abroad" in GUIDE.read_text(encoding="utf-8")
    assert (ROOT / "fixtures" / "packs" / "nurses-abroad" / "pack.yaml").is_file()
