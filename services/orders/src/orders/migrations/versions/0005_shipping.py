"""shipping (ORD-5): the day each order ships (a subscription order on its delivery day, any
other on the day it was placed), the tenant's shipper details for labels (ご依頼主), and each
order's shipment with the carrier's tracking number

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

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


def downgrade() -> None:
    op.drop_table("shipments")
    op.drop_table("shipper_settings")
    op.drop_index("orders_ships_on", table_name="orders")
    op.drop_column("orders", "ships_on")
