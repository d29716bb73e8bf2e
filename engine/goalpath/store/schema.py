"""The review store's schema, version by version, and the runner that migrates a file to the latest.

Schema version 1 (``PRAGMA user_version = 1``; ``PRAGMA application_id = 0x47505448``,
b"GPTH", marks the file as goalpath's) has one table::

    checkins                   one row per recorded review, never updated or deleted
      id           INTEGER     the rowid: the order check-ins were written in
      key          TEXT        sha256 hex of the canonical content; UNIQUE, so an import skips duplicates
      person       TEXT        the person's id (1 to 200 characters, no control characters)
      date         TEXT        the review's as-of date, YYYY-MM-DD
      recorded_at  TEXT        when the row was written, ISO-8601 UTC; metadata, never used for ordering
      profile      TEXT        the goal profile as it was (canonical JSON object)
      packs        TEXT        the rule packs run: JSON list of {name, version, sha256}
      result       TEXT        the recommendation result, as ``goalpath recommend --format json`` prints it
      indicators   TEXT        JSON list of {name, kind: leading|lagging, measures, current, target}
      actions      TEXT        JSON object of action id -> recommended|started|done|dropped
      note         TEXT        the reviewer's note ('' for none)

    index checkins_person_date ON checkins (person, date): a person's check-ins, in date order

JSON columns hold canonical JSON (sorted keys, no spaces, UTF-8). A person's check-ins are
ordered by ``(date, id)``.

To change the schema, append one SQL script to :data:`MIGRATIONS`: script ``n`` (0-based)
takes a file from version ``n`` to ``n + 1``, and runs in one transaction that also sets
``user_version``, so a file is at one version or the next, never between. A file of an older
version is migrated when it is opened; a newer one is refused. Never edit a script once
released: files out there were built by it.
"""

from __future__ import annotations

import sqlite3

#: ``PRAGMA application_id`` of every goalpath review store: b"GPTH" as a big-endian int.
APPLICATION_ID = int.from_bytes(b"GPTH", "big")

_VERSION_1 = """
CREATE TABLE checkins (
    id          INTEGER PRIMARY KEY,  -- the rowid: write order
    key         TEXT NOT NULL UNIQUE, -- sha256 hex of the canonical content
    person      TEXT NOT NULL,        -- person id
    date        TEXT NOT NULL,        -- as-of date, YYYY-MM-DD
    recorded_at TEXT NOT NULL,        -- ISO-8601 UTC, when written
    profile     TEXT NOT NULL,        -- canonical JSON object
    packs       TEXT NOT NULL,        -- canonical JSON list of name, version, sha256
    result      TEXT NOT NULL,        -- canonical JSON object, the recommendation result
    indicators  TEXT NOT NULL,        -- canonical JSON list of indicators
    actions     TEXT NOT NULL,        -- canonical JSON object, action id to status
    note        TEXT NOT NULL         -- free text, empty for none
);
CREATE INDEX checkins_person_date ON checkins (person, date);
"""

#: The migrations, oldest first: ``MIGRATIONS[n]`` takes a file from version n to n + 1.
MIGRATIONS: tuple[str, ...] = (_VERSION_1,)

#: The schema version this goalpath writes and reads up to (the number of migrations).
SCHEMA_VERSION = len(MIGRATIONS)


def latest() -> int:
    """The newest schema version, read from :data:`MIGRATIONS` each time (tests add one)."""
    return len(MIGRATIONS)


def user_version(connection: sqlite3.Connection) -> int:
    """The schema version a connection's file is at (0 for a file goalpath has not set up)."""
    row = connection.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def application_id(connection: sqlite3.Connection) -> int:
    """The ``application_id`` a connection's file carries (0 for none)."""
    row = connection.execute("PRAGMA application_id").fetchone()
    return int(row[0])


def migrate(connection: sqlite3.Connection) -> int:
    """Bring a file up to :func:`latest`, one migration per transaction; returns the version reached.

    ``connection`` must be in autocommit mode (``isolation_level=None``). Each step takes the
    write lock (``BEGIN IMMEDIATE``) and reads the version again under it, so two processes
    opening an old file at once migrate it once. A file already at the latest version is
    not locked or written. sqlite3 errors propagate, with the failed step rolled back.
    """
    while (version := user_version(connection)) < latest():
        connection.execute("BEGIN IMMEDIATE")
        try:
            version = user_version(connection)
            if version < latest():
                for statement in statements(MIGRATIONS[version]):
                    connection.execute(statement)
                if version == 0:
                    connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                connection.execute(f"PRAGMA user_version = {version + 1}")
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    return version


def statements(script: str) -> list[str]:
    """The SQL statements of ``script``, one per item.

    ``executescript`` would commit first, taking the migration out of its transaction, so a
    script is cut where sqlite itself sees a statement end (not at a ``;`` in a string or a
    trigger's body).

    Raises:
        ValueError: the script ends in an unfinished statement.
    """
    found: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if _has_code(pending):
                found.append(pending.strip())
            pending = ""
    if _has_code(pending.removesuffix(";")):
        raise ValueError(f"the script ends in an unfinished statement: {pending.strip()[:60]!r}")
    return found


def _has_code(text: str) -> bool:
    """Whether ``text`` holds more than whitespace, ``;`` and ``--`` comments."""
    lines = (line.split("--", 1)[0] for line in text.splitlines())
    return any(line.strip(" \t;") for line in lines)
