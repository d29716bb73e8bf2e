"""The library's boundary: arguments of the wrong type or out of range fail there, naming the argument.

A programmer's mistake (a wrong type, a negative ``top``) is a TypeError or ValueError with
the argument's name; bad input data (a profile that cannot be read) stays a ProfileError.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path, PurePosixPath

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import goalpath
from goalpath import Engine, Evaluation, GoalpathError, ProfileError, load_profile

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "fixtures" / "promotion-early.yaml"
LADDER = ROOT / "tests" / "data" / "engine" / "ladder.yaml"
GOOD_PACK = ROOT / "tests" / "data" / "packs" / "good"
MISSING_PACK = ROOT / "tests" / "data" / "no-such-pack"

PROFILE_TYPES = "profile must be a path (str or os.PathLike), a dict or a goalpath.Profile, got "
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


@pytest.fixture(scope="module")
def evaluation(engine: Engine) -> Evaluation:
    return engine.evaluate(PROFILE)


def exactly(message: str) -> str:
    """A ``pytest.raises(match=...)`` pattern for the whole message and nothing else."""
    return f"^{re.escape(message)}$"


class _NotAPath:
    """Has a path-like name but is not os.PathLike."""

    def __str__(self) -> str:
        return str(PROFILE)


class _BytesPath:
    """os.PathLike, but its path is bytes, which goalpath does not read."""

    def __fspath__(self) -> bytes:
        return bytes(PROFILE)


class _StrPath:
    """os.PathLike with a str path, not a pathlib.Path."""

    def __fspath__(self) -> str:
        return str(PROFILE)


# -- profile ---------------------------------------------------------------------------

WRONG_PROFILES = [
    (None, "None"),
    ([1], "list"),
    (5, "int"),
    (True, "bool"),
    (3.5, "float"),
    (b"fixtures/promotion-early.yaml", "bytes b'fixtures/promotion-early.yaml'"),
    (("a.yaml",), "tuple"),
    (_NotAPath(), "_NotAPath"),
    (_BytesPath(), "_BytesPath"),
]


@pytest.mark.parametrize(("profile", "named"), WRONG_PROFILES, ids=[n.split()[0] for _, n in WRONG_PROFILES])
def test_a_profile_of_the_wrong_type_is_a_type_error_naming_it(engine: Engine, profile: object, named: str) -> None:
    message = exactly(PROFILE_TYPES + named)
    with pytest.raises(TypeError, match=message):
        engine.recommend(profile)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=message):
        engine.evaluate(profile)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=message):
        goalpath.recommend(profile)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=exactly(PROFILE_TYPES.replace("profile", "source", 1) + named)):
        load_profile(profile)  # type: ignore[arg-type]


def test_a_wrong_type_is_not_bad_input(engine: Engine) -> None:
    """A host catching GoalpathError for its users' input does not swallow its own bugs."""
    with pytest.raises(TypeError) as info:
        engine.recommend(5)  # type: ignore[arg-type]
    assert not isinstance(info.value, GoalpathError)


def test_the_one_off_recommend_checks_the_profile_before_loading_any_pack() -> None:
    with pytest.raises(TypeError, match=exactly(PROFILE_TYPES + "int")):
        goalpath.recommend(5, [MISSING_PACK])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "path", [PROFILE, str(PROFILE), PurePosixPath(PROFILE), _StrPath()], ids=lambda p: type(p).__name__
)
def test_any_str_path_is_read(engine: Engine, path: object) -> None:
    assert engine.recommend(path).to_json() == engine.recommend(PROFILE).to_json()  # type: ignore[arg-type]


@pytest.mark.parametrize("path", ["fix\0tures.yaml", Path("fix\0tures.yaml")], ids=["str", "Path"])
def test_a_path_with_a_nul_is_an_unreadable_profile(engine: Engine, path: str | Path) -> None:
    # A path usually comes from a person, so it is bad input, reported like a missing file.
    expected = "fix\\0tures.yaml: unreadable: a file name cannot contain a NUL character"
    for call in (load_profile, engine.evaluate, engine.recommend, goalpath.recommend):
        with pytest.raises(ProfileError) as info:
            call(path)
        assert str(info.value) == expected
    with pytest.raises(ProfileError) as info:
        load_profile(path, label="upload")
    assert str(info.value) == "upload: unreadable: a file name cannot contain a NUL character"


def test_load_profile_label_must_be_text() -> None:
    with pytest.raises(TypeError, match=exactly("label must be a str or None, got int")):
        load_profile(PROFILE, label=3)  # type: ignore[arg-type]


