"""Reading files as an attacker would feed them: devices, pipes, UTF-16, YAML 1.1 numbers,
huge documents. Each gets one located refusal, never a hang or a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goalpath import GoalpathError, load_profile
from goalpath.source import MAX_NODES, _nesting, parse_text, read_document

unix_only = pytest.mark.skipif(sys.platform == "win32", reason="devices and FIFOs are POSIX")


def _refusal(path: Path | str) -> str:
    with pytest.raises(GoalpathError) as caught:
        read_document(path, stdin_ok=True)  # as a profile is read
    return str(caught.value)


@unix_only
def test_a_link_to_an_endless_device_is_refused_before_reading(tmp_path: Path) -> None:
    link = tmp_path / "me.yaml"
    link.symlink_to("/dev/zero")
    assert _refusal(link) == (
        f"{link}: unreadable: is a character device, not a regular file (use - to read standard input)"
    )


@unix_only
def test_a_pipe_with_no_writer_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "me.yaml"
    os.mkfifo(fifo)
    assert _refusal(fifo) == f"{fifo}: unreadable: is a pipe, not a regular file (use - to read standard input)"


def test_utf16_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "me.yaml"
    path.write_text("name: Ada\n", encoding="utf-16")
    assert _refusal(path) == f"{path}: unreadable: UTF-16 text; save the file as UTF-8"


def test_a_nul_byte_in_a_path_is_a_located_refusal() -> None:
    assert _refusal("me\0.yaml") == "me\0.yaml: unreadable: cannot be opened"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1:30", "1:30"),  # YAML 1.1 read sexagesimal 90
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("017", 17),  # 1.1 read octal 15
        ("0o17", 15),
        ("0x1F", 31),
        ("-5", -5),
        ("1e3", 1000.0),
        ("+.5", 0.5),
        ("yes", "yes"),
        ("off", "off"),
        ("True", True),
        ("~", None),
    ],
)
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    assert parse_text(f"v: {text}\n", "x.yaml").data == {"v": value}


def test_a_huge_list_is_refused_without_building_it() -> None:
    text = "names: [" + ",".join(["1"] * (MAX_NODES * 5)) + "]\n"
    with pytest.raises(GoalpathError) as caught:
        parse_text(text, "big.yaml")
    assert str(caught.value) == (
        f"big.yaml: too-large: the document has more than {MAX_NODES} values (or aliases that expand to them)"
    )


def test_a_duplicate_key_in_json_is_located(tmp_path: Path) -> None:
    path = tmp_path / "me.json"
    path.write_text('{"name": "a",\n "name": "b"}\n', encoding="utf-8")
    with pytest.raises(GoalpathError) as caught:
        load_profile(path)
    assert str(caught.value) == f"{path}:2:2: duplicate-key: 'name' is given twice in the same object"


@given(text=st.text(alphabet="[]{}a: \n'\"", max_size=300))
def test_the_nesting_guard_counts_the_deepest_brackets(text: str) -> None:
    # The guard before the recursive parsers: the deepest run of open brackets, a stray closer ignored.
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    assert _nesting(text) == deepest
