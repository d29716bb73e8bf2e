"""Where the review store lives when no path is given."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

FILE_NAME = "reviews.sqlite3"


def default_path() -> Path:
    """The review store's default file: ``$GOALPATH_DB`` if set, else the platform's per-user data folder.

    That folder is ``$XDG_DATA_HOME/goalpath`` (``~/.local/share/goalpath`` when unset) on
    Linux and other systems, ``~/Library/Application Support/goalpath`` on macOS and
    ``%LOCALAPPDATA%\\goalpath`` on Windows; the file is ``reviews.sqlite3`` in it.
    Nothing is created.
    """
    return locate(sys.platform, os.environ, Path.home)


def locate(platform: str, environ: Mapping[str, str], home: Callable[[], Path]) -> Path:
    """:func:`default_path` for a given ``sys.platform``, environment and home folder."""
    chosen = environ.get("GOALPATH_DB")
    if chosen:
        return Path(chosen)
    if platform == "win32":
        local = environ.get("LOCALAPPDATA")
        base = Path(local) if local else home() / "AppData" / "Local"
    elif platform == "darwin":
        base = home() / "Library" / "Application Support"
    else:
        data = environ.get("XDG_DATA_HOME")
        # The XDG spec says a relative path there is invalid and must be ignored.
        base = Path(data) if data and os.path.isabs(data) else home() / ".local" / "share"
    return base / "goalpath" / FILE_NAME
