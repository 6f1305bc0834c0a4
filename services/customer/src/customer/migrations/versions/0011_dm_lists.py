"""DM lists by purchase (CUS-14): the products each order bought, searchable; 郵送DM不要

Revision ID: 0011_dm_lists
Revises: 0010_inflow_sources

Backfill: ``product_keys`` of the orders already kept is computed here from their lines
(the product names as the events carried them), so a DM list by product reaches orders
placed before this migration too. Their lines have no ``product_id`` (the read model did not
keep it); orders from now on do.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from customer.domain.exports import product_key

revision = "0011_dm_lists"
down_revision = "0010_inflow_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "customers",
        sa.Column("dm_opt_out", sa.Boolean, nullable=False, server_default="false"),
    )
    op.add_column(
        "customer_purchases",
        sa.Column("product_keys", pg.ARRAY(sa.Text), nullable=False, server_default="{}"),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT order_id, lines FROM customer_purchases"))
    update = sa.text("UPDATE customer_purchases SET product_keys = :keys WHERE order_id = :id")
    for order_id, lines in rows.fetchall():
        keys = sorted({product_key(line.get("product_name") or "") for line in lines or []} - {""})
        if keys:
            conn.execute(update, {"keys": keys, "id": order_id})
    op.execute(
        "CREATE INDEX customer_purchases_products ON customer_purchases "
        "USING gin (product_keys) WHERE status = 'placed'"
    )
    op.create_index(
        "customer_purchases_placed", "customer_purchases",
        ["tenant_id", "ordered_at", "customer_id"], postgresql_where=sa.text("status = 'placed'"),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("customer_purchases_placed", table_name="customer_purchases")
    op.drop_index("customer_purchases_products", table_name="customer_purchases")
    op.drop_column("customer_purchases", "product_keys")
    op.drop_column("customers", "dm_opt_out")
