"""A person's reviews as rows: for ``goalpath history``, its CSV export and the progress chart."""

from __future__ import annotations

import csv
import io
from typing import Any

from .checkin import CheckIn

_OPEN = ("recommended", "started")
#: How long an action goes on being recommended before it counts as stalled: a quarter,
#: give or take two weeks ("every 3 months ... if an action isn't producing evidence,
#: change it"; indicators are looked at monthly, tactics changed quarterly).
STALLED_AFTER_DAYS = 75


def by_date(checkins: list[CheckIn]) -> list[CheckIn]:
    """One check-in per date, the last written, oldest first: a review run again the same day stands for that day
    (both stay stored)."""
    latest: dict[Any, CheckIn] = {}
    for checkin in checkins:
        latest[checkin.date] = checkin
    return [latest[day] for day in sorted(latest)]


def history_rows(checkins: list[CheckIn]) -> list[dict[str, Any]]:
    """One row per review date, oldest first: its date, top actions, marks, stalled actions, indicators and note.

    An action is stalled at a review when the reviews before it have recommended it for
    a quarter or so and it was neither done nor dropped (see :mod:`.review`).
    """
    rows = []
    since: dict[str, Any] = {}  # an action open at the last review -> the first review of its run
    for number, checkin in enumerate(by_date(checkins), start=1):
        recommendations = checkin.result.get("recommendations", [])
        # The top actions of the person's plan: those the check-in follows (it leaves out advice on the review).
        planned = [r for r in recommendations if r["action"]["id"] in checkin.actions] or recommendations
        marks = {
            mark: sorted(i for i, s in checkin.actions.items() if s == mark) for mark in ("started", "done", "dropped")
        }
        now_open = {i for i, s in checkin.actions.items() if s in _OPEN}
        stalled = sorted(i for i in now_open if i in since and (checkin.date - since[i]).days >= STALLED_AFTER_DAYS)
        rows.append(
            {
                "review": number,
                "date": checkin.date.isoformat(),
                "recommended": len(recommendations),
                "top": [r["action"]["id"] for r in planned[:3]],
                "top_titles": [r["action"]["title"] for r in planned[:3]],
                **marks,
                "stalled": stalled,
                "indicators": {i["name"]: i["current"] for i in checkin.indicators},
                "targets": {i["name"]: i["target"] for i in checkin.indicators},
                "note": checkin.note,
                "checkin": checkin.key,
            }
        )
        since = {i: since.get(i, checkin.date) for i in now_open}
    return rows


def history_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV: one line per review, a column per indicator (in the order they first appear)."""
    names: list[str] = []
    for row in rows:
        names.extend(n for n in row["indicators"] if n not in names)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["review", "date", "recommended", "top actions", "started", "done", "dropped", "stalled", "note"]
    writer.writerow(header + names)
    for row in rows:
        cells = [row["review"], row["date"], row["recommended"], "; ".join(row["top"])]
        cells += ["; ".join(row[key]) for key in ("started", "done", "dropped", "stalled")]
        cells.append(row["note"])
        cells += [_number(row["indicators"].get(name)) for name in names]
        writer.writerow(cells)
    return out.getvalue()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)
