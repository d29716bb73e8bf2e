"""Batches: a cohort of profiles, streamed in (JSON Lines or CSV) and out (JSON Lines).

>>> from goalpath.batch import Settings, read_jsonl, run, Summary   # doctest: +SKIP
>>> with open("cohort.jsonl", "rb") as cohort:
...     for outcome in run(read_jsonl(cohort, "cohort.jsonl"), [], True, Settings("cohort.jsonl"), jobs=2):
...         print(outcome.json)

:mod:`.records` reads records, :mod:`.run` evaluates them in order (in worker processes
for ``jobs`` > 1), :mod:`.summary` counts what the cohort was recommended.
"""

from .records import Record, csv_text, read_csv, read_jsonl
from .run import Outcome, Settings, evaluate_record, run
from .summary import Summary

__all__ = ["Outcome", "Record", "Settings", "Summary", "csv_text", "evaluate_record", "read_csv", "read_jsonl", "run"]
