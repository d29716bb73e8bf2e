"""One check-in: what a quarterly review recorded for a person, checked, with its content key.

A check-in is plain stored data, so it is a frozen dataclass of JSON values rather than a
pydantic model: reading a store imports nothing heavy. Values are checked and copied when
a :class:`CheckIn` is built; treat its dicts and lists as read-only, since the ``key`` was
computed from them then.

Wrong types raise TypeError and wrong values ValueError, each message starting with the
place (``indicators[1].kind: must be 'leading' or 'lagging', got 'lead'``), so that an
import can prefix the record it came from.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

Kind = Literal["leading", "lagging"]
Status = Literal["recommended", "started", "done", "dropped"]

#: An indicator's kinds and an action's statuses, in the order messages list them.
KINDS: tuple[Kind, ...] = ("leading", "lagging")
STATUSES: tuple[Status, ...] = ("recommended", "started", "done", "dropped")

#: Longest person id, in characters.
MAX_PERSON = 200

#: Deepest nesting of a profile or result: goalpath's own are a few levels deep, and a
#: limit keeps a self-containing dict from ending in RecursionError.
MAX_DEPTH = 100

#: The fields of a check-in's JSON form, in the order :meth:`CheckIn.to_json` writes them.
JSON_FIELDS = ("key", "person", "date", "recorded_at", "note", "packs", "indicators", "actions", "profile", "result")

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class Pack(TypedDict):
    """A rule pack a review ran with."""

    name: str
    version: str
    sha256: str


class Indicator(TypedDict):
    """A measure of progress: ``leading`` ones predict the goal, ``lagging`` ones are the goal."""

    name: str
    kind: Kind
    measures: str | None
    current: float | None
    target: float | None


def canonical_json(value: Any) -> str:
    """``value`` as canonical JSON: sorted keys, no spaces, UTF-8 text (not ``\\u`` escapes)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def check_person(value: Any, where: str = "person") -> str:
    """``value`` checked as a person id: a non-empty str of at most 200 characters, no control characters."""
    if not isinstance(value, str):
        raise TypeError(f"{where}: must be a str, got {_type(value)}")
    value = _text(value, where)
    if not value:
        raise ValueError(f"{where}: must not be empty")
    if len(value) > MAX_PERSON:
        raise ValueError(f"{where}: must be at most {MAX_PERSON} characters, got {len(value)}")
    for char in value:
        if unicodedata.category(char) == "Cc":
            raise ValueError(f"{where}: must not contain control characters, got {value!r}")
    return value


