"""How a scenario test run is reported: for people (each failure as expected against
actual, then coverage) and for CI (JUnit XML)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..render.words import printable
from ..rules import RulePack
from .scenarios import Coverage, Outcome
from .sentences import condition_words


def render_text(outcomes: Sequence[Outcome], cover: Coverage | None, packs: Sequence[str], pack: RulePack) -> str:
    lines: list[str] = []
    for outcome in outcomes:
        scenario = outcome.scenario
        if outcome.passed:
            lines.append(f"ok    {scenario.name}")
            continue
        lines.append(f"FAIL  {scenario.name}  ({scenario.file})")
        if scenario.about:
            lines.append(f"      {scenario.about}")
        for failure in outcome.failures:
            lines.append(f"      {failure.check}: {failure.lines[0]}")
            lines += [f"        {line}" for line in failure.lines[1:]]
    failed = sum(not o.passed for o in outcomes)
    lines.append("")
    lines.append(
        f"{_count(len(outcomes), 'scenario')}: {len(outcomes) - failed} passed"
        + (f", {failed} failed" if failed else "")
    )
    if cover is not None:
        lines.append("")
        lines += coverage_lines(cover, packs, pack)
    return printable("\n".join(lines)) + "\n"


def coverage_lines(cover: Coverage, packs: Sequence[str], pack: RulePack) -> list[str]:
    named = ", ".join(packs)
    lines = [f"Coverage of {named}:"]
    lines.append(f"  rules reached:     {_ratio(len(cover.rules) - len(cover.rules_unreached), len(cover.rules))}")
    lines += [f"    never fired: {rule}" for rule in cover.rules_unreached]
    lines.append(
        f"  actions advised:   {_ratio(len(cover.actions) - len(cover.actions_unreached), len(cover.actions))}"
    )
    lines += [f"    never advised: {action}" for action in cover.actions_unreached]
    partial = cover.conditions_partial
    both = len(cover.conditions) - len(partial)
    lines.append(f"  conditions seen both true and false: {_ratio(both, len(cover.conditions))}")
    for c in partial:
        seen = "only ever true" if c.seen_true else "only ever false"
        lines.append(f"    {c.at.file}:{c.at.line}:{c.at.column}: {seen} (rule {c.rule}):")
        lines.append(f"      {condition_words(c.condition, pack)}")
    return lines


def _ratio(n: int, total: int) -> str:
    if not total:
        return "none to cover"
    return f"{n} of {total} ({round(100 * n / total)}%)"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def junit_xml(outcomes: Sequence[Outcome], suite: str) -> str:
    """The run as a JUnit XML report: one test case per scenario, failures with their diff."""
    failed = sum(not o.passed for o in outcomes)
    root = ET.Element("testsuites", tests=str(len(outcomes)), failures=str(failed))
    node = ET.SubElement(root, "testsuite", name=suite, tests=str(len(outcomes)), failures=str(failed), errors="0")
    for outcome in outcomes:
        case = ET.SubElement(node, "testcase", classname=suite, name=outcome.scenario.name, file=outcome.scenario.file)
        if outcome.failures:
            message = "; ".join(f"{f.check}: {f.lines[0]}" for f in outcome.failures)
            failure = ET.SubElement(case, "failure", message=message, type="scenario")
            failure.text = "\n".join(f"{f.check}: " + "\n".join(f.lines) for f in outcome.failures)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
