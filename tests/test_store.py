"""The review store: check-ins kept, ordered, isolated, moved, and files that are not stores left alone."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import goalpath
from goalpath.store import APPLICATION_ID, SCHEMA_VERSION, CheckIn, Store, StoreError, default_path, schema
from goalpath.store.location import locate

from strategies import profiles

ENGINE = str(Path(goalpath.__file__).resolve().parent.parent)
DAY = dt.date(2024, 3, 31)
PACKS = [{"name": "goalpath", "version": "0.1.0", "sha256": "0" * 64}]
INDICATORS: list[dict[str, Any]] = [
    {"name": "interviews", "kind": "leading", "measures": "volume", "current": 2.0, "target": 6.0},
    {"name": "offer", "kind": "lagging", "measures": None, "current": None, "target": 1.0},
]


def fields(person: str = "ana", date: dt.date = DAY, **changes: Any) -> dict[str, Any]:
    """The arguments of one Store.add; ``changes`` replace some."""
    base: dict[str, Any] = {
        "person": person,
        "date": date,
        "profile": {"goal": {"title": "Staff engineer", "type": "professional_advancement"}},
        "packs": PACKS,
        "result": {"actions": [{"id": "update-cv", "score": 0.75}], "title": "Next steps"},
        "indicators": INDICATORS,
        "actions": {"update-cv": "started", "find-mentor": "recommended"},
        "note": "",
    }
    return {**base, **changes}


def add(store: Store, person: str = "ana", date: dt.date = DAY, **changes: Any) -> CheckIn:
    return store.add(**fields(person, date, **changes))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def integrity(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def child_env() -> dict[str, str]:
    paths = [ENGINE] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "reviews.sqlite3"


# -- Keeping check-ins --------------------------------------------------------------------


def test_a_check_in_comes_back_as_it_was_added(path: Path) -> None:
    with Store.open(path) as store:
        first = add(store, note="started the search")
        assert first.recorded_at.endswith("Z")
        assert first.indicators == INDICATORS and first.packs == PACKS
    with Store.open(path, create=False) as store:
        assert store.checkins("ana") == [first]
        assert store.last("ana") == first
        assert store.people() == ["ana"]
        assert store.schema_version == SCHEMA_VERSION == 1
        assert store.path == path


def test_check_ins_are_ordered_by_date_then_by_write_order(path: Path) -> None:
    with Store.open(path) as store:
        june_a = add(store, date=dt.date(2024, 6, 30), note="a")
        march = add(store, date=dt.date(2024, 3, 31))
        june_b = add(store, date=dt.date(2024, 6, 30), note="b")
        june_c = add(store, date=dt.date(2024, 6, 30), note="c")
        add(store, person="bo", date=dt.date(2025, 1, 1))
        assert store.checkins("ana") == [march, june_a, june_b, june_c]
        assert store.last("ana") == june_c
        assert store.last("ana", before=dt.date(2024, 6, 30)) == march  # strictly before
        assert store.last("ana", before=dt.date(2024, 7, 1)) == june_c
        assert store.last("ana", before=dt.date(2024, 3, 31)) is None
        assert store.last("nobody") is None
        assert store.checkins("nobody") == []
        assert store.people() == ["ana", "bo"]


def test_adding_the_same_check_in_again_writes_nothing_and_returns_the_first(path: Path) -> None:
    with Store.open(path) as store:
        first = add(store)
        time.sleep(0.002)  # a second write would carry a later recorded_at
        again = store.add(**fields(indicators=[{**INDICATORS[0], "current": 2}, INDICATORS[1]]))  # 2 is 2.0
        assert again == first and again.recorded_at == first.recorded_at
        other = add(store, note="a second look, same day")
        assert other.key != first.key
        assert store.checkins("ana") == [first, other]


def test_the_key_is_the_content_whatever_the_order_of_its_dicts() -> None:
    one = CheckIn(**fields(), recorded_at="2024-04-01T09:00:00Z")
    reordered = fields(profile={"goal": {"type": "professional_advancement", "title": "Staff engineer"}})
    two = CheckIn(**reordered, recorded_at="2030-01-01T00:00:00+00:00")
    assert one.key == two.key and one != two  # recorded_at is not content
    content = dict(fields())
    content["date"] = DAY.isoformat()
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert one.key == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    # Pinned: stores on other machines hold this key; a change here breaks their imports.
    assert one.key == "e7fa847e9354c8ec2f58027fa122b8fa0c9beb5fc8ad6aa1683ae306a3950dfe"
    assert CheckIn(**fields(note="x"), recorded_at=one.recorded_at).key != one.key
    assert len({one, two, CheckIn(**fields(), recorded_at=one.recorded_at)}) == 2  # hashable, equal when all fields are


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"person": ""}, ValueError, "person: must not be empty"),
        ({"person": "x" * 201}, ValueError, "person: must be at most 200 characters, got 201"),
        ({"person": "ana\n"}, ValueError, "person: must not contain control characters, got 'ana\\n'"),
        ({"person": 7}, TypeError, "person: must be a str, got int"),
        ({"date": "2024-03-31"}, TypeError, "date: must be a datetime.date, got str (use datetime.date.fromisoformat)"),
        ({"profile": [1]}, TypeError, "profile: must be a JSON object (a dict), got list"),
        ({"profile": {"a": {1: 2}}}, TypeError, "profile.a: keys must be str, got int 1"),
        ({"result": {"score": float("nan")}}, ValueError, "result.score: nan is not a JSON number"),
        ({"result": {"when": DAY}}, TypeError, "result.when: date is not a JSON value"),
        ({"packs": [{"name": "p", "version": "1"}]}, ValueError, "packs[0].sha256: missing"),
        (
            {"indicators": [{**INDICATORS[0], "kind": "lead"}]},
            ValueError,
            "indicators[0].kind: must be 'leading' or 'lagging', got 'lead'",
        ),
        (
            {"indicators": [{**INDICATORS[0], "current": True}]},
            TypeError,
            "indicators[0].current: must be a number or None, got bool",
        ),
        ({"indicators": [{**INDICATORS[0], "unit": "x"}]}, ValueError, "indicators[0].unit: unknown field"),
        (
            {"actions": {"update-cv": "finished"}},
            ValueError,
            "actions.update-cv: must be one of 'recommended', 'started', 'done', 'dropped', got 'finished'",
        ),
        ({"note": None}, TypeError, "note: must be a str (empty for no note), got None"),
        ({"note": "\ud800"}, ValueError, "note: contains a lone surrogate"),
        ({"actions": {"a b": "gone"}}, ValueError, "actions['a b']: must be one of"),
    ],
)
def test_a_bad_field_is_refused_by_name_and_nothing_is_written(
    path: Path, changes: dict[str, Any], error: type[Exception], message: str
) -> None:
    with Store.open(path) as store:
        with pytest.raises(error) as raised:
            add(store, **changes)
        assert str(raised.value).startswith(message)
        assert store.people() == []


def test_a_datetime_counts_as_its_date(path: Path) -> None:
    with Store.open(path) as store:
        checkin = add(store, date=dt.datetime(2024, 3, 31, 23, 59))
        assert type(checkin.date) is dt.date and checkin.date == DAY
        assert store.last("ana", before=dt.datetime(2024, 4, 1, 0, 0)) == checkin


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)
people = st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=30)
numbers = st.none() | st.floats(allow_nan=False, allow_infinity=False) | st.integers(-1000, 1000)
indicators = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.text(max_size=10),
            "kind": st.sampled_from(["leading", "lagging"]),
            "measures": st.none() | st.text(max_size=10),
            "current": numbers,
            "target": numbers,
        }
    ),
    max_size=3,
)
checkin_fields = st.fixed_dictionaries(
    {
        "person": people,
        "date": st.dates(),
        "profile": profiles,
        "packs": st.lists(
            st.fixed_dictionaries({"name": st.text(max_size=8), "version": st.text(max_size=8), "sha256": st.text()}),
            max_size=2,
        ),
        "result": st.dictionaries(st.text(max_size=8), json_values, max_size=4),
        "indicators": indicators,
        "actions": st.dictionaries(
            st.text(min_size=1, max_size=12), st.sampled_from(["recommended", "started", "done", "dropped"])
        ),
        "note": st.text(max_size=40),
    }
)


@contextlib.contextmanager
def fresh_store() -> Iterator[Store]:
    # Hypothesis runs many examples per test: a tmp_path fixture would be shared by all.
    with tempfile.TemporaryDirectory() as folder, Store.open(Path(folder) / "reviews.sqlite3") as store:
        yield store


@settings(max_examples=60, deadline=None)
@given(checkin_fields)
def test_a_check_in_survives_json_and_the_database_unchanged(given_fields: dict[str, Any]) -> None:
    with fresh_store() as store:
        added = store.add(**given_fields)
        assert CheckIn.from_json(json.loads(json.dumps(added.to_json()))) == added
        assert store.checkins(added.person) == [added]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(people, min_size=2, max_size=4, unique=True).flatmap(
        lambda names: st.tuples(
            st.just(names),
            st.lists(
                st.tuples(
                    st.sampled_from(names), st.dates(dt.date(2024, 1, 1), dt.date(2024, 12, 31)), st.text(max_size=3)
                ),
                max_size=25,
            ),
        )
    )
)
def test_each_person_sees_exactly_their_own_check_ins(case: tuple[list[str], list[tuple[str, dt.date, str]]]) -> None:
    names, writes = case
    with fresh_store() as store:
        added = [add(store, person, date, note=note) for person, date, note in writes]
        for name in names:
            first_written: dict[str, CheckIn] = {}
            for checkin in added:
                if checkin.person == name:
                    first_written.setdefault(checkin.key, checkin)  # a repeat was not written again
            expected = sorted(first_written.values(), key=lambda c: c.date)  # stable: write order breaks ties
            assert store.checkins(name) == expected
            assert store.last(name) == (expected[-1] if expected else None)
        assert store.people() == sorted({person for person, _, _ in writes})


# -- Moving a store -----------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(checkin_fields, max_size=8))
def test_a_dump_loads_into_a_fresh_store_as_the_same_store(many: list[dict[str, Any]]) -> None:
    with fresh_store() as original:
        for one in many:
            original.add(**one)
        dumped = original.dump()
        assert dumped["format"] == "goalpath-reviews" and dumped["version"] == 1
        moved = json.loads(json.dumps(dumped))  # as through a file
        with fresh_store() as copy:
            added, skipped = copy.load(moved)
            assert added + skipped == len(dumped["checkins"]) and skipped == 0
            assert copy.dump() == dumped
            for person in original.people():
                assert copy.checkins(person) == original.checkins(person)
            assert copy.load(moved) == (0, added)  # everything is a duplicate now


def test_dump_is_ordered_by_person_date_and_write_order(path: Path) -> None:
    with Store.open(path) as store:
        add(store, "bo", dt.date(2024, 1, 1))
        add(store, "ana", dt.date(2024, 6, 1), note="first written")
        add(store, "ana", dt.date(2024, 2, 1))
        add(store, "ana", dt.date(2024, 6, 1), note="second written")
        rows = [(c["person"], c["date"], c["note"]) for c in store.dump()["checkins"]]
        assert rows == [
            ("ana", "2024-02-01", ""),
            ("ana", "2024-06-01", "first written"),
            ("ana", "2024-06-01", "second written"),
            ("bo", "2024-01-01", ""),
        ]
        assert [c["person"] for c in store.export_person("bo")["checkins"]] == ["bo"]
        assert store.export_person("nobody") == {"format": "goalpath-reviews", "version": 1, "checkins": []}


def test_loading_into_a_store_that_has_some_skips_those(tmp_path: Path) -> None:
    with Store.open(tmp_path / "laptop.sqlite3") as laptop:
        shared = [add(laptop, date=dt.date(2024, m, 1)) for m in (1, 4, 7)]
        export = laptop.dump()
    with Store.open(tmp_path / "desktop.sqlite3") as desktop:
        own = add(desktop, date=dt.date(2024, 10, 1))
        desktop.load({**export, "checkins": export["checkins"][:1]})
        assert desktop.load(export) == (2, 1)
        assert desktop.checkins("ana") == [*shared, own]
        doubled = {**export, "checkins": export["checkins"] + export["checkins"]}
        assert desktop.load(doubled) == (0, 6)


def _record(export: dict[str, Any], index: int, **changes: Any) -> dict[str, Any]:
    records = [dict(r) for r in export["checkins"]]
    records[index].update(changes)
    return {**export, "checkins": records}


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda e: _record(e, 3, date="2024-02-30"), "checkins[3].date: not a date (YYYY-MM-DD), got '2024-02-30'"),
        (lambda e: _record(e, 3, date="20240301"), "checkins[3].date: not a date (YYYY-MM-DD), got '20240301'"),
        (lambda e: _record(e, 3, note="edited"), "checkins[3].key: does not match the check-in's content"),
        (lambda e: _record(e, 3, colour="red"), "checkins[3].colour: unknown field"),
        (lambda e: _record(e, 3, recorded_at="yesterday"), "checkins[3].recorded_at: not an ISO-8601 timestamp"),
        (lambda e: _record(e, 3, recorded_at="2024-04-01T09:00:00"), "checkins[3].recorded_at: must be in UTC"),
        (lambda e: _record(e, 3, actions={"x": "maybe"}), "checkins[3].actions.x: must be one of"),
        (
            lambda e: {**e, "checkins": e["checkins"][:3] + [[1]] + e["checkins"][3:]},
            "checkins[3]: must be a JSON object, got list",
        ),
        (lambda e: {k: v for k, v in e.items() if k != "format"}, "format: must be 'goalpath-reviews'"),
        (lambda e: {**e, "version": "1"}, "version: must be a whole number from 1, got '1'"),
        (lambda e: {**e, "checkins": None}, "checkins: must be a list, got NoneType"),
        (lambda e: {**e, "extra": 1}, "extra: unknown field"),
    ],
)
def test_a_bad_export_is_refused_at_its_first_bad_place_and_nothing_is_written(
    path: Path, spoil: Callable[[dict[str, Any]], Any], message: str
) -> None:
    with Store.open(path) as store:
        export: dict[str, Any] = {
            "format": "goalpath-reviews",
            "version": 1,
            "checkins": [
                CheckIn(**fields(date=dt.date(2024, m, 1)), recorded_at="2024-12-01T00:00:00Z").to_json()
                for m in range(1, 7)
            ],
        }
        export["checkins"][5]["date"] = "later"  # a second bad place: only the first is named
        store_bytes = sha256(path)
        with pytest.raises(StoreError) as raised:
            store.load(spoil(export), source="backup.json")
        assert str(raised.value).startswith(f"backup.json: bad-export: {message}")
        assert raised.value.code == "bad-export"
        assert store.people() == [] and sha256(path) == store_bytes


def test_an_export_from_a_newer_goalpath_is_refused(path: Path) -> None:
    with Store.open(path) as store:
        with pytest.raises(StoreError) as raised:
            store.load({"format": "goalpath-reviews", "version": 2, "checkins": []}, source="new.json")
        assert str(raised.value) == (
            "new.json: newer-export: written by a newer goalpath (export version 2; this goalpath reads up to 1); "
            "upgrade goalpath to import it"
        )


# -- Several processes, and processes that die --------------------------------------------

WRITER = """
import datetime as dt, sys
from goalpath.store import Store
path, who = sys.argv[1], sys.argv[2]
sys.stdin.readline()  # all writers start together
for n in range(50):
    with Store.open(path) as store:  # as 50 separate goalpath runs would
        store.add(who, dt.date(2024, 1, 1) + dt.timedelta(days=n % 7), profile={"n": n}, packs=[], result={},
                  indicators=[], actions={}, note=f"{who} {n}")
