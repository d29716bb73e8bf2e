"""Render the HTML report of a profile in headless Chromium and save a screenshot.

Chromium comes from the system package manager (on Debian: ``apt-get install chromium``);
nothing is downloaded. The page is opened from a file, with the network off, so the
screenshot also shows that the report needs nothing it does not carry.

    python docs/screenshot.py                                  # docs/report.png from Priya's profile
    python docs/screenshot.py fixtures/pivot-mapping-quarter.yaml /tmp/hannah.png
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def main(profile: Path, target: Path, size: str = "1100,1500") -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        print("docs/screenshot.py: no Chromium on PATH (on Debian: apt-get install chromium)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "report.html"
        made = subprocess.run(
            [sys.executable, "-m", "goalpath", "recommend", str(profile), "--format", "html", "--output", str(page)],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0:
            print(made.stderr, file=sys.stderr)
            return made.returncode
        shot = subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={work}/profile",
                f"--window-size={size}",
                f"--screenshot={target}",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if shot.returncode != 0 or not target.exists():
            print(shot.stderr, file=sys.stderr)
            return shot.returncode or 1
    print(f"Wrote {target}")
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    profile = Path(args[0]) if args else ROOT / "fixtures" / "promotion-early.yaml"
    target = Path(args[1]) if len(args) > 1 else ROOT / "docs" / "report.png"
    sys.exit(main(profile, target))
