"""The keymap file reader: never raises, keeps the good entries, says what is wrong with the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from operator_tui.tui.app import OperatorTuiApp
from operator_tui.tui.keyed import KEYED
from operator_tui.tui.keymap import binding_ids, keymap_path, load_keymap, parse_keymap
from operator_tui.tui.screens.help import HelpScreen
from operator_tui.tui.screens.homes import HOME_SCREENS
from operator_tui.tui.screens.login import LoginScreen


def test_missing_file_is_an_empty_keymap(tmp_path: Path) -> None:
    loaded = load_keymap(tmp_path / "keymap.yaml")
    assert loaded.keys == {} and loaded.problems == []


def test_default_path_is_in_the_config_folder(config_dir: Path) -> None:
    assert keymap_path() == config_dir / "keymap.yaml"


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("", {}),
        ("# nothing yet\n", {}),
        ("operator.next: space", {"operator.next": "space"}),
        ("app.help: f1, f2", {"app.help": "f1,f2"}),
        ("app.help: [f1, ctrl+h]", {"app.help": "f1,ctrl+h"}),
        ("operator.next: 5", {"operator.next": "5"}),
    ],
)
def test_good_keymaps(text: str, keys: dict[str, str]) -> None:
    loaded = parse_keymap(text)
    assert loaded.keys == keys and loaded.problems == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("operator.next: [space", "not valid YAML (line 1)"),
        ("- operator.next\n- space", "must map binding ids to keys"),
        ("just a string", "must map binding ids to keys"),
        ("operator.next:", "give a key or a list of keys"),
        ("operator.next: {a: b}", "give a key or a list of keys"),
        ("operator.next: []", "give a key or a list of keys"),
        ("operator.next: [f1, '']", "give a key or a list of keys"),
        ("operator.next: true", "give a key or a list of keys"),
        ("1: f1", "is not a binding id"),
    ],
)
def test_bad_keymaps_are_problems(text: str, problem: str) -> None:
    loaded = parse_keymap(text)
    assert loaded.keys == {}
    assert len(loaded.problems) == 1 and problem in loaded.problems[0]


def test_unknown_ids_are_problems_when_the_ids_are_known() -> None:
    loaded = parse_keymap("app.help: f2\noperator.nxt: x\n", known_ids={"app.help", "operator.next"})
    assert loaded.keys == {"app.help": "f2"}
    assert loaded.problems == ["'operator.nxt' is not a binding id (F1 lists them)"]


def test_an_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "keymap.yaml"
    path.write_bytes(b"\xff\xfe not utf-8")
    loaded = load_keymap(path)
    assert loaded.keys == {} and "cannot read" in loaded.problems[0]


def test_every_binding_of_the_app_has_a_unique_id() -> None:
    classes = (OperatorTuiApp, *KEYED)
    ours = [binding for cls in classes for binding in vars(cls).get("BINDINGS", [])]
    assert ours and all(binding.id for binding in ours)
    ids = [binding.id for binding in ours]
    assert len(ids) == len(set(ids))
    assert {
        "app.help",
        "app.logout",
        "app.commands",
        "app.quit",
        "operator.next",
        "operator.search",
        "operator.pause",
        "help.close",
        "script.continue",
        "script.back",
        "call.outcome",
        "call.dial",
        "call.skip",
        "outcome.cancel",
        "callback.hour",
        "callback.tomorrow",
        "pause.cancel",
        "search.close",
    } <= binding_ids(*classes)
    assert {LoginScreen, HelpScreen, *HOME_SCREENS.values()} <= set(KEYED)
