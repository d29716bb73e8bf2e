"""Reading goal profiles: YAML and JSON in, a strict frozen Profile or one located error out."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pydantic
import pytest

from goalpath import GoalpathError, Profile, ProfileError, load_profile

PROFILES = Path(__file__).parent / "data" / "profiles"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def in_profiles(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work from tests/data/profiles so error text names files as a user would type them."""
    monkeypatch.chdir(PROFILES)
    return PROFILES


def _error(source, **kwargs) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        load_profile(source, **kwargs)
    return info.value


def _codes(error: GoalpathError) -> list[str]:
    return [p.code for p in error.problems]


# -- reading files ---------------------------------------------------------------------


def test_yaml_profile_loads_with_dates_as_dates(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(
        "name: Ada\nas_of: 2026-01-15\ngoal:\n  priority: promotion\n  horizon_months: 12\n"
        "  checkpoints:\n    - {name: First review, due: 2026-03-01}\n",
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.name == "Ada"
    assert profile.as_of == dt.date(2026, 1, 15)
    assert profile.goal.priority == "promotion"
    assert profile.goal.horizon_months == 12
    assert profile.goal.checkpoints[0].due == dt.date(2026, 3, 1)
    assert profile.goal.checkpoints[0].done is False


def test_json_profile_with_tabs_loads(in_profiles: Path) -> None:
    profile = load_profile("tabs.json")
    assert profile.name == "Tab Person"
    assert profile.as_of == dt.date(2026, 1, 15)
    assert profile.goal.target_market == "NO"
    assert profile.goal.horizon_months == 18
    assert profile.evidence.languages[0].target_level == "B2"


def test_json_error_column_counts_a_tab_as_one_column(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text('{\n\t"goal": {"priority": "promotion"},\n\t"evidence": {"referrals": "2"}\n}\n', encoding="utf-8")
    assert (
        str(_error(path)) == f"{path}:3:15: invalid-value: evidence.referrals: Input should be a valid integer, got '2'"
    )


def test_malformed_json_is_located(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text('{"goal": {"priority": "promotion",}}\n', encoding="utf-8")
    assert str(_error(path)) == f"{path}:1:35: bad-json: Expecting property name enclosed in double quotes"


def test_json_exponent_numbers_are_numbers(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text(
        '{"goal": {"priority": "skill_mastery"}, "indicators": {"leading": [{"name": "hours", "current": 1e3}]}}',
        encoding="utf-8",
    )
    assert load_profile(path).indicators.leading[0].current == 1000.0


def test_json_surrogate_pair_escape_is_one_character(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text(json.dumps({"name": "Ada \U0001f600", "goal": {"priority": "promotion"}}), encoding="utf-8")
    assert "\\ud83d" in path.read_text(encoding="utf-8")  # json.dumps escapes non-ASCII by default
    assert load_profile(path).name == "Ada \U0001f600"


# -- every problem at once, located ----------------------------------------------------


def test_every_problem_is_reported_once_with_place_and_field_path(in_profiles: Path) -> None:
    error = _error("bad-several.yaml")
    assert str(error) == "\n".join(
        [
            "bad-several.yaml:2:1: invalid-value: schema_version: unsupported schema_version 3; this goalpath reads 2 and upgrades 1",
            "bad-several.yaml:4:1: missing-field: 'goal.priority' is required",
            "bad-several.yaml:5:3: unknown-field: 'goal.horizon_monhts' is not a profile field (did you mean 'goal.horizon_months'?)",
            "bad-several.yaml:6:3: invalid-value: goal.target_role: Input should be a valid string, got 42",
            "bad-several.yaml:7:3: invalid-value: goal.statement_kind: Input should be 'outcome' or 'activity', got 'result'",
            "bad-several.yaml:8:3: invalid-value: goal.started: '2026-13-01' is not a date (use YYYY-MM-DD)",
            "bad-several.yaml:10:3: invalid-value: audit.specific_outcome: Input should be 'yes', 'partly' or 'no', got 'maybe'",
            "bad-several.yaml:12:3: invalid-value: evidence.referrals: Input should be a valid integer, got '2'",
            "bad-several.yaml:13:3: invalid-value: evidence.portfolio: Input should be a valid boolean, got 1",
        ]
    )
    assert isinstance(error, GoalpathError)
    assert [(p.line, p.column) for p in error.problems] == sorted((p.line, p.column) for p in error.problems)


def test_problems_inside_list_items_name_the_item(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text(
        "goal:\n  priority: promotion\n  checkpoints:\n    - name: first\n      due: 2026-02-30\n"
        "    - name: second\n      due: 2026-06-01\n      indicatr: x\nsupport:\n  - role: mentor\n    meets: daily\n",
        encoding="utf-8",
    )
    assert str(_error(path)).splitlines() == [
        f"{path}:5:7: invalid-value: goal.checkpoints[0].due: '2026-02-30' is not a date (use YYYY-MM-DD)",
        f"{path}:8:7: unknown-field: 'goal.checkpoints[1].indicatr' is not a profile field "
        "(did you mean 'goal.checkpoints[1].indicator'?)",
        f"{path}:11:5: invalid-value: support[0].meets: Input should be 'weekly', 'fortnightly', 'monthly', "
        "'quarterly', 'yearly' or 'never', got 'daily'",
    ]


# -- YAML safety and YAML 1.2 ----------------------------------------------------------


def test_yaml_12_booleans_keep_yes_no_on_as_text(in_profiles: Path) -> None:
    profile = load_profile("yaml12-booleans.yaml")
    assert profile.goal.target_market == "NO"
    assert profile.mobility.target_regions == ["NO", "ON", "Y"]
    assert profile.goal.validated is True


def test_yaml_11_yes_is_not_a_boolean(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("goal:\n  priority: promotion\n  validated: yes\n", encoding="utf-8")
    assert str(_error(path)) == f"{path}:3:3: invalid-value: goal.validated: Input should be a valid boolean, got 'yes'"


def test_python_tag_never_runs_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    profile = PROFILES / "tagged-apply.yaml"
    monkeypatch.chdir(tmp_path)  # the tag's command would create its file here
    with pytest.raises(ProfileError):
        load_profile(profile)
    assert not (tmp_path / "goalpath-tag-ran").exists()


def test_python_tag_on_a_sequence_is_refused_as_bad_tag(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    profile = PROFILES / "tagged-apply.yaml"
    monkeypatch.chdir(tmp_path)
    error = _error(profile)
    assert _codes(error) == ["bad-tag"]
    assert (error.problems[0].line, error.problems[0].column) == (4, 12)


def test_python_tag_on_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("goal: !!python/object:goalpath.profile.Goal {priority: promotion}\n", encoding="utf-8")
    assert _codes(_error(path)) == ["bad-tag"]


def test_python_tag_on_a_scalar_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("goal:\n  priority: promotion\n  outcome: !!python/name:os.system\n", encoding="utf-8")
    assert str(_error(path)) == (
        f"{path}:3:12: bad-tag: the YAML tag 'tag:yaml.org,2002:python/name:os.system' is not allowed"
    )


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("goal:\n  priority: promotion\n  priority: skill_mastery\n", encoding="utf-8")
    assert str(_error(path)) == f"{path}:3:3: duplicate-key: 'priority' is given twice in the same mapping"


def test_alias_bomb_fails_fast_as_too_large(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # 9**9 strings once expanded
    started = time.monotonic()
    error = _error(path)
    assert time.monotonic() - started < 5
    assert str(error) == f"{path}: too-large: the document has more than 200000 values (or aliases that expand to them)"


def test_bad_yaml_syntax_is_located(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("goal:\n  priority: [promotion\n", encoding="utf-8")
    error = _error(path)
    assert _codes(error) == ["bad-yaml"]
    assert error.problems[0].line == 3


# -- files that cannot be profiles -----------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    assert str(_error(path)) == f"{path}: not-found: no such file"


def test_directory_is_not_a_profile(tmp_path: Path) -> None:
    assert str(_error(tmp_path)) == f"{tmp_path}: unreadable: is a directory, not a file"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: café\ngoal: {priority: promotion}\n".encode("latin-1"))
    assert str(_error(path)) == f"{path}: unreadable: not UTF-8 text (bad byte at offset 9)"


def test_utf8_with_bom_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("name: café\ngoal: {priority: promotion}\n".encode("utf-8-sig"))
    assert load_profile(path).name == "café"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    assert str(_error(path)) == f"{path}:1:1: invalid-value: a profile must be a mapping of fields"


def test_top_level_list(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- goal\n- priority\n", encoding="utf-8")
    assert str(_error(path)) == f"{path}:1:1: invalid-value: a profile must be a mapping of fields"


def test_label_names_the_file_in_problems(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("goal: {priority: promoted}\n", encoding="utf-8")
    assert str(_error(path, label="my goal")).startswith("my goal:1:8: invalid-value: goal.priority: ")


# -- dicts and Profile objects ---------------------------------------------------------


def test_dict_input_is_validated() -> None:
    profile = load_profile({"goal": {"priority": "career_pivot", "started": "2025-02-03"}})
    assert profile.goal.priority == "career_pivot"
    assert profile.goal.started == dt.date(2025, 2, 3)


def test_dict_problems_have_no_line_and_name_the_label() -> None:
    error = _error({"gaol": {}}, label="from-api")
    assert str(error) == "\n".join(
        [
            "from-api: missing-field: 'goal' is required",
            "from-api: unknown-field: 'gaol' is not a profile field (did you mean 'goal'?)",
        ]
    )


def test_profile_passes_through_unchanged() -> None:
    profile = load_profile({"goal": {"priority": "promotion"}})
    assert load_profile(profile) is profile


def test_profile_is_frozen() -> None:
    profile = load_profile({"goal": {"priority": "promotion"}})
    with pytest.raises(pydantic.ValidationError):
        profile.goal = None  # type: ignore[misc]
    assert isinstance(profile, Profile)


# -- strictness: no coercion -----------------------------------------------------------


@pytest.mark.parametrize(
    ("goal_extra", "message"),
    [
        ({"horizon_months": "2"}, "goal.horizon_months: Input should be a valid integer, got '2'"),
        ({"horizon_months": 2.0}, "goal.horizon_months: Input should be a valid integer, got 2.0"),
        ({"validated": 1}, "goal.validated: Input should be a valid boolean, got 1"),
        ({"validated": "true"}, "goal.validated: Input should be a valid boolean, got 'true'"),
        ({"outcome": 7}, "goal.outcome: Input should be a valid string, got 7"),
        ({"started": "2026-13-01"}, "goal.started: '2026-13-01' is not a date (use YYYY-MM-DD)"),
    ],
)
def test_values_are_not_coerced(goal_extra: dict, message: str) -> None:
    error = _error({"goal": {"priority": "promotion", **goal_extra}})
    assert str(error) == f"<profile>: invalid-value: {message}"


def test_schema_versions_1_and_2_are_read_and_3_refused() -> None:
    assert load_profile({"schema_version": 1, "goal": {"priority": "promotion"}}).schema_version == 2
    assert load_profile({"schema_version": 2, "goal": {"priority": "promotion"}}).schema_version == 2
    error = _error({"schema_version": 3, "goal": {"priority": "promotion"}})
    assert (
        str(error)
        == "<profile>: invalid-value: schema_version: unsupported schema_version 3; this goalpath reads 2 and upgrades 1"
    )


@pytest.mark.parametrize("version", [{"schema_version": 1}, {}], ids=["version-1", "no-version"])
@pytest.mark.parametrize(("written", "read"), [(True, "limits_relocation"), (False, "none")])
def test_version_1_family_constraints_are_upgraded(version: dict, written: bool, read: str) -> None:
    data = {
        **version,
        "goal": {"priority": "work_abroad"},
        "mobility": {"mode": "relocate", "family_constraints": written},
    }
    profile = load_profile(data)
    assert (profile.schema_version, profile.mobility.family_constraints) == (2, read)
    assert data["mobility"]["family_constraints"] is written  # the caller's data is not changed
    # The upgraded profile dumps as version 2 and loads back to the same profile.
    assert load_profile(profile.model_dump(mode="json")) == profile


def test_version_2_refuses_the_version_1_spelling() -> None:
    error = _error({"schema_version": 2, "goal": {"priority": "work_abroad"}, "mobility": {"family_constraints": True}})
    assert str(error) == (
        "<profile>: invalid-value: mobility.family_constraints: "
        "Input should be 'none', 'limits_relocation' or 'rules_out_relocation', got True"
    )


def test_every_version_1_fixture_reads_as_version_2() -> None:
    """The personas written for version 1 still load, upgraded, with their family constraints kept."""
    v1 = [p for p in FIXTURES.glob("*.yaml") if "schema_version: 1" in p.read_text(encoding="utf-8")]
    assert len(v1) >= 10
    for path in v1:
        profile = load_profile(path)
        assert profile.schema_version == 2
        raw = path.read_text(encoding="utf-8")
        assert ("family_constraints: true" in raw) == (profile.mobility.family_constraints == "limits_relocation")


def test_activities_serve_the_outcome_or_a_named_checkpoint() -> None:
    goal = {"priority": "promotion", "checkpoints": [{"name": "Baseline written", "due": "2027-01-31"}]}
    ok = load_profile(
        {
            "goal": goal,
            "activities": [
                {"description": "a", "kind": "project", "serves": "outcome"},
                {"description": "b", "kind": "course", "serves": "Baseline written"},
            ],
        }
    )
    assert [a.serves for a in ok.activities] == ["outcome", "Baseline written"]
    error = _error({"goal": goal, "activities": [{"description": "b", "kind": "course", "serves": "Baseline writen"}]})
    assert str(error) == (
        "<profile>: unknown-checkpoint: activities[0].serves: 'Baseline writen' is not 'outcome' or the name of a "
        "checkpoint (did you mean 'Baseline written'?)"
    )


def test_computed_fields_read_the_as_of_date() -> None:
    as_of = dt.date(2026, 11, 1)
    goal = load_profile(
        {
            "goal": {
                "priority": "promotion",
                "secondary_priority": "work_abroad",
                "horizon_months": 12,
                "started": "2026-05-01",
                "secondary_horizon_months": 30,
                "outcome": "Team lead by March 2027",
            }
        }
    ).goal
    assert (goal.months_left(as_of), goal.secondary_months_left(as_of), goal.outcome_names_date(as_of)) == (
        6.0,
        24.0,
        True,
    )
    vague = load_profile({"goal": {"priority": "promotion", "outcome": "Get better at management"}}).goal
    assert (vague.months_left(as_of), vague.secondary_months_left(as_of), vague.outcome_names_date(as_of)) == (
        None,
        None,
        False,
    )
    # The article's examples: a vague aim names no role; "Become a senior product manager" does.
    assert vague.outcome_names_role(as_of) is False
    assert load_profile(
        {"goal": {"priority": "promotion", "outcome": "Become a senior product manager"}}
    ).goal.outcome_names_role(as_of)
    lang = load_profile(
        {
            "goal": {"priority": "work_abroad"},
            "evidence": {
                "languages": [
                    {"name": "German", "level": "A2", "target_level": "B1"},
                    {"name": "English", "level": "C2", "target_level": "B2"},
                    {"name": "Dutch", "level": "A1"},
                ]
            },
        }
    ).evidence.languages
    assert [x.levels_short(as_of) for x in lang] == [1, 0, None]


def test_the_deadline_does_not_drift_with_the_day_goalpath_runs() -> None:
    """With no start date, the profile's as_of is the start: a month later, a month less is left."""
    profile = load_profile({"as_of": "2026-11-01", "goal": {"priority": "promotion", "horizon_months": 12}})
    assert profile.goal.started == dt.date(2026, 11, 1)
    assert profile.goal.months_left(dt.date(2026, 11, 1)) == 12.0
    assert profile.goal.months_left(dt.date(2026, 12, 1)) == 11.0
    # A written start wins, and a profile with neither keeps counting from the day it is judged.
    started = load_profile(
        {"as_of": "2026-11-01", "goal": {"priority": "promotion", "horizon_months": 12, "started": "2026-05-01"}}
    )
    assert started.goal.months_left(dt.date(2026, 11, 1)) == 6.0
    undated = load_profile({"goal": {"priority": "promotion", "horizon_months": 12}})
    assert undated.goal.started is None and undated.goal.months_left(dt.date(2030, 1, 1)) == 12.0
