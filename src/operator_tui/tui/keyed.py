"""Every class of the app that has bindings, so that a user keymap may name their ids and F1 may list them.

Importing this imports every screen (and through them the services): the app does it in its loading thread,
after the sign-in form is up (``tui.app``).
"""

from __future__ import annotations

from textual.dom import DOMNode

from operator_tui.tui.screens.call import CallScreen
from operator_tui.tui.screens.callback import CallbackDialog
from operator_tui.tui.screens.help import HelpScreen
from operator_tui.tui.screens.homes import HOME_SCREENS
from operator_tui.tui.screens.login import LoginField, LoginScreen
from operator_tui.tui.screens.numbered_choice import NumberedChoice
from operator_tui.tui.screens.outcome import OutcomePicker
from operator_tui.tui.screens.pause import PauseDialog
from operator_tui.tui.screens.phones import PhonesDialog
from operator_tui.tui.screens.prompt import TextPrompt
from operator_tui.tui.screens.qa_keyed import QA_KEYED
from operator_tui.tui.screens.search import SearchScreen
from operator_tui.tui.widgets.script_runner import ScriptRunner

KEYED: list[type[DOMNode]] = [
    LoginScreen,
    LoginField,
    HelpScreen,
    *HOME_SCREENS.values(),
    CallScreen,
    ScriptRunner,
    OutcomePicker,
    CallbackDialog,
    PauseDialog,
    NumberedChoice,
    TextPrompt,
    SearchScreen,
    PhonesDialog,
    *QA_KEYED,
]
