"""The exception root and the located problems every bad-input error carries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found in a file, pointing at the place (1-based line and column).

    ``line`` and ``column`` are 0 when the place is the whole file.
    """

    file: str
    line: int
    column: int
    code: str
    message: str
    severity: str = "error"  # "error", or "warning" for what checking reports but loading allows

    def __str__(self) -> str:
        code = self.code if self.severity == "error" else f"warning: {self.code}"
        if self.line:
            return f"{self.file}:{self.line}:{self.column}: {code}: {self.message}"
        return f"{self.file}: {code}: {self.message}"


def _place(problem: Problem) -> tuple:
    return (problem.file, problem.line, problem.column, problem.code, problem.message, problem.severity)


#: Most problems one error lists: past that, one more problem says how many were left out.
#: A file with 100,000 unknown keys gets fifty-one lines, not a hundred thousand.
MAX_PROBLEMS = 50


class GoalpathError(Exception):
    """Root of every error goalpath raises for bad input (a profile or a rule pack).

    ``problems`` are sorted by place, at most :data:`MAX_PROBLEMS` of them, then one
    ``more-problems`` problem if some were left out; ``total`` counts them all.
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        found = sorted(set(problems), key=_place)  # as Problem's order, with tuples compared in C
        self.total = len(found)
        if len(found) > MAX_PROBLEMS:
            left = len(found) - MAX_PROBLEMS
            found = found[:MAX_PROBLEMS]
            found.append(
                Problem(found[-1].file, 0, 0, "more-problems", f"... and {left:,} more problems, not listed here")
            )
        self.problems: tuple[Problem, ...] = tuple(found)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, file: str, code: str, message: str, line: int = 0, column: int = 0) -> GoalpathError:
        return cls([Problem(file, line, column, code, message)])


class ProfileError(GoalpathError):
    """A goal profile could not be read or is not valid."""


class RulesError(GoalpathError):
    """A rule pack could not be read or is not valid."""


class EngineFault(GoalpathError):
    """The rule engine misbehaved: a bug in goalpath or in durable_rules, never bad input.

    Its problem (code ``engine-fault``) names the rule that was running and where it is
    written, when that is known. The engine that raised it stays usable.
    """

    def __init__(self, message: str, at: Any = None) -> None:
        file, line, column = (at.file, at.line, at.column) if at is not None else ("goalpath", 0, 0)
        super().__init__([Problem(file, line, column, "engine-fault", message)])
        self.message = message
