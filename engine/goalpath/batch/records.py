"""Reading a cohort: JSON Lines or CSV, one profile per record, streamed.

A record is read lazily and carries what is needed to evaluate it in another process:
its line number, the caller's id for it (if any) and the profile, as JSON text or as a
dict from a CSV row. Nothing is validated here; problems are found where the record is
evaluated, located at its line.

JSON Lines: each non-blank line is one profile as a JSON object, or an envelope
``{"id": ..., "profile": {...}}`` that carries the caller's id through to the output.

CSV: the first row names the columns. A column is a profile field by its dotted path
(``goal.priority``, ``audit.specific_outcome``, ``evidence.baseline_documented``); the
column ``id`` is the caller's id. An empty cell leaves the field out. A cell of a list
or mapping field (``goal.checkpoints``, ``support``) holds JSON. Numbers, true/false and
JSON cells are converted by the field's kind; anything that does not convert is passed
on as text, for validation to report at its line and column.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from ..errors import GoalpathError, Problem
from ..fields import FieldSpec, profile_fields

#: The CSV column that carries the caller's id for a record.
ID_COLUMN = "id"
#: Longest record read (a profile file is at most 4 MiB; a record is one profile).
MAX_RECORD_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class Record:
    """One input record: where it is, the caller's id, and the profile (JSON text, or a CSV row as data)."""

    line: int
    id: Any
    text: str | None = None
    data: dict[str, Any] | None = None
    columns: tuple[str, ...] = ()  # CSV: the column of each field path, for locating problems
    problem: Problem | None = None  # the record could not even be read


def read_jsonl(stream: IO[bytes], label: str) -> Iterator[Record]:
    """The records of a JSON Lines byte stream, one per non-blank line.

    A line that is not UTF-8 or is too long is a record with a problem, and the stream
    goes on; a record is never longer than :data:`MAX_RECORD_BYTES` in memory.
    """
    number = 0
    while True:
        raw = stream.readline(MAX_RECORD_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_RECORD_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line
                raw = stream.readline(MAX_RECORD_BYTES)
            yield Record(
                number, None, problem=Problem(label, number, 1, "too-large", "the record is larger than 4 MiB")
            )
            continue
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problem = Problem(
                label, number, exc.start + 1, "unreadable", f"not UTF-8 text (bad byte at column {exc.start + 1})"
            )
            yield Record(number, None, problem=problem)
            continue
        if line.strip():
            yield Record(number, None, text=line)


def read_csv(stream: IO[str], label: str) -> Iterator[Record]:
    """The records of a CSV stream with a header row of field paths.

    Raises:
        GoalpathError: the header names a column that is no profile field (with a
            did-you-mean), or names one twice; then no record is read.
    """
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise GoalpathError.single(label, "bad-csv", str(exc), 1, 1) from None
    specs = _columns(header, label)
    try:
        for row in reader:  # a bad byte stops the batch: a CSV row may span lines, so none can be skipped
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                problem = Problem(
                    label, number, len(header) + 1, "bad-csv", f"the row has {len(row)} cells for {len(header)} columns"
                )
                yield Record(number, None, problem=problem)
                continue
            data: dict[str, Any] = {}
            ident: Any = None
            for name, spec, cell in zip(header, specs, row, strict=False):  # a short row leaves the rest empty
                if cell == "":
                    continue
                if spec is None:
                    ident = cell
                    continue
                _put(data, name.split("."), _cell_value(cell, spec))
            yield Record(number, ident, data=data, columns=tuple(header))
    except csv.Error as exc:
        raise GoalpathError.single(label, "bad-csv", str(exc), reader.line_num, 1) from None
    except UnicodeDecodeError:
        raise GoalpathError.single(label, "unreadable", "not UTF-8 text", reader.line_num + 1, 1) from None


def _columns(header: list[str], label: str) -> list[FieldSpec | None]:
    fields = {path: spec for path, spec in profile_fields().items() if not spec.computed}
    writable = sorted(fields) + [ID_COLUMN]
    problems: list[Problem] = []
    specs: list[FieldSpec | None] = []
    for index, name in enumerate(header, start=1):
        if header.index(name) != index - 1:
            problems.append(Problem(label, 1, index, "duplicate-key", f"column '{name}' is given twice"))
        if name == ID_COLUMN:
            specs.append(None)
        elif name in fields and fields[name].kind != "object":
            specs.append(fields[name])
        else:
            close = difflib.get_close_matches(name, writable, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(Problem(label, 1, index, "unknown-field", f"column '{name}' is not a profile field{hint}"))
            specs.append(None)
    if problems:
        raise GoalpathError(problems)
    return specs


def _cell_value(cell: str, spec: FieldSpec) -> Any:
    text = cell.strip()
    try:
        if spec.kind == "bool" and text in ("true", "false"):
            return text == "true"
        if spec.kind == "int":
            return int(text)
        if spec.kind == "float":
            return float(text)
        if spec.kind in ("list", "object"):
            return json.loads(text)
    except ValueError:
        pass
    return cell


def _put(data: dict[str, Any], parts: list[str], value: Any) -> None:
    for part in parts[:-1]:
        data = data.setdefault(part, {})
    data[parts[-1]] = value


def csv_text(raw: IO[bytes]) -> IO[str]:
    """A byte stream as UTF-8 text for :func:`read_csv` (a BOM is dropped)."""
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
