"""operator console: an index for draft answers and one for finding customers by name

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_answer_drafts",
        "answer",
        ["customer_id", "operator_id"],
        unique=False,
        sqlite_where=sa.text("final = 0"),
        postgresql_where=sa.text("NOT final"),
    )
    op.create_index("ix_customer_name", "customer", ["last_name", "first_name"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_customer_name", table_name="customer")
    op.drop_index(
        "ix_answer_drafts",
        table_name="answer",
        sqlite_where=sa.text("final = 0"),
        postgresql_where=sa.text("NOT final"),
    )
