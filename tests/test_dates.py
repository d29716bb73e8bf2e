"""Dates have a range, 1900-01-01 to 2199-12-31: outside it a profile is refused where it says so.

Inside it no date arithmetic can fail: deadlines (up to 240 months on), relative dates in
rules (up to 99999 days either side) and plans all stay within what Python's dates hold.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from clirun import invoke
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import goalpath
from goalpath import Engine, ProfileError, load_profile
from goalpath.fields import profile_fields
from goalpath.plan import build_plan
from goalpath.profile import FIRST_DATE, LAST_DATE, Profile, add_months, describe_fields

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "fixtures" / "promotion-early.yaml"
RANGE = "(dates must be from 1900-01-01 to 2199-12-31)"
LONGEST = 240  # goal.horizon_months at most

#: Every date field of a profile: (its path as problems name it, where it sits in the data).
DATE_FIELDS: dict[str, tuple[str | int, ...]] = {
    "as_of": ("as_of",),
    "goal.started": ("goal", "started"),
    "goal.checkpoints[0].due": ("goal", "checkpoints", 0, "due"),
    "evidence.credentials[0].exam_date": ("evidence", "credentials", 0, "exam_date"),
    "habits.last_review": ("habits", "last_review"),
    "habits.last_reevaluation": ("habits", "last_reevaluation"),
    "activities[0].due": ("activities", 0, "due"),
    "history.first_review": ("history", "first_review"),
    "history.last_review": ("history", "last_review"),
    "history.stalled[0].since": ("history", "stalled", 0, "since"),
}
OUT_OF_RANGE = [dt.date(9999, 12, 31), dt.date(2200, 1, 1), dt.date(1899, 12, 31), dt.date(1, 1, 1)]


def base() -> dict[str, Any]:
    """promotion-early.yaml, with every kind of date field filled in."""
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["evidence"]["credentials"] = [{"name": "Data leadership certificate", "exam_date": dt.date(2027, 5, 1)}]
    data["habits"]["last_review"] = dt.date(2026, 10, 1)
    data["habits"]["last_reevaluation"] = dt.date(2026, 6, 1)
    data["history"] = {
        "first_review": dt.date(2026, 2, 1),
        "last_review": dt.date(2026, 8, 1),
        "stalled": [{"action": "choose-stretch-project", "since": dt.date(2026, 5, 1)}],
    }
    return data


def with_value(data: dict[str, Any], where: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(data)
    holder: Any = out
    for part in where[:-1]:
        holder = holder[part]
    holder[where[-1]] = value
    return out


def write(tmp_path: Path, data: dict[str, Any], name: str = "me.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def located(path: Path, value: dt.date, key: str) -> str:
    """``file:line:col`` of the key holding ``value``, found in the file as written."""
    lines = path.read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, 1) if value.isoformat() in line]
    return f"{path}:{number}:{lines[number - 1].index(key) + 1}"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def test_the_date_fields_listed_here_are_all_of_them() -> None:
    found = set()
    for path, spec in profile_fields().items():
        if spec.kind == "date":
            found.add(path)
        found.update(f"{path}[0].{name}" for name, item in spec.item_fields.items() if item.kind == "date")
    assert found == set(DATE_FIELDS)


def test_every_date_field_documents_the_range() -> None:
    """docs/profile.md is built from these descriptions (tests/test_docs.py keeps it current)."""
    written = f"from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}"
    describe_fields()
    for field in DATE_FIELDS:
        *outer, name = field.replace("[0]", "").split(".")
        model: Any = Profile
        for part in outer:
            annotation = model.model_fields[part].annotation
            model = goalpath.profile.model_in(annotation)
        assert written in (model.model_fields[name].description or ""), field


# -- out of range: refused, located -----------------------------------------------------


@pytest.mark.parametrize("value", OUT_OF_RANGE, ids=dt.date.isoformat)
@pytest.mark.parametrize("field", DATE_FIELDS)
def test_a_date_out_of_range_is_a_located_profile_error(tmp_path: Path, field: str, value: dt.date) -> None:
    path = write(tmp_path, with_value(base(), DATE_FIELDS[field], value))
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    where = located(path, value, str(DATE_FIELDS[field][-1]))
    assert str(info.value) == f"{where}: invalid-value: {field}: {value.isoformat()} is out of range {RANGE}"


@pytest.mark.parametrize("value", [dt.date(9999, 6, 1), dt.date(1, 1, 1)], ids=dt.date.isoformat)
@pytest.mark.parametrize("field", DATE_FIELDS)
@pytest.mark.parametrize("command", ["recommend", "plan"])
def test_the_command_line_refuses_it_with_exit_1(tmp_path: Path, command: str, field: str, value: dt.date) -> None:
    path = write(tmp_path, with_value(base(), DATE_FIELDS[field], value))
    result = invoke(command, path)
    where = located(path, value, str(DATE_FIELDS[field][-1]))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {where}: invalid-value: {field}: {value.isoformat()} is out of range {RANGE}\n"


def test_a_far_future_start_with_a_long_horizon_is_refused_not_a_crash(tmp_path: Path) -> None:
    """The attacker's case: ``goal.started: 9999-06-01`` used to overflow adding the horizon."""
    data = with_value(base(), ("goal", "started"), dt.date(9999, 6, 1))
    data["goal"]["horizon_months"] = LONGEST
    path = write(tmp_path, data)
    result = invoke("recommend", path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: {located(path, dt.date(9999, 6, 1), 'started')}: invalid-value: goal.started: "
        f"9999-06-01 is out of range {RANGE}\n"
    )


