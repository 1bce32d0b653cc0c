"""The lists of the QA screens: reviews, calibrations, disputes; one row per thing, keyed by its id.

Each is a DataTable with row cursor whose Enter has an id and a name (the footer shows it, a keymap may move it);
what Enter does is the screen's business, through ``DataTable.RowSelected``.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from operator_tui.tui.i18n import N_
from operator_tui.tui.widgets.fitted_table import FittedTable


class RowTable(DataTable[object]):
    """A table of rows keyed by integer ids."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)

    @property
    def current_id(self) -> int | None:
        """The id of the highlighted row, if there is one."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        return None if key is None else int(key)

    def keep_place(self, row_id: int | None, index: int, moved: bool) -> None:
        """After a reload of a work list: stay on the row worked on, unless its work is done and it ``moved`` to
        another section; then stay at its place in the list, which is now the next one waiting."""
        if moved:
            if self.row_count:
                self.move_cursor(row=min(index, self.row_count - 1))
        else:
            self.go_to(row_id)

    def go_to(self, row_id: int | None) -> None:
        """Put the cursor on ``row_id`` when it is listed, else leave it where it is."""
        if row_id is None:
            return
        try:
            self.move_cursor(row=self.get_row_index(str(row_id)))
        except RowDoesNotExist:
            return


class ReviewTable(RowTable, FittedTable):
    BINDINGS = [Binding("enter", "select_cursor", N_("Open"), id="reviews.open")]


class CalibrationTable(RowTable):
    BINDINGS = [Binding("enter", "select_cursor", N_("Open"), id="calibrations.open")]


class DisputeTable(RowTable):
    BINDINGS = [Binding("enter", "select_cursor", N_("Resolve / read"), id="disputes.open")]
