"""Reading one rule file: its facts, actions, frameworks, rules and layering sections.

A :class:`Reader` reads one file at a time into shared :class:`Symbols` (the ids of the
pack being read and of the packs below it), checking every condition against the
profile schema and appending located problems instead of raising. Assembly
(:mod:`.assemble`) decides the order files and packs are read in and what layering does.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from typing import Any, cast

from ..errors import Problem
from ..fields import FieldSpec, profile_fields
from ..profile import Priority
from ..rules import (
    COUNT_OPERATORS,
    DEFAULT_TIER,
    FIELD_OPERATORS,
    ORDERING_OPERATORS,
    TIERS,
    Action,
    Adjust,
    AllOf,
    AnyOf,
    AttrTest,
    Condition,
    Derive,
    Effect,
    FactTest,
    FactType,
    FieldTest,
    Framework,
    Hold,
    ListTest,
    Location,
    Not,
    Recommend,
    Ref,
    RelativeDate,
    Retired,
    Rule,
    Step,
    walk,
)
from ..source import CONTROL_CHARACTERS, Document, character_name

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_ALIAS = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
_RELATIVE = re.compile(r"^today(?:\s*([+-])\s*(\d{1,5}))?$")
_PRIORITIES: tuple[str, ...] = Priority.__args__  # type: ignore[attr-defined]
_ATTR_KINDS = ("text", "number", "flag")
_CONDITION_FORMS = ("field", "fact", "all", "any", "not")
_EFFECT_FORMS = ("derive", "recommend", "boost", "suppress", "hold")
#: Fields whose values changed with profile schema version 2, and how to write a version-1 test now.
_VERSION_1_NOTES = {
    "mobility.family_constraints": " (profile version 1 wrote true/false: write 'is_not: none' for true, 'is: none' for false)",
}
_FILE_SECTIONS = ("pack", "facts", "actions", "frameworks", "rules", "retired", "overrides", "disable", "reweight")


def _kind_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


def _hint(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


#: How each kind of id is spoken of when it is defined twice.
_DEFINED = {"fact": "declared", "framework": "declared", "action": "defined", "rule": "defined", "retired": "retired"}


class Symbols:
    """Every id defined so far, with where and in which pack: the pack being read and those below it.

    :meth:`claim` is the one place a second definition of an id is refused, naming both places.
    """

    def __init__(self) -> None:
        self.fact_types: dict[str, FactType] = {}
        self.actions: dict[str, Action] = {}
        self.rules: dict[str, Rule] = {}
        self.frameworks: dict[str, Framework] = {}
        self.retired: dict[str, Retired] = {}
        self.where: dict[tuple[str, str], tuple[Location, str]] = {}  # (kind, id) -> (place, pack)
        self._frameworks_in_use: set[str] | None = None

    def actions_changed(self) -> None:
        """Forget what was worked out from the actions: call after adding, changing or dropping one."""
        self._frameworks_in_use = None

    def frameworks_in_use(self) -> set[str]:
        """The frameworks some action's step is in (worked out once per change of the actions)."""
        if self._frameworks_in_use is None:
            self._frameworks_in_use = {a.step.framework for a in self.actions.values() if a.step}
        return self._frameworks_in_use

    def claim(self, reader: Reader, doc: Document, path: tuple, kind: str, key: str) -> bool:
        """Record that ``key`` is defined here; False (with a problem) if it already is."""
        found = self.where.get((kind, key))
        if found is None:
            self.where[(kind, key)] = (reader.loc(doc, path), reader.pack)
            return True
        at, pack = found
        if pack == reader.pack:
            message = f"{kind} '{key}' is already {_DEFINED[kind]} at {at}"
        elif kind in ("rule", "action"):
            message = (
                f"{kind} '{key}' is already defined at {at}, in pack '{pack}'; to replace it, "
                f"list it under 'overrides: {kind}s:', or to drop it, under 'disable: {kind}s:'"
            )
        else:
            message = f"{kind} '{key}' is already {_DEFINED[kind]} at {at}, in pack '{pack}'"
        reader.fail(doc, path + (("name",) if kind in ("fact", "framework") else ("id",)), "duplicate-id", message)
        return False

    def pack_of(self, kind: str, key: str) -> str | None:
        found = self.where.get((kind, key))
        return found[1] if found else None


