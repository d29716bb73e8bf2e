"""Rules as plain-English sentences, for a coach reviewing a pack.

Every sentence is built from the rule's data: its conditions in the profile's own words
(the tables of :mod:`goalpath.render.words`, plus the phrasing of a few fields whose
values need a sentence of their own), the ``about`` text of each derived fact, and the
titles of the actions it names. Nothing is written per rule, so a coach pack reads the
same way as the built-in one. The built-in rule ``ladder-baseline-open`` reads:

    When your main or second priority is promotion and your baseline is not written down
    yet, conclude that Evidence Ladder step 1 still lacks its evidence.

Output is deterministic: it depends on the rule and the pack only, never on set or dict
order.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Union

from ..fields import profile_fields
from ..profile import Profile, model_in
from ..render.words import STATEMENTS, noun, value_words
from ..rules import (
    AllOf,
    AnyOf,
    Condition,
    Derive,
    Effect,
    FactTest,
    FieldTest,
    Hold,
    ListTest,
    Not,
    Recommend,
    Ref,
    RelativeDate,
    Rule,
    RulePack,
)
from . import phrases

__all__ = ["condition_words", "effect_words", "rule_sentence"]


def rule_sentence(rule: Rule, pack: RulePack) -> str:
    """The whole rule as one sentence: 'When <conditions>, <effects>.'"""
    return _quoted(f"When {_condition(rule.when, pack).text}, {_effects(rule.then, pack).text}.")


def condition_words(cond: Condition, pack: RulePack) -> str:
    """A condition as a clause, such as "your main priority is promotion".

    A field test taken from inside a list test names its field relative to the item; pass
    the whole list test to have it said in full ("at least one of your credentials is in
    progress").
    """
    return _condition(cond, pack).text


def effect_words(effect: Effect, pack: RulePack) -> str:
    """One effect: "recommend 'TITLE'", "conclude that <fact>", "add 2 points to 'TITLE'", "hold back 'TITLE'"."""
    return _quoted(_effect(effect, pack))


def _effect(effect: Effect, pack: RulePack) -> str:
    if isinstance(effect, Recommend):
        return _recommend(effect, pack)
    if isinstance(effect, Derive):
        return "conclude that " + _derived(effect, pack)
    if isinstance(effect, Hold):
        return f"hold back {_title(effect.action, pack)}"
    # Points are score arithmetic, so they stay figures ("add 2 points"), like scores do.
    points = f"{value_words(abs(effect.points))} point{'' if abs(effect.points) == 1 else 's'}"
    if effect.points >= 0:
        return f"add {points} to {_title(effect.action, pack)}"
    return f"take {points} off {_title(effect.action, pack)}"


# Action titles are marked while a sentence is built, so that their own commas and "and"s
# are not taken for the sentence's; they are quoted at the end.
_OPEN, _CLOSE = "\ue000", "\ue001"
_SET_APART = re.compile(f"{_OPEN}[^{_CLOSE}]*{_CLOSE}|\\([^()]*\\)")


def _title(action_id: str, pack: RulePack) -> str:
    return f"{_OPEN}{pack.action(action_id).title}{_CLOSE}"


def _quoted(text: str) -> str:
    return text.replace(_OPEN, "'").replace(_CLOSE, "'")


# -- joining clauses -------------------------------------------------------------------
@dataclass(frozen=True)
class _Clause:
    text: str
    compound: bool = False  # joins clauses of its own with "and" or "or"


def _weight(clause: _Clause, conj: str, count: int, last: bool) -> int:
    """How strongly a clause must be set apart in a list of ``count`` clauses joined by
    ``conj``: 0 not at all, 1 by commas, 2 or more by semicolons (3 if it holds semicolons).

    Titles and brackets aside: their commas do not split the list. A last clause that
    starts with "either", or holds a list of its own, needs one level less: nothing follows
    it that could be taken as part of it.
    """
    text = _SET_APART.sub("", clause.text)
    if ";" in text:
        weight = 3
    elif "," in text:
        weight = 2 if clause.compound or count > 2 else 1
    elif clause.compound:
        weight = 1 if count == 2 else 2
    else:
        return 1 if f" {conj} " in text else 0
    if last and (not clause.compound or clause.text.startswith("either ")):
        weight -= 1
    return weight


def _join(clauses: Sequence[_Clause], conj: str) -> _Clause:
    """Clauses joined by "and" or "or": commas when they are simple, semicolons when they hold commas."""
    if len(clauses) == 1:
        return clauses[0]
    weight = max(_weight(c, conj, len(clauses), i == len(clauses) - 1) for i, c in enumerate(clauses))
    texts = [c.text for c in clauses]
    if weight == 0:
        text = f"{', '.join(texts[:-1])} {conj} {texts[-1]}"
    else:
        sep = ", " if weight == 1 else "; "
        text = f"{sep.join(texts[:-1])}{sep}{conj} {texts[-1]}"
    return _Clause(f"either {text}" if conj == "or" else text, True)


def _alternatives(words: Sequence[str], conj: str = "or", *, factor: bool = True) -> str:
    """Values as "A or B", "A, B or C"; shared leading or trailing words said once."""
    factored = _factor(words) if factor else None
    if factored is not None:
        words = factored
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conj} {words[-1]}"


def _factor(words: Sequence[str]) -> list[str] | None:
    """``["a personal development goal", "a leadership development goal"]`` as
    ``["a personal", "leadership development goal"]``, or None if nothing is shared."""
    if len(words) < 2:
        return None
    split = [w.split() for w in words]
    shortest = min(len(s) for s in split)
    head = 0
    while head < shortest - 1 and len({tuple(s[: head + 1]) for s in split}) == 1:
        head += 1
    tail = 0
    while tail < shortest - head - 1 and len({tuple(s[len(s) - tail - 1 :]) for s in split}) == 1:
        tail += 1
    if not head and not tail:
        return None
    middles = [" ".join(s[head : len(s) - tail]) for s in split]
    if not all(middles):
        return None
    out = list(middles)
    out[0] = " ".join(split[0][:head] + [out[0]])
    out[-1] = " ".join([out[-1]] + split[0][len(split[0]) - tail :])
    return out


_NEGATIVE_WORDS = frozenset({"no", "not", "none", "never", "neither", "nor", "nothing", "nobody", "without"})
_VERBS = frozenset({"is", "are", "has", "have", "was", "were"})


def _factor_subjects(clauses: Sequence[_Clause]) -> _Clause | None:
    """Alternatives "your main priority is promotion" or "your second priority is promotion" said as
    "your main or second priority is promotion": alternatives that differ only in their subject."""
    if len(clauses) < 2 or any(c.compound or "," in c.text or ";" in c.text for c in clauses):
        return None
    split = [c.text.split() for c in clauses]
    shortest = min(len(s) for s in split)
    head = 0
    while head < shortest and len({s[head] for s in split}) == 1:
        head += 1
    tail = 0
    while tail < shortest - head and len({s[len(s) - tail - 1] for s in split}) == 1:
        tail += 1
    if not head or not tail:
        return None
    middles = [s[head : len(s) - tail] for s in split]
    shared = set(split[0][:head])
    if not set(split[0][len(split[0]) - tail :]) & _VERBS or shared & (_VERBS | _NEGATIVE_WORDS):
        return None
    if any(not m or set(m) & (_VERBS | {"or", "and"}) for m in middles):
        return None
    subject = _alternatives([" ".join(m) for m in middles])
    return _Clause(" ".join(split[0][:head] + [subject] + split[0][len(split[0]) - tail :]))


def _factor_predicates(clauses: Sequence[_Clause]) -> _Clause | None:
    """Alternatives "you have held fewer than two interviews" or "you have had no referrals"
    said as "you have held fewer than two interviews or had no referrals": the same subject
    and verb (and the same note in brackets after them), said once."""
    if len(clauses) < 2 or any(c.compound or "," in c.text or ";" in c.text for c in clauses):
        return None
    note = re.search(r" \([^()]*\)$", clauses[0].text)
    after = note.group(0) if note and all(c.text.endswith(note.group(0)) for c in clauses) else ""
    split = [c.text[: len(c.text) - len(after)].split() for c in clauses]
    shortest = min(len(s) for s in split)
    verb = next((i for i in range(shortest) if split[0][i] in _VERBS), None)
    if not verb or any(s[: verb + 1] != split[0][: verb + 1] for s in split):
        return None
    middles = [s[verb + 1 :] for s in split]
    if set(split[0][:verb]) & _NEGATIVE_WORDS or any(not m or set(m) & {"or", "and"} for m in middles):
        return None
    predicate = _alternatives([" ".join(m) for m in middles], factor=False)
    return _Clause(" ".join(split[0][: verb + 1] + [predicate]) + after)


def _factor_runs(clauses: list[_Clause]) -> list[_Clause]:
    """Alternatives with each longest run of neighbours that differ only in their subject said once."""
    out: list[_Clause] = []
    i = 0
    while i < len(clauses):
        for end in range(len(clauses), i + 1, -1):
            factored = _factor_subjects(clauses[i:end]) or _factor_predicates(clauses[i:end])
            if factored is not None:
                out.append(factored)
                i = end
                break
        else:
            out.append(clauses[i])
            i += 1
    return out


# -- conditions ------------------------------------------------------------------------
def _condition(cond: Condition, pack: RulePack) -> _Clause:
    if isinstance(cond, FieldTest):
        return _Clause(_field(cond, cond.path, item=False))
    if isinstance(cond, ListTest):
        return _Clause(_list(cond))
    if isinstance(cond, FactTest):
        return _Clause(_fact(cond, pack, negated=False))
    if isinstance(cond, Not):
        if isinstance(cond.child, FactTest):
            return _Clause(_fact(cond.child, pack, negated=True))
        return _condition(_negate(cond.child, None), pack)
    children = _flatten(cond)
    parts = [_condition(child, pack) for child in children]
    if isinstance(cond, AnyOf):
        return _join(_factor_runs(parts), "or")
    return _join(parts, "and")


def _flatten(cond: AllOf | AnyOf) -> list[Condition]:
    """The children of an all/any, with nested ones of the same kind spliced in."""
    out: list[Condition] = []
    for child in cond.children:
        if type(child) is type(cond):
            out.extend(_flatten(child))  # type: ignore[arg-type]
        else:
            out.append(child)
    return out


_NEGATED_OPS = {
    "is": "is_not",
    "is_not": "is",
    "in": "not_in",
    "not_in": "in",
    "below": "at_least",
    "at_least": "below",
    "at_most": "above",
    "above": "at_most",
}


def _negate(cond: Condition, list_path: str | None) -> Condition:
    """``not`` pushed one level down, so that it can be said without "it is not the case that".

    A comparison on an empty field is false, so its negation also holds for an empty one;
    ``list_path`` names the list when ``cond`` is about a list's item.
    """
    if isinstance(cond, FieldTest):
        if cond.op == "present":
            return replace(cond, value=not cond.value)
        opposite = replace(cond, op=_NEGATED_OPS[cond.op])
        key = f"{list_path}[].{cond.path}" if list_path else cond.path
        if cond.op in ("below", "at_most", "above", "at_least") and _can_be_empty(key):
            return AnyOf((opposite, replace(cond, op="present", value=False)))
        return opposite
    if isinstance(cond, ListTest):
        if cond.quantifier == "count":
            return replace(cond, count_op=_NEGATED_OPS[cond.count_op or "is"])
        if cond.quantifier == "all":
            return replace(cond, quantifier="any", item=Not(cond.item) if cond.item else None)
        return replace(cond, quantifier="none" if cond.quantifier == "any" else "any")
    if isinstance(cond, Not):
        return cond.child
    if isinstance(cond, AllOf):
        return AnyOf(tuple(Not(c) for c in cond.children))
    if isinstance(cond, AnyOf):
        return AllOf(tuple(Not(c) for c in cond.children))
    return Not(cond)


def _agree(text: str, plural: bool) -> str:
    for mark, forms in phrases.AGREEMENT.items():
        text = text.replace(mark, forms[plural])
    return text


def _fill(template: str, value: str, plural: bool) -> str:
    # Agreement first, so that a value holding braces is left as written.
    return _agree(template, plural).replace("{v}", value)


def _field(test: FieldTest, key: str, *, item: bool, plural: bool = False) -> str:
    """A field test as a clause, or for a list item's field as a predicate (with marks)."""
    if test.op == "present":
        return _agree(_present(key, item, bool(test.value)), plural)
    if test.kind == "bool" and test.op in ("is", "is_not") and isinstance(test.value, bool):
        holds = test.value if test.op == "is" else not test.value
        statements = phrases.ITEM_STATEMENTS.get(key) if item else STATEMENTS.get(key)
        if statements is None:
            text = f"{_subject(key, item)} {{is}} {'yes' if holds else 'no'}"
        else:
            text = statements[0 if holds else 1]
        return _agree(text, plural) + (_unsaid(key) if test.op == "is_not" else "")
    if key in phrases.CHOICE_SETS and test.op in ("is", "is_not", "in", "not_in"):
        clause = _choice_set(key, test)
        if clause is not None:
            return clause
    if test.kind == "date":
        return _date(test, key, item, plural)
    if test.kind in ("int", "float") and key in phrases.AMOUNTS:
        template, one, many, counted = phrases.AMOUNTS[key]
        amount, _ = _quantity(test.op, test.value, one, many, counted)
        return _fill(template, amount, plural)
    return _compare(test, key, item, plural)


def _subject(key: str, item: bool) -> str:
    if item:
        return "{its} " + _item_noun(key)
    return _noun(key)


def _noun(key: str) -> str:
    return phrases.MORE_NOUNS.get(key) or noun(key)


def _item_noun(key: str) -> str:
    """A list item's field as a noun ("due date"), named by its last part."""
    name = key.rsplit(".", 1)[-1]
    return phrases.ITEM_NOUNS.get(name, name.replace("_", " "))


def _a(words: str) -> str:
    return ("an " if words[:1] in "aeiou" else "a ") + words


def _present(key: str, item: bool, filled: bool) -> str:
    if item:
        pair = phrases.ITEM_PRESENT.get(key)
        if pair is not None:
            return pair[0 if filled else 1]
        if key in phrases.ITEM_STATEMENTS:
            said = "{it} " + phrases.ITEM_STATEMENTS[key][0]
            return f"say{{s}} whether {said}" if filled else f"{{does}} not say whether {said}"
        return f"{{has}} {_a(_item_noun(key))}" if filled else f"{{has}} no {_item_noun(key)}"
    if key in STATEMENTS:
        return f"you have {'' if filled else 'not '}said whether {STATEMENTS[key][0]}"
    if filled:
        return phrases.FILLED.get(key, f"{_noun(key)} is filled in")
    if key in phrases.EMPTY:
        return phrases.EMPTY[key]
    words = _noun(key)
    if words.split()[0] in ("how", "why", "what", "who", "where", "when", "whether"):
        return f"you have not said {words}"
    return f"{words} is not filled in yet"


def _unsaid(key: str) -> str:
    """What else a "not" test on a field that may be empty also covers."""
    if _optional_parent(key):
        return " (or you have none)"
    return " (or you have not said)" if _can_be_empty(key) else ""


def _choice_set(key: str, test: FieldTest) -> str | None:
    values = {str(v) for v in test.value} if isinstance(test.value, tuple) else {str(test.value)}
    if test.op in ("is_not", "not_in"):
        if _can_be_empty(key):
            return None
        spec = profile_fields().get(key)
        values = set(spec.choices if spec else ()) - values
    return phrases.CHOICE_SETS[key].get(frozenset(values))


def _value(key: str, value: Any, plural: bool = False) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, RelativeDate):
        return _relative(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    words = phrases.VALUES.get(key, {}).get(str(value))
    if words is None:
        return value_words(value)
    return words if isinstance(words, str) else words[plural]


def _compare(test: FieldTest, key: str, item: bool, plural: bool) -> str:
    """``is``, ``in`` and their opposites, and comparisons of numbers with no amount words."""
    if not item:
        default = (_noun(key) + " {is} {v}", _noun(key) + " {is} not {v}")
    elif key in phrases.WHAT_ITEMS_ARE:
        default = ("{is} {v}", "{is} not {v}")
    else:
        default = (f"{{has}} {_a(_item_noun(key))} that is {{v}}", f"{{has}} {_a(_item_noun(key))} that is not {{v}}")
    holds, fails = phrases.TEMPLATES.get(key, default)
    values = test.value if isinstance(test.value, tuple) else (test.value,)
    words = [_value(key, v, plural) for v in values]
    op = test.op
    if op == "is_not":  # "is not not needed" would read as a slip
        words = [f"“{w}”" if w.startswith("not ") else w for w in words]
    copula = any(f"{b} {{v}}" in holds for b in ("{is}", "is", "are"))
    if op == "is":
        return _fill(holds, words[0], plural)
    if op == "is_not":
        return _fill(fails, words[0], plural) + _unsaid(key)
    if op == "in":
        options = _alternatives(words)
        return _fill(holds, ("one of " if copula and len(words) > 2 else "") + options, plural)
    if op == "not_in":
        if copula:
            options = f"neither {words[0]} nor {words[1]}" if len(words) == 2 else f"none of {_alternatives(words)}"
            return _fill(holds, options, plural) + _unsaid(key)
        return _fill(fails, "either " + _alternatives(words), plural) + _unsaid(key)
    comparison = {"below": "below", "at_most": "at most", "above": "above", "at_least": "at least"}[op]
    return _fill(holds, f"{comparison} {words[0]}", plural)


def _number(value: float) -> str:
    if isinstance(value, int) and 0 < value < len(phrases.NUMBERS):
        return phrases.NUMBERS[value]
    if isinstance(value, float) and value.is_integer():
        return _number(int(value))
    return value_words(value)


def _count(n: float, one: str, many: str) -> str:
    return f"{_number(n)} {one if n == 1 else many}"


def _quantity(op: str, value: Any, one: str, many: str, counted: bool) -> tuple[str, bool]:
    """An amount compared with ``value`` ("fewer than two referrals"), and whether it is plural."""
    if isinstance(value, tuple):
        options = _alternatives([_number(v) for v in value])
        if op == "in":
            return f"{options} {many}", True
        return f"a number of {many} other than {options}", True
    n = value
    if n == 0 and op in ("is", "at_most") or counted and n == 1 and op == "below":
        return f"no {many}", True
    if counted and (n == 1 and op == "at_least" or n == 0 and op == "above"):
        return f"one or more {many}", True
    less = "fewer" if counted else "less"
    phrase = {
        "is": "exactly {n}",
        "below": less + " than {n}",
        "at_most": "at most {n}",
        "above": "more than {n}",
        "at_least": "at least {n}",
    }.get(op)
    if phrase is None:  # is_not
        return f"a number of {many} other than {_number(n)}", True
    return f"{phrase.format(n=_number(n))} {one if n == 1 else many}", n != 1


def _date(test: FieldTest, key: str, item: bool, plural: bool) -> str:
    template = phrases.DATES.get(key, f"{{has}} {_a(_item_noun(key))} {{v}}" if item else _noun(key) + " is {v}")
    if isinstance(test.value, tuple):
        days = _alternatives([_value(key, v) for v in test.value])
        when = f"on {days}" if test.op == "in" else f"on a day other than {days}"
    else:
        when = _when(test.op, test.value)
    return _fill(template, when, plural)


def _when(op: str, value: Any) -> str:
    """A date comparison: "before today", "more than 91 days ago", "no later than 2026-03-01"."""
    if isinstance(value, RelativeDate) and value.days:
        span = _count(abs(value.days), "day", "days")
        if value.days < 0:
            forms = {
                "below": f"more than {span} ago",
                "at_most": f"{span} or more ago",
                "above": f"less than {span} ago",
                "at_least": f"no earlier than {span} ago",
                "is": f"exactly {span} ago",
            }
        else:
            forms = {
                "below": f"less than {span} from today",
                "at_most": f"no later than {span} from today",
                "above": f"more than {span} from today",
                "at_least": f"no earlier than {span} from today",
                "is": f"exactly {span} from today",
            }
        return forms.get(op, f"on a day other than {_relative(value)}")
    day = _value("", value)
    return {
        "below": f"before {day}",
        "at_most": f"no later than {day}",
        "above": f"after {day}",
        "at_least": f"no earlier than {day}",
        "is": day if day == "today" else f"on {day}",
    }.get(op, f"on a day other than {day}")


def _relative(value: RelativeDate) -> str:
    if not value.days:
        return "today"
    span = _count(abs(value.days), "day", "days")
    return f"{span} ago" if value.days < 0 else f"{span} from today"


# -- lists -----------------------------------------------------------------------------
def _list(test: ListTest) -> str:
    many = noun(test.path)
    quantifier, item = test.quantifier, test.item
    op, bound = test.count_op or "is", test.count_value or 0
    if quantifier == "count" and item is not None:
        if op in ("is", "at_most") and bound == 0 or op == "below" and bound == 1:
            quantifier = "none"
        elif op == "at_least" and bound == 1 or op == "above" and bound == 0:
            quantifier = "any"
    if quantifier == "count":
        amount, several = _quantity(op, bound, phrases.ONE.get(test.path, many), many, counted=True)
        if item is None:
            return f"you have {amount}"
        return f"you have {amount} that {_predicate(item, test.path, several).text}"
    if item is None:
        return f"you have {'no' if quantifier == 'none' else 'one or more'} {many}"
    which = _the(many)
    predicate = _predicate(item, test.path, plural=False).text
    if quantifier == "any":
        return f"at least one of {which} {predicate}"
    if quantifier == "none":
        return f"none of {which} {predicate}"
    return f"each of {which} (if any) {predicate}"


def _the(words: str) -> str:
    """A list's noun as "your checkpoints" or "the people supporting you"."""
    if words.split()[0] in ("your", "the", "a", "an"):
        return words
    return f"the {words}" if " you" in f" {words}" else f"your {words}"


def _predicate(cond: Condition, path: str, plural: bool) -> _Clause:
    """A condition on a list's item, as what is said of the item ("is finished")."""
    if isinstance(cond, FieldTest):
        return _Clause(_field(cond, f"{path}[].{cond.path}", item=True, plural=plural))
    if isinstance(cond, Not):
        return _predicate(_negate(cond.child, path), path, plural)
    if isinstance(cond, (AllOf, AnyOf)):
        parts = [_predicate(child, path, plural) for child in _flatten(cond)]
        return _join(parts, "or" if isinstance(cond, AnyOf) else "and")
    # The loader allows no facts in an item's condition; a list inside an item is said whole.
    inner = _list(cond) if isinstance(cond, ListTest) else cond.name
    return _Clause(_agree(f"{{is}} such that {inner}", plural))


# -- derived facts ---------------------------------------------------------------------
def _about(name: str, pack: RulePack) -> str:
    try:
        return pack.fact_type(name).about
    except KeyError:
        return name.replace(".", " ").replace("_", " ")


def _fact(test: FactTest, pack: RulePack, negated: bool) -> str:
    tests = [(t.attribute, t.op, t.value) for t in test.where]
    return _fact_words(_about(test.name, pack), tests, negated, _numbers(test.name, pack))


def _derived(effect: Derive, pack: RulePack) -> str:
    tests = [(a, "is", v) for a, v in effect.attributes]
    return _fact_words(_about(effect.fact, pack), tests, False, _numbers(effect.fact, pack))


def _numbers(name: str, pack: RulePack) -> frozenset[str]:
    """The fact's number attributes (said "at step 2" when its ``about`` does not name them)."""
    try:
        return frozenset(a for a, kind in pack.fact_type(name).attributes if kind == "number")
    except KeyError:
        return frozenset()


def _fact_words(about: str, tests: list[tuple[str, str, Any]], negated: bool, numbers: frozenset[str]) -> str:
    """A fact's ``about`` text with its attribute tests worked in.

    "this is the earliest step ..." becomes "the earliest step ... is step 2"; "a step
    still lacks ..." becomes "step 2 still lacks ..." or "a step below 3 still lacks ...",
    and "a checkpoint still lacks ..." "a checkpoint still lacks ... at step 2"; anything
    else gets its attributes in brackets.
    """
    if about.startswith("this is ") and tests:
        rest = about[len("this is ") :]
        objects = " and ".join(_attr_object(*t) for t in tests)
        return f"{rest} is {'not ' if negated else ''}{objects}"
    first, _, body = about.partition(" ")
    if first in ("a", "an") and body:
        for i, (attribute, op, value) in enumerate(tests):
            match = re.search(rf"\b{re.escape(attribute.replace('_', ' '))}\b", body)
            if match is None:
                continue
            others = tests[:i] + tests[i + 1 :]
            head, tail = body[: match.end()], body[match.end() :] + _brackets(others)
            if op in ("is", "in") and not isinstance(value, Ref):
                definite = f"{head} {_attr_value(attribute, value)}{tail}"
                return f"there is no sign that {definite}" if negated else definite
            if op == "is":
                return f"{'no' if negated else 'that'} {head}{tail}"
            qualified = f"{head} {_qualifier(attribute, op, value)}{tail}"
            return f"no {qualified}" if negated else f"{first} {qualified}"
        if all(a in numbers for a, _, _ in tests):
            placed = body + "".join(f" at {_attr_object(*t)}" for t in tests)
            return f"no {placed}" if negated else f"{first} {placed}"
    positive = about + _brackets(tests)
    if not negated:
        return positive
    opposite = None if tests else _opposite(about)
    return opposite or f"there is no sign that {positive}"


def _brackets(tests: list[tuple[str, str, Any]]) -> str:
    return "".join(f" ({_attr_object(*t)})" for t in tests)


def _attr_value(attribute: str, value: Any) -> str:
    if isinstance(value, Ref):
        return "that one" if value.attribute == attribute else f"the {value.attribute.replace('_', ' ')} of that one"
    if isinstance(value, tuple):
        return _alternatives([_attr_value(attribute, v) for v in value])
    return _value("", value)


def _attr_object(attribute: str, op: str, value: Any) -> str:
    """An attribute test as a noun phrase: "step 2", "a step below 4", "step 2 or lower"."""
    name = attribute.replace("_", " ")
    shown = _attr_value(attribute, value)
    if op == "is":
        return f"that {name}" if isinstance(value, Ref) and value.attribute == attribute else f"{name} {shown}"
    if op == "in":
        return f"{name} {shown}"
    if op == "at_most" and not isinstance(value, Ref):
        return f"{name} {shown} or lower"
    if op == "at_least" and not isinstance(value, Ref):
        return f"{name} {shown} or higher"
    return f"a {name} {_qualifier(attribute, op, value)}"


def _qualifier(attribute: str, op: str, value: Any) -> str:
    shown = _attr_value(attribute, value)
    return {
        "is_not": f"other than {shown}",
        "not_in": f"other than {shown}",
        "below": f"below {shown}",
        "at_most": f"no higher than {shown}",
        "above": f"above {shown}",
        "at_least": f"no lower than {shown}",
        "in": shown,
        "is": shown,
    }[op]


_NEGATIONS = (
    (" does not yet ", None),
    (" is not yet ", " is already "),
    (" are not yet ", " are already "),
    (" has not yet ", " has already "),
    (" have not yet ", " have already "),
    (" has not been ", " has been "),
    (" have not been ", " have been "),
    (" is not ", " is "),
    (" are not ", " are "),
    (" cannot ", " can "),
    (" is ", " is not "),
    (" are ", " are not "),
)


def _opposite(about: str) -> str | None:
    """A fact's ``about`` said the other way round ("is not yet" as "is already"), if that
    can be done safely: one verb, after any list of subjects."""
    text = re.sub(r" \([^()]*\)$", "", about)  # the examples in brackets fit only the fact itself
    for phrase, instead in _NEGATIONS:
        if text.count(phrase) != 1:
            continue
        at = text.index(phrase)
        if "," in text[at:]:
            return None
        if instead is None:
            verb, _, rest = text[at + len(phrase) :].partition(" ")
            return f"{text[:at]} already {_third_person(verb)} {rest}".rstrip()
        return text[:at] + instead + text[at + len(phrase) :]
    return None


def _third_person(verb: str) -> str:
    if verb in ("have", "be", "do"):
        return {"have": "has", "be": "is", "do": "does"}[verb]
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    if re.search(r"(s|sh|ch|x|z|o)$", verb):
        return verb + "es"
    return verb + "s"


# -- effects ---------------------------------------------------------------------------
_TIER_WORDS = {
    "fix-first": "as something to fix first",
    "start-here": "as the next step",
    "alongside": "alongside the next step",
    "this-quarter": "for this quarter",
    "keep-up": "to keep the goal going",
}


def _recommend(effect: Recommend, pack: RulePack) -> str:
    text = f"recommend {_title(effect.action, pack)}"
    if effect.tier is not None:
        text += " " + _TIER_WORDS.get(effect.tier, f"in the {effect.tier} tier")
    if effect.impact is not None:
        usual = pack.action(effect.action).impact
        text += f" with impact {effect.impact}" + (f" instead of {usual}" if usual != effect.impact else "")
    return text


def _effects(effects: Sequence[Effect], pack: RulePack) -> _Clause:
    """Effects in order, with a run of holds ("hold back 'A' and 'B'") or derivations said once."""
    groups: list[list[Effect]] = []
    for effect in effects:
        if groups and isinstance(effect, (Hold, Derive)) and type(groups[-1][0]) is type(effect):
            groups[-1].append(effect)
        else:
            groups.append([effect])
    parts = []
    for group in groups:
        holds = [_title(e.action, pack) for e in group if isinstance(e, Hold)]
        facts = [_derived(e, pack) for e in group if isinstance(e, Derive)]
        if len(holds) > 1:
            parts.append(_Clause("hold back " + _alternatives(holds, "and", factor=False)))
        elif len(facts) > 1:
            parts.append(_Clause("conclude that " + " and that ".join(facts), True))
        else:
            parts.append(_Clause(_effect(group[0], pack)))
    return _join(parts, "and") if len(parts) > 1 else parts[0]


# -- what the profile allows to be empty -----------------------------------------------
@functools.lru_cache(maxsize=None)
def _annotation(key: str) -> Any:
    """The profile model's annotation of a field ("list[].field" for a list item's), or None."""
    model: Any = Profile
    annotation: Any = None
    for part in key.replace("[]", "").split("."):
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        annotation = fields[part].annotation
        model = model_in(annotation)
    return annotation


def _can_be_empty(key: str) -> bool:
    spec = profile_fields().get(key)
    if spec is not None and spec.computed:
        return True
    annotation = _annotation(key)
    return typing.get_origin(annotation) in (Union, types.UnionType) and type(None) in typing.get_args(annotation)


def _optional_parent(key: str) -> str | None:
    """The optional object a field belongs to ("evidence.stretch_project"), if any."""
    parent = key.rpartition(".")[0]
    if parent and "[]" not in parent and _can_be_empty(parent):
        return parent
    return None
