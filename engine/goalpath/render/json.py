"""JSON for programs: the full result, byte-identical for identical input."""

from __future__ import annotations

from pydantic import BaseModel


def render_json(model: BaseModel) -> str:
    """A result (or any result model, such as a plan) as indented JSON with a final newline."""
    return model.model_dump_json(indent=2) + "\n"
