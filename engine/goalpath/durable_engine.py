"""The one boundary to durable_rules 2.0.28: every ``import durable`` lives here.

What this module guards against (measured; see the project's durable-rules notes):

* ``Host`` starts two timer threads that never stop and race with ``delete_state``:
  they are disabled (goalpath uses no timers), and hosts are built once per pack.
* the C engine is not thread-safe and never releases the GIL: one process-wide lock
  serialises every call into it, so threads are safe and lose nothing.
* session ids are looked up by a 32-bit hash and collide: only one session is ever
  live per host (it is always deleted before the lock is released), under one fixed id.
* ``delete_state`` crashes on a session in which no action ran: an end fact whose rule
  always runs is asserted last, even when evaluation failed part-way.
* exceptions raised inside actions are swallowed into the session state: actions catch
  everything themselves, and the state is checked after every evaluation.
* registration removes ``run`` from the dict it is given: a deep copy is registered.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable
from typing import Any

from durable import engine as _durable

from .errors import EngineFault

#: Called for each firing with (rule key, alias -> matched fact); returns facts to assert.
FireHandler = Callable[[str, dict[str, dict[str, Any]]], list[dict[str, Any]]]

_LOCK = threading.RLock()
_RULESET = "goalpath"
_SID = "1"
_END = "$end"
_ACCEPT = "$accept"
_END_FACT = {"t": _END, "id": _END}


class _Host(_durable.Host):
    """A durable_rules host whose actions are looked up in a table, with no timer threads."""

    def __init__(self, actions: dict[str, Callable[[Any], None]]) -> None:
        self._goalpath_actions = actions
        super().__init__()

    def _run(self) -> None:
        # The stock host starts two never-ending timer threads here; goalpath needs none.
        return None

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._goalpath_actions[action_name]


def _nothing(c: Any) -> None:
    return None


class DurableRuleset:
    """A registered ruleset that runs one evaluation at a time, start to finish."""

    def __init__(self, definition: dict[str, Any]) -> None:
        self._handler: FireHandler | None = None
        self._errors: list[BaseException] = []
        definition = copy.deepcopy(definition)
        # Every fact must be accepted by some rule or durable_rules refuses it
        # (MessageNotHandledException): this rule accepts all facts and never fires.
        definition[_ACCEPT] = {"all": [{"x": {"$ex": {"t": 1}}}, {"y": {"t": "$never"}}], "run": _ACCEPT}
        # Deleting a session in which no action ran crashes: this rule always runs.
        definition[_END] = {"all": [{"e": {"t": _END}}], "run": _END}
        actions = {key: self._action(key) for key in definition if key not in (_ACCEPT, _END)}
        actions[_ACCEPT] = actions[_END] = _nothing
        with _LOCK:
            self._host = _Host(actions)
            try:
                self._host.register_rulesets({_RULESET: definition})
            except Exception as exc:  # "Could not create ruleset, error code: N"
                raise EngineFault(f"durable_rules refused the compiled ruleset: {exc}") from exc

    def _action(self, key: str) -> Callable[[Any], None]:
        def run(c: Any) -> None:
            handler = self._handler
            if handler is None:  # no evaluation under way: nothing to record
                return
            try:
                matched = {alias: dict(fact) for alias, fact in (c._m or {}).items()}
                for fact in handler(key, matched):
                    fact = dict(fact)
                    fact["sid"] = _SID
                    c.assert_fact(fact)
            except BaseException as exc:  # durable_rules would swallow it: keep it
                self._errors.append(exc)

        return run

    def run(self, facts: Iterable[dict[str, Any]], handler: FireHandler) -> None:
        """Assert ``facts`` one at a time, in order, chaining until nothing more fires.

        Raises:
            EngineFault: an action failed or durable_rules reported an error.
        """
        with _LOCK:
            self._handler = handler
            self._errors = []
            ended = False
            try:
                for fact in facts:
                    self._assert(fact)
                self._assert(_END_FACT)
                ended = True
                state = self._host.get_state(_RULESET, _SID)
                if "exception" in state:
                    self._errors.append(EngineFault(str(state["exception"])))
            finally:
                self._handler = None
                if not ended:
                    try:
                        self._assert(_END_FACT)
                    except Exception:  # the session is already broken; deleting it is what matters
                        pass
                self._host.delete_state(_RULESET, _SID)
            if self._errors:
                first = self._errors[0]
                raise EngineFault(f"rule evaluation failed: {first!r}") from first

    def _assert(self, fact: dict[str, Any]) -> None:
        fact = dict(fact)
        fact["sid"] = _SID
        try:
            self._host.assert_fact(_RULESET, fact)
        except _durable.MessageNotHandledException as exc:
            raise EngineFault(f"no rule accepted a fact: {exc.message}") from None
        except _durable.MessageObservedException as exc:
            raise EngineFault(f"a fact was asserted twice: {exc.message}") from None
