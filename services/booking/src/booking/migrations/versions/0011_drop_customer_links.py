"""the inquiry → customer links go: InquiryLinked v2 carries the inquiry, so a visit request is
recorded with its customer and nothing joins the two halves (decision 97). Nothing to carry
over: a request without a customer had no link yet (the link filled it when it came).

Revision ID: 0011
Revises: 0010
"""

from alembic import op
from kit.customer_refs import LINKS, create_customer_links

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table(LINKS)


def downgrade() -> None:
    create_customer_links()
    op.execute(
        f"INSERT INTO {LINKS} (inquiry_id, tenant_id, customer_id)"
        " SELECT inquiry_id, tenant_id, customer_id FROM visit_requests"
        " WHERE customer_id IS NOT NULL"
    )
