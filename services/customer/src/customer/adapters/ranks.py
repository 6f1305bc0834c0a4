"""SQL of ranks (CUS-10): the tenant's master, and the recompute of customers' ranks from the
purchases read model in one set-based statement (one customer, or every customer)."""

from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm_histories import Rank, RankMaster

# Per customer: orders that stand and their yen within the period, and the Japan date of the
# last order that stands (ever); then the one rank whose ranges hold all three (the master
# refuses overlapping ranks, so at most one matches; position breaks a tie all the same).
_RECOMPUTE = """
WITH stats AS (
  SELECT c.id,
    count(p.order_id) FILTER (WHERE p.status = 'placed' AND p.ordered_at >= :since) AS orders,
    coalesce(sum(p.total_yen) FILTER (WHERE p.status = 'placed' AND p.ordered_at >= :since), 0)
      AS yen,
    :today - max((p.ordered_at AT TIME ZONE 'Asia/Tokyo')::date)
      FILTER (WHERE p.status = 'placed') AS days
  FROM customers c
  LEFT JOIN customer_purchases p ON p.tenant_id = c.tenant_id AND p.customer_id = c.id
  WHERE c.tenant_id = :tenant {only}
  GROUP BY c.id
), ranked AS (
  SELECT s.id, (
    SELECT r.id FROM customer_ranks r
    WHERE r.tenant_id = :tenant
      AND (r.min_orders IS NULL OR s.orders >= r.min_orders)
      AND (r.max_orders IS NULL OR s.orders <= r.max_orders)
      AND (r.min_amount_yen IS NULL OR s.yen >= r.min_amount_yen)
      AND (r.max_amount_yen IS NULL OR s.yen <= r.max_amount_yen)
      AND (CASE WHEN s.days IS NULL
                THEN r.min_days_since IS NULL AND r.max_days_since IS NULL
                ELSE (r.min_days_since IS NULL OR s.days >= r.min_days_since)
                 AND (r.max_days_since IS NULL OR s.days <= r.max_days_since) END)
    ORDER BY r.position LIMIT 1) AS rank_id
  FROM stats s
)
UPDATE customers c SET rank_id = ranked.rank_id, rank_name = r.name
FROM ranked LEFT JOIN customer_ranks r ON r.id = ranked.rank_id
WHERE c.tenant_id = :tenant AND c.id = ranked.id AND c.rank_id IS DISTINCT FROM ranked.rank_id
"""


# Tenants with ranks not yet ranked on the Japan day: counts over a period and days since
# the last purchase move with the calendar (across tenants: Core SQL, no tenant scope).
_STALE = """
SELECT m.tenant_id FROM customer_rank_masters m
WHERE (m.recomputed_on IS NULL OR m.recomputed_on < :today OR m.recompute_after IS NOT NULL)
  AND EXISTS (SELECT 1 FROM customer_ranks r WHERE r.tenant_id = m.tenant_id)
ORDER BY m.tenant_id LIMIT :limit
"""


CHANNEL = "customer_ranks"  # the rank worker's wake-up, at the commit of a pending run
_FIRST = UUID(int=0)


class RankRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def master(self) -> tuple[RankMaster | None, list[Rank]]:
        head = await self._session.scalar(sa.select(RankMaster))
        ranks = await self._session.scalars(sa.select(Rank).order_by(Rank.position))
        return head, list(ranks)

    async def get(self, *, rank_id: UUID) -> Rank | None:
        return await self._session.scalar(sa.select(Rank).where(Rank.id == rank_id))

    async def lock_master(self) -> None:
        """Serialise master changes and recomputes of the tenant (a row per tenant)."""
        await self._session.execute(
            pg.insert(RankMaster).values(tenant_id=self._tenant_id).on_conflict_do_nothing()
        )
        await self._session.execute(sa.select(RankMaster).with_for_update())

    async def stale_tenants(self, *, today: date, limit: int) -> list[UUID]:
        rows = await self._session.execute(sa.text(_STALE), {"today": today, "limit": limit})
        return [r[0] for r in rows]

    async def replace(
        self, *, period_days: int | None, ranks: list[dict], by: UUID | None
    ) -> list[Rank]:
        await self._session.execute(
            sa.update(RankMaster).values(
                period_days=period_days, updated_by=by, updated_at=sa.func.now()
            )
        )
        kept = [r["id"] for r in ranks if r.get("id")]
        await self._session.execute(sa.delete(Rank).where(Rank.id.not_in(kept)))
        for position, values in enumerate(ranks):
            stmt = pg.insert(Rank).values(tenant_id=self._tenant_id, position=position, **values)
            await self._session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[Rank.id],
                    set_={k: stmt.excluded[k] for k in ("position", *values) if k != "id"},
                    where=Rank.tenant_id == self._tenant_id,
                )
            )
        return (await self.master())[1]

    async def recompute(self, *, today: date, since: object, customer_id: UUID) -> int:
        """One customer's rank (1: it changed). ``since``: the period's start (an aware
        datetime, or the epoch for all time)."""
        params = {"tenant": self._tenant_id, "today": today, "since": since,
                  "customer": customer_id}  # fmt: skip
        sql = _RECOMPUTE.format(only="AND c.id = :customer")
        return (await self._session.execute(sa.text(sql), params)).rowcount or 0  # type: ignore[attr-defined]

    async def recompute_batch(
        self, *, today: date, since: object, after: UUID | None, limit: int
    ) -> tuple[int, UUID | None]:
        """The next ``limit`` customers in id order after ``after``: (changed, the last id
        done, or None when the batch reached the end)."""
        upper = await self._session.scalar(
            sa.text("SELECT id FROM customers WHERE tenant_id = :tenant AND id > :after "
                    "ORDER BY id OFFSET :skip LIMIT 1"),
            {"tenant": self._tenant_id, "after": after or _FIRST, "skip": limit - 1},
        )  # fmt: skip
        only = "AND c.id > :after" + (" AND c.id <= :upper" if upper else "")
        params = {"tenant": self._tenant_id, "today": today, "since": since,
                  "after": after or _FIRST, **({"upper": upper} if upper else {})}  # fmt: skip
        result = await self._session.execute(sa.text(_RECOMPUTE.format(only=only)), params)
        return result.rowcount or 0, upper  # type: ignore[attr-defined]

    async def progress(self, *, on: date | None, after: UUID | None) -> None:
        """Where the tenant's full run stands: finished on ``on``, or continuing after
        ``after`` (``on`` None) for the rank worker."""
        await self._session.execute(
            sa.update(RankMaster).values(recomputed_on=on, recompute_after=after)
        )
        if on is None:
            await self._session.execute(sa.text(f"SELECT pg_notify('{CHANNEL}', '')"))
