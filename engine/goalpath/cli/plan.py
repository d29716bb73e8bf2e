"""``goalpath plan``: the goal as a dated roadmap, and its checkpoints as a calendar file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..plan import build_plan
from ..render.html import render_html
from ..render.ics import render_ics
from ..render.json import render_json
from ..render.markdown import render_plan_markdown
from ..render.text import render_plan_text
from . import cli
from .commands import short_help
from .common import (
    EXIT_CODES,
    FORMATS,
    Packs,
    emit,
    evaluate,
    file_option,
    output_options,
    pack_options,
    profile_argument,
    use_color,
    width,
    write_file,
)


@cli.command(epilog=EXIT_CODES, short_help=short_help("plan"))
@profile_argument
@pack_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@file_option(
    "--ics", "ics", "Also write the checkpoints and reviews as an iCalendar file to import into a calendar app."
)
@output_options
def plan(
    profile: str,
    packs: Packs,
    as_of: dt.datetime | None,
    fmt: str,
    ics: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Plan the goal in PROFILE quarter by quarter, from today to the deadline.

    This quarter's actions come first; each framework's later steps follow in order, when
    the steps before them have had their time; a review falls every three months with the
    milestones and indicators to look at. --force also lets --ics overwrite its file.

    \b
    Example:
      goalpath plan me.yaml
      goalpath plan me.yaml --ics goal.ics
      goalpath plan me.yaml --format html --output plan.html
    """
    engine, evaluation = evaluate(profile, packs, as_of)
    result = engine.result(evaluation)
    roadmap = build_plan(evaluation, engine.pack, result)
    if ics:
        write_file(Path(ics), render_ics(roadmap), force)
        click.echo(f"Wrote {ics}", err=True)
    if fmt == "json":
        text = render_json(roadmap)
    elif fmt == "markdown":
        text = render_plan_markdown(roadmap)
    elif fmt == "html":
        text = render_html(engine.result(evaluation, top=5), roadmap)
    else:
        text = render_plan_text(roadmap, width=width(output), color=use_color(output))
    emit(text, output, force)