"""


def test_writers_in_separate_processes_all_get_their_check_ins_stored(path: Path) -> None:
    # The file does not exist yet: the writers also race to create it.
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), f"writer{index}"],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        for index in range(3)
    ]
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.close()
    for writer in writers:
        assert writer.wait(timeout=60) == 0, writer.stderr.read() if writer.stderr else ""
    with Store.open(path) as store:
        assert store.people() == ["writer0", "writer1", "writer2"]
        for index in range(3):
            notes = sorted(c.note for c in store.checkins(f"writer{index}"))
            assert notes == sorted(f"writer{index} {n}" for n in range(50))
    assert integrity(path) == "ok"


IMPORTER = """
import json, sys, time
from goalpath.store import Store, db
path, export = sys.argv[1], sys.argv[2]
insert, written = db._insert, []
def insert_then_wait(connection, checkin):
    inserted = insert(connection, checkin)
    written.append(checkin)
    if len(written) == 40:
        print("inside", flush=True)  # 40 rows in, uncommitted: kill me now
        time.sleep(60)
    return inserted
db._insert = insert_then_wait
with Store.open(path) as store:
    store._connection.execute("PRAGMA cache_size = 5")  # spill the rows to the -wal file before commit
    store.load(json.loads(open(export).read()))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_write_killed_mid_transaction_leaves_earlier_check_ins_and_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "reviews.sqlite3"
    with Store.open(path) as store:
        earlier = [add(store, date=dt.date(2024, m, 1)) for m in (1, 4)]
    big = {"history": "x" * 20_000}  # 40 of these far exceed 5 cached pages
    export = {
        "format": "goalpath-reviews",
        "version": 1,
        "checkins": [
            CheckIn(
                **fields("bo", dt.date(2024, 1, 1), profile={**big, "n": n}), recorded_at="2024-12-01T00:00:00Z"
            ).to_json()
            for n in range(60)
        ],
    }
    (tmp_path / "export.json").write_text(json.dumps(export))
    child = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(path), str(tmp_path / "export.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == "inside\n", child.stderr.read() if child.stderr else ""
        wal = Path(f"{path}-wal")
        assert wal.stat().st_size > 40 * 20_000  # the half-written rows really are on disk
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    with Store.open(path) as store:
        assert store.checkins("ana") == earlier
        assert store.people() == ["ana"]
        add(store, "bo")  # and the store takes new writes
    assert integrity(path) == "ok"


def test_a_full_disk_refuses_the_write_and_keeps_earlier_check_ins(path: Path) -> None:
    with Store.open(path) as store:
        earlier = add(store)
        connection = store._connection  # the test's way to make the file's "disk" full
        assert connection is not None
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(StoreError) as raised:
            add(store, note="x" * 100_000)
        assert str(raised.value) == (
            f"{path}: store-full: cannot write to it: the disk is full; the check-in was not recorded"
        )
        many = [CheckIn(**fields("bo", note=str(n) * 5000), recorded_at="2024-12-01T00:00:00Z") for n in range(10)]
        with pytest.raises(StoreError) as raised:
            store.load({"format": "goalpath-reviews", "version": 1, "checkins": [c.to_json() for c in many]})
        assert raised.value.code == "store-full" and str(raised.value).endswith("nothing was imported")
        assert store.checkins("ana") == [earlier]
        assert store.people() == ["ana"]
    with Store.open(path) as store:
        assert store.checkins("ana") == [earlier]
        add(store, note="x" * 100_000)  # the disk has room again
    assert integrity(path) == "ok"


def test_a_store_locked_too_long_is_reported_busy(path: Path) -> None:
    with Store.open(path, busy_timeout=0.2) as store:
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")
            started = time.monotonic()
            with pytest.raises(StoreError) as raised:
                add(store)
            assert time.monotonic() - started >= 0.2
            assert str(raised.value) == (
                f"{path}: store-busy: another program kept the store locked for over 0.2 seconds; "
                "the check-in was not recorded; try again when it has finished"
            )
            other.execute("ROLLBACK")
        add(store)
        assert len(store.checkins("ana")) == 1


# -- Files that are not ours, or not well -------------------------------------------------


def _text_file(path: Path) -> None:
    path.write_text("person,date\nana,2024-03-31\n")


def _random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(7).randbytes(8192))


