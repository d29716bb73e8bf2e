"""The review store: one SQLite file of check-ins, opened, checked, migrated, read and written.

How the file is used, and why:

- ``journal_mode=WAL``: readers never wait for a writer, and a writer killed mid-way
  leaves only uncommitted frames in the ``-wal`` file, which SQLite ignores on recovery.
- ``synchronous=FULL``: every commit is synced to disk, so a check-in goalpath said it
  recorded survives a power cut too. NORMAL would only risk the last commits, but a review
  is written a few times a year and the sync costs milliseconds.
- Every write is one ``BEGIN IMMEDIATE`` transaction: it takes the write lock before
  reading, so two writers queue (for up to ``busy_timeout``, 10 s by default) instead of
  one failing when it tries to upgrade a read lock.
- ``foreign_keys=ON``, so that a later schema's references are enforced.
- ``PRAGMA quick_check`` on every open, so damage is reported as such, before any write.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn

from . import schema
from .checkin import CheckIn, Indicator, Pack, Status, canonical_json, check_date, check_person
from .errors import corrupt, failure, foreign, newer, refusal
from .header import vet
from .location import default_path
from .transfer import export, parse

#: Seconds a write waits for another process's write lock before giving up (``store-busy``).
BUSY_TIMEOUT = 10.0

_COLUMNS = "id, key, person, date, recorded_at, profile, packs, result, indicators, actions, note"
_INSERT = (
    "INSERT INTO checkins (key, person, date, recorded_at, profile, packs, result, indicators, actions, note)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING"
)


class Store:
    """An open review store. Build one with :meth:`Store.open`; use it as a context manager.

    >>> with Store.open("reviews.sqlite3") as store:   # doctest: +SKIP
    ...     store.add("ana", datetime.date(2024, 3, 31), profile=..., packs=[], result=..., indicators=[], actions={})
    ...     store.last("ana")

    One store is for one thread; several processes may use one file at once. Every method
    raises :class:`StoreError` when the file cannot be read or written (damaged, disk full,
    read-only, locked too long), and a failed write leaves the store as it was.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, version: int, timeout: float) -> None:
        # Private: Store.open vets, sets up and migrates the file first.
        self._connection: sqlite3.Connection | None = connection
        self._timeout = timeout
        self._version = version
        #: The store's file.
        self.path = path

    @classmethod
    def open(
        cls, path: str | os.PathLike[str] | None = None, *, create: bool = True, busy_timeout: float = BUSY_TIMEOUT
    ) -> Store:
        """Open the store at ``path`` (default: :func:`default_path`), migrating an older schema.

        With ``create`` (the default) a missing file and its folders are created; with
        ``create=False`` a missing file is an error. A 0-byte file or an empty SQLite
        database is set up as a store. A file that is not goalpath's is never modified.

        Raises:
            StoreError: ``no-store`` (missing, ``create=False``), ``not-a-store``,
                ``corrupt-store``, ``newer-store``, ``store-unwritable``,
                ``store-unreadable``, ``store-busy``, ``store-full``, ``store-io``.
            TypeError, ValueError: ``path`` is not a path or is empty, or ``busy_timeout``
                is not a number of seconds from 0.
        """
        where = _path(path)
        timeout = _timeout(busy_timeout)
        name = str(where)
        found = vet(where)
        if found == "absent":
            if not create:
                raise refusal(name, "no-store", "no reviews are stored here: the file does not exist")
            try:
                where.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise refusal(
                    name, "store-unwritable", f"cannot create its folder {str(where.parent)!r}: {error.strerror}"
                ) from None
        try:
            connection = sqlite3.connect(where, timeout=timeout, isolation_level=None)
        except sqlite3.Error as error:
            _raise(error, name, "the store was not opened", timeout)
        try:
            version = _prepare(connection, name, found != "ours", timeout)
        except BaseException:
            connection.close()
            raise
        return cls(connection, where, version, timeout)

    @property
    def schema_version(self) -> int:
        """The schema version of the open file (always :data:`~.schema.SCHEMA_VERSION` once opened)."""
        return self._version

    def close(self) -> None:
        """Close the store; closing it again does nothing."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "" if self._connection is not None else ", closed"
        return f"Store({str(self.path)!r}{state})"

    def add(
        self,
        person: str,
        date: dt.date,
        *,
        profile: dict[str, Any],
        packs: list[Pack],
        result: dict[str, Any],
        indicators: list[Indicator],
        actions: dict[str, Status],
        note: str = "",
    ) -> CheckIn:
        """Record a check-in for ``person`` as of ``date``, and return it.

        The arguments are the fields of :class:`CheckIn`; ``recorded_at`` is now. If a
        check-in with the same content (the same key) is stored already, nothing is written
        and that one is returned, with its own ``recorded_at``. Several check-ins for one
        person and date, each different, are kept in the order they were written.

        Raises:
            TypeError, ValueError: an argument is not as :class:`CheckIn` requires (named).
            StoreError: the check-in could not be written (``store-full``,
                ``store-unwritable``, ``store-busy``, ...); the store is as it was.
        """
        checkin = CheckIn(
            person=person,
            date=date,
            profile=profile,
            packs=packs,
            result=result,
            indicators=indicators,
            actions=actions,
            note=note,
            recorded_at=_now(),
        )
        with self._writing("the check-in was not recorded") as connection:
            if not _insert(connection, checkin):
                row = connection.execute(f"SELECT {_COLUMNS} FROM checkins WHERE key = ?", (checkin.key,)).fetchone()
                return self._checkin(row)
        return checkin

    def checkins(self, person: str) -> list[CheckIn]:
        """``person``'s check-ins, by date and then in the order they were written ([] for none)."""
        person = check_person(person)
        return self._select("WHERE person = ? ORDER BY date, id", (person,))

    def last(self, person: str, before: dt.date | None = None) -> CheckIn | None:
        """``person``'s latest check-in dated strictly before ``before`` (default: the latest of all), or None.

        Of several on that date, the last written is the latest.
        """
        person = check_person(person)
        if before is None:
            found = self._select("WHERE person = ? ORDER BY date DESC, id DESC LIMIT 1", (person,))
        else:
            day = check_date(before, "before").isoformat()
            found = self._select("WHERE person = ? AND date < ? ORDER BY date DESC, id DESC LIMIT 1", (person, day))
        return found[0] if found else None

    def people(self) -> list[str]:
        """The ids of everyone with a check-in, sorted."""
        with self._reading() as connection:
            rows = connection.execute("SELECT DISTINCT person FROM checkins").fetchall()
        return sorted(row[0] for row in rows)

    def dump(self) -> dict[str, Any]:
        """The whole store as an export (a JSON-able dict), ordered by person, date and write order."""
        return export(self._select("ORDER BY person, date, id", ()))

    def export_person(self, person: str) -> dict[str, Any]:
        """An export, like :meth:`dump`, of ``person``'s check-ins alone."""
        return export(self.checkins(person))

    def load(self, data: Mapping[str, Any], *, source: str = "export") -> tuple[int, int]:
        """Import an export (from :meth:`dump` or :meth:`export_person`); returns (added, skipped).

        A check-in already stored (the same key), or twice in ``data``, is skipped. Every
        record is checked before anything is written, and all are written in one
        transaction: an import adds everything or nothing. ``source`` names where ``data``
        came from, for errors.

        Raises:
            StoreError: ``bad-export`` naming the first bad place (``checkins[3].date: ...``)
                or ``newer-export``, with ``source`` as the file; or the store could not be
                written (``store-full``, ...), with nothing imported.
        """
        checkins = parse(data, source)
        added = 0
        with self._writing("nothing was imported") as connection:
            for checkin in checkins:
                added += _insert(connection, checkin)
        return added, len(checkins) - added

    def _live(self) -> sqlite3.Connection:
        if self._connection is None:
            raise ValueError(f"the review store {str(self.path)!r} is closed")
        return self._connection

    @contextmanager
    def _writing(self, outcome: str) -> Iterator[sqlite3.Connection]:
        """One write transaction, committed on leaving, rolled back on any error."""
        connection = self._live()
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                _rollback(connection)
                raise
        except sqlite3.Error as error:
            _raise(error, str(self.path), outcome, self._timeout)

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._live()
        except sqlite3.Error as error:
            _raise(error, str(self.path), "nothing was read", self._timeout)

    def _select(self, where: str, parameters: tuple[str, ...]) -> list[CheckIn]:
        with self._reading() as connection:
            rows = connection.execute(f"SELECT {_COLUMNS} FROM checkins {where}", parameters).fetchall()
        return [self._checkin(row) for row in rows]

    def _checkin(self, row: tuple[Any, ...]) -> CheckIn:
        """The check-in a row holds, checked against its key: a mismatch means the file was edited."""
        rowid, key, person, date, recorded_at, *columns = row
        try:
            profile, packs, result, indicators, actions = (_loads(text) for text in columns[:5])
            checkin = CheckIn(
                person=person,
                date=dt.date.fromisoformat(date),
                profile=profile,
                packs=packs,
                result=result,
                indicators=indicators,
                actions=actions,
                note=columns[5],
                recorded_at=recorded_at,
            )
        except (TypeError, ValueError) as error:
            raise corrupt(str(self.path), f"check-in {rowid} cannot be read: {error}") from None
        if checkin.key != key:
            raise corrupt(
                str(self.path), f"check-in {rowid} does not match its key, so it was changed outside goalpath"
            )
        return checkin


