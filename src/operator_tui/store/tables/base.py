"""Helpers every table module uses: UTC timestamp columns and the metadata naming convention."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from operator_tui.store.coltypes import UTCDateTime, utcnow

# Stable constraint names, so Alembic can alter them later on SQLite (batch mode) and PostgreSQL alike.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def when(*, nullable: bool = True, index: bool = False, now: bool = False) -> Any:
    """A UTC timestamp column; ``now=True`` defaults it to the moment of insert."""
    if now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False, index=index)
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def created() -> Any:
    return when(now=True)


Timestamp = datetime
