"""An iCalendar file of the plan's checkpoints and reviews, for calendar apps to import.

Written with the ``icalendar`` library (RFC 5545 folding, escaping and line ends are its
job, not ours). Every event is an all-day event; its UID and time stamp come from the
plan, so the same profile and rules give a byte-identical file.
"""

from __future__ import annotations

import datetime as dt
import re

from icalendar import Calendar, Event

from ..results import Plan, PlanCheckpoint

PRODID = "-//goalpath//goal plan//EN"


def render_ics(plan: Plan) -> str:
    """The plan's checkpoints (milestones, rests, rewards, reviews) as iCalendar text."""
    calendar = _calendar(PRODID, f"Goal plan for {plan.profile.name}" if plan.profile.name else "Goal plan")
    stamp = dt.datetime.combine(plan.start, dt.time(0, 0), tzinfo=dt.timezone.utc)
    for quarter in plan.quarters:
        for checkpoint in quarter.checkpoints:
            calendar.add_component(_event(checkpoint, stamp))
    return calendar.to_ical().decode("utf-8")


def _event(checkpoint: PlanCheckpoint, stamp: dt.datetime) -> Event:
    uid = f"{checkpoint.date.isoformat()}-{checkpoint.kind}-{_slug(checkpoint.title)}@goalpath"
    description = "\n".join(checkpoint.details) if checkpoint.details else None
    return _all_day(uid, checkpoint.date, checkpoint.title, checkpoint.kind, stamp, description)


def _all_day(
    uid: str, day: dt.date, summary: str, kind: str, stamp: dt.datetime, description: str | None = None
) -> Event:
    """One all-day event, shown as free time (a reminder, not a meeting)."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("categories", [kind])
    event.add("transp", "TRANSPARENT")
    return event


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "checkpoint"


_NEXT_REVIEW = (
    "Review outcomes against your milestones, change any action that is not producing evidence, and celebrate "
    "what you finished. Then run: goalpath review PROFILE"
)


def _calendar(prodid: str, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def render_reviews_ics(person: str, dates: list[dt.date], ahead: int = 4) -> str:
    """A person's review dates, and the next ``ahead`` quarterly reviews with a reminder a week before each.

    The quarterly dates run three months apart from the last review ("every 3 months,
    review outcomes against milestones"). The same reviews give a byte-identical file.
    """
    from icalendar import Alarm

    from ..profile import add_months

    calendar = _calendar("-//goalpath//reviews//EN", f"Goal reviews of {person}")
    held = sorted(set(dates))
    stamp = dt.datetime.combine(held[-1] if held else dt.date(2000, 1, 1), dt.time(0, 0), tzinfo=dt.timezone.utc)
    slug = _slug(person)
    for number, day in enumerate(held, start=1):
        uid = f"review-{day.isoformat()}-{slug}@goalpath"
        calendar.add_component(_all_day(uid, day, f"Goal review {number} (held)", "review", stamp))
    for step in range(1, ahead + 1 if held else 1):
        day = add_months(held[-1], 3 * step)
        uid = f"review-{day.isoformat()}-{slug}@goalpath"
        event = _all_day(uid, day, "Quarterly goal review", "review", stamp, _NEXT_REVIEW)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Quarterly goal review next week")
        alarm.add("trigger", dt.timedelta(days=-7))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
