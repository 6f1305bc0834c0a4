"""the inquiry → customer links go: InquiryLinked v2 carries the inquiry, so an inquiry's
activity is recorded with its customer and nothing joins the two halves (decision 97).
Nothing to carry over: an activity without a customer had no link yet.

Revision ID: 0007_links
Revises: 0006_known
"""

from alembic import op
from kit.customer_refs import LINKS, create_customer_links

revision = "0007_links"
down_revision = "0006_known"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table(LINKS)


def downgrade() -> None:
    create_customer_links()
    op.execute(
        f"INSERT INTO {LINKS} (inquiry_id, tenant_id, customer_id)"
        " SELECT DISTINCT ON (inquiry_id) inquiry_id, tenant_id, customer_id FROM lead_activities"
        " WHERE kind = 'inquiry' AND inquiry_id IS NOT NULL AND customer_id IS NOT NULL"
        " ORDER BY inquiry_id"
    )
