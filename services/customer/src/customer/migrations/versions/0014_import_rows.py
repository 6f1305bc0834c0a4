"""An upload's rows are kept one per row (``customer_import_rows``) instead of as the file's
bytes in the job: the worker reads a chunk at a time, so a million-row file never sits in
memory. Jobs uploaded before keep their ``content`` (now nullable) and are staged by their
worker when it takes them.

Revision ID: 0014_import_rows
Revises: 0013_visit_event_order
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0014_import_rows"
down_revision = "0013_visit_event_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_import_rows",
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("job_id", sa.Uuid, sa.ForeignKey("customer_import_jobs.id"), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("cells", pg.ARRAY(sa.Text), nullable=False),
        sa.PrimaryKeyConstraint("job_id", "line"),
    )
    op.alter_column("customer_import_jobs", "content", nullable=True)


def downgrade() -> None:
    # Jobs staged since the upgrade have no file to give back: they are closed as failed.
    op.execute(
        "UPDATE customer_import_jobs SET status = 'failed', finished_at = now(), content = ''"
        " WHERE content IS NULL AND status IN ('queued', 'running', 'overwriting')"
    )
    op.execute("UPDATE customer_import_jobs SET content = '' WHERE content IS NULL")
    op.alter_column("customer_import_jobs", "content", nullable=False)
    op.drop_table("customer_import_rows")
