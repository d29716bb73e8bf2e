"""``goalpath batch`` and the batch library: a cohort streamed in and out, in order, with
error records for bad records, a cohort summary, worker processes and Dask all giving the
serial results."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirun import invoke

from goalpath import Engine, load_profile
from goalpath.batch import Record, Settings, read_jsonl, run
from goalpath.batch.run import CHUNK, IN_FLIGHT

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "fixtures").glob("*.yaml"))[:8]
BAD_PRIORITY = '{"goal": {"priority": "promotoin"}}'


def _profile_data(path: Path) -> dict:
    return load_profile(path).model_dump(mode="json", exclude_none=True)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight real profiles, half of them in an id envelope, with three bad records in the middle."""
    lines = []
    for i, path in enumerate(FIXTURES):
        data = _profile_data(path)
        lines.append(json.dumps({"id": path.stem, "profile": data} if i % 2 else data))
    lines.insert(3, BAD_PRIORITY)  # line 4
    lines.insert(5, "not json at all")  # line 6
    lines.insert(7, "")  # line 8: blank, skipped
    lines.insert(8, '{"id": 7, "profile": {"goal": {"priority": "promotion"}, "goal": {}}}')  # line 9
    path = tmp_path_factory.mktemp("cohort") / "cohort.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_each_record_gives_one_line_in_input_order_with_the_library_result(cohort: Path) -> None:
    result = invoke("batch", cohort, "--quiet")
    assert result.exit_code == 4  # the batch ran to the end, with error records
    out = _records(result.stdout)
    assert [r["line"] for r in out] == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]
    assert [r["ok"] for r in out] == [True, True, True, False, True, False, True, False, True, True, True]
    engine = Engine()
    good = [r for r in out if r["ok"]]
    for record, path in zip(good, FIXTURES, strict=True):
        assert record["result"] == json.loads(engine.recommend(_profile_data(path), top=5).to_json())
    # An envelope's id comes through; a bare profile has none.
    assert [r["id"] for r in good] == [None if i % 2 == 0 else p.stem for i, p in enumerate(FIXTURES)]


def test_a_bad_record_is_an_error_record_located_on_its_line(cohort: Path) -> None:
    out = {r["line"]: r for r in _records(invoke("batch", cohort, "--quiet").stdout)}
    label = str(cohort)
    assert out[4] == {
        "line": 4,
        "id": None,
        "ok": False,
        "errors": [
            {
                "file": label,
                "line": 4,
                "column": 11,
                "code": "invalid-value",
                "message": "goal.priority: Input should be 'promotion', 'skill_mastery', 'career_pivot' or "
                "'work_abroad', got 'promotoin' (did you mean 'promotion'?)",
            }
        ],
    }
    assert out[6]["errors"] == [
        {"file": label, "line": 6, "column": 1, "code": "bad-json", "message": "Expecting value"}
    ]
    assert out[9]["id"] == 7
    assert [(e["code"], e["line"]) for e in out[9]["errors"]] == [("duplicate-key", 9)]


