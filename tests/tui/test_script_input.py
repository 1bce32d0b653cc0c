"""Typed answers (number, text, date) after a refusal: the field keeps what was typed, selected, so the next
keys replace it; nothing typed before the refusal leaks into the next answer."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input

from operator_tui.playbooks import DEFAULT_PLAYBOOK
from operator_tui.services.playbooks import check_file
from operator_tui.tui.script_state import ScriptRun
from operator_tui.tui.widgets.script_runner import ScriptRunner


class Harness(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, object] = {}

    def compose(self) -> ComposeResult:
        run = ScriptRun(check_file(DEFAULT_PLAYBOOK).script("first-contact"))
        yield ScriptRunner(run, lambda text: (text or {}).get("en", ""))

    def on_script_runner_answered(self, message: ScriptRunner.Answered) -> None:
        self.answers[message.node.id] = message.value


async def to_volume(pilot) -> ScriptRunner:
    runner = pilot.app.query_one(ScriptRunner)
    runner.focus()
    for key in ("enter", "y", "1"):  # read the greeting, convenient: yes, need: office supplies
        await pilot.press(key)
    await pilot.pause()
    assert runner.node.id == "volume"
    return runner


async def test_a_refused_number_stays_in_the_field_selected_and_the_next_one_replaces_it() -> None:
    app = Harness()
    async with app.run_test() as pilot:
        runner = await to_volume(pilot)
        field = runner.query_one("#script-input", Input)
        assert field.has_focus
        await pilot.press(*"abc", "enter")
        await pilot.pause()
        assert runner.node.id == "volume" and field.has_focus
        assert field.value == "abc"  # kept, to correct or to replace
        await pilot.press(*"15000", "enter")
        await pilot.pause()
        assert app.answers["volume"] == 15000


async def test_going_back_to_a_number_and_correcting_it_replaces_the_old_answer() -> None:
    app = Harness()
    async with app.run_test() as pilot:
        runner = await to_volume(pilot)
        await pilot.press(*"15000", "enter")
        await pilot.pause()
        assert runner.node.id == "offer-consent"
        runner.focus()
        await pilot.press("ctrl+b")
        await pilot.pause()
        field = runner.query_one("#script-input", Input)
        assert runner.node.id == "volume" and field.value == "15000"
        await pilot.press(*"x1", "enter")
        await pilot.pause()
        assert runner.node.id == "volume" and field.value == "x1"
        await pilot.press(*"25000", "enter")
        await pilot.pause()
        assert app.answers["volume"] == 25000


async def _convenient(language: str, key: str) -> object:
    """The answer the first yes/no question (convenient?) gets from ``key``, in an interface in ``language``."""
    from operator_tui.tui import i18n

    i18n.set_language(language)
    try:
        app = Harness()
        async with app.run_test() as pilot:
            app.query_one(ScriptRunner).focus()
            await pilot.press("enter", key)
            await pilot.pause()
            return app.answers.get("convenient")
    finally:
        i18n.set_language("en")


async def test_yes_and_no_by_the_hints_letters_and_by_the_english_keys_in_the_russian_layout() -> None:
    # English: y / n, and the same keys in the Russian layout (н, т).
    assert [await _convenient("en", key) for key in ("y", "н", "n", "т")] == [True, True, False, False]
    # Russian: д / н (да / нет) as the hint says; н is "нет" there, whatever key types it.
    assert [await _convenient("ru", key) for key in ("д", "y", "н", "n", "т")] == [True, True, False, False, False]
