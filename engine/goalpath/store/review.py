"""A quarterly review: this check-in set against the person's earlier ones, then recorded.

The article's roadmap ends "every 3 months, review outcomes against milestones. If an
action isn't producing evidence, change it. Celebrating small wins sustains momentum."
A review works out what the earlier check-ins say (the profile's ``history`` section,
which rules can test), evaluates the profile with it, compares the result with the last
check-in, and stores the new check-in.

An action is *stalled* when it was recommended at the last review, is recommended again
now, and was neither done nor dropped, and has been recommended for a quarter or so
(:data:`~.history.STALLED_AFTER_DAYS`): the rules recommend an action because its evidence is
missing, so still recommending it means the quarter produced none. One recommended at the
last review for less time than that (a monthly review, say) is *carried over*: still open,
not yet judged. Which
actions are recommended again is known only after evaluating, so a review evaluates
twice: once to see what is still recommended, then with the stalled actions in the
history, for the rules that advise on them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..api import Engine
from ..errors import GoalpathError, Problem
from ..profile import Profile, indicator_reached
from ..results import Result
from ..session import Evaluation
from .checkin import CheckIn, Indicator, Pack
from .db import Store
from .history import STALLED_AFTER_DAYS, by_date

#: What a person can say of an action at a review, and what each check-in records.
MARKS = ("started", "done", "dropped")


class ReviewError(GoalpathError):
    """A review was asked for with marks that name no action of the loaded packs."""


@dataclass(frozen=True)
class ActionChange:
    """An action and its rank now and at the last review (None: not recommended then)."""

    id: str
    title: str
    rank: int | None
    was: int | None
    how: str = ""  # for a done action: "marked" (the person said so) or "evidence" (no longer needed)


@dataclass(frozen=True)
class Stalled:
    """An action recommended at ``reviews`` reviews in a row, from ``since``, still without its evidence."""

    id: str
    title: str
    reviews: int
    since: dt.date


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator now and at the last review; ``flat_for`` counts review intervals without a change."""

    name: str
    kind: str
    current: float | None
    previous: float | None
    target: float | None
    flat_for: int

    @property
    def state(self) -> str:
        """``reached``, ``moving``, ``flat``, ``new`` (not measured before) or ``unmeasured`` (no value now)."""
        if self.current is None:
            return "unmeasured"
        if self.target is not None and indicator_reached(self.current, self.previous, self.target):
            return "reached"
        if self.previous is None:
            return "new"
        return "flat" if self.current == self.previous else "moving"


@dataclass(frozen=True)
class Missed:
    """A milestone whose date has passed since the last review (or ever, at a first review), not met."""

    name: str
    due: dt.date


@dataclass(frozen=True)
class Review:
    """What changed since the last review, the new result, and the check-in recorded."""

    person: str
    date: dt.date
    number: int  # this review's place among the person's reviews, from 1
    last: dt.date | None
    done: tuple[ActionChange, ...]
    new: tuple[ActionChange, ...]
    moved: tuple[ActionChange, ...]
    dropped: tuple[ActionChange, ...]
    stalled: tuple[Stalled, ...]
    carried: tuple[Stalled, ...]  # recommended at the last review too, for less than a quarter so far
    indicators: tuple[IndicatorChange, ...]
    missed: tuple[Missed, ...]
    result: Result
    full: Result  # every action recommended, shown or not (for a dated plan)
    evaluation: Evaluation
    recommended: tuple[str, ...]  # every action recommended, in rank order, shown or not
    fired: tuple[str, ...]  # the rules that fired, sorted
    checkin: CheckIn
    recorded: bool  # False when the very same check-in was stored already


