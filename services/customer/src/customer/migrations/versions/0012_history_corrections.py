"""Interactions and staff-entered actions corrected or deleted (CUS-9): who and when on the
row, the text before in a small history; a deleted entry stays as a tombstone. FAQ
categories can be retired (``retired_at``; their entries stay searchable). The leader's
instruction per staff member for the next day (``customer_staff_instructions``).

Revision ID: 0012_history_corrections
Revises: 0011_dm_lists
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0012_history_corrections"
down_revision = "0011_dm_lists"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
TABLES = ("customer_interactions", "customer_actions")
COLUMNS = ("corrected_at", "corrected_by", "deleted_at", "deleted_by")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("corrected_at", TZ))
        op.add_column(table, sa.Column("corrected_by", sa.Uuid))
        op.add_column(table, sa.Column("deleted_at", TZ))
        op.add_column(table, sa.Column("deleted_by", sa.Uuid))
    op.create_table(
        "customer_history_changes",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("entry", sa.Text, nullable=False),  # interaction | action
        sa.Column("entry_id", sa.Text, nullable=False),
        sa.Column("change", sa.Text, nullable=False),  # corrected | deleted
        sa.Column("changed_by", sa.Uuid),
        sa.Column("changed_at", TZ, nullable=False, server_default=sa.func.now()),
        sa.Column("before", pg.JSONB, nullable=False),
    )
    op.add_column("faq_categories", sa.Column("retired_at", TZ))
    op.create_table(
        "customer_staff_instructions",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("staff_id", sa.Uuid, primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),  # the Japan day it was written about
        sa.Column("instruction", sa.Text, nullable=False),
        sa.Column("written_by", sa.Uuid),
        sa.Column("written_at", TZ, nullable=False, server_default=sa.func.now()),
    )
    op.create_index("customer_history_changes_by_entry", "customer_history_changes",
                    ["tenant_id", "entry", "entry_id", "changed_at"])  # fmt: skip


def downgrade() -> None:
    op.drop_table("customer_staff_instructions")
    op.drop_table("customer_history_changes")
    op.drop_column("faq_categories", "retired_at")
    for table in TABLES:
        for column in COLUMNS:
            op.drop_column(table, column)
