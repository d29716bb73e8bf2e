"""``goalpath recommend``: the ranked, explained actions for one profile."""

from __future__ import annotations

import datetime as dt

import click

from . import cli
from .commands import short_help
from .common import (
    EXIT_CODES,
    FORMATS,
    Packs,
    emit,
    evaluate,
    output_options,
    pack_options,
    profile_argument,
    use_color,
    width,
)


@cli.command(epilog=EXIT_CODES, short_help=short_help("recommend"))
@profile_argument
@pack_options
@click.option(
    "--top", type=click.IntRange(min=0), default=5, show_default=True, help="How many actions to show (0 shows all)."
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--verbose", is_flag=True, help="Show field paths and rule files, for coaches.")
@output_options
def recommend(
    profile: str,
    packs: Packs,
    as_of: dt.datetime | None,
    top: int,
    fmt: str,
    verbose: bool,
    output: str | None,
    force: bool,
) -> None:
    """Recommend this quarter's actions for the goal in PROFILE (YAML or JSON; - reads standard input).

    \b
    Example:
      goalpath recommend me.yaml --top 3
      goalpath recommend me.yaml --format html --output report.html
      cat me.json | goalpath recommend - --format json
    """
    engine, evaluation = evaluate(profile, packs, as_of)
    result = engine.result(evaluation, top=top or None)
    # Each renderer is imported only when asked for: a person at a terminal feels every start-up.
    if fmt == "json":
        from ..render.json import render_json

        text = render_json(result)
    elif fmt == "markdown":
        from ..render.markdown import render_markdown

        text = render_markdown(result, verbose=verbose)
    elif fmt == "html":
        from ..plan import build_plan
        from ..render.html import render_html

        text = render_html(result, build_plan(evaluation, engine.pack, engine.result(evaluation)))
    else:
        from ..render.text import render_text

        text = render_text(result, width=width(output), color=use_color(output), verbose=verbose)
    emit(text, output, force)
