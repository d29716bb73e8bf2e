"""Reading YAML and JSON documents with the line and column of every key and item.

Parsing stops at PyYAML's composer: the node tree is turned into plain dicts, lists
and scalars here, so no tag in a file can ever construct a Python object or run code.
Booleans follow YAML 1.2 (only ``true``/``false``), so ``country: NO`` stays a string.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from . import gcpause
from .errors import GoalpathError, Problem

Path_ = tuple[str | int, ...]

#: Upper bound on nodes visited while building a document; stops alias bombs.
MAX_NODES = 200_000
#: Deepest nesting of lists and mappings accepted (far beyond any real profile or pack).
MAX_DEPTH = 64
#: Largest file read, in bytes.
MAX_BYTES = 4 * 1024 * 1024


#: Characters a rule file's text may not hold: the C0 controls but tab and newline, DEL, the
#: C1 controls, and the bidirectional formatting characters. A terminal acts on the first
#: three (an escape sequence can retitle the window or hide part of a report); terminals and
#: browsers reorder the text around the last. The renderers escape the same set in
#: profile text (:func:`goalpath.render.words.printable`).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_C0_NAMES = (
    "null",
    "start of heading",
    "start of text",
    "end of text",
    "end of transmission",
    "enquiry",
    "acknowledge",
    "bell",
    "backspace",
    "tab",
    "line feed",
    "vertical tab",
    "form feed",
    "carriage return",
    "shift out",
    "shift in",
    "data link escape",
    "device control one",
    "device control two",
    "device control three",
    "device control four",
    "negative acknowledge",
    "synchronous idle",
    "end of transmission block",
    "cancel",
    "end of medium",
    "substitute",
    "escape",
    "file separator",
    "group separator",
    "record separator",
    "unit separator",
)


def character_name(char: str) -> str:
    """A character as a person can look it up: ``U+001B, escape``."""
    code = ord(char)
    if code < len(_C0_NAMES):
        name = _C0_NAMES[code]
    elif code == 0x7F:
        name = "delete"
    elif 0x80 <= code <= 0x9F:
        name = "a C1 control"
    else:
        name = unicodedata.name(char, "unnamed").lower()
    return f"U+{code:04X}, {name}"


# libyaml's parser when PyYAML was built with it (several times faster), else PyYAML's own.
_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that resolves plain scalars by YAML 1.2's core schema, not YAML 1.1's.

    So ``yes``/``no``/``on``/``off`` stay text, and so do ``1:30`` (1.1 read 90),
    ``1_000`` and ``0b101``; ``017`` is seventeen, ``0o17`` fifteen and ``0x1F``
    thirty-one. Dates written ``YYYY-MM-DD`` are read as dates, as before.
    """


_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