def _prepare(connection: sqlite3.Connection, name: str, unclaimed: bool, timeout: float) -> int:
    """Check, set up and migrate a newly opened file; returns its schema version.

    ``unclaimed`` is for a file that was absent or empty when vetted: it is set up unless
    another process has meanwhile made it something else.
    """
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = FULL")
        owner = schema.application_id(connection)
        if owner != schema.APPLICATION_ID and (
            not unclaimed or owner != 0 or connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        ):
            raise foreign(name)
        version = schema.user_version(connection)
        if version > schema.latest():
            raise newer(name, version, schema.latest())
        if owner == schema.APPLICATION_ID:
            problems = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise corrupt(name, "; ".join(str(p) for p in problems[:3]))
        version = schema.migrate(connection)
        # Outside any transaction, as SQLite requires; a file already in WAL mode is not written.
        connection.execute("PRAGMA journal_mode = WAL").fetchone()
    except sqlite3.Error as error:
        _raise(error, name, "the store was not opened", timeout)
    return version


def _raise(error: sqlite3.Error, name: str, outcome: str, timeout: float) -> NoReturn:
    """Raise the StoreError an SQLite error means, or the error itself when it means a bug in goalpath."""
    meaning = failure(error, name, outcome, timeout)
    if meaning is None:
        raise error
    raise meaning from error


