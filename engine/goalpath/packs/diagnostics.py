"""Problems in rule packs, shown for people (with the line and a caret), for programs
(JSON) and for editors and CI (SARIF 2.1.0).

Every problem is ``file:line:col: code: message``; the codes are a stable interface,
each described in :data:`CODES` (and in docs/authoring.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import MAX_PROBLEMS, GoalpathError, Problem
from ..render.words import printable
from ..source import read_bytes

#: Every problem code, with what it means. Errors stop a pack from loading; warnings do not.
CODES = {
    # reading files
    "not-found": "the file or directory does not exist",
    "unreadable": "the file cannot be read as UTF-8 text",
    "bad-yaml": "the file is not valid YAML",
    "bad-json": "the file is not valid JSON",
    "bad-tag": "a YAML tag (such as !!python/object) that could run code; rule files are data",
    "bad-key": "a mapping key that is not plain text",
    "duplicate-key": "the same key twice in one mapping",
    "too-deep": "the document nests deeper than a rule file needs",
    "too-large": "the file, or what the engine would have to hold, is larger than it supports",
    # the shape of a file
    "unknown-key": "a key that is not part of the rule language here",
    "missing-key": "a required key is missing",
    "invalid-value": "a value of the wrong kind, or outside what is allowed",
    "invalid-condition": "a condition that is not well formed",
    "invalid-effect": "an effect that is not well formed",
    "empty-pack": "no rule files, or no rules",
    # names
    "unknown-field": "a condition names a field the profile does not have",
    "unknown-fact": "a rule uses a fact that is not declared",
    "unknown-attribute": "a fact has no such attribute",
    "unknown-alias": "a join names a fact the rule does not match",
    "unknown-action": "an effect names an action that is not in the catalog",
    "unknown-rule": "a retired rule's successor is not a rule of the pack",
    "unknown-framework": "a framework no action's step belongs to",
    "unknown-id": "an override, disable or reweight of an id no lower pack defines",
    "duplicate-id": "an id defined twice (in one pack, or again in a higher pack without 'overrides')",
    # packs
    "duplicate-pack": "two packs of the stack have the same name",
    "missing-pack": "a pack builds on a pack that is not below it in the stack",
    "goalpath-too-old": "the pack needs a newer goalpath",
    # what the engine can run
    "negation-cycle": "rules that depend on the absence of a fact they help derive",
    "join-cycle": "a rule whose facts refer to each other in a circle",
    "too-complex": "a rule that expands into more alternatives than the engine runs",
    # warnings
    "unused-action": "an action no rule recommends",
    "unused-fact": "a fact that no rule or framework reads",
    "never-derived": "a rule tests a fact no rule derives",
    "never-true": "comparisons that contradict each other, so the rule never matches",
    "fact-cycle": "facts derived only from each other, so none of them ever is",
    "shadowed": "a change to a lower pack that a higher pack undoes",
}


def summary(problems: Sequence[Problem], files: int) -> str:
    """'2 errors and 1 warning in 12 files', or 'no problems in 12 files'."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    parts = [_count(errors, "error")] if errors else []
    parts += [_count(warnings, "warning")] if warnings else []
    found = " and ".join(parts) or "no problems"
    later = " (warnings are looked for once there are no errors)" if errors else ""
    return f"{found} in {_count(files, 'file')}{later}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def render_text(problems: Sequence[Problem], sources: Mapping[str, Path], files: int) -> str:
    """Each problem with its line and a caret under the column, then a count.

    Messages and lines quote the files, so control characters in them are shown as escapes.
    """
    lines: list[str] = []
    cache: dict[str, list[str] | None] = {}
    for index, problem in enumerate(problems):
        if index == MAX_PROBLEMS:
            # The summary below still counts them all; --format json lists them all.
            lines.append(f"... and {len(problems) - index:,} more problems, not shown (--format json lists them all)")
            break
        lines.append(printable(str(problem)))
        shown = _source_line(problem, sources, cache)
        if shown is not None:
            number = str(problem.line)
            gutter = " " * len(number)
            # The caret stands under the column's character once what precedes it is escaped.
            piece, offset = _window(printable(shown), len(printable(shown[: _caret_offset(shown, problem.column)])))
            lines.append(f"  {number} | {piece}")
            lines.append(f"  {gutter} | {' ' * offset}^")
    lines.append(summary(problems, files))
    return "\n".join(lines) + "\n"


#: The widest source line shown under a problem; a longer one is cut to this much around the caret.
LINE_WIDTH = 160


def _window(line: str, offset: int) -> tuple[str, int]:
    """``line`` cut to :data:`LINE_WIDTH` around ``offset`` (marked with "..."), and the caret's new offset."""
    if len(line) <= LINE_WIDTH:
        return line, offset
    start = max(0, min(offset - LINE_WIDTH // 2, len(line) - LINE_WIDTH))
    head = "..." if start else ""
    tail = "..." if start + LINE_WIDTH < len(line) else ""
    return head + line[start : start + LINE_WIDTH] + tail, offset - start + len(head)


def _source_line(problem: Problem, sources: Mapping[str, Path], cache: dict[str, list[str] | None]) -> str | None:
    if problem.line <= 0 or problem.file not in sources:
        return None
    if problem.file not in cache:
        try:
            # As the loader reads it: bounded, and never a device or a pipe.
            raw = read_bytes(sources[problem.file], problem.file)
            cache[problem.file] = raw.decode("utf-8-sig").splitlines()
        except (GoalpathError, UnicodeDecodeError):
            cache[problem.file] = None
    text = cache[problem.file]
    if text is None or problem.line > len(text):
        return None
    return text[problem.line - 1].rstrip().expandtabs(1)


def _caret_offset(line: str, column: int) -> int:
    return max(0, min(column - 1, len(line)))


def render_json(problems: Sequence[Problem], files: int) -> str:
    """The problems as JSON: each with file, line, column, severity, code and message."""
    errors = sum(p.severity == "error" for p in problems)
    data = {
        "problems": [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "severity": p.severity,
                "code": p.code,
                "message": p.message,
            }
            for p in problems
        ],
        "errors": errors,
        "warnings": len(problems) - errors,
        "files": files,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_sarif(problems: Sequence[Problem], version: str) -> str:
    """The problems as a SARIF 2.1.0 log, for code-scanning views in editors and CI."""
    used = sorted({p.code for p in problems})
    rules = [
        {
            "id": code,
            "shortDescription": {"text": CODES.get(code, code)},
        }
        for code in used
    ]
    results = []
    for p in problems:
        location: dict = {"artifactLocation": {"uri": Path(p.file).as_posix()}}
        if p.line > 0:
            location["region"] = {"startLine": p.line, "startColumn": max(p.column, 1)}
        results.append(
            {
                "ruleId": p.code,
                "ruleIndex": used.index(p.code),
                "level": "error" if p.severity == "error" else "warning",
                "message": {"text": p.message},
                "locations": [{"physicalLocation": location}],
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "goalpath",
                        "version": version,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