def check_date(value: Any, where: str = "date") -> dt.date:
    """``value`` checked as a ``datetime.date`` (a ``datetime.datetime`` gives its date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        hint = " (use datetime.date.fromisoformat)" if isinstance(value, str) else ""
        raise TypeError(f"{where}: must be a datetime.date, got {_type(value)}{hint}")
    return value


def parse_date(value: Any, where: str = "date") -> dt.date:
    """A JSON date: a ``YYYY-MM-DD`` string."""
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{where}: not a date (YYYY-MM-DD), got {_shown(value)}")


def check_timestamp(value: Any, where: str = "recorded_at") -> str:
    """``value`` checked as an ISO-8601 UTC timestamp string (ending in ``Z`` or ``+00:00``); returned as given."""
    if not isinstance(value, str):
        raise TypeError(f"{where}: must be an ISO-8601 timestamp string, got {_type(value)}")
    try:
        moment = dt.datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise ValueError(f"{where}: not an ISO-8601 timestamp, got {value!r}") from None
    if moment.utcoffset() != dt.timedelta(0):
        raise ValueError(f"{where}: must be in UTC (ending in Z or +00:00), got {value!r}")
    return value


@dataclass(frozen=True, kw_only=True)
class CheckIn:
    """One recorded review of one person: the profile, packs and result as they were, and progress.

    Build one with keywords; every field is checked and copied (raising TypeError or
    ValueError naming the field). ``key`` is computed, never given: the sha256 (hex) of the
    canonical JSON of everything but ``recorded_at``, so the same review recorded on two
    machines has the same key and an import skips it. ``recorded_at`` (when it was
    written, UTC) is metadata: it never orders check-ins and is not part of the key.
    """

    person: str
    date: dt.date
    profile: dict[str, Any] = field(repr=False)
    packs: list[Pack] = field(repr=False)
    result: dict[str, Any] = field(repr=False)
    indicators: list[Indicator] = field(repr=False)
    actions: dict[str, Status] = field(repr=False)
    note: str = field(default="", repr=False)
    recorded_at: str = field(repr=False)
    key: str = field(init=False)

    def __post_init__(self) -> None:
        checked = {
            "person": check_person(self.person),
            "date": check_date(self.date),
            "profile": _object(self.profile, "profile"),
            "packs": _packs(self.packs),
            "result": _object(self.result, "result"),
            "indicators": _indicators(self.indicators),
            "actions": _actions(self.actions),
            "note": _note(self.note),
            "recorded_at": check_timestamp(self.recorded_at),
        }
        for name, value in checked.items():
            object.__setattr__(self, name, value)  # frozen: __post_init__ is the one place values are set
        object.__setattr__(self, "key", _key(self))

    def __hash__(self) -> int:
        return hash(self.key)

    def to_json(self) -> dict[str, Any]:
        """The check-in as a JSON object (a fresh copy), with ``date`` as ``YYYY-MM-DD``."""
        return {
            "key": self.key,
            "person": self.person,
            "date": self.date.isoformat(),
            "recorded_at": self.recorded_at,
            "note": self.note,
            "packs": copy.deepcopy(self.packs),
            "indicators": copy.deepcopy(self.indicators),
            "actions": dict(self.actions),
            "profile": copy.deepcopy(self.profile),
            "result": copy.deepcopy(self.result),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckIn:
        """The check-in a :meth:`to_json` object describes, checked strictly.

        Every field of :data:`JSON_FIELDS` must be there and no other, and ``key`` must be
        the one the content gives.

        Raises:
            TypeError, ValueError: the first bad place, e.g. ``date: not a date (YYYY-MM-DD), got 'soon'``.
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"a check-in must be a JSON object, got {_type(data)}")
        _record(data, "", JSON_FIELDS)
        key = data["key"]
        if not isinstance(key, str):
            raise TypeError(f"key: must be a str, got {_type(key)}")
        checkin = cls(
            person=data["person"],
            date=parse_date(data["date"]),
            profile=data["profile"],
            packs=data["packs"],
            result=data["result"],
            indicators=data["indicators"],
            actions=data["actions"],
            note=data["note"],
            recorded_at=data["recorded_at"],
        )
        if key != checkin.key:
            raise ValueError(f"key: does not match the check-in's content (edited since it was exported?), got {key!r}")
        return checkin


def _key(checkin: CheckIn) -> str:
    content = {
        "person": checkin.person,
        "date": checkin.date.isoformat(),
        "profile": checkin.profile,
        "packs": checkin.packs,
        "result": checkin.result,
        "indicators": checkin.indicators,
        "actions": checkin.actions,
        "note": checkin.note,
    }
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def _packs(value: Any) -> list[Pack]:
    packs: list[Pack] = []
    for index, item in enumerate(_list(value, "packs")):
        where = f"packs[{index}]"
        record = _record(item, where, ("name", "version", "sha256"))
        name, version, sha256 = (_str(record[part], f"{where}.{part}") for part in ("name", "version", "sha256"))
        packs.append({"name": name, "version": version, "sha256": sha256})
    return packs


def _indicators(value: Any) -> list[Indicator]:
    indicators: list[Indicator] = []
    for index, item in enumerate(_list(value, "indicators")):
        where = f"indicators[{index}]"
        record = _record(item, where, ("name", "kind", "measures", "current", "target"))
        kind = record["kind"]
        if kind not in KINDS:
            raise ValueError(f"{where}.kind: must be 'leading' or 'lagging', got {_shown(kind)}")
        measures = record["measures"]
        indicators.append(
            {
                "name": _str(record["name"], f"{where}.name"),
                "kind": kind,
                "measures": None if measures is None else _str(measures, f"{where}.measures", "a str or None"),
                "current": _number(record["current"], f"{where}.current"),
                "target": _number(record["target"], f"{where}.target"),
            }
        )
    return indicators


