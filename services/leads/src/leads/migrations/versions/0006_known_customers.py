"""the tenant's customers leads has heard of (kit.customer_refs' customers_known), filled from
the ids its tables already hold, so that another tenant's customer id answers 404

Revision ID: 0006_known
Revises: 0005_levels
"""
from kit.customer_refs import KNOWN, create_known_customers
from alembic import op

revision = "0006_known"
down_revision = "0005_levels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_known_customers(from_columns=[
        ("lead_activities", "customer_id"), ("lead_sends", "customer_id"),
        ("lead_buyers", "customer_id"), ("customer_links", "customer_id"),
    ])  # fmt: skip


def downgrade() -> None:
    op.drop_table(KNOWN)
