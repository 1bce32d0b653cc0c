"""Quality assurance: reviews of calls against checklists, item scores, calibration sessions and disputes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from operator_tui.store.tables.base import created, when


class Calibration(SQLModel, table=True):
    """Several reviewers score the same call blind; their scores never count in the operator's results."""

    __tablename__ = "calibration"

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int = Field(foreign_key="interaction.id")
    checklist_version_id: int = Field(foreign_key="checklist_version.id")
    created_by: int = Field(foreign_key="user_account.id")
    created_at: datetime = created()
    status: str = Field(default="open", max_length=10)  # open | closed
    closed_at: datetime | None = when()
    note: str | None = Field(default=None, max_length=500)


class Review(SQLModel, table=True):
    __tablename__ = "review"
    __table_args__ = (
        Index("ix_review_operator_created", "operator_id", "created_at"),
        Index("ix_review_reviewer_status", "reviewer_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id", index=True)
    checklist_version_id: int = Field(foreign_key="checklist_version.id")
    operator_id: int = Field(foreign_key="user_account.id")
    reviewer_id: int = Field(foreign_key="user_account.id")
    kind: str = Field(default="sample", max_length=12)  # sample | supervisor | calibration | test
    calibration_id: int | None = Field(default=None, foreign_key="calibration.id")
    sample_month: str | None = Field(default=None, max_length=7)  # YYYY-MM of the review plan it came from
    status: str = Field(default="draft", max_length=10)  # draft | submitted
    score: float | None = None  # 0..100, 0 when a critical item failed
    critical_failed: bool = False
    comment: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = created()
    submitted_at: datetime | None = when()
    supersedes_id: int | None = Field(default=None, foreign_key="review.id")  # a re-score after a dispute


class ItemScore(SQLModel, table=True):
    __tablename__ = "item_score"
    __table_args__ = (UniqueConstraint("review_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id")
    item_id: str = Field(max_length=60)
    value: int | None = None  # None with na=False means not yet scored
    na: bool = False
    comment: str | None = Field(default=None, max_length=1000)


class Dispute(SQLModel, table=True):
    __tablename__ = "dispute"

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    operator_id: int = Field(foreign_key="user_account.id", index=True)
    reason: str = Field(sa_type=Text)
    status: str = Field(default="open", max_length=16)  # open | accepted | partly_accepted | rejected
    created_at: datetime = created()
    resolved_by: int | None = Field(default=None, foreign_key="user_account.id")
    resolved_at: datetime | None = when()
    resolution_note: str | None = Field(default=None, sa_type=Text)
    rescored_review_id: int | None = Field(default=None, foreign_key="review.id")


class DisputeEvent(SQLModel, table=True):
    """The history of a dispute: opened, commented, accepted, re-scored, rejected."""

    __tablename__ = "dispute_event"

    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", index=True)
    at: datetime = created()
    user_id: int = Field(foreign_key="user_account.id")
    action: str = Field(max_length=20)
    note: str | None = Field(default=None, sa_type=Text)
