"""Pack assembly: which files make a pack, how packs stack, and what layering may do.

A pack is a directory of rule files, with a manifest (``pack.yaml``: name, version,
author, description, the packs it builds on, the least goalpath version it needs), or a
single rule file. Packs stack, lowest first: the built-in pack, then each pack given.
A pack may add facts, actions, frameworks and rules, and may change those of a lower
pack only by id and explicitly:

* ``overrides: {rules: [...], actions: [...]}``: a rule given in full replaces the lower
  rule of the same id (keeping its place); an action's given fields replace the lower
  action's;
* ``disable: {rules: [ids], actions: [ids]}``: the rule is dropped; the action is never
  recommended (every effect aimed at it is dropped, and a rule left with no effect too);
* ``reweight: [{action: ID, impact: N, effort: E}, {rule: ID, impact: N}]``: an action's
  weights, or the impact a rule gives the actions it recommends.

Defining an id that a lower pack defines, without one of these, is an error naming both
places: never a silent shadow.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..compiler import rule_problems
from ..errors import GoalpathError, Problem
from ..rules import Adjust, Change, Hold, PackLayer, Recommend, Rule, RulePack
from ..source import Document, read_bytes, read_document
from .reader import Reader, Symbols, _hint
from .strata import stratify

MANIFEST = "pack.yaml"
_MANIFEST_KEYS = ("name", "version", "author", "description", "builds_on", "goalpath", "tests")


@dataclass
class Layer:
    """One pack of the stack: where it is, its manifest, and its rule files."""

    name: str
    root: Path
    label: str  # how the pack's place is named in problems
    files: list[tuple[Path, str]]  # (path, label) of each rule file, in name order
    manifest: Document | None = None
    version: str | None = None
    author: str | None = None
    description: str | None = None
    builds_on: list[str] = field(default_factory=list)
    goalpath: str | None = None
    builtin: bool = False  # goalpath's own pack


def discover(given: str | Path, label: str | None = None) -> Layer:
    """The pack at ``given``: a directory (with or without a manifest) or one rule file.

    Raises:
        GoalpathError: there is nothing there to read.
    """
    path = Path(given)
    name_label = label or str(given)
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file() and p.name != MANIFEST
        )
        manifest = path / MANIFEST
        if not files and not manifest.is_file():
            raise GoalpathError.single(name_label, "empty-pack", "the directory holds no .yaml rule files")
        layer = Layer(path.name, path, name_label, [(p, str(Path(name_label) / p.name)) for p in files])
        if manifest.is_file():
            layer.manifest = read_document(manifest, str(Path(name_label) / MANIFEST))
        return layer
    return Layer(path.stem, path, name_label, [(path, name_label)])


def assemble(layers: list[Layer], problems: list[Problem], version: str) -> RulePack | None:
    """Read every layer, lowest first, into one checked pack (None if any problem was found)."""
    symbols = Symbols()
    changes: list[Change] = []
    order: list[str] = []  # rule ids in pack order
    infos: list[PackLayer] = []
    files: list[str] = []
    seen_packs: dict[str, str] = {}
    for layer in layers:
        docs = _read_files(layer, problems)
        if layer.manifest is None:  # an older pack names itself in a file's 'pack:' section
            for doc in docs:
                meta = doc.data.get("pack") if isinstance(doc.data, dict) else None
                if isinstance(meta, dict) and isinstance(meta.get("name"), str):
                    layer.name = meta["name"]
                    layer.version = meta.get("version") if isinstance(meta.get("version"), str) else None
                    break
        reader = Reader(symbols, problems, layer.name)
        if layer.manifest is not None:
            _read_manifest(layer, reader, seen_packs, version)
        if layer.name in seen_packs:  # the same pack twice: its every id would clash, so it is left out
            where = (
                (layer.manifest.file, *layer.manifest.position(("name",))) if layer.manifest else (layer.label, 0, 0)
            )
            problems.append(
                Problem(
                    *where,
                    "duplicate-pack",
                    f"pack '{layer.name}' is already in the stack, from {seen_packs[layer.name]}; "
                    "each pack is stacked once, under its own name",
                )
            )
            continue
        seen_packs[layer.name] = "the built-in pack" if layer.builtin else layer.label
        good = [doc for doc in docs if reader.check_file(doc)]
        for doc in good:
            for path, item in reader.items(doc, "facts"):
                reader.read_fact_type(doc, path, item)
        for doc in good:
            for path, item in reader.items(doc, "actions"):
                reader.read_action(doc, path, item)
        for doc in good:
            for path, item in reader.items(doc, "frameworks"):
                reader.read_framework(doc, path, item)
        for doc in good:
            for path, item in reader.items(doc, "rules"):
                rule = reader.read_rule(doc, path, item)
                if rule is not None:
                    symbols.rules[rule.id] = rule
                    order.append(rule.id)
        for doc in good:
            _layering(doc, reader, symbols, order, changes)
        for doc in good:
            for path, item in reader.items(doc, "retired"):
                reader.read_retired(doc, path, item)
        files += [d.file for d in docs]
        infos.append(_layer_info(layer))
    rules = [symbols.rules[rule_id] for rule_id in order]
    if not rules and not problems:
        problems.append(Problem(", ".join(files) or "rules", 0, 0, "empty-pack", "the pack has no rules"))
    strata = stratify(rules, problems)
    problems += rule_problems(rules, strata)
    if any(p.severity == "error" for p in problems):
        return None
    return RulePack(
        files=tuple(files),
        facts=tuple(symbols.fact_types.values()),
        actions=tuple(symbols.actions.values()),
        rules=tuple(rules),
        retired=tuple(symbols.retired.values()),
        frameworks=tuple(symbols.frameworks.values()),
        name=layers[-1].name if layers else "rules",
        version=layers[-1].version if layers else None,
        layers=tuple(infos),
        changes=tuple(changes),
        strata=strata,
    )


def _read_files(layer: Layer, problems: list[Problem]) -> list[Document]:
    docs = []
    for path, label in layer.files:
        try:
            docs.append(read_document(path, label))
        except GoalpathError as exc:
            problems.extend(exc.problems)
    return docs


def _read_manifest(layer: Layer, reader: Reader, seen: dict[str, str], version: str) -> None:
    doc = layer.manifest
    if doc is None:  # pragma: no cover - called only for a layer with a manifest
        return
    data = reader.mapping(doc, (), doc.data, _MANIFEST_KEYS, "a pack manifest")
    if data is None:
        return
    for key in ("name", "version"):
        if key not in data:
            reader.fail(doc, (), "missing-key", f"a pack manifest needs '{key}'")
    texts = {key: reader.text(doc, (), data, key, "a pack manifest", required=False) for key in _MANIFEST_KEYS[:4]}
    if texts["name"]:
        layer.name = texts["name"]
        reader.pack = layer.name
    layer.version, layer.author, layer.description = texts["version"], texts["author"], texts["description"]
    builds_on = data.get("builds_on", [])
    if not isinstance(builds_on, list) or not all(isinstance(b, str) for b in builds_on):
        reader.fail(doc, ("builds_on",), "invalid-value", "'builds_on' must be a list of pack names")
    else:
        for i, name in enumerate(builds_on):
            if name not in seen:
                below = ", ".join(seen) or "none"
                reader.fail(
                    doc,
                    ("builds_on", i),
                    "missing-pack",
                    f"pack '{layer.name}' builds on '{name}', which is not below it in the stack "
                    f"(below it: {below}){_hint(name, seen)}",
                )
        layer.builds_on = list(builds_on)
    reader.text(doc, (), data, "tests", "a pack manifest", required=False)
    needed = data.get("goalpath")
    if needed is not None:
        wanted = str(needed).removeprefix(">=").strip()
        if not _version_ok(wanted):
            reader.fail(
                doc, ("goalpath",), "invalid-value", f"'goalpath' must be a version such as '>=0.1', got {needed!r}"
            )
        elif _as_tuple(version) < _as_tuple(wanted):
            reader.fail(
                doc,
                ("goalpath",),
                "goalpath-too-old",
                f"pack '{layer.name}' needs goalpath {wanted} or later; this is {version}",
            )
        layer.goalpath = wanted


def _version_ok(text: str) -> bool:
    return bool(text) and all(part.isdigit() for part in text.split("."))


def _as_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def _layer_info(layer: Layer) -> PackLayer:
    """The layer as a result records it: name, version and a hash of its files' content."""
    digest = hashlib.sha256()
    sources = ([layer.manifest.file] if layer.manifest else []) + [label for _, label in layer.files]
    paths = ([layer.root / MANIFEST] if layer.manifest else []) + [path for path, _ in layer.files]
    for label, path in sorted(zip(sources, paths, strict=True)):
        digest.update(Path(label).name.encode("utf-8") + b"\0")
        try:
            digest.update(read_bytes(path, label))  # bounded, and only ever a regular file
        except GoalpathError:
            pass  # reported where the file is read
        digest.update(b"\0")
    return PackLayer(layer.name, layer.version, tuple(label for _, label in layer.files), digest.hexdigest()[:16])


