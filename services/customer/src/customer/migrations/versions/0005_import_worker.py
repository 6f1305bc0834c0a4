"""import worker: a job is leased to one worker at a time, an expired lease is taken over;
the report's rows (errors, duplicates) in their own table

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
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
                    postgresql_where=sa.text("status IN ('queued', 'running', 'overwriting')"))
    # One row per error or duplicate: a chunk appends its own, where the job's JSON report
    # was rewritten whole by every chunk (quadratic: a re-run of 100,000 rows wrote ~650 MB).
    op.create_table(
        "customer_import_issues",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid, nullable=False),
        sa.Column("job_id", sa.Uuid, sa.ForeignKey("customer_import_jobs.id"), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),  # error | duplicate
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("customer_id", sa.Uuid),
    )
    op.create_index("customer_import_issues_job", "customer_import_issues",
                    ["job_id", "kind", "line"])
    for kind, key in (("error", "errors"), ("duplicate", "duplicates")):
        op.execute(f"""
            INSERT INTO customer_import_issues
                (tenant_id, job_id, kind, line, name, email, reason, customer_id)
            SELECT j.tenant_id, j.id, '{kind}', (e->>'row')::int, coalesce(e->>'name', ''),
                   coalesce(e->>'email', ''), e->>'reason', (e->>'customer_id')::uuid
            FROM customer_import_jobs j,
                 jsonb_array_elements(coalesce(j.report->'{key}', '[]'::jsonb)) e
        """)
    op.execute("UPDATE customer_import_jobs SET report = report - 'errors' - 'duplicates'")


def downgrade() -> None:
    op.execute("""
        UPDATE customer_import_jobs j SET report = j.report || jsonb_build_object(
            'errors', coalesce((SELECT jsonb_agg(jsonb_build_object('row', i.line, 'name', i.name,
                'email', i.email, 'reason', i.reason) ORDER BY i.line, i.id)
                FROM customer_import_issues i WHERE i.job_id = j.id AND i.kind = 'error'), '[]'),
            'duplicates', coalesce((SELECT jsonb_agg(jsonb_build_object('row', i.line, 'name',
                i.name, 'email', i.email, 'customer_id', i.customer_id) ORDER BY i.line, i.id)
                FROM customer_import_issues i WHERE i.job_id = j.id AND i.kind = 'duplicate'),
                '[]'))
    """)
    op.drop_table("customer_import_issues")
    op.drop_index("customer_import_jobs_unfinished", table_name="customer_import_jobs")
    for column in ("failures", "lease_until", "worker"):
        op.drop_column("customer_import_jobs", column)
