"""The profile's fields as rule conditions see them: dotted paths, kinds and choices.

Built by introspecting :class:`goalpath.profile.Profile`, so the rule checker and the
profile can never disagree about what a field is called or what it holds.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Union

from pydantic import BaseModel

from .profile import Profile

Kind = Literal["bool", "int", "float", "text", "choice", "date", "object", "list"]


@dataclass(frozen=True)
class FieldSpec:
    """One profile field: its dotted path, kind, allowed choices and (for lists) items."""

    path: str
    kind: Kind
    choices: tuple[str, ...] = ()
    item_kind: Kind | None = None
    item_choices: tuple[str, ...] = ()
    item_fields: dict[str, FieldSpec] = field(default_factory=dict, compare=False)
    computed: bool = False  # a method of the model ``(self, as_of) -> value``, never set by a profile


def _strip_optional(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _strip_optional(args[0])
    if origin is typing.Annotated:
        return _strip_optional(typing.get_args(annotation)[0])
    return annotation


def _kind_of(annotation: Any) -> tuple[Kind, tuple[str, ...]]:
    annotation = _strip_optional(annotation)
    origin = typing.get_origin(annotation)
    if origin is Literal:
        values = typing.get_args(annotation)
        if all(isinstance(v, str) for v in values):
            return "choice", tuple(values)
        return "int", ()
    if origin in (list, tuple):
        return "list", ()
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return "object", ()
        if annotation is bool:
            return "bool", ()
        if annotation is int:
            return "int", ()
        if annotation is float:
            return "float", ()
        if annotation is str:
            return "text", ()
        if annotation is dt.date:
            return "date", ()
    raise TypeError(f"profile field type {annotation!r} has no rule kind")


def _walk(model: type[BaseModel], prefix: str, out: dict[str, FieldSpec]) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        kind, choices = _kind_of(info.annotation)
        if kind == "list":
            item_annotation = typing.get_args(_strip_optional(info.annotation))[0]
            item_kind, item_choices = _kind_of(item_annotation)
            item_fields: dict[str, FieldSpec] = {}
            if item_kind == "object":
                _walk(_strip_optional(item_annotation), "", item_fields)
            out[path] = FieldSpec(path, kind, (), item_kind, item_choices, item_fields)
            continue
        out[path] = FieldSpec(path, kind, choices)
        if kind == "object":
            _walk(_strip_optional(info.annotation), path + ".", out)
    for name, member in computed_fields(model).items():
        out[f"{prefix}{name}"] = FieldSpec(f"{prefix}{name}", member.computed_kind, computed=True)


def computed_fields(model: type[BaseModel]) -> dict[str, Any]:
    """The computed fields a model declares (methods marked with ``profile.computed``), in order."""
    return {name: member for name, member in vars(model).items() if hasattr(member, "computed_kind")}


@functools.lru_cache(maxsize=None)
def profile_fields() -> dict[str, FieldSpec]:
    """Every dotted field path of the profile, mapped to its spec."""
    out: dict[str, FieldSpec] = {}
    _walk(Profile, "", out)
    return out