# -- as_of -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2026-01-01", "as_of must be a datetime.date, got str '2026-01-01' (use datetime.date.fromisoformat)"),
        (20260101, "as_of must be a datetime.date, got int"),
        (dt.time(12), "as_of must be a datetime.date, got time"),
        (True, "as_of must be a datetime.date, got bool"),
    ],
    ids=["str", "int", "time", "bool"],
)
def test_an_as_of_of_the_wrong_type_is_a_type_error(engine: Engine, as_of: object, message: str) -> None:
    for call in (engine.recommend, engine.evaluate, goalpath.recommend):
        with pytest.raises(TypeError, match=exactly(message)):
            call(PROFILE, as_of=as_of)


@pytest.mark.parametrize(
    ("as_of", "written"),
    [
        (dt.date.max, "9999-12-31"),
        (dt.date.min, "0001-01-01"),
        (dt.date(2200, 1, 1), "2200-01-01"),
        (dt.date(1899, 12, 31), "1899-12-31"),
        (dt.datetime(9999, 12, 31, 23, 59), "9999-12-31"),
    ],
    ids=["max", "min", "after-last", "before-first", "datetime"],
)
def test_an_as_of_out_of_range_is_a_value_error(engine: Engine, as_of: dt.date, written: str) -> None:
    message = exactly(f"as_of must be from 1900-01-01 to 2199-12-31, got {written}")
    for call in (engine.recommend, engine.evaluate, goalpath.recommend):
        with pytest.raises(ValueError, match=message):
            call(PROFILE, as_of=as_of)


def test_a_datetime_as_of_counts_as_its_date(engine: Engine) -> None:
    at_noon = engine.evaluate(PROFILE, as_of=dt.datetime(2027, 3, 1, 12, 30))
    assert type(at_noon.as_of) is dt.date
    assert at_noon.as_of == dt.date(2027, 3, 1)
    assert engine.result(at_noon).to_json() == engine.recommend(PROFILE, as_of=dt.date(2027, 3, 1)).to_json()


@given(
    as_of=st.one_of(
        st.text(max_size=12),
        st.integers(),
        st.floats(allow_nan=False),
        st.booleans(),
        st.times(),
        st.timedeltas(),
        st.lists(st.dates(), max_size=2),
        st.tuples(st.integers(2000, 2100), st.integers(1, 12), st.integers(1, 28)),
    )
)
@SETTINGS
def test_any_non_date_as_of_is_a_type_error(engine: Engine, as_of: object) -> None:
    with pytest.raises(TypeError, match=r"^as_of must be a datetime\.date, got "):
        engine.evaluate(PROFILE, as_of=as_of)  # type: ignore[arg-type]


# -- top -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("top", "message"),
    [
        ("3", "top must be an int or None, got str '3'"),
        (3.0, "top must be an int or None, got float"),
        (True, "top must be an int or None, got bool"),
        (False, "top must be an int or None, got bool"),
        ([3], "top must be an int or None, got list"),
    ],
    ids=["str", "float", "true", "false", "list"],
)
def test_a_top_of_the_wrong_type_is_a_type_error(
    engine: Engine, evaluation: Evaluation, top: object, message: str
) -> None:
    for call in (engine.recommend, goalpath.recommend):
        with pytest.raises(TypeError, match=exactly(message)):
            call(PROFILE, top=top)
    with pytest.raises(TypeError, match=exactly(message)):
        engine.result(evaluation, top=top)  # type: ignore[arg-type]


@pytest.mark.parametrize("top", [-1, -100])
def test_a_negative_top_is_a_value_error(engine: Engine, evaluation: Evaluation, top: int) -> None:
    # It used to drop the last action silently, as a slice does.
    message = exactly(f"top must be a whole number from 0 (0 or None for all), got {top}")
    for call in (engine.recommend, goalpath.recommend):
        with pytest.raises(ValueError, match=message):
            call(PROFILE, top=top)
    with pytest.raises(ValueError, match=message):
        engine.result(evaluation, top=top)


def test_top_0_shows_all_as_the_command_line_does(engine: Engine, evaluation: Evaluation) -> None:
    everything = engine.result(evaluation)
    assert len(everything.recommendations) > 1
    assert engine.result(evaluation, top=0) == everything
    assert engine.recommend(PROFILE, top=0).to_json() == engine.recommend(PROFILE).to_json()


@given(top=st.integers(min_value=0, max_value=1_000_000))
@SETTINGS
def test_any_top_from_0_shows_at_most_that_many(engine: Engine, evaluation: Evaluation, top: int) -> None:
    everything = engine.result(evaluation)
    result = engine.result(evaluation, top=top)
    expected = len(everything.recommendations) if top == 0 else min(top, len(everything.recommendations))
    assert len(result.recommendations) == expected
    assert result.recommendations == everything.recommendations[:expected]
    assert result.not_shown == len(everything.recommendations) - expected


