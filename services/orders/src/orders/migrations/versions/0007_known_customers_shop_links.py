"""the tenant's customers orders has heard of (kit.customer_refs' customers_known), web-shop
orders waiting for their customer's link, and the daily run's batched claim

- customers_known, filled from the customer ids orders and subscriptions already hold, so that
  another tenant's customer id answers 404;
- orders.customer_id may be empty until the customer service links a web-shop order of an
  unknown customer (decision 64); orders.shop_customer keeps the shop's facts for that link;
- subscriptions_claim: the run claims due subscriptions of one tenant in (next_order_on, id)
  order straight off the index, instead of sorting every due row at each chunk;
- the cycle's foreign key to its order is checked at commit, so the run records each cycle
  with its order's id in one statement and writes the orders of the cycles it won after it
  (decision 66).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op
from kit.customer_refs import KNOWN, create_known_customers
from sqlalchemy.dialects.postgresql import JSONB

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

FK = "subscription_deliveries_order_id_fkey"


def upgrade() -> None:
    create_known_customers(
        from_columns=[("orders", "customer_id"), ("subscriptions", "customer_id")]
    )
    op.alter_column("orders", "customer_id", nullable=True)
    op.add_column("orders", sa.Column("shop_customer", JSONB, nullable=True))
    op.create_index(
        "orders_awaiting_customer",
        "orders",
        ["tenant_id", "ordered_at"],
        postgresql_where=sa.text("customer_id IS NULL"),
    )
    op.create_index(
        "subscriptions_claim",
        "subscriptions",
        ["tenant_id", "next_order_on", "id"],
        postgresql_where=sa.text("status = 'active'"),
    )
    op.execute(f"ALTER TABLE subscription_deliveries ALTER CONSTRAINT {FK} "
               "DEFERRABLE INITIALLY DEFERRED")  # fmt: skip


def downgrade() -> None:
    op.execute(f"ALTER TABLE subscription_deliveries ALTER CONSTRAINT {FK} NOT DEFERRABLE")
    op.drop_index("subscriptions_claim", table_name="subscriptions")
    op.drop_index("orders_awaiting_customer", table_name="orders")
    op.drop_column("orders", "shop_customer")
    op.alter_column("orders", "customer_id", nullable=False)
    op.drop_table(KNOWN)
