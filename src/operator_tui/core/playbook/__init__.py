"""The playbook: stages, transitions, outcomes, strategies, scripts, checklists, windows (DESIGN.md)."""

from operator_tui.core.playbook.loader import (
    PlaybookError,
    Problem,
    merge_documents,
    parse_playbook,
    playbook_from_data,
    read_yaml,
)
from operator_tui.core.playbook.models import (
    Checklist,
    Node,
    Outcome,
    OutcomeFlag,
    Playbook,
    QuestionType,
    Script,
    Stage,
    Strategy,
)

__all__ = [
    "Checklist",
    "Node",
    "Outcome",
    "OutcomeFlag",
    "Playbook",
    "PlaybookError",
    "Problem",
    "QuestionType",
    "Script",
    "Stage",
    "Strategy",
    "merge_documents",
    "parse_playbook",
    "playbook_from_data",
    "read_yaml",
]
