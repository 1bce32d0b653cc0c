"""queue engine: phases instead of an active flag, ready sets per strategy and time zone, leaner call indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:48:20.849039

Existing rows keep their data: an active entry becomes 'fresh' (never tried) or 'wait' (tried before), an inactive
one 'off'; if a customer had several active entries only the newest stays current, so the new unique index holds.
Indexes that every recorded call paid for but no query used are dropped (reports get their own in a later revision).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import operator_tui.store.coltypes

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FRESH = "phase = 'fresh' AND leased_by IS NULL"
DUE = "phase = 'wait' AND leased_by IS NULL"
DUE_AT = ("ready_at", "strategy_id", "time_zone", "phase", "leased_by")
FRESH_RANK = ("strategy_id", "priority", "time_zone", "phase", "leased_by")


def _where(sql: str) -> dict[str, object]:
    return {"sqlite_where": sa.text(sql), "postgresql_where": sa.text(sql)}


LEAN = [  # (table, index, columns) dropped from the call path
    ("answer", "ix_answer_customer_id", ["customer_id"]),
    ("audit_log", "ix_audit_log_action", ["action"]),
    ("interaction", "ix_interaction_outcome_code", ["outcome_code"]),
    ("interaction", "ix_interaction_strategy_id", ["strategy_id"]),
    ("task", "ix_task_customer_id", ["customer_id"]),
]


def upgrade() -> None:
    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_customer_time_zone"), ["time_zone"], unique=False)
    for table, index, _ in LEAN:
        op.drop_index(index, table_name=table)
    op.create_index("ix_task_customer_status", "task", ["customer_id", "status"], unique=False)

    with op.batch_alter_table("queue_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phase", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False, server_default="off")
        )
        batch_op.add_column(sa.Column("retries", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("last_reached_at", operator_tui.store.coltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("not_before", operator_tui.store.coltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("entered_at", operator_tui.store.coltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("done_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))

    op.execute(
        "UPDATE queue_entry SET entered_at = created_at, phase = CASE WHEN active THEN "
        "(CASE WHEN attempts_total = 0 THEN 'fresh' ELSE 'wait' END) ELSE 'off' END"
    )
    op.execute(
        "UPDATE queue_entry SET phase = 'off' WHERE phase <> 'off' AND id NOT IN "
        "(SELECT max(id) FROM queue_entry WHERE phase <> 'off' GROUP BY customer_id)"
    )

    with op.batch_alter_table("queue_entry", schema=None) as batch_op:
        batch_op.alter_column("entered_at", existing_type=operator_tui.store.coltypes.UTCDateTime(), nullable=False)
        batch_op.drop_index(batch_op.f("ix_queue_entry_customer_id"))
        batch_op.drop_index(batch_op.f("ix_queue_ready"), **_where("active = 1 AND leased_by IS NULL"))
        batch_op.drop_column("active")
        batch_op.create_index("ix_queue_current", ["customer_id"], unique=True, **_where("phase <> 'off'"))
        batch_op.create_index("ix_queue_due", ["strategy_id", "time_zone", "ready_at"], unique=False, **_where(DUE))
        batch_op.create_index("ix_queue_due_at", [*DUE_AT], unique=False, **_where(DUE))
        batch_op.create_index("ix_queue_fresh_rank", [*FRESH_RANK], unique=False, **_where(FRESH))
        batch_op.create_index("ix_queue_fresh", ["strategy_id", "time_zone", "priority"], unique=False, **_where(FRESH))


def downgrade() -> None:
    with op.batch_alter_table("queue_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE queue_entry SET active = (phase <> 'off')")
    with op.batch_alter_table("queue_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_fresh", **_where(FRESH))
        batch_op.drop_index("ix_queue_due", **_where(DUE))
        batch_op.drop_index("ix_queue_due_at", **_where(DUE))
        batch_op.drop_index("ix_queue_fresh_rank", **_where(FRESH))
        batch_op.drop_index("ix_queue_current", **_where("phase <> 'off'"))
        batch_op.create_index(
            batch_op.f("ix_queue_ready"),
            ["strategy_id", "priority", "ready_at"],
            unique=False,
            **_where("active = 1 AND leased_by IS NULL"),
        )
        batch_op.create_index(batch_op.f("ix_queue_entry_customer_id"), ["customer_id"], unique=False)
        batch_op.drop_column("done_reason")
        batch_op.drop_column("entered_at")
        batch_op.drop_column("last_reached_at")
        batch_op.drop_column("not_before")
        batch_op.drop_column("retries")
        batch_op.drop_column("phase")

    with op.batch_alter_table("customer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_time_zone"))
    op.drop_index("ix_task_customer_status", table_name="task")
    for table, index, columns in LEAN:
        op.create_index(index, table, columns, unique=False)
