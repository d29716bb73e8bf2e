"""Reviews over time: a year of quarterly reviews per persona, and the commands that read them.

Each fixtures/reviews/<persona>/reviews.yaml is a series: the profile as it was at each
review, what the person reported, and what a coach would expect the review to show.
Adding a series adds no Python.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from clirun import invoke

from goalpath import Engine, load_profile
from goalpath.store import Store
from goalpath.store.review import review

ROOT = Path(__file__).resolve().parents[1]
SERIES = sorted((ROOT / "fixtures" / "reviews").glob("*/reviews.yaml"))
RAFAEL = ROOT / "fixtures" / "reviews" / "rafael"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def test_series_are_found() -> None:
    assert SERIES, "no review series under fixtures/reviews"


def _check(expect: dict[str, Any], outcome: Any, where: str) -> None:
    shown = [r.action.id for r in outcome.result.recommendations]
    ids = {
        "done": [c.id for c in outcome.done],
        "stalled": [s.id for s in outcome.stalled],
        "dropped": [c.id for c in outcome.dropped],
    }
    for key, wanted in expect.items():
        if key == "number":
            assert outcome.number == wanted, where
        elif key in ids:
            assert ids[key] == wanted, f"{where}: {key} {ids[key]}"
        elif key.endswith("_include") or key.endswith("_exclude"):
            base = key.rsplit("_", 1)[0]
            pool = {"stalled": ids["stalled"], "recommended": list(outcome.recommended), "fired": list(outcome.fired)}[
                base
            ]
            for ident in wanted:
                assert (ident in pool) == key.endswith("_include"), f"{where}: {key} {ident} in {pool}"
        elif key == "shown_first":
            assert shown[: len(wanted)] == wanted, f"{where}: shown {shown}"
        elif key == "missed":
            assert [m.name for m in outcome.missed] == wanted, where
        elif key == "indicators":
            states = {i.name: i.state for i in outcome.indicators}
            assert {name: states.get(name) for name in wanted} == wanted, where
        else:
            raise AssertionError(f"{where}: unknown expectation {key!r}")


@pytest.mark.parametrize("series", SERIES, ids=lambda p: p.parent.name)
def test_a_year_of_quarterly_reviews(series: Path, engine: Engine, tmp_path: Path) -> None:
    spec = yaml.safe_load(series.read_text(encoding="utf-8"))
    with Store.open(tmp_path / "reviews.sqlite3") as store:
        for step in spec["reviews"]:
            profile = load_profile(series.parent / step["profile"])
            marks = {mark: step.get(mark, []) for mark in ("started", "done", "dropped")}
            outcome = review(engine, profile, store, spec["person"], marks=marks, note=step.get("note", ""))
            _check(step["expect"], outcome, f"{series.parent.name}/{step['profile']}")
        assert len(store.checkins(spec["person"])) == len(spec["reviews"])


def _year(db: Path, person: str = "rafael") -> list[Result]:
    """Rafael's year of reviews through the command line, into ``db``."""
    runs = []
    for name, extra in (
        ("2026-12-01.yaml", []),
        ("2027-03-01.yaml", []),
        ("2027-06-01.yaml", ["--started", "build-target-region-contacts"]),
        ("2027-09-01.yaml", ["--done", "plan-move-fallback"]),
        ("2027-12-01.yaml", ["--dropped", "target-remote-or-regional-roles", "--note", "A year in"]),
    ):
        runs.append(invoke("review", RAFAEL / name, "--person", person, "--db", db, *extra))
        assert runs[-1].exit_code == 0, runs[-1].stderr
    return runs


