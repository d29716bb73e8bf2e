"""Print the profile field reference (docs/profile.md) as Markdown, built from the profile model.

Paths and kinds come from ``goalpath.fields.profile_fields()`` (what rules see);
descriptions and defaults come from the pydantic fields, whose descriptions are the
attribute docstrings in ``engine/goalpath/profile.py``. Fields appear in the order the
model declares them, so the output is the same on every run.

Regenerate the page after changing the profile model:

    python docs/profile_reference.py > docs/profile.md
"""

from __future__ import annotations

import inspect
import sys
import types
import typing
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from goalpath.fields import FieldSpec, computed_fields, profile_fields
from goalpath.profile import SCHEMA_VERSION, VERSION_CHANGES, Profile, Text, describe_fields

INTRO = """\
# Profile reference

A profile describes one career goal: what you want, by when, what evidence you already
have and how you work towards it. goalpath reads it and recommends the next actions.
This page lists every field a profile can hold. It is generated from the profile model
by `docs/profile_reference.py`; do not edit it by hand.

## Writing a profile

- Write the profile as YAML (`me.yaml`) or JSON (`me.json`). The only field you must
  fill in is `goal.priority`; leave out anything you do not know yet, and the default
  in the tables below applies.
- Start the file with `schema_version: {schema_version}`. A version 1 file (or one with no
  `schema_version`) is upgraded as it is read, so it keeps its meaning; a file written
  for any other version is refused rather than misread (see "Versions" at the end).
- Set `as_of` to the date the profile describes. Checkpoint dates and deadlines are
  judged against it; without it goalpath uses today's date. The command line's
  `--as-of` option overrides both.
- Write dates as `YYYY-MM-DD`, for example `2027-03-31` (in JSON, as a string:
  `"2027-03-31"`).
- Values are taken as written, never converted: a number in quotes (`"2"`) is refused,
  and a true-false field takes only `true` or `false`. Answers such as `yes`, `partly`
  and `no` are text, so `yes` and `no` need no quotes (goalpath reads YAML 1.2, where
  only `true` and `false` are true-false).
- Text fields take {text_limits} characters.
- Unknown keys are refused, with a did-you-mean for a likely typo, so a misspelt field
  is reported instead of silently ignored. Every problem is reported as
  `file:line:column: code: message`, all at once.
- A list holds one entry per item. In the tables, a list's item fields are written
  with `[]`, for example `goal.checkpoints[].due` is the `due` field of each checkpoint.

A small profile:

```yaml
schema_version: {schema_version}
name: Ada Example
as_of: 2026-11-01
goal:
  priority: promotion
  outcome: Lead the data platform team of six by December 2027
  horizon_months: 13
  checkpoints:
    - {{name: Baseline written down, due: 2027-01-31, indicator: One page of results shared with my manager}}
audit:
  specific_outcome: yes
  feedback_source: partly
habits:
  weekly_practice_minutes: 60
  review_cadence: monthly
```

The files in `fixtures/*.yaml` are complete worked examples, one per kind of situation.
Check a profile with `goalpath recommend me.yaml`: a profile with problems prints each
one and exits with code 1.

For people writing rules: conditions name fields by the same dotted paths
(`field: goal.horizon_months`). A list's item fields are named relative to the item
inside `any`, `all`, `none` or `count` (see [rule-language.md](rule-language.md)).
"""

COMPUTED = """\
## Computed fields

For people writing rules. goalpath works these out from the fields above and the as-of
date; a rule tests them like any other field (`{field: goal.months_left, at_most: 6}`),
and a profile never sets them (writing one is refused as an unknown field).
"""

VERSIONS = """\
## Versions

A file says which version of this format it was written for in `schema_version`. Files
written for an older version are upgraded as they are read, so they keep their meaning.
"""

_KIND_WORDS = {"bool": "true-false", "int": "whole number", "float": "number", "text": "text", "date": "date"}