def test_a_json_profile_and_a_dict_are_refused_the_same_way(tmp_path: Path) -> None:
    data = json.loads(json.dumps(base(), default=dt.date.isoformat))
    data["as_of"] = "9999-12-31"
    path = tmp_path / "me.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert str(info.value) == f"{path}:4:3: invalid-value: as_of: 9999-12-31 is out of range {RANGE}"
    with pytest.raises(ProfileError) as info:
        load_profile(data)
    assert str(info.value) == f"<profile>: invalid-value: as_of: 9999-12-31 is out of range {RANGE}"


def test_every_date_out_of_range_is_reported_at_once(tmp_path: Path) -> None:
    data = base()
    for where in DATE_FIELDS.values():
        data = with_value(data, where, dt.date(9999, 12, 31))
    with pytest.raises(ProfileError) as info:
        load_profile(write(tmp_path, data))
    assert [p.message.split(":")[0] for p in info.value.problems] == list(DATE_FIELDS)  # in file order


# -- the boundary dates themselves: accepted, and nothing overflows ---------------------


@pytest.mark.parametrize("value", [FIRST_DATE, LAST_DATE], ids=dt.date.isoformat)
@pytest.mark.parametrize("field", DATE_FIELDS)
def test_the_first_and_last_dates_are_accepted(engine: Engine, tmp_path: Path, field: str, value: dt.date) -> None:
    profile = load_profile(write(tmp_path, with_value(base(), DATE_FIELDS[field], value)))
    engine.recommend(profile)


@pytest.mark.parametrize(
    ("as_of", "started"),
    [(LAST_DATE, LAST_DATE), (FIRST_DATE, LAST_DATE), (LAST_DATE, FIRST_DATE), (FIRST_DATE, FIRST_DATE)],
    ids=["last-last", "first-last", "last-first", "first-first"],
)
def test_the_longest_horizon_from_either_end_does_not_crash(
    engine: Engine, tmp_path: Path, as_of: dt.date, started: dt.date
) -> None:
    data = base()
    data.update(as_of=as_of)
    data["goal"].update(
        started=started, horizon_months=LONGEST, secondary_priority="skill_mastery", secondary_horizon_months=LONGEST
    )
    path = write(tmp_path, data)
    evaluation = engine.evaluate(path)
    plan = build_plan(evaluation, engine.pack, engine.result(evaluation))
    assert plan.deadline == add_months(started, LONGEST)
    assert plan.quarters
    for command in (["recommend", path, "--format", "json"], ["plan", path, "--format", "html"]):
        result = invoke(*command)
        assert result.exit_code == 0, result.stderr
    result = invoke("plan", path, "--ics", tmp_path / "goal.ics")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("as_of", [FIRST_DATE, LAST_DATE], ids=dt.date.isoformat)
def test_relative_dates_at_their_limit_stay_in_range(tmp_path: Path, as_of: dt.date) -> None:
    """A rule may say ``today+99999`` (about 274 years): from either end of the range that is still a date."""
    pack = tmp_path / "far.yaml"
    pack.write_text(
        """\
actions:
  - id: far-action
    title: Check the dates far either side
    do: Nothing to do; this pack tests date arithmetic.
    evidence: None needed.
    done_when: Always.
    effort: low
    impact: 3
rules:
  - id: far-dates
    title: Dates far either side of the as-of date
    cites: A test of date arithmetic
    when:
      - {field: goal.started, above: today-99999}
      - {field: habits.last_review, below: today+99999}
      - {field: goal.checkpoints, any: {field: due, at_most: today+99999}}
    then:
      - recommend: far-action
""",
        encoding="utf-8",
    )
    profile = {
        "as_of": as_of,
        "goal": {
            "priority": "promotion",
            "started": as_of,
            "horizon_months": LONGEST,
            "checkpoints": [{"name": "First", "due": as_of}],
        },
        "habits": {"last_review": as_of},
    }
    result = goalpath.recommend(profile, [pack], builtin=False)
    assert [r.action.id for r in result.recommendations] == ["far-action"]


