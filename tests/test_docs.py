"""The profile field reference: generated from the model, complete, and its examples valid."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import goalpath
from goalpath import Profile, load_profile
from goalpath.fields import FieldSpec, profile_fields
from goalpath.profile import describe_fields

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "profile_reference.py"
PAGE = ROOT / "docs" / "profile.md"
REGENERATE = "python docs/profile_reference.py > docs/profile.md"


def _all_paths(specs: dict[str, FieldSpec], prefix: str = "", computed: bool = False) -> list[str]:
    """Every stored (or computed) field path, list items' fields written as ``list[].field``."""
    paths = []
    for name, spec in specs.items():
        if spec.computed == computed:
            paths.append(prefix + name)
        if spec.item_fields:
            paths.extend(_all_paths(spec.item_fields, f"{prefix}{name}[].", computed))
    return paths


PATHS = _all_paths(profile_fields())
COMPUTED = _all_paths(profile_fields(), computed=True)


def test_page_is_the_scripts_output() -> None:
    result = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert PAGE.read_bytes() == result.stdout, f"docs/profile.md is stale: run {REGENERATE}"


def test_every_field_is_on_the_page() -> None:
    page = PAGE.read_text(encoding="utf-8")
    # A top-level group is a section heading; every other field is a table row.
    missing = [p for p in PATHS if f"| `{p}` |" not in page and f"\n## {p}\n" not in page]
    assert not missing, f"not in docs/profile.md: {missing}; run {REGENERATE}"


def test_paths_reach_list_items_and_nested_groups() -> None:
    # Guards the walk above: it must see inside lists and nested groups, not only the top.
    assert {"goal.checkpoints[].due", "evidence.stretch_project.measured_result", "support[].role"} <= set(PATHS)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _model_in(arg)) is not None:
            return found
    return None


def _field(path: str) -> FieldInfo:
    """The pydantic field behind ``path``, walked from Profile without the script's help (but described)."""
    describe_fields()
    model: Any = Profile
    for part in path.split("."):
        info = model.model_fields[part.removesuffix("[]")]
        model = _model_in(info.annotation)
    return info


@pytest.mark.parametrize("path", COMPUTED)
def test_every_computed_field_is_described_on_the_page(path: str) -> None:
    *head, last = path.split(".")
    model: Any = _model_in(_field(".".join(head)).annotation) if head else Profile
    assert (getattr(model, last).__doc__ or "").strip(), f"{path} needs a docstring in engine/goalpath/profile.py"
    assert f"| `{path}` |" in PAGE.read_text(encoding="utf-8"), f"{path} is not in docs/profile.md: run {REGENERATE}"


def test_computed_fields_are_found() -> None:
    assert {"goal.months_left", "evidence.languages[].levels_short"} <= set(COMPUTED)


@pytest.mark.parametrize("path", PATHS)
def test_every_field_has_a_description(path: str) -> None:
    description = _field(path).description
    assert description and description.strip(), (
        f"{path} has no description: add a docstring under the field in engine/goalpath/profile.py"
    )


@pytest.mark.parametrize("path", sorted((ROOT / "fixtures").glob("*.yaml")), ids=lambda p: p.name)
def test_example_profile_loads(path: Path) -> None:
    load_profile(path)


def test_example_profiles_are_found() -> None:
    assert len(list((ROOT / "fixtures").glob("*.yaml"))) >= 10


def test_profile_on_the_page_loads(tmp_path: Path) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S)
    assert blocks, "docs/profile.md has no example profile"
    for number, block in enumerate(blocks):
        path = tmp_path / f"example{number}.yaml"
        path.write_text(block, encoding="utf-8")
        load_profile(path)


def _console_blocks() -> list[list[tuple[str, list[str]]]]:
    """Each ```console block of the README as (command, the output shown under it) pairs."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = []
    for block in re.findall(r"```console\n(.*?)```", readme, re.S):
        runs: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                runs.append((line[2:], []))
            elif runs:
                runs[-1][1].append(line)
        blocks.append(runs)
    return blocks


@pytest.mark.parametrize("block", _console_blocks(), ids=lambda b: b[0][0].split()[1])
def test_readme_console_blocks_show_real_output(block, tmp_path: Path) -> None:
    """Every command the README shows runs as written, and prints what the README shows."""
    import shlex

    (tmp_path / "fixtures").symlink_to(ROOT / "fixtures")
    env = {**os.environ, "PYTHONPATH": str(Path(goalpath.__file__).resolve().parents[1]), "NO_COLOR": "1"}
    for command, shown in block:
        args = shlex.split(command)
        assert args[0] == "goalpath"
        run = subprocess.run(
            [sys.executable, "-m", "goalpath", *args[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, f"{command}: {run.stderr}"
        expected = shown[:-1] if shown and shown[-1] == "..." else shown
        assert run.stdout.splitlines()[: len(expected)] == expected, command


def test_shell_completion_script_is_printed() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(goalpath.__file__).resolve().parents[1]),
        "_GOALPATH_COMPLETE": "bash_source",
    }
    run = subprocess.run(
        [sys.executable, "-c", "from goalpath.cli import cli; cli(prog_name='goalpath')"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "_GOALPATH_COMPLETE" in run.stdout and "complete" in run.stdout
