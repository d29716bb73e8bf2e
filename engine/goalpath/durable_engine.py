"""The one boundary to durable_rules 2.0.28: every import of it lives here.

goalpath drives durable_rules' Rete engine (the ``durable_rules_engine`` extension that
``durable.engine`` itself wraps) with the same calls ``durable.engine.Ruleset`` makes:
``create_ruleset``, ``assert_fact``, ``start_action_for_state``,
``complete_and_start_action``, ``abandon_action``, ``delete_state``,
``delete_ruleset``. It skips the pure-Python ``Host``/``Closure``/``Promise`` layer
(a closure, two clock reads and a state round trip through JSON for every action). That
layer brings the problems below; skipping it made a firing about 1.35 times faster
(measured), not the three times once claimed here.

What this module guards against (measured; see the project's durable-rules notes):

* ``Host`` starts two never-ending timer threads that race with ``delete_state`` and
  crashed under threads: no ``Host`` is ever built, so there are no such threads.
* the engine is not thread-safe and never releases the GIL: one process-wide lock
  serialises every call into it; threads are safe and lose nothing.
* session ids are looked up by a 32-bit hash and collide: only one session is ever
  live per ruleset (it is deleted before the lock is released), under one fixed id.
* ``delete_state`` crashes on a session in which no action ran: an end fact whose
  rule always fires is asserted last, even when evaluation failed part-way.
* a ruleset's fixed-size structures (511 tests per node, 255 rules per test, a
  64-entry matching stack, 4,096 rules) are never approached: the compiler splits a
  pack into several rulesets, and a session spans all of them.
* ``Host`` swallows exceptions raised in actions: here they propagate, the action is
  abandoned and the session deleted, and the caller gets an :class:`EngineFault`.
* a fact no rule accepts is refused (and would abort a batch): a catch-all rule that
  accepts every fact and never fires is added; facts are asserted one at a time.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import durable_rules_engine as _engine

from .errors import EngineFault

#: Called for each firing with (rule key, alias -> matched fact).
FireHandler = Callable[[str, dict[str, dict[str, Any]]], None]

_LOCK = threading.RLock()
_SID = "1"
_END = "$end"
_ACCEPT = "$accept"
_END_FACT = json.dumps({"t": _END, "id": _END, "sid": _SID})
# Result codes of assert_fact: 0 handled, 1 no rule accepts it, 2 already observed, 3 queued.
_OK = (0, 3)
_REFUSED = {1: "no rule accepted the fact", 2: "the fact was already asserted"}


# Rulesets of engines that were garbage-collected, freed at the next safe point. A
# finalizer runs wherever garbage collection happens to run, possibly in the middle
# of another ruleset's evaluation; deleting there is not something to rely on.
_RELEASED: list[int] = []


def _release(handle: int) -> None:
    _RELEASED.append(handle)  # list.append is atomic: safe from any thread or finalizer


def _free_released() -> None:
    """Delete released rulesets; call with the lock held and no session live."""
    while _RELEASED:
        _engine.delete_ruleset(_RELEASED.pop())


class DurableRuleset:
    """A ruleset in the Rete engine. Facts are asserted through a :class:`Rulesets` session."""

    def __init__(self, definition: dict[str, Any]) -> None:
        rules = {key: {"all": rule["all"]} for key, rule in definition.items()}
        rules[_ACCEPT] = {"all": [{"x": {"$ex": {"t": 1}}}, {"y": {"t": "$never"}}]}
        rules[_END] = {"all": [{"e": {"t": _END}}]}
        with _LOCK:
            _free_released()
            try:
                self._handle = _engine.create_ruleset("goalpath", json.dumps(rules, ensure_ascii=False))
            except Exception as exc:  # "Could not create ruleset, error code: N"
                raise EngineFault(f"durable_rules refused the compiled ruleset: {exc}") from exc
        # Free the engine's memory for this ruleset after the object goes away.
        weakref.finalize(self, _release, self._handle)

    def _assert(self, fact_json: str, handler: FireHandler | None) -> int:
        try:
            return self._fire(fact_json, handler)
        except EngineFault:
            raise
        except Exception as exc:  # the engine's own errors, such as "error code: 303"
            raise EngineFault(f"durable_rules failed on a fact: {exc}") from exc

    def _fire(self, fact_json: str, handler: FireHandler | None) -> int:
        code, state = _engine.assert_fact(self._handle, fact_json)
        if code not in _OK:
            raise EngineFault(f"durable_rules: {_REFUSED.get(code, f'error {code}')}: {fact_json}")
        fired = 0
        result = _engine.start_action_for_state(self._handle, state)
        message = json.loads(result[1]) if result else None
        while message:
            ((key, matched),) = message.items()
            fired += 1
            if handler is not None and key not in (_END, _ACCEPT):
                try:
                    handler(key, matched)
                except Exception as exc:
                    _engine.abandon_action(self._handle, state)
                    if isinstance(exc, EngineFault):
                        raise
                    raise EngineFault(f"a rule action failed: {exc!r}") from exc
                except BaseException:  # KeyboardInterrupt and the like: clean up, re-raise
                    _engine.abandon_action(self._handle, state)
                    raise
            following = _engine.complete_and_start_action(self._handle, state)
            message = json.loads(following) if following else None
        return fired

    def _end(self) -> None:
        """End the session: the end fact (so some action has run), then delete its state."""
        try:
            self._assert(_END_FACT, None)
        finally:
            _engine.delete_state(self._handle, _SID)


class Rulesets:
    """The rulesets of one compiled pack, evaluated together one evaluation at a time."""

    def __init__(self, definitions: Iterable[dict[str, Any]]) -> None:
        self._rulesets = [DurableRuleset(d) for d in definitions]

    def __len__(self) -> int:
        return len(self._rulesets)

    @contextlib.contextmanager
    def session(self) -> Iterator[Callable[[int, dict[str, Any], FireHandler], int]]:
        """Hold the engine for one evaluation; yields ``assert_into(ruleset, fact, handler)``.

        ``assert_into`` asserts one fact into one ruleset and fires what it matches there
        (calling ``handler`` for each firing), returning the number of firings. Every
        ruleset that received a fact has its session ended and deleted when the block
        ends, however it ends.

        Raises:
            EngineFault: a handler failed or the engine refused a fact.
        """
        with _LOCK:
            _free_released()
            opened: list[int] = []

            def assert_into(index: int, fact: dict[str, Any], handler: FireHandler) -> int:
                if index not in opened:
                    opened.append(index)
                return self._rulesets[index]._assert(json.dumps({**fact, "sid": _SID}, ensure_ascii=False), handler)

            try:
                yield assert_into
            finally:
                failure: BaseException | None = None
                for index in opened:
                    try:
                        self._rulesets[index]._end()
                    except BaseException as exc:  # end every session, then report the first failure
                        failure = failure or exc
                if failure is not None and sys.exc_info()[0] is None:
                    raise failure
