"""The audit log (who did what, when) and the record of imports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from operator_tui.store.tables.base import created


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created()
    user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=30)
    entity_id: str | None = Field(default=None, max_length=40)
    detail: str | None = Field(default=None, sa_type=Text)  # JSON


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # customers | purchases
    file_name: str = Field(max_length=300)
    layout: str = Field(max_length=20)  # native | vicidial
    rows: int
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created()
