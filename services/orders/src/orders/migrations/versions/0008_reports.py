"""reports (ORD-6): the reporting model that the orders service's own events feed: one row per
order as the events told it (to take a cancel or a return back out), monthly aggregates per
tenant × medium × staff × prefecture (orders, sales, cost, shipping) and per product ×
medium × prefecture (quantities), per customer, survey answers per question × answer ×
product, and per tenant the last event applied (freshness).

Numbered 0007 with down_revision 0005: another branch adds 0006 (rechained at merge).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _money(*names: str) -> list[sa.Column]:
    return [sa.Column(n, sa.BigInteger, nullable=False, server_default="0") for n in names]


def upgrade() -> None:
    op.create_table(
        "report_orders",
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("order_id", sa.Uuid, primary_key=True),
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("ordered_at", TS, nullable=False),
        sa.Column("month", sa.Date, nullable=False),
        sa.Column("medium_key", sa.Uuid, nullable=False),
        sa.Column("staff_key", sa.Uuid, nullable=False),
        sa.Column("prefecture", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),  # placed | cancelled
        sa.Column("outcome", sa.Text, nullable=False, server_default=""),  # last cancel/return
        sa.Column("lines", JSONB, nullable=False),
        *_money("sales_yen", "cost_yen", "shipping_yen", "discount_yen"),
    )
    op.create_index("report_orders_customer", "report_orders",
                    ["tenant_id", "customer_id", "ordered_at"])  # fmt: skip
    op.create_table(
        "report_order_months",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        sa.Column("medium_key", sa.Uuid, primary_key=True),
        sa.Column("staff_key", sa.Uuid, primary_key=True),
        sa.Column("prefecture", sa.Text, primary_key=True),
        sa.Column("orders", sa.Integer, nullable=False, server_default="0"),
        *_money("sales_yen", "cost_yen", "shipping_yen"),
    )
    op.create_table(
        "report_product_months",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        sa.Column("product_id", sa.Uuid, primary_key=True),
        sa.Column("medium_key", sa.Uuid, primary_key=True),
        sa.Column("prefecture", sa.Text, primary_key=True),
        sa.Column("product_name", sa.Text, nullable=False),
        *_money("quantity", "returned_quantity", "sales_yen", "cost_yen"),
    )
    op.create_table(
        "report_customer_months",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        sa.Column("customer_id", sa.Uuid, primary_key=True),
        sa.Column("orders", sa.Integer, nullable=False, server_default="0"),
        *_money("sales_yen", "cost_yen"),
    )
    op.create_table(
        "report_survey_months",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("month", sa.Date, primary_key=True),
        sa.Column("question_id", sa.Uuid, primary_key=True),
        sa.Column("answer", sa.Text, primary_key=True),
        sa.Column("product_id", sa.Uuid, primary_key=True),
        sa.Column("question_text", sa.Text, nullable=False),
        sa.Column("product_name", sa.Text, nullable=False),
        sa.Column("answers", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "report_freshness",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("last_event_id", sa.Uuid, nullable=False),
        sa.Column("last_event_type", sa.Text, nullable=False),
        sa.Column("last_occurred_at", TS, nullable=False),
        sa.Column("applied_at", TS, nullable=False),
        sa.Column("events_applied", sa.BigInteger, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    for table in ("report_freshness", "report_survey_months", "report_customer_months",
                  "report_product_months", "report_order_months", "report_orders"):  # fmt: skip
        op.drop_table(table)
