"""The booking figures' read model: visits as the booking events tell them, and the
per-customer counts recomputed from them (order of arrival does not matter)."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import Customer, CustomerVisit
from customer.domain.model import CANCELLED_STATUSES, VISITED


class VisitRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def lock_customer(self, *, customer_id: UUID) -> None:
        """Serialise the handlers of one customer's visits: the figures are recomputed from
        the visit rows, and two concurrent transactions would each miss the other's row."""
        await self._session.execute(
            sa.select(Customer.id).where(Customer.id == customer_id).with_for_update()
        )

    async def upsert(
        self,
        *,
        visit_id: UUID,
        customer_id: UUID,
        store_id: UUID | None,
        kind: str | None,
        property_name: str | None,
        starts_at: datetime,
        status: str,
        event_at: datetime,
        salon: dict[str, object] | None = None,
    ) -> UUID | None:
        """Insert or move the visit; returns the customer it belonged to before (a change
        may carry another customer), so that both customers' figures are recomputed.
        ``event_at``: when booking produced this state; a state older than the one kept is
        ignored. ``salon``: menu and staff member (ids and names) when the event names them;
        an event without them (an older producer) leaves what is known."""
        previous = await self._session.scalar(
            sa.select(CustomerVisit.customer_id).where(CustomerVisit.visit_id == visit_id)
        )
        values = {
            "customer_id": customer_id,
            "store_id": store_id,
            "kind": kind,
            "starts_at": starts_at,
            "status": status,
            "event_at": event_at,
            "updated_at": sa.func.now(),
        }
        if property_name is not None:
            values["property_name"] = property_name
        values.update(salon or {})
        stmt = pg.insert(CustomerVisit).values(
            visit_id=visit_id,
            tenant_id=self._tenant_id,
            cancelled=status in CANCELLED_STATUSES,
            **values,
        )
        # A cancellation that arrived first stays a cancellation.
        update = {
            **values,
            "status": sa.case(
                (CustomerVisit.cancelled, CustomerVisit.status), else_=stmt.excluded.status
            ),
        }
        newer = sa.or_(CustomerVisit.event_at.is_(None), CustomerVisit.event_at <= event_at)
        await self._session.execute(
            stmt.on_conflict_do_update(index_elements=["visit_id"], set_=update, where=newer)
        )
        return previous

    async def cancel(
        self,
        *,
        visit_id: UUID,
        customer_id: UUID,
        store_id: UUID | None,
        starts_at: datetime,
        status: str,
        last_minute: bool,
        no_show: bool,
        event_at: datetime,
    ) -> None:
        """A cancellation is final, whenever it arrives; ``event_at`` only moves forward, so
        that a change older than it arriving later is ignored."""
        values = {
            "customer_id": customer_id,
            "store_id": store_id,
            "starts_at": starts_at,
            "status": status,
            "cancelled": True,
            "last_minute": last_minute,
            "no_show": no_show,
            "updated_at": sa.func.now(),
        }
        stmt = pg.insert(CustomerVisit).values(
            visit_id=visit_id, tenant_id=self._tenant_id, event_at=event_at, **values
        )
        latest = sa.func.greatest(CustomerVisit.event_at, stmt.excluded.event_at)
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=["visit_id"], set_={**values, "event_at": latest}
            )
        )

    async def recompute(self, *, customer_id: UUID) -> None:
        v = CustomerVisit
        mine = v.customer_id == customer_id
        live = sa.and_(mine, v.cancelled.is_(False))
        latest = (
            sa.select(v.starts_at, v.status, v.property_name)
            .where(live)
            .order_by(v.starts_at.desc())
            .limit(1)
            .subquery()
        )
        figures = sa.select(
            sa.func.count().label("reservations"),
            sa.func.count().filter(v.status == VISITED).label("visits"),
            sa.func.count().filter(v.cancelled).label("cancels"),
            sa.func.count().filter(v.cancelled & v.last_minute).label("last_minute"),
            sa.func.count().filter(v.cancelled.is_(False)).label("live"),
            sa.func.min(v.starts_at).filter(v.status == VISITED).label("first_visit"),
            sa.func.max(v.starts_at).filter(v.status == VISITED).label("last_visit"),
        ).where(mine)
        row = (await self._session.execute(figures)).one()
        top = (await self._session.execute(sa.select(latest))).first()
        # 最終利用メニュー (seed 003): the menu of the latest salon visit the customer came to.
        last_menu = (
            await self._session.execute(
                sa.select(v.menu_id, v.menu_name)
                .where(mine, v.status == VISITED, v.menu_id.is_not(None))
                .order_by(v.starts_at.desc())
                .limit(1)
            )
        ).first()
        await self._session.execute(
            sa.update(Customer)
            .where(Customer.id == customer_id)
            .values(
                reservation_count=row.reservations,
                visit_count=row.visits,
                cancel_count=row.cancels,
                last_minute_cancel_count=row.last_minute,
                first_visit_at=row.first_visit,
                last_visit_at=row.last_visit,
                latest_visit_at=top.starts_at if top else None,
                latest_visit_status=top.status if top else None,
                latest_visit_property=top.property_name if top else None,
                # 「接客n回目」: the latest live visit is the n-th one.
                latest_visit_number=row.live,
                last_menu_id=last_menu.menu_id if last_menu else None,
                last_menu_name=last_menu.menu_name if last_menu else None,
            )
        )

    async def has_history(self, *, customer_id: UUID) -> bool:
        found = await self._session.scalar(
            sa.select(CustomerVisit.visit_id)
            .where(CustomerVisit.customer_id == customer_id)
            .limit(1)
        )
        return found is not None

    async def move(self, *, source_id: UUID, target_id: UUID) -> int:
        result = await self._session.execute(
            sa.update(CustomerVisit)
            .where(CustomerVisit.customer_id == source_id)
            .values(customer_id=target_id)
        )
        return result.rowcount or 0
