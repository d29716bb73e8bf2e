"""The library's shape: what importing it pulls in, where durable lives, what it exports."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import goalpath

PACKAGE = Path(goalpath.__file__).resolve().parent
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _modules_after(statement: str) -> set[str]:
    """Top-level module names in sys.modules after running ``statement`` in a fresh python."""
    engine = str(PACKAGE.parent)
    paths = [engine] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
    )
    assert result.returncode == 0, result.stderr
    return {name.split(".")[0] for name in json.loads(result.stdout)}


def test_sources_are_found() -> None:
    # Guards the scans below against silently scanning nothing.
    assert {"__init__.py", "cli/__init__.py", "durable_engine.py", "loader/reader.py"} <= {
        p.relative_to(PACKAGE).as_posix() for p in SOURCES
    }


def test_importing_the_library_does_not_import_click() -> None:
    loaded = _modules_after("import goalpath")
    assert "goalpath" in loaded
    assert "click" not in loaded


def test_importing_the_cli_does_import_click() -> None:
    # The check above can fail: the same probe sees click when the CLI is imported.
    assert "click" in _modules_after("import goalpath.cli")


def test_only_durable_engine_imports_durable() -> None:
    pattern = re.compile(r"\b(?:import\s+durable\w*|from\s+durable\w*)\b")
    importers = sorted(
        p.relative_to(PACKAGE).as_posix() for p in SOURCES if pattern.search(p.read_text(encoding="utf-8"))
    )
    assert importers == ["durable_engine.py"]


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        (
            "click",
            [
                "cli/__init__.py",
                "cli/common.py",
                "cli/recommend.py",
                "cli/explain.py",
                "cli/plan.py",
                "cli/start.py",
                "cli/batch.py",
                "cli/review.py",
                "cli/check.py",
                "cli/rules.py",
            ],
        ),
    ],
)
def test_only_the_command_line_imports_click(library: str, allowed: list[str]) -> None:
    pattern = re.compile(rf"^\s*(?:import\s+{library}\b|from\s+{library}\b)", re.MULTILINE)
    importers = [p.relative_to(PACKAGE).as_posix() for p in SOURCES if pattern.search(p.read_text(encoding="utf-8"))]
    assert importers and set(importers) <= set(allowed)


def test_all_names_resolve_and_are_unique() -> None:
    names = goalpath.__all__
    assert len(names) == len(set(names))
    missing = [name for name in names if not hasattr(goalpath, name)]
    assert missing == []
    assert {"Engine", "GoalpathError", "ProfileError", "RulesError", "load_profile", "load_rules", "recommend"} <= set(
        names
    )


def test_star_import_gives_exactly_all() -> None:
    namespace: dict = {}
    exec("from goalpath import *", namespace)
    assert sorted(k for k in namespace if k != "__builtins__") == sorted(goalpath.__all__)


def test_errors_share_one_root() -> None:
    assert issubclass(goalpath.ProfileError, goalpath.GoalpathError)
    assert issubclass(goalpath.RulesError, goalpath.GoalpathError)


def test_package_ships_py_typed() -> None:
    assert (PACKAGE / "py.typed").is_file()


def test_every_public_name_is_importable_and_listed() -> None:
    import goalpath

    assert sorted(goalpath.__all__) == sorted(goalpath._PUBLIC)
    for name in goalpath.__all__:
        assert getattr(goalpath, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        goalpath.nothing  # noqa: B018