@pytest.mark.parametrize(
    ("as_of", "written"),
    [(dt.date.max, "9999-12-31"), (dt.date.min, "0001-01-01"), (LAST_DATE + dt.timedelta(days=1), "2200-01-01")],
    ids=["max", "min", "day-after-last"],
)
def test_an_as_of_argument_out_of_range_is_a_value_error(engine: Engine, as_of: dt.date, written: str) -> None:
    with pytest.raises(ValueError) as info:
        engine.recommend(FIXTURE, as_of=as_of)
    assert str(info.value) == f"as_of must be from 1900-01-01 to 2199-12-31, got {written}"
    assert not isinstance(info.value, goalpath.GoalpathError)


def test_the_first_and_last_as_of_arguments_are_accepted(engine: Engine) -> None:
    for as_of in (FIRST_DATE, LAST_DATE):
        assert engine.recommend(FIXTURE, as_of=as_of).profile.as_of == as_of


in_range = st.one_of(st.sampled_from([FIRST_DATE, LAST_DATE]), st.dates(FIRST_DATE, LAST_DATE))
horizons = st.one_of(st.none(), st.sampled_from([1, LONGEST]), st.integers(1, LONGEST))


@given(
    as_of=in_range,
    started=st.one_of(st.none(), in_range),
    horizon=horizons,
    secondary=horizons,
    due=in_range,
    exam=in_range,
)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_dates_in_range_and_any_horizon_never_crash(
    engine: Engine,
    as_of: dt.date,
    started: dt.date | None,
    horizon: int | None,
    secondary: int | None,
    due: dt.date,
    exam: dt.date,
) -> None:
    data = with_value(base(), ("goal", "checkpoints", 0, "due"), due)
    data = with_value(data, ("evidence", "credentials", 0, "exam_date"), exam)
    data["as_of"] = as_of
    data["goal"].update(started=started, horizon_months=horizon, secondary_priority="skill_mastery")
    data["goal"].update(secondary_horizon_months=secondary)
    data["goal"] = {k: v for k, v in data["goal"].items() if v is not None}
    evaluation = engine.evaluate(data)
    result = engine.result(evaluation)
    plan = build_plan(evaluation, engine.pack, result)
    assert plan.start == as_of <= plan.end
    if horizon is not None:
        assert plan.deadline == add_months(started or as_of, horizon)


# -- schema_version: a whole number, shown as written -------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("2026-01-01", "2026-01-01"),
        ("true", "true"),
        ("false", "false"),
        ("1.0", "1.0"),
        ("2.0", "2.0"),
        ("'2'", "'2'"),
        ("", "an empty value"),
    ],
    ids=["date", "true", "false", "float-1", "float-2", "text", "empty"],
)
def test_schema_version_must_be_a_whole_number(tmp_path: Path, written: str, shown: str) -> None:
    path = tmp_path / "me.yaml"
    text = FIXTURE.read_text(encoding="utf-8").replace("schema_version: 1\n", f"schema_version: {written}\n")
    path.write_text(text, encoding="utf-8")
    expected = (
        f"{path}:5:1: invalid-value: schema_version: {shown} is not a whole number; "
        "this goalpath reads 2 and upgrades 1"
    )
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert str(info.value) == expected
    result = invoke("recommend", path)
    assert (result.exit_code, result.stderr) == (1, f"Error: {expected}\n")


def test_schema_version_2_0_in_a_dict_is_refused_too() -> None:
    with pytest.raises(ProfileError) as info:
        load_profile({"schema_version": 2.0, "goal": {"priority": "promotion"}})
    assert str(info.value) == (
        "<profile>: invalid-value: schema_version: 2.0 is not a whole number; this goalpath reads 2 and upgrades 1"
    )


def test_a_date_in_a_message_is_shown_as_written() -> None:
    with pytest.raises(ProfileError) as info:
        load_profile({"goal": {"priority": "promotion", "outcome": dt.date(2026, 1, 1)}})
    assert str(info.value) == "<profile>: invalid-value: goal.outcome: Input should be a valid string, got 2026-01-01"
