"""What the command line does when something other than the input goes wrong.

A fault inside the rule engine is one located line and exit 3, never a traceback; output
that cannot be written (a full disk) is a one-line error and exit 1; a reader that goes
away (``| head``) ends the command quietly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bigpacks import copies
from click.testing import CliRunner

from goalpath.cli import cli
from goalpath.compiler import Branch

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "fixtures" / "promotion-early.yaml"
GOALPATH = [sys.executable, "-c", "from goalpath.cli import main; main()"]


def test_an_engine_fault_is_one_located_line_and_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Branch, *args: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(Branch, "matched_values", broken)
    result = CliRunner().invoke(cli, ["recommend", str(PROFILE)])
    assert result.exit_code == 3
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    # The rule that was running, where it is written, and what went wrong: no traceback.
    assert lines[0].startswith("Error: rules/evidence-ladder.yaml:")
    assert ": engine-fault: rule 'ladder-stretch-open' failed while it ran: ValueError('boom')" in lines[0]
    assert lines[1] == ("goalpath: this is a bug in goalpath or its rule engine, not in your files; please report it.")
    assert "Traceback" not in result.output


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args",
    [
        ["recommend", str(PROFILE)],
        ["recommend", str(PROFILE), "--format", "html"],
        ["plan", str(PROFILE), "--format", "json"],
        ["rules", "list"],
    ],
)
def test_a_full_disk_is_a_clear_error_and_exit_1(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([*GOALPATH, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr == "Error: cannot write the output: No space left on device\n"


def test_a_reader_that_stops_early_ends_the_command_quietly(tmp_path: Path) -> None:
    # `goalpath rules list | head -1`: the pipe closes long before the output ends (four
    # copies of the built-in pack list far more than a pipe holds).
    pack = copies(4, tmp_path / "big")
    with subprocess.Popen(
        [*GOALPATH, "rules", "list", "--no-builtin", "--rules", str(pack)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as running:
        assert running.stdout is not None and running.stderr is not None
        running.stdout.readline()
        running.stdout.close()
        stderr = running.stderr.read()
        code = running.wait(timeout=120)
    assert code == 1
    assert stderr == ""


def test_ctrl_c_ends_the_command_with_130_and_no_traceback(tmp_path: Path) -> None:
    # SIGINT while a big pack loads (the longest step a command takes).
    pack = copies(40, tmp_path / "big")  # about 5,000 rules: seconds to load
    with subprocess.Popen(
        [*GOALPATH, "rules", "check", "--no-builtin", str(pack)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as running:
        time.sleep(1.5)  # past the imports, inside loading
        running.send_signal(signal.SIGINT)
        stdout, stderr = running.communicate(timeout=120)
    if running.returncode == 0:
        pytest.skip("the pack loaded before the signal came (a very fast machine)")
    assert running.returncode == 130
    assert stderr == "goalpath: interrupted\n"
