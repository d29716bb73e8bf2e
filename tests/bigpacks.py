"""Big rule packs of the built-in pack's shape, for the scale tests and the benchmark.

``copies(n, folder)`` writes the built-in pack ``n`` times over into ``folder``: the
first copy as it is, each later one with every rule, action, fact and framework renamed
(``-c2``, ``.c2``, `` (c2)``), so the copies never clash and each fires exactly as the
original does. ``renamed(name, k)`` gives an id's name in copy ``k``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from goalpath.loader import builtin_rules_path, load_packs
from goalpath.source import read_document

_PACK = load_packs()
_IDS = {r.id for r in _PACK.rules} | {a.id for a in _PACK.actions} | {r.id for r in _PACK.retired}
_FACTS = {f.name for f in _PACK.facts}
_FRAMEWORKS = {a.step.framework for a in _PACK.actions if a.step} | {f.name for f in _PACK.frameworks}
#: Keys whose string values are names of the pack, not text or profile fields.
_NAMING_KEYS = {
    "id", "name", "fact", "derive", "recommend", "action", "boost", "suppress", "hold",
    "open", "successor", "rule", "framework",
}  # fmt: skip


def renamed(name: str, k: int) -> str:
    """The name of a rule, action, fact or framework in copy ``k`` (copy 1 keeps it)."""
    if k == 1:
        return name
    if name in _FACTS:
        return f"{name}.c{k}"
    if name in _FRAMEWORKS:
        return f"{name} (c{k})"
    return f"{name}-c{k}"


def _rename(data: Any, k: int, key: str | None = None) -> Any:
    if isinstance(data, dict):
        return {name: _rename(value, k, name) for name, value in data.items()}
    if isinstance(data, list):
        return [_rename(item, k, key) for item in data]
    if isinstance(data, str) and key in _NAMING_KEYS and (data in _IDS or data in _FACTS or data in _FRAMEWORKS):
        return renamed(data, k)
    return data


def copies(n: int, folder: Path) -> Path:
    """Write ``n`` copies of the built-in pack's rule files into ``folder`` (one pack)."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(builtin_rules_path().glob("*.yaml")):
        if source.name == "pack.yaml":
            continue
        data = read_document(source).data  # YAML 1.2, as goalpath reads it
        for k in range(1, n + 1):
            text = yaml.safe_dump(_rename(data, k), allow_unicode=True, sort_keys=False, width=1000)
            (folder / f"c{k:03d}-{source.name}").write_text(text, encoding="utf-8")
    (folder / "pack.yaml").write_text(f'name: big-{n}\nversion: "1"\n', encoding="utf-8")
    return folder


def rules_per_copy() -> int:
    return len(_PACK.rules)
