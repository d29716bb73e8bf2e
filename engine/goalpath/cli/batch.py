"""``goalpath batch``: a cohort of profiles in, one JSON line per profile out, streamed."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click

from ..batch import Settings, Summary, csv_text, read_csv, read_jsonl, run
from ..errors import GoalpathError
from ..loader import load_packs
from . import cli
from .commands import short_help
from .common import EXIT_CODES, Packs, file_option, output_option, pack_options, write_file

#: A batch that ran to the end but had records with errors (each is an error record in the output).
EXIT_RECORD_ERRORS = 4

BATCH_EXIT_CODES = EXIT_CODES.replace(
    "  130  interrupted",
    "  4  the batch ran to the end, and some records have errors (see their error records)\n  130  interrupted",
)


@cli.command(epilog=BATCH_EXIT_CODES, short_help=short_help("batch"))
@click.argument("source", metavar="INPUT", type=click.Path(dir_okay=False, path_type=str, allow_dash=True))
@pack_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default=None,
    help="The input's format. Default: csv for a .csv file, else jsonl.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes.")
@click.option(
    "--top", type=click.IntRange(min=0), default=5, show_default=True, help="Actions per profile (0 gives all)."
)
@output_option("Write the JSON Lines to FILE (in one step, at the end) instead of standard output.")
@file_option("--summary", "summary_file", "Also write the cohort summary to FILE, as JSON.")
@click.option("--force", is_flag=True, help="Overwrite --output and --summary files that exist.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary on standard error.")
def batch(
    source: str,
    packs: Packs,
    as_of: dt.datetime | None,
    fmt: str | None,
    jobs: int,
    top: int,
    output: str | None,
    summary_file: str | None,
    force: bool,
    quiet: bool,
) -> None:
    """Recommend actions for every profile in INPUT (- reads standard input), streamed.

    INPUT is JSON Lines, one profile per line, or {"id": ..., "profile": {...}} to carry
    your own id through; or CSV, with a header row of profile field paths (goal.priority,
    audit.specific_outcome, ...), an optional id column, and JSON in the cells of list
    fields. Each record gives one output line, in input order: {"line", "id", "ok": true,
    "result"} or {"line", "id", "ok": false, "errors"}. A record with errors does not stop
    the batch. At the end, a summary of the cohort goes to standard error.

    \b
    Example:
      goalpath batch cohort.jsonl --jobs 2 --output results.jsonl --summary summary.json
      goalpath batch staff.csv --top 3 > results.jsonl
    """
    label = "<stdin>" if source == "-" else source
    fmt = fmt or ("csv" if source.lower().endswith(".csv") else "jsonl")
    for target in (output, summary_file):
        if target not in (None, "-") and Path(target).exists() and not force:
            raise GoalpathError.single(target, "exists", "the file exists already; add --force to overwrite it")
    pack = load_packs(list(packs.paths), builtin=packs.builtin)  # bad packs stop here, before any record
    summary = Summary([rule.id for rule in pack.rules])
    settings = Settings(label, as_of.date() if as_of else None, top or None)
    show = not quiet and sys.stderr.isatty()
    with _input(source, label, count=show) as (stream, lines):
        records = read_csv(csv_text(stream), label) if fmt == "csv" else read_jsonl(stream, label)
        outcomes = run(records, list(packs.paths), packs.builtin, settings, jobs=jobs)
        with _destination(output) as out, _progress(show, lines) as advance:
            for outcome in outcomes:
                out.write(outcome.json + "\n")
                summary.add(outcome)
                advance(outcome.line)
    if summary_file:
        write_file(Path(summary_file), summary.to_json(), force)
    if not quiet:
        click.echo(summary.render_text(), err=True, nl=False)
    if summary.errors:
        sys.exit(EXIT_RECORD_ERRORS)


@contextlib.contextmanager
def _input(source: str, label: str, count: bool) -> Iterator[tuple[IO[bytes], int | None]]:
    """The input as bytes, and (with ``count``, for the progress bar) its line count when it is a file.

    A file or a pipe is streamed; a device or a directory is refused (it would never end).
    """
    if source == "-":
        yield sys.stdin.buffer, None
        return
    try:
        handle = open(source, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise GoalpathError.single(label, "not-found", "no such file") from None
    except OSError as exc:
        raise GoalpathError.single(label, "unreadable", exc.strerror or "cannot be opened") from None
    with handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
            raise GoalpathError.single(label, "unreadable", "is not a file or a pipe")
        lines = None
        if count and stat.S_ISREG(mode):  # one extra pass over the file, only when a bar will show
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            handle.seek(0)
        yield handle, lines


@contextlib.contextmanager
def _destination(output: str | None) -> Iterator[IO[str]]:
    """Standard output, or a file beside ``output`` renamed over it once the batch is done."""
    if output in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(output)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else "."
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    click.echo(f"Wrote {output}", err=True)


@contextlib.contextmanager
def _progress(show: bool, lines: int | None) -> Iterator:
    """A function to call with each record's line number: a progress bar on a terminal, else nothing."""
    if not show:
        yield lambda line: None
        return
    with click.progressbar(length=lines or 0, label="Profiles", file=sys.stderr, show_pos=True) as bar:
        done = [0]

        def advance(line: int) -> None:
            bar.update(max(0, line - done[0]))
            done[0] = max(done[0], line)

        yield advance
