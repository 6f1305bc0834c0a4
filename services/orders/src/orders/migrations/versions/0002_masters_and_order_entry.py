"""masters (staff, media, categories, products, sets, shipping fees, reasons, campaigns),
tenant settings, order lines and the totals of an order

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def _master(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        *columns,
        sa.Column("retired_at", TS, nullable=True),
        sa.Column("created_at", TS, server_default=sa.func.now()),
    )


def upgrade() -> None:
    op.create_table(
        "orders_settings",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("tax_rounding", sa.Text, nullable=False, server_default="floor"),
        sa.Column("shop_secret", sa.Text, nullable=True),
    )
    op.create_table(
        "order_counters",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("last_number", sa.BigInteger, nullable=False),
    )
    _master("staff", sa.Column("name", sa.Text, nullable=False), sa.Column("role", sa.Text))
    _master("media", sa.Column("name", sa.Text, nullable=False), sa.Column("code", sa.Text))
    _master("product_categories", sa.Column("name", sa.Text, nullable=False))
    _master(
        "products",
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("category_id", sa.Uuid),
        sa.Column("price_yen", sa.Integer, nullable=False),
        sa.Column("cost_yen", sa.Integer, nullable=False),
        sa.Column("tax_rate", sa.SmallInteger, nullable=False),
        sa.Column("subscription_eligible", sa.Boolean, nullable=False),
        sa.Column("is_present", sa.Boolean, nullable=False),
        sa.Column("discontinued", sa.Boolean, nullable=False),
    )
    # A product code names one product of a tenant (the web shop sends codes).
    op.create_index("products_code", "products", ["tenant_id", "code"], unique=True)
    _master(
        "set_products",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("trigger_product_id", sa.Uuid),
        sa.Column("items", JSONB, nullable=False),
    )
    _master(
        "shipping_fees",
        sa.Column("prefecture", sa.Text, nullable=False),
        sa.Column("fee_yen", sa.Integer, nullable=False),
    )
    # One current fee per prefecture; retired fees stay for the orders that used them.
    op.create_index(
        "shipping_fees_prefecture",
        "shipping_fees",
        ["tenant_id", "prefecture"],
        unique=True,
        postgresql_where=sa.text("retired_at IS NULL"),
    )
    _master("reasons", sa.Column("kind", sa.Text, nullable=False), sa.Column("text", sa.Text))
    _master(
        "campaigns",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("discount_yen", sa.Integer, nullable=False),
        sa.Column("trigger_product_id", sa.Uuid),
        sa.Column("gift_product_id", sa.Uuid),
    )
    # Nothing wrote the orders table before this revision: its new columns need no default.
    for column in (
        sa.Column("order_number", sa.BigInteger, nullable=False),
        sa.Column("ordered_on", sa.Date, nullable=False),
        sa.Column("staff_id", sa.Uuid),
        sa.Column("medium_id", sa.Uuid),
        sa.Column("shop_order_number", sa.Text),
        sa.Column("delivery", JSONB, nullable=False),
        sa.Column("subtotal_yen", sa.BigInteger, nullable=False),
        sa.Column("discount_yen", sa.BigInteger, nullable=False),
        sa.Column("shipping_fee_yen", sa.BigInteger, nullable=False),
        sa.Column("tax_yen", sa.BigInteger, nullable=False),
        sa.Column("tax_rounding", sa.Text, nullable=False),
        sa.Column("tax_by_rate", JSONB, nullable=False),
        sa.Column("campaigns", JSONB, nullable=False),
    ):
        op.add_column("orders", column)
    op.create_index("orders_number", "orders", ["tenant_id", "order_number"], unique=True)
    op.create_index("orders_day", "orders", ["tenant_id", "ordered_on"])
    # The web shop's order number makes its intake idempotent.
    op.create_index(
        "orders_shop_number",
        "orders",
        ["tenant_id", "shop_order_number"],
        unique=True,
        postgresql_where=sa.text("shop_order_number IS NOT NULL"),
    )
    op.create_table(
        "order_lines",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id"), nullable=False, index=True),
        sa.Column("line_no", sa.SmallInteger, nullable=False),
        sa.Column("product_id", sa.Uuid, nullable=False),
        sa.Column("product_name", sa.Text, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("unit_price_yen", sa.Integer, nullable=False),
        sa.Column("tax_rate", sa.SmallInteger, nullable=False),
        sa.Column("amount_yen", sa.BigInteger, nullable=False),
        sa.Column("is_gift", sa.Boolean, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("order_lines")
    for index in ("orders_shop_number", "orders_day", "orders_number"):
        op.drop_index(index, table_name="orders")
    for column in ("order_number", "ordered_on", "staff_id", "medium_id", "shop_order_number",
                   "delivery", "subtotal_yen", "discount_yen", "shipping_fee_yen", "tax_yen",
                   "tax_rounding", "tax_by_rate", "campaigns"):  # fmt: skip
        op.drop_column("orders", column)
    for table in ("campaigns", "reasons", "shipping_fees", "set_products", "products",
                  "product_categories", "media", "staff", "order_counters", "orders_settings"):  # fmt: skip
        op.drop_table(table)
