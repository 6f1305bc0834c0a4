"""All SQL of the orders service. Tenant scoping is applied by the session (kit.db)."""

from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from kit.db import copy_rows
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from orders.adapters.orm import (
    CampaignRow,
    Order,
    OrderCounter,
    OrderLine,
    OrdersSettings,
    Product,
    SetProduct,
    ShippingFee,
    SurveyAnswer,
)
from orders.adapters.rows import TenantRows


class MasterRepository(TenantRows):
    """The masters share one shape: added, read, listed without the retired, edited, retired."""

    async def get(self, model: type, *, id: UUID) -> Any:
        return await self._session.scalar(sa.select(model).where(model.id == id))

    async def entries(self, model: type, *, include_retired: bool) -> list:
        query = sa.select(model)
        if not include_retired:
            query = query.where(model.retired_at.is_(None))
        return list(await self._session.scalars(query.order_by(model.created_at, model.id)))

    async def many(self, model: type, *, ids: set[UUID]) -> dict[UUID, Any]:
        if not ids:
            return {}
        rows = await self._session.scalars(sa.select(model).where(model.id.in_(ids)))
        return {row.id: row for row in rows}

    async def product_by_code(self, *, code: str) -> Product | None:
        return await self._session.scalar(sa.select(Product).where(Product.code == code))

    async def products_by_code(self, *, codes: set[str]) -> dict[str, Product]:
        rows = await self._session.scalars(sa.select(Product).where(Product.code.in_(codes)))
        return {row.code: row for row in rows}

    async def shipping_fee(self, *, prefecture: str) -> ShippingFee | None:
        return await self._session.scalar(
            sa.select(ShippingFee).where(
                ShippingFee.prefecture == prefecture, ShippingFee.retired_at.is_(None)
            )
        )

    async def campaigns_running(self, *, day: date) -> list[CampaignRow]:
        rows = await self._session.scalars(
            sa.select(CampaignRow).where(
                CampaignRow.retired_at.is_(None),
                CampaignRow.starts_on <= day,
                CampaignRow.ends_on >= day,
            )
        )
        return list(rows)

    async def companion_sets(self, *, trigger_ids: set[UUID]) -> list[SetProduct]:
        if not trigger_ids:
            return []
        rows = await self._session.scalars(
            sa.select(SetProduct)
            .where(
                SetProduct.kind == "companion",
                SetProduct.retired_at.is_(None),
                SetProduct.trigger_product_id.in_(trigger_ids),
            )
            .order_by(SetProduct.created_at, SetProduct.id)
        )
        return list(rows)

    async def settings(self) -> OrdersSettings | None:
        return await self._session.scalar(sa.select(OrdersSettings))


class OrderRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def next_number(self, *, count: int = 1) -> int:
        """The first of ``count`` consecutive new order numbers of the tenant; the row lock
        serialises concurrent orders."""
        statement = (
            insert(OrderCounter)
            .values(tenant_id=self._tenant_id, last_number=count)
            .on_conflict_do_update(
                index_elements=[OrderCounter.tenant_id],
                set_={"last_number": OrderCounter.last_number + count},
            )
            .returning(OrderCounter.last_number)
        )
        return int(await self._session.scalar(statement)) - count + 1  # type: ignore[arg-type]

    def add(self, order: Order, lines: list[OrderLine]) -> None:
        order.tenant_id = self._tenant_id  # type: ignore[assignment]
        self._session.add(order)
        for line in lines:
            line.tenant_id = self._tenant_id  # type: ignore[assignment]
        self._session.add_all(lines)

    async def flush(self) -> None:
        await self._session.flush()

    async def copy_orders(
        self,
        *,
        orders: list[tuple[Any, ...]],
        lines: list[tuple[Any, ...]],
        order_columns: tuple[str, ...],
        line_columns: tuple[str, ...],
    ) -> None:
        """Orders and their lines as COPY records (bulk: the daily run's chunks; one phone
        order alike). The caller has set every row's tenant."""
        await copy_rows(self._session, Order.__tablename__, columns=order_columns, records=orders)
        await copy_rows(self._session, OrderLine.__tablename__, columns=line_columns, records=lines)

    async def get(self, *, order_id: UUID, lock: bool = False) -> Order | None:
        query = sa.select(Order).where(Order.id == order_id)
        return await self._session.scalar(query.with_for_update() if lock else query)

    async def lock_shop_number(self, *, shop_order_number: str) -> None:
        """Serialises two posts of one shop order until the first commits (the transaction's
        advisory lock); the second then finds the order."""
        await self._session.execute(
            sa.select(sa.func.pg_advisory_xact_lock(
                sa.func.hashtextextended(f"{self._tenant_id}:{shop_order_number}", 0)))
        )  # fmt: skip

    async def by_shop_number(self, *, shop_order_number: str) -> Order | None:
        return await self._session.scalar(
            sa.select(Order).where(Order.shop_order_number == shop_order_number)
        )

    async def lines(self, *, order_ids: list[UUID]) -> dict[UUID, list[OrderLine]]:
        found: dict[UUID, list[OrderLine]] = {order_id: [] for order_id in order_ids}
        if order_ids:
            rows = await self._session.scalars(
                sa.select(OrderLine)
                .where(OrderLine.order_id.in_(order_ids))
                .order_by(OrderLine.order_id, OrderLine.line_no)
            )
            for row in rows:
                found[row.order_id].append(row)
        return found

    async def customers_with_orders(self, *, customer_ids: set[UUID]) -> set[UUID]:
        rows = await self._session.scalars(
            sa.select(Order.customer_id).where(Order.customer_id.in_(customer_ids)).distinct()
        )
        return set(rows)

    async def has_orders(self, *, customer_id: UUID) -> bool:
        found = await self._session.scalar(
            sa.select(Order.id).where(Order.customer_id == customer_id).limit(1)
        )
        return found is not None

    async def survey_answers(self, *, order_id: UUID) -> list[SurveyAnswer]:
        rows = await self._session.scalars(
            sa.select(SurveyAnswer)
            .where(SurveyAnswer.order_id == order_id)
            .order_by(SurveyAnswer.id)
        )
        return list(rows)

    async def presents(self, *, customer_id: UUID) -> list[tuple[Order, OrderLine]]:
        rows = await self._session.execute(
            sa.select(Order, OrderLine)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .outerjoin(Product, Product.id == OrderLine.product_id)
            .where(
                Order.customer_id == customer_id,
                Order.status == "placed",
                sa.or_(OrderLine.is_gift, Product.is_present.is_(True)),
            )
            .order_by(Order.ordered_at.desc(), OrderLine.line_no)
        )
        return [(o, ln) for o, ln in rows]

    async def search(
        self, *, customer_id: UUID | None, ordered_on: date | None, limit: int, offset: int,
        order_number: int | None = None,
    ) -> tuple[list[Order], int]:  # fmt: skip
        query = sa.select(Order)
        if order_number is not None:
            query = query.where(Order.order_number == order_number)
        if customer_id is not None:
            query = query.where(Order.customer_id == customer_id)
        if ordered_on is not None:
            query = query.where(Order.ordered_on == ordered_on)
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(
            query.order_by(Order.ordered_at.desc(), Order.id).limit(limit).offset(offset)
        )
        return list(rows), int(total or 0)
