"""report_rebuilt (ORD-6, decision 91): the freshness line also states when the reporting
model was last rebuilt from the service's tables (``python -m orders.reports rebuild``).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("report_freshness", sa.Column("rebuilt_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("report_freshness", "rebuilt_at")
