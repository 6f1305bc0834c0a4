"""report_customer_merges (ORD-6, decision 95): the reporting model's own record of the
customers merged away, per tenant (merged → survivor, chains kept one step), written with the
report rows the merge moves, so an order event naming a merged-away customer that arrives
after its merge is counted under the survivor.

Revision ID: 0011
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_customer_merges",
        sa.Column("tenant_id", sa.Uuid, primary_key=True),
        sa.Column("merged_id", sa.Uuid, primary_key=True),
        sa.Column("survivor_id", sa.Uuid, nullable=False),
    )
    op.create_index(
        "ix_report_customer_merges_survivor", "report_customer_merges", ["tenant_id", "survivor_id"]
    )


def downgrade() -> None:
    op.drop_table("report_customer_merges")
