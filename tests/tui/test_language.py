"""The interface language: from ``--lang``, else from the locale; an unknown one is refused before anything opens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Label
from typer.testing import CliRunner

from operator_tui.cli import launch, run_command
from operator_tui.services.database import Database
from operator_tui.tui import i18n
from operator_tui.tui.app import OperatorTuiApp
from tests.tui.pilots import sign_in, text

runner = CliRunner()
LOCALE = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def opened(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[OperatorTuiApp]]:
    """The apps the launcher would run: built with the real options, not run."""
    apps: list[OperatorTuiApp] = []
    monkeypatch.setattr(run_command, "database_for_tui", lambda _db, _url: db)
    monkeypatch.setattr(OperatorTuiApp, "run", lambda self, *args, **kwargs: apps.append(self))
    for variable in LOCALE:
        monkeypatch.delenv(variable, raising=False)
    yield apps


async def test_a_russian_locale_opens_the_app_in_russian(
    opened: list[OperatorTuiApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    result = runner.invoke(launch.tui_only, [])
    assert result.exit_code == 0, result.output
    [app] = opened
    assert app.language == "ru"
    async with app.run_test(size=(80, 24)) as pilot:
        assert [str(label.render()) for label in app.screen.query(Label)] == ["Пользователь", "PIN"]
        assert text(pilot, "#login-hint") == "Enter — войти."
        await sign_in(pilot, "op01", "0000")  # the service's refusal, said in Russian (3 plural forms)
        assert text(pilot, "#login-message") == "Неверный пользователь или PIN."
        await sign_in(pilot, "op01", "1111")
        assert app.screen.sub_title == "Оператор"
        assert "Следующий клиент" in str(app.screen.query_one("KeyBar").render())


async def test_lang_wins_over_the_locale(opened: list[OperatorTuiApp], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "ru_RU.UTF-8")
    assert runner.invoke(launch.tui_only, ["--lang", "en"]).exit_code == 0
    [app] = opened
    assert app.language == "en"
    async with app.run_test(size=(80, 24)) as pilot:
        assert text(pilot, "#login-hint") == "Enter signs in."


def test_no_locale_means_english(opened: list[OperatorTuiApp]) -> None:
    assert runner.invoke(launch.tui_only, []).exit_code == 0
    assert [app.language for app in opened] == ["en"]


@pytest.mark.parametrize("args", [["--lang", "de"], ["--lang=xx"]])
def test_an_unknown_lang_is_refused(opened: list[OperatorTuiApp], args: list[str]) -> None:
    result = runner.invoke(launch.tui_only, args, terminal_width=200)
    assert result.exit_code == 2
    assert "unknown language" in result.output and "use en or ru" in result.output
    assert not opened


def test_the_app_refuses_a_language_without_texts(db: Database) -> None:
    with pytest.raises(i18n.UnknownLanguage):
        OperatorTuiApp(db, language="de")


async def test_the_playbook_speaks_the_interface_language(db: Database) -> None:
    """An account whose language is English still reads the playbook in Russian in a Russian interface."""
    app = OperatorTuiApp(db, language="ru")
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot, "op01", "1111")
        assert app.actor is not None and app.actor.language == "ru"
        assert app.screen.actor.language == "ru"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ("12,345.68", "+30.5", "-4.0", "1,000,000")),
        ("ru", ("12\u00a0345,68", "+30,5", "-4,0", "1\u00a0000\u00a0000")),
    ],
)
def test_numbers_are_written_the_language_s_way(language: str, expected: tuple[str, ...]) -> None:
    i18n.set_language(language)
    try:
        assert (
            i18n.number(12345.678, 2),
            i18n.number(30.5, 1, sign=True),
            i18n.number(-4, 1, sign=True),
            i18n.number(1_000_000),
        ) == expected
    finally:
        i18n.set_language("en")


async def test_an_accounts_own_language_takes_over_after_sign_in_unless_lang_chose_one(db: Database) -> None:
    """Without --lang the sign-in screen is in the terminal's language and each account's screens in its own;
    signing out brings the terminal's back. With --lang everybody reads that one."""
    from operator_tui.services import accounts
    from tests.conftest import actor

    accounts.set_language(db, actor(db, "admin"), "op02", "ru")
    app = OperatorTuiApp(db, language="en", accounts_choose=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "op02", "1111")
        assert (app.language, app.screen.sub_title) == ("ru", "Оператор")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.language == "en" and text(pilot, "#login-hint") == "Enter signs in."
        await sign_in(pilot, "op01", "1111")  # auto: the terminal's
        assert (app.language, app.screen.sub_title) == ("en", "Operator")
    everybody = OperatorTuiApp(db, language="en", accounts_choose=False)
    async with everybody.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "op02", "1111")
        assert (everybody.language, everybody.screen.sub_title) == ("en", "Operator")


def test_without_lang_the_launcher_lets_accounts_choose(opened: list[OperatorTuiApp]) -> None:
    assert runner.invoke(launch.tui_only, []).exit_code == 0
    assert runner.invoke(launch.tui_only, ["--lang", "en"]).exit_code == 0
    assert [app.accounts_choose for app in opened] == [True, False]
