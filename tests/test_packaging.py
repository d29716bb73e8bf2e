"""The wheel: it ships the built-in rules and py.typed, and runs from another directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("goalpath-*.whl")
    return built


def test_wheel_ships_the_rule_pack_and_type_marker(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n.split("/", 2)[2] for n in names if n.startswith("goalpath/rules/")}
    assert shipped == {p.name for p in (ROOT / "rules").glob("*.yaml")} | (
        {"README.md"} if (ROOT / "rules" / "README.md").exists() else set()
    )
    assert "goalpath/py.typed" in names
    assert not any(n.startswith(("tests/", "fixtures/")) for n in names)


def test_installed_wheel_finds_its_rules_from_another_directory(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import goalpath, goalpath.loader as l; print(goalpath.__file__); print(l.builtin_rules_path())",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, rules_dir = probe.stdout.split()
    assert module_file.startswith(str(target)) and rules_dir == str(target / "goalpath" / "rules")
    run = subprocess.run(
        [sys.executable, "-m", "goalpath", "recommend", str(ROOT / "fixtures" / "promotion-early.yaml"), "--top", "1"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("goalpath — next actions for Priya Raman\n")
    assert "(goalpath pack, rule ladder-next-stretch-choose)" in " ".join(run.stdout.split())
    assert "site-packages" not in run.stdout  # a rule reads as its pack and id, not a path
