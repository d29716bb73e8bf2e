"""Whatever a rule file or profile contains, loading it either works or raises the one
documented error type with located problems: never another exception, never a crash."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goalpath import Engine, GoalpathError, ProfileError, RulesError, load_profile, load_rules
from goalpath.profile import load_profile_text
from goalpath.source import parse_text

ROOT = Path(__file__).resolve().parents[1]
LADDER = ROOT / "tests" / "data" / "engine" / "ladder.yaml"
PACK = parse_text(LADDER.read_text(encoding="utf-8"), str(LADDER)).data
PROFILE = parse_text((ROOT / "fixtures" / "abroad-family.yaml").read_text(encoding="utf-8"), "p").data
PROBES = [
    {"as_of": "2026-11-01", "goal": {"priority": "promotion"}, "audit": {"specific_outcome": "no"}},
    {"as_of": "2026-11-01", "goal": {"priority": "career_pivot", "horizon_months": 3}, "support": [{"role": "peer"}]},
]

# Words the rule language and the profile use, so mutations often look almost right.
WORDS = [
    "field",
    "fact",
    "all",
    "any",
    "not",
    "none",
    "count",
    "where",
    "as",
    "ref",
    "is",
    "is_not",
    "below",
    "at_most",
    "above",
    "at_least",
    "in",
    "not_in",
    "present",
    "derive",
    "recommend",
    "boost",
    "suppress",
    "hold",
    "tier",
    "retired",
    "successor",
    "starts_with",
    "action",
    "by",
    "with",
    "impact",
    "goal.priority",
    "goal.horizon_months",
    "evidence.credentials",
    "support",
    "role",
    "status",
    "ladder.open",
    "ladder.next",
    "step",
    "o.step",
    "promotion",
    "today",
    "today+30",
    "name",
    "about",
    "id",
]
scalars = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.integers(-3, 300),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(WORDS), inner, max_size=3)),
    max_leaves=8,
)


def _mutate(data, draw, depth=0):
    """The same document with one randomly chosen place replaced, deleted or duplicated."""
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data)))
        action = draw(st.sampled_from(["descend", "replace", "delete", "rename"]) if depth < 6 else st.just("replace"))
        out = dict(data)
        if action == "descend":
            out[key] = _mutate(data[key], draw, depth + 1)
        elif action == "replace":
            out[key] = draw(values)
        elif action == "delete":
            del out[key]
        else:
            out[draw(st.sampled_from(WORDS))] = out.pop(key)
        return out
    if isinstance(data, list) and data:
        index = draw(st.integers(0, len(data) - 1))
        out = list(data)
        action = draw(st.sampled_from(["descend", "replace", "delete", "duplicate"]))
        if action == "descend":
            out[index] = _mutate(data[index], draw, depth + 1)
        elif action == "replace":
            out[index] = draw(values)
        elif action == "delete":
            del out[index]
        else:
            out.insert(index, data[index])
        return out
    return draw(values)


# GOALPATH_FUZZ_EXAMPLES=5000 for a longer hunt; the default keeps the suite quick.
FUZZ = settings(
    max_examples=int(os.environ.get("GOALPATH_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ
@given(data=st.data())
def test_a_mutated_rule_pack_loads_or_says_what_is_wrong(tmp_path_factory, data):
    doc = PACK
    for _ in range(data.draw(st.integers(1, 3))):
        doc = _mutate(doc, data.draw)
    path = tmp_path_factory.mktemp("fuzz") / "pack.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        pack = load_rules([path])
        engine = Engine(pack)
    except RulesError as error:
        assert error.problems and all(p.file == str(path) and p.code and p.message for p in error.problems)
        return
    for probe in PROBES:
        engine.recommend(probe).to_json()


@FUZZ
@given(data=st.data())
def test_a_mutated_profile_loads_or_says_what_is_wrong(data):
    doc = PROFILE
    for _ in range(data.draw(st.integers(1, 3))):
        doc = _mutate(doc, data.draw)
    try:
        profile = load_profile(doc if isinstance(doc, dict) else {"not": doc})
    except ProfileError as error:
        assert error.problems and all(p.code and p.message for p in error.problems)
        return
    Engine([LADDER], builtin=False).recommend(profile)


@FUZZ
@given(
    pieces=st.lists(
        st.sampled_from(
            list("{}[]:,-&*!|>'\"\n\t #%@`?abc01") + ["yes", "!!python/object:os.system ", "<<", "a: ", "- "]
        ),
        max_size=40,
    )
)
def test_any_text_parses_or_fails_as_bad_input(pieces):
    text = "".join(pieces)
    for json_syntax in (False, True):
        try:
            parse_text(text, "f", json_syntax=json_syntax)
        except GoalpathError as error:
            assert error.problems


def _write_mutated(folder: Path, docs: dict, data, times: int) -> Path:
    """The files of a pack written into ``folder``, one of them mutated ``times`` times."""
    target = data.draw(st.sampled_from(sorted(docs)))
    for name, doc in docs.items():
        if name == target:
            for _ in range(times):
                doc = _mutate(doc, data.draw)
        (folder / name).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return folder


BUILTIN = {
    p.name: parse_text(p.read_text(encoding="utf-8"), p.name).data for p in sorted((ROOT / "rules").glob("*.yaml"))
}


@settings(FUZZ, max_examples=max(20, FUZZ.max_examples // 3))
@given(data=st.data())
def test_a_mutated_builtin_pack_loads_or_says_what_is_wrong(tmp_path_factory, data):
    folder = _write_mutated(tmp_path_factory.mktemp("pack"), BUILTIN, data, times=1)
    try:
        engine = Engine([folder], builtin=False)
    except RulesError as error:
        assert error.problems and all(p.file.startswith(str(folder)) for p in error.problems)
        return
    for probe in PROBES:
        engine.recommend(probe).to_json()


NURSES = ROOT / "fixtures" / "packs" / "nurses-abroad"
LAYERED = {p.name: parse_text(p.read_text(encoding="utf-8"), p.name).data for p in sorted(NURSES.glob("*.yaml"))}
_BUILTIN_ENGINE = Engine()


@settings(FUZZ, max_examples=max(20, FUZZ.max_examples // 3))
@given(data=st.data())
def test_a_mutated_layered_pack_stacks_or_says_what_is_wrong(tmp_path_factory, data):
    # The coach's pack on the built-in one: its manifest, its layering (reweight, disable,
    # overrides) and its own rules, one of them mutated.
    folder = _write_mutated(tmp_path_factory.mktemp("layered"), LAYERED, data, times=data.draw(st.integers(1, 2)))
    try:
        engine = Engine([folder])
    except RulesError as error:
        # Every problem is in the coach's pack, never in the built-in files beneath it.
        assert error.problems and all(p.file.startswith(str(folder)) for p in error.problems), error
        return
    for probe in PROBES:
        engine.recommend(probe).to_json()
    # Whatever the pack on top did, the engine beneath it is untouched.
    assert _BUILTIN_ENGINE.recommend(PROBES[0]).to_json() == Engine().recommend(PROBES[0]).to_json()


_SOURCES = ["file", "stdin", "fifo", "directory", "missing"] + [
    d for d in ("/dev/zero", "/dev/urandom", "/dev/null", "/dev/full") if os.path.exists(d)
]


@FUZZ
@given(kind=st.sampled_from(_SOURCES), raw=st.binary(max_size=300), text=st.text(max_size=300))
def test_a_profile_from_any_source_loads_or_says_what_is_wrong(tmp_path_factory, kind, raw, text):
    # Bytes or text from a file, standard input, a device, a pipe nobody writes to, a
    # directory or nothing: a profile, or a ProfileError naming the source. Never a hang
    # (reading is bounded and never waits) and never another exception.
    folder = tmp_path_factory.mktemp("source")
    path = folder / "me.yaml"
    content = raw if kind == "file" and raw else text.encode("utf-8")
    try:
        if kind == "stdin":
            load_profile_text(text)
            return
        if kind == "file":
            path.write_bytes(content)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "directory":
            path.mkdir()
        elif kind.startswith("/dev/"):
            path.symlink_to(kind)
        load_profile(path)
    except ProfileError as error:
        label = "<stdin>" if kind == "stdin" else str(path)
        assert error.problems and all(p.file == label and p.code and p.message for p in error.problems)
