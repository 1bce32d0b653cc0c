"""Every class of the quality-review screens that has bindings: the app lists them so a keymap may name their ids."""

from __future__ import annotations

from textual.dom import DOMNode

from operator_tui.tui.screens.calibration_result import CalibrationResultScreen
from operator_tui.tui.screens.calibrations import CalibrationsScreen
from operator_tui.tui.screens.disputes import DisputesScreen
from operator_tui.tui.screens.my_reviews import MyReviewsScreen
from operator_tui.tui.screens.note import NotePrompt
from operator_tui.tui.screens.resolve import ResolveDialog
from operator_tui.tui.screens.review import ReviewScreen
from operator_tui.tui.screens.reviewers import ReviewerPicker
from operator_tui.tui.screens.test_call import TestCallScreen
from operator_tui.tui.widgets.checklist import ChecklistPanel
from operator_tui.tui.widgets.qa_tables import CalibrationTable, DisputeTable, ReviewTable

QA_KEYED: list[type[DOMNode]] = [
    ReviewScreen,
    ChecklistPanel,
    ReviewTable,
    CalibrationTable,
    DisputeTable,
    CalibrationsScreen,
    CalibrationResultScreen,
    DisputesScreen,
    ResolveDialog,
    MyReviewsScreen,
    NotePrompt,
    ReviewerPicker,
    TestCallScreen,
]
