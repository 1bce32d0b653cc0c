"""The operator's one-line status: state and time in it, today's calls, reached, conversions and average NPS.

It reads the shared :class:`OperatorState` and the app's clock once a second; it never calls a service itself.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from operator_tui.tui.clock import Clock, elapsed
from operator_tui.tui.operator_state import ON_CALL, PAUSED, READY, WRAP_UP, OperatorState

STATE_LABELS = {READY: "Ready", ON_CALL: "On call", WRAP_UP: "Wrap-up", PAUSED: "Paused"}
STATE_CLASSES = {READY: "-ready", ON_CALL: "-on-call", WRAP_UP: "-wrap-up", PAUSED: "-paused"}


def status_content(state: OperatorState, now_text: str) -> Content:
    label = STATE_LABELS.get(state.state, state.state.capitalize())
    if state.state == PAUSED and state.reason_label:
        label += f" · {state.reason_label}"
    parts = [Content.from_markup("[b]● $label[/b] $time", label=label, time=now_text)]
    today = state.today
    if today is not None:
        nps = "–" if today.average_nps is None else f"{today.average_nps:.1f}"
        parts.append(
            Content.from_markup(
                "Today [b]$calls[/b] $call_word · [b]$reached[/b] reached · [b]$conv[/b] $conv_word · NPS [b]$nps[/b]",
                calls=str(today.calls),
                call_word="call" if today.calls == 1 else "calls",
                reached=str(today.reached),
                conv=str(today.conversions),
                conv_word="conversion" if today.conversions == 1 else "conversions",
                nps=nps,
            )
        )
    if state.pause_after is not None and state.state != PAUSED:
        parts.append(Content.from_markup("[i]pause after this call: $why[/i]", why=state.pause_after[1]))
    return Content("  │  ").join(parts)


class StatusBar(Static):
    """State, time in state and today's figures, refreshed every second from the app's clock."""

    def __init__(self, state: OperatorState, clock: Clock, *, id: str | None = "status-bar") -> None:
        super().__init__(id=id)
        self.state = state
        self.clock = clock

    def on_mount(self) -> None:
        self.show()
        self.set_interval(1.0, self.show)

    def show(self) -> None:
        self.update(status_content(self.state, elapsed(self.state.since, self.clock())))
        for state, css in STATE_CLASSES.items():
            self.set_class(self.state.state == state, css)
