"""``goalpath explain``: why an action is recommended, or with --why-not, why it is not."""

from __future__ import annotations

import datetime as dt
import difflib

import click

from ..advice import explain_action
from ..render.json import render_json
from ..render.markdown import render_explanation_markdown
from ..render.text import render_explanation_text
from . import cli
from .commands import short_help
from .common import EXIT_CODES, Packs, emit, evaluate, output_options, pack_options, profile_argument, use_color, width


@cli.command(epilog=EXIT_CODES, short_help=short_help("explain"))
@profile_argument
@click.argument("action", metavar="ACTION")
@pack_options
@click.option(
    "--why-not",
    "why_not",
    is_flag=True,
    help="For an action that was not recommended: the rules that would recommend it, what each lacks, and the change that would make it appear.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("--verbose", is_flag=True, help="Show field paths and rule files, for coaches.")
@output_options
def explain(
    profile: str,
    action: str,
    packs: Packs,
    as_of: dt.datetime | None,
    why_not: bool,
    fmt: str,
    verbose: bool,
    output: str | None,
    force: bool,
) -> None:
    """Explain ACTION (an action id, as shown by `recommend --format json`) for the goal in PROFILE.

    It shows the rules behind the action, the profile values they matched, the facts
    they built on, the score in words and the article sections. With --why-not, or for
    an action that was not recommended, it shows every rule that would recommend it,
    nearest first, which of their conditions failed on which value, and what change to
    the profile would make the action appear.

    \b
    Example:
      goalpath explain me.yaml choose-stretch-project
      goalpath explain me.yaml request-stakeholder-endorsements --why-not
    """
    engine, evaluation = evaluate(profile, packs, as_of)
    known = {a.id for a in engine.pack.actions} | {r.id for r in engine.pack.retired if r.kind == "action"}
    if action not in known:
        close = difflib.get_close_matches(action, sorted(known), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise click.BadParameter(
            f"'{action}' is not an action of the {engine.pack.name} pack{hint}", param_hint="ACTION"
        )
    explanation = explain_action(evaluation, engine.pack, action)
    if why_not and explanation.recommendation is not None and explanation.status == "recommended":
        click.echo(
            f"Note: '{action}' is recommended; showing why, and the other rules that would recommend it.", err=True
        )
    if fmt == "json":
        text = render_json(explanation)
    elif fmt == "markdown":
        text = render_explanation_markdown(explanation)
    else:
        text = render_explanation_text(explanation, width=width(output), color=use_color(output), verbose=verbose)
    emit(text, output, force)
