"""The ``goalpath`` command line: one module per command group, each thin over the library.

Errors are mapped to exit codes here, once, for every command: bad input (a profile or
rule file, each problem as ``file:line:col: code: message``) exits 1, a usage error 2
(click's own), and anything else is a bug, printed with its traceback, exit 3.
"""

from __future__ import annotations

import sys
import traceback
from typing import Any

import click

from ..errors import GoalpathError
from ..render.words import printable
from .common import EXIT_BAD_INPUT, EXIT_BUG, EXIT_CODES


class GoalpathGroup(click.Group):
    """The command group: bad input from any command is reported in one place, never as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GoalpathError as error:
            for problem in error.problems:
                # A message quotes the input (an unknown key, a bad value): a terminal must not act on it.
                click.echo(f"Error: {printable(str(problem))}", err=True)
            ctx.exit(EXIT_BAD_INPUT)


@click.group(cls=GoalpathGroup, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="goalpath", prog_name="goalpath", message="%(prog)s %(version)s")
def cli() -> None:
    """Ranked, explained next actions for a career goal.

    \b
    Example:
      goalpath recommend me.yaml
      goalpath init me.yaml
      goalpath explain me.yaml choose-stretch-project --why-not
    """


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


# The commands register themselves on the group when imported.
from . import check, explain, plan, recommend, rules, start  # noqa: E402,F401

__all__ = ["cli", "main"]
