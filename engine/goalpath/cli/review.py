"""``goalpath review`` and ``goalpath history``: quarterly check-ins kept in the review store."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from . import cli
from .commands import short_help
from .common import (
    EXIT_CODES,
    Packs,
    emit,
    output_options,
    pack_options,
    profile_argument,
    read_profile,
    use_color,
    width,
)

_DB_HELP = "The review store (an SQLite file). Default: $GOALPATH_DB, else reviews.sqlite3 in your data folder."


def _db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db", "db", type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE", help=_DB_HELP
    )(command)


def _mark(name: str, help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(f"--{name}", name, multiple=True, metavar="ACTION", help=help)


@cli.command(epilog=EXIT_CODES, short_help=short_help("review"))
@profile_argument
@click.option("--person", default=None, metavar="ID", help="Whose review this is. Default: the profile's name.")
@_db_option
@pack_options
@_mark("done", "An action you finished since the last review (its id); repeat for more.")
@_mark("started", "An action you have started; repeat for more.")
@_mark("dropped", "An action you decided not to do; repeat for more.")
@click.option("--note", default="", help="A note to keep with this review.")
@click.option(
    "--top", type=click.IntRange(min=0), default=5, show_default=True, help="How many actions to show (0 shows all)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "html")),
    default="text",
    show_default=True,
    help="Output format: html is the report with a chart of each indicator across the reviews.",
)
@output_options
def review(
    profile: str,
    person: str | None,
    db: str | None,
    packs: Packs,
    as_of: dt.datetime | None,
    done: tuple[str, ...],
    started: tuple[str, ...],
    dropped: tuple[str, ...],
    note: str,
    top: int,
    fmt: str,
    output: str | None,
    force: bool,
) -> None:
    """Record this quarter's review of PROFILE and show what changed since the last one.

    Done actions are celebrated by name; actions recommended last time and still without
    their evidence are shown as stalled, with a change of tactic; indicators are set
    against their targets; milestones whose date passed are listed. The review is kept
    in the review store, one file for many people.

    \b
    Example:
      goalpath review me.yaml --done write-outcome-statement --note "First quarter"
      goalpath review me.yaml --person ana --db coaching.sqlite3 --as-of 2027-03-31
    """
    from ..render.reviews import render_review_text
    from ..store import Store
    from ..store.checkin import check_person
    from ..store.review import review as run_review
    from ..store.review import review_json

    loaded = read_profile(profile)
    who = person if person is not None else _person_from(loaded.name)
    try:
        check_person(who, "person")
    except ValueError as exc:
        raise click.BadParameter(str(exc).removeprefix("person: "), param_hint="'--person'") from None
    engine = packs.engine()
    with Store.open(db) as store:
        outcome = run_review(
            engine,
            loaded,
            store,
            who,
            as_of=as_of.date() if as_of else None,
            marks={"done": done, "started": started, "dropped": dropped},
            note=note,
            top=top or None,
        )
        where = str(store.path)
        checkins = store.checkins(who) if fmt == "html" else []  # the charts, from the same open store
    if fmt == "json":
        text = json.dumps(review_json(outcome), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        from ..plan import build_plan
        from ..render.html import render_html
        from ..render.reviews import review_sections, review_summary
        from ..store.history import history_rows

        plan = build_plan(outcome.evaluation, engine.pack, outcome.full)
        sections = (review_summary(outcome), review_sections(outcome))
        text = render_html(outcome.result, plan, history_rows(checkins), sections)
    else:
        text = render_review_text(outcome, width=width(output), color=use_color(output), store=where)
    emit(text, output, force)


def _person_from(name: str | None) -> str:
    if not name:
        raise click.UsageError("the profile has no name: say whose review this is with --person ID")
    return name


@cli.command(epilog=EXIT_CODES, short_help=short_help("history"))
@click.argument("person", metavar="PERSON")
@_db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "csv", "ics")),
    default="text",
    show_default=True,
    help="Output format: ics is a calendar of the review dates, with reminders for the next four.",
)
@output_options
def history(person: str, db: str | None, fmt: str, output: str | None, force: bool) -> None:
    """List PERSON's past reviews: date, top actions, what was done and what stalled.

    The CSV has a line per review and a column per indicator; the calendar (ics) holds
    each review date and the next four quarterly reviews, each with a reminder a week
    before.

    \b
    Example:
      goalpath history "Ana Ruiz"
      goalpath history ana --db coaching.sqlite3 --format csv --output ana.csv
      goalpath history ana --format ics --output reviews.ics
    """
    from ..render.reviews import render_history_text
    from ..store.history import history_csv, history_rows

    checkins = _checkins(person, db)
    rows = history_rows(checkins)
    if fmt == "json":
        text = json.dumps({"person": person, "reviews": rows}, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        text = history_csv(rows)
    elif fmt == "ics":
        from ..render.ics import render_reviews_ics

        text = render_reviews_ics(person, [c.date for c in checkins])
    else:
        text = render_history_text(person, rows, width=width(output), color=use_color(output))
    emit(text, output, force)


@cli.command(epilog=EXIT_CODES, short_help=short_help("progress"))
@click.argument("person", metavar="PERSON")
@_db_option
@click.option(
    "--format", "fmt", type=click.Choice(("text", "html")), default="text", show_default=True, help="Output format."
)
@output_options
def progress(person: str, db: str | None, fmt: str, output: str | None, force: bool) -> None:
    """Show PERSON's indicators review by review: a terminal chart, or an HTML page with SVG charts.

    \b
    Example:
      goalpath progress "Ana Ruiz"
      goalpath progress ana --format html --output progress.html
    """
    from ..render.reviews import render_progress_text
    from ..store.history import history_rows

    rows = history_rows(_checkins(person, db))
    if fmt == "html":
        from ..render.html import render_progress_html

        text = render_progress_html(person, rows)
    else:
        text = render_progress_text(person, rows, width=width(output), color=use_color(output))
    emit(text, output, force)


def _checkins(person: str, db: str | None) -> list[Any]:
    """The person's check-ins; an error naming the store if there are none."""
    from ..store import Store

    with Store.open(db, create=False) as store:
        checkins = store.checkins(person)
        if not checkins:
            known = store.people()
            hint = f" (people in it: {', '.join(known[:5])}{', ...' if len(known) > 5 else ''})" if known else ""
            raise click.ClickException(f"{store.path}: no reviews of '{person}' are stored{hint}")
    return checkins


