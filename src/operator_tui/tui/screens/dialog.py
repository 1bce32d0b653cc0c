"""The base of every dialog: a modal screen that closes once.

A terminal delivers a burst of keys at once, and Textual queues them all to the dialog that is on top when they
arrive. Two of them that each close it (two outcome keys typed quickly, say) would call ``dismiss`` twice: the
second pops the screen under the dialog (the call), with nobody's result, and leaves a blank app. Here a closed
dialog ignores every later try to close it, and the keys after the first are dropped with it.
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    _dismissing = False

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self._dismissing:
            return AwaitComplete(asyncio.sleep(0))
        self._dismissing = True
        return super().dismiss(result)
