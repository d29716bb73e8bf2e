"""Impact analysis of a rule change: the same profiles under two stacks of packs, and
which actions entered, left or moved in what each person would be shown."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..api import Engine
from ..render.words import printable
from ..results import Recommendation, Result


@dataclass(frozen=True)
class Change:
    """One action whose place differs: rank 0 means not among those compared."""

    action: str
    title: str
    old: int
    new: int

    @property
    def kind(self) -> str:
        if not self.old:
            return "entered"
        if not self.new:
            return "left"
        return "moved"


@dataclass
class ProfileDiff:
    """What changed for one profile (nothing, if ``changes`` is empty)."""

    profile: str
    changes: list[Change] = field(default_factory=list)

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


@dataclass
class Impact:
    """The whole comparison: each profile's changes, and the packs on either side."""

    old: list[str]
    new: list[str]
    top: int | None
    profiles: list[ProfileDiff]

    def summary(self) -> str:
        changed = [p for p in self.profiles if p.changes]
        counts = {kind: sum(len(p.of(kind)) for p in changed) for kind in ("entered", "left", "moved")}
        detail = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
        total = _count(len(self.profiles), "profile")
        if not changed:
            return f"{total}: no change in what anyone is shown"
        unchanged = len(self.profiles) - len(changed)
        return f"{total}: {len(changed)} changed ({detail}), {unchanged} unchanged"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def profile_files(paths: Iterable[str | Path]) -> list[Path]:
    """Profile files: each file given, and the .yaml/.yml/.json files of each directory."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
        else:
            found.append(path)
    return found


def compare(old: Engine, new: Engine, profiles: Sequence[Path], *, top: int | None = 5) -> Impact:
    """Recommend for each profile under both engines and compare the first ``top`` actions
    (all of them when ``top`` is None).

    Raises:
        ProfileError: a profile cannot be read or is not valid.
    """
    diffs = []
    for path in profiles:
        before = old.recommend(path, top=top)
        after = new.recommend(path, top=top)
        diffs.append(ProfileDiff(str(path), changes(before, after)))
    return Impact(_stack(old), _stack(new), top, diffs)


def _stack(engine: Engine) -> list[str]:
    return [f"{p.name} {p.version}" if p.version else p.name for p in engine.pack.layers]


def changes(before: Result, after: Result) -> list[Change]:
    """Actions that entered, left or moved between two results, in the new order, then those that left."""
    old = _ranks(before.recommendations)
    new = _ranks(after.recommendations)
    titles = {r.action.id: r.action.title for r in [*before.recommendations, *after.recommendations]}
    out = [Change(a, titles[a], old.get(a, 0), rank) for a, rank in new.items() if old.get(a) != rank]
    out += [Change(a, titles[a], rank, 0) for a, rank in old.items() if a not in new]
    return out


def _ranks(recs: Sequence[Recommendation]) -> dict[str, int]:
    return {r.action.id: r.rank for r in recs}


def render_text(impact: Impact) -> str:
    lines = [f"old: {' + '.join(impact.old)}", f"new: {' + '.join(impact.new)}"]
    scope = f"the first {impact.top} actions" if impact.top else "every recommended action"
    lines.append(f"comparing {scope} of each profile")
    for diff in impact.profiles:
        if not diff.changes:
            continue
        lines.append("")
        lines.append(diff.profile)
        for c in diff.changes:
            if c.kind == "entered":
                lines.append(f"  + {c.new}. {c.action}  (entered)")
            elif c.kind == "left":
                lines.append(f"  - {c.action}  (left; was {c.old})")
            else:
                way = "up" if c.new < c.old else "down"
                lines.append(f"  ~ {c.new}. {c.action}  (moved {way} from {c.old})")
    lines += ["", impact.summary()]
    return printable("\n".join(lines)) + "\n"


def render_json(impact: Impact) -> str:
    data = {
        "old": impact.old,
        "new": impact.new,
        "top": impact.top,
        "profiles": [
            {
                "profile": d.profile,
                "changed": bool(d.changes),
                **{kind: [_change_data(c) for c in d.of(kind)] for kind in ("entered", "left", "moved")},
            }
            for d in impact.profiles
        ],
        "summary": impact.summary(),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _change_data(change: Change) -> dict:
    data = asdict(change)
    if change.kind == "entered":
        del data["old"]
    elif change.kind == "left":
        del data["new"]
    return data
