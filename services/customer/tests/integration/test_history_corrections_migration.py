"""Migration 0012 on a real PostgreSQL: the interactions and actions kept before it are
neither corrected nor deleted, FAQ categories not retired; downgrade drops what it added."""

import uuid

import pytest
import sqlalchemy as sa
from kit import db

from .test_import_migration import _migrate

pytestmark = [pytest.mark.database]
ADDED = ("corrected_at", "corrected_by", "deleted_at", "deleted_by", "retired_at")


async def _count(engine, sql: str) -> int:  # type: ignore[no-untyped-def]
    async with engine.connect() as conn:
        return int(await conn.scalar(sa.text(sql)))


async def test_entries_kept_before_0012_stand_and_downgrade_drops_it(database_factory) -> None:  # type: ignore[no-untyped-def]
    url = database_factory("customer")
    await db.ensure_database(url)
    engine = db.create_engine(url)
    await _migrate(engine, "0011_dm_lists")
    async with engine.begin() as conn:
        await conn.execute(sa.text(
            "INSERT INTO customer_interactions (id, tenant_id, customer_id, kind, occurred_at,"
            " body) VALUES (:i, :t, :c, 'call_in', now(), '以前の対応')"),
            {"i": uuid.uuid4(), "t": uuid.uuid4(), "c": uuid.uuid4()})  # fmt: skip
    await _migrate(engine, "0012_history_corrections")
    assert await _count(engine, "SELECT count(*) FROM customer_interactions "
                                "WHERE deleted_at IS NULL AND corrected_at IS NULL") == 1  # fmt: skip
    assert await _count(engine, "SELECT count(*) FROM customer_history_changes") == 0
    await _migrate(engine, "0011_dm_lists", down=True)
    names = ", ".join(f"'{c}'" for c in ADDED)
    assert await _count(engine, "SELECT count(*) FROM information_schema.columns "
                                f"WHERE column_name IN ({names}) AND table_name IN "
                                "('customer_interactions', 'customer_actions', 'faq_categories')") == 0  # fmt: skip
    assert await _count(engine, "SELECT count(*) FROM information_schema.tables WHERE table_name"
                                " IN ('customer_history_changes', 'customer_staff_instructions')") == 0  # fmt: skip
    await engine.dispose()
