"""Batches beyond one machine, with Dask (``pip install 'goalpath[dask]'``).

>>> import dask.bag as db                                          # doctest: +SKIP
>>> from goalpath.batch.dask import recommend_bag
>>> lines = db.read_text("s3://bucket/cohort-*.jsonl")
>>> recommend_bag(lines, rules=["coach-pack/"]).to_textfiles("s3://bucket/out-*.jsonl")

Each item of the bag is one record, as ``goalpath batch`` reads it: a JSON line (a
profile, or ``{"id": ..., "profile": {...}}``), a dict of the same, or a pair
``(line number, JSON line)`` to keep the input's line numbers. Each output item is the
record's output line, exactly as ``goalpath batch`` writes it. Every worker process
builds its engine once, the first time a partition of it needs one, and keeps it for
the partitions that follow (the pack paths must be readable on the workers).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from ..api import Engine
from .records import Record
from .run import Settings, evaluate_record

_engines: dict[tuple[tuple[str, ...], bool], Engine] = {}
_lock = threading.Lock()


def _engine(rules: tuple[str, ...], builtin: bool) -> Engine:
    """This process's engine for a pack stack, built on first use (a worker runs many partitions)."""
    key = (rules, builtin)
    with _lock:
        if key not in _engines:
            _engines[key] = Engine(list(rules), builtin=builtin)
        return _engines[key]


def _record(item: Any, index: int) -> Record:
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], int):
        line, item = item
    else:
        line = index
    if isinstance(item, dict):
        item = json.dumps(item, ensure_ascii=False)
    if not isinstance(item, str):
        raise TypeError(f"a record must be a JSON line, a dict or a (line, JSON line) pair, got {type(item).__name__}")
    return Record(line, None, text=item)


def recommend_partition(
    items: Iterable[Any],
    rules: Sequence[str] = (),
    builtin: bool = True,
    as_of: dt.date | None = None,
    top: int | None = 5,
    label: str = "<bag>",
) -> list[str]:
    """The output lines of one partition's records (for ``Bag.map_partitions``)."""
    engine = _engine(tuple(str(r) for r in rules), builtin)
    settings = Settings(label, as_of, top or None)
    out = []
    for index, item in enumerate(items, start=1):
        if isinstance(item, str) and not item.strip():
            continue
        out.append(evaluate_record(engine, _record(item, index), settings).json)
    return out


def recommend_bag(
    bag: Any,
    rules: Sequence[str] = (),
    *,
    builtin: bool = True,
    as_of: dt.date | None = None,
    top: int | None = 5,
    label: str = "<bag>",
) -> Any:
    """A ``dask.bag.Bag`` of records to a bag of their output lines (lazily; call ``.compute()``).

    ``rules`` are pack paths stacked on the built-in pack (``builtin=False`` leaves it
    out), as for :class:`goalpath.Engine`; ``top`` actions per profile (0 or None for
    all); ``label`` names the input in error records.
    """
    return bag.map_partitions(
        recommend_partition, rules=tuple(str(r) for r in rules), builtin=builtin, as_of=as_of, top=top, label=label
    )
