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
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = f"Goal plan for {plan.profile.name}" if plan.profile.name else "Goal plan"
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.combine(plan.start, dt.time(0, 0), tzinfo=dt.timezone.utc)
    for quarter in plan.quarters:
        for checkpoint in quarter.checkpoints:
            calendar.add_component(_event(checkpoint, stamp))
    return calendar.to_ical().decode("utf-8")


def _event(checkpoint: PlanCheckpoint, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", f"{checkpoint.date.isoformat()}-{checkpoint.kind}-{_slug(checkpoint.title)}@goalpath")
    event.add("dtstamp", stamp)
    event.add("dtstart", checkpoint.date)
    event.add("dtend", checkpoint.date + dt.timedelta(days=1))
    event.add("summary", checkpoint.title)
    if checkpoint.details:
        event.add("description", "\n".join(checkpoint.details))
    event.add("categories", [checkpoint.kind])
    event.add("transp", "TRANSPARENT")
    return event


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "checkpoint"


def render_reviews_ics(person: str, dates: list[dt.date], ahead: int = 4) -> str:
    """A person's review dates, and the next ``ahead`` quarterly reviews with a reminder a week before each.

    The quarterly dates run three months apart from the last review ("every 3 months,
    review outcomes against milestones"). The same reviews give a byte-identical file.
    """
    from icalendar import Alarm

    from ..profile import add_months

    calendar = Calendar()
    calendar.add("prodid", "-//goalpath//reviews//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Goal reviews of {person}")
    held = sorted(set(dates))
    stamp = dt.datetime.combine(held[-1] if held else dt.date(2000, 1, 1), dt.time(0, 0), tzinfo=dt.timezone.utc)
    slug = _slug(person)
    for number, day in enumerate(held, start=1):
        event = _review_event(f"review-{day.isoformat()}-{slug}@goalpath", day, f"Goal review {number} (held)", stamp)
        calendar.add_component(event)
    for step in range(1, ahead + 1 if held else 1):
        day = add_months(held[-1], 3 * step)
        event = _review_event(f"review-{day.isoformat()}-{slug}@goalpath", day, "Quarterly goal review", stamp)
        event.add(
            "description",
            "Review outcomes against your milestones, change any action that is not producing evidence, and "
            "celebrate what you finished. Then run: goalpath review PROFILE",
        )
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Quarterly goal review next week")
        alarm.add("trigger", dt.timedelta(days=-7))
        event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _review_event(uid: str, day: dt.date, summary: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("categories", ["review"])
    event.add("transp", "TRANSPARENT")
    return event
