"""goalpath: ranked, explained next actions for a career goal, from rules.

The public surface; everything else is internal. Names are imported when first used
(PEP 562), so that a command that needs none of them (``goalpath --help``) starts
without loading the profile and result models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_PUBLIC = {
    "Engine": "api",
    "Evaluation": "api",
    "recommend": "api",
    "GoalpathError": "errors",
    "Problem": "errors",
    "ProfileError": "errors",
    "RulesError": "errors",
    "check_rules": "loader",
    "load_packs": "loader",
    "load_rules": "loader",
    "Profile": "profile",
    "load_profile": "profile",
    "Reason": "results",
    "Recommendation": "results",
    "Result": "results",
    "Score": "results",
    "RulePack": "rules",
}
_RENAMED = {"check_rules": "check"}

__all__ = [  # the names of _PUBLIC (tests/test_imports.py checks they agree)
    "Engine",
    "Evaluation",
    "GoalpathError",
    "Problem",
    "Profile",
    "ProfileError",
    "Reason",
    "Recommendation",
    "Result",
    "RulePack",
    "RulesError",
    "Score",
    "check_rules",
    "load_packs",
    "load_profile",
    "load_rules",
    "recommend",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'goalpath' has no attribute '{name}'")
    value = getattr(importlib.import_module(f".{module}", __name__), _RENAMED.get(name, name))
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])


if TYPE_CHECKING:
    from .api import Engine, Evaluation, recommend
    from .errors import GoalpathError, Problem, ProfileError, RulesError
    from .loader import check as check_rules
    from .loader import load_packs, load_rules
    from .profile import Profile, load_profile
    from .results import Reason, Recommendation, Result, Score
    from .rules import RulePack
