"""report_contacts (ORD-6 離脱分析, decision 93): the customers' contacts (対応 and アクション)
as the customer service's ContactRecorded events last stated them, one row per contact: the
churn report counts the churned customers by the kind of their last one. Fed by events only
(the rebuild keeps it); the customer is the survivor of its merges, as for the orders.

Revision ID: 0012_report_contacts
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_report_contacts"
down_revision = "0011"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "report_contacts",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("contact_id", sa.Text, primary_key=True),  # "<entry>:<id>"
        sa.Column("customer_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("kind_label", sa.Text, nullable=False),
        sa.Column("occurred_at", TZ, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("changed_at", TZ, nullable=False),
    )
    # a churned customer's last contact; a merge's move of the source's contacts
    op.create_index(
        "ix_report_contacts_customer",
        "report_contacts",
        ["tenant_id", "customer_id", "occurred_at"],
    )


def downgrade() -> None:
    op.drop_table("report_contacts")