# -- layering ----------------------------------------------------------------------------
def _change(
    reader: Reader,
    doc: Document,
    path: tuple,
    symbols: Symbols,
    kind: str,
    target: str,
    how: str,
    fields: tuple[str, ...] = ("*",),
    affected: tuple[str, ...] = (),
) -> Change:
    original, original_pack = symbols.where[(kind, target)]
    at = reader.loc(doc, path)
    return Change(kind, target, how, at, reader.pack, original, original_pack, fields, affected)  # type: ignore[arg-type]


def _layering(doc: Document, reader: Reader, symbols: Symbols, order: list[str], changes: list[Change]) -> None:
    """Apply one file's overrides, disable and reweight sections to the packs below it."""
    data = doc.data
    if not isinstance(data, dict):
        return
    if "overrides" in data:
        section = reader.mapping(doc, ("overrides",), data["overrides"], ("rules", "actions"), "'overrides'")
        for kind in ("actions", "rules"):
            for i, item in enumerate(_list(reader, doc, ("overrides", kind), (section or {}).get(kind))):
                path = ("overrides", kind, i)
                target = _lower(
                    reader,
                    doc,
                    path + ("id",),
                    symbols,
                    kind[:-1],
                    item.get("id") if isinstance(item, dict) else None,
                    "override",
                )
                if target is None:
                    continue
                if kind == "actions":
                    reader.read_action(doc, path, item, replacing=symbols.actions[target])
                else:
                    rule = reader.read_rule(doc, path, item, claim=False)
                    if rule is None:
                        continue
                    symbols.rules[rule.id] = rule
                given = tuple(sorted(k for k in item if k != "id")) if kind == "actions" else ("*",)
                changes.append(_change(reader, doc, path, symbols, kind[:-1], target, "overridden", given))
    if "disable" in data:
        section = reader.mapping(doc, ("disable",), data["disable"], ("rules", "actions"), "'disable'")
        for kind in ("rules", "actions"):
            for i, given in enumerate(_list(reader, doc, ("disable", kind), (section or {}).get(kind))):
                path = ("disable", kind, i)
                target = _lower(reader, doc, path, symbols, kind[:-1], given, "disable")
                if target is None:
                    continue
                affected: tuple[str, ...] = ()
                if kind == "rules":
                    del symbols.rules[target]
                    order.remove(target)
                else:
                    del symbols.actions[target]
                    symbols.actions_changed()
                    affected = _drop_action(target, symbols, order)
                changes.append(_change(reader, doc, path, symbols, kind[:-1], target, "disabled", ("*",), affected))
    for i, item in enumerate(_list(reader, doc, ("reweight",), data.get("reweight"))):
        change = _reweight(doc, ("reweight", i), item, reader, symbols)
        if change is not None:
            changes.append(change)


