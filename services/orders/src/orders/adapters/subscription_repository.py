"""The SQL of subscriptions (定期), their cycles and the daily run. Tenant scoping is the
session's (kit.db), except for the run's one look-up of the tenants with work due."""

from datetime import date
from uuid import UUID, uuid4

import sqlalchemy as sa
from kit.db import unscoped
from sqlalchemy.dialects.postgresql import insert

from orders.adapters.orm import (
    Order,
    Subscription,
    SubscriptionDelivery,
    SubscriptionRun,
    SubscriptionSettings,
)
from orders.adapters.rows import TenantRows

OPEN = ("active", "paused")


class SubscriptionRepository(TenantRows):
    async def settings(self) -> SubscriptionSettings | None:
        return await self._session.scalar(sa.select(SubscriptionSettings))

    async def get(self, *, subscription_id: UUID, lock: bool = False) -> Subscription | None:
        query = sa.select(Subscription).where(Subscription.id == subscription_id)
        if lock:
            query = query.with_for_update()
        return await self._session.scalar(query)

    async def search(
        self, *, customer_id: UUID | None, status: str | None, limit: int, offset: int
    ) -> tuple[list[Subscription], int]:
        query = sa.select(Subscription)
        if customer_id is not None:
            query = query.where(Subscription.customer_id == customer_id)
        if status is not None:
            query = query.where(Subscription.status == status)
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(Subscription.next_delivers_on, Subscription.id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), int(total or 0)

    async def open_ones(self, *, lock: bool = False) -> list[Subscription]:
        """Every active or paused subscription (a calendar change moves their next dates)."""
        query = sa.select(Subscription).where(Subscription.status.in_(OPEN))
        if lock:
            query = query.with_for_update()
        return list(await self._session.scalars(query.order_by(Subscription.id)))

    async def active_until(self, *, last: date) -> list[Subscription]:
        """Active subscriptions whose next delivery is on or before ``last``."""
        return list(
            await self._session.scalars(
                sa.select(Subscription)
                .where(Subscription.status == "active", Subscription.next_on <= last)
                .order_by(Subscription.next_delivers_on, Subscription.id)
            )
        )

    async def claim_due(self, *, today: date, limit: int) -> list[Subscription]:
        """Active subscriptions whose order is due, locked for this transaction; rows another
        run holds are passed over (SKIP LOCKED): two replicas share the work, never repeat it."""
        return list(
            await self._session.scalars(
                sa.select(Subscription)
                .where(Subscription.status == "active", Subscription.next_order_on <= today)
                .order_by(Subscription.next_order_on, Subscription.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )

    async def claim_cycle(
        self, sub: Subscription, *, status: str, delivers_on: date, note: str | None = None
    ) -> UUID | None:
        """Records the subscription's next cycle; None when it was recorded already (the
        unique key on subscription and cycle: the exactly-once guarantee)."""
        statement = (
            insert(SubscriptionDelivery)
            .values(
                id=uuid4(),
                tenant_id=self._tenant_id,
                subscription_id=sub.id,
                cycle_no=sub.next_cycle_no,
                status=status,
                nominal_on=sub.next_on,
                delivers_on=delivers_on,
                note=note,
            )
            .on_conflict_do_nothing(index_elements=["subscription_id", "cycle_no"])
            .returning(SubscriptionDelivery.id)
        )
        return await self._session.scalar(statement)

    async def claim_cycles(
        self, cycles: list[tuple[Subscription, str, str | None, UUID | None]]
    ) -> set[UUID]:
        """Records each subscription's next cycle (status, note, the order to be written for
        it) in one statement; the subscriptions whose cycle this call recorded. A cycle
        recorded already (by an earlier or a concurrent run) is left out: the unique key on
        subscription and cycle."""
        if not cycles:
            return set()
        table = SubscriptionDelivery.__table__
        statement = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["subscription_id", "cycle_no"])
            .returning(table.c.subscription_id)
        )
        # executemany (insertmanyvalues): one compiled statement whatever the chunk's size
        rows = await self._session.execute(statement, [
            {"id": uuid4(), "tenant_id": self._tenant_id, "subscription_id": sub.id,
             "cycle_no": sub.next_cycle_no, "status": status, "nominal_on": sub.next_on,
             "delivers_on": sub.next_delivers_on, "note": note, "order_id": order_id}
            for sub, status, note, order_id in cycles
        ])  # fmt: skip
        return set(rows.scalars())

    async def deliveries(self, *, subscription_id: UUID) -> list[SubscriptionDelivery]:
        return list(
            await self._session.scalars(
                sa.select(SubscriptionDelivery)
                .where(SubscriptionDelivery.subscription_id == subscription_id)
                .order_by(SubscriptionDelivery.cycle_no)
            )
        )

    async def shipments(self, *, day: date) -> list[tuple[SubscriptionDelivery, Order]]:
        """The day's subscription shipments (定期発送一覧): the cycles ordered for delivery on
        ``day``, with their orders."""
        rows = await self._session.execute(
            sa.select(SubscriptionDelivery, Order)
            .join(Order, Order.id == SubscriptionDelivery.order_id)
            .where(SubscriptionDelivery.delivers_on == day)
            .order_by(Order.order_number)
        )
        return [(d, o) for d, o in rows]

    async def latest_run(self) -> SubscriptionRun | None:
        return await self._session.scalar(
            sa.select(SubscriptionRun)
            .order_by(SubscriptionRun.started_at.desc(), SubscriptionRun.id)
            .limit(1)
        )

    async def run(self, *, run_id: UUID) -> SubscriptionRun | None:
        return await self._session.scalar(
            sa.select(SubscriptionRun).where(SubscriptionRun.id == run_id)
        )

    async def count_run(self, *, run_id: UUID, created: int, skipped: int, failed: int) -> None:
        """Adds one chunk's figures to its run, in the chunk's own transaction."""
        await self._session.execute(
            sa.update(SubscriptionRun)
            .where(SubscriptionRun.id == run_id)
            .values(
                created=SubscriptionRun.created + created,
                skipped=SubscriptionRun.skipped + skipped,
                failed=SubscriptionRun.failed + failed,
            )
        )

    async def tenants_due(self, *, today: date) -> list[UUID]:
        """The tenants with a subscription order due (the run's only look-up across tenants)."""
        with unscoped(self._session):
            rows = await self._session.scalars(
                sa.select(Subscription.tenant_id)
                .where(Subscription.status == "active", Subscription.next_order_on <= today)
                .distinct()
            )
            return list(rows)
