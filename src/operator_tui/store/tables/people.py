"""Users (operators, supervisors, admins), their teams, and each operator's live state."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from operator_tui.store.tables.base import created, when


class Team(SQLModel, table=True):
    __tablename__ = "team"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=80)
    created_at: datetime = created()


class User(SQLModel, table=True):
    # "user" is reserved in PostgreSQL.
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(unique=True, max_length=40)
    full_name: str = Field(max_length=120)
    role: str = Field(max_length=16)  # core.roles.Role
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    pin_hash: str = Field(max_length=200)
    failed_pins: int = 0
    locked_until: datetime | None = when()
    active: bool = True
    language: str = Field(default="auto", max_length=5)  # en, ru, or auto: the terminal's (services.accounts)
    created_at: datetime = created()
    last_login_at: datetime | None = when()


class OperatorStatus(SQLModel, table=True):
    """One row per operator, updated in place: what the live board reads (ready / on call / wrap-up / paused)."""

    __tablename__ = "operator_status"

    user_id: int = Field(primary_key=True, foreign_key="user_account.id")
    state: str = Field(default="offline", max_length=16)
    reason: str | None = Field(default=None, max_length=40)
    since: datetime = created()
    customer_id: int | None = Field(default=None, foreign_key="customer.id")
    strategy_id: str | None = Field(default=None, max_length=60)
    updated_at: datetime = created()
