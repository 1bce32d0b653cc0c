"""Loaded playbooks and the versions of scripts and checklists they define.

A script or checklist version that a call or review used is never changed: loading an edited playbook stores a
new version and old calls keep pointing at theirs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from operator_tui.store.tables.base import created


class PlaybookVersion(SQLModel, table=True):
    __tablename__ = "playbook_version"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    source_text: str = Field(sa_type=Text)  # the YAML as loaded (a folder's files merged), for audit and reload
    content_hash: str = Field(max_length=64)
    active: bool = Field(default=False, index=True)
    loaded_at: datetime = created()
    loaded_by: int | None = Field(default=None, foreign_key="user_account.id")


class ScriptVersion(SQLModel, table=True):
    __tablename__ = "script_version"
    __table_args__ = (UniqueConstraint("script_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    script_id: str = Field(max_length=60)
    version: int
    content_hash: str = Field(max_length=64)
    definition: str = Field(sa_type=Text)  # canonical JSON of the script
    playbook_version_id: int | None = Field(default=None, foreign_key="playbook_version.id")
    created_at: datetime = created()


class ChecklistVersion(SQLModel, table=True):
    __tablename__ = "checklist_version"
    __table_args__ = (UniqueConstraint("checklist_id", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    checklist_id: str = Field(max_length=60)
    version: int
    content_hash: str = Field(max_length=64)
    definition: str = Field(sa_type=Text)
    playbook_version_id: int | None = Field(default=None, foreign_key="playbook_version.id")
    created_at: datetime = created()
