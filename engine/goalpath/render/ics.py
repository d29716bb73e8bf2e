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
