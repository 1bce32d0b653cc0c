"""Cross-reference checks over a structurally valid playbook.

Each check yields ``(path, message)`` pairs with the same path syntax pydantic uses for structure errors
(``strategies[2].script``), so the admin gets one list of every problem, each pointing at its place.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterator

from operator_tui.core.playbook.models import ANY_STAGE, Playbook, QuestionType, Script
from operator_tui.core.playbook.variables import (
    ANSWER,
    ANSWERS_PREFIX,
    CUSTOMER_VARIABLES,
    PLACEHOLDER_FIELDS,
)

Problem = tuple[str, str]


def check_playbook(pb: Playbook) -> list[Problem]:
    problems: list[Problem] = []
    for check in (
        _stages,
        _transitions,
        _outcomes,
        _strategies,
        _scripts,
        _checklists,
        _settings,
        _translations,
    ):
        problems.extend(check(pb))
    return problems


def _duplicates(ids: list[str]) -> set[str]:
    return {i for i, n in Counter(ids).items() if n > 1}


def _stages(pb: Playbook) -> Iterator[Problem]:
    ids = pb.stage_ids()
    for i, stage in enumerate(pb.stages):
        if stage.id in _duplicates(ids):
            yield f"stages[{i}]", f"stage {stage.id!r} is listed twice"
        if stage.id == ANY_STAGE:
            yield f"stages[{i}]", "'*' means any stage and cannot be a stage id"


def _transitions(pb: Playbook) -> Iterator[Problem]:
    stages = set(pb.stage_ids())
    for i, t in enumerate(pb.transitions):
        for j, source in enumerate(t.from_):
            if source != ANY_STAGE and source not in stages:
                yield f"transitions[{i}].from[{j}]", _unknown("stage", source, stages)
        if t.to not in stages:
            yield f"transitions[{i}].to", _unknown("stage", t.to, stages)


def _outcomes(pb: Playbook) -> Iterator[Problem]:
    stages = set(pb.stage_ids())
    codes = [o.code for o in pb.outcomes]
    keys = [o.hotkey.lower() for o in pb.outcomes if o.hotkey]
    for i, outcome in enumerate(pb.outcomes):
        where = f"outcomes[{i}]"
        if outcome.code in _duplicates(codes):
            yield f"{where}.code", f"outcome code {outcome.code!r} is used twice"
        if outcome.hotkey and outcome.hotkey.lower() in _duplicates(keys):
            yield f"{where}.hotkey", f"hotkey {outcome.hotkey!r} is used by another outcome too"
        for source, target in outcome.advance.items():
            if source != ANY_STAGE and source not in stages:
                yield f"{where}.advance.{source}", _unknown("stage", source, stages)
            elif target not in stages:
                yield f"{where}.advance.{source}", _unknown("stage", target, stages)
            elif source != ANY_STAGE and not pb.allowed(source, target):
                yield f"{where}.advance.{source}", f"the lifecycle has no transition {source} -> {target}"
            elif source == ANY_STAGE:
                blocked = [s for s in pb.stage_ids() if s != target and not pb.allowed(s, target)]
                if blocked:
                    yield (
                        f"{where}.advance.*",
                        f"'*' advances every stage to {target}, but the lifecycle has no "
                        f"transition to it from {', '.join(blocked)}",
                    )
        if outcome.task and outcome.task.kind not in pb.tasks:
            yield f"{where}.task.kind", _unknown("task kind", outcome.task.kind, set(pb.tasks))
        if outcome.retry and ("final" in outcome.flags or "dnc" in outcome.flags):
            yield f"{where}.retry", "a final or do-not-call outcome cannot be retried"


def _strategies(pb: Playbook) -> Iterator[Problem]:
    stages = set(pb.stage_ids())
    scripts = {s.id for s in pb.scripts}
    checklists = {c.id for c in pb.checklists}
    codes = {o.code for o in pb.outcomes}
    ids = [s.id for s in pb.strategies]
    for i, strategy in enumerate(pb.strategies):
        where = f"strategies[{i}]"
        if strategy.id in _duplicates(ids):
            yield f"{where}.id", f"strategy id {strategy.id!r} is used twice"
        for j, stage in enumerate(strategy.stage):
            if stage not in stages:
                yield f"{where}.stage[{j}]", _unknown("stage", stage, stages)
        if strategy.script not in scripts:
            yield f"{where}.script", _unknown("script", strategy.script, scripts)
        if strategy.window not in pb.windows:
            yield f"{where}.window", _unknown("window", strategy.window, set(pb.windows))
        if strategy.checklist and strategy.checklist not in checklists:
            yield f"{where}.checklist", _unknown("checklist", strategy.checklist, checklists)
        for j, code in enumerate(strategy.outcomes or []):
            if code not in codes:
                yield f"{where}.outcomes[{j}]", _unknown("outcome", code, codes)
        if strategy.when is not None:
            for name in sorted(strategy.when.names - set(CUSTOMER_VARIABLES)):
                yield f"{where}.when", _unknown("name", name, set(CUSTOMER_VARIABLES))


def _scripts(pb: Playbook) -> Iterator[Problem]:
    ids = [s.id for s in pb.scripts]
    for i, script in enumerate(pb.scripts):
        where = f"scripts[{i}]"
        if script.id in _duplicates(ids):
            yield f"{where}.id", f"script id {script.id!r} is used twice"
        yield from _script_nodes(script, where)


def _script_nodes(script: Script, where: str) -> Iterator[Problem]:
    node_ids = [n.id for n in script.nodes]
    known = set(node_ids)
    questions = {n.id for n in script.nodes if n.is_question}
    answer_names = {f"{ANSWERS_PREFIX}{q}" for q in questions}
    for j, node in enumerate(script.nodes):
        at = f"{where}.nodes[{j}]"
        if node.id in _duplicates(node_ids):
            yield f"{at}.id", f"node id {node.id!r} is used twice in script {script.id!r}"
        for k, branch in enumerate(node.next):
            if branch.goto not in known:
                yield f"{at}.next[{k}].goto", _unknown("node", branch.goto, known)
            if branch.when is not None:
                allowed = set(CUSTOMER_VARIABLES) | answer_names | ({ANSWER} if node.is_question else set())
                for name in sorted(branch.when.names - allowed):
                    yield f"{at}.next[{k}].when", _unknown("name", name, allowed)
                if node.options and ANSWER in branch.when.names:
                    values = {o.value for o in node.options}
                    for constant in sorted(c for c in branch.when.constants if isinstance(c, str)):
                        if constant not in values:
                            yield f"{at}.next[{k}].when", _unknown("option", constant, values)
        if node.next and node.next[-1].when is not None:
            yield f"{at}.next", "the last branch needs no 'when' so that every answer leads somewhere"
        for field in ("say", "ask", "hint"):
            for lang, text in (getattr(node, field) or {}).items():
                for name in _placeholders(text):
                    if name not in PLACEHOLDER_FIELDS:
                        yield (
                            f"{at}.{field}.{lang}",
                            _unknown("placeholder", "{" + name + "}", PLACEHOLDER_FIELDS),
                        )
        if node.type is QuestionType.NPS and node.scale is not None:
            yield f"{at}.scale", "an nps question is always 0..10; use type scale for other ranges"
    yield from _reachability(script, where, known)


def _reachability(script: Script, where: str, known: set[str]) -> Iterator[Problem]:
    edges = {n.id: [b.goto for b in n.next if b.goto in known] for n in script.nodes}
    seen, stack = set(), [script.start.id]
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, []))
    for j, node in enumerate(script.nodes):
        if node.id not in seen:
            yield (
                f"{where}.nodes[{j}]",
                f"node {node.id!r} is never reached from the start node {script.start.id!r}",
            )
    ends = {n.id for n in script.nodes if n.end}
    if not ends:
        yield f"{where}.nodes", "the script has no node with 'end: true'"
        return
    # Every node must be able to reach an end, or a call could loop forever.
    reaches_end = set(ends)
    changed = True
    while changed:
        changed = False
        for node_id, targets in edges.items():
            if node_id not in reaches_end and any(t in reaches_end for t in targets):
                reaches_end.add(node_id)
                changed = True
    for j, node in enumerate(script.nodes):
        if node.id in seen and node.id not in reaches_end:
            yield f"{where}.nodes[{j}]", f"node {node.id!r} never leads to an end node"


def _placeholders(text: str) -> list[str]:
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name]
    except ValueError:
        return [re.sub(r"\W", "", text)[:20] or "?"]


def _checklists(pb: Playbook) -> Iterator[Problem]:
    ids = [c.id for c in pb.checklists]
    for i, checklist in enumerate(pb.checklists):
        where = f"checklists[{i}]"
        if checklist.id in _duplicates(ids):
            yield f"{where}.id", f"checklist id {checklist.id!r} is used twice"
        item_ids = [item.id for item in checklist.items()]
        for j, section in enumerate(checklist.sections):
            for k, item in enumerate(section.items):
                if item.id in _duplicates(item_ids):
                    yield f"{where}.sections[{j}].items[{k}].id", f"item id {item.id!r} is used twice"


def _settings(pb: Playbook) -> Iterator[Problem]:
    if pb.queue.detractor_task and pb.queue.detractor_task not in pb.tasks:
        yield "queue.detractor_task", _unknown("task kind", pb.queue.detractor_task, set(pb.tasks))
    codes = [p.code for p in pb.pause_reasons]
    for i, reason in enumerate(pb.pause_reasons):
        if reason.code in _duplicates(codes):
            yield f"pause_reasons[{i}].code", f"pause reason {reason.code!r} is used twice"
    used_stages = {stage for s in pb.strategies for stage in s.stage}
    for i, stage in enumerate(pb.stages):
        if not stage.terminal and stage.id not in used_stages:
            yield f"stages[{i}]", f"no strategy works stage {stage.id!r}; add one or mark the stage terminal"


def _unknown(kind: str, name: str, known: set[str] | frozenset[str]) -> str:
    options = ", ".join(sorted(known)[:12]) or "none defined"
    more = ", ..." if len(known) > 12 else ""
    return f"unknown {kind} {name!r} (known: {options}{more})"


def _translations(pb: Playbook) -> Iterator[Problem]:
    """Every text shown to operators exists in every language the playbook declares."""
    wanted = set(pb.languages)
    if len(wanted) < 2:
        return
    for path, text in _texts(pb):
        missing = sorted(wanted - set(text))
        if missing:
            yield (
                path,
                f"missing the {', '.join(missing)} text (the playbook declares languages {pb.languages})",
            )


def _texts(pb: Playbook) -> Iterator[tuple[str, dict[str, str]]]:
    for i, stage in enumerate(pb.stages):
        yield from _named(f"stages[{i}]", label=stage.label, goal=stage.goal)
    for i, outcome in enumerate(pb.outcomes):
        yield from _named(f"outcomes[{i}]", label=outcome.label)
    for i, strategy in enumerate(pb.strategies):
        yield from _named(f"strategies[{i}]", label=strategy.label, goal=strategy.goal)
    for i, script in enumerate(pb.scripts):
        yield from _named(f"scripts[{i}]", title=script.title)
        for j, node in enumerate(script.nodes):
            yield from _named(f"scripts[{i}].nodes[{j}]", say=node.say, ask=node.ask, hint=node.hint)
            for k, option in enumerate(node.options):
                yield from _named(f"scripts[{i}].nodes[{j}].options[{k}]", label=option.label)
    for i, checklist in enumerate(pb.checklists):
        yield from _named(f"checklists[{i}]", title=checklist.title)
        for j, section in enumerate(checklist.sections):
            yield from _named(f"checklists[{i}].sections[{j}]", name=section.name)
            for k, item in enumerate(section.items):
                yield from _named(f"checklists[{i}].sections[{j}].items[{k}]", text=item.text)
    for kind, task in pb.tasks.items():
        yield from _named(f"tasks.{kind}", label=task.label)
    for i, reason in enumerate(pb.pause_reasons):
        yield from _named(f"pause_reasons[{i}]", label=reason.label)


def _named(prefix: str, **texts: dict[str, str] | None) -> Iterator[tuple[str, dict[str, str]]]:
    for name, text in texts.items():
        if text is not None:
            yield f"{prefix}.{name}", text
