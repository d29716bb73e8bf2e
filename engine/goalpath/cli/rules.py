"""``goalpath rules ...``: for coaches who write rule packs. Check a stack of packs, run
its scenario tests with coverage, read its rules as sentences, and see what a change
does to a set of profiles."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from .. import __version__
from ..errors import GoalpathError, Problem
from ..loader import check as check_stack
from ..loader import pack_paths, sources
from ..loader.reader import _hint
from ..packs import diagnostics, scenarios, testreport
from ..packs import diff as impact
from ..packs.sentences import rule_sentence
from ..rules import Recommend, RulePack
from . import cli
from .commands import short_help
from .common import EXIT_BAD_INPUT, EXIT_CODES, Packs, emit, stack_options, width

#: The word that stands for "no pack on top" on either side of ``rules diff``.
BUILTIN_ONLY = "builtin"


@cli.group(epilog=EXIT_CODES, short_help=short_help("rules"))
def rules() -> None:
    """Tools for writing rule packs: check, test, list, show, diff.

    A pack is a directory of rule files with a pack.yaml manifest (see
    docs/authoring.md). Packs stack on the built-in pack, later ones on top.

    \b
    Example:
      goalpath rules check my-pack/
      goalpath rules test my-pack/
      goalpath rules show my-rule-id --rules my-pack/
    """


def _no_builtin(command):  # type: ignore[no-untyped-def]
    return click.option(
        "--no-builtin",
        "no_builtin",
        is_flag=True,
        help="Leave out the built-in pack: the first PACK is the bottom one.",
    )(command)


def _stack(given: tuple[str, ...], no_builtin: bool) -> Packs:
    return Packs(tuple(str(p) for p in pack_paths(given)), not no_builtin)


@rules.command("check", epilog=EXIT_CODES, short_help="Report every problem in a stack of packs.")
@click.argument("packs", nargs=-1, metavar="[PACK]...", type=click.Path(path_type=str))
@_no_builtin
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
def check(packs: tuple[str, ...], no_builtin: bool, fmt: str, strict: bool) -> None:
    """Check each PACK stacked on the built-in pack, and print every problem in every file.

    Problems are sorted by file and line, each as file:line:col: code: message with the
    line and a caret, then a count. Errors stop a pack from loading; warnings (unused
    actions, facts nobody derives, conditions that can never be true, shadowed changes)
    do not. Exits 1 if there is an error (with --strict, any problem).

    \b
    Example:
      goalpath rules check my-pack/
      goalpath rules check my-pack/ --format sarif > goalpath.sarif
    """
    stack = _stack(packs, no_builtin)
    problems = check_stack(list(stack.paths), builtin=stack.builtin)
    files = sources(list(stack.paths), builtin=stack.builtin)
    count = len({f for f in files if not f.endswith("pack.yaml")}) or len(stack.paths)
    if fmt == "json":
        click.echo(diagnostics.render_json(problems, count), nl=False)
    elif fmt == "sarif":
        click.echo(diagnostics.render_sarif(problems, __version__), nl=False)
    else:
        click.echo(diagnostics.render_text(problems, files, count), nl=False)
    if any(p.severity == "error" for p in problems) or (strict and problems):
        click.get_current_context().exit(EXIT_BAD_INPUT)


@rules.command("test", epilog=EXIT_CODES, short_help="Run a pack's scenarios, with coverage.")
@click.argument("packs", nargs=-1, metavar="[PACK]...", type=click.Path(path_type=str))
@_no_builtin
@click.option(
    "--scenarios",
    "extra",
    multiple=True,
    type=click.Path(path_type=str),
    metavar="PATH",
    help="More scenario files or directories, run on the whole stack (repeatable).",
)
@click.option(
    "--junit", type=click.Path(dir_okay=False, path_type=str), metavar="FILE", help="Also write a JUnit XML report."
)
@click.option("--force", is_flag=True, help="Overwrite the --junit file if it exists.")
@click.option("--no-coverage", is_flag=True, help="Leave out the coverage report.")
def test(
    packs: tuple[str, ...], no_builtin: bool, extra: tuple[str, ...], junit: str | None, force: bool, no_coverage: bool
) -> None:
    """Run the scenarios of each PACK on the packs below it, then report coverage.

    A pack's scenarios are the .yaml files of its tests/ directory (or of the directory
    its manifest names under 'tests'). Each failure is shown as expected against actual.
    Coverage lists the rules that never fired, the actions never advised, and the
    conditions never seen both true and false. Exits 1 if a scenario fails.

    \b
    Example:
      goalpath rules test my-pack/
      goalpath rules test --scenarios fixtures/scenarios --junit report.xml
    """
    stack = _stack(packs, no_builtin)
    first = len(stack.paths) - len(packs)  # packs from $GOALPATH_RULES come first
    runs: list[tuple[Packs, list[Path]]] = []
    for i, path in enumerate(stack.paths[first:], first):
        directory = scenarios.pack_tests(path)
        if directory is not None:
            runs.append((Packs(stack.paths[: i + 1], stack.builtin), scenarios.find([directory])))
    if extra:
        runs.append((stack, scenarios.find(extra)))
    if not any(files for _, files in runs):
        raise click.UsageError(
            "no scenarios to run: give a pack with a tests/ directory, or scenario files with --scenarios"
        )
    whole = stack.engine()
    engines = {stack: whole}
    outcomes: list[scenarios.Outcome] = []
    problems: list[Problem] = []
    for below, files in runs:
        engine = engines.get(below) or engines.setdefault(below, below.engine())
        for file in files:
            try:
                outcomes.append(scenarios.run(engine, scenarios.read(file, engine.pack)))
            except GoalpathError as error:
                problems += error.problems
    if problems:
        raise GoalpathError(problems)
    layers = whole.pack.layers
    tested = [layer.name for layer in layers[len(layers) - len(packs) :]] if packs else [layers[-1].name]
    cover = None if no_coverage else scenarios.coverage(whole.pack, tested, outcomes)
    click.echo(testreport.render_text(outcomes, cover, tested, whole.pack), nl=False)
    if junit:
        emit(testreport.junit_xml(outcomes, " + ".join(tested)), junit, force)
    if any(not o.passed for o in outcomes):
        click.get_current_context().exit(EXIT_BAD_INPUT)


@rules.command("list", epilog=EXIT_CODES, short_help="Every rule as a plain-English sentence.")
@stack_options
@click.option("--pack", "only", metavar="NAME", help="Only the rules written in this pack.")
def list_rules(packs: Packs, only: str | None) -> None:
    """Print every rule of the stack as a sentence, with its file:line, its article
    section and what changed it.

    \b
    Example:
      goalpath rules list
      goalpath rules list --rules my-pack/ --pack my-pack
    """
    pack = packs.engine().pack
    names = [layer.name for layer in pack.layers]
    if only is not None and only not in names:
        raise click.BadParameter(f"no pack '{only}' in the stack (it holds: {', '.join(names)})", param_hint="--pack")
    shown = [rule for rule in pack.rules if only is None or pack.pack_of(rule.at) == only]
    blocks = [_rule_block(pack, rule.id) for rule in shown]
    click.echo("\n\n".join(blocks) + ("\n" if blocks else ""), nl=False)
    click.echo(f"\n{len(shown)} rules" + (f" in pack {only}" if only else f" in {', '.join(names)}"))


def _rule_block(pack: RulePack, rule_id: str) -> str:
    rule = pack.rule(rule_id)
    lines = [f"{rule.id}  ({pack.pack_of(rule.at)} pack, {rule.at})", *_wrapped(rule_sentence(rule, pack))]
    lines += _wrapped(f"Article: {rule.cites}")
    lines += _changes(pack, "rule", rule.id)
    return "\n".join(lines)


def _wrapped(text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(
        text, width=width(None), initial_indent=indent, subsequent_indent=indent + "  ", break_on_hyphens=False
    )


def _changes(pack: RulePack, kind: str, ident: str) -> list[str]:
    lines = []
    for change in pack.changes:
        if change.kind == kind and change.id == ident:
            lines += _wrapped(
                f"{change.how.capitalize()} by pack {change.pack} at {change.at}; "
                f"first written at {change.original} (pack {change.original_pack})."
            )
    return lines


@rules.command("show", epilog=EXIT_CODES, short_help="One rule or action, in full.")
@click.argument("ident", metavar="ID")
@stack_options
def show(ident: str, packs: Packs) -> None:
    """Show the rule (or action) ID: as a sentence, where it is written, its article
    section and what overrides it; for an action, the rules that recommend it.

    \b
    Example:
      goalpath rules show ladder-baseline-missing
      goalpath rules show mobility-regulatory-scan --rules my-pack/
    """
    pack = packs.engine().pack
    retired = {r.id: r for r in pack.retired}
    if ident in retired:
        old = retired[ident]
        click.echo(f"'{ident}' is a retired {old.kind} id: it now means '{old.successor}' (retired at {old.at}).\n")
        ident = old.successor
    rule_ids = {r.id for r in pack.rules}
    action_ids = {a.id for a in pack.actions}
    if ident in rule_ids:
        click.echo(_rule_block(pack, ident))
        return
    if ident in action_ids:
        click.echo(_action_block(pack, ident))
        return
    gone = [c for c in pack.changes if c.id == ident and c.how == "disabled"]
    if gone:
        c = gone[-1]
        click.echo(
            f"{c.kind} '{ident}' (written at {c.original}, in pack {c.original_pack}) is disabled by pack {c.pack} at {c.at}."
        )
        return
    raise click.BadParameter(
        f"no rule or action '{ident}' in the stack{_hint(ident, rule_ids | action_ids)}", param_hint="ID"
    )


def _action_block(pack: RulePack, action_id: str) -> str:
    action = pack.action(action_id)
    lines = [f"{action.id}  (action, {pack.pack_of(action.at)} pack, {action.at})", *_wrapped(action.title)]
    lines += _wrapped(f"Do: {action.do}")
    months = action.lead_time_months
    lead = f", lead time {months:g} month{'' if months == 1 else 's'}" if months else ""
    lines += _wrapped(f"Effort {action.effort}, impact {action.impact}{lead}, tier {action.tier}.")
    if action.cites:
        lines += _wrapped(f"Article: {action.cites}")
    lines += _changes(pack, "action", action.id)
    recommending = [r for r in pack.rules if any(isinstance(e, Recommend) and e.action == action.id for e in r.then)]
    lines.append("")
    lines.append(f"Recommended by {len(recommending)} rule{'s' if len(recommending) != 1 else ''}:")
    for r in recommending:
        lines.append(f"  {r.id}  ({pack.pack_of(r.at)} pack, {r.at})")
        lines += _wrapped(rule_sentence(r, pack), "    ")
    return "\n".join(lines)


@rules.command("diff", epilog=EXIT_CODES, short_help="What a rule change does to a set of profiles.")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--profiles",
    "profiles",
    multiple=True,
    required=True,
    type=click.Path(path_type=str),
    metavar="PATH",
    help="Profile files or directories to compare on (repeatable).",
)
@stack_options
@click.option(
    "--top", type=click.IntRange(min=0), default=5, show_default=True, help="Compare the first N actions (0: all)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)
@click.option("--exit-code", is_flag=True, help="Exit 1 if any profile's actions changed.")
def diff(old: str, new: str, profiles: tuple[str, ...], packs: Packs, top: int, fmt: str, exit_code: bool) -> None:
    """Compare what each profile is shown with pack OLD on top of the stack and with
    pack NEW: the actions that entered, left or moved, then a summary line.

    OLD or NEW may be the word 'builtin' for the stack without a pack on top.

    \b
    Example:
      goalpath rules diff my-pack-v1/ my-pack/ --profiles clients/
      goalpath rules diff builtin my-pack/ --profiles clients/ --format json
    """
    engines = []
    for side in (old, new):
        extra = () if side == BUILTIN_ONLY else (side,)
        engines.append(Packs(packs.paths + extra, packs.builtin).engine())
    files = impact.profile_files(profiles)
    if not files:
        raise click.BadParameter("no .yaml, .yml or .json profiles there", param_hint="--profiles")
    result = impact.compare(engines[0], engines[1], files, top=top or None)
    click.echo(impact.render_json(result) if fmt == "json" else impact.render_text(result), nl=False)
    if exit_code and any(p.changes for p in result.profiles):
        click.get_current_context().exit(EXIT_BAD_INPUT)
