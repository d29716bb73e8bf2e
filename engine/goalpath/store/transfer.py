"""The export format: a whole store (or one person's check-ins) as one JSON object, and reading it back.

An export is ``{"format": "goalpath-reviews", "version": 1, "checkins": [...]}``, each
check-in as :meth:`CheckIn.to_json` writes it, ordered by person, date and write order.
Reading one is strict: every record is checked, and the first bad place is named
(``checkins[3].date: not a date (YYYY-MM-DD), got 'soon'``) before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .checkin import CheckIn
from .errors import StoreError, refusal

FORMAT = "goalpath-reviews"

#: The export version this goalpath writes and reads up to.
VERSION = 1

_FIELDS = ("format", "version", "checkins")


def export(checkins: Iterable[CheckIn]) -> dict[str, Any]:
    """An export of ``checkins``, in the order given."""
    return {"format": FORMAT, "version": VERSION, "checkins": [checkin.to_json() for checkin in checkins]}


def parse(data: Any, source: str) -> list[CheckIn]:
    """The check-ins an export holds, all checked; ``source`` names where it came from, for errors.

    Raises:
        StoreError: ``bad-export`` naming the first bad place, or ``newer-export`` for an
            export version above :data:`VERSION`.
    """
    if not isinstance(data, Mapping):
        raise _bad(source, f"not a goalpath reviews export: it must be a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        got = repr(data["format"]) if "format" in data else "nothing"
        raise _bad(source, f"format: must be {FORMAT!r} (not a goalpath reviews export?), got {got}")
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise _bad(source, f"version: must be a whole number from 1, got {version!r}")
    if version > VERSION:
        raise refusal(
            source,
            "newer-export",
            f"written by a newer goalpath (export version {version}; this goalpath reads up to {VERSION}); "
            "upgrade goalpath to import it",
        )
    unknown = sorted(str(name) for name in data if name not in _FIELDS)
    if unknown:
        raise _bad(source, f"{unknown[0]}: unknown field")
    records = data.get("checkins")
    if not isinstance(records, list):
        raise _bad(
            source, f"checkins: must be a list, got {type(records).__name__ if 'checkins' in data else 'nothing'}"
        )
    checkins = []
    for index, record in enumerate(records):
        where = f"checkins[{index}]"
        if not isinstance(record, Mapping):
            raise _bad(source, f"{where}: must be a JSON object, got {type(record).__name__}")
        try:
            checkins.append(CheckIn.from_json(record))
        except (TypeError, ValueError) as error:
            detail = str(error)
            raise _bad(source, f"{where}{'' if detail.startswith('[') else '.'}{detail}") from None
    return checkins


def _bad(source: str, message: str) -> StoreError:
    return refusal(source, "bad-export", message)
