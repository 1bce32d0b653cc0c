"""The user's keymap: a YAML file mapping binding ids to keys, so any key can be remapped without code.

The file is ``keymap.yaml`` in the platform's config folder (``platformdirs.user_config_dir("operator-tui")``)::

    operator.next: space          # one key
    app.help: f1,f2               # several keys, comma separated
    app.logout: [ctrl+l, ctrl+o]  # or as a list

Every binding in the TUI has an id (F1 lists them). Reading the file must never stop the app: a missing file is
an empty keymap; a broken file or a bad entry becomes a problem to show the user, and the good entries still
apply. This module reads one small file and does no other I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from platformdirs import user_config_dir
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

APP_NAME = "operator-tui"
KEYMAP_FILE = "keymap.yaml"


@dataclass(frozen=True)
class LoadedKeymap:
    """Binding id -> keys (comma-separated, as ``App.set_keymap`` takes them), and what was wrong, if anything."""

    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def keymap_path() -> Path:
    return Path(user_config_dir(APP_NAME)) / KEYMAP_FILE


def load_keymap(path: Path | None = None, known_ids: Iterable[str] | None = None) -> LoadedKeymap:
    """Read the keymap at ``path`` (default: :func:`keymap_path`); a missing file is an empty keymap."""
    path = keymap_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return LoadedKeymap()
    except (OSError, UnicodeDecodeError) as exc:
        return LoadedKeymap(problems=[f"cannot read {path}: {exc}"])
    return parse_keymap(text, source=str(path), known_ids=known_ids)


def parse_keymap(text: str, *, source: str = KEYMAP_FILE, known_ids: Iterable[str] | None = None) -> LoadedKeymap:
    """Parse keymap YAML; entries with unknown ids (when ``known_ids`` is given) or bad keys are problems."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1})" if where is not None else ""
        return LoadedKeymap(problems=[f"{source} is not valid YAML{line}; no keys were changed"])
    if data is None:
        return LoadedKeymap()
    if not isinstance(data, dict):
        return LoadedKeymap(
            problems=[f"{source} must map binding ids to keys, like `operator.next: space`; no keys were changed"]
        )
    known = set(known_ids) if known_ids is not None else None
    keys: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in data.items():
        if not isinstance(binding_id, str) or not binding_id:
            problems.append(f"{binding_id!r} is not a binding id")
        elif known is not None and binding_id not in known:
            problems.append(f"{binding_id!r} is not a binding id (F1 lists them)")
        elif (joined := _keys(value)) is None:
            problems.append(f"{binding_id}: give a key or a list of keys, like `f2` or `[f2, ctrl+h]`")
        else:
            keys[binding_id] = joined
    return LoadedKeymap(keys=keys, problems=problems)


def _keys(value: object) -> str | None:
    """``"f1, f2"``, ``[f1, f2]`` or a digit key like ``1`` -> ``"f1,f2"``; None when it is not a key list."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int):
        items = str(value).split(",")
    elif isinstance(value, list) and all(isinstance(item, str | int) and not isinstance(item, bool) for item in value):
        items = [str(item) for item in value]
    else:
        return None
    names = [item.strip() for item in items]
    if not names or not all(names):
        return None
    return ",".join(names)


def binding_ids(*nodes: type[DOMNode]) -> set[str]:
    """Every binding id declared by these classes and their bases: what a keymap may name."""
    return set(default_keys(*nodes))


# The Russian (ЙЦУКЕН) layout over the Latin one, key for key: an operator who has just typed a note in Russian
# presses the key marked "n" and the terminal sends "т". Single-letter keys work in both layouts.
_LATIN = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~"
_RUSSIAN = "йцукенгшщзхъфывапролджэячсмитьбюёЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ"
_TO_RUSSIAN = dict(zip(_LATIN, _RUSSIAN, strict=True))
_TO_LATIN = dict(zip(_RUSSIAN, _LATIN, strict=True))


def latin(character: str) -> str:
    """The Latin character on the key that typed ``character`` in the Russian layout (others as they are)."""
    return _TO_LATIN.get(character, character)


def in_both_layouts(keys: str) -> str:
    """``"o"`` -> ``"o,щ"``: each single Latin letter of a key list joined by the key at its place in the Russian
    layout (Textual names a letter key by its character); other keys (``f1``, ``ctrl+l``, digits) as they are."""
    names = [name.strip() for name in keys.split(",")]
    more = [_TO_RUSSIAN[name] for name in names if len(name) == 1 and name.isascii() and name.isalpha()]
    return ",".join(names + [key for key in more if key not in names])


def default_keys(*nodes: type[DOMNode]) -> dict[str, str]:
    """Binding id -> its keys as declared by these classes (the first declaration of an id wins)."""
    keys: dict[str, str] = {}
    for node in nodes:
        for base in node.__mro__:
            for binding in vars(base).get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id and binding.id not in keys:
                    keys[binding.id] = binding.key
    return keys


def with_layouts(defaults: dict[str, str], user: dict[str, str]) -> dict[str, str]:
    """The keymap to apply: the user's keys where given, the defaults elsewhere, each in both layouts."""
    return {binding_id: in_both_layouts(user.get(binding_id, keys)) for binding_id, keys in defaults.items()}


def key_shown(screen: Screen[Any], binding_id: str, default: str) -> str:
    """How the key of ``binding_id`` shows on ``screen`` right now (after the user's keymap), for texts that name
    it; ``default`` when the screen has no such binding active."""
    for active in screen.active_bindings.values():
        if active.binding.id == binding_id:
            return screen.app.get_key_display(active.binding)
    return default
