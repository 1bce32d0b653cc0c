"""coverage index: current queue entries by strategy and last reach, for the reports' base coverage

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("queue_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_queue_reached",
            ["strategy_id", "last_reached_at"],
            unique=False,
            sqlite_where=sa.text("phase <> 'off'"),
            postgresql_where=sa.text("phase <> 'off'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("queue_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_reached")
