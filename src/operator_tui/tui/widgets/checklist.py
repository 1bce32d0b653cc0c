"""A checklist scored item by item with the keyboard: the review screen, the test call and the dispute's re-score
all use it.

Up and down move between items (section names are passed over); a digit sets the highlighted item's mark within
its scale (see :mod:`operator_tui.tui.qa_marks`), ``n`` or ``-`` marks it N/A where the checklist allows, Backspace
clears it. The panel only shows marks and says what was typed: each change is posted as :class:`Marked` and the
screen decides what it means (a draft saved at once, a mark kept for later). A read-only panel moves but marks
nothing. Item texts are data, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from operator_tui.core.qa_score import NA, ItemMark
from operator_tui.services.qa_reviews import ItemMarkView
from operator_tui.tui.fit import hang_after
from operator_tui.tui.i18n import N_, _
from operator_tui.tui.qa_marks import confirm, mark_text, scale_text, take_digit

ITEM = "item-"


class ChecklistPanel(OptionList):
    BINDINGS = [
        Binding("up", "cursor_up", N_("Previous item"), show=False, id="checklist.up"),
        Binding("down", "cursor_down", N_("Next item"), show=False, id="checklist.down"),
        Binding("n,minus", "na", N_("N/A"), id="checklist.na"),
        Binding("backspace", "clear", N_("Clear the mark"), id="checklist.clear"),
        Binding("enter", "confirm", N_("Set the typed mark"), show=False, id="checklist.confirm"),
    ]

    class Marked(Message):
        """The reviewer set (a value or "na") or cleared (None) the mark of ``item_id``."""

        def __init__(self, item_id: str, mark: ItemMark) -> None:
            super().__init__()
            self.item_id = item_id
            self.mark = mark

    class Said(Message):
        """Something to tell the reviewer in place: digits waiting, or why a key set nothing."""

        def __init__(self, text: str, *, error: bool = False) -> None:
            super().__init__()
            self.text = text
            self.error = error

    def __init__(self, *, editable: bool = True, id: str | None = "checklist") -> None:
        super().__init__(id=id)
        self.items: list[ItemMarkView] = []
        self.marks: dict[str, ItemMark] = {}
        self.comments: dict[str, str | None] = {}
        self.was: dict[str, ItemMark] | None = None  # the marks before a re-score: changed items say so
        self.editable = editable
        self.read_only = _("Read only.")  # what a digit on a read-only checklist says
        self.typed = ""
        self._laid_out_for = 0  # the room the items' lines were made for

    # --- content ------------------------------------------------------------------------------------------------

    def show(
        self, items: Iterable[ItemMarkView], *, editable: bool | None = None, was: dict[str, ItemMark] | None = None
    ) -> None:
        """Show ``items`` with their marks and comments; the highlight stays on the same item if it still exists."""
        current = self.item_id
        self.items = list(items)
        self.marks = {i.item_id: (NA if i.na else i.value) for i in self.items}
        self.comments = {i.item_id: i.comment for i in self.items}
        self.was = was
        if editable is not None:
            self.editable = editable
        self.typed = ""
        self._laid_out_for = self._room()
        options: list[Option] = []
        section = None
        for item in self.items:
            if item.section != section:
                section = item.section
                heading = Content.assemble(" ", (section, "bold"))  # off the frame, over the marks
                options.append(Option(heading, id=f"section-{len(options)}", disabled=True))
            options.append(Option(self._prompt(item), id=ITEM + item.item_id))
        self.clear_options()
        self.add_options(options)
        first = self.items[0].item_id if self.items else None
        target = current if current in self.marks else self.first_unmarked() or first
        if target is not None:
            self.go_to(target)
        self.refresh_bindings()

    def _prompt(self, item: ItemMarkView) -> Content:
        mark = self.marks.get(item.item_id)
        failed = item.critical and mark == item.scale[0]
        style = "bold $text-error" if failed else "bold $text-accent" if mark is not None else "$text-muted"
        flags = [scale_text(item.scale)]
        if item.critical:
            flags.append(_("✗ critical failed") if failed else _("critical"))
        if not item.na_allowed:
            flags.append(_("no N/A"))
        tags = Content.styled(" · ".join(flags), "dim")
        width = self._room()
        # The item's text wrapped under itself, right of the mark (the list's own wrapping starts at the frame).
        mark_cell = Content.assemble((f"{mark_text(mark):^5}", style), " ")
        lines = hang_after(mark_cell, item.text, 6, width - 2 if width else None)
        if width and lines[-1].cell_length + 1 + tags.cell_length > width - 2:  # the tags on a line of their own
            lines.append(Content("      ") + tags)
        else:
            lines[-1] = Content.assemble(lines[-1], " ", tags)
        if self.was is not None and self.was.get(item.item_id) != mark:
            was = _("was {mark}").format(mark=mark_text(self.was.get(item.item_id)))
            lines.append(Content.styled(f"      {was}", "$text-warning"))
        comment = self.comments.get(item.item_id)
        if comment:
            lines.append(Content.assemble("      ↳ ", (comment, "italic $text-muted")))
        return Content("\n").join(lines)

    def set_mark(self, item_id: str, mark: ItemMark) -> None:
        self.marks[item_id] = mark
        self._redraw(item_id)

    def set_comment(self, item_id: str, comment: str | None) -> None:
        self.comments[item_id] = comment
        self._redraw(item_id)

    def _room(self) -> int:
        """The cells an item's line has, as if the scroll bar showed (0 before the list is laid out): whether the
        bar shows depends on how the items wrap, which must not depend on the bar in turn."""
        region = self.scrollable_content_region.width
        return region + self.scrollbar_size_vertical - self.styles.scrollbar_size_vertical if region else 0

    def on_resize(self) -> None:
        """The items again for the width the list has now (it may have been shown before it was laid out)."""
        if self.items and self._room() != self._laid_out_for:
            self._laid_out_for = self._room()
            for item in self.items:
                self._redraw(item.item_id)

    def _redraw(self, item_id: str) -> None:
        item = self.item(item_id)
        if item is not None:
            self.replace_option_prompt(ITEM + item_id, self._prompt(item))

    # --- where the highlight is ---------------------------------------------------------------------------------

    @property
    def item_id(self) -> str | None:
        if self.highlighted is None or not self.option_count:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        return option_id.removeprefix(ITEM) if option_id.startswith(ITEM) else None

    def item(self, item_id: str | None) -> ItemMarkView | None:
        return next((i for i in self.items if i.item_id == item_id), None)

    @property
    def current(self) -> ItemMarkView | None:
        return self.item(self.item_id)

    def go_to(self, item_id: str) -> None:
        self.highlighted = self.get_option_index(ITEM + item_id)

    def first_unmarked(self) -> str | None:
        return next((i.item_id for i in self.items if self.marks.get(i.item_id) is None), None)

    def _next(self) -> None:
        """On to the next item after a mark; the last item keeps the highlight (no wrapping to the top)."""
        ids = [i.item_id for i in self.items]
        here = self.item_id
        if here is not None and ids.index(here) + 1 < len(ids):
            self.go_to(ids[ids.index(here) + 1])

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        if self.typed:
            self.typed = ""
            self.post_message(self.Said(""))

    # --- keys ---------------------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("na", "clear", "confirm"):
            return self.editable
        return True

    def on_key(self, event: events.Key) -> None:
        if not (event.character and event.character.isdigit()):
            return
        event.stop()
        event.prevent_default()
        item = self.current
        if not self.editable:
            self.post_message(self.Said(self.read_only))
            return
        if item is None:
            return
        typed = take_digit(self.typed, event.character, item.scale)
        self._typed(item, typed.mark, typed.waiting, typed.refusal)

    def action_confirm(self) -> None:
        item = self.current
        if item is not None and self.typed:
            typed = confirm(self.typed, item.scale)
            self._typed(item, typed.mark, "", typed.refusal)

    def _typed(self, item: ItemMarkView, mark: int | None, waiting: str, refusal: str | None) -> None:
        self.typed = waiting
        if refusal is not None:
            self.post_message(self.Said(refusal, error=True))
        elif waiting:
            self.post_message(
                self.Said(_("typed {digits}: Enter sets {digits}, or type the next digit").format(digits=waiting))
            )
        elif mark is not None:
            self.post_message(self.Said(""))
            self._mark(item, mark)

    def action_na(self) -> None:
        item = self.current
        if item is None:
            return
        if not item.na_allowed:
            self.post_message(
                self.Said(
                    _("This item cannot be N/A: give it a mark {scale}.").format(scale=scale_text(item.scale)),
                    error=True,
                )
            )
            return
        self.post_message(self.Said(""))
        self._mark(item, NA)

    def action_clear(self) -> None:
        item = self.current
        if item is None:
            return
        if self.typed:
            self.typed = ""
            self.post_message(self.Said(""))
            return
        self.set_mark(item.item_id, None)
        self.post_message(self.Marked(item.item_id, None))

    def _mark(self, item: ItemMarkView, mark: ItemMark) -> None:
        self.set_mark(item.item_id, mark)
        self.post_message(self.Marked(item.item_id, mark))
        self._next()
