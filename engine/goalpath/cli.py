"""The ``goalpath`` command: parses arguments, calls the library, prints, exits.

Exit codes: 0 success; 1 bad input (a profile or rule file, with every problem as
``file:line:col: code: message``); 2 usage error; 3 internal error (a bug: traceback).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import traceback

import click

from .api import Engine
from .errors import GoalpathError
from .render.json import render_json
from .render.text import render_text

EXIT_BAD_INPUT = 1
EXIT_BUG = 3

_EXIT_CODES = """\b
Exit codes:
  0  success
  1  bad input: a profile or rule file has problems (each shown as file:line:col)
  2  usage error
  3  internal error (a bug; please report it with the traceback)"""


def _fail(error: GoalpathError) -> None:
    for problem in error.problems:
        click.echo(f"Error: {problem}", err=True)
    sys.exit(EXIT_BAD_INPUT)


@click.group(epilog=_EXIT_CODES)
@click.version_option(package_name="goalpath")
def cli() -> None:
    """Ranked, explained next actions for a career goal.

    \b
    Example:
      goalpath recommend fixtures/promotion-early.yaml
    """


@cli.command(epilog=_EXIT_CODES, short_help="Ranked, explained next actions for one profile.")
@click.argument("profile", type=click.Path(dir_okay=False, path_type=str))
@click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(path_type=str),
    metavar="PATH",
    help="Rule file or directory to use instead of the built-in pack (repeatable).",
)
@click.option(
    "--top", type=click.IntRange(min=0), default=5, show_default=True, help="How many actions to show (0 shows all)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="DATE",
    help="Judge dates as of this day (YYYY-MM-DD). Default: the profile's as_of, else today.",
)
def recommend(profile: str, rules: tuple[str, ...], top: int, fmt: str, as_of: dt.datetime | None) -> None:
    """Recommend the next actions for the goal in PROFILE (YAML or JSON).

    \b
    Example:
      goalpath recommend me.yaml --top 3
      goalpath recommend me.json --format json --rules my-pack/
    """
    try:
        engine = Engine(list(rules) or None)
        result = engine.recommend(profile, as_of=as_of.date() if as_of else None, top=top or None)
    except GoalpathError as error:
        _fail(error)
        return
    if fmt == "json":
        click.echo(render_json(result), nl=False)
    else:
        tty = sys.stdout.isatty()
        width = shutil.get_terminal_size((100, 24)).columns if tty else 100
        click.echo(render_text(result, width=width, color=tty), nl=False)


def main() -> None:
    """Console entry point: click handles usage errors; anything unexpected is a bug."""
    try:
        cli.main(prog_name="goalpath")
    except SystemExit:
        raise
    except Exception:
        traceback.print_exc()
        click.echo("goalpath: internal error (a bug); please report it with the traceback above.", err=True)
        sys.exit(EXIT_BUG)