def _actions(value: Any) -> dict[str, Status]:
    if not isinstance(value, Mapping):
        raise TypeError(f"actions: must be a dict of action id to status, got {_type(value)}")
    actions: dict[str, Status] = {}
    for action, status in value.items():
        if not isinstance(action, str) or not action:
            raise TypeError(f"actions: an action id must be a non-empty str, got {_shown(action)}")
        where = _member("actions", action)
        if status not in STATUSES:
            listed = ", ".join(repr(s) for s in STATUSES)
            raise ValueError(f"{where}: must be one of {listed}, got {_shown(status)}")
        actions[_text(action, "actions")] = status
    return actions


def _note(value: Any) -> str:
    return _str(value, "note", "a str (empty for no note)")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{where}: must be a JSON object (a dict), got {_type(value)}")
    result: dict[str, Any] = _json(value, where, 0)
    return result


def _json(value: Any, where: str, depth: int) -> Any:
    """``value`` copied as plain JSON values: no NaN, no non-str keys, no tuples left, no surrogates."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value.bit_length() > 1000:  # far past any real count; Python refuses to write 4,300 digits
            raise ValueError(f"{where}: an integer too large to store")
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: {value!r} is not a JSON number")
        return float(value)
    if isinstance(value, str):
        return _text(value, where)
    if depth >= MAX_DEPTH:
        raise ValueError(f"{where}: nested more than {MAX_DEPTH} deep")
    if isinstance(value, (list, tuple)):
        return [_json(item, f"{where}[{index}]", depth + 1) for index, item in enumerate(value)]
    if isinstance(value, Mapping):
        copied: dict[str, Any] = {}
        for name, item in value.items():
            if not isinstance(name, str):
                raise TypeError(f"{where}: keys must be str, got {_type(name)} {name!r}")
            copied[_text(name, where)] = _json(item, _member(where, name), depth + 1)
        return copied
    raise TypeError(f"{where}: {_type(value)} is not a JSON value (dict, list, str, number, bool or None)")


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{where}: must be a list, got {_type(value)}")
    return list(value)


def _record(value: Any, where: str, fields: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"{where}: must be a dict with {', '.join(fields)}, got {_type(value)}")
    for name in fields:
        if name not in value:
            raise ValueError(f"{where}.{name}: missing" if where else f"{name}: missing")
    unknown = sorted(str(name) for name in value if name not in fields)
    if unknown:
        raise ValueError(f"{_member(where, unknown[0])}: unknown field")
    return value


def _str(value: Any, where: str, wanted: str = "a str") -> str:
    if not isinstance(value, str):
        raise TypeError(f"{where}: must be {wanted}, got {_type(value)}")
    return _text(value, where)


def _text(value: str, where: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate can be neither hashed as UTF-8 nor stored by sqlite3.
        raise ValueError(f"{where}: contains a lone surrogate, which is not valid Unicode text") from None
    return str(value)


def _number(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{where}: must be a number or None, got {_type(value)}")
    try:
        number = float(value)  # 3 and 3.0 are one value: one key, whichever was given
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"{where}: must be a finite number, got {_shown(number)}")
    return number


def _member(where: str, name: str) -> str:
    """The place of key ``name`` inside ``where``: ``profile.goal``, or ``actions['a b']`` for other names."""
    if _NAME.fullmatch(name):
        return f"{where}.{name}" if where else name
    return f"{where}[{name!r}]"


def _shown(value: Any) -> str:
    if isinstance(value, str) and len(value) > 60:
        return repr(value[:57] + "...")
    return repr(value) if isinstance(value, (str, int, float, bool, type(None))) else _type(value)


def _type(value: Any) -> str:
    return "None" if value is None else type(value).__name__
