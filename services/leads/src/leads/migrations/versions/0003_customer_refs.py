"""the kit's customer references: the inquiry links and the merged-away customers become
kit.customer_refs' tables (rows kept)

Revision ID: 0003
Revises: 0002
"""
from kit.customer_refs import LINKS, MERGES, adopt_table

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    adopt_table("lead_inquiry_links", LINKS)
    adopt_table("lead_merged_customers", MERGES)


def downgrade() -> None:
    adopt_table(MERGES, "lead_merged_customers")
    adopt_table(LINKS, "lead_inquiry_links")
