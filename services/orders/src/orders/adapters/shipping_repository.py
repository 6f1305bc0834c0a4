"""The SQL of shipping: the orders to ship, the shipper's details, shipments and their
tracking numbers. Tenant scoping is the session's (kit.db)."""

from datetime import date
from uuid import UUID

import sqlalchemy as sa

from orders.adapters.orm import Order, Shipment, ShipperSettings
from orders.adapters.rows import TenantRows


def _digits(column: sa.ColumnElement) -> sa.ColumnElement:
    return sa.func.regexp_replace(sa.func.coalesce(column, ""), r"\D", "", "g")


class ShippingRepository(TenantRows):
    async def shipper(self) -> ShipperSettings | None:
        return await self._session.scalar(sa.select(ShipperSettings))

    def _unshipped(self) -> sa.Select:
        return (
            sa.select(Order)
            .outerjoin(Shipment, Shipment.order_id == Order.id)
            .where(Shipment.order_id.is_(None), Order.status == "placed")
        )

    async def to_ship(self, *, until: date) -> list[Order]:
        """Orders not yet handed to a carrier that ship on or before ``until``."""
        rows = await self._session.scalars(
            self._unshipped().where(Order.ships_on <= until).order_by(Order.order_number)
        )
        return list(rows)

    async def shipping_on(self, *, day: date) -> list[tuple[Order, Shipment | None]]:
        """出荷確認一覧: the orders that ship on ``day``, with their shipment if any."""
        rows = await self._session.execute(
            sa.select(Order, Shipment)
            .outerjoin(Shipment, Shipment.order_id == Order.id)
            .where(Order.ships_on == day, Order.status == "placed")
            .order_by(Order.order_number)
        )
        return [(order, shipment) for order, shipment in rows]

    async def by_numbers(self, *, numbers: set[int]) -> dict[int, Order]:
        if not numbers:
            return {}
        rows = await self._session.scalars(sa.select(Order).where(Order.order_number.in_(numbers)))
        return {row.order_number: row for row in rows}

    async def unshipped_by_phone_and_postal(self, *, phone: str, postal: str) -> list[Order]:
        """The fallback match of a tracking row: unshipped orders to that phone and postcode."""
        rows = await self._session.scalars(
            self._unshipped()
            .where(
                _digits(Order.delivery["phone"].astext) == phone,
                _digits(Order.delivery["postal_code"].astext) == postal,
            )
            .order_by(Order.order_number)
            .limit(2)
        )
        return list(rows)

    async def by_tracking(self, *, numbers: set[str]) -> dict[str, Shipment]:
        if not numbers:
            return {}
        rows = await self._session.scalars(
            sa.select(Shipment).where(Shipment.tracking_number.in_(numbers))
        )
        return {row.tracking_number: row for row in rows}

    async def shipments(self, *, order_ids: set[UUID]) -> dict[UUID, Shipment]:
        if not order_ids:
            return {}
        rows = await self._session.scalars(
            sa.select(Shipment).where(Shipment.order_id.in_(order_ids))
        )
        return {row.order_id: row for row in rows}