def test_the_one_off_recommend_checks_as_of_and_top_before_loading_any_pack() -> None:
    with pytest.raises(ValueError, match="^top must be"):
        goalpath.recommend(PROFILE, [MISSING_PACK], top=-1)
    with pytest.raises(TypeError, match="^as_of must be"):
        goalpath.recommend(PROFILE, [MISSING_PACK], as_of="2026-01-01")  # type: ignore[arg-type]


# -- evaluation ------------------------------------------------------------------------


def test_result_needs_an_evaluation(engine: Engine) -> None:
    message = "evaluation must be a goalpath.Evaluation (from Engine.evaluate), got dict"
    with pytest.raises(TypeError, match=exactly(message)):
        engine.result(yaml.safe_load(PROFILE.read_text(encoding="utf-8")))  # type: ignore[arg-type]


# -- rules and builtin -----------------------------------------------------------------


@pytest.mark.parametrize("single", [str(LADDER), LADDER], ids=["str", "Path"])
def test_one_path_is_one_pack(single: str | Path) -> None:
    """``Engine("my-pack")`` is ``Engine(["my-pack"])``, not a pack per letter."""
    alone = Engine(single, builtin=False)
    listed = Engine([single], builtin=False)
    assert alone.pack.rules == listed.pack.rules
    assert alone.pack.files == listed.pack.files
    assert len(alone.pack.layers) == 1


def test_one_path_is_stacked_on_the_builtin_pack() -> None:
    alone, listed = Engine(str(GOOD_PACK)), Engine([str(GOOD_PACK)])
    assert alone.pack.rules == listed.pack.rules
    assert [layer.name for layer in alone.pack.layers] == [layer.name for layer in listed.pack.layers]
    assert len(alone.pack.layers) == 2
    assert goalpath.recommend(PROFILE, str(LADDER), builtin=False) == goalpath.recommend(
        PROFILE, [str(LADDER)], builtin=False
    )


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (5, "rules must be a path (str or os.PathLike), a list of paths or a goalpath.RulePack, got int"),
        (
            b"my-pack",
            "rules must be a path (str or os.PathLike), a list of paths or a goalpath.RulePack, got bytes b'my-pack'",
        ),
        ({"my-pack"}, "rules must be a path (str or os.PathLike), a list of paths or a goalpath.RulePack, got set"),
        ({"a": 1}, "rules must be a path (str or os.PathLike), a list of paths or a goalpath.RulePack, got dict"),
        (
            _BytesPath(),
            "rules must be a path (str or os.PathLike), a list of paths or a goalpath.RulePack, got _BytesPath",
        ),
        ([str(LADDER), 5], "rules[1] must be a path (str or os.PathLike), got int"),
        ([None], "rules[0] must be a path (str or os.PathLike), got None"),
        ([b"my-pack"], "rules[0] must be a path (str or os.PathLike), got bytes b'my-pack'"),
    ],
    ids=["int", "bytes", "set", "dict", "bytes-pathlike", "item-int", "item-none", "item-bytes"],
)
def test_rules_of_the_wrong_type_are_a_type_error(rules: object, message: str) -> None:
    with pytest.raises(TypeError, match=exactly(message)):
        Engine(rules)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=exactly(message)):
        goalpath.recommend(PROFILE, rules)  # type: ignore[arg-type]


@pytest.mark.parametrize(("rules", "named"), [("", "rules"), ([str(LADDER), ""], "rules[1]"), (("",), "rules[0]")])
def test_an_empty_pack_path_is_a_value_error(rules: object, named: str) -> None:
    """It would name the current directory and load whatever is there; ``Engine("")`` once meant no packs."""
    message = exactly(f"{named} must not be an empty path (None means no packs of your own)")
    with pytest.raises(ValueError, match=message):
        Engine(rules)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        goalpath.recommend(PROFILE, rules)  # type: ignore[arg-type]


@pytest.mark.parametrize(("builtin", "named"), [("no", "str 'no'"), (0, "int"), (None, "None")])
def test_builtin_must_be_a_bool(builtin: object, named: str) -> None:
    message = exactly(f"builtin must be True or False, got {named}")
    with pytest.raises(TypeError, match=message):
        Engine(builtin=builtin)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=message):
        goalpath.recommend(PROFILE, builtin=builtin)  # type: ignore[arg-type]


def test_a_loaded_pack_and_a_tuple_of_paths_are_still_taken(engine: Engine) -> None:
    assert Engine(engine.pack).pack is engine.pack
    assert Engine((str(LADDER),), builtin=False).pack.rules == Engine([LADDER], builtin=False).pack.rules
