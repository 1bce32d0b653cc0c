"""Turn playbook text into a :class:`Playbook`, or one :class:`PlaybookError` listing every problem.

A playbook is refused as a whole: the caller keeps the one in force. Parsing is pure (text in, model out); reading
files is the caller's business, so the same function checks a file on disk, a playbook stored in the database and
a test's inline YAML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from operator_tui.core.playbook.checks import check_playbook
from operator_tui.core.playbook.models import Playbook


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    source: str = ""  # file name, when the playbook came from several files

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"


class PlaybookError(ValueError):
    """The playbook cannot be used; ``problems`` lists every error with its path."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"the playbook has {len(problems)} error(s):\n{lines}")


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, which plain YAML silently lets the last one win."""


class _FastStrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same on libyaml's parser (PyYAML wheels have it): ten times faster, which matters because the playbook
    in force is parsed on every app start. Its syntax errors point less precisely, so a text it refuses is read
    again by :class:`_StrictLoader` for the message."""


def _mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {mark.line + 1}, column {mark.column + 1})", mark
            )
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_FastStrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(text: str, source: str = "") -> Any:
    """Parse YAML text; a syntax error becomes a PlaybookError with line and column."""
    try:
        return yaml.load(text, Loader=_FastStrictLoader)
    except yaml.YAMLError:
        pass
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlaybookError([Problem(where, f"not valid YAML: {problem}", source)]) from None


def merge_documents(documents: list[tuple[str, Any]]) -> dict[str, Any]:
    """Merge several YAML documents of a playbook folder: lists concatenate, mappings merge, a scalar twice is an
    error naming both files."""
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    problems: list[Problem] = []
    for source, doc in documents:
        if doc is None:
            continue
        if not isinstance(doc, Mapping):
            problems.append(Problem("", "expected a mapping of playbook sections at the top", source))
            continue
        for key, value in doc.items():
            if key not in merged:
                merged[key], origin[key] = value, source
            elif isinstance(merged[key], list) and isinstance(value, list):
                merged[key] = merged[key] + value
            elif isinstance(merged[key], Mapping) and isinstance(value, Mapping):
                clash = sorted(set(merged[key]) & set(value))
                if clash:
                    problems.append(Problem(f"{key}.{clash[0]}", f"also defined in {origin[key]}", source))
                merged[key] = {**merged[key], **value}
            else:
                problems.append(Problem(key, f"also defined in {origin[key]}", source))
    if problems:
        raise PlaybookError(problems)
    return merged


def _references_of_the_rest(data: Mapping[str, Any], errors: list[Any], source: str) -> list[Problem]:
    """The cross-reference problems (an unknown stage, window, a missing transition...) of a playbook whose items
    do not all validate, so that one check lists both kinds: the items in error are left out, the rest validated
    and checked, each problem's path given in the file's own numbering, and none said about an item left out (it
    has its own problem already), and none of absence (an item left out may be what was missing). Nothing when an
    error is not inside one item of a section."""
    dropped: dict[str, set[int | str]] = {}
    for error in errors:
        loc = error["loc"]
        section = data.get(loc[0]) if loc and isinstance(loc[0], str) else None
        if len(loc) < 2 or not (
            (isinstance(section, list) and isinstance(loc[1], int))
            or (isinstance(section, Mapping) and isinstance(loc[1], str))
        ):
            return []
        dropped.setdefault(loc[0], set()).add(loc[1])
    pruned = dict(data)
    kept: dict[str, list[int]] = {}
    names: set[str] = set()
    for key, gone in dropped.items():
        section = data[key]
        if isinstance(section, list):
            kept[key] = [n for n in range(len(section)) if n not in gone]
            pruned[key] = [section[n] for n in kept[key]]
            names |= {
                str(i.get("id") or i.get("code")) for n, i in enumerate(section) if n in gone and isinstance(i, Mapping)
            }
        else:
            pruned[key] = {k: v for k, v in section.items() if k not in gone}
            names |= {str(k) for k in gone}
    try:
        rest = Playbook.model_validate(pruned)
    except ValidationError:
        return []

    def numbered(path: str) -> str:
        match = re.match(r"(\w+)\[(\d+)\]", path)
        if match is None or match[1] not in kept:
            return path
        return f"{match[1]}[{kept[match[1]][int(match[2])]}]" + path[match.end() :]

    # Only what the rest names wrongly: a problem of absence ("no strategy works stage X") may be the item left out.
    return [
        Problem(numbered(path), message, source)
        for path, message in check_playbook(rest)
        if _REFERENCE.search(message) and not any(f"'{name}'" in message for name in names)
    ]


_REFERENCE = re.compile(r"\bunknown\b|\bno transition\b")


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "tagged-union")) or part in ("list[...]",):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _message(error: Mapping[str, Any]) -> str:
    msg = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if error["type"] == "extra_forbidden":
        return "unknown key (check the spelling)"
    if error["type"] == "missing":
        return "required, but missing"
    return msg


def playbook_from_data(data: Any, source: str = "") -> Playbook:
    """Validate already-parsed YAML data; raise PlaybookError with every problem."""
    if not isinstance(data, Mapping):
        raise PlaybookError([Problem("", "expected a mapping of playbook sections at the top", source)])
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(_path(e["loc"]), _message(e), source) for e in exc.errors()]
        problems += _references_of_the_rest(data, exc.errors(), source)
        raise PlaybookError(problems) from None
    problems = [Problem(path, message, source) for path, message in check_playbook(playbook)]
    if problems:
        raise PlaybookError(problems)
    return playbook


def parse_playbook(text: str, source: str = "") -> Playbook:
    """Parse and validate one playbook document."""
    return playbook_from_data(read_yaml(text, source), source)
