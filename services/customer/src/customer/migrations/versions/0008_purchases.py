"""the purchases read model (購入履歴) kept from the orders events

Revision ID: 0008_purchases
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0008_purchases"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_purchases",
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("order_id", sa.Uuid, primary_key=True),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("order_number", sa.Integer),
        sa.Column("channel", sa.Text, nullable=False),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("total_yen", sa.BigInteger, nullable=False),
        sa.Column("lines", pg.JSONB, nullable=False),
        sa.Column("subscription_id", sa.Uuid),
        sa.Column("status", sa.Text, nullable=False, server_default="placed"),
    )
    op.create_index("ix_customer_purchases_tenant_id", "customer_purchases", ["tenant_id"])
    op.create_index(
        "customer_purchases_by_customer", "customer_purchases",
        ["tenant_id", "customer_id", "ordered_at"],
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("customer_purchases")