def _foreign(path: Path, wal: bool = False, application_id: int = 0) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE songs (title TEXT)")
        connection.execute("INSERT INTO songs VALUES ('la')")
        connection.execute(f"PRAGMA application_id = {application_id}")
        if wal:
            connection.execute("PRAGMA journal_mode = WAL")
        connection.commit()


def _ours(path: Path) -> None:
    with Store.open(path) as store:
        for n in range(40):
            add(store, note=str(n) * 200)


def _newer(path: Path) -> None:
    _ours(path)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA user_version = 2")


def _garbled(start: int) -> Callable[[Path], None]:
    def garble(path: Path) -> None:
        _ours(path)
        data = bytearray(path.read_bytes())
        data[start:] = random.Random(3).randbytes(len(data) - start)
        path.write_bytes(bytes(data))

    return garble


def _empty_but_versioned(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA user_version = 5")


NOT_SQLITE = "not-a-store: not a goalpath review store (not an SQLite database); it was left untouched"
FOREIGN = "not-a-store: not a goalpath review store (an SQLite database of another application); it was left untouched"
NEWER = "newer-store: written by a newer goalpath (store schema 2; this goalpath reads up to 1); upgrade goalpath to read it"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_text_file, NOT_SQLITE),
        (_random_bytes, NOT_SQLITE),
        (
            lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(20)),
            "corrupt-store: the review store is damaged (the file ends inside",
        ),
        (
            lambda p: p.write_bytes(b"SQLite format 3\x00" + random.Random(1).randbytes(8192)),
            "corrupt-store: the review store is damaged",
        ),
        (_foreign, FOREIGN),
        (lambda p: _foreign(p, wal=True), FOREIGN),
        (lambda p: _foreign(p, application_id=0x12345678), FOREIGN),
        (_empty_but_versioned, FOREIGN),
        (_newer, NEWER),
        (_garbled(4096), "corrupt-store: the review store is damaged"),
        (_garbled(100), "corrupt-store: the review store is damaged"),
    ],
    ids=[
        "text",
        "random-bytes",
        "truncated-header",
        "sqlite-magic-then-noise",
        "foreign",
        "foreign-wal",
        "foreign-application-id",
        "foreign-empty-with-version",
        "newer",
        "garbage-pages",
        "garbage-schema",
    ],
)
def test_a_file_that_is_not_a_sound_store_is_refused_and_left_untouched(
    tmp_path: Path, make: Callable[[Path], None], expected: str
) -> None:
    path = tmp_path / "reviews.sqlite3"
    make(path)
    before, siblings = sha256(path), sorted(os.listdir(tmp_path))
    for create in (True, False):
        with pytest.raises(StoreError) as raised:
            Store.open(path, create=create)
        assert str(raised.value).startswith(f"{path}: {expected}")
        assert sha256(path) == before
        assert sorted(os.listdir(tmp_path)) == siblings


