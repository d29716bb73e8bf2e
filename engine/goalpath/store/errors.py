"""The one error the review store raises, and what each SQLite failure means to a reader."""

from __future__ import annotations

import sqlite3
from typing import cast

from ..errors import GoalpathError

UNTOUCHED = "it was left untouched"


class StoreError(GoalpathError):
    """The review store cannot be opened, read or written, or an export cannot be imported.

    Its one problem names the file (``Error: PATH: code: message`` in the CLI). The codes:
    ``no-store``, ``not-a-store``, ``corrupt-store``, ``newer-store``, ``store-full``,
    ``store-unwritable``, ``store-unreadable``, ``store-busy``, ``store-io`` for the store
    file, and ``bad-export``, ``newer-export`` for data given to ``Store.load``. A refused
    file is never modified, and a write that fails leaves earlier check-ins as they were.
    """

    @property
    def code(self) -> str:
        """The stable code of the problem, e.g. ``"not-a-store"``."""
        return self.problems[0].code


def refusal(file: str, code: str, message: str) -> StoreError:
    """A :class:`StoreError` with one problem about the whole of ``file``."""
    return cast(StoreError, StoreError.single(file, code, message))  # single() builds an instance of cls


def foreign(file: str) -> StoreError:
    """The refusal of an SQLite database that some other application wrote."""
    return refusal(
        file, "not-a-store", f"not a goalpath review store (an SQLite database of another application); {UNTOUCHED}"
    )


def corrupt(file: str, detail: str) -> StoreError:
    """The refusal of a damaged store; ``detail`` is what SQLite said."""
    return refusal(
        file,
        "corrupt-store",
        f"the review store is damaged ({detail}); {UNTOUCHED}; restore it from a backup or an export",
    )


def newer(file: str, version: int, readable: int) -> StoreError:
    """The refusal of a store whose schema (``version``) is newer than the ``readable`` one."""
    return refusal(
        file,
        "newer-store",
        f"written by a newer goalpath (store schema {version}; this goalpath reads up to {readable}); "
        "upgrade goalpath to read it",
    )


# SQLite's primary result codes (https://sqlite.org/rescode.html) and, for Python 3.10,
# whose exceptions carry no code, the message SQLite gives each.
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _AUTH, _NOTADB = (
    3,
    5,
    6,
    8,
    10,
    11,
    13,
    14,
    23,
    26,
)
_MESSAGES = {
    "database or disk is full": _FULL,
    "database is locked": _BUSY,
    "database table is locked": _LOCKED,
    "attempt to write a readonly database": _READONLY,
    "unable to open database file": _CANTOPEN,
    "database disk image is malformed": _CORRUPT,
    "file is not a database": _NOTADB,
    "disk i/o error": _IOERR,
    "access permission denied": _PERM,
}


def sqlite_code(error: sqlite3.Error) -> int | None:
    """The primary SQLite result code of ``error``, or None when it cannot be told."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF  # extended codes keep the primary one in the low byte
    return _MESSAGES.get(str(error).lower())


def failure(error: sqlite3.Error, file: str, outcome: str, timeout: float) -> StoreError | None:
    """What an SQLite error while using the store at ``file`` means, or None for a bug in goalpath.

    ``outcome`` says what did not happen (``"the check-in was not recorded"``); ``timeout``
    is how long a lock was waited for, in seconds.
    """
    code = sqlite_code(error)
    if code == _FULL:
        return refusal(file, "store-full", f"cannot write to it: the disk is full; {outcome}")
    if code in (_BUSY, _LOCKED):
        return refusal(
            file,
            "store-busy",
            f"another program kept the store locked for over {timeout:g} seconds; {outcome}; try again when it has finished",
        )
    if code in (_READONLY, _PERM, _AUTH, _CANTOPEN):
        return refusal(
            file,
            "store-unwritable",
            f"cannot write to it: permission denied, or it or its folder is read-only; {outcome}",
        )
    if code in (_CORRUPT, _NOTADB):
        return refusal(
            file,
            "corrupt-store",
            f"the review store is damaged ({error}); {outcome}; restore it from a backup or an export",
        )
    if code == _IOERR:
        return refusal(file, "store-io", f"cannot read or write it: an input/output error ({error}); {outcome}")
    return None
