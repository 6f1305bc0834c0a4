"""The booking state each visit row holds is dated by its event (``event_at``), so that an
older event handled after a newer one (a retry, a competing replica) changes nothing
(decision 108). Rows from before stay undated: the next event for them applies.

Revision ID: 0013_visit_event_order
Revises: 0012_history_corrections
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_visit_event_order"
down_revision = "0012_history_corrections"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("customer_visits", sa.Column("event_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("customer_visits", "event_at")
