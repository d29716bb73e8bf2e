"""What the command group knows without importing any command: the commands, the module
that defines each, its one-line help, and the exit codes.

``goalpath --help`` and shell completion of command names read this table, so they start
without loading the engine, the profile model or the renderers; a command's module is
imported when the command runs (tests/test_cli.py checks the table against the commands).
"""

from __future__ import annotations

EXIT_BAD_INPUT = 1
EXIT_BUG = 3
#: The shell's code for a command ended by SIGINT (128 + 2).
EXIT_INTERRUPTED = 130

EXIT_CODES = """\b
Exit codes:
  0  success
  1  bad input: a profile or rule file has problems (each shown as file:line:col),
     a file to write exists already (add --force), the output cannot be written,
     or the review store cannot be used (not a store, corrupt, newer, full, busy)
  2  usage error
  3  internal error (a bug; please report it with what it printed)
  130  interrupted (Ctrl-C)"""

#: command name -> (module in goalpath.cli, one-line help)
COMMANDS = {
    "batch": ("batch", "Recommend for a cohort: JSON Lines or CSV in, JSON Lines out."),
    "explain": ("explain", "Why an action is (or is not) recommended."),
    "history": ("review", "List a person's past reviews."),
    "init": ("start", "Write a commented starter profile."),
    "interview": ("start", "Answer questions to build a profile."),
    "plan": ("plan", "The goal as a dated roadmap, with a calendar file."),
    "progress": ("review", "A person's indicators over their reviews, as a chart."),
    "recommend": ("recommend", "Ranked, explained next actions for one profile."),
    "review": ("review", "Record this quarter's review and show what changed."),
    "rules": ("rules", "Check, test, read and compare rule packs."),
    "schema": ("check", "Print a JSON Schema for other programs."),
    "store": ("review", "Export, import and list the review store."),
    "validate": ("check", "Check a profile and report every problem."),
}


def short_help(name: str) -> str:
    return COMMANDS[name][1]
