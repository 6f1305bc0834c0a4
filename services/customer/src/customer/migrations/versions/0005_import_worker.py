"""import worker: a job is leased to one worker at a time; an expired lease is taken over

Revision ID: 0005
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"  # the integrator re-chains it after the exports branch's 0004
branch_labels = None
depends_on = None


def upgrade() -> None:
    # worker: who holds (or last held) the job; lease_until: when another worker may take it
    # over (its worker died); failures: runs that ended in an error or a takeover, so that
    # a job that kills its worker is failed after a few tries instead of looping forever.
    op.add_column("customer_import_jobs", sa.Column("worker", sa.Text))
    op.add_column("customer_import_jobs", sa.Column("lease_until", sa.DateTime(timezone=True)))
    op.add_column("customer_import_jobs",
                  sa.Column("failures", sa.Integer, nullable=False, server_default="0"))
    op.create_index("customer_import_jobs_unfinished", "customer_import_jobs", ["created_at"],
                    postgresql_where=sa.text("status IN ('queued', 'running')"))


def downgrade() -> None:
    op.drop_index("customer_import_jobs_unfinished", table_name="customer_import_jobs")
    for column in ("failures", "lease_until", "worker"):
        op.drop_column("customer_import_jobs", column)
