"""Stores, properties and the customers read model: what a booking is checked against."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from booking.adapters.orm import BookingCustomer, NotificationTarget, Property, StoreSettings

# A booking's reads: Core, built once, each naming its tenant (the session's tenant criteria
# scope ORM entities only). They answer transient objects: nothing to flush, nothing tracked.
_stores, _props, _customers = StoreSettings.__table__, Property.__table__, BookingCustomer.__table__
_targets = NotificationTarget.__table__
_P = "p_"  # the property's columns beside the store's (both have name, store_id, tenant_id)
_JSON = pg.JSON()
# The store's 通知先 (0..n) as one JSON array beside the store's row, in the notices' order.
_TARGETS = (
    sa.select(
        sa.func.coalesce(
            sa.func.json_agg(
                pg.aggregate_order_by(
                    sa.func.json_build_object(
                        "id", _targets.c.id, "name", _targets.c.name, "email", _targets.c.email
                    ),
                    _targets.c.name,
                    _targets.c.id,
                ),
                type_=_JSON,
            ),
            sa.text("'[]'::json"),
            type_=_JSON,
        )
    )
    .where(
        _targets.c.store_id == _stores.c.store_id,
        _targets.c.tenant_id == sa.bindparam("tenant_id"),
    )
    .scalar_subquery()
    .label("targets")
)
_STORE_FOR_BOOKING = (
    sa.select(*_stores.c, *(c.label(_P + c.name) for c in _props.c), _TARGETS)
    .select_from(
        _stores.outerjoin(
            _props,
            sa.and_(
                _props.c.id == sa.bindparam("property_id"),
                _props.c.tenant_id == sa.bindparam("tenant_id"),
            ),
        )
    )
    .where(
        _stores.c.store_id == sa.bindparam("store_id"),
        _stores.c.tenant_id == sa.bindparam("tenant_id"),
    )
)
_CUSTOMER = sa.select(_customers).where(
    _customers.c.customer_id == sa.bindparam("customer_id"),
    _customers.c.tenant_id == sa.bindparam("tenant_id"),
)
_CUSTOMER_LOCKED = _CUSTOMER.with_for_update()


@dataclass(frozen=True)
class StoreForBooking:
    """What a booking reads of its store in one round trip."""

    store: StoreSettings
    prop: Property | None  # the one the booking names, whatever its store (the caller checks)
    targets: list[NotificationTarget]  # the store's 通知先, by name


class StoreRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def get(self, *, store_id: UUID) -> StoreSettings | None:
        return await self._session.scalar(
            sa.select(StoreSettings).where(StoreSettings.store_id == store_id)
        )

    async def for_booking(
        self, *, store_id: UUID, property_id: UUID | None
    ) -> StoreForBooking | None:
        """The store, the property a booking names and the store's 通知先, in one statement."""
        params = {"store_id": store_id, "property_id": property_id, "tenant_id": self._tenant_id}
        row = (await self._session.execute(_STORE_FOR_BOOKING, params)).mappings().first()
        if row is None:
            return None
        store = StoreSettings(**{c.name: row[c.name] for c in _stores.c})
        prop = None
        if row[_P + "id"] is not None:
            prop = Property(**{c.name: row[_P + c.name] for c in _props.c})
        scope = {"store_id": store_id, "tenant_id": self._tenant_id}
        targets = [
            NotificationTarget(id=UUID(t["id"]), name=t["name"], email=t["email"], **scope)
            for t in row["targets"]
        ]
        return StoreForBooking(store, prop, targets)

    async def list(self) -> list[StoreSettings]:
        return list(
            await self._session.scalars(sa.select(StoreSettings).order_by(StoreSettings.name))
        )

    async def put(self, *, store_id: UUID, values: dict) -> StoreSettings:
        """Insert or replace the store's settings; another tenant's store id is never touched."""
        stmt = pg.insert(StoreSettings).values(
            tenant_id=self._tenant_id, store_id=store_id, **values
        )
        result = await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=[StoreSettings.store_id],
                set_=values,
                where=StoreSettings.tenant_id == self._tenant_id,
            ).returning(StoreSettings.store_id)
        )
        if result.first() is None:
            raise LookupError(store_id)
        store = await self.get(store_id=store_id)
        assert store is not None
        await self._session.refresh(store)
        return store


class PropertyRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    def add(self, prop: Property) -> None:
        prop.tenant_id = self._tenant_id  # type: ignore[assignment]
        self._session.add(prop)

    async def get(self, *, property_id: UUID) -> Property | None:
        return await self._session.scalar(sa.select(Property).where(Property.id == property_id))

    async def by_code(self, *, code: str) -> Property | None:
        return await self._session.scalar(sa.select(Property).where(Property.code == code))

    async def of_store(self, *, store_id: UUID, include_retired: bool = False) -> list[Property]:
        query = sa.select(Property).where(Property.store_id == store_id)
        if not include_retired:
            query = query.where(Property.retired_at.is_(None))
        return list(await self._session.scalars(query.order_by(Property.name)))

    async def code_taken(self, *, code: str, except_id: UUID | None = None) -> bool:
        query = sa.select(Property.id).where(Property.code == code)
        if except_id is not None:
            query = query.where(Property.id != except_id)
        return (await self._session.scalar(query)) is not None

    async def flush(self) -> None:
        await self._session.flush()


class CustomerRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def get(self, *, customer_id: UUID) -> BookingCustomer | None:
        return await self._session.scalar(
            sa.select(BookingCustomer).where(BookingCustomer.customer_id == customer_id)
        )

    async def for_booking(self, *, customer_id: UUID, lock: bool) -> BookingCustomer | None:
        """The customer's facts a booking checks; ``lock``: row-locked until commit, in the same
        statement (two visits of one customer booked at the same moment then check each
        other's overlap in turn, never both on a stale list)."""
        params = {"customer_id": customer_id, "tenant_id": self._tenant_id}
        query = _CUSTOMER_LOCKED if lock else _CUSTOMER
        row = (await self._session.execute(query, params)).mappings().first()
        return None if row is None else BookingCustomer(**row)

    async def many(self, *, customer_ids: set[UUID]) -> dict[UUID, BookingCustomer]:
        if not customer_ids:
            return {}
        rows = await self._session.scalars(
            sa.select(BookingCustomer).where(BookingCustomer.customer_id.in_(customer_ids))
        )
        return {row.customer_id: row for row in rows}

    async def known(self, *, customer_id: UUID, name: str | None = None) -> None:
        """The customer exists in this tenant (an inquiry was linked to it, the booking site
        identified it); its facts follow by event and are never overwritten here."""
        await self._session.execute(
            pg.insert(BookingCustomer)
            .values(tenant_id=self._tenant_id, customer_id=customer_id, name=name)
            .on_conflict_do_nothing()
        )

    async def put_profile(self, *, customer_id: UUID, values: dict, changed_at: datetime) -> None:
        """Keep the newest profile: an older event delivered late changes nothing."""
        stmt = pg.insert(BookingCustomer).values(
            tenant_id=self._tenant_id, customer_id=customer_id, changed_at=changed_at, **values
        )
        table = BookingCustomer.__table__
        await self._session.execute(
            stmt.on_conflict_do_update(
                index_elements=[BookingCustomer.customer_id],
                set_={**values, "changed_at": changed_at},
                where=sa.and_(
                    table.c.tenant_id == self._tenant_id,
                    sa.or_(table.c.changed_at.is_(None), table.c.changed_at <= changed_at),
                ),
            )
        )
