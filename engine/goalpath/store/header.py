"""Telling a goalpath review store from any other file, before SQLite opens it for writing.

SQLite opened for writing would turn a foreign file's journal to WAL or leave ``-wal`` and
``-shm`` files beside it, so a file is judged first from its 100-byte header (read with
plain ``open``) and, where the header cannot tell, through an ``immutable`` read-only
connection, which neither locks nor writes anything. A refused file is left exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path
from typing import Literal

from .errors import UNTOUCHED, corrupt, foreign, newer, refusal
from .schema import APPLICATION_ID, latest

MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100

#: What a file is: absent; empty (0 bytes, or an SQLite database with nothing in it), so
#: goalpath may set it up; or one of goalpath's own stores.
Found = Literal["absent", "empty", "ours"]


def vet(path: Path) -> Found:
    """What ``path`` is, or a :class:`StoreError` saying why goalpath must not open it.

    Raises:
        StoreError: ``not-a-store`` (not SQLite, a folder, another application's database),
            ``corrupt-store`` (starts like SQLite but cannot be read), ``newer-store``
            (a schema newer than this goalpath reads), ``store-unreadable``.
    """
    name = str(path)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return "absent"
    except NotADirectoryError:
        raise refusal(name, "not-a-store", "a part of this path is a file, not a folder") from None
    except OSError as error:
        raise refusal(name, "store-unreadable", f"cannot read it: {error.strerror}") from None
    if stat.S_ISDIR(status.st_mode):
        raise refusal(name, "not-a-store", "this is a folder, not a goalpath review store")
    if not stat.S_ISREG(status.st_mode):
        # Reading a FIFO would block; a device is nobody's review store.
        raise refusal(name, "not-a-store", f"not a goalpath review store (not a regular file); {UNTOUCHED}")
    if status.st_size == 0:
        return "empty"
    try:
        with open(path, "rb") as file:
            header = file.read(HEADER_SIZE)
    except OSError as error:
        raise refusal(name, "store-unreadable", f"cannot read it: {error.strerror}") from None
    if not header.startswith(MAGIC):
        raise refusal(name, "not-a-store", f"not a goalpath review store (not an SQLite database); {UNTOUCHED}")
    if len(header) < HEADER_SIZE:
        raise corrupt(name, "the file ends inside its 100-byte header")
    owner = int.from_bytes(header[68:72], "big")
    version = int.from_bytes(header[60:64], "big")
    if owner == APPLICATION_ID:
        # A WAL database's header can lag its -wal file, so the version is checked again
        # through SQLite once the file is open; this check spares opening a newer file at all.
        if version > latest():
            raise newer(name, version, latest())
        return "ours"
    try:
        with closing(_peek(path)) as connection:
            objects = connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as error:
        # A damaged header reads as a foreign application id too: SQLite tells the two apart.
        raise corrupt(name, str(error)) from None
    if owner != 0 or objects or version:
        raise foreign(name)
    return "empty"


def _peek(path: Path) -> sqlite3.Connection:
    """A connection that reads ``path`` as immutable: no locks, no journal, no -wal or -shm file."""
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro&immutable=1", uri=True, isolation_level=None)