class Reader:
    """Reads one rule file at a time into :class:`Symbols`, appending located problems."""

    def __init__(self, symbols: Symbols, problems: list[Problem], pack: str) -> None:
        self.symbols = symbols
        self.problems = problems
        self.pack = pack
        self.fields = profile_fields()

    @property
    def fact_types(self) -> dict[str, FactType]:
        return self.symbols.fact_types

    @property
    def actions(self) -> dict[str, Action]:
        return self.symbols.actions

    def check_file(self, doc: Document) -> bool:
        """Whether a file can be read at all: a mapping of known sections, with a valid 'pack'."""
        if doc.data is None:
            return False
        if self.mapping(doc, (), doc.data, _FILE_SECTIONS, "a rule file") is None:
            return False
        if "pack" in doc.data:
            meta = self.mapping(doc, ("pack",), doc.data["pack"], ("name", "description", "version"), "'pack'")
            for key in meta or {}:
                if meta is not None and key in ("name", "description", "version"):
                    self.text(doc, ("pack",), meta, key, "'pack'")
        return True

    # -- reporting -------------------------------------------------------------------
    def fail(self, doc: Document, path: tuple, code: str, message: str) -> None:
        self.problems.append(doc.problem(path, code, message))

    def plain(self, doc: Document, path: tuple, value: str, what: str) -> bool:
        """Whether ``value`` is plain text; if it holds a control character, False with a problem."""
        found = CONTROL_CHARACTERS.search(value)
        if found is None:
            return True
        self.fail(
            doc,
            path,
            "invalid-value",
            f"{what} holds a control character ({character_name(found.group())}); rule files hold plain text",
        )
        return False

    def loc(self, doc: Document, path: tuple) -> Location:
        line, column = doc.position(path)
        return Location(doc.file, line, column)

    def mapping(self, doc: Document, path: tuple, value: Any, allowed: Sequence[str], what: str) -> dict | None:
        if not isinstance(value, dict):
            self.fail(doc, path, "invalid-value", f"{what} must be a mapping, got {_kind_name(value)}")
            return None
        for key in value:
            if key not in allowed:
                self.fail(doc, path + (key,), "unknown-key", f"'{key}' is not a key of {what}{_hint(key, allowed)}")
        return value

    def text(self, doc: Document, path: tuple, data: dict, key: str, what: str, required: bool = True) -> str | None:
        if key not in data:
            if required:
                self.fail(doc, path, "missing-key", f"{what} needs '{key}'")
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(doc, path + (key,), "invalid-value", f"'{key}' must be non-empty text, got {_kind_name(value)}")
            return None
        if not self.plain(doc, path + (key,), value, f"'{key}'"):
            return None
        return value.strip()

    def number(
        self,
        doc: Document,
        path: tuple,
        data: dict,
        key: str,
        lo: float,
        hi: float,
        default: float | None = None,
        integer: bool = False,
    ) -> Any:
        if key not in data:
            if default is None:
                self.fail(doc, path, "missing-key", f"needs '{key}'")
            return default
        value = data[key]
        ok = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok or not lo <= value <= hi:
            kind = "a whole number" if integer else "a number"
            self.fail(doc, path + (key,), "invalid-value", f"'{key}' must be {kind} from {lo} to {hi}, got {value!r}")
            return default
        return value

    def items(self, doc: Document, key: str) -> list[tuple[tuple, Any]]:
        section = doc.data.get(key)
        if section is None:
            return []
        if not isinstance(section, list):
            self.fail(doc, (key,), "invalid-value", f"'{key}' must be a list, got {_kind_name(section)}")
            return []
        return [((key, i), item) for i, item in enumerate(section)]

    # -- the pack --------------------------------------------------------------------
    def read_fact_type(self, doc: Document, path: tuple, item: Any) -> None:
        data = self.mapping(doc, path, item, ("name", "about", "attributes"), "a fact declaration")
        if data is None:
            return
        name = self.text(doc, path, data, "name", "a fact declaration")
        about = self.text(doc, path, data, "about", "a fact declaration")
        attributes: list[tuple[str, Any]] = []
        raw = data.get("attributes", {})
        if not isinstance(raw, dict):
            self.fail(
                doc, path + ("attributes",), "invalid-value", "'attributes' must map names to text, number or flag"
            )
        else:
            for attr, kind in raw.items():
                if not _ALIAS.match(attr):
                    self.fail(
                        doc,
                        path + ("attributes", attr),
                        "invalid-value",
                        f"attribute name '{attr}' must be lower-case letters, digits and '_'",
                    )
                elif kind not in _ATTR_KINDS:
                    self.fail(
                        doc,
                        path + ("attributes", attr),
                        "invalid-value",
                        f"attribute '{attr}' must be text, number or flag, got {kind!r}",
                    )
                else:
                    attributes.append((attr, kind))
        if name is None or about is None:
            return
        if not _ID.match(name):
            self.fail(
                doc,
                path + ("name",),
                "invalid-value",
                f"fact name '{name}' must use lower-case letters, digits, '.', '_' and '-'",
            )
        elif self.symbols.claim(self, doc, path, "fact", name):
            self.fact_types[name] = FactType(name, about, tuple(sorted(attributes)), self.loc(doc, path))

    def read_action(self, doc: Document, path: tuple, item: Any, replacing: Action | None = None) -> None:
        """A catalog action; with ``replacing``, the fields given replace those of that (lower) action."""
        if replacing is not None and isinstance(item, dict):
            item = {**action_data(replacing), **item}
        keys = (
            "id",
            "title",
            "do",
            "evidence",
            "done_when",
            "effort",
            "impact",
            "lead_time_months",
            "step",
            "priorities",
            "cites",
            "tier",
        )
        data = self.mapping(doc, path, item, keys, "an action")
        if data is None:
            return
        action_id = self.text(doc, path, data, "id", "an action")
        texts = {key: self.text(doc, path, data, key, "an action") for key in ("title", "do", "evidence", "done_when")}
        cites = self.text(doc, path, data, "cites", "an action", required=False)
        effort = data.get("effort")
        if effort not in ("low", "medium", "high"):
            self.fail(
                doc,
                path + (("effort",) if "effort" in data else ()),
                "invalid-value",
                f"'effort' must be low, medium or high, got {effort!r}",
            )
        impact = self.number(doc, path, data, "impact", 1, 5, integer=True)
        lead = self.number(doc, path, data, "lead_time_months", 0, 120, default=0)
        tier = self.tier(doc, path, data)
        step = None
        if "step" in data:
            raw = self.mapping(doc, path + ("step",), data["step"], ("framework", "order", "starts_with"), "'step'")
            if raw is not None:
                framework = self.text(doc, path + ("step",), raw, "framework", "'step'")
                order = self.number(doc, path + ("step",), raw, "order", 1, 99, integer=True)
                starts = self.number(doc, path + ("step",), raw, "starts_with", 1, order or 99, default=0, integer=True)
                if framework and order:
                    step = Step(framework, order, starts)
        priorities: tuple[str, ...] = ()
        raw_p = data.get("priorities", [])
        if not isinstance(raw_p, list) or not all(isinstance(p, str) for p in raw_p):
            self.fail(doc, path + ("priorities",), "invalid-value", "'priorities' must be a list of priorities")
        else:
            for i, p in enumerate(raw_p):
                if p not in _PRIORITIES:
                    self.fail(
                        doc,
                        path + ("priorities", i),
                        "invalid-value",
                        f"'{p}' is not a priority{_hint(p, _PRIORITIES)}; use one of {', '.join(_PRIORITIES)}",
                    )
            # Listing every priority means the same as listing none: it serves any goal.
            priorities = () if set(raw_p) >= set(_PRIORITIES) else tuple(sorted(set(raw_p)))
        if (
            action_id is None
            or None in texts.values()
            or effort not in ("low", "medium", "high")
            or impact is None
            or tier is None
        ):
            return
        if not _ID.match(action_id):
            self.fail(
                doc,
                path + ("id",),
                "invalid-value",
                f"action id '{action_id}' must use lower-case letters, digits, '.', '_' and '-'",
            )
        elif replacing is not None or self.symbols.claim(self, doc, path, "action", action_id):
            self.symbols.actions_changed()
            self.actions[action_id] = Action(
                action_id,
                cast(str, texts["title"]),
                cast(str, texts["do"]),
                cast(str, texts["evidence"]),
                cast(str, texts["done_when"]),
                effort,
                impact,
                float(lead),
                step,
                priorities,
                cites,
                # A changed action keeps its place: the change itself is recorded by assembly.
                replacing.at if replacing is not None else self.loc(doc, path),
                tier,
            )

    # -- rules -----------------------------------------------------------------------
    def read_rule(self, doc: Document, path: tuple, item: Any, claim: bool = True) -> Rule | None:
        """A rule; ``claim`` is False for a rule that replaces a lower pack's rule of the same id."""
        data = self.mapping(doc, path, item, ("id", "title", "cites", "when", "then"), "a rule")
        if data is None:
            return None
        rule_id = self.text(doc, path, data, "id", "a rule")
        title = self.text(doc, path, data, "title", "a rule")
        cites = self.text(doc, path, data, "cites", "a rule")
        before = len(self.problems)
        if rule_id is not None:
            if not _ID.match(rule_id):
                self.fail(
                    doc,
                    path + ("id",),
                    "invalid-value",
                    f"rule id '{rule_id}' must use lower-case letters, digits, '.', '_' and '-'",
                )
            elif claim:
                self.symbols.claim(self, doc, path, "rule", rule_id)
        if "when" not in data:
            self.fail(doc, path, "missing-key", "a rule needs 'when'")
            return None
        if "then" not in data:
            self.fail(doc, path, "missing-key", "a rule needs 'then'")
            return None
        scope = _Scope(self.fields, None)
        raw_when = data["when"]
        if isinstance(raw_when, list):
            if not raw_when:
                self.fail(doc, path + ("when",), "invalid-value", "'when' needs at least one condition")
                return None
            parts = [self.condition(doc, path + ("when", i), c, scope) for i, c in enumerate(raw_when)]
            when: Condition | None = None if None in parts else AllOf(tuple(p for p in parts if p is not None))
        else:
            when = self.condition(doc, path + ("when",), raw_when, scope)
        # Aliases bound by facts matched in every case (not under any/not) may be referenced.
        bound: dict[str, str] = {}
        _bind_aliases(when, bound)
        self.check_refs(doc, path + ("when",), when, bound)
        raw_then = data["then"]
        if not isinstance(raw_then, list) or not raw_then:
            self.fail(doc, path + ("then",), "invalid-value", "'then' must be a list of one or more effects")
            return None
        effects = [self.effect(doc, path + ("then", i), e, bound) for i, e in enumerate(raw_then)]
        if len(self.problems) > before or None in (rule_id, title, cites, when) or None in effects:
            return None
        return Rule(rule_id, title, cites, when, tuple(effects), self.loc(doc, path))  # type: ignore[arg-type]

    def condition(self, doc: Document, path: tuple, raw: Any, scope: _Scope) -> Condition | None:
        if not isinstance(raw, dict):
            self.fail(doc, path, "invalid-value", f"a condition must be a mapping, got {_kind_name(raw)}")
            return None
        # With 'field', the keys any/all/none are quantifiers over a list, not forms.
        forms = ["field"] if "field" in raw and "fact" not in raw else [k for k in _CONDITION_FORMS if k in raw]
        if len(forms) != 1:
            what = "none of" if not forms else "more than one of"
            keys = ", ".join(raw) or "nothing"
            self.fail(
                doc, path, "invalid-condition", f"a condition has {what} field, fact, all, any, not (it has: {keys})"
            )
            return None
        form = forms[0]
        if form in ("all", "any"):
            self.mapping(doc, path, raw, (form,), f"an '{form}' condition")
            children = raw[form]
            if not isinstance(children, list) or not children:
                self.fail(doc, path + (form,), "invalid-value", f"'{form}' must be a list of one or more conditions")
                return None
            parsed = tuple(self.condition(doc, path + (form, i), c, scope) for i, c in enumerate(children))
            if None in parsed:
                return None
            return AllOf(parsed) if form == "all" else AnyOf(parsed)  # type: ignore[arg-type]
        if form == "not":
            self.mapping(doc, path, raw, ("not",), "a 'not' condition")
            child = self.condition(doc, path + ("not",), raw["not"], scope)
            return None if child is None else Not(child)
        if form == "fact":
            if scope.item is not None:
                self.fail(doc, path, "invalid-condition", "facts cannot be tested inside a list item's condition")
                return None
            return self.fact_test(doc, path, raw)
        return self.field_test(doc, path, raw, scope)

    def field_test(self, doc: Document, path: tuple, raw: dict, scope: _Scope) -> Condition | None:
        name = raw["field"]
        where = "this list's items" if scope.item else "the profile"
        if not isinstance(name, str):
            self.fail(doc, path + ("field",), "invalid-value", f"'field' must be a field path, got {_kind_name(name)}")
            return None
        spec = scope.fields.get(name)
        if spec is None:
            prefix = f"{scope.item}[]." if scope.item else ""
            hint = _hint(name, scope.fields)
            hint = hint.replace("'", f"'{prefix}", 1) if prefix and hint else hint
            self.fail(doc, path + ("field",), "unknown-field", f"'{prefix}{name}' is not a field of {where}{hint}")
            return None
        at = self.loc(doc, path)
        ops = [k for k in raw if k != "field"]
        if spec.kind == "list":
            allowed = ("field",) + (("count",) if spec.item_kind != "object" else ("any", "all", "none", "count"))
            quantifiers = [k for k in ops if k in ("any", "all", "none", "count")]
            if len(quantifiers) != 1:
                used = [k for k in ops if k in FIELD_OPERATORS]
                instead = f" (not {', '.join(repr(k) for k in used)})" if used and not quantifiers else ""
                self.fail(
                    doc,
                    path,
                    "invalid-condition",
                    f"'{name}' is a list: test it with exactly one of {', '.join(allowed[1:])}{instead}",
                )
                return None
            self.mapping(doc, path, raw, allowed, f"a condition on the list '{name}'")
            return self.list_test(doc, path, raw, spec, quantifiers[0], at)
        self.mapping(doc, path, raw, ("field",) + tuple(FIELD_OPERATORS), f"a condition on '{name}'")
        ops = [k for k in ops if k in FIELD_OPERATORS]
        if len(ops) != 1:
            self.fail(
                doc,
                path,
                "invalid-condition",
                f"a condition on '{name}' needs exactly one operator of {', '.join(FIELD_OPERATORS)}",
            )
            return None
        op = ops[0]
        value = self.field_value(doc, path + (op,), op, raw[op], spec)
        if value is None:
            return None
        return FieldTest(name, op, value, spec.kind, at, spec.computed)

    def field_value(self, doc: Document, path: tuple, op: str, value: Any, spec: FieldSpec) -> Any:
        name = spec.path
        if op == "present":
            if not isinstance(value, bool):
                self.fail(doc, path, "invalid-value", f"'present' takes true or false, got {value!r}")
                return None
            return value
        if spec.kind == "object":
            self.fail(
                doc,
                path,
                "invalid-condition",
                f"'{name}' is a group of fields: test 'present' or one of its fields (e.g. '{name}.{_first_child(name, self.fields)}')",
            )
            return None
        if op in ORDERING_OPERATORS and spec.kind not in ("int", "float", "date"):
            self.fail(
                doc,
                path,
                "invalid-condition",
                f"'{op}' compares numbers or dates, but '{name}' holds {_spec_kind(spec)}",
            )
            return None
        if op in ("in", "not_in"):
            if not isinstance(value, list) or not value:
                self.fail(
                    doc, path, "invalid-value", f"'{op}' takes a list of one or more values, got {_kind_name(value)}"
                )
                return None
            checked = [self.scalar(doc, path + (i,), v, spec) for i, v in enumerate(value)]
            return None if any(c is None for c in checked) else tuple(checked)
        return self.scalar(doc, path, value, spec)

    def scalar(self, doc: Document, path: tuple, value: Any, spec: FieldSpec, kind: str | None = None) -> Any:
        kind = kind or spec.kind
        choices = spec.item_choices if kind != spec.kind else spec.choices
        name = spec.path
        if kind == "bool":
            if isinstance(value, bool):
                return value
            expect = "true or false"
        elif kind in ("int", "float"):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return value
            expect = "a number"
        elif kind == "text":
            if isinstance(value, str):
                return value if self.plain(doc, path, value, f"a value for '{name}'") else None
            expect = "text"
        elif kind == "choice":
            if isinstance(value, str) and value in choices:
                return value
            if isinstance(value, str):
                self.fail(
                    doc,
                    path,
                    "invalid-value",
                    f"'{value}' is not a value of '{name}'{_hint(value, choices)}; use one of {', '.join(choices)}",
                )
                return None
            expect = f"one of {', '.join(choices)}"
        elif kind == "date":
            if isinstance(value, dt.date):
                return value
            if isinstance(value, str):
                match = _RELATIVE.match(value.strip())
                if match:
                    sign, days = match.groups()
                    return RelativeDate(0 if days is None else int(days) * (-1 if sign == "-" else 1))
            expect = "a date (YYYY-MM-DD) or today, today+N, today-N"
        else:  # pragma: no cover - every field kind is handled above
            expect = kind
        note = _VERSION_1_NOTES.get(name, "") if isinstance(value, bool) else ""
        self.fail(doc, path, "invalid-value", f"'{name}' holds {expect}, got {_kind_name(value)} {value!r}{note}")
        return None

    def list_test(
        self, doc: Document, path: tuple, raw: dict, spec: FieldSpec, quantifier: str, at: Location
    ) -> Condition | None:
        item_scope = _Scope(spec.item_fields, spec.path)
        if quantifier != "count":
            item = self.condition(doc, path + (quantifier,), raw[quantifier], item_scope)
            return None if item is None else ListTest(spec.path, quantifier, item, None, None, at)  # type: ignore[arg-type]
        count = raw["count"]
        allowed = (("where",) if spec.item_kind == "object" else ()) + COUNT_OPERATORS
        data = self.mapping(doc, path + ("count",), count, allowed, "'count'")
        if data is None:
            return None
        ops = [k for k in data if k in COUNT_OPERATORS]
        if len(ops) != 1:
            self.fail(
                doc,
                path + ("count",),
                "invalid-condition",
                f"'count' needs exactly one of {', '.join(COUNT_OPERATORS)}",
            )
            return None
        bound = data[ops[0]]
        if isinstance(bound, bool) or not isinstance(bound, int) or bound < 0:
            self.fail(
                doc,
                path + ("count", ops[0]),
                "invalid-value",
                f"a count is compared with a whole number, got {bound!r}",
            )
            return None
        item = None
        if "where" in data:
            item = self.condition(doc, path + ("count", "where"), data["where"], item_scope)
            if item is None:
                return None
        return ListTest(spec.path, "count", item, ops[0], bound, at)

    def fact_test(self, doc: Document, path: tuple, raw: dict) -> Condition | None:
        data = self.mapping(doc, path, raw, ("fact", "as", "where"), "a fact condition")
        if data is None:
            return None
        name = data["fact"]
        if not isinstance(name, str) or name not in self.fact_types:
            shown = name if isinstance(name, str) else _kind_name(name)
            self.fail(
                doc,
                path + ("fact",),
                "unknown-fact",
                f"fact '{shown}' is not declared under 'facts'{_hint(str(name), self.fact_types)}",
            )
            return None
        ftype = self.fact_types[name]
        alias = data.get("as")
        if alias is not None and (not isinstance(alias, str) or not _ALIAS.match(alias)):
            self.fail(doc, path + ("as",), "invalid-value", "'as' must be a short lower-case name such as 'step'")
            return None
        tests: list[AttrTest] = []
        where = data.get("where", {})
        if not isinstance(where, dict):
            self.fail(doc, path + ("where",), "invalid-value", "'where' must map attribute names to tests")
            return None
        kinds = dict(ftype.attributes)
        ok = True
        for attr, test in where.items():
            apath = path + ("where", attr)
            if attr not in kinds:
                known = ", ".join(kinds) or "no attributes"
                self.fail(
                    doc,
                    apath,
                    "unknown-attribute",
                    f"fact '{name}' has no attribute '{attr}'{_hint(attr, kinds)} (it has {known})",
                )
                ok = False
                continue
            if isinstance(test, dict) and "ref" not in test:
                if len(test) != 1 or next(iter(test)) not in FIELD_OPERATORS or next(iter(test)) == "present":
                    self.fail(
                        doc,
                        apath,
                        "invalid-condition",
                        f"a test on '{attr}' is a value, {{ref: alias.attribute}}, or one operator of is, is_not, below, at_most, above, at_least, in, not_in",
                    )
                    ok = False
                    continue
                op, value = next(iter(test.items()))
                vpath = apath + (op,)
            else:
                op, value, vpath = "is", test, apath
            parsed = self.attr_value(doc, vpath, op, value, kinds[attr], attr)
            if parsed is None:
                ok = False
            else:
                tests.append(AttrTest(attr, op, parsed))
        if not ok:
            return None
        return FactTest(name, alias, tuple(tests), self.loc(doc, path))

    def attr_value(self, doc: Document, path: tuple, op: str, value: Any, kind: str, attr: str) -> Any:
        if isinstance(value, dict):
            if set(value) != {"ref"} or not isinstance(value["ref"], str) or value["ref"].count(".") != 1:
                self.fail(doc, path, "invalid-value", "a join is written {ref: alias.attribute}")
                return None
            if op in ("in", "not_in"):
                self.fail(doc, path, "invalid-condition", f"'{op}' takes a list of values, not a join")
                return None
            if op in ORDERING_OPERATORS and kind != "number":
                self.fail(doc, path, "invalid-condition", f"'{op}' compares numbers, but '{attr}' is {kind}")
                return None
            alias, attribute = value["ref"].split(".")
            return Ref(alias, attribute)
        if op in ORDERING_OPERATORS and kind != "number":
            self.fail(doc, path, "invalid-condition", f"'{op}' compares numbers, but '{attr}' is {kind}")
            return None
        values = value if op in ("in", "not_in") else [value]
        if op in ("in", "not_in") and (not isinstance(value, list) or not value):
            self.fail(doc, path, "invalid-value", f"'{op}' takes a list of one or more values")
            return None
        for v in values:
            good = (
                (kind == "flag" and isinstance(v, bool))
                or (kind == "number" and isinstance(v, (int, float)) and not isinstance(v, bool))
                or (kind == "text" and isinstance(v, str))
            )
            if not good:
                self.fail(doc, path, "invalid-value", f"attribute '{attr}' holds {kind}, got {_kind_name(v)} {v!r}")
                return None
            if isinstance(v, str) and not self.plain(doc, path, v, f"a value for attribute '{attr}'"):
                return None
        return tuple(values) if op in ("in", "not_in") else value

    def check_refs(self, doc: Document, path: tuple, cond: Condition | None, bound: dict[str, str]) -> None:
        for test in _fact_tests(cond):
            for attr in test.where:
                if isinstance(attr.value, Ref):
                    self.check_ref(
                        doc,
                        path,
                        attr.value,
                        bound,
                        dict(self.fact_types[test.name].attributes)[attr.attribute],
                        test.at,
                    )

    def check_ref(
        self, doc: Document, path: tuple, ref: Ref, bound: dict[str, str], want_kind: str | None, at: Location | None
    ) -> bool:
        def problem_at(code: str, message: str) -> None:
            if at is not None:
                self.problems.append(Problem(at.file, at.line, at.column, code, message))
            else:
                self.fail(doc, path, code, message)

        if ref.alias not in bound:
            problem_at(
                "unknown-alias",
                f"'{ref}' refers to '{ref.alias}', but no fact outside 'any' and 'not' in this rule is named '{ref.alias}' (add 'as: {ref.alias}' to one)",
            )
            return False
        kinds = dict(self.fact_types[bound[ref.alias]].attributes)
        if ref.attribute not in kinds:
            problem_at(
                "unknown-attribute",
                f"fact '{bound[ref.alias]}' (as '{ref.alias}') has no attribute '{ref.attribute}'{_hint(ref.attribute, kinds)}",
            )
            return False
        if want_kind is not None and kinds[ref.attribute] != want_kind:
            problem_at("invalid-value", f"'{ref}' holds {kinds[ref.attribute]}, not {want_kind}")
            return False
        return True

    def effect(self, doc: Document, path: tuple, raw: Any, bound: dict[str, str]) -> Effect | None:
        if not isinstance(raw, dict) or len([k for k in raw if k in _EFFECT_FORMS]) != 1:
            self.fail(doc, path, "invalid-effect", f"an effect is one of {', '.join(_EFFECT_FORMS)}")
            return None
        form = next(k for k in raw if k in _EFFECT_FORMS)
        extra = [k for k in raw if k != form and not (form == "recommend" and k in ("impact", "tier"))]
        for key in extra:
            self.fail(
                doc,
                path + (key,),
                "unknown-key",
                f"'{key}' is not a key of a '{form}' effect{_hint(key, _EFFECT_FORMS)}",
            )
        if extra:
            return None
        value = raw[form]
        at = self.loc(doc, path)
        if form == "derive":
            return self.derive(doc, path + (form,), value, bound, at)
        if form == "hold":
            if isinstance(value, dict):
                data = self.mapping(doc, path + (form,), value, ("action",), "'hold'")
                if data is None:
                    return None
                action = self.action_ref(doc, path + (form, "action"), data.get("action"))
            else:
                action = self.action_ref(doc, path + (form,), value)
            return None if action is None else Hold(action, at)
        if form == "recommend":
            impact = raw.get("impact")
            tier_data: dict = raw
            if isinstance(value, dict):
                data = self.mapping(doc, path + (form,), value, ("action", "impact", "tier"), "'recommend'")
                if data is None:
                    return None
                value, impact, tier_data = data.get("action"), data.get("impact", impact), data
            tier = self.tier(doc, path + ((form,) if tier_data is not raw else ()), tier_data, default=None)
            if "tier" in tier_data and tier is None:
                return None
            if impact is not None and (isinstance(impact, bool) or not isinstance(impact, int) or not 1 <= impact <= 5):
                self.fail(
                    doc, path + (form,), "invalid-value", f"'impact' must be a whole number from 1 to 5, got {impact!r}"
                )
                return None
            action = self.action_ref(doc, path + (form,), value)
            return None if action is None else Recommend(action, impact, at, tier)
        data = self.mapping(doc, path + (form,), value, ("action", "by"), f"'{form}'")
        if data is None:
            return None
        action = self.action_ref(doc, path + (form, "action"), data.get("action"))
        by = self.number(doc, path + (form,), data, "by", 0.01, 100)
        if action is None or by is None:
            return None
        return Adjust(action, float(by) if form == "boost" else -float(by), at)

    def tier(self, doc: Document, path: tuple, data: dict, default: str | None = DEFAULT_TIER) -> str | None:
        """The ``tier`` of an action or a recommendation: one of the named tiers."""
        if "tier" not in data:
            return default
        value = data["tier"]
        if not isinstance(value, str) or value not in TIERS:
            shown = value if isinstance(value, str) else _kind_name(value)
            self.fail(
                doc,
                path + ("tier",),
                "invalid-value",
                f"'{shown}' is not a tier{_hint(str(shown), TIERS)}; use one of {', '.join(TIERS)}",
            )
            return None
        return value

    def read_framework(self, doc: Document, path: tuple, item: Any) -> Framework | None:
        """``{name: NAME, open: FACT}``: the framework's steps, open while FACT(step=N) is derived."""
        data = self.mapping(doc, path, item, ("name", "open"), "a framework")
        if data is None:
            return None
        name = self.text(doc, path, data, "name", "a framework")
        fact = self.text(doc, path, data, "open", "a framework")
        if name is None or fact is None:
            return None
        if name not in self.symbols.frameworks_in_use():
            used = sorted(self.symbols.frameworks_in_use())
            self.fail(
                doc,
                path + ("name",),
                "unknown-framework",
                f"no action's step is in framework '{name}'{_hint(name, used)}",
            )
            return None
        if not self.symbols.claim(self, doc, path, "framework", name):
            return None
        ftype = self.fact_types.get(fact)
        if ftype is None:
            self.fail(
                doc,
                path + ("open",),
                "unknown-fact",
                f"fact '{fact}' is not declared under 'facts'{_hint(fact, self.fact_types)}",
            )
            return None
        if dict(ftype.attributes).get("step") != "number":
            self.fail(
                doc,
                path + ("open",),
                "invalid-value",
                f"fact '{fact}' needs a number attribute 'step' to mark a framework's open steps",
            )
            return None
        framework = Framework(name, fact, self.loc(doc, path))
        self.symbols.frameworks[name] = framework
        return framework

    def read_retired(self, doc: Document, path: tuple, item: Any) -> Retired | None:
        """``{rule: OLD, successor: NEW}`` or ``{action: OLD, successor: NEW}``: OLD now means NEW."""
        data = self.mapping(doc, path, item, ("rule", "action", "successor"), "a retired id")
        if data is None:
            return None
        kinds = [k for k in ("rule", "action") if k in data]
        if len(kinds) != 1:
            self.fail(doc, path, "invalid-value", "a retired id names exactly one of 'rule' or 'action'")
            return None
        kind = kinds[0]
        old = self.text(doc, path, data, kind, "a retired id")
        new = self.text(doc, path, data, "successor", "a retired id")
        if old is None or new is None:
            return None
        live: dict[str, Any] = self.symbols.rules if kind == "rule" else self.actions
        if old in live:
            self.fail(
                doc,
                path + (kind,),
                "duplicate-id",
                f"{kind} '{old}' is retired here but still defined at {live[old].at}",
            )
            return None
        if old in self.symbols.retired:
            self.fail(
                doc,
                path + (kind,),
                "duplicate-id",
                f"{kind} '{old}' is already retired at {self.symbols.retired[old].at}",
            )
            return None
        if new not in live:
            self.fail(
                doc,
                path + ("successor",),
                f"unknown-{kind}",
                f"the successor of '{old}' must be a {kind} of the pack, but '{new}' is not{_hint(new, live)}",
            )
            return None
        retired = Retired(kind, old, new, self.loc(doc, path))  # type: ignore[arg-type]
        self.symbols.retired[old] = retired
        return retired

    def action_ref(self, doc: Document, path: tuple, value: Any) -> str | None:
        if not isinstance(value, str) or value not in self.actions:
            shown = value if isinstance(value, str) else _kind_name(value)
            self.fail(
                doc,
                path,
                "unknown-action",
                f"action '{shown}' is not in the action catalog{_hint(str(value), self.actions)}",
            )
            return None
        return value

    def derive(self, doc: Document, path: tuple, value: Any, bound: dict[str, str], at: Location) -> Derive | None:
        name: Any
        if isinstance(value, str):
            name, given = value, {}
        elif isinstance(value, dict):
            data = self.mapping(doc, path, value, ("fact", "with"), "'derive'")
            if data is None:
                return None
            name, given = data.get("fact"), data.get("with", {})
            if not isinstance(given, dict):
                self.fail(doc, path + ("with",), "invalid-value", "'with' must map attribute names to values")
                return None
        else:
            self.fail(doc, path, "invalid-value", "'derive' takes a fact name or {fact: NAME, with: {...}}")
            return None
        if not isinstance(name, str) or name not in self.fact_types:
            self.fail(
                doc,
                path,
                "unknown-fact",
                f"fact '{name}' is not declared under 'facts'{_hint(str(name), self.fact_types)}",
            )
            return None
        kinds = dict(self.fact_types[name].attributes)
        ok = True
        for attr in kinds:
            if attr not in given:
                self.fail(doc, path, "missing-key", f"deriving '{name}' needs a value for '{attr}'")
                ok = False
        attrs: list[tuple[str, Any]] = []
        for attr, v in given.items():
            if attr not in kinds:
                self.fail(
                    doc,
                    path + ("with", attr),
                    "unknown-attribute",
                    f"fact '{name}' has no attribute '{attr}'{_hint(attr, kinds)}",
                )
                ok = False
                continue
            parsed = self.attr_value(doc, path + ("with", attr), "is", v, kinds[attr], attr)
            if parsed is None:
                ok = False
            elif isinstance(parsed, Ref) and not self.check_ref(
                doc, path + ("with", attr), parsed, bound, kinds[attr], None
            ):
                ok = False
            else:
                attrs.append((attr, parsed))
        return Derive(name, tuple(sorted(attrs)), at) if ok else None