def _list(reader: Reader, doc: Document, path: tuple, value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        reader.fail(doc, path, "invalid-value", f"'{path[-1]}' must be a list")
        return []
    return value


def _lower(
    reader: Reader, doc: Document, path: tuple, symbols: Symbols, kind: str, target: Any, verb: str
) -> str | None:
    """``target``, if it is a rule or action of a pack below this one (else None, and a located problem)."""
    table = symbols.rules if kind == "rule" else symbols.actions
    if not isinstance(target, str) or target not in table:
        shown = target if isinstance(target, str) else "nothing"
        gone = symbols.where.get((kind, shown)) if isinstance(target, str) else None
        why = (
            f"it was disabled (it is defined at {gone[0]})"
            if gone
            else f"no pack below defines it{_hint(shown, table)}"
        )
        reader.fail(doc, path, "unknown-id", f"cannot {verb} {kind} '{shown}': {why}")
        return None
    owner = symbols.pack_of(kind, target)
    if owner == reader.pack:
        reader.fail(
            doc,
            path,
            "invalid-value",
            f"{kind} '{target}' is defined in this same pack: change it there instead of with '{verb}'",
        )
        return None
    return target


def _drop_action(action_id: str, symbols: Symbols, order: list[str]) -> tuple[str, ...]:
    """A disabled action: every effect aimed at it goes, and so does a rule left with none.

    Returns the ids of the rules that lost an effect.
    """
    affected = []
    for rule_id in list(order):
        rule = symbols.rules[rule_id]
        kept = tuple(e for e in rule.then if not (isinstance(e, (Recommend, Adjust, Hold)) and e.action == action_id))
        if len(kept) == len(rule.then):
            continue
        affected.append(rule_id)
        if kept:
            symbols.rules[rule_id] = replace(rule, then=kept)
        else:
            del symbols.rules[rule_id]
            order.remove(rule_id)
    return tuple(affected)


def _reweight(doc: Document, path: tuple, item: Any, reader: Reader, symbols: Symbols) -> Change | None:
    data = reader.mapping(
        doc, path, item, ("action", "rule", "impact", "effort", "lead_time_months", "tier"), "a reweight"
    )
    if data is None:
        return None
    if ("action" in data) == ("rule" in data):
        reader.fail(doc, path, "invalid-value", "a reweight names exactly one of 'action' or 'rule'")
        return None
    if "action" in data:
        target = _lower(reader, doc, path + ("action",), symbols, "action", data["action"], "reweight")
        if target is None:
            return None
        weights = {k: v for k, v in data.items() if k != "action"}
        if not weights:
            reader.fail(
                doc, path, "missing-key", "a reweight needs at least one of impact, effort, lead_time_months, tier"
            )
            return None
        before = len(reader.problems)
        reader.read_action(doc, path, {"id": target, **weights}, replacing=symbols.actions[target])
        if len(reader.problems) > before:
            return None
        return _change(reader, doc, path, symbols, "action", target, "reweighted", tuple(sorted(weights)))
    target = _lower(reader, doc, path + ("rule",), symbols, "rule", data["rule"], "reweight")
    if target is None:
        return None
    if set(data) - {"rule", "impact"}:
        reader.fail(
            doc,
            path,
            "invalid-value",
            "a rule is reweighted by 'impact' alone (the impact it gives the actions it recommends)",
        )
        return None
    impact = reader.number(doc, path, data, "impact", 1, 5, integer=True)
    if impact is None:
        return None
    rule: Rule = symbols.rules[target]
    if not any(isinstance(e, Recommend) for e in rule.then):
        reader.fail(
            doc,
            path + ("rule",),
            "invalid-value",
            f"rule '{target}' recommends no action, so it has no impact to reweight",
        )
        return None
    then = tuple(replace(e, impact=impact) if isinstance(e, Recommend) else e for e in rule.then)
    symbols.rules[target] = replace(rule, then=then)
    return _change(reader, doc, path, symbols, "rule", target, "reweighted", ("impact",))
