"""Conditions evaluated in Python, compiled once into closures.

The Rete has no aggregates, so conditions on list items (``any``, ``all``, ``none``,
``count``) are computed here into the profile fact; explanations also use these to tell
which alternative of an ``any`` held. Semantics match the compiled Rete conditions: a
comparison on an empty field is false, ``is_not``/``not_in`` on an empty field are true.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable
from typing import Any

from .errors import EngineFault
from .rules import AllOf, AnyOf, Condition, FieldTest, ListTest, Not, RelativeDate

Predicate = Callable[[Any, dt.date], bool]

#: The comparison operators of the rule language, as Python functions.
COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "is": operator.eq,
    "is_not": operator.ne,
    "below": operator.lt,
    "at_most": operator.le,
    "above": operator.gt,
    "at_least": operator.ge,
}


def getter(path: str, computed: bool = False) -> Callable[[Any, dt.date], Any]:
    """A function reading a dotted path of an object as of a date; None if any step on the way is None.

    With ``computed``, the last step is a computed field (a method taking the as-of date).
    """
    *head, last = path.split(".")

    def get(obj: Any, as_of: dt.date) -> Any:
        for part in head:
            if obj is None:
                return None
            obj = getattr(obj, part)
        if obj is None:
            return None
        value = getattr(obj, last)
        return value(as_of) if computed else value

    return get


def holds(cond: Condition, obj: Any, as_of: dt.date) -> bool:
    """Whether ``cond`` holds for ``obj`` (a profile or a list item) as of ``as_of``."""
    return predicate(cond)(obj, as_of)


@functools.lru_cache(maxsize=None)
def predicate(cond: Condition) -> Predicate:
    """Compile a condition on fields (no derived facts) into a closure."""
    if isinstance(cond, (AllOf, AnyOf)):
        parts = tuple(predicate(c) for c in cond.children)
        if isinstance(cond, AllOf):
            return lambda obj, as_of: all(p(obj, as_of) for p in parts)
        return lambda obj, as_of: any(p(obj, as_of) for p in parts)
    if isinstance(cond, Not):
        inner = predicate(cond.child)
        return lambda obj, as_of: not inner(obj, as_of)
    if isinstance(cond, ListTest):
        return _list_predicate(cond)
    if isinstance(cond, FieldTest):
        return _field_predicate(cond)
    raise EngineFault(f"a {type(cond).__name__} cannot be evaluated in Python")


def counter(path: str, item: Condition | None, invert: bool = False) -> Callable[[Any, dt.date], int]:
    """A function counting the items of a list (matching ``item``, or not if ``invert``)."""
    get = getter(path)
    if item is None:
        return lambda obj, as_of: len(get(obj, as_of) or ())
    test = predicate(item)

    def count(obj: Any, as_of: dt.date) -> int:
        return sum(1 for i in get(obj, as_of) or () if test(i, as_of) != invert)

    return count


def _list_predicate(cond: ListTest) -> Predicate:
    if cond.quantifier == "count":
        count = counter(cond.path, cond.item)
        op, bound = cond.count_op or "is", cond.count_value
        return lambda obj, as_of: COMPARE[op](count(obj, as_of), bound)
    if cond.quantifier == "all":
        misses = counter(cond.path, cond.item, invert=True)
        return lambda obj, as_of: misses(obj, as_of) == 0
    hits = counter(cond.path, cond.item)
    if cond.quantifier == "any":
        return lambda obj, as_of: hits(obj, as_of) > 0
    return lambda obj, as_of: hits(obj, as_of) == 0


def _field_predicate(cond: FieldTest) -> Predicate:
    get, op = getter(cond.path, cond.computed), cond.op
    target: Any = cond.value
    if op == "present":
        wanted = bool(target)
        return lambda obj, as_of: (get(obj, as_of) is not None) == wanted
    relative = isinstance(target, RelativeDate) or (
        isinstance(target, tuple) and any(isinstance(v, RelativeDate) for v in target)
    )
    empty_result = op in ("is_not", "not_in")

    def test(obj: Any, as_of: dt.date) -> bool:
        value = get(obj, as_of)
        if value is None:
            return empty_result
        right = _resolve(target, as_of) if relative else target
        if op == "in":
            return value in right
        if op == "not_in":
            return value not in right
        return COMPARE[op](value, right)

    return test


def _resolve(value: Any, as_of: dt.date) -> Any:
    if isinstance(value, RelativeDate):
        return as_of + dt.timedelta(days=value.days)
    if isinstance(value, tuple):
        return tuple(_resolve(v, as_of) for v in value)
    return value
