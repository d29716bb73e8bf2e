"""``goalpath validate`` and ``goalpath schema``: checking profiles, and the formats for other programs."""

from __future__ import annotations

import json

import click

from ..schemas import profile_schema, result_schema
from . import cli
from .commands import short_help
from .common import EXIT_CODES, emit, output_options, profile_argument, read_profile


@cli.command(epilog=EXIT_CODES, short_help=short_help("validate"))
@profile_argument
def validate(profile: str) -> None:
    """Check PROFILE (YAML or JSON; - reads standard input) and report every problem at once.

    \b
    Example:
      goalpath validate me.yaml
    """
    loaded = read_profile(profile)
    click.echo(f"{'<stdin>' if profile == '-' else profile}: a valid profile (schema version {loaded.schema_version}).")


@cli.command(epilog=EXIT_CODES, short_help=short_help("schema"))
@click.argument("kind", type=click.Choice(["profile", "result", "plan", "explanation"]))
@output_options
def schema(kind: str, output: str | None, force: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of KIND.

    profile is the profile file format (versions 1 and 2, as goalpath reads them);
    result, plan and explanation are what `recommend`, `plan` and `explain` write
    with --format json.

    \b
    Example:
      goalpath schema profile --output profile.schema.json
    """
    document = profile_schema() if kind == "profile" else result_schema(kind)
    emit(json.dumps(document, indent=2, ensure_ascii=False) + "\n", output, force)