def test_the_summary_counts_the_cohort(cohort: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.json"
    result = invoke("batch", cohort, "--summary", summary)
    assert result.exit_code == 4
    data = json.loads(summary.read_text(encoding="utf-8"))
    assert (data["records"], data["profiles"], data["errors"], data["error_lines"]) == (11, 8, 3, [4, 6, 9])
    out = [r for r in _records(result.stdout) if r["ok"]]
    for item in data["actions"]:
        ranked = [[rec["action"]["id"] for rec in r["result"]["recommendations"]] for r in out]
        assert item["recommended"] == sum(item["action"] in ids for ids in ranked)
        assert item["ranks"] == {
            str(rank): n
            for rank in range(1, 6)
            if (n := sum(ids[rank - 1 : rank] == [item["action"]] for ids in ranked))
        }
    rules = {rule.id for rule in Engine().pack.rules}
    assert set(data["rules_never_fired"]) < rules and set(data["rules_fired_for_everyone"]) < rules
    assert not set(data["rules_never_fired"]) & set(data["rules_fired_for_everyone"])
    # The same summary, in words, on standard error.
    assert result.stderr.startswith("11 records: 8 profiles evaluated, 3 with errors.\nErrors on lines 4, 6, 9\n")
    assert f"Rules that never fired: {len(data['rules_never_fired'])} of {len(rules)}" in result.stderr


def test_a_clean_batch_exits_0_and_writes_its_file_in_one_step(tmp_path: Path) -> None:
    source = tmp_path / "clean.jsonl"
    source.write_text("\n".join(json.dumps(_profile_data(p)) for p in FIXTURES[:3]) + "\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    result = invoke("batch", source, "--output", target, "--quiet")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert [r["ok"] for r in _records(target.read_text(encoding="utf-8"))] == [True, True, True]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    again = invoke("batch", source, "--output", target, "--quiet")
    assert again.exit_code == 1
    assert again.stderr == f"Error: {target}: exists: the file exists already; add --force to overwrite it\n"


def test_standard_input_and_a_line_that_is_not_utf8() -> None:
    text = json.dumps(_profile_data(FIXTURES[0])).encode() + b"\n" + b'{"name": "\xff"}\n'
    result = invoke("batch", "-", "--quiet", input=text)
    out = _records(result.stdout)
    assert [r["ok"] for r in out] == [True, False]
    assert out[1]["errors"] == [
        {
            "file": "<stdin>",
            "line": 2,
            "column": 11,
            "code": "unreadable",
            "message": "not UTF-8 text (bad byte at column 11)",
        }
    ]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused() -> None:
    result = invoke("batch", "/dev/zero")
    assert result.exit_code == 1
    assert result.stderr == "Error: /dev/zero: unreadable: is not a file or a pipe\n"


# -- CSV ------------------------------------------------------------------------------------
def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def test_csv_columns_are_field_paths_converted_by_kind(tmp_path: Path) -> None:
    source = _write_csv(
        tmp_path / "staff.csv",
        [
            [
                "id",
                "as_of",
                "goal.priority",
                "goal.outcome",
                "goal.horizon_months",
                "evidence.baseline_documented",
                "goal.checkpoints",
            ],  # fmt: skip
            [
                "e1",
                "2026-11-01",
                "promotion",
                "Senior PM at Acme by June 2027",
                "12",
                "false",
                '[{"name": "Baseline written", "due": "2027-01-15"}]',
            ],  # fmt: skip
            ["e2", "2026-11-01", "career_pivot", "", "six", "", ""],
        ],
    )
    out = _records(invoke("batch", source, "--quiet").stdout)
    want = Engine().recommend(
        {
            "as_of": "2026-11-01",
            "goal": {
                "priority": "promotion",
                "outcome": "Senior PM at Acme by June 2027",
                "horizon_months": 12,
                "checkpoints": [{"name": "Baseline written", "due": "2027-01-15"}],
            },
            "evidence": {"baseline_documented": False},
        },
        top=5,
    )
    assert out[0] == {"line": 2, "id": "e1", "ok": True, "result": json.loads(want.to_json())}
    # The column of the bad cell is the CSV column's number.
    assert out[1]["errors"] == [
        {
            "file": str(source),
            "line": 3,
            "column": 5,
            "code": "invalid-value",
            "message": "goal.horizon_months: Input should be a valid integer, got 'six'",
        }
    ]


def test_an_unknown_csv_column_stops_the_batch_before_any_record(tmp_path: Path) -> None:
    source = _write_csv(tmp_path / "bad.csv", [["goal.priorty", "id"], ["promotion", "x"]])
    result = invoke("batch", source)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {source}:1:1: unknown-field: column 'goal.priorty' is not a profile field "
        "(did you mean 'goal.priority'?)\n"
    )


# -- workers and streaming ----------------------------------------------------------------
def test_two_workers_give_the_serial_output_byte_for_byte(cohort: Path) -> None:
    serial = invoke("batch", cohort, "--quiet")
    parallel = invoke("batch", cohort, "--quiet", "--jobs", "2")
    assert parallel.exit_code == serial.exit_code == 4
    assert parallel.stdout == serial.stdout


def test_records_are_read_as_they_are_needed(cohort: Path) -> None:
    # Streaming: however long the input, only a few chunks per worker are read ahead of the output.
    template = cohort.read_text(encoding="utf-8").splitlines()[0] + "\n"
    pulled = 0

    def records() -> Iterator[Record]:
        nonlocal pulled
        for line in range(1, 2001):
            pulled += 1
            yield Record(line, None, text=template)

    jobs = 2
    seen = 0
    for outcome in run(records(), [], True, Settings("big.jsonl"), jobs=jobs):
        seen += 1
        assert outcome.line == seen
        assert pulled - seen <= jobs * IN_FLIGHT * CHUNK
    assert seen == 2000


def test_the_library_reads_jsonl_from_bytes(cohort: Path) -> None:
    with cohort.open("rb") as stream:
        lines = [r.line for r in read_jsonl(stream, "c")]
    assert lines == [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]


# -- Dask ----------------------------------------------------------------------------------
def test_dask_on_a_local_cluster_gives_the_batch_output(cohort: Path) -> None:
    db = pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    from goalpath.batch.dask import recommend_bag

    local = invoke("batch", cohort, "--quiet").stdout.splitlines()
    lines = cohort.read_text(encoding="utf-8").splitlines()
    items = [(number, line) for number, line in enumerate(lines, start=1) if line.strip()]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster):
            bag = db.from_sequence(items, npartitions=4)
            got = recommend_bag(bag, label=str(cohort)).compute()
            # Each worker process built its engine once, for all the partitions it ran.
            builds = distributed.get_client().run(_engines_built)
    assert got == local
    assert all(count <= 1 for count in builds.values())


def _engines_built() -> int:
    from goalpath.batch import dask as goalpath_dask

    return len(goalpath_dask._engines)


def test_the_example_cohort_is_the_example_profiles() -> None:
    # fixtures/cohort.jsonl (in the README) holds every example profile, by its file's name.
    lines = (ROOT / "fixtures" / "cohort.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [p.stem for p in sorted((ROOT / "fixtures").glob("*.yaml"))]
    for record in records:
        assert record["profile"] == _profile_data(ROOT / "fixtures" / f"{record['id']}.yaml"), record["id"]
