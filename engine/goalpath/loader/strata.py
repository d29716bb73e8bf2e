"""Stratification: each rule gets the layer in which it runs, so that a rule matching the
absence of a fact runs only after every rule that can derive that fact has run."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import Problem
from ..rules import AllOf, AnyOf, Condition, Derive, FactTest, Not, Rule


def fact_dependencies(cond: Condition, negated: bool = False) -> Iterable[tuple[str, bool]]:
    """(fact name, under negation?) for every fact a condition mentions."""
    if isinstance(cond, FactTest):
        yield cond.name, negated
    elif isinstance(cond, (AllOf, AnyOf)):
        for child in cond.children:
            yield from fact_dependencies(child, negated)
    elif isinstance(cond, Not):
        yield from fact_dependencies(cond.child, not negated)


def stratify(rules: list[Rule], problems: list[Problem]) -> dict[str, int]:
    """Give each rule a layer so every fact it negates is complete before it runs.

    Rules are nodes; an edge runs from a rule deriving a fact to each rule matching it
    (marked negative when matched under ``not``). Rules in one strongly connected
    component share a layer; a negative edge inside a component is a cycle through
    negation, which has no consistent answer, and is reported on each rule in it.
    """
    producers: dict[str, list[str]] = {}
    for rule in rules:
        for effect in rule.then:
            if isinstance(effect, Derive):
                producers.setdefault(effect.fact, []).append(rule.id)
    edges: dict[str, set[tuple[str, bool]]] = {rule.id: set() for rule in rules}
    for rule in rules:
        for fact, negated in fact_dependencies(rule.when):
            for producer in producers.get(fact, ()):
                edges[producer].add((rule.id, negated))
    component = _components(list(edges), {k: [t for t, _ in v] for k, v in edges.items()})
    by_id = {rule.id: rule for rule in rules}
    members_of: dict[int, list[str]] = {}
    for rule_id in sorted(component):
        members_of.setdefault(component[rule_id], []).append(rule_id)
    bad = sorted({component[a] for a, outs in edges.items() for b, neg in outs if neg and component[a] == component[b]})
    for comp in bad:
        members = members_of[comp]
        for rule_id in members:
            at = by_id[rule_id].at
            problems.append(
                Problem(
                    at.file,
                    at.line,
                    at.column,
                    "negation-cycle",
                    f"rule '{rule_id}' depends on the absence of a fact that it helps derive (through {', '.join(members)})",
                )
            )
    if bad:
        return {rule.id: 0 for rule in rules}
    # Longest path over the component graph, counting negative edges.
    order = sorted(set(component.values()))  # components are numbered in topological order
    layer_of = dict.fromkeys(order, 0)
    for comp in order:
        for a in members_of[comp]:
            for b, neg in edges[a]:
                if component[b] != comp:
                    layer_of[component[b]] = max(layer_of[component[b]], layer_of[comp] + (1 if neg else 0))
    return {rule.id: layer_of[component[rule.id]] for rule in rules}


def _components(nodes: list[str], succ: dict[str, list[str]]) -> dict[str, int]:
    """Strongly connected components (Tarjan), numbered so edges go to higher numbers."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(succ[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(succ[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                found.append(members)
    # Tarjan emits components in reverse topological order.
    return {member: number for number, members in enumerate(reversed(found)) for member in members}