def test_a_newer_schema_still_in_the_wal_file_is_refused(path: Path) -> None:
    # The main file's header still says version 1: only SQLite, reading the -wal, sees 2.
    _ours(path)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as newer:
        newer.execute("PRAGMA user_version = 2")
        before = sha256(path)
        assert int.from_bytes(path.read_bytes()[60:64], "big") == 1
        with pytest.raises(StoreError) as raised:
            Store.open(path)
        assert str(raised.value) == f"{path}: {NEWER}"
        assert sha256(path) == before


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as raised:
        Store.open(tmp_path)
    assert str(raised.value) == f"{tmp_path}: not-a-store: this is a folder, not a goalpath review store"


def test_an_empty_file_or_empty_sqlite_database_becomes_a_store(tmp_path: Path) -> None:
    empty, blank = tmp_path / "empty.sqlite3", tmp_path / "blank.sqlite3"
    empty.touch()
    sqlite3.connect(blank).close()
    with contextlib.closing(sqlite3.connect(blank)) as connection:
        connection.execute("PRAGMA page_size = 8192")
        connection.execute("VACUUM")  # a real, empty SQLite file, not 0 bytes
    assert blank.stat().st_size > 0
    for path in (empty, blank):
        with Store.open(path, create=False) as store:
            add(store)
        header = path.read_bytes()[:100]
        assert int.from_bytes(header[68:72], "big") == APPLICATION_ID == int.from_bytes(b"GPTH", "big")
        with contextlib.closing(sqlite3.connect(path)) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert connection.execute("PRAGMA user_version").fetchone()[0] == 1


