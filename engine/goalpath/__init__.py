"""goalpath: ranked, explained next actions for a career goal, from rules.

The public surface; everything else is internal.
"""

from .api import Engine, Evaluation, recommend
from .errors import GoalpathError, Problem, ProfileError, RulesError
from .loader import check as check_rules
from .loader import load_packs, load_rules
from .profile import Profile, load_profile
from .results import Reason, Recommendation, Result, Score
from .rules import RulePack

__version__ = "0.1.0"

__all__ = [
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
