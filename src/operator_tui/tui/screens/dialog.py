"""The base of every dialog: a modal screen that closes once.

A terminal delivers a burst of keys at once, and Textual queues them all to the dialog that is on top when they
arrive. Two of them that each close it (two outcome keys typed quickly, say) would call ``dismiss`` twice: the
second pops the screen under the dialog (the call), with nobody's result, and leaves a blank app. Here a closed
dialog ignores every later try to close it, and the keys after the first are dropped with it.

Every dialog has its own key bar, over the screen's (whose keys wait until it closes); and Textual leaves the
app's bindings out of a modal screen's, so F1 is bound here again: help is one key everywhere.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.screen import ModalScreen

from operator_tui.tui.i18n import N_
from operator_tui.tui.widgets.key_bar import KeyBar

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    BINDINGS = [Binding("f1", "app.help", N_("Help"), id="dialog.help")]
    _dismissing = False

    def on_mount(self) -> None:
        self.mount(KeyBar())

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self._dismissing:
            return AwaitComplete(asyncio.sleep(0))
        self._dismissing = True
        return super().dismiss(result)
