"""JSON Schemas other applications can use: the profile file format, and the results.

The profile schema describes what goalpath reads: the current version, and version 1
files, which are upgraded as they are read (``schema_version`` 1, ``family_constraints``
true or false). The result schemas are the JSON that ``--format json`` writes.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

from .profile import Profile, describe_fields
from .results import Explanation, Plan, Result

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def profile_schema() -> dict[str, Any]:
    """The JSON Schema of a profile file (YAML or JSON), versions 1 and 2."""
    describe_fields()
    schema = copy.deepcopy(Profile.model_json_schema(mode="validation"))
    version = schema["properties"]["schema_version"]
    version.pop("const", None)
    version["enum"] = [1, 2]
    family = schema["$defs"]["Mobility"]["properties"]["family_constraints"]
    choices = {key: family.pop(key) for key in ("enum", "type") if key in family}
    family["anyOf"] = [choices, {"type": "boolean", "description": "Version 1: true or false."}]
    return {"$schema": DIALECT, "$id": "https://goalpath.invalid/schema/profile.json", **schema}


def result_schema(kind: str = "result") -> dict[str, Any]:
    """The JSON Schema of what ``recommend`` (``result``), ``plan`` or ``explain`` writes as JSON."""
    models: dict[str, type[BaseModel]] = {"result": Result, "plan": Plan, "explanation": Explanation}
    model = models[kind]
    schema = model.model_json_schema(mode="serialization")
    return {"$schema": DIALECT, "$id": f"https://goalpath.invalid/schema/{kind}.json", **schema}
