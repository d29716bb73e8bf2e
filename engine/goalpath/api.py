"""The library API: load a rule pack once, then recommend actions for profiles.

from goalpath import Engine
engine = Engine()                      # the built-in pack; Engine("coach-pack/") stacks a pack on it
result = engine.recommend("me.yaml")   # a path, a dict or a Profile
print(result.to_json())

Arguments of the wrong type raise TypeError, and values out of range ValueError, here at
the boundary, naming the argument: they are a programmer's mistakes. Bad input data (a
profile or a pack with problems) raises a GoalpathError, located in the file.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import gcpause
from .advice import build_result
from .compiler import compile_pack
from .loader import load_packs
from .profile import FIRST_DATE, LAST_DATE, ProfileSource, check_source, described_type, load_profile
from .results import Result
from .rules import RulePack
from .session import Evaluation, Session

__all__ = ["Engine", "Evaluation", "recommend"]

#: What ``rules`` may be: one pack, several, or a pack already loaded.
Rules = Sequence[str | os.PathLike[str]] | str | os.PathLike[str] | RulePack | None
_PATH = "a path (str or os.PathLike)"


def _is_path(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, os.PathLike) and isinstance(os.fspath(value), str))


def _packs(rules: Rules) -> list[str | Path]:
    """``rules`` as the list of pack paths it names (one path alone is a list of one)."""
    if rules is None:
        return []
    if _is_path(rules):
        return [_pack_path(rules, "rules")]
    if isinstance(rules, (bytes, bytearray)) or not isinstance(rules, Sequence):
        raise TypeError(f"rules must be {_PATH}, a list of paths or a goalpath.RulePack, got {described_type(rules)}")
    paths: list[str | Path] = []
    for index, item in enumerate(rules):
        if not _is_path(item):
            raise TypeError(f"rules[{index}] must be {_PATH}, got {described_type(item)}")
        paths.append(_pack_path(item, f"rules[{index}]"))
    return paths


def _pack_path(value: Any, argument: str) -> str | Path:
    if os.fspath(value) == "":
        # An empty path names the current directory: whatever is there would load as a pack.
        raise ValueError(f"{argument} must not be an empty path (None means no packs of your own)")
    return value if isinstance(value, (str, Path)) else Path(os.fspath(value))


def _as_of(as_of: Any) -> dt.date | None:
    """``as_of`` checked: a date in the profile's date range, or None (a datetime gives its date)."""
    if as_of is None:
        return None
    if not isinstance(as_of, dt.date):
        hint = " (use datetime.date.fromisoformat)" if isinstance(as_of, str) else ""
        raise TypeError(f"as_of must be a datetime.date, got {described_type(as_of)}{hint}")
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if not FIRST_DATE <= as_of <= LAST_DATE:
        raise ValueError(
            f"as_of must be from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}, got {as_of.isoformat()}"
        )
    return as_of


def _top(top: Any) -> int | None:
    """``top`` checked: None for all actions (0 also means all, as ``--top 0`` does), else how many."""
    if top is None:
        return None
    if type(top) is bool or not isinstance(top, int):
        raise TypeError(f"top must be an int or None, got {described_type(top)}")
    if top < 0:
        raise ValueError(f"top must be a whole number from 0 (0 or None for all), got {top}")
    return top or None


def _builtin(builtin: Any) -> bool:
    if not isinstance(builtin, bool):
        raise TypeError(f"builtin must be True or False, got {described_type(builtin)}")
    return builtin


