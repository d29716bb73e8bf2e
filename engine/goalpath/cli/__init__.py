"""The ``goalpath`` command line: one module per command group, each thin over the library.

Errors are mapped to exit codes here, once, for every command: bad input (a profile or
rule file, each problem as ``file:line:col: code: message``) and output that cannot be
written (a full disk) exit 1, a usage error 2 (click's own). A fault inside the rule
engine exits 3 with one located line; anything else is a bug, printed with its
traceback, exit 3.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
import traceback
from typing import Any

import click

from ..errors import EngineFault, GoalpathError
from .commands import COMMANDS, EXIT_BAD_INPUT, EXIT_BUG, EXIT_CODES, EXIT_INTERRUPTED


def printable(text: str) -> str:
    """Text from the input, safe for a terminal (imported only when there is an error to print)."""
    from ..render.words import printable as escaped

    return escaped(text)


class GoalpathGroup(click.Group):
    """The command group: bad input from any command is reported in one place, never as a traceback.

    Commands are imported when they run: the group lists them, with their help, from
    :data:`.commands.COMMANDS`, so ``goalpath --help`` loads no command and no model.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            importlib.import_module(f"{__name__}.{COMMANDS[cmd_name][0]}")  # registers it on the group
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])

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


__all__ = ["cli", "main"]
