"""Migration 0005 on a real PostgreSQL: the reports of jobs imported before it (JSON lists
in the job row) move into customer_import_issues, and back on downgrade."""

import json
import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from kit import db
from kit.migrations import alembic_config

pytestmark = [pytest.mark.database]
REPORT = {
    "errors": [{"row": 4, "name": "鈴木 一郎", "email": "ichiro@example.com", "reason": "生年月日"}],
    "duplicates": [{"row": 6, "name": "山田 二郎", "email": "already@example.com",
                    "customer_id": "0190a3c4-0000-7000-8000-000000000001"}],
}  # fmt: skip


async def _migrate(engine, revision: str, *, down: bool = False) -> None:  # type: ignore[no-untyped-def]
    config = alembic_config("customer.migrations")

    def run(connection: sa.Connection) -> None:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)

    async with engine.begin() as conn:
        await conn.run_sync(run)


async def test_reports_of_earlier_jobs_move_into_the_issues_table_and_back(
    database_factory,
) -> None:  # type: ignore[no-untyped-def]
    url = database_factory("customer")
    await db.ensure_database(url)
    engine = db.create_engine(url)
    job_id = uuid.uuid4()
    await _migrate(engine, "0003")
    async with engine.begin() as conn:
        await conn.execute(
            sa.text("INSERT INTO customer_import_jobs (id, tenant_id, filename, file_digest, "
                    "status, content, report) VALUES (:id, :t, 'a.csv', 'x', 'finished', "
                    "'\\x00', CAST(:r AS jsonb))"),
            {"id": job_id, "t": uuid.uuid4(), "r": json.dumps({**REPORT, "overwritten": 2})},
        )  # fmt: skip
    await _migrate(engine, "0005")
    async with engine.connect() as conn:
        issues = (
            await conn.execute(
                sa.text("SELECT kind, line, name, email, reason, customer_id::text "
                        "FROM customer_import_issues ORDER BY line")
            )
        ).all()  # fmt: skip
        report = await conn.scalar(sa.text("SELECT report FROM customer_import_jobs"))
    assert [tuple(i) for i in issues] == [
        ("error", 4, "鈴木 一郎", "ichiro@example.com", "生年月日", None),
        ("duplicate", 6, "山田 二郎", "already@example.com", None,
         "0190a3c4-0000-7000-8000-000000000001"),
    ]  # fmt: skip
    assert report == {"overwritten": 2}
    await _migrate(engine, "0003", down=True)
    async with engine.connect() as conn:
        report = await conn.scalar(sa.text("SELECT report FROM customer_import_jobs"))
    assert report == {**REPORT, "overwritten": 2}
    await engine.dispose()
