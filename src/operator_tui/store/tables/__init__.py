"""Every table of the domain, designed up front so later features add rather than reshape.

Import from here; Alembic's ``env.py`` reads ``SQLModel.metadata`` after importing this package.
"""

from operator_tui.store.tables.audit import AuditEntry, ImportBatch
from operator_tui.store.tables.calls import Answer, Callback, Interaction, Task
from operator_tui.store.tables.customers import ContactPermission, Customer, Purchase, StageChange
from operator_tui.store.tables.people import OperatorStatus, Team, User
from operator_tui.store.tables.playbooks import ChecklistVersion, PlaybookVersion, ScriptVersion
from operator_tui.store.tables.qa import Calibration, Dispute, DisputeEvent, ItemScore, Review
from operator_tui.store.tables.queue import QueueEntry
from operator_tui.store.tables.reports import CallDay, RollupMark, StageDay

__all__ = [
    "Answer",
    "AuditEntry",
    "Calibration",
    "CallDay",
    "Callback",
    "ChecklistVersion",
    "ContactPermission",
    "Customer",
    "Dispute",
    "DisputeEvent",
    "ImportBatch",
    "Interaction",
    "ItemScore",
    "OperatorStatus",
    "PlaybookVersion",
    "Purchase",
    "QueueEntry",
    "Review",
    "RollupMark",
    "ScriptVersion",
    "StageChange",
    "StageDay",
    "Task",
    "Team",
    "User",
]
