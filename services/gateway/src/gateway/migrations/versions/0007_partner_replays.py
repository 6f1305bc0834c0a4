"""A partner's replay (decision 109): its events of a time range sent again to its queue from
the feed log, with their original ids, a window at a time by the replay worker.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "partner_replays",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False, index=True),
        sa.Column(
            "partner_id", sa.Uuid, sa.ForeignKey("partners.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("range_from", TZ, nullable=False),
        sa.Column("range_to", TZ, nullable=False),
        sa.Column("requested_at", TZ, nullable=False),
        sa.Column("requested_by", sa.Uuid),
        sa.Column("cursor_at", TZ),
        sa.Column("cursor_event_id", sa.Uuid),
        sa.Column("published", sa.Integer, nullable=False, server_default="0"),
        sa.Column("finished_at", TZ),
    )
    op.create_index(
        "partner_replays_open", "partner_replays", ["requested_at"],
        postgresql_where=sa.text("finished_at IS NULL"),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("partner_replays")
