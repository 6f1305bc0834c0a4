"""shipping (ORD-5): the day each order ships (a subscription order on its delivery day, any
other on the day it was placed), the tenant's shipper details for labels (ご依頼主), and each
order's shipment with the carrier's tracking number; returns and cancellations with their
reasons, the payer's kana on an order and its payment, the bank transfers read (ORD-4);
set products on order lines, the survey questions master and the answers given with an
order (ORD-1, ORD-7)

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("orders", sa.Column("ships_on", sa.Date))
    op.execute("UPDATE orders SET ships_on = ordered_on")
    op.alter_column("orders", "ships_on", nullable=False)
    op.create_index("orders_ships_on", "orders", ["tenant_id", "ships_on"])
    op.create_table(
        "shipper_settings",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("phone", sa.Text, nullable=False),
        sa.Column("postal_code", sa.Text, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("yamato_billing_code", sa.Text, nullable=False),
        sa.Column("yamato_billing_class", sa.Text, nullable=False),
        sa.Column("yamato_freight_number", sa.Text, nullable=False),
        sa.Column("sagawa_customer_code", sa.Text, nullable=False),
    )
    op.create_table(
        "shipments",
        sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id"), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("carrier", sa.Text, nullable=False),
        sa.Column("tracking_number", sa.Text, nullable=False),
        sa.Column("imported_at", TS, nullable=False),
    )
    op.create_index("shipments_tracking", "shipments", ["tenant_id", "tracking_number"])
    for column in (
        sa.Column("status", sa.Text, nullable=False, server_default="placed"),
        sa.Column("cancelled_at", TS),
        sa.Column("cancel_reason_id", sa.Uuid),
        sa.Column("payer_kana", sa.Text, nullable=False, server_default=""),
        sa.Column("paid_at", TS),
        sa.Column("payment_id", sa.Uuid),
    ):
        op.add_column("orders", column)
    # The reconciliation's look-up: open orders by amount.
    op.create_index(
        "orders_unpaid",
        "orders",
        ["tenant_id", "total_yen"],
        postgresql_where=sa.text("paid_at IS NULL AND status = 'placed'"),
    )
    # Set products in order entry: a bundle line keeps its items; companions are marked.
    op.add_column("order_lines", sa.Column("kind", sa.Text, nullable=False,
                                           server_default="product"))  # fmt: skip
    op.add_column("order_lines", sa.Column("components", JSONB))
    op.execute("UPDATE order_lines SET kind = 'gift' WHERE is_gift")
    op.create_table(
        "survey_questions",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("answer_kind", sa.Text, nullable=False),
        sa.Column("choices", JSONB, nullable=False),
        sa.Column("retired_at", TS),
        sa.Column("created_at", TS, server_default=sa.func.now()),
    )
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id"), nullable=False, index=True),
        sa.Column("question_id", sa.Uuid, nullable=False),
        sa.Column("question_text", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
    )
    op.create_table(
        "order_returns",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id"), nullable=False, index=True),
        sa.Column("reason_id", sa.Uuid, nullable=False),
        sa.Column("reason_text", sa.Text, nullable=False),
        sa.Column("lines", JSONB, nullable=False),
        sa.Column("refund_yen", sa.BigInteger, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("returned_at", TS, nullable=False),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("import_id", sa.Uuid, nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("paid_on", sa.Date, nullable=False),
        sa.Column("amount_yen", sa.BigInteger, nullable=False),
        sa.Column("payer", sa.Text, nullable=False),  # 振込依頼人名 as the bank wrote it
        sa.Column("payer_key", sa.Text, nullable=False),  # normalised for matching
        sa.Column("status", sa.Text, nullable=False),  # matched | unmatched | assigned
        sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id")),
        sa.Column("note", sa.Text),
        sa.Column("created_at", TS, server_default=sa.func.now()),
    )
    op.create_index("payments_open", "payments", ["tenant_id", "status"])


def downgrade() -> None:
    op.drop_table("payments")
    op.drop_table("order_returns")
    op.drop_table("survey_answers")
    op.drop_table("survey_questions")
    op.drop_column("order_lines", "components")
    op.drop_column("order_lines", "kind")
    op.drop_index("orders_unpaid", table_name="orders")
    for column in ("status", "cancelled_at", "cancel_reason_id", "payer_kana", "paid_at",
                   "payment_id"):  # fmt: skip
        op.drop_column("orders", column)
    op.drop_table("shipments")
    op.drop_table("shipper_settings")
    op.drop_index("orders_ships_on", table_name="orders")
    op.drop_column("orders", "ships_on")
