"""The library API: load a rule pack once, then recommend actions for profiles.

from goalpath import Engine
engine = Engine()                      # the built-in pack; Engine(["coach-pack/"]) stacks a pack on it
result = engine.recommend("me.yaml")   # a path, a dict or a Profile
print(result.to_json())
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from .advice import build_result
from .compiler import compile_pack
from .loader import load_packs
from .profile import ProfileSource, load_profile
from .results import Result
from .rules import RulePack
from .session import Evaluation, Session

__all__ = ["Engine", "Evaluation", "recommend"]


class Engine:
    """A compiled rule pack, ready to evaluate any number of profiles.

    Build one per rule pack and reuse it: building compiles and registers the pack with
    the rule engine. ``rules`` are packs (directories, or single rule files) stacked on
    the built-in pack, later ones on top; with ``builtin=False`` the first given pack is
    the bottom one. A loaded :class:`RulePack` is used as it is. An engine is safe to use from several threads (evaluations are
    serialised inside; the rule engine itself is single-threaded).

    Raises:
        RulesError: the rule pack has problems (all of them, located).
    """

    def __init__(self, rules: Sequence[str | Path] | RulePack | None = None, *, builtin: bool = True) -> None:
        self.pack: RulePack = rules if isinstance(rules, RulePack) else load_packs(rules or (), builtin=builtin)
        self._session = Session(compile_pack(self.pack))

    def __reduce__(self) -> tuple:
        # The compiled ruleset lives in the C engine and cannot travel between processes:
        # a pickled engine carries its checked pack and compiles it again on arrival.
        return (Engine, (self.pack,))

    def evaluate(self, profile: ProfileSource, *, as_of: dt.date | None = None) -> Evaluation:
        """Run the rules for a profile and return the raw trace.

        ``as_of`` (default: the profile's ``as_of``, else today) is the date checkpoints
        and relative dates are judged against.

        Raises:
            ProfileError: the profile cannot be read or is not valid.
        """
        loaded = load_profile(profile)
        when = as_of or loaded.as_of or dt.date.today()
        return Evaluation(loaded, when, self._session.evaluate(loaded, when))

    def recommend(self, profile: ProfileSource, *, as_of: dt.date | None = None, top: int | None = None) -> Result:
        """Ranked, explained actions for a profile (at most ``top`` of them).

        Raises:
            ProfileError: the profile cannot be read or is not valid.
        """
        evaluation = self.evaluate(profile, as_of=as_of)
        return self.result(evaluation, top=top)

    def result(self, evaluation: Evaluation, *, top: int | None = None) -> Result:
        """Place, score, rank and explain an evaluation (at most ``top`` actions shown)."""
        return build_result(evaluation, self.pack, top=top)


def recommend(
    profile: ProfileSource,
    rules: Sequence[str | Path] | None = None,
    *,
    as_of: dt.date | None = None,
    top: int | None = None,
    builtin: bool = True,
) -> Result:
    """One-off convenience: build an engine for ``rules`` and recommend for ``profile``.

    Build an :class:`Engine` yourself to evaluate many profiles.
    """
    return Engine(rules, builtin=builtin).recommend(profile, as_of=as_of, top=top)
