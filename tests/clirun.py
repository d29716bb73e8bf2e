"""The command line driven in tests: click's runner, standard output and error apart, crashes let through.

An unexpected exception escapes ``invoke`` and fails the test with its own traceback,
rather than turning into an exit code the test might accept.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from goalpath.cli import cli


def invoke(*args: str | Path, input: str | bytes | None = None, env: dict[str, str] | None = None) -> Result:
    """Run ``goalpath ARGS...`` in this process and return what it printed and its exit code."""
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        runner = CliRunner()
    return runner.invoke(cli, [str(a) for a in args], input=input, env=env, catch_exceptions=False)
