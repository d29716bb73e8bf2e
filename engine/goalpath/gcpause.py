"""Pausing Python's cyclic garbage collector while a pack is built.

Loading and compiling a pack makes hundreds of thousands of small objects that all live
as long as the pack. The cyclic collector, triggered by every few hundred new objects,
walks them again and again: loading 10,000 rules took 10.5 s with it and 4.2 s without
(measured side by side, 2026-12-01). Nothing built there is garbage, so the collector is
paused for the duration and runs normally afterwards. Reference counting, which frees
almost everything, is not affected.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # builds under way, in any thread
_paused_by_us = False


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic collector until every build under way has ended.

    Nested and concurrent uses are counted: the collector is enabled again only when the
    last one ends, and only if it was enabled when the first began (a host that disabled
    it keeps it disabled).
    """
    global _depth, _paused_by_us
    with _lock:
        if _depth == 0:
            _paused_by_us = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _paused_by_us:
                _paused_by_us = False
                gc.enable()
