"""Stage changes: which stage an outcome moves a customer to, per the playbook's advance rules and transitions.

A change is only made along an allowed transition; the playbook check already refuses advance rules that break
that, and this function checks again so that a later edit of the transitions can never move a customer illegally.
"""

from __future__ import annotations

from operator_tui.core.playbook.models import ANY_STAGE, Outcome, Playbook


def stage_after(playbook: Playbook, stage: str, outcome: Outcome) -> str | None:
    """The stage ``outcome`` moves a customer in ``stage`` to, or None when it stays."""
    target = outcome.advance.get(stage) or outcome.advance.get(ANY_STAGE)
    if target is None or target == stage or not playbook.allowed(stage, target):
        return None
    return target