def _core_number(tag: str, text: str) -> int | float:
    """A YAML 1.2 core-schema number (the text already matched its resolver)."""
    if tag == "tag:yaml.org,2002:int":
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text, 10)
    lowered = text.lower()
    if lowered.endswith(".inf"):
        return float("-inf") if lowered.startswith("-") else float("inf")
    if lowered == ".nan":
        return float("nan")
    return float(text)


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass(frozen=True)
class Document:
    """A parsed file: its plain data and where each key or list item stands in it.

    The positions are given, or worked out by ``locate`` the first time a problem needs
    one: a valid JSON file is never read a second time.
    """

    file: str
    data: Any
    given: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    locate: Callable[[], dict[Path_, tuple[int, int]]] | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def positions(self) -> dict[Path_, tuple[int, int]]:
        return self.locate() if self.locate is not None else self.given

    def position(self, path: Path_) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest located ancestor (1, 1 at worst)."""
        path = tuple(path)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, path: Path_, code: str, message: str) -> Problem:
        line, column = self.position(path)
        return Problem(self.file, line, column, code, message)


class _Builder:
    def __init__(self, file: str, constructor: yaml.constructor.SafeConstructor) -> None:
        self.file = file
        self.constructor = constructor
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.visited = 0

    def _mark(self, path: Path_, node: yaml.Node) -> None:
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))

    def _fail(self, node: yaml.Node, code: str, message: str) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, node.start_mark.column + 1, code, message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            raise GoalpathError.single(
                self.file,
                "too-deep",
                f"values are nested more than {MAX_DEPTH} levels deep",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
        self.visited += 1
        if self.visited > MAX_NODES:
            raise GoalpathError.single(
                self.file,
                "too-large",
                f"the document has more than {MAX_NODES} values (or aliases that expand to them)",
            )
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            self._fail(node, "bad-tag", f"the YAML tag '{node.tag}' is not allowed")
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                    self._fail(key_node, "bad-key", "keys must be plain text")
                    continue
                key = key_node.value
                if key in out:
                    self._fail(key_node, "duplicate-key", f"'{key}' is given twice in the same mapping")
                    continue
                self._mark(path + (key,), key_node)
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self._mark(path + (index,), item)
                items.append(self.build(item, path + (index,)))
            return items
        if node.tag == "tag:yaml.org,2002:str":
            return node.value  # what the constructor would return, for most scalars of a file, without its dispatch
        if node.tag not in _SCALAR_TAGS:
            self._fail(node, "bad-tag", f"the YAML tag '{node.tag}' is not allowed")
            return None
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            pattern = _INT if node.tag.endswith("int") else _FLOAT
            if pattern.match(node.value):
                number = _core_number(node.tag, node.value)
                if isinstance(number, float) and not math.isfinite(number):
                    # No field or rule means anything by infinity or NaN, and NaN equals nothing, itself included.
                    self._fail(node, "bad-number", f"'{node.value}' is not a finite number")
                    return None
                return number
            # An explicit !!int or !!float on text that is no YAML 1.2 number.
            self._fail(node, "bad-yaml", f"'{node.value}' is not a YAML 1.2 number")
            return None
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            # e.g. 2026-13-01 looks like a date but is none: keep the text for validation to report.
            return node.value


_BRACKETS = re.compile(r"[\[\]{}]")


def _nesting(text: str) -> int:
    """The deepest bracket nesting in the text (cheap guard before recursive parsers).

    Only the brackets are visited (a regular expression finds them), not every character:
    a rule file is mostly text.
    """
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif depth:
            depth -= 1
    return deepest


#: Characters at least one of which stands before every YAML node but the first.
_NODE_MARKS = (",", "\n", "[", "{", ":", "-", "?", "&", "*")


def _count_nodes(text: str, file: str) -> None:
    """Refuse a document with more than MAX_NODES values before building any of them.

    A cheap count of the marks that stand before values bounds their number from
    above; only when that bound is past the limit are the parser's events counted, in
    constant memory, stopping at the limit. So a million-item list is refused in a
    fraction of a second instead of being built first.
    """
    if sum(text.count(mark) for mark in _NODE_MARKS) < MAX_NODES:
        return
    nodes = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise GoalpathError.single(
                        file,
                        "too-large",
                        f"the document has more than {MAX_NODES} values (or aliases that expand to them)",
                    )
    except yaml.YAMLError:
        return  # composing reports it, with its place


def _compose(text: str, file: str) -> yaml.Node | None:
    # PyYAML and the json module both recurse per nesting level; refuse absurd nesting
    # before they exhaust the interpreter's stack. Brackets inside strings only make
    # this estimate larger, and real documents are nowhere near the limit.
    if _nesting(text) > MAX_DEPTH * 4:
        raise GoalpathError.single(file, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep")
    _count_nodes(text, file)
    try:
        return yaml.compose(text, Loader=_Loader)
    except RecursionError:
        raise GoalpathError.single(file, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep") from None
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem):  # libyaml's own limit on nesting
            raise GoalpathError.single(
                file, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep"
            ) from None
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        reason = exc.problem or exc.context or "not valid YAML"
        opened = exc.context_mark
        if exc.context and opened is not None and exc.problem_mark is not None and opened.line != exc.problem_mark.line:
            # Name where the unfinished thing began: the end of the file says little.
            reason += f" ({exc.context}, which starts at line {opened.line + 1}, column {opened.column + 1})"
        raise GoalpathError([Problem(file, line, column, "bad-yaml", reason)]) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (NUL, most control characters): name it and its place.
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        char = (chr(exc.character) if isinstance(exc.character, int) else str(exc.character))[:1] or "\0"
        message = f"YAML does not allow this character ({character_name(char)})"
        raise GoalpathError.single(file, "bad-yaml", message, line, column) from None
    except yaml.YAMLError as exc:
        raise GoalpathError.single(file, "bad-yaml", str(exc).splitlines()[0]) from None


def parse_text(text: str, file: str, *, json_syntax: bool = False) -> Document:
    """Parse YAML (or JSON when ``json_syntax``) into a located :class:`Document`.

    Raises:
        GoalpathError: the text is not well-formed, with every problem found.
    """
    if json_syntax:
        return _parse_json(text, file)
    # The cyclic collector would rescan every node built here; reference counting frees them (measured: about
    # 2-3 times faster for 10,000 list items).
    with gcpause.paused():
        return _parse_yaml(text, file)


def _parse_yaml(text: str, file: str, positions_only: bool = False) -> Document:
    """The document; with ``positions_only``, its positions even where a value is refused (for JSON text)."""
    node = _compose(text, file)
    if node is None:
        return Document(file, None, {(): (1, 1)})
    builder = _Builder(file, _Loader(""))
    builder.positions[()] = (node.start_mark.line + 1, node.start_mark.column + 1)
    data = builder.build(node, ())
    if builder.problems and not (positions_only and all(p.code == "bad-number" for p in builder.problems)):
        raise GoalpathError(builder.problems)
    return Document(file, data, builder.positions)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _parse_json(text: str, file: str) -> Document:
    """Values from the JSON parser; positions from reading the same text as YAML.

    JSON's own parser gives the values (YAML 1.1 would read ``1e3`` as text and split
    escaped surrogate pairs); the YAML composer, which accepts JSON, gives each key's
    line and column. Duplicate keys are refused as they are in YAML files.
    """
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    if _nesting(text) > MAX_DEPTH * 4:
        raise GoalpathError.single(file, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep")
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise GoalpathError([Problem(file, exc.lineno, exc.colno, "bad-json", exc.msg)]) from None
    except RecursionError:
        raise GoalpathError.single(file, "too-deep", f"values are nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:
        raise GoalpathError.single(file, "bad-json", str(exc)) from None

    def locate() -> dict[Path_, tuple[int, int]]:
        # Valid JSON holds tabs only as white space between tokens; YAML refuses tabs there.
        try:
            # A number too big for a float (1e999) is JSON's to judge: here only its place is wanted.
            with gcpause.paused():
                return _parse_yaml(text.replace("\t", " "), file, positions_only=True).positions
        except GoalpathError as exc:
            found = [p for p in exc.problems if p.code == "duplicate-key"]
            if found:  # the YAML reading of the same text places each duplicate
                raise GoalpathError(
                    [replace(p, message=p.message.replace("mapping", "object")) for p in found]
                ) from None
            if duplicates:
                raise GoalpathError.single(
                    file, "duplicate-key", f"'{duplicates[0]}' is given twice in the same object"
                ) from None
            return {(): (1, 1)}

    if duplicates:
        locate()  # raises, placing each duplicate
    return Document(file, data, locate=locate)


def read_document(path: str | Path, label: str | None = None, *, stdin_ok: bool = False) -> Document:
    """Read and parse a ``.yaml``/``.yml``/``.json`` file.

    ``label`` is how the file is named in problems (default: the path as given). Only a
    regular file is read, and at most :data:`MAX_BYTES` of it: a device, a pipe or a
    socket is refused before anything is read, so nothing can block or run unbounded.
    With ``stdin_ok`` the refusal says that ``-`` reads standard input (where the caller
    takes ``-``).

    Raises:
        GoalpathError: the file cannot be read or parsed.
    """
    path = Path(path)
    file = label if label is not None else str(path)
    raw = read_bytes(path, file, stdin_ok=stdin_ok)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GoalpathError.single(file, "unreadable", _not_utf8(raw, exc)) from None
    return parse_text(text, file, json_syntax=path.suffix.lower() == ".json")


def read_bytes(path: Path, file: str, *, stdin_ok: bool = False) -> bytes:
    """The bytes of a regular file, at most :data:`MAX_BYTES` of them.

    Raises:
        GoalpathError: not found, not a regular file, too large, or unreadable.
    """
    try:
        # O_NONBLOCK: opening a pipe with no writer returns at once instead of waiting.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise GoalpathError.single(file, "not-found", "no such file") from None
    except IsADirectoryError:
        raise GoalpathError.single(file, "unreadable", "is a directory, not a file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or "cannot be opened"
        raise GoalpathError.single(file, "unreadable", reason) from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise GoalpathError.single(file, "unreadable", "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            hint = " (use - to read standard input)" if stdin_ok else ""
            raise GoalpathError.single(
                file, "unreadable", f"is {_kind_of_file(info.st_mode)}, not a regular file{hint}"
            )
        if info.st_size > MAX_BYTES:
            raise GoalpathError.single(file, "too-large", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        chunks = []
        left = MAX_BYTES + 1
        while left > 0:
            chunk = os.read(handle, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        raw = b"".join(chunks)
    except OSError as exc:
        raise GoalpathError.single(file, "unreadable", exc.strerror or "cannot be read") from None
    finally:
        os.close(handle)
    if len(raw) > MAX_BYTES:  # it grew while being read
        raise GoalpathError.single(file, "too-large", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return raw


def _kind_of_file(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _not_utf8(raw: bytes, exc: UnicodeDecodeError) -> str:
    """Why bytes are not UTF-8 text, naming UTF-16 (a common editor default) when it is that."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16 text; save the file as UTF-8"
    return f"not UTF-8 text (bad byte at offset {exc.start})"
