"""the daily run's record names the replica that ran it and, for 今すぐ実行, the user who
pressed it (日次処理's page)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("subscription_runs", sa.Column("replica", sa.Text, nullable=True))
    op.add_column("subscription_runs", sa.Column("started_by", sa.Uuid, nullable=True))


def downgrade() -> None:
    op.drop_column("subscription_runs", "started_by")
    op.drop_column("subscription_runs", "replica")
