"""Interactions (one call attempt each), their answers, and the callbacks and tasks they create."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from operator_tui.store.tables.base import created, when


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"
    __table_args__ = (
        Index("ix_interaction_operator_started", "operator_id", "started_at"),
        Index("ix_interaction_customer_started", "customer_id", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Made by the client before saving, so a retry after a crash or a lost reply never records twice.
    attempt_id: str = Field(max_length=40, unique=True)
    customer_id: int = Field(foreign_key="customer.id")
    operator_id: int = Field(foreign_key="user_account.id")
    strategy_id: str | None = Field(default=None, max_length=60)
    script_version_id: int | None = Field(default=None, foreign_key="script_version.id")
    direction: str = Field(default="outbound", max_length=10)  # outbound | inbound
    phone_dialed: str | None = Field(default=None, max_length=20)
    started_at: datetime = when(nullable=False, index=True)
    answered_at: datetime | None = when()
    ended_at: datetime | None = when()
    wrapup_ended_at: datetime | None = when()
    outcome_code: str = Field(max_length=30)
    reached: bool = False
    success: bool = False
    nps: int | None = None
    stage_before: str | None = Field(default=None, max_length=40)
    stage_after: str | None = Field(default=None, max_length=40)
    note: str | None = Field(default=None, sa_type=Text)
    recording_ref: str | None = Field(default=None, max_length=300)
    is_test: bool = False  # a QA test / mystery call, kept out of operators' production figures


class Answer(SQLModel, table=True):
    """One answer to one script question. Saved as typed (a draft, keyed by the attempt id), final on record."""

    __tablename__ = "answer"
    __table_args__ = (
        UniqueConstraint("attempt_id", "node_id"),
        # Drafts only (answers typed on a call not saved yet), so the screen finds them when the customer is opened
        # again; final answers never enter this index and cost it nothing.
        Index(
            "ix_answer_drafts",
            "customer_id",
            "operator_id",
            sqlite_where=text("final = 0"),
            postgresql_where=text("NOT final"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: str = Field(max_length=40)
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id", index=True)
    customer_id: int = Field(foreign_key="customer.id")
    operator_id: int = Field(foreign_key="user_account.id")
    script_version_id: int | None = Field(default=None, foreign_key="script_version.id")
    node_id: str = Field(max_length=60)
    question_type: str = Field(max_length=10)
    value_text: str | None = Field(default=None, sa_type=Text)
    value_number: float | None = None
    position: int = 0  # order in which the question was answered on the call
    answered_at: datetime = created()
    final: bool = False


class Callback(SQLModel, table=True):
    __tablename__ = "callback"
    __table_args__ = (
        Index("ix_callback_open_due", "status", "due_at"),
        Index("ix_callback_owner_due", "owner_id", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    strategy_id: str | None = Field(default=None, max_length=60)
    due_at: datetime = when(nullable=False)
    owner_id: int | None = Field(default=None, foreign_key="user_account.id")  # None: anyone may take it
    status: str = Field(default="open", max_length=10)  # open | done | cancelled
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created()
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id")
    done_at: datetime | None = when()
    done_interaction_id: int | None = Field(default=None, foreign_key="interaction.id")
    escalated_at: datetime | None = when()  # a personal callback that went overdue and was opened to anyone
    note: str | None = Field(default=None, max_length=500)


class Task(SQLModel, table=True):
    """Work with an SLA that is not a plain call attempt: a complaint, a detractor follow-up."""

    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_open_due", "status", "due_at"),
        Index("ix_task_customer_status", "customer_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=40)
    customer_id: int = Field(foreign_key="customer.id")
    interaction_id: int | None = Field(default=None, foreign_key="interaction.id")
    created_at: datetime = created()
    due_at: datetime = when(nullable=False)
    assignee_id: int | None = Field(default=None, foreign_key="user_account.id")
    status: str = Field(default="open", max_length=10)  # open | done | cancelled
    closed_at: datetime | None = when()
    closed_by: int | None = Field(default=None, foreign_key="user_account.id")
    note: str | None = Field(default=None, sa_type=Text)
