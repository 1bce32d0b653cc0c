"""The queue as an operator sees it: how many wait in each tier and the next few names, never the whole table.

It renders a ``queue_explain.Preview`` (index reads capped at 1000 rows); the screen refreshes it from a worker.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from operator_tui.core.queue_rules import QUEUE_TIERS, Tier
from operator_tui.services.queue_explain import Preview
from operator_tui.tui.i18n import N_, _

NAME = 25  # characters of a name in the panel's width (less in a narrower panel)
TIER_LABELS = {
    Tier.OWN_CALLBACK: N_("your callback"),
    Tier.CALLBACK: N_("callback"),
    Tier.TASK: N_("task"),
    Tier.DUE: N_("due retry"),
    Tier.FRESH: N_("fresh"),
    Tier.INBOUND: N_("opened by you"),
}
"""The queue's tiers as the operator reads them (the core's ``TIER_LABELS``, in the interface language)."""


def preview_content(preview: Preview | None, name_room: int = NAME) -> Content:
    if preview is None:
        return Content.styled(_("Reading the queue…"), "dim")
    lines = [Content.styled(_("Waiting now"), "bold")]
    for tier in QUEUE_TIERS:
        count = preview.depths.get(tier.value, 0)
        shown = f"{count}+" if count >= preview.capped or tier.value in preview.more else str(count)
        lines.append(Content.styled(f"  {_(TIER_LABELS[tier]):<15}{shown:>6}", "" if count else "dim"))
    lines.append(Content(""))
    lines.append(Content.styled(_("Next up"), "bold"))
    if not preview.upcoming:
        lines.append(Content.styled("  " + _("nobody callable now"), "dim"))
    for number, upcoming in enumerate(preview.upcoming, 1):
        name = upcoming.name if len(upcoming.name) <= name_room else upcoming.name[: name_room - 1] + "…"
        lines.append(Content.from_markup("  $n. $name", n=str(number), name=name))
        lines.append(Content.styled(f"     {_tier_label(upcoming.tier)}", "dim"))
    return Content("\n").join(lines)


def _tier_label(tier: str) -> str:
    return next((_(label) for t, label in TIER_LABELS.items() if t.value == tier), tier)


class QueuePanel(Static):
    """Depth per tier and the next few customers."""

    def __init__(self, *, id: str | None = "queue-panel") -> None:
        super().__init__(preview_content(None), id=id)
        self.border_title = _("Queue")
        self.preview: Preview | None = None

    def _name_room(self) -> int:
        width = self.content_region.width
        return NAME if width <= 0 else max(8, min(NAME, width - 5))  # "  1. " before the name

    def show(self, preview: Preview) -> None:
        self.preview = preview
        self.update(preview_content(preview, self._name_room()))

    def on_resize(self) -> None:
        if self.preview is not None:
            self.update(preview_content(self.preview, self._name_room()))
