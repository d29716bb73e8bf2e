"""What every command shares: reading a profile (a file, or - for standard input), building
the engine, the options, colour, and writing files atomically without clobbering."""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..api import Engine
from ..errors import GoalpathError
from ..loader import ENV, pack_paths
from ..profile import Profile, load_profile, load_profile_text
from ..session import Evaluation
from ..source import MAX_BYTES
from .commands import EXIT_BAD_INPUT, EXIT_BUG, EXIT_CODES  # noqa: F401 - the commands import them from here

FORMATS = ("text", "markdown", "html", "json")


def profile_argument(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument(
        "profile", metavar="PROFILE", type=click.Path(dir_okay=False, path_type=str, allow_dash=True)
    )(command)


@dataclass(frozen=True)
class Packs:
    """The packs a command stacks: those of $GOALPATH_RULES then --rules, on the built-in one."""

    paths: tuple[str, ...] = ()
    builtin: bool = True

    def engine(self) -> Engine:
        return Engine(list(self.paths), builtin=self.builtin)


def stack_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--rules (repeatable) and --no-builtin, given to the command as one ``packs: Packs``."""

    @functools.wraps(command)
    def with_packs(*args: Any, rules: tuple[str, ...], no_builtin: bool, **kwargs: Any) -> Any:
        return command(*args, packs=Packs(tuple(str(p) for p in pack_paths(rules)), not no_builtin), **kwargs)

    with_packs = click.option(
        "--no-builtin",
        "no_builtin",
        is_flag=True,
        help="Leave out the built-in pack: the first --rules pack is the bottom one.",
    )(with_packs)
    return click.option(
        "--rules",
        "rules",
        multiple=True,
        type=click.Path(path_type=str),
        metavar="PACK",
        help=f"A rule pack (directory or file) to stack on the built-in pack; repeat for more, later ones on top. "
        f"Packs in ${ENV} (separated by '{os.pathsep}') go first.",
    )(with_packs)


def pack_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The pack stack and --as-of, shared by every command that evaluates a profile."""
    command = click.option(
        "--as-of",
        "as_of",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        metavar="DATE",
        help="Judge dates as of this day (YYYY-MM-DD). Default: the profile's as_of, else today.",
    )(command)
    return stack_options(command)


def output_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--output``/``-o FILE`` (``-`` is standard output), given to the command as ``output``."""
    return click.option(
        "--output",
        "-o",
        "output",
        type=click.Path(dir_okay=False, path_type=str, allow_dash=True),
        default=None,
        metavar="FILE",
        help=help,
    )


def file_option(flag: str, name: str, help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """An option naming one more file a command writes (``--ics FILE``, ``--summary FILE``)."""
    return click.option(
        flag, name, type=click.Path(dir_okay=False, path_type=str), default=None, metavar="FILE", help=help
    )


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--force", is_flag=True, help="Overwrite the --output file if it exists.")(command)
    return output_option("Write to FILE instead of the screen (atomically; an existing file needs --force).")(command)


def read_profile(source: str) -> Profile:
    """The profile in a file, or on standard input for ``-``."""
    if source != "-":
        return load_profile(source)
    stream = getattr(sys.stdin, "buffer", None)
    raw: bytes = stream.read(MAX_BYTES + 1) if stream is not None else sys.stdin.read(MAX_BYTES + 1).encode("utf-8")
    if len(raw) > MAX_BYTES:
        raise GoalpathError.single("<stdin>", "too-large", f"the input is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GoalpathError.single(
            "<stdin>", "unreadable", f"not UTF-8 text (bad byte at offset {exc.start})"
        ) from None
    return load_profile_text(text, "<stdin>")


def evaluate(profile_source: str, packs: Packs, as_of: dt.datetime | None) -> tuple[Engine, Evaluation]:
    engine = packs.engine()
    evaluation = engine.evaluate(read_profile(profile_source), as_of=as_of.date() if as_of else None)
    return engine, evaluation


def use_color(output: str | None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return output in (None, "-") and sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def width(output: str | None) -> int:
    return shutil.get_terminal_size((100, 24)).columns if use_color(output) else 100


def emit(text: str, output: str | None, force: bool) -> None:
    """Print ``text``, or write it to ``output`` atomically (refusing to clobber without ``force``)."""
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    write_file(Path(output), text, force)  # type: ignore[arg-type]
    click.echo(f"Wrote {output}", err=True)


def write_file(path: Path, text: str, force: bool) -> None:
    """Write ``text`` to ``path`` in one step: a file beside it, then a rename over it.

    Raises:
        GoalpathError: the file exists and ``force`` is not set, or it cannot be written.
    """
    if path.exists() and not force:
        raise GoalpathError.single(str(path), "exists", "the file exists already; add --force to overwrite it")
    if path.exists() and not path.is_file():
        raise GoalpathError.single(str(path), "unwritable", "is not a regular file")
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise GoalpathError.single(str(path), "unwritable", exc.strerror or "cannot be written") from None
