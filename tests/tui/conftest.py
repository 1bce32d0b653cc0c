"""TUI fixtures: an isolated config folder (no user keymap leaks in), no cursor blink, and a notification log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from operator_tui.services.database import Database
from operator_tui.tui import i18n, keymap
from operator_tui.tui.app import OperatorTuiApp
from tests.tui.pilots import Notes, record_notifications


@pytest.fixture(autouse=True)
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config"
    path.mkdir()
    monkeypatch.setattr(keymap, "user_config_dir", lambda _app_name: str(path))
    return path


@pytest.fixture(autouse=True)
def english_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A test in another language leaves none behind: texts made outside an app are English in the next test."""
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(OperatorTuiApp, "CURSOR_BLINK", False)


@pytest.fixture
def app(db: Database) -> OperatorTuiApp:
    return OperatorTuiApp(db)


@pytest.fixture
def notes(app: OperatorTuiApp) -> Iterator[Notes]:
    yield record_notifications(app)
