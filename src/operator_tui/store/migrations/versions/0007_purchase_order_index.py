"""purchase order index: an import looks up the orders (external_ref) it brings, so none is counted twice

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 00:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_purchase_external_ref", "purchase", ["external_ref"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_purchase_external_ref", table_name="purchase")