@cli.group(epilog=EXIT_CODES, short_help=short_help("store"))
def store() -> None:
    """Export a review store (or one person's reviews) to move it to a new machine, import it, list its people.

    \b
    Example:
      goalpath store export reviews.json
      goalpath store import reviews.json --db new.sqlite3
    """


@store.command("export", epilog=EXIT_CODES)
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False, path_type=str, allow_dash=True))
@_db_option
@click.option("--person", default=None, metavar="ID", help="Export only this person's reviews.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def store_export(file: str, db: str | None, person: str | None, force: bool) -> None:
    """Write every review in the store (or one person's) to FILE as JSON (- is standard output).

    \b
    Example:
      goalpath store export reviews.json
      goalpath store export - --person ana > ana.json
    """
    from ..store import Store

    with Store.open(db, create=False) as opened:
        data = opened.export_person(person) if person else opened.dump()
    emit(json.dumps(data, ensure_ascii=False, indent=1) + "\n", file, force)


@store.command("import", epilog=EXIT_CODES)
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False, path_type=str, allow_dash=True))
@_db_option
def store_import(file: str, db: str | None) -> None:
    """Add the reviews exported to FILE to the store; reviews it holds already are skipped.

    Nothing is written if any review in FILE is not valid.

    \b
    Example:
      goalpath store import reviews.json --db ~/coaching.sqlite3
    """
    from ..errors import GoalpathError
    from ..source import MAX_BYTES, parse_text, read_document
    from ..store import Store

    source = "<stdin>" if file == "-" else file
    if file == "-":
        text = sys.stdin.read(MAX_BYTES + 1)
        if len(text) > MAX_BYTES:
            raise GoalpathError.single(
                source, "too-large", f"the input is larger than {MAX_BYTES // (1024 * 1024)} MiB"
            )
        data = parse_text(text, source, json_syntax=True).data
    else:
        data = read_document(file).data
    with Store.open(db) as opened:
        added, skipped = opened.load(data, source=source)
        where = opened.path
    click.echo(f"Imported {added} reviews into {where}; {skipped} were there already.", err=True)


@store.command("people", epilog=EXIT_CODES)
@_db_option
def store_people(db: str | None) -> None:
    """List the people with reviews in the store, with their number of reviews and the last date.

    \b
    Example:
      goalpath store people --db coaching.sqlite3
    """
    from ..store import Store

    with Store.open(db, create=False) as opened:
        for person in opened.people():
            checkins = opened.checkins(person)
            click.echo(f"{person}\t{len(checkins)}\t{checkins[-1].date.isoformat()}")
