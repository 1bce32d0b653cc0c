"""report roll-ups: calls per day along each dimension, stage changes per day, and their watermarks

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 13:03:16.849821
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "call_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dim", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("outcome_code", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("reached", sa.Integer(), nullable=False),
        sa.Column("success", sa.Integer(), nullable=False),
        sa.Column("talk_s", sa.Float(), nullable=False),
        sa.Column("wrap_s", sa.Float(), nullable=False),
        sa.Column("nps_n", sa.Integer(), nullable=False),
        sa.Column("nps_sum", sa.Integer(), nullable=False),
        sa.Column("promoters", sa.Integer(), nullable=False),
        sa.Column("passives", sa.Integer(), nullable=False),
        sa.Column("detractors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "dim", "key", "outcome_code", name=op.f("pk_call_day")),
    )
    op.create_table(
        "rollup_mark",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rollup_mark")),
    )
    op.create_table(
        "stage_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("from_stage", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("to_stage", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("cause", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "from_stage", "to_stage", "cause", name=op.f("pk_stage_day")),
    )


def downgrade() -> None:
    op.drop_table("stage_day")
    op.drop_table("rollup_mark")
    op.drop_table("call_day")