def test_opening_a_missing_store_without_create_makes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "reviews.sqlite3"
    with pytest.raises(StoreError) as raised:
        Store.open(path, create=False)
    assert str(raised.value) == f"{path}: no-store: no reviews are stored here: the file does not exist"
    assert os.listdir(tmp_path) == []
    with Store.open(path) as store:  # the default creates the folders too
        assert store.people() == []
    assert path.is_file()


def test_a_row_edited_outside_goalpath_is_reported(path: Path) -> None:
    with Store.open(path) as store:
        add(store)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("UPDATE checkins SET note = 'rewritten'")
        connection.commit()
    with Store.open(path) as store, pytest.raises(StoreError) as raised:
        store.checkins("ana")
    assert raised.value.code == "corrupt-store"
    assert "check-in 1 does not match its key, so it was changed outside goalpath" in str(raised.value)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` (file or folder) read-only even to root: chmod, or the immutable flag for root."""
    if os.name != "posix":
        pytest.skip("needs POSIX permissions")
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root, and chattr +i is not available to make a file read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_store_can_be_read_but_not_written(path: Path) -> None:
    with Store.open(path) as store:
        earlier = add(store)
    before = sha256(path)
    with read_only(path), Store.open(path) as store:
        assert store.checkins("ana") == [earlier]
        with pytest.raises(StoreError) as raised:
            add(store, note="new")
        assert str(raised.value) == (
            f"{path}: store-unwritable: cannot write to it: permission denied, or it or its folder is read-only; "
            "the check-in was not recorded"
        )
    assert sha256(path) == before


def test_a_store_cannot_be_created_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    with read_only(folder):
        for path in (folder / "reviews.sqlite3", folder / "sub" / "reviews.sqlite3"):
            with pytest.raises(StoreError) as raised:
                Store.open(path)
            assert raised.value.code == "store-unwritable"
        assert os.listdir(folder) == []


# -- Schema versions ----------------------------------------------------------------------

VERSION_2 = """
ALTER TABLE checkins ADD COLUMN mood TEXT;  -- a comment; with a semicolon
CREATE TABLE tags (checkin INTEGER NOT NULL REFERENCES checkins (id), tag TEXT NOT NULL);
CREATE TRIGGER no_empty_tags BEFORE INSERT ON tags WHEN new.tag = '' BEGIN SELECT RAISE(ABORT, 'empty; tag'); END;
"""


def test_an_older_store_is_migrated_when_opened_and_keeps_its_check_ins(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(path) as store:
        earlier = [add(store, date=dt.date(2024, m, 1)) for m in (1, 4)]
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, VERSION_2))
    with Store.open(path) as store:
        assert store.schema_version == 2
        assert store.checkins("ana") == earlier
        later = add(store, date=dt.date(2024, 7, 1))
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        assert "mood" in [row[1] for row in connection.execute("PRAGMA table_info(checkins)")]
        with pytest.raises(sqlite3.IntegrityError, match="empty; tag"):
            connection.execute("INSERT INTO tags VALUES (1, '')")
    monkeypatch.undo()
    with pytest.raises(StoreError) as raised:
        Store.open(path)  # the goalpath before the migration refuses the migrated file
    assert str(raised.value) == f"{path}: {NEWER}"
    assert later.date == dt.date(2024, 7, 1)


def test_a_migration_that_fails_leaves_the_file_at_its_old_version(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(path) as store:
        earlier = add(store)
    broken = "ALTER TABLE checkins ADD COLUMN mood TEXT;\nCREATE TABLE checkins (x);"  # the second fails
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        Store.open(path)  # a broken migration is goalpath's bug: it is not dressed as bad input
    with contextlib.closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "mood" not in [row[1] for row in connection.execute("PRAGMA table_info(checkins)")]
    monkeypatch.undo()
    with Store.open(path) as store:
        assert store.checkins("ana") == [earlier]


def test_a_script_is_cut_into_statements_where_sqlite_ends_them() -> None:
    assert schema.statements(VERSION_2) == [
        "ALTER TABLE checkins ADD COLUMN mood TEXT;",
        "-- a comment; with a semicolon\nCREATE TABLE tags (checkin INTEGER NOT NULL REFERENCES checkins (id), tag TEXT NOT NULL);",
        "CREATE TRIGGER no_empty_tags BEFORE INSERT ON tags WHEN new.tag = '' BEGIN SELECT RAISE(ABORT, 'empty; tag'); END;",
    ]
    with pytest.raises(ValueError, match="unfinished statement"):
        schema.statements("CREATE TABLE t (x TEXT DEFAULT 'open;")


# -- Where the store lives, and what using it loads ---------------------------------------


def test_default_path_honours_goalpath_db_and_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOALPATH_DB", str(tmp_path / "mine.sqlite3"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "mine.sqlite3"
    with Store.open() as store:
        assert store.path == tmp_path / "mine.sqlite3"
    assert (tmp_path / "mine.sqlite3").is_file()
    monkeypatch.setenv("GOALPATH_DB", "")  # empty is unset
    if sys.platform not in ("win32", "darwin"):
        assert default_path() == tmp_path / "data" / "goalpath" / "reviews.sqlite3"


def test_the_default_folder_of_each_platform() -> None:
    home = Path("/home/ana")
    assert locate("linux", {}, lambda: home) == home / ".local/share/goalpath/reviews.sqlite3"
    assert locate("linux", {"XDG_DATA_HOME": "/data"}, lambda: home) == Path("/data/goalpath/reviews.sqlite3")
    assert locate("linux", {"XDG_DATA_HOME": "rel"}, lambda: home) == home / ".local/share/goalpath/reviews.sqlite3"
    assert locate("darwin", {"XDG_DATA_HOME": "/data"}, lambda: home) == (
        home / "Library/Application Support/goalpath/reviews.sqlite3"
    )
    assert locate("win32", {"LOCALAPPDATA": "/appdata"}, lambda: home) == Path("/appdata/goalpath/reviews.sqlite3")
    assert locate("win32", {"GOALPATH_DB": "/x.db"}, lambda: home) == Path("/x.db")


def test_a_closed_store_says_so(path: Path) -> None:
    store = Store.open(path)
    store.close()
    store.close()
    with pytest.raises(ValueError, match="is closed"):
        store.people()


def test_bad_arguments_to_open_are_named(path: Path) -> None:
    with pytest.raises(TypeError, match="path must be a str, an os.PathLike or None, got bytes"):
        Store.open(b"reviews.sqlite3")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="path must not be empty"):
        Store.open("")
    with pytest.raises(ValueError, match="busy_timeout must be from 0"):
        Store.open(path, busy_timeout=-1)
    assert not path.exists()


def test_importing_the_store_loads_nothing_heavy() -> None:
    code = "import json, sys; import goalpath.store; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=child_env())
    assert result.returncode == 0, result.stderr
    loaded = {name.split(".")[0] for name in json.loads(result.stdout)}
    assert "sqlite3" in loaded
    assert not loaded & {"click", "rich", "pydantic", "yaml", "durable"}
    assert not {"goalpath.api", "goalpath.profile", "goalpath.results"} & set(json.loads(result.stdout))