def _insert(connection: sqlite3.Connection, checkin: CheckIn) -> bool:
    """Write ``checkin`` unless its key is stored; whether it was written. Inside a write transaction."""
    cursor = connection.execute(
        _INSERT,
        (
            checkin.key,
            checkin.person,
            checkin.date.isoformat(),
            checkin.recorded_at,
            canonical_json(checkin.profile),
            canonical_json(checkin.packs),
            canonical_json(checkin.result),
            canonical_json(checkin.indicators),
            canonical_json(checkin.actions),
            checkin.note,
        ),
    )
    return cursor.rowcount == 1


def _rollback(connection: sqlite3.Connection) -> None:
    # After SQLITE_FULL and a few others SQLite has rolled back already.
    if connection.in_transaction:
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the error that led here is the one to report


def _loads(text: Any) -> Any:
    if not isinstance(text, str):
        raise TypeError(f"a JSON column holds {type(text).__name__}, not text")
    return json.loads(text)


def _path(path: Any) -> Path:
    if path is None:
        return default_path()
    if not (isinstance(path, str) or (isinstance(path, os.PathLike) and isinstance(os.fspath(path), str))):
        raise TypeError(f"path must be a str, an os.PathLike or None, got {type(path).__name__}")
    if os.fspath(path) == "":
        raise ValueError("path must not be empty (None means the default store)")
    return Path(path)


def _timeout(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"busy_timeout must be a number of seconds, got {type(value).__name__}")
    if not 0 <= value < 86_400:
        raise ValueError(f"busy_timeout must be from 0 to 86400 seconds, got {value!r}")
    return float(value)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
