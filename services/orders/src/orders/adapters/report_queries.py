"""The reporting model's reads: GROUP BY over the monthly aggregates of a month range, each
query naming the tenant. Names (media, staff) are the masters' as they are now."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import distinct_on

from orders.adapters.report_orm import (
    ReportContact,
    ReportCustomerMonth,
    ReportFreshness,
    ReportOrder,
    ReportOrderMonth,
    ReportProductMonth,
    ReportSurveyMonth,
)
from orders.adapters.rows import TenantRows

Row = dict[str, Any]


def _sums(model: type, *names: str) -> list[Any]:
    # sum() of bigint is numeric in PostgreSQL: back to integers for the answer
    return [sa.cast(sa.func.sum(getattr(model, n)), sa.BigInteger).label(n) for n in names]


class ReportQueries(TenantRows):
    async def _rows(self, query: sa.Select) -> list[Row]:
        return [dict(r._mapping) for r in await self._session.execute(query)]

    def _in(self, model: Any, first: date, last: date) -> list[Any]:
        return [model.tenant_id == self._tenant_id, model.month.between(first, last)]

    async def by_order_keys(self, *, first: date, last: date, keys: tuple[str, ...]) -> list[Row]:
        """Orders, sales, cost and shipping by month / medium / staff / prefecture."""
        m = ReportOrderMonth
        cols = [getattr(m, k) for k in keys]
        query = (sa.select(*cols, *_sums(m, "orders", "sales_yen", "cost_yen", "shipping_yen"))
                 .where(*self._in(m, first, last)).group_by(*cols).order_by(*cols))  # fmt: skip
        return await self._rows(query)

    async def by_product_keys(self, *, first: date, last: date, keys: tuple[str, ...]) -> list[Row]:
        """Quantities, sales and cost by product / medium / prefecture (a product's name the
        latest the events gave)."""
        m = ReportProductMonth
        cols = [getattr(m, k) for k in keys]
        extra = [sa.func.max(m.product_name).label("product_name")] if "product_id" in keys else []
        sums = _sums(m, "quantity", "returned_quantity", "sales_yen", "cost_yen")
        query = (sa.select(*cols, *extra, *sums).where(*self._in(m, first, last))
                 .group_by(*cols).order_by(*cols))  # fmt: skip
        return await self._rows(query)

    async def by_customer(self, *, first: date, last: date, limit: int) -> list[Row]:
        m = ReportCustomerMonth
        sales = sa.func.sum(m.sales_yen)
        query = (sa.select(m.customer_id, *_sums(m, "orders", "sales_yen", "cost_yen"),
                           sa.func.max(m.month).label("last_month"))
                 .where(*self._in(m, first, last)).group_by(m.customer_id)
                 .having(sa.func.sum(m.orders) > 0)
                 .order_by(sales.desc(), m.customer_id).limit(limit))  # fmt: skip
        return await self._rows(query)

    async def survey(self, *, first: date, last: date) -> list[Row]:
        m = ReportSurveyMonth
        keys = [m.question_id, m.answer, m.product_id]
        query = (sa.select(*keys, sa.func.max(m.question_text).label("question_text"),
                           sa.func.max(m.product_name).label("product_name"),
                           *_sums(m, "answers"))
                 .where(*self._in(m, first, last)).group_by(*keys)
                 .order_by(sa.text("question_text"), m.answer, sa.text("product_name")))  # fmt: skip
        return await self._rows(query)

    async def last_orders(self, *, first: date, last: date, before: date, days: int) -> list[Row]:
        """Each customer's last order that stands (not cancelled), for the customers whose
        last one was in the range and before ``before`` (they have stopped), with
        ``last_contact``: the kind of their last contact not deleted up to ``days`` days
        after that order, when they became churned (None: none)."""
        o, c = ReportOrder, ReportContact
        latest = (sa.select(o.customer_id, o.month, o.outcome, o.lines, o.ordered_at)
                  .where(o.tenant_id == self._tenant_id, o.status == "placed")
                  .ext(distinct_on(o.customer_id))
                  .order_by(o.customer_id, o.ordered_at.desc()).subquery())  # fmt: skip
        contact = (sa.select(c.kind_label)
                   .where(c.tenant_id == self._tenant_id, c.customer_id == latest.c.customer_id,
                          c.deleted.is_(False),
                          c.occurred_at <= latest.c.ordered_at + timedelta(days=days))
                   .order_by(c.occurred_at.desc(), c.contact_id.desc()).limit(1)
                   .scalar_subquery())  # fmt: skip
        query = sa.select(latest, contact.label("last_contact")).where(
            latest.c.month.between(first, last), sa.func.date(latest.c.ordered_at) < before
        )
        return await self._rows(query)

    async def freshness(self) -> ReportFreshness | None:
        query = sa.select(ReportFreshness).where(ReportFreshness.tenant_id == self._tenant_id)
        return await self._session.scalar(query)

    async def names(self, model: type, ids: set[UUID]) -> dict[UUID, str]:
        if not ids:
            return {}
        rows = await self._session.execute(sa.select(model.id, model.name).where(model.id.in_(ids)))  # type: ignore[attr-defined]
        return {r.id: r.name for r in rows}