class Engine:
    """A compiled rule pack, ready to evaluate any number of profiles.

    Build one per rule pack and reuse it: building compiles and registers the pack with
    the rule engine. ``rules`` are packs (directories, or single rule files) stacked on
    the built-in pack, later ones on top; one path alone is one pack (``Engine("my-pack")``
    is ``Engine(["my-pack"])``). With ``builtin=False`` the first given pack is the bottom
    one. A loaded :class:`RulePack` is used as it is. An engine is safe to use from several
    threads (evaluations are serialised inside; the rule engine itself is single-threaded).

    Raises:
        RulesError: the rule pack has problems (all of them, located).
        TypeError: ``rules`` is not a path, a sequence of paths or a RulePack, or
            ``builtin`` is not a bool.
        ValueError: a path in ``rules`` is empty (it would name the current directory).
    """

    def __init__(self, rules: Rules = None, *, builtin: bool = True) -> None:
        builtin = _builtin(builtin)
        with gcpause.paused():  # everything built here lives as long as the engine
            self.pack: RulePack = rules if isinstance(rules, RulePack) else load_packs(_packs(rules), builtin=builtin)
            self._session = Session(compile_pack(self.pack))

    def __reduce__(self) -> tuple:
        # The compiled ruleset lives in the C engine and cannot travel between processes:
        # a pickled engine carries its checked pack and compiles it again on arrival.
        return (Engine, (self.pack,))

    def evaluate(self, profile: ProfileSource, *, as_of: dt.date | None = None) -> Evaluation:
        """Run the rules for a profile and return the raw trace.

        ``profile`` is a path (str or os.PathLike), a dict or a :class:`Profile`. ``as_of``
        (default: the profile's ``as_of``, else today) is the date checkpoints and relative
        dates are judged against: a ``datetime.date`` from 1900-01-01 to 2199-12-31 (the
        range of a profile's dates); a ``datetime.datetime`` counts as its date.

        Raises:
            ProfileError: the profile cannot be read or is not valid.
            TypeError: ``profile`` or ``as_of`` is of a type not listed above.
            ValueError: ``as_of`` is outside the date range.
        """
        check_source(profile, "profile")
        when = _as_of(as_of)
        loaded = load_profile(profile)
        when = when or loaded.as_of or dt.date.today()
        return Evaluation(loaded, when, self._session.evaluate(loaded, when))

    def recommend(self, profile: ProfileSource, *, as_of: dt.date | None = None, top: int | None = None) -> Result:
        """Ranked, explained actions for a profile: at most ``top`` of them, or all for ``None`` or 0.

        ``profile`` and ``as_of`` are as for :meth:`evaluate`.

        Raises:
            ProfileError: the profile cannot be read or is not valid.
            TypeError: an argument is of the wrong type (``top`` must be an int or None).
            ValueError: ``as_of`` is outside the date range, or ``top`` is below 0.
        """
        top = _top(top)
        evaluation = self.evaluate(profile, as_of=as_of)
        return self.result(evaluation, top=top)

    def result(self, evaluation: Evaluation, *, top: int | None = None) -> Result:
        """Place, score, rank and explain an evaluation: at most ``top`` actions shown, or all for ``None`` or 0.

        Raises:
            TypeError: ``evaluation`` is not an :class:`Evaluation`, or ``top`` is not an int or None.
            ValueError: ``top`` is below 0.
        """
        if not isinstance(evaluation, Evaluation):
            raise TypeError(
                f"evaluation must be a goalpath.Evaluation (from Engine.evaluate), got {described_type(evaluation)}"
            )
        return build_result(evaluation, self.pack, top=_top(top))


def recommend(
    profile: ProfileSource,
    rules: Rules = None,
    *,
    as_of: dt.date | None = None,
    top: int | None = None,
    builtin: bool = True,
) -> Result:
    """One-off convenience: build an engine for ``rules`` and recommend for ``profile``.

    The arguments are those of :class:`Engine` and :meth:`Engine.recommend`, and are checked
    before the pack is loaded. Build an :class:`Engine` yourself to evaluate many profiles.

    Raises:
        ProfileError, RulesError: the profile or the pack has problems.
        TypeError, ValueError: as for :class:`Engine` and :meth:`Engine.recommend`.
    """
    check_source(profile, "profile")
    _as_of(as_of)
    _top(top)
    return Engine(rules, builtin=builtin).recommend(profile, as_of=as_of, top=top)
