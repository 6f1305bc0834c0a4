"""SQL of the exports (CUS-14): the search's own query, each customer with its phones and
emails (aggregated in the same row) and one address of its own, streamed from a
server-side cursor so that no export is held in memory. Tenant scoping is added by the
session, to every table of the statement."""

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from kit.clock import JST
from kit.japanese import escape_like
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import (
    Customer,
    CustomerAddress,
    CustomerEmail,
    CustomerPhone,
    CustomerPurchase,
)
from customer.adapters.search_sql import search_statement
from customer.domain.exports import OWN_ADDRESS_KINDS, AddressParts, ExportRecord, Region
from customer.domain.search import SearchCriteria

_ADDRESS_COLUMNS = ("kind", "postal_code", "prefecture", "city", "street", "building")
# What the CSV writes (domain/exports.py), not the whole row: loading every column into an
# ORM object per customer took most of the export's time.
_CUSTOMER_COLUMNS = [getattr(Customer, name) for name in (
    "customer_number", "name", "name_kana", "birth_date", "gender", "follow_up_status",
    "assignee_id", "store_id", "first_inquiry_at", "created_at", "reservation_count",
    "visit_count", "cancel_count", "last_visit_at", "last_menu_name", "caution", "blacklisted",
    "line_name", "inflow_sources", "attributes", "side", "property_type", "withdrawn_at",
    "withdrawal_reason",
)]  # fmt: skip
_BATCH = 500


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def count_customers(self, *, criteria: SearchCriteria, cap: int) -> int:
        query, _ = search_statement(criteria)  # the contacts and address change no count
        return await self._count(query, cap=cap)

    def customers(self, *, criteria: SearchCriteria, limit: int) -> AsyncIterator[ExportRecord]:
        query, order = customers_query(criteria)
        return self._stream(query.order_by(*order).limit(limit))

    async def count_dm_list(
        self, *, criteria: SearchCriteria, place: Region, cap: int, opted_out: bool = False
    ) -> int:
        """``opted_out``: count those the list leaves out for 郵送DM不要 instead."""
        query, _ = dm_query(criteria, place, opted_out=opted_out)
        return await self._count(query, cap=cap)

    def dm_list(
        self, *, criteria: SearchCriteria, place: Region, limit: int
    ) -> AsyncIterator[ExportRecord]:
        query, order = dm_query(criteria, place)
        return self._stream(query.order_by(*order).limit(limit))

    async def _count(self, query: sa.Select, *, cap: int) -> int:
        """Matches up to ``cap`` + 1: enough to refuse an export that is too large."""
        capped = query.with_only_columns(Customer.id).limit(cap + 1).subquery()
        return int(await self._session.scalar(sa.select(sa.func.count()).select_from(capped)) or 0)

    async def _stream(self, query: sa.Select) -> AsyncIterator[ExportRecord]:
        result = await self._session.stream(query.execution_options(yield_per=_BATCH))
        async for row in result:
            parts = {name: getattr(row, f"address_{name}") for name in _ADDRESS_COLUMNS}
            yield ExportRecord(
                customer=row,
                phones=list(row.phones or []),
                emails=list(row.emails or []),
                address=AddressParts(**parts) if parts["kind"] else None,
            )


def customers_query(criteria: SearchCriteria) -> tuple[sa.Select, list[Any]]:
    """The list's search, with contacts and the customer's first own address (home first)."""
    query, order = search_statement(criteria)
    address = _own_address(mailable_only=False)
    return _with_contacts(query).outerjoin(address, sa.true()).add_columns(
        *_labelled(address)
    ), order


def dm_query(
    criteria: SearchCriteria, place: Region, *, opted_out: bool = False
) -> tuple[sa.Select, list[Any]]:
    """Customers with a mailable address of their own in the region, in postal-code order
    (the order 区分郵便 discounts ask for). The region's index (migration 0004) picks the
    candidates; the lateral join then takes each one's mailing address (home first), which
    must itself lie in the region."""
    query, _ = search_statement(criteria)
    address = _own_address(mailable_only=True)
    query = _with_contacts(query).join(address, sa.true()).add_columns(*_labelled(address))
    query = query.where(Customer.dm_opt_out.is_(opted_out))  # 郵送DM不要: never on a list
    if place.prefectures:
        candidates = sa.select(CustomerAddress.customer_id).where(
            CustomerAddress.mailable, CustomerAddress.prefecture.in_(place.prefectures)
        )
        query = query.where(address.c.prefecture.in_(place.prefectures))
        if place.city:
            prefix = escape_like(place.city) + "%"
            candidates = candidates.where(CustomerAddress.city.like(prefix, escape="\\"))
            query = query.where(address.c.city.like(prefix, escape="\\"))
        query = query.where(Customer.id.in_(candidates))
    for condition in purchase_conditions(place):
        query = query.where(condition)
    return query, [address.c.postal_code, Customer.customer_number, Customer.id]


def purchase_conditions(place: Region) -> list[Any]:
    """One EXISTS over the customer's orders that stand (not cancelled or returned) in the
    period — with any of the products — or, for "all of", one per product (each product in
    some order of the period, not necessarily the same one)."""
    if not place.by_purchase:
        return []

    def placed() -> sa.Select:
        p = CustomerPurchase
        q = sa.select(sa.literal(1)).where(p.customer_id == Customer.id, p.status == "placed")
        if place.ordered_from is not None:
            start, end = japan_day_bounds(place.ordered_from, place.ordered_to)
            q = q.where(p.ordered_at >= start, p.ordered_at < end)
        return q

    def keys(values: list[str]) -> Any:
        return sa.literal(values, type_=pg.ARRAY(sa.Text))

    if not place.products:
        return [sa.exists(placed())]
    if place.product_match == "all":
        return [
            sa.exists(placed().where(CustomerPurchase.product_keys.contains(keys([key]))))
            for key in place.products
        ]  # fmt: skip
    return [
        sa.exists(placed().where(CustomerPurchase.product_keys.overlap(keys(list(place.products)))))
    ]


def japan_day_bounds(first: date, last: date | None) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in Japan time."""
    end = (last or first) + timedelta(days=1)
    return (datetime.combine(first, time(), JST), datetime.combine(end, time(), JST))


def _with_contacts(query: sa.Select) -> sa.Select:
    query = query.with_only_columns(*_CUSTOMER_COLUMNS, maintain_column_froms=True)
    phones = (
        sa.select(sa.func.array_agg(aggregate_order_by(CustomerPhone.display, CustomerPhone.position)))
        .where(CustomerPhone.customer_id == Customer.id)
        .scalar_subquery()
    )  # fmt: skip
    emails = (
        sa.select(sa.func.array_agg(aggregate_order_by(CustomerEmail.email, CustomerEmail.position)))
        .where(CustomerEmail.customer_id == Customer.id)
        .scalar_subquery()
    )  # fmt: skip
    return query.add_columns(phones.label("phones"), emails.label("emails"))


def _own_address(*, mailable_only: bool) -> Any:
    a = CustomerAddress
    query = sa.select(*(getattr(a, name) for name in _ADDRESS_COLUMNS)).where(
        a.customer_id == Customer.id, a.kind.in_(OWN_ADDRESS_KINDS)
    )
    if mailable_only:
        query = query.where(a.mailable)
    return query.order_by(a.kind != "home", a.position).limit(1).lateral("own_address")


def _labelled(address: Any) -> list[Any]:
    return [address.c[name].label(f"address_{name}") for name in _ADDRESS_COLUMNS]