def test_the_review_says_what_changed_celebrates_and_names_stalled_work(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    runs = _year(db)
    first, second = runs[0].stdout, runs[1].stdout
    assert first.startswith("goalpath — review 1 for rafael, 2026-12-01\nFirst review: there is nothing earlier")
    assert second.startswith(
        "goalpath — review 2 for rafael, 2027-03-01\n"
        "Compared with the last review, on 2026-12-01 (90 days ago).\n\n"
        "Done since the last review\n"
        "  ✓ Find out the visa, credential and language requirements for your target country: what it was for\n"
        "    is in your profile now. Well done.\n\n"
        "Stalled: recommended at the last review, still without their evidence\n"
    )
    assert (
        "  • Build two contacts who work in your field in the target region (recommended at the last review)" in second
    )
    assert "Change one thing about each: see number 1 below" in second
    assert second.endswith(f"Recorded as review 2 of rafael in {db}.\n")
    third = " ".join(runs[2].stdout.split())
    assert "Milestones whose date passed without being met • Three conversations with engineering leaders" in third
    assert "that led to an introduction (leading): 0, not moved for 2 reviews; target 3" in third
    fourth = runs[3].stdout
    assert "  ✓ Decide on a fallback in case the move is delayed: you marked it done. Well done.\n" in fourth
    assert "target reached" in fourth
    fifth = runs[4].stdout
    assert "Dropped at this review" in fifth
    table = fifth.split("goalpath — next actions", 1)[1]
    assert "Aim first at remote or regionally flexible roles" not in table


def test_running_a_review_again_the_same_day_records_nothing_new(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    one = invoke("review", RAFAEL / "2026-12-01.yaml", "--person", "rafael", "--db", db)
    two = invoke("review", RAFAEL / "2026-12-01.yaml", "--person", "rafael", "--db", db)
    assert one.exit_code == two.exit_code == 0
    assert two.stdout.replace("Already recorded (the same review was stored before)", "Recorded") == one.stdout
    with Store.open(db) as store:
        assert len(store.checkins("rafael")) == 1


def test_a_review_run_again_with_more_news_stands_for_the_day(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    invoke("review", RAFAEL / "2026-12-01.yaml", "--person", "rafael", "--db", db)
    invoke("review", RAFAEL / "2027-03-01.yaml", "--person", "rafael", "--db", db)
    again = invoke("review", RAFAEL / "2027-03-01.yaml", "--person", "rafael", "--db", db, "--note", "later that day")
    assert again.exit_code == 0
    assert again.stdout.startswith("goalpath — review 2 for rafael, 2027-03-01\n")
    listed = invoke("history", "rafael", "--db", db, "--format", "json")
    reviews = json.loads(listed.stdout)["reviews"]
    assert [(r["review"], r["date"], r["note"]) for r in reviews] == [
        (1, "2026-12-01", ""),
        (2, "2027-03-01", "later that day"),
    ]


def test_one_persons_reviews_never_reach_anothers(tmp_path: Path, engine: Engine) -> None:
    db = tmp_path / "r.sqlite3"
    _year(db, "rafael")
    alone = tmp_path / "alone.sqlite3"
    shared = invoke("review", RAFAEL / "2027-03-01.yaml", "--person", "carla", "--db", db)
    fresh = invoke("review", RAFAEL / "2027-03-01.yaml", "--person", "carla", "--db", alone)
    assert shared.exit_code == fresh.exit_code == 0
    assert shared.stdout.replace(str(db), "DB") == fresh.stdout.replace(str(alone), "DB")
    assert "review 1 for carla" in shared.stdout
    with Store.open(db) as store:
        assert store.people() == ["carla", "rafael"]
        assert len(store.checkins("rafael")) == 5


def test_marks_must_name_actions_of_the_packs(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    result = invoke("review", RAFAEL / "2026-12-01.yaml", "--db", db, "--done", "run-regulatory-scna")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --done: unknown-action: 'run-regulatory-scna' is not an action of the loaded packs "
        "(did you mean 'run-regulatory-scan'?)\n"
    )
    both = invoke(
        "review",
        RAFAEL / "2026-12-01.yaml",
        "--db",
        db,
        "--done",
        "plan-move-fallback",
        "--dropped",
        "plan-move-fallback",
    )
    assert both.exit_code == 1
    assert both.stderr == "Error: --dropped: conflicting-marks: 'plan-move-fallback' is marked both done and dropped\n"
    assert not db.exists() or Store.open(db).checkins("Rafael Souza") == []


def test_the_person_defaults_to_the_profiles_name(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    result = invoke("review", RAFAEL / "2026-12-01.yaml", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("goalpath — review 1 for Rafael Souza, 2026-12-01\n")


def test_history_lists_the_reviews_and_exports_them(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    _year(db)
    text = invoke("history", "rafael", "--db", db)
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "goalpath — reviews of rafael"
    assert lines[2].split() == ["#", "Date", "Top", "action", "Done", "Stalled"]
    rows = [line.split()[:2] for line in lines[4:] if line[:1].isdigit()]
    assert rows == [
        ["1", "2026-12-01"],
        ["2", "2027-03-01"],
        ["3", "2027-06-01"],
        ["4", "2027-09-01"],
        ["5", "2027-12-01"],
    ]
    assert lines[-2:] == ["Notes", "  5. A year in"]
    csv = invoke("history", "rafael", "--db", db, "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("review,date,recommended,top actions,started,done,dropped,stalled,note,Conversations")
    assert csv[3].startswith("3,2027-06-01,")
    assert ",build-target-region-contacts," in csv[3]  # started at the third review
    assert csv[5].endswith(",A year in,3,2,2,")  # the indicators' values; the lagging one has none
    ics = invoke("history", "rafael", "--db", db, "--format", "ics").stdout
    assert ics.count("BEGIN:VEVENT") == 9 and ics.count("BEGIN:VALARM") == 4
    assert "DTSTART;VALUE=DATE:20280301" in ics and "TRIGGER:-P7D" in ics
    assert invoke("history", "rafael", "--db", db, "--format", "ics").stdout == ics


def test_progress_charts_each_indicator(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    _year(db)
    result = invoke("progress", "rafael", "--db", db)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("goalpath — progress of rafael\n5 reviews, from 2026-12-01 to 2027-12-01.\n")
    assert (
        "Conversations with engineering leaders in Portugal that led to an introduction\n"
        "  ▁▁▁██\n"
        "  values: 0, 0, 0, 3, 3; target 3\n"
    ) in result.stdout


def test_reading_commands_refuse_a_missing_store_or_person(tmp_path: Path) -> None:
    missing = tmp_path / "none.sqlite3"
    result = invoke("history", "rafael", "--db", missing)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {missing}: no-store: ")
    assert not missing.exists()
    db = tmp_path / "r.sqlite3"
    invoke("review", RAFAEL / "2026-12-01.yaml", "--person", "rafael", "--db", db)
    nobody = invoke("progress", "ana", "--db", db)
    assert nobody.exit_code == 1
    assert nobody.stderr == f"Error: {db}: no reviews of 'ana' are stored (people in it: rafael)\n"


def test_a_file_that_is_not_a_store_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    result = invoke("review", RAFAEL / "2026-12-01.yaml", "--db", notes)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {notes}: not-a-store: ")
    assert "Traceback" not in result.stderr
    assert notes.read_text(encoding="utf-8") == "my notes\n"


def test_a_store_moves_to_a_new_machine_whole(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    _year(db)
    invoke("review", RAFAEL / "2026-12-01.yaml", "--person", "carla", "--db", db)
    exported = tmp_path / "reviews.json"
    out = invoke("store", "export", exported, "--db", db)
    assert out.exit_code == 0, out.stderr
    new = tmp_path / "new.sqlite3"
    first = invoke("store", "import", exported, "--db", new)
    assert first.exit_code == 0, first.stderr
    assert first.stderr == f"Imported 6 reviews into {new}; 0 were there already.\n"
    again = invoke("store", "import", exported, "--db", new)
    assert again.stderr == f"Imported 0 reviews into {new}; 6 were there already.\n"
    people = invoke("store", "people", "--db", new)
    assert people.stdout == "carla\t1\t2026-12-01\nrafael\t5\t2027-12-01\n"
    assert invoke("history", "rafael", "--db", new).stdout == invoke("history", "rafael", "--db", db).stdout
    clobber = invoke("store", "export", exported, "--db", db)
    assert clobber.exit_code == 1 and "exists already" in clobber.stderr


def test_rules_check_knows_the_history_fields(tmp_path: Path) -> None:
    pack = tmp_path / "pack.yaml"
    pack.write_text(
        "pack: {name: trend, version: '1'}\n"
        "rules:\n"
        "  - id: flat-three\n"
        "    title: Flat for three reviews\n"
        "    cites: Review, iterate, and celebrate progress\n"
        "    when: {field: history.indicators, any: {field: flat_fro, at_least: 3}}\n"
        "    then: [{recommend: adjust-tactic-for-flat-indicator}]\n",
        encoding="utf-8",
    )
    result = invoke("rules", "check", pack)
    assert result.exit_code == 1
    assert "unknown-field" in result.stdout + result.stderr
    assert "(did you mean 'history.indicators[].flat_for'?)" in result.stdout


def test_a_profile_may_carry_its_own_history(engine: Engine) -> None:
    # A host application with its own records can fill the section in; the rules read it the same way.
    data = load_profile(RAFAEL / "2027-06-01.yaml").model_dump(mode="json", exclude_none=True)
    data["history"] = {
        "reviews": 2,
        "first_review": "2026-12-01",
        "last_review": "2027-03-01",
        "stalled": [{"action": "build-target-region-contacts", "reviews": 2, "since": "2026-12-01"}],
    }
    fired = {f.rule_id for f in engine.evaluate(data).trace.firings}
    assert "stalled-action" in fired
    assert "year-of-reviews-without-reevaluation" not in fired
    data["history"]["first_review"] = (dt.date(2027, 6, 1) - dt.timedelta(days=366)).isoformat()
    assert "year-of-reviews-without-reevaluation" in {f.rule_id for f in engine.evaluate(data).trace.firings}


def test_the_html_report_shows_what_changed_and_the_charts(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    _year(db)
    page = invoke("progress", "rafael", "--db", db, "--format", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 3  # the lagging one has no values
    assert "<script" not in page and "target 3</text>" in page
    report = invoke("review", RAFAEL / "2027-12-01.yaml", "--person", "rafael", "--db", db, "--format", "html")
    assert report.exit_code == 0, report.stderr
    html = report.stdout
    assert "<h2>Stalled: recommended at the last review, still without their evidence</h2>" in html
    assert html.index("<h2>Progress over your reviews</h2>") < html.index("<h2>Roadmap</h2>")
    assert html.count("<svg") == 4  # three indicators and the roadmap


def test_two_people_reviewed_at_once_are_both_kept(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    db = tmp_path / "r.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "engine")}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "goalpath", "review", str(RAFAEL / name), "--person", person, "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        for name in ("2026-12-01.yaml", "2027-03-01.yaml")
        for person in ("ana", "ben")
    ]
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read() if run.stderr else ""
    with Store.open(db) as store:
        assert store.people() == ["ana", "ben"]
        assert [len(store.checkins(p)) for p in ("ana", "ben")] == [2, 2]


def test_a_month_later_nothing_is_stalled_yet(tmp_path: Path) -> None:
    # Indicators are looked at monthly, tactics changed quarterly: a month is too soon to call an action stalled.
    db = tmp_path / "r.sqlite3"
    invoke("review", RAFAEL / "2026-12-01.yaml", "--person", "rafael", "--db", db)
    month = invoke("review", RAFAEL / "2026-12-01.yaml", "--person", "rafael", "--db", db, "--as-of", "2026-12-29")
    assert month.exit_code == 0, month.stderr
    assert "Stalled" not in month.stdout
    assert (
        "Still open from the last review\n  • Find out the visa, credential and language requirements" in month.stdout
    )
    assert (
        "change-stalled-tactic"
        not in invoke(
            "review",
            RAFAEL / "2026-12-01.yaml",
            "--person",
            "rafael",
            "--db",
            db,
            "--as-of",
            "2026-12-29",
            "--format",
            "json",
        ).stdout.split('"result"')[1]
    )


@pytest.mark.parametrize(
    ("person", "message"),
    [("", "must not be empty"), ("a\x1bb", "must not contain control characters, got 'a\\x1bb'")],
)
def test_a_person_id_must_be_printable_text(tmp_path: Path, person: str, message: str) -> None:
    db = tmp_path / "r.sqlite3"
    result = invoke("review", RAFAEL / "2026-12-01.yaml", "--person", person, "--db", db)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"Error: Invalid value for '--person': {message}\n")
    assert not db.exists()


def test_a_started_action_still_without_evidence_is_stalled_and_says_it_was_started(tmp_path: Path) -> None:
    db = tmp_path / "r.sqlite3"
    runs = _year(db)
    third = " ".join(runs[2].stdout.split())
    assert (
        "Build two contacts who work in your field in the target region (started, but recommended at the last 2 "
        "reviews, since 2026-12-01)"
    ) in third
