"""``goalpath init`` and ``goalpath interview``: two ways to start a profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import yaml

from ..errors import GoalpathError
from ..profile import load_profile
from ..starter import Question, answers_to_profile, questions, starter_profile
from . import cli
from .commands import short_help
from .common import EXIT_CODES, emit

_DAY = click.DateTime(formats=["%Y-%m-%d"])


def _new_file(command: Callable[..., Any]) -> Callable[..., Any]:
    """FILE (default goal.yaml; - prints it), --force and --as-of, for the commands that start a profile."""
    command = click.option(
        "--as-of",
        "as_of",
        type=_DAY,
        default=None,
        metavar="DATE",
        help="Date the profile as of this day (default today).",
    )(command)
    command = click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")(command)
    return click.argument(
        "file",
        metavar="[FILE]",
        required=False,
        default="goal.yaml",
        type=click.Path(dir_okay=False, path_type=str, allow_dash=True),
    )(command)


@cli.command(epilog=EXIT_CODES, short_help=short_help("init"))
@_new_file
def init(file: str, force: bool, as_of: dt.datetime | None) -> None:
    """Write a commented starter profile to FILE (default goal.yaml; - prints it).

    Edit it, then run `goalpath recommend FILE`. An existing FILE is never overwritten
    without --force.

    \b
    Example:
      goalpath init me.yaml
      goalpath init - > me.yaml
    """
    today = as_of.date() if as_of else dt.date.today()
    emit(starter_profile(today, file if file != "-" else "goal.yaml"), file, force)


@cli.command(epilog=EXIT_CODES, short_help=short_help("interview"))
@_new_file
def interview(file: str, force: bool, as_of: dt.datetime | None) -> None:
    """Ask the article's final checklist and audit one question at a time, and write FILE.

    Each question has a default (in brackets) and is checked as it is answered; an
    empty answer leaves the field out. The answers can come from a terminal or a pipe,
    one per line. FILE defaults to goal.yaml; - prints the profile.

    \b
    Example:
      goalpath interview me.yaml
      printf 'Ada\\npromotion\\n...' | goalpath interview - > me.yaml
    """
    today = as_of.date() if as_of else dt.date.today()
    if file != "-" and Path(file).exists() and not force:  # say so before the questions, not after them
        raise GoalpathError.single(file, "exists", "the file exists already; add --force to overwrite it")
    answers: dict[str, object] = {}
    for question in questions():
        if question.when is not None and not question.when(answers):
            continue
        answers[question.path] = _ask(question)
    data = answers_to_profile(answers, today)
    load_profile(data, label="<interview>")
    text = "# Written by goalpath interview; every field is described in docs/profile.md.\n" + yaml.dump(
        data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100
    )
    emit(text, file, force)


class _PlainDumper(yaml.SafeDumper):
    """Writes every value where it is, never as an anchor and alias (people edit this file)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _ask(question: Question) -> object:
    hint = f" [{'/'.join(question.choices)}]" if question.choices else ""
    if question.kind == "bool":
        hint = ""
    shown = (
        ""
        if question.default is None
        else ("yes" if question.default is True else "no" if question.default is False else str(question.default))
    )
    while True:
        raw = click.prompt(f"{question.text}{hint}", default=shown, show_default=bool(shown), err=True)
        try:
            return question.parse(raw)
        except ValueError as problem:
            click.echo(f"  Please {problem}.", err=True)
