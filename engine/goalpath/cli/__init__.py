"""The ``goalpath`` command line: one module per command group, each thin over the library.

Errors are mapped to exit codes here, once, for every command: bad input (a profile or
rule file, each problem as ``file:line:col: code: message``) and output that cannot be
written (a full disk) exit 1, a usage error 2 (click's own). A fault inside the rule
engine exits 3 with one located line; anything else is a bug, printed with its
traceback, exit 3.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from typing import Any

import click

from ..errors import EngineFault, GoalpathError
from ..render.words import printable
from .common import EXIT_BAD_INPUT, EXIT_BUG, EXIT_CODES

#: The shell's code for a command ended by SIGINT (128 + 2).
EXIT_INTERRUPTED = 130


class GoalpathGroup(click.Group):
    """The command group: bad input from any command is reported in one place, never as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EngineFault as error:
            for problem in error.problems:
                click.echo(f"Error: {printable(str(problem))}", err=True)
            click.echo(REPORT_FAULT, err=True)
            ctx.exit(EXIT_BUG)
        except KeyboardInterrupt:
            # Before click's own handling ("Aborted!", exit 1, the code for bad input).
            click.echo("goalpath: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
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


REPORT_FAULT = "goalpath: this is a bug in goalpath or its rule engine, not in your files; please report it."

#: Errors writing the output that are the destination's, not goalpath's: a full disk or quota, a file too big, a
#: device error. (A closed pipe, as in ``goalpath recommend me.yaml | head``, click itself ends quietly with 1.)
_OUTPUT_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def main() -> None:
    """Console entry point: click handles usage errors; anything unexpected is a bug."""
    try:
        try:
            cli.main(prog_name="goalpath")
        finally:
            sys.stdout.flush()  # what is still buffered fails here, not silently at exit
    except SystemExit:
        raise
    except KeyboardInterrupt:
        # Ctrl-C: nothing was written half-way (files are written in one step), so no traceback.
        click.echo("goalpath: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except OSError as error:
        if error.errno not in _OUTPUT_ERRORS:
            _bug()
        click.echo(f"Error: cannot write the output: {error.strerror}", err=True)
        _discard_stdout()
        sys.exit(EXIT_BAD_INPUT)
    except Exception:
        _bug()


def _bug() -> None:
    traceback.print_exc()
    click.echo("goalpath: internal error (a bug); please report it with the traceback above.", err=True)
    sys.exit(EXIT_BUG)


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush at exit cannot fail again."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)


# The commands register themselves on the group when imported.
from . import batch, check, explain, plan, recommend, rules, start  # noqa: E402,F401

__all__ = ["cli", "main"]
