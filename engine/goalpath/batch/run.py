"""Evaluating a cohort: each record to one output line, in input order, in worker processes.

A worker process builds its engine once, from the pack paths, and evaluates records in
chunks. At most a few chunks per worker are in flight at a time, so memory stays
constant however long the input is, and output comes out in input order.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any

from ..api import Engine
from ..errors import GoalpathError, Problem, ProfileError
from ..profile import Profile, profile_from_document
from ..source import Document, Path_, parse_text
from .records import Record

#: Records sent to a worker at a time, and chunks in flight per worker.
CHUNK = 32
IN_FLIGHT = 4


@dataclass(frozen=True)
class Outcome:
    """One record's output line (JSON), and what the cohort summary counts of it."""

    line: int
    json: str
    ok: bool
    ranked: tuple[str, ...] = ()  # the recommended actions, in rank order
    fired: tuple[str, ...] = ()  # the rules that fired


@dataclass(frozen=True)
class Settings:
    """What every record is evaluated with."""

    label: str
    as_of: dt.date | None = None
    top: int | None = 5


def evaluate_record(engine: Engine, record: Record, settings: Settings) -> Outcome:
    """One record to its output line: the result, or its located problems."""
    try:
        ident, profile = _profile(record, settings.label)
        evaluation = engine.evaluate(profile, as_of=settings.as_of)
        result = engine.result(evaluation, top=settings.top)
    except GoalpathError as error:
        problems = [
            {"file": p.file, "line": p.line, "column": p.column, "code": p.code, "message": p.message}
            for p in error.problems
        ]
        head = _head(record.line, _lenient_id(record))  # read again only for a record that failed
        return Outcome(
            record.line, head + f'"ok": false, "errors": {json.dumps(problems, ensure_ascii=False)}}}', False
        )
    head = _head(record.line, ident if ident is not None else record.id)
    return Outcome(
        record.line,
        head + f'"ok": true, "result": {result.to_json(indent=None)}}}',
        True,
        tuple(r.action.id for r in result.recommendations),
        tuple(sorted({f.rule_id for f in evaluation.trace.firings})),
    )


def _profile(record: Record, label: str) -> tuple[Any, Profile]:
    if record.problem is not None:
        raise GoalpathError([record.problem])
    if record.data is not None:
        positions: dict[Path_, tuple[int, int]] = {(): (record.line, 1)}
        for column, name in enumerate(record.columns, start=1):
            parts = tuple(name.split("."))
            for depth in range(1, len(parts)):
                positions.setdefault(parts[:depth], (record.line, column))
            positions[parts] = (record.line, column)
        return record.id, profile_from_document(Document(label, record.data, positions))
    assert record.text is not None
    try:
        data = json.loads(record.text, object_pairs_hook=_no_duplicates)
        ident, body = _unwrap(data)
        return ident, profile_from_document(Document(label, body, {(): (record.line, 1)}))
    except (ValueError, GoalpathError):
        pass  # worked out again below, this time keeping every position, to locate the problem
    try:
        doc = parse_text(record.text, label, json_syntax=True)
    except GoalpathError as error:
        raise ProfileError([_on_line(p, record.line) for p in error.problems]) from None
    try:
        ident, body = _unwrap(doc.data)
    except ValueError as exc:
        raise ProfileError([Problem(label, record.line, 1, "invalid-value", str(exc))]) from None
    prefix: Path_ = ("profile",) if body is not doc.data else ()
    located: dict[Path_, tuple[int, int]] = {
        path[len(prefix) :]: position for path, position in doc.positions.items() if path[: len(prefix)] == prefix
    }
    try:
        return ident, profile_from_document(Document(label, body, located))
    except GoalpathError as error:
        raise ProfileError([_on_line(p, record.line) for p in error.problems]) from None


def _head(line: int, ident: Any) -> str:
    """The start of a record's output line: its line number and the caller's id."""
    return f'{{"line": {line}, "id": {json.dumps(ident, ensure_ascii=False)}, '


def _lenient_id(record: Record) -> Any:
    """The record's id even when the record is refused (a key given twice, say), if an envelope gives one."""
    if record.text is None:
        return record.id
    try:
        data = json.loads(record.text)
    except ValueError:
        return None
    return data.get("id") if isinstance(data, dict) and "profile" in data else None


def _unwrap(data: Any) -> tuple[Any, Any]:
    """(the caller's id, the profile) of a record: an envelope {"id", "profile"}, or the profile itself."""
    if not isinstance(data, dict):
        raise ValueError('a record must be a JSON object: a profile, or {"id": ..., "profile": {...}}')
    if "profile" in data and set(data) <= {"id", "profile"}:
        return data.get("id"), data["profile"]
    return None, data


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("a key is given twice")
    return out


def _on_line(problem: Problem, line: int) -> Problem:
    """A problem found in a one-line record, placed on the record's line of the input."""
    return Problem(problem.file, line, problem.column or 1, problem.code, problem.message)


# -- worker processes ------------------------------------------------------------------
_worker_engine: Engine | None = None


def _start_worker(paths: Sequence[str], builtin: bool) -> None:
    global _worker_engine
    _worker_engine = Engine(list(paths), builtin=builtin)


def _run_chunk(chunk: list[Record], settings: Settings) -> list[Outcome]:
    assert _worker_engine is not None, "the worker was started without its engine"
    return [evaluate_record(_worker_engine, record, settings) for record in chunk]


def run(
    records: Iterable[Record],
    paths: Sequence[str],
    builtin: bool,
    settings: Settings,
    jobs: int = 1,
    engine: Engine | None = None,
) -> Iterator[Outcome]:
    """Each record's outcome, in input order: in this process (``jobs`` 1) or in ``jobs`` workers.

    With one job, ``engine`` (if given) is used as it is; workers each build their own
    from ``paths`` and ``builtin``, once. Workers are spawned, as Python starts them on
    every platform: a script that calls this with ``jobs`` > 1 must do so under
    ``if __name__ == "__main__":`` and be a file (not standard input), so that each
    worker can import it.
    """
    if jobs <= 1:
        local = engine or Engine(list(paths), builtin=builtin)
        for record in records:
            yield evaluate_record(local, record, settings)
        return
    # spawn: a worker starts clean, never with a copy of this process's engine state or locks.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(tuple(paths), builtin)
    ) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        source = iter(records)
        while True:
            while len(pending) < jobs * IN_FLIGHT:
                chunk = list(islice(source, CHUNK))
                if not chunk:
                    break
                pending.append(pool.submit(_run_chunk, chunk, settings))
            if not pending:
                return
            yield from pending.popleft().result()
