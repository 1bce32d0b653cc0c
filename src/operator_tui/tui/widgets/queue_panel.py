"""The queue as an operator sees it: how many wait in each tier and the next few names, never the whole table.

It renders a ``queue_explain.Preview`` (index reads capped at 1000 rows); the screen refreshes it from a worker.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from operator_tui.core.queue_rules import QUEUE_TIERS, TIER_LABELS
from operator_tui.services.queue_explain import Preview

NAME = 25  # characters of a name in the panel's width


def preview_content(preview: Preview | None) -> Content:
    if preview is None:
        return Content.from_markup("[dim]Reading the queue…[/dim]")
    lines = [Content.from_markup("[b]Waiting now[/b]")]
    for tier in QUEUE_TIERS:
        count = preview.depths.get(tier.value, 0)
        shown = f"{count}+" if count >= preview.capped or tier.value in preview.more else str(count)
        lines.append(Content.styled(f"  {TIER_LABELS[tier]:<15}{shown:>6}", "" if count else "dim"))
    lines.append(Content(""))
    lines.append(Content.from_markup("[b]Next up[/b]"))
    if not preview.upcoming:
        lines.append(Content.from_markup("[dim]  nobody callable now[/dim]"))
    for number, upcoming in enumerate(preview.upcoming, 1):
        name = upcoming.name if len(upcoming.name) <= NAME else upcoming.name[: NAME - 1] + "…"
        lines.append(Content.from_markup("  $n. $name", n=str(number), name=name))
        lines.append(Content.styled(f"     {_tier_label(upcoming.tier)}", "dim"))
    return Content("\n").join(lines)


def _tier_label(tier: str) -> str:
    return next((label for t, label in TIER_LABELS.items() if t.value == tier), tier)


class QueuePanel(Static):
    """Depth per tier and the next few customers."""

    def __init__(self, *, id: str | None = "queue-panel") -> None:
        super().__init__(preview_content(None), id=id)
        self.border_title = "Queue"

    def show(self, preview: Preview) -> None:
        self.update(preview_content(preview))