def review(
    engine: Engine,
    profile: Profile,
    store: Store,
    person: str,
    *,
    as_of: dt.date | None = None,
    marks: dict[str, Sequence[str]] | None = None,
    note: str = "",
    top: int | None = 5,
) -> Review:
    """Review ``person``'s ``profile`` against their earlier check-ins in ``store``, and record it.

    ``marks`` maps ``started``, ``done`` and ``dropped`` to action ids the person reports;
    an id that no loaded pack defines raises :class:`ReviewError`. Check-ins dated after
    ``as_of`` are ignored, so an older review can be recorded late.
    """
    given = {mark: list((marks or {}).get(mark, ())) for mark in MARKS}
    _check_marks(engine, given)
    given = {mark: [engine.pack.action(i).id for i in ids] for mark, ids in given.items()}  # retired ids: successors
    as_of = as_of or profile.as_of or dt.date.today()
    everything = store.checkins(person)
    earlier = by_date([c for c in everything if c.date < as_of])
    last = earlier[-1] if earlier else None
    status = _statuses(earlier)
    for mark in MARKS:
        for ident in given[mark]:
            status[ident] = mark
    about_review = _review_actions(engine)
    open_before = {
        ident
        for ident in _recommended(last)
        if status.get(ident) not in ("done", "dropped") and ident not in about_review
    }

    indicators = _indicator_changes(earlier, profile)
    missed = _missed(profile, last.date if last else None, as_of)
    history = _history(earlier, indicators, missed, given, stalled=[])
    first = engine.result(engine.evaluate(_with(profile, history), as_of=as_of))
    still = {r.action.id for r in first.recommendations}
    order = {r.action.id: r.rank for r in first.recommendations}
    open_still = [_stalled(i, earlier, engine) for i in sorted(open_before & still, key=lambda i: (order[i], i))]
    stalled = [s for s in open_still if (as_of - s.since).days >= STALLED_AFTER_DAYS]
    carried = [s for s in open_still if (as_of - s.since).days < STALLED_AFTER_DAYS]
    vanished = sorted(open_before - still - {r.action.id for r in first.held_back})
    history = _history(earlier, indicators, missed, given, stalled=stalled, vanished=vanished)
    evaluation = engine.evaluate(_with(profile, history), as_of=as_of)
    # An action the person dropped stays out of their list until they mark it started again.
    # So does one they mark done at this review: it is celebrated, with a word if the profile still reads as if
    # it were missing. (Done at an earlier review and recommended again, it is back on the list.)
    left_out = {ident for ident, mark in status.items() if mark == "dropped"} | set(given["done"])
    full = _without(engine.result(evaluation), left_out, None)
    result = _without(full, left_out, top)

    # What the person was asked to do (the actions shown, and the stalled ones, shown or not), those started (now
    # or at an earlier review) while still recommended, those done, and what they marked at this review.
    shown = [r.action.id for r in result.recommendations]
    recommended_now = {r.action.id for r in full.recommendations}
    statuses = {ident: "recommended" for ident in shown if ident not in about_review}  # not advice on the review
    statuses.update({s.id: "recommended" for s in open_still if s.id not in left_out})  # still on their plate
    statuses.update({i: "started" for i, mark in status.items() if mark == "started" and i in recommended_now})
    statuses.update({i: "done" for i in vanished})  # its evidence is in the profile now
    statuses.update({i: mark for mark in MARKS for i in given[mark]})
    checkin_fields: dict[str, Any] = {
        "profile": profile.model_dump(mode="json", exclude_none=True),
        "packs": [Pack(name=p.name, version=p.version or "", sha256=p.sha256) for p in full.rules.packs],
        "result": json.loads(full.to_json()),
        "indicators": _indicators(profile),
        "actions": dict(sorted(statuses.items())),
        "note": note,
    }
    known = {c.key for c in everything}
    checkin = store.add(person, as_of, **checkin_fields)

    was = _ranks(last)
    now = {r.action.id: r.rank for r in full.recommendations}
    title = _titles(engine)
    done_ids = sorted(set(given["done"]) | set(vanished))
    return Review(
        person=person,
        date=as_of,
        number=len(earlier) + 1,
        last=last.date if last else None,
        done=tuple(ActionChange(i, title(i), None, was.get(i), _how_done(i, given["done"], still)) for i in done_ids),
        new=tuple(ActionChange(i, title(i), now[i], None) for i in shown if i not in was),
        moved=tuple(ActionChange(i, title(i), now[i], was[i]) for i in shown if i in was and was[i] != now[i]),
        dropped=tuple(ActionChange(i, title(i), now.get(i), was.get(i)) for i in sorted(set(given["dropped"]))),
        stalled=tuple(stalled),
        carried=tuple(carried),
        indicators=tuple(indicators),
        missed=tuple(missed),
        result=result,
        full=full,
        evaluation=evaluation,
        recommended=tuple(r.action.id for r in full.recommendations),
        fired=tuple(sorted({f.rule_id for f in evaluation.trace.firings})),
        checkin=checkin,
        recorded=checkin.key not in known,
    )


