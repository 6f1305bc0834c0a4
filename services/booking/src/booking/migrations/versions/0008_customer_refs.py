"""the kit's customer references: the inquiry links become kit.customer_refs' table, and
merges are remembered so that late events land on the target

Revision ID: 0008
Revises: 0007
"""
from alembic import op
from kit.customer_refs import LINKS, MERGES, adopt_table, create_customer_merges

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    adopt_table("booking_inquiry_links", LINKS)
    create_customer_merges()


def downgrade() -> None:
    op.drop_table(MERGES)
    adopt_table(LINKS, "booking_inquiry_links")
