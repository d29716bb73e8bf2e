"""The built-in rule pack, traced back to the article and forward to the personas.

Every substantive section of the career-goals article is cited by some rule, every
citation is a heading of the article word for word, every rule fires and every action is
recommended for some persona in ``fixtures/``, and ``rules/README.md`` holds the table
article section -> rules -> actions for exactly this pack. The ordering promises of the
pack are pinned too, on every persona and on generated profiles: a person at risk of
burnout is never handed more than one high-effort action; a framework step appears only
while its evidence is missing and only from the quarter it may start in (``starts_with``);
foundations come first exactly when the goal itself is broken; and no action id of an
earlier version of the pack has disappeared without a successor.

Run ``python tests/test_pack.py`` to print the table for ``rules/README.md``.
"""

from __future__ import annotations

import re
import statistics
import sys
from functools import lru_cache
from pathlib import Path

import pytest

from goalpath.rules import Hold, Recommend

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT.parent / "shared" / "seed" / "career-goals-article.txt"
FIXTURES = sorted((ROOT / "fixtures").glob("*.yaml"))
README = ROOT / "rules" / "README.md"

#: The article's substantive sections, in article order. Each must be cited by a rule.
REQUIRED_SECTIONS = [
    "What Is A Career Goal?",
    "Short-Term vs Long-Term Goals",
    "Career Goals and Global Mobility",
    "Why Career Goals Matter",
    "Common Misconceptions About Career Goals",
    "The Elements of an Effective Career Goal",
    "The REAL Approach for Development Goals",
    "Avoiding Common Measurement Mistakes",
    "Types of Career Goals",
    "How To Translate Ambition Into Action: A Roadmap You Can Follow",
    "How To Set Career Goals For Different Priorities",
    "If Your Priority Is Promotion Or Title Change",
    "If Your Priority Is Skill Mastery Or Certification",
    "If Your Priority Is A Career Pivot",
    "If Your Priority Is Living Or Working Abroad",
    "Common Mistakes That Slow Progress (And How To Fix Them)",
    "Building Confidence And Habits That Sustain Progress",
    "Tools, Templates, And Resources To Speed Execution",
    "When To Ask For Help: Mentors, Coaches, And HR Partners",
    "Framework A — The Evidence Ladder (for promotion or title change)",
    "Framework B — The Pivot Bridge (for career change)",
    "Framework C — The Mobility Playbook (for working abroad)",
    "Measuring Progress: What Success Looks Like",
    "How To Communicate Your Career Goal To Managers And Recruiters",
    "When Relocation Or Remote Work Is Part Of The Plan",
    "How To Keep Motivation And Avoid Burnout",
    "Final Checklist: A Short Audit To Confirm Your Goal Is Actionable",
]

#: The roadmap's steps are headed lines of the article too; rules may cite one directly.
ROADMAP_STEPS = [
    "Clarify your why and non-negotiables",
    "Map your destination and horizon",
    "Audit current reality and evidence gaps",
    "Identify high-leverage actions",
    "Create milestones and measurement",
    "Build support and practice rhythms",
    "Review, iterate, and celebrate progress",
]

#: Sections that are sales pitches or summaries, not advice: nothing may cite them.
NOT_ADVICE = ["Resources And Next Steps", "Conclusion"]

#: Each staged framework and the fact naming its next step.
LADDERS = {
    "Evidence Ladder": "ladder.next",
    "Pivot Bridge": "bridge.next",
    "Mobility Playbook": "playbook.next",
    "Skill Practice": "practice.next",
}

JARGON = re.compile(r"\b(fact|facts|rule|rules|derived?|boost(ed)?|suppress(ed)?|trigger(ed|s)?|fires?|firing)\b", re.I)
SALES = re.compile(
    r"discovery call|book a (free )?(call|session)|download|buy|sign up|enrol in (a|our) (course|programme)", re.I
)


@lru_cache(maxsize=1)
def _engine():
    from goalpath import Engine

    return Engine()


@lru_cache(maxsize=1)
def _runs() -> dict[str, tuple]:
    """For each persona: its evaluation and its full ranked result."""
    engine = _engine()
    runs = {}
    for path in FIXTURES:
        evaluation = engine.evaluate(path)
        runs[path.stem] = (evaluation, engine.result(evaluation))
    return runs


def article_lines() -> set[str]:
    if not ARTICLE.is_file():
        pytest.skip(f"the source article is not at {ARTICLE} (it lives in ../shared/seed beside the clone)")
    return {line.strip() for line in ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()}