class _Scope:
    """What a condition can name: the profile's fields, or one list's item fields."""

    def __init__(self, fields: dict[str, FieldSpec], item: str | None) -> None:
        self.fields = fields
        self.item = item


def _first_child(path: str, fields: dict[str, FieldSpec]) -> str:
    for name in fields:
        if name.startswith(path + "."):
            return name[len(path) + 1 :].split(".")[0]
    return "..."


def _spec_kind(spec: FieldSpec) -> str:
    return {"bool": "true/false", "text": "text", "choice": "a choice", "object": "a group of fields"}.get(
        spec.kind, spec.kind
    )


def _fact_tests(cond: Condition | None) -> Iterable[FactTest]:
    return (c for c in walk(cond) if isinstance(c, FactTest)) if cond is not None else ()


def _bind_aliases(cond: Condition | None, bound: dict[str, str]) -> None:
    if isinstance(cond, FactTest) and cond.alias:
        bound.setdefault(cond.alias, cond.name)
    elif isinstance(cond, AllOf):
        for child in cond.children:
            _bind_aliases(child, bound)


def action_data(action: Action) -> dict[str, Any]:
    """An action as the mapping a rule file would hold (so that an override can change some fields)."""
    data: dict[str, Any] = {
        "id": action.id,
        "title": action.title,
        "do": action.do,
        "evidence": action.evidence,
        "done_when": action.done_when,
        "effort": action.effort,
        "impact": action.impact,
        "lead_time_months": action.lead_time_months,
        "priorities": list(action.priorities),
        "tier": action.tier,
    }
    if action.step is not None:
        data["step"] = {
            "framework": action.step.framework,
            "order": action.step.order,
            "starts_with": action.step.starts_with,
        }
    if action.cites is not None:
        data["cites"] = action.cites
    return data
