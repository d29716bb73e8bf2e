"""Loading and checking rule packs: YAML files in, a fully checked :class:`RulePack` out.

Every problem in every file of every pack is collected, sorted by place, and raised once
as a :class:`RulesError` (or returned, by :func:`check`, with the warnings). Conditions
are checked against the profile schema here, so a misspelt field or a value of the wrong
kind never reaches the engine. Three parts: :mod:`.reader` reads one file,
:mod:`.assemble` stacks packs and applies layering, :mod:`.strata` orders negation.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from .. import gcpause
from ..errors import GoalpathError, Problem, RulesError
from ..rules import RulePack
from .assemble import MANIFEST, Layer, assemble, discover
from .checks import warnings
from .strata import fact_dependencies

__all__ = [
    "ENV",
    "MANIFEST",
    "builtin_rules_path",
    "check",
    "fact_dependencies",
    "load_packs",
    "load_rules",
    "pack_paths",
    "sources",
]

#: The path variable naming packs to stack on the built-in one (separated like PATH).
ENV = "GOALPATH_RULES"


def builtin_rules_path() -> Path:
    """The built-in rule pack: inside the installed package, else the source checkout."""
    packaged = Path(str(resources.files("goalpath"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def _builtin_layer() -> Layer:
    root = builtin_rules_path()
    if not any(root.glob("*.yaml")):
        raise RulesError.single(str(root), "empty-pack", "the built-in rule pack is missing")
    layer = discover(root, "rules")
    layer.builtin = True
    return layer


def pack_paths(given: Sequence[str | Path] = (), *, environment: bool = True) -> list[str | Path]:
    """The packs to stack on the built-in one: those in $GOALPATH_RULES, then those ``given``."""
    from_env = [p for p in os.environ.get(ENV, "").split(os.pathsep) if p] if environment else []
    return [*from_env, *given]


def _layers(paths: Sequence[str | Path], builtin: bool, problems: list[Problem]) -> list[Layer]:
    layers = [_builtin_layer()] if builtin else []
    for given in paths:
        try:
            layers.append(discover(given))
        except GoalpathError as exc:
            problems.extend(exc.problems)
    return layers


def _version() -> str:
    from .. import __version__

    return __version__


def load_packs(paths: Sequence[str | Path] = (), *, builtin: bool = True) -> RulePack:
    """Load packs stacked in order, the built-in pack at the bottom unless ``builtin`` is False.

    Raises:
        RulesError: every error found in every file of every pack, in file order.
    """
    problems: list[Problem] = []
    with gcpause.paused():
        layers = _layers(paths, builtin, problems)
        if not layers and not problems:
            raise RulesError.single("rules", "empty-pack", "no rule pack to load (the built-in pack was left out)")
        pack = assemble(layers, problems, _version())
    errors = [p for p in problems if p.severity == "error"]
    if errors or pack is None:
        raise RulesError(errors)
    return pack


def load_rules(paths: Sequence[str | Path] | None = None) -> RulePack:
    """Load one pack from files and/or directories, or the built-in pack when none are given.

    The files form one pack in the order given (a directory in file-name order); to stack
    packs on the built-in one, use :func:`load_packs`.

    Raises:
        RulesError: every problem found in every file, in file order.
    """
    if not paths:
        return load_packs()
    problems: list[Problem] = []
    layers: list[Layer] = []
    for given in paths:
        try:
            layer = discover(given)
        except GoalpathError as exc:
            problems.extend(exc.problems)
            continue
        if layers and layer.manifest is None:
            layers[0].files += layer.files  # plain files and directories make up one pack
        else:
            layers.append(layer)
    if not layers:
        raise RulesError(problems)
    pack = assemble(layers, problems, _version())
    errors = [p for p in problems if p.severity == "error"]
    if errors or pack is None:
        raise RulesError(errors)
    return pack


def sources(paths: Sequence[str | Path] = (), *, builtin: bool = True) -> dict[str, Path]:
    """Each file of a stack of packs, by the name problems give it: to show a problem's line."""
    found: dict[str, Path] = {}
    for layer in _layers(paths, builtin, []):
        if layer.manifest is not None:
            found[layer.manifest.file] = layer.root / MANIFEST
        found.update((label, path) for path, label in layer.files)
    return found


def check(paths: Sequence[str | Path] = (), *, builtin: bool = True) -> list[Problem]:
    """Every problem in a stack of packs, errors and warnings, sorted by file and line.

    Nothing is raised for bad rules: a pack with no problem gives an empty list.
    """
    problems: list[Problem] = []
    layers = _layers(paths, builtin, problems)
    pack = assemble(layers, problems, _version()) if layers else None
    if pack is not None:
        problems += warnings(pack, layers)
    return sorted(set(problems))