# -- the history section -------------------------------------------------------------------
def _history(
    earlier: list[CheckIn],
    indicators: list[IndicatorChange],
    missed: list[Missed],
    given: dict[str, list[str]],
    *,
    stalled: Iterable[Stalled],
    vanished: Iterable[str] = (),
) -> dict[str, Any]:
    return {
        "reviewing": True,
        "reviews": len(earlier),
        "first_review": earlier[0].date if earlier else None,
        "last_review": earlier[-1].date if earlier else None,
        "indicators": [
            {
                "name": c.name,
                "kind": c.kind,
                **({"current": c.current} if c.current is not None else {}),
                **({"previous": c.previous} if c.previous is not None else {}),
                **({"target": c.target} if c.target is not None else {}),
                "flat_for": c.flat_for,
            }
            for c in indicators
        ],
        "stalled": [{"action": s.id, "reviews": s.reviews, "since": s.since} for s in stalled],
        "done": sorted(set(given["done"]) | set(vanished)),
        "dropped": sorted(set(given["dropped"])),
        "missed_checkpoints": [m.name for m in missed],
    }


def _with(profile: Profile, history: dict[str, Any]) -> Profile:
    data = profile.model_dump(mode="python", exclude_none=True)
    data["history"] = {k: v for k, v in history.items() if v is not None}
    return Profile.model_validate(data, strict=False)


def _indicators(profile: Profile) -> list[Indicator]:
    out: list[Indicator] = []
    for kind in ("leading", "lagging"):
        for i in getattr(profile.indicators, kind):
            out.append(Indicator(name=i.name, kind=kind, measures=i.measures, current=i.current, target=i.target))
    return out


def _indicator_changes(earlier: list[CheckIn], profile: Profile) -> list[IndicatorChange]:
    out = []
    for now in _indicators(profile):
        series = [_value_of(c, now["name"], now["kind"]) for c in earlier]
        previous = series[-1] if series else None
        flat_for = 0
        if now["current"] is not None:
            for value in reversed(series):
                if value != now["current"]:
                    break
                flat_for += 1
        out.append(IndicatorChange(now["name"], now["kind"], now["current"], previous, now["target"], flat_for))
    return out


def _value_of(checkin: CheckIn, name: str, kind: str) -> float | None:
    for indicator in checkin.indicators:
        if indicator["name"] == name and indicator["kind"] == kind:
            return indicator["current"]
    return None


def _missed(profile: Profile, last: dt.date | None, as_of: dt.date) -> list[Missed]:
    return [
        Missed(c.name, c.due)
        for c in sorted(profile.goal.checkpoints, key=lambda c: (c.due, c.name))
        if c.kind == "milestone" and not c.done and c.due < as_of and (last is None or c.due >= last)
    ]


# -- actions across check-ins ---------------------------------------------------------------
def _how_done(ident: str, marked: list[str], still: set[str]) -> str:
    if ident not in marked:
        return "evidence"
    return "marked-open" if ident in still else "marked"


def _without(result: Result, left_out: set[str], top: int | None) -> Result:
    """``result`` without the ``left_out`` actions, ranked again, at most ``top`` shown."""
    kept = [r for r in result.recommendations if r.action.id not in left_out]
    shown = kept if top is None else kept[:top]
    return result.model_copy(
        update={
            "recommendations": [r.model_copy(update={"rank": n}) for n, r in enumerate(shown, 1)],
            "not_shown": result.not_shown + len(kept) - len(shown),
        }
    )


def _review_actions(engine: Engine) -> set[str]:
    """Actions only rules on the review history recommend (changing a stalled tactic, say): they are advice
    about the review itself, so they are never counted as stalled or done."""
    from ..rules import FieldTest, ListTest, Recommend, walk

    def on_history(rule: Any) -> bool:
        return any(
            isinstance(c, (FieldTest, ListTest)) and c.path.startswith("history.") and c.path != "history.reviewing"
            for c in walk(rule.when)
        )

    by: dict[str, list[bool]] = {}
    for rule in engine.pack.rules:
        for effect in rule.then:
            if isinstance(effect, Recommend):
                by.setdefault(effect.action, []).append(on_history(rule))
    return {action for action, flags in by.items() if all(flags)}