def _strip_optional(annotation: Any) -> Any:
    """``X`` for ``X | None``; anything else unchanged."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, directly, optionally or as list items."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def field_info(path: str) -> FieldInfo:
    """The pydantic field behind a reference path such as ``goal.checkpoints[].due``."""
    model: type[BaseModel] | None = Profile
    info: FieldInfo | None = None
    for part in path.split("."):
        if model is None:
            raise KeyError(path)
        info = model.model_fields[part.removesuffix("[]")]
        model = _model_in(info.annotation)
    if info is None:
        raise KeyError(path)
    return info


def _constraints(info: FieldInfo) -> dict[str, Any]:
    """Bounds declared on a field, including those inside ``Annotated[...] | None``."""
    found: dict[str, Any] = {}
    pending: list[Any] = list(info.metadata)
    annotation = _strip_optional(info.annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        pending.extend(typing.get_args(annotation)[1:])
    for item in pending:
        if isinstance(item, FieldInfo):
            pending.extend(item.metadata)
            continue
        for name in ("ge", "le", "min_length", "max_length"):
            value = getattr(item, name, None)
            if value is not None:
                found[name] = value
    return found


def _choices(values: tuple[Any, ...]) -> str:
    return "one of: " + ", ".join(f"`{v}`" for v in values)


def _type_words(spec: FieldSpec, info: FieldInfo) -> str:
    if spec.kind == "choice":
        return _choices(spec.choices)
    if spec.kind == "object":
        return "group of the fields below"
    if spec.kind == "list":
        if spec.item_kind == "object":
            return "list of entries with the fields below"
        if spec.item_kind == "choice":
            return "list of " + _choices(spec.item_choices)
        return "list of " + _KIND_WORDS[spec.item_kind or "text"]
    annotation = _strip_optional(info.annotation)
    if typing.get_origin(annotation) is Literal:
        return "whole number, always " + " or ".join(f"`{v}`" for v in typing.get_args(annotation))
    words = _KIND_WORDS[spec.kind]
    bounds = _constraints(info)
    if spec.kind in ("int", "float") and "ge" in bounds and "le" in bounds:
        words += f", {bounds['ge']} to {bounds['le']}"
    return words


def _default_words(info: FieldInfo) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if value is None or value == []:
        return "empty"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    return f"`{value}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _rows(specs: dict[str, FieldSpec], prefix: str) -> list[tuple[str, FieldSpec]]:
    """Every field under ``specs`` in declaration order, list items as ``path[].field``."""
    rows = []
    for name, spec in specs.items():
        if spec.computed:
            continue
        path = prefix + name
        rows.append((path, spec))
        if spec.kind == "list" and spec.item_fields:
            rows.extend(_rows(spec.item_fields, path + "[]."))
    return rows


def _table(rows: list[tuple[str, FieldSpec]]) -> list[str]:
    lines = ["| Field | Type | Default | What to put there |", "|---|---|---|---|"]
    for path, spec in rows:
        info = field_info(path)
        cells = [f"`{path}`", _cell(_type_words(spec, info)), _default_words(info), _cell(info.description or "")]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _section_note(spec: FieldSpec, info: FieldInfo) -> str:
    if info.is_required():
        return "Required."
    if spec.kind == "list":
        return "Optional: a list with one entry per item; leave it out for none."
    return "Optional: leave it out, or any field in it, to take the defaults."


def render() -> str:
    """The whole of docs/profile.md."""
    describe_fields()
    fields = profile_fields()
    text_bounds = _constraints(FieldInfo.from_annotation(Text))
    out = [
        INTRO.format(
            schema_version=SCHEMA_VERSION,
            text_limits=f"{text_bounds['min_length']} to {text_bounds['max_length']}",
        ).rstrip("\n")
    ]
    top = [(path, spec) for path, spec in fields.items() if "." not in path]
    plain = [(path, spec) for path, spec in top if spec.kind not in ("object", "list")]
    out += ["", "## Top level", "", "The fields at the top of the file, outside any group.", ""]
    out += _table(plain)
    for path, spec in top:
        if spec.kind not in ("object", "list"):
            continue
        info = field_info(path)
        out += ["", f"## {path}", "", _cell(info.description or ""), "", _section_note(spec, info), ""]
        if spec.kind == "list":
            rows = _rows(spec.item_fields, path + "[].")
        else:
            rows = _rows({p[len(path) + 1 :]: s for p, s in fields.items() if p.startswith(path + ".")}, path + ".")
        out += _table(rows)
    out += ["", COMPUTED.rstrip("\n"), "", "| Field | Type | What it holds |", "|---|---|---|"]
    for path, kind, about in _computed_rows(Profile, ""):
        out.append(f"| `{path}` | {_KIND_WORDS[kind]} | {_cell(about)} |")
    out += ["", VERSIONS.rstrip("\n"), ""]
    out += [f"- **Version {v}.** {_cell(words)}" for v, words in sorted(VERSION_CHANGES.items())]
    return "\n".join(out) + "\n"


def _computed_rows(model: type[BaseModel], prefix: str) -> list[tuple[str, str, str]]:
    """(path, kind, description) of every computed field, in model order, lists as ``path[].field``."""
    rows = [(prefix + name, fn.computed_kind, inspect.getdoc(fn) or "") for name, fn in computed_fields(model).items()]
    for name, info in model.model_fields.items():
        inner = _model_in(info.annotation)
        if inner is not None:
            many = typing.get_origin(_strip_optional(info.annotation)) in (list, tuple)
            rows += _computed_rows(inner, f"{prefix}{name}{'[]' if many else ''}.")
    return rows


if __name__ == "__main__":
    # Bytes, so the page is UTF-8 with \n line ends whatever the console's settings.
    sys.stdout.buffer.write(render().encode("utf-8"))
