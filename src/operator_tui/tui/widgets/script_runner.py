"""The script runner: the strategy's script one node at a time, answered with as few keys as possible.

Keys, by question type (no timers anywhere):

* a line to read (``say``): Enter or space goes on;
* NPS and scales: a digit answers at once, unless more digits could follow (``1`` on 0..10 waits: ``0`` makes it
  10, Enter makes it 1);
* single choice: the option's number; several choices: numbers tick, Enter confirms;
* yes/no: ``y`` or ``n``;
* text, number, date: typed in a field, Enter answers;
* Enter on a question answered before (after going back) keeps that answer; ``ctrl+b`` goes back one question.

Every accepted answer is posted as :class:`ScriptRunner.Answered` (the screen saves it as a draft at once); the end
of the script is posted as :class:`ScriptRunner.Ended` (the screen opens the outcome picker). A refused answer
changes nothing and says why, in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static
from textual.widgets.input import Selection

from operator_tui.core.answers import AnswerError, AnswerValue
from operator_tui.core.playbook import Node, QuestionType
from operator_tui.tui.fit import cut
from operator_tui.tui.i18n import N_, _, current_language
from operator_tui.tui.script_state import ScriptRun, as_text, digit_range, wants_more_digits
from operator_tui.tui.widgets.field import Field

TextOf = Callable[[dict[str, str] | None], str]
INPUT_TYPES = (QuestionType.TEXT, QuestionType.NUMBER, QuestionType.DATE)
# Yes and no by the letters the hint names: y / n in English, д / н (да / нет) in Russian. The English y and n
# keys count in the other layout too (н and т in Russian), but the Russian interface's н is "нет": its no wins.
YES_NO_KEYS = {
    "en": (frozenset({"y", "н"}), frozenset({"n", "т"})),
    "ru": (frozenset({"д", "y"}), frozenset({"н", "n", "т"})),
}


def yes_no_keys() -> tuple[frozenset[str], frozenset[str]]:
    """The characters that answer yes, and no, in the interface language."""
    return YES_NO_KEYS.get(current_language(), YES_NO_KEYS["en"])


PLACEHOLDERS = {
    QuestionType.TEXT: N_("the answer"),
    QuestionType.NUMBER: N_("a number"),
    QuestionType.DATE: N_("YYYY-MM-DD"),
}


class ScriptRunner(Vertical, can_focus=True):
    BINDINGS = [
        Binding("enter,space", "continue", N_("Continue"), id="script.continue"),
        Binding("ctrl+b", "back", N_("Back"), id="script.back"),
    ]

    class Answered(Message):
        """An answer was accepted: save it as a draft now."""

        def __init__(self, node: Node, value: AnswerValue, position: int) -> None:
            super().__init__()
            self.node = node
            self.value = value
            self.position = position

    class Ended(Message):
        """The script reached an end node: time for the outcome."""

    class Moved(Message):
        """The script went on (or back) a step: the operator is talking to the customer."""

    def __init__(self, run: ScriptRun, text_of: TextOf, *, title: str = "", id: str | None = "script") -> None:
        super().__init__(id=id)
        self.run = run
        self.text_of = text_of
        self.border_title = title or _("Script")
        self.typed = ""  # digits typed towards a number that may still grow
        self.ticked: list[str] = []  # options ticked on a several-choice question

    def compose(self) -> ComposeResult:
        yield Static(id="script-step")
        yield Static(id="script-text")
        yield Static(id="script-hint")
        yield Static(id="script-options")
        yield Field(id="script-input")
        yield Static(id="script-message")
        yield Static(id="script-answers")

    def on_mount(self) -> None:
        self.show()

    @property
    def node(self) -> Node:
        return self.run.node

    @property
    def field(self) -> Input:
        return self.query_one("#script-input", Input)

    # --- keys -------------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Typing an answer, Enter is the field's (it answers) and space a space: the bar must not offer
        # "space Continue" then.
        return not (action == "continue" and self.is_mounted and self.field.has_focus)

    def on_key(self, event: events.Key) -> None:
        if self.field.has_focus or not self.node.is_question or event.character is None:
            return
        key = event.character.lower()
        qtype = self.node.type
        if key.isdigit() and digit_range(self.node) is not None:
            event.stop()
            if qtype is QuestionType.MULTI:
                self._tick(key)
            else:
                self.typed += key
                if wants_more_digits(self.node, self.typed):
                    self.show()
                else:
                    typed, self.typed = self.typed, ""
                    self.submit(typed)
        elif qtype is QuestionType.YESNO and key in (yes_no := yes_no_keys())[0] | yes_no[1]:
            event.stop()
            self.submit("yes" if key in yes_no[0] else "no")
        elif event.is_printable and event.key not in self.screen.active_bindings:
            # Not an answer and not a key of the screen (outcome, dial, skip...): say what would answer.
            event.stop()
            self.say(_how_to_answer(self.node), error=True)

    def action_continue(self) -> None:
        node = self.node
        if not node.is_question:
            if self.run.at_end:
                self.post_message(self.Ended())
                return
            self.run.proceed()
            self._moved()
        elif node.type in INPUT_TYPES:
            self.field.focus()
        elif self.typed:
            typed, self.typed = self.typed, ""
            self.submit(typed)
        elif node.type is QuestionType.MULTI and self.ticked:
            self.submit(list(self.ticked))
        elif (previous := self.run.previous()) is not None:
            self.submit(previous if isinstance(previous, list) else as_text(previous))
        else:
            self.submit(None)  # refused when required, skipped when optional

    def action_back(self) -> None:
        self.typed = ""
        if not self.run.back():
            self.say(_("This is the start of the script."), error=True)
            return
        self._moved()
        if self.run.previous() is not None:
            self.say(_("Back: a new answer replaces the one shown; Enter keeps it."))

    @on(Input.Submitted, "#script-input")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit(event.value)

    # --- answering ----------------------------------------------------------------------------------------------

    def submit(self, raw: Any) -> bool:
        node, position = self.node, self.run.position
        try:
            value = self.run.answer(raw)
        except AnswerError as exc:
            self.typed = ""
            self.say(_refusal(node, raw, exc), error=True)
            self.show(keep_message=True, refused=raw if node.type in INPUT_TYPES and isinstance(raw, str) else None)
            return False
        self.post_message(self.Answered(node, value, position))
        self._moved()
        return True

    def _tick(self, key: str) -> None:
        number = int(key)
        if not 1 <= number <= len(self.node.options):
            self.say(_how_to_answer(self.node), error=True)
            return
        value = self.node.options[number - 1].value
        if value in self.ticked:
            self.ticked.remove(value)
        else:
            self.ticked.append(value)
        self.show()

    def _moved(self) -> None:
        self.post_message(self.Moved())
        self.typed = ""
        previous = self.run.previous()
        self.ticked = list(previous) if isinstance(previous, list) else []
        self.show()
        if self.run.at_end:
            self.post_message(self.Ended())

    # --- drawing ------------------------------------------------------------------------------------------------

    def say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#script-message", Static)
        message.update(text)
        message.set_class(error, "-error")
        message.display = bool(text)

    def show(self, *, keep_message: bool = False, refused: str | None = None) -> None:
        """Draw the current node; ``refused`` is text the field just refused, kept there to correct or replace."""
        node = self.node
        if not keep_message:
            self.say("")
        questions = sum(1 for n in self.run.path if n.is_question)
        if node.end:
            step = _("End of the script")
        elif node.is_question:
            step = _("Question {number}").format(number=questions)
        else:
            step = _("Read out")
        required = " · " + _("required") if node.is_question and node.required else ""
        self.query_one("#script-step", Static).update(Content.styled(f"{step}{required}", "dim"))
        body = self.text_of(node.ask if node.is_question else node.say)
        self.query_one("#script-text", Static).update(Content.styled(body, "bold" if node.is_question else ""))
        self.query_one("#script-hint", Static).update(Content.styled(self._hint(), "italic $text-muted"))
        options = self.query_one("#script-options", Static)
        options.update(self._options())
        options.display = bool(node.options)
        field = self.field
        field.display = node.type in INPUT_TYPES
        if field.display:
            previous = self.run.previous()
            field.placeholder = _(PLACEHOLDERS.get(node.type or QuestionType.TEXT, ""))
            field.value = refused if refused is not None else as_text(previous) or ""
            field.focus()
            field.selection = Selection(0, len(field.value))  # the next key replaces it; arrows keep it
        elif field.has_focus:
            self.focus()
        self.query_one("#script-answers", Static).update(self._answers())

    def _hint(self) -> str:
        node = self.node
        if not node.is_question:
            return _("Enter: the outcome") if node.end else _("Enter or space: go on")
        hint = _how_to_answer(node)
        if self.typed:
            hint = _("typed {digits}: Enter for {digits}, or the next digit").format(digits=self.typed)
        previous = self.run.previous()
        if previous is not None and not self.typed:
            hint += " · " + _("Enter keeps {answer}").format(answer=self.label(node, previous))
        if not node.required and node.type not in INPUT_TYPES and previous is None:
            multi = node.type is QuestionType.MULTI  # its Enter is "done" already
            hint += " · " + (_("nothing ticked skips") if multi else _("Enter skips"))
        return hint

    def _options(self) -> Content:
        node = self.node
        lines = []
        for number, option in enumerate(node.options, 1):
            mark = "✓ " if option.value in self.ticked else ""
            lines.append(
                Content.from_markup("[b]$n[/b]  $mark$label", n=str(number), mark=mark, label=self._opt(option))
            )
        return Content("\n").join(lines)

    def _opt(self, option: Any) -> str:
        return self.text_of(option.label)

    def label(self, node: Node, value: AnswerValue) -> str:
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if node.options and value is not None:
            values = value if isinstance(value, list) else [value]
            labels = {o.value: self._opt(o) for o in node.options}
            return ", ".join(labels.get(str(v), str(v)) for v in values)
        return "–" if value is None else str(as_text(value))

    def _answers(self) -> Content:
        answered = self.run.answers()
        if not answered:
            return Content("")
        lines = [Content.styled(_("Answers"), "bold $text-muted")]
        for node_id, value in answered.items():
            node = self.run.script.node(node_id)
            lines.append(
                Content.from_markup(
                    "[b]$a[/b]  [dim]$q[/dim]", q=cut(self.text_of(node.ask), 48), a=self.label(node, value)
                )
            )
        return Content("\n").join(lines)


def _how_to_answer(node: Node) -> str:
    qtype = node.type
    if qtype is QuestionType.NPS:
        return _("0–10: press a digit (10 is 1 then 0; 1 is 1 then Enter)")
    if qtype is QuestionType.SCALE:
        low, high = digit_range(node) or (0, 10)
        if high >= 10:
            return _("{low}–{high}: press a digit (then Enter or the next digit)").format(low=low, high=high)
        return _("{low}–{high}: press a digit").format(low=low, high=high)
    if qtype is QuestionType.SINGLE:
        return _("press the option's number, 1–{last}").format(last=len(node.options))
    if qtype is QuestionType.MULTI:
        return _("press numbers 1–{last} to tick, Enter when done").format(last=len(node.options))
    if qtype is QuestionType.YESNO:
        return _("y: yes · n: no")
    if qtype is QuestionType.DATE:
        return _("type the date as YYYY-MM-DD, Enter answers")
    if qtype is QuestionType.NUMBER:
        return _("type the number, Enter answers")
    if node.required:
        return _("type the answer, Enter answers")
    return _("type the answer, Enter answers (or leaves it empty)")


def _refusal(node: Node, raw: Any, error: AnswerError) -> str:
    how = _how_to_answer(node)
    if error.kind == "required":
        return _("An answer is required: {how}.").format(how=how)
    why = _why(error)
    if error.kind == "choose" and isinstance(raw, str | int) and str(raw).strip():
        why = _("there is no option {typed}").format(typed=str(raw).strip())  # the range is said in ``how``
    return _("Not accepted: {why}. {how}.").format(why=why, how=how[:1].upper() + how[1:])


def _why(error: AnswerError) -> str:
    """What the core said was wrong with an answer, in the interface's language (its English text otherwise)."""
    facts = error.facts
    if error.kind == "whole":
        return _("enter a whole number from {low} to {high}").format(**facts)
    if error.kind == "outside":
        return _("{value} is outside {low}–{high}").format(**facts)
    if error.kind == "yesno":
        return _("answer y (yes) or n (no)")
    if error.kind == "not_number":
        return _("'{text}' is not a number").format(**facts)
    if error.kind == "min":
        return _("the number must be at least {min}").format(**facts)
    if error.kind == "max":
        return _("the number must be at most {max}").format(**facts)
    if error.kind == "date":
        return _("enter a date like 2026-12-31, not '{text}'").format(**facts)
    if error.kind == "date_min":
        return _("the date must be {first} or later").format(**facts)
    if error.kind == "date_max":
        return _("the date must be {last} or earlier").format(**facts)
    if error.kind == "choose":
        return _("choose 1..{last}").format(**facts)
    return str(error)
