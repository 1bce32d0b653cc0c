"""The operator's one-line status: state and time in it, today's calls, reached, conversions and NPS.

It reads the shared :class:`OperatorState` and the app's clock once a second; it never calls a service itself.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from operator_tui.tui.clock import Clock, elapsed
from operator_tui.tui.figures import nps as nps_text
from operator_tui.tui.i18n import N_, _, ngettext
from operator_tui.tui.operator_state import ON_CALL, PAUSED, PREVIEW, READY, WRAP_UP, OperatorState

STATE_LABELS = {
    READY: N_("Ready"), PREVIEW: N_("Preview"), ON_CALL: N_("On call"), WRAP_UP: N_("Wrap-up"), PAUSED: N_("Paused"),
}  # fmt: skip
STATE_CLASSES = {READY: "-ready", PREVIEW: "-preview", ON_CALL: "-on-call", WRAP_UP: "-wrap-up", PAUSED: "-paused"}


def status_content(state: OperatorState, now_text: str, *, compact: bool = False) -> Content:
    """State, time in it, today's figures; ``compact`` for a narrow terminal (shorter words, same figures)."""
    label = _(STATE_LABELS[state.state]) if state.state in STATE_LABELS else state.state.capitalize()
    if state.state == PAUSED and state.reason_label:
        label += f" · {state.reason_label}"
    parts = [Content.from_markup("[b]● $label[/b] $time", label=label, time=now_text)]
    today = state.today
    if today is not None:
        nps = nps_text(today.nps)  # as "My figures" and the reports write it: 0.0 unsigned
        calls = (
            ngettext("[b]$n[/b] call", "[b]$n[/b] calls", today.calls)
            if compact
            else ngettext("Today [b]$n[/b] call", "Today [b]$n[/b] calls", today.calls)
        )
        figures = [
            Content.from_markup(calls, n=str(today.calls)),
            Content.from_markup(
                ngettext("[b]$n[/b] reached", "[b]$n[/b] reached", today.reached), n=str(today.reached)
            ),
            Content.from_markup(
                ngettext("[b]$n[/b] conversion", "[b]$n[/b] conversions", today.conversions),
                n=str(today.conversions),
            ),
            Content.from_markup(_("NPS [b]$nps[/b]"), nps=nps),  # net, as in "My figures" and the reports
        ]
        parts.append(Content(" · ").join(figures))
    if state.pause_after is not None and state.state != PAUSED:
        parts.append(Content.from_markup(_("[i]pause after this call: $why[/i]"), why=state.pause_after[1]))
    return Content(" │ " if compact else "  │  ").join(parts)


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
        since = elapsed(self.state.since, self.clock())
        content = status_content(self.state, since)
        if self.size.width and content.cell_length > self.content_region.width:
            content = status_content(self.state, since, compact=True)
        self.update(content)
        for state, css in STATE_CLASSES.items():
            self.set_class(self.state.state == state, css)
