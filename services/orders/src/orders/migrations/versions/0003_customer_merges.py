"""the kit's record of customer merges (kit.customer_refs), so that a customer id that
arrives after its merge lands on the target

Revision ID: 0003
Revises: 0002
"""
from alembic import op
from kit.customer_refs import MERGES, create_customer_merges

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_customer_merges()


def downgrade() -> None:
    op.drop_table(MERGES)
