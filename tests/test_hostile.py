"""The hostile-input corpus: what goalpath says to every kind of bad file, and that it
never hangs, crashes or prints a traceback.

tests/data/hostile/profiles holds profiles, checked with ``goalpath validate``;
tests/data/hostile/rules holds rule files, checked with ``goalpath rules check`` (stacked
on the built-in pack). Each case is one file, and ``NAME.out`` beside it holds what the
command printed (standard output, then standard error) and its exit code. A case's suffix
says how it is given to the command:

- ``.yaml``, ``.json``: the file itself;
- ``.make``: a recipe, YAML data of ``head``, ``repeat`` (``{n}`` is the repetition's
  number, from 1), ``times`` and ``tail``, for inputs too big to keep in the repository;
  with ``stdin: true`` the text goes to standard input;
- ``.stdin``: the file's bytes on standard input (the argument is ``-``);
- ``.link``: a symbolic link to the path the file names (a device);
- ``.fifo``: a named pipe that nobody writes to; ``.dir``: a directory;
  ``.missing``: a path where there is nothing.

Each runs in its own process, as a user would run it, with a time limit and a memory
limit, so a hang or a runaway allocation fails the case rather than the machine. Adding a
case adds no Python: write it, run ``GOALPATH_UPDATE_GOLDEN=1 python -m pytest
tests/test_hostile.py``, and read the new ``.out`` file before committing it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path("tests") / "data" / "hostile"
UPDATE = os.environ.get("GOALPATH_UPDATE_GOLDEN") == "1"
COMMANDS = {"profiles": ["validate"], "rules": ["rules", "check"]}
#: Far above any case's need (a valid 10,000-rule pack needs about 500 MiB) and far below a runaway read.
MEMORY_LIMIT = 2 * 1024**3
TIME_LIMIT = 60
CASES = sorted(
    (kind, case.name) for kind in COMMANDS for case in (ROOT / CORPUS / kind).iterdir() if case.suffix != ".out"
)


def _limits() -> None:  # runs in the child, before goalpath starts
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _materialise(case: Path, tmp: Path) -> tuple[str, bytes | None]:
    """The argument to give the command for ``case``, and what to send to standard input."""
    stem = tmp / (case.stem + ".yaml")
    if case.suffix in (".yaml", ".json"):
        return str(case.relative_to(ROOT)), None
    if case.suffix == ".stdin":
        return "-", case.read_bytes()
    if case.suffix == ".make":
        recipe = yaml.safe_load(case.read_text(encoding="utf-8"))
        body = "".join(recipe["repeat"].replace("{n}", str(n)) for n in range(1, recipe["times"] + 1))
        text = (recipe["head"] + body + recipe["tail"]).encode("utf-8")
        if recipe.get("stdin"):
            return "-", text
        stem.write_bytes(text)
        return str(stem), None
    if case.suffix == ".link":
        target = case.read_text(encoding="utf-8").strip()
        if not os.path.exists(target):
            pytest.skip(f"this machine has no {target}")
        stem.symlink_to(target)
        return str(stem), None
    if case.suffix == ".fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes here")
        os.mkfifo(stem)
        return str(stem), None
    if case.suffix == ".dir":
        stem.mkdir()
        return str(stem), None
    if case.suffix == ".missing":
        return str(stem), None
    raise AssertionError(f"{case}: no such kind of case")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="devices, pipes and limits as on Linux")
@pytest.mark.parametrize(("kind", "name"), CASES, ids=[f"{k}/{n}" for k, n in CASES])
def test_hostile_input_gets_its_clear_error(kind: str, name: str, tmp_path: Path) -> None:
    case = ROOT / CORPUS / kind / name
    argument, stdin = _materialise(case, tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("GOALPATH_RULES", "NO_COLOR", "FORCE_COLOR")}
    env["COLUMNS"] = "100"
    done = subprocess.run(
        [sys.executable, "-c", "from goalpath.cli import main; main()", *COMMANDS[kind], argument],
        cwd=ROOT,
        env=env,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=TIME_LIMIT,  # a hang fails here
        preexec_fn=_limits,
    )
    stdout = done.stdout.decode("utf-8", "backslashreplace")
    stderr = done.stderr.decode("utf-8", "backslashreplace")
    assert "Traceback" not in stderr, stderr
    assert done.returncode in (0, 1, 2), f"exit {done.returncode}: {stderr}"
    text = (stdout + stderr).replace(str(tmp_path), "<tmp>") + f"[exit {done.returncode}]\n"
    golden = case.with_name(case.name + ".out")
    if UPDATE:
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}: run with GOALPATH_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"output differs from {golden}"