def section_table(pack) -> str:
    """The Markdown table article section -> rules -> actions, in article order."""
    by_section: dict[str, list] = {}
    for rule in pack.rules:
        by_section.setdefault(rule.cites, []).append(rule)
    roadmap = REQUIRED_SECTIONS.index("How To Translate Ambition Into Action: A Roadmap You Can Follow")
    in_order = REQUIRED_SECTIONS[: roadmap + 1] + ROADMAP_STEPS + REQUIRED_SECTIONS[roadmap + 1 :]
    order = {s: i for i, s in enumerate(in_order)}
    lines = ["| Article section | Rules | Actions recommended |", "|---|---|---|"]
    for section in sorted(by_section, key=lambda s: (order.get(s, len(order)), s)):
        rules = by_section[section]
        actions = sorted({e.action for r in rules for e in r.then if isinstance(e, Recommend)})
        rule_ids = ", ".join(f"`{r.id}`" for r in rules)
        action_ids = ", ".join(f"`{a}`" for a in actions) or "—"
        lines.append(f"| {section} | {rule_ids} | {action_ids} |")
    return "\n".join(lines) + "\n"


# -- the article, section by section -----------------------------------------------------


def test_required_sections_are_headings_of_the_article():
    lines = article_lines()
    assert [s for s in REQUIRED_SECTIONS if s not in lines] == []


def test_every_required_section_is_cited_by_a_rule():
    cited = {rule.cites for rule in _engine().pack.rules}
    assert [s for s in REQUIRED_SECTIONS if s not in cited] == []


def test_every_citation_is_a_line_of_the_article_word_for_word():
    lines = article_lines()
    pack = _engine().pack
    cites = [(f"rule {r.id}", r.cites) for r in pack.rules]
    cites += [(f"action {a.id}", a.cites) for a in pack.actions if a.cites]
    assert [(who, c) for who, c in cites if c not in lines] == []


def test_marketing_sections_are_not_encoded():
    pack = _engine().pack
    assert not [r.id for r in pack.rules if r.cites in NOT_ADVICE]
    assert not [a.id for a in pack.actions if a.cites in NOT_ADVICE]
    for a in pack.actions:
        for text in (a.title, a.do, a.evidence, a.done_when):
            assert not SALES.search(text), f"{a.id} reads like a sales pitch: {text!r}"


def test_user_facing_text_has_no_engine_jargon():
    pack = _engine().pack
    texts = [(a.id, t) for a in pack.actions for t in (a.title, a.do, a.evidence, a.done_when)]
    texts += [(r.id, r.title) for r in pack.rules]
    texts += [(f.name, f.about) for f in pack.facts]
    assert [(who, t) for who, t in texts if JARGON.search(t)] == []


# -- the personas: everything is used ------------------------------------------------------


def test_there_are_enough_personas():
    assert len(FIXTURES) >= 12
    scenarios = {p.stem for p in (ROOT / "fixtures" / "scenarios").glob("*.yaml")}
    assert {p.stem for p in FIXTURES} <= scenarios, "every persona needs a scenario"


def test_every_rule_fires_for_some_persona():
    fired = {f.rule_id for evaluation, _ in _runs().values() for f in evaluation.trace.firings}
    assert sorted(r.id for r in _engine().pack.rules if r.id not in fired) == []


def test_every_action_is_recommended_to_some_persona():
    shown = {rec.action.id for _, result in _runs().values() for rec in result.recommendations}
    assert sorted(a.id for a in _engine().pack.actions if a.id not in shown) == []


def test_each_priority_has_personas():
    priorities = {evaluation.profile.goal.priority for evaluation, _ in _runs().values()}
    assert priorities == {"promotion", "skill_mastery", "career_pivot", "work_abroad"}


def test_firings_stay_few():
    """Cost grows with firings: a typical persona stays under fifteen, none runs away."""
    counts = [len(evaluation.trace.firings) for evaluation, _ in _runs().values()]
    assert statistics.median(counts) <= 15
    assert max(counts) <= 30


# -- ranking promises ------------------------------------------------------------------------


def _high_effort_in_top(result, top: int = 5) -> list[str]:
    return [rec.action.id for rec in result.recommendations[:top] if rec.action.effort == "high"]


def _burnout(evaluation) -> bool:
    return any(fact.name == "risk.burnout" for fact in evaluation.trace.facts)


def test_burnout_personas_get_at_most_one_high_effort_action():
    engine = _engine()
    burnt = [name for name, (evaluation, _) in _runs().items() if _burnout(evaluation)]
    assert len(burnt) >= 2
    for name in burnt:
        result = engine.recommend(ROOT / "fixtures" / f"{name}.yaml", top=5)
        assert len(_high_effort_in_top(result)) <= 1, name


def test_burnout_holds_back_every_high_effort_action():
    """Under burnout risk every heavy action is held back; a credential only if none is under way."""
    pack = _engine().pack
    heavy = {a.id for a in pack.actions if a.effort == "high"}
    held = {e.action for e in pack.rule("burnout-risk").then if isinstance(e, Hold)}
    assert heavy - held == {"earn-recognised-credential"}
    credential = pack.rule("burnout-holds-new-credential")
    assert [e.action for e in credential.then if isinstance(e, Hold)] == ["earn-recognised-credential"]


