"""The operator's state as the console shows it: ready, preview, on call, wrap-up or paused, since when, today's
figures.

Preview is a card open before the call: read, not yet dialled or talking; the first dial or step of the script
makes it "on call" (a center that dials by hand has no other sign of the call beginning).

One object per sign-in, shared by the operator's screens so the status bar reads the same everywhere; the
database row (``services.operators``) is written from workers, this copy is what the screen shows meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from operator_tui.services.operators import Today

READY, PREVIEW, ON_CALL, WRAP_UP, PAUSED, OFFLINE = "ready", "preview", "on call", "wrap-up", "paused", "offline"


@dataclass
class OperatorState:
    state: str = OFFLINE  # until the console opens and says "ready"
    since: datetime | None = None
    reason: str | None = None  # the pause reason's code, while paused
    reason_label: str | None = None
    today: Today | None = None
    pause_after: tuple[str, str] | None = None  # (code, label): pause as soon as the open call is saved

    def enter(
        self, state: str, at: datetime, reason: tuple[str, str] | None = None, since: datetime | None = None
    ) -> None:
        if state != self.state or (reason and reason[0] != self.reason):
            self.since = since or at
        self.state = state
        self.reason, self.reason_label = reason if reason else (None, None)
