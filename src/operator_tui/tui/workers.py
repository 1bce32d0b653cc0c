"""How the results and failures of thread workers reach the UI.

Screens and widgets run service calls with ``@work(thread=True, exclusive=True, exit_on_error=False)`` and post a
message with the result. A worker that raises instead is reported once, by the app: every screen or widget that
runs workers mixes in :class:`ReportsWorkerErrors`, which sends the failure up as a :class:`WorkerFailed`.

Writes whose order matters (draft answers typed one after another, state changes) go through
:class:`SerialCalls`: one worker at a time drains them in the order they were made, so a later answer is never
overwritten by an earlier one that happened to finish last.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from textual.message_pump import MessagePump
from textual.worker import Worker, WorkerState

from operator_tui.tui.messages import SerialDone, WorkerFailed


class ReportsWorkerErrors(MessagePump):
    """Mix into a Screen or Widget (before it in the bases) so its failed workers reach the app's handler."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.post_message(WorkerFailed(event.worker.error, event.worker.name))

    def on_serial_done(self, message: SerialDone) -> None:
        message.stop()
        message.callback(message.result)


Call = Callable[[], Any]
Done = Callable[[Any], object]


class SerialCalls:
    """Service calls run one after another, in order, in a thread worker of ``node`` (a ReportsWorkerErrors).

    A call that raises is reported like a failed worker (a notification) and the rest still run; ``done`` runs
    on the UI thread with the result of its call.
    """

    def __init__(self, node: Any, name: str) -> None:
        self._node = node
        self._name = name
        self._pending: deque[tuple[Call, Done | None]] = deque()
        self._lock = threading.Lock()
        self._running = False

    def add(self, call: Call, done: Done | None = None) -> None:
        with self._lock:
            self._pending.append((call, done))
            if self._running:
                return
            self._running = True
        self._node.run_worker(self._drain, name=self._name, group=self._name, thread=True, exit_on_error=False)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._pending:
                    self._running = False
                    return
                call, done = self._pending.popleft()
            try:
                result = call()
            except Exception as exc:
                self._node.post_message(WorkerFailed(exc, self._name))
                continue
            if done is not None:
                self._node.post_message(SerialDone(done, result))