def _recommended(checkin: CheckIn | None) -> list[str]:
    if checkin is None:
        return []
    return [ident for ident, status in checkin.actions.items() if status in ("recommended", "started")]


def _ranks(checkin: CheckIn | None) -> dict[str, int]:
    if checkin is None:
        return {}
    return {r["action"]["id"]: r["rank"] for r in checkin.result.get("recommendations", [])}


def _statuses(earlier: list[CheckIn]) -> dict[str, str]:
    """Each action's latest mark (started, done, dropped) across the earlier check-ins."""
    status: dict[str, str] = {}
    for checkin in earlier:
        for ident, mark in checkin.actions.items():
            if mark in MARKS:
                status[ident] = mark
            elif status.get(ident) in ("done", "dropped"):
                status.pop(ident)  # recommended again since: open once more
    return status


def _stalled(ident: str, earlier: list[CheckIn], engine: Engine) -> Stalled:
    run = []
    for checkin in reversed(earlier):
        if checkin.actions.get(ident) not in ("recommended", "started"):
            break
        run.append(checkin.date)
    return Stalled(ident, _titles(engine)(ident), len(run), run[-1])


def _titles(engine: Engine) -> Any:
    def title(ident: str) -> str:
        try:
            return engine.pack.action(ident).title
        except KeyError:
            return ident  # an action of a pack no longer loaded

    return title


def _check_marks(engine: Engine, given: dict[str, list[str]]) -> None:
    known = sorted(a.id for a in engine.pack.actions)
    problems = []
    for mark in MARKS:
        for ident in given[mark]:
            try:
                engine.pack.action(ident)
            except KeyError:
                near = difflib.get_close_matches(ident, known, n=1)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                problems.append(
                    Problem(
                        f"--{mark}", 0, 0, "unknown-action", f"'{ident}' is not an action of the loaded packs{hint}"
                    )
                )
    seen: dict[str, str] = {}
    for mark in MARKS:
        for ident in given[mark]:
            if ident in seen and seen[ident] != mark:
                problems.append(
                    Problem(
                        f"--{mark}", 0, 0, "conflicting-marks", f"'{ident}' is marked both {seen[ident]} and {mark}"
                    )
                )
            seen.setdefault(ident, mark)
    if problems:
        raise ReviewError(problems)


def _change_json(change: ActionChange) -> dict[str, Any]:
    out: dict[str, Any] = {"id": change.id, "title": change.title, "rank": change.rank, "was": change.was}
    if change.how:
        out["how"] = change.how
    return out


def _stalled_json(stalled: Stalled) -> dict[str, Any]:
    return {"id": stalled.id, "title": stalled.title, "reviews": stalled.reviews, "since": stalled.since.isoformat()}


def review_json(outcome: Review) -> dict[str, Any]:
    """A review as JSON data: what changed, the result, and the check-in's key."""
    return {
        "person": outcome.person,
        "date": outcome.date.isoformat(),
        "review": outcome.number,
        "last_review": outcome.last.isoformat() if outcome.last else None,
        "recorded": outcome.recorded,
        "checkin": outcome.checkin.key,
        "done": [_change_json(c) for c in outcome.done],
        "new": [_change_json(c) for c in outcome.new],
        "moved": [_change_json(c) for c in outcome.moved],
        "dropped": [_change_json(c) for c in outcome.dropped],
        "carried": [_stalled_json(s) for s in outcome.carried],
        "stalled": [_stalled_json(s) for s in outcome.stalled],
        "indicators": [
            {
                "name": i.name,
                "kind": i.kind,
                "current": i.current,
                "previous": i.previous,
                "target": i.target,
                "flat_for": i.flat_for,
                "state": i.state,
            }
            for i in outcome.indicators
        ],
        "missed_checkpoints": [{"name": m.name, "due": m.due.isoformat()} for m in outcome.missed],
        "recommended": list(outcome.recommended),
        "fired": list(outcome.fired),
        "result": json.loads(outcome.result.to_json()),
    }
