"""follow-up (追客) history of status and rep, memos with their history

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_follow_up_history",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("field", sa.Text, nullable=False),  # status | assignee
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("changed_by", sa.Uuid),
        sa.Column("changed_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("customer_follow_up_history_customer", "customer_follow_up_history",
                    ["tenant_id", "customer_id", "changed_at"])
    op.create_table(
        "customer_memos",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("written_by", sa.Uuid),
        sa.Column("written_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("customer_memos_customer", "customer_memos",
                    ["tenant_id", "customer_id", "written_at"])


def downgrade() -> None:
    op.drop_table("customer_memos")
    op.drop_table("customer_follow_up_history")
