"""The cohort summary: what a batch recommended, how often and at which ranks, and which
rules never fired or fired for everyone, counted as the outcomes stream past."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .run import Outcome


@dataclass
class Summary:
    """Counts over a batch's outcomes; ``rules`` are every rule id of the pack, to name those that never fired."""

    rules: Sequence[str]
    records: int = 0
    errors: int = 0
    error_lines: list[int] = field(default_factory=list)
    recommended: Counter[str] = field(default_factory=Counter)
    ranks: dict[str, Counter[int]] = field(default_factory=dict)
    fired: Counter[str] = field(default_factory=Counter)

    #: The error lines listed, at most (all are counted).
    MAX_LINES = 100

    def add(self, outcome: Outcome) -> None:
        self.records += 1
        if not outcome.ok:
            self.errors += 1
            if len(self.error_lines) < self.MAX_LINES:
                self.error_lines.append(outcome.line)
            return
        for rank, action in enumerate(outcome.ranked, start=1):
            self.recommended[action] += 1
            self.ranks.setdefault(action, Counter())[rank] += 1
        self.fired.update(outcome.fired)

    @property
    def profiles(self) -> int:
        """Records that were evaluated (those without errors)."""
        return self.records - self.errors

    def never_fired(self) -> list[str]:
        return sorted(rule for rule in self.rules if not self.fired[rule])

    def fired_for_everyone(self) -> list[str]:
        return sorted(rule for rule, count in self.fired.items() if self.profiles and count == self.profiles)

    def to_data(self) -> dict[str, Any]:
        actions = sorted(self.recommended, key=lambda a: (-self.recommended[a], a))
        return {
            "records": self.records,
            "profiles": self.profiles,
            "errors": self.errors,
            "error_lines": self.error_lines,
            "actions": [
                {
                    "action": action,
                    "recommended": self.recommended[action],
                    "ranks": {str(rank): count for rank, count in sorted(self.ranks[action].items())},
                }
                for action in actions
            ],
            "rules_never_fired": self.never_fired(),
            "rules_fired_for_everyone": self.fired_for_everyone(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_data(), indent=2, ensure_ascii=False) + "\n"

    def render_text(self, shown: int = 10) -> str:
        """A few lines for the end of a run: counts, the most recommended actions, the rules to look at."""
        errors = f", {self.errors:,} with errors" if self.errors else ""
        lines = [f"{self.records:,} records: {self.profiles:,} profiles evaluated{errors}."]
        if self.error_lines:
            more = " ..." if self.errors > len(self.error_lines) else ""
            lines.append(
                "Errors on lines "
                + ", ".join(str(n) for n in self.error_lines[:shown])
                + (" ..." if len(self.error_lines) > shown else more)
            )
        data = self.to_data()
        if data["actions"]:
            lines.append("Most recommended (profiles; by rank):")
            for item in data["actions"][:shown]:
                ranks = ", ".join(f"#{rank} {count}" for rank, count in item["ranks"].items())
                lines.append(f"  {item['action']}: {item['recommended']:,} ({ranks})")
        never, everyone = data["rules_never_fired"], data["rules_fired_for_everyone"]
        if self.profiles:
            lines.append(
                f"Rules that never fired: {len(never)} of {len(self.rules)}"
                + (f" ({_few(never, shown)})" if never else "")
            )
            lines.append(
                f"Rules that fired for every profile: {len(everyone)}"
                + (f" ({_few(everyone, shown)})" if everyone else "")
            )
        return "\n".join(lines) + "\n"


def _few(names: list[str], shown: int) -> str:
    return ", ".join(names[:shown]) + (f", and {len(names) - shown} more" if len(names) > shown else "")