def _facts(evaluation, name: str) -> set[int]:
    return {dict(f.attributes)["step"] for f in evaluation.trace.facts if f.name == name}


def _ladder_violations(evaluation, result) -> list[str]:
    """Framework steps recommended when their evidence exists, or before their quarter."""
    bad = []
    for rec in result.recommendations:
        step = rec.action.step
        if not step or step.framework not in LADDERS:
            continue
        prefix = LADDERS[step.framework].split(".")[0]
        nxt, still_open = _facts(evaluation, prefix + ".next"), _facts(evaluation, prefix + ".open")
        if step.order not in still_open:
            bad.append(f"{rec.action.id}: {step.framework} step {step.order} already has its evidence")
        elif not any(step.starts_with <= n <= step.order for n in nxt):
            bad.append(
                f"{rec.action.id}: {step.framework} step {step.order} starts with {step.starts_with}, next is {nxt}"
            )
    return bad


def test_framework_steps_come_in_their_quarter_for_every_persona():
    for name, (evaluation, result) in _runs().items():
        assert _ladder_violations(evaluation, result) == [], name


def test_a_quarter_holds_more_than_one_framework_step_for_some_persona():
    """The next step and the steps that start alongside it, not one lone step."""
    together = [
        name
        for name, (_, result) in _runs().items()
        if len({r.action.id for r in result.recommendations if r.action.step and r.action.step.framework in LADDERS})
        >= 2
    ]
    assert len(together) >= 5


FOUNDATIONS = {"write-outcome-statement", "set-quarterly-checkpoints", "choose-progress-indicators"}


def _foundation_violations(evaluation, result) -> list[str]:
    """Foundations first exactly when the goal is broken (no outcome, timeframe or measures)."""
    broken = any(f.name == "goal.unfocused" for f in evaluation.trace.facts)
    recs = result.recommendations
    if broken:
        return [] if recs and recs[0].placement.tier == "fix-first" else ["a broken goal does not start with a fix"]
    return [r.action.id for r in recs if r.action.id in FOUNDATIONS and r.placement.tier == "fix-first"]


def test_foundations_come_first_exactly_when_the_goal_is_broken():
    broken = 0
    for name, (evaluation, result) in _runs().items():
        broken += any(f.name == "goal.unfocused" for f in evaluation.trace.facts)
        assert _foundation_violations(evaluation, result) == [], name
    assert broken >= 3


def test_a_sound_goal_starts_with_its_framework():
    """With no fix needed, the first action is the next step of the main priority's framework."""
    checked = 0
    for name, (_, result) in _runs().items():
        recs = result.recommendations
        if recs and recs[0].placement.tier != "fix-first":
            checked += 1
            assert recs[0].placement.tier == "start-here", name
            assert recs[0].action.step is not None or recs[0].action.id == "write-pivot-case-study", name
    assert checked >= 10


def test_generated_profiles_keep_the_ranking_promises():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import given, settings

    sys.path.insert(0, str(Path(__file__).parent))
    from strategies import profiles

    engine = _engine()

    @settings(max_examples=200, deadline=None, derandomize=True)
    @given(profiles)
    def check(data):
        evaluation = engine.evaluate(data)
        result = engine.result(evaluation, top=5)
        if _burnout(evaluation):
            assert len(_high_effort_in_top(result)) <= 1
        full = engine.result(evaluation)
        assert _ladder_violations(evaluation, full) == []
        assert _foundation_violations(evaluation, full) == []

    check()
    del hypothesis


# -- ids are a public interface ---------------------------------------------------------------


@pytest.mark.parametrize("listing", sorted((ROOT / "tests" / "data" / "pack-ids").glob("*.txt")), ids=lambda p: p.stem)
def test_no_id_of_an_earlier_pack_is_lost(listing: Path):
    """Every rule and action id the pack ever had still exists, or is retired with a successor."""
    pack = _engine().pack
    live = {("rule", r.id) for r in pack.rules} | {("action", a.id) for a in pack.actions}
    retired = {(r.kind, r.id): r.successor for r in pack.retired}
    old = [
        tuple(line.split())
        for line in listing.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(old) > 100
    assert [kind_id for kind_id in old if kind_id not in live and kind_id not in retired] == []
    assert all((kind, successor) in live for (kind, _), successor in retired.items())


# -- the README table -------------------------------------------------------------------------


def test_readme_table_matches_the_pack():
    text = README.read_text(encoding="utf-8")
    start = text.index("| Article section |")
    table = text[start:].split("\n\n", 1)[0].rstrip("\n") + "\n"
    assert table == section_table(_engine().pack), "rules/README.md is stale: run python tests/test_pack.py"


if __name__ == "__main__":
    sys.stdout.write(section_table(_engine().pack))
