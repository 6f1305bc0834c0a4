"""SQL of the customer master: rows, contacts, addresses, settings. Tenant scoping is
applied by the session (kit.db); search lives in search_sql.py, visits, merges and imports
in their own repositories."""

import json
import operator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from kit.db import copy_rows
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import (
    Customer,
    CustomerAddress,
    CustomerEmail,
    CustomerInquiry,
    CustomerPhone,
    CustomerSettingsRow,
    CustomerVisit,
)
from customer.adapters.search_sql import search_statement
from customer.domain.profile import Address, Email, Phone
from customer.domain.search import SearchCriteria


@dataclass
class CustomerView:
    customer: Customer
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    phone_details: list[CustomerPhone] = field(default_factory=list)
    addresses: list[CustomerAddress] = field(default_factory=list)
    inquiries: list[CustomerInquiry] = field(default_factory=list)
    visits: list[CustomerVisit] = field(default_factory=list)
    # The property of the latest inquiry that named one (the follow-up list's row, seed 000).
    inquired_property: dict | None = None


class CustomerRepository:
    def __init__(
        self,
        session: AsyncSession,
        *,
        tenant_id: UUID | None,
        store_scope: tuple[UUID, ...] | None = None,
    ) -> None:
        self._session = session
        self._tenant_id = tenant_id
        self._store_scope = store_scope  # the list's only (search_statement)

    async def id_by_identity_email(self, *, email_key: str) -> UUID | None:
        return await self._session.scalar(
            sa.select(Customer.id).where(Customer.identity_email == email_key)
        )

    async def add_if_absent(self, *, values: dict) -> UUID | None:
        """Insert; None when a customer with the same identity email won the race."""
        stmt = (
            pg.insert(Customer)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_nothing(
                index_elements=["tenant_id", "identity_email"],
                index_where=sa.text("identity_email IS NOT NULL"),
            )
            .returning(Customer.id)
        )
        return (await self._session.execute(stmt)).scalar_one_or_none()

    async def add_email(self, *, customer_id: UUID, email: str, key: str) -> None:
        await self._session.execute(
            pg.insert(CustomerEmail)
            .values(tenant_id=self._tenant_id, customer_id=customer_id, email_key=key, email=email)
            .on_conflict_do_nothing()
        )

    async def add_phone(
        self,
        *,
        customer_id: UUID,
        digits: str,
        display: str,
        kind: str = "other",
        e164: str | None = None,
    ) -> None:
        await self._session.execute(
            pg.insert(CustomerPhone)
            .values(
                tenant_id=self._tenant_id,
                customer_id=customer_id,
                digits=digits,
                display=display,
                kind=kind,
                e164=e164,
            )
            .on_conflict_do_nothing()
        )

    async def add_inquiry(self, *, values: dict) -> bool:
        result = await self._session.execute(
            pg.insert(CustomerInquiry)
            .values(tenant_id=self._tenant_id, **values)
            .on_conflict_do_nothing()
            .returning(CustomerInquiry.inquiry_id)
        )
        return result.first() is not None

    async def note_inquiry_time(self, *, customer_id: UUID, received_at: datetime) -> None:
        await self._session.execute(
            sa.update(Customer)
            .where(Customer.id == customer_id)
            .values(
                first_inquiry_at=sa.func.least(
                    sa.func.coalesce(Customer.first_inquiry_at, received_at), received_at
                ),
                updated_at=sa.func.now(),
            )
        )

    async def search(
        self, *, criteria: SearchCriteria, limit: int, offset: int, count_cap: int
    ) -> tuple[list[CustomerView], int, bool]:
        """The page, the total and whether it is exact: counting stops after ``count_cap``
        matches, since an exact count of a huge result costs a scan of all of it."""
        query, order = search_statement(criteria, store_scope=self._store_scope)
        capped = query.with_only_columns(Customer.id).limit(count_cap + 1).subquery()
        total = int(await self._session.scalar(sa.select(sa.func.count()).select_from(capped)) or 0)
        rows = list(await self._session.scalars(query.order_by(*order).limit(limit).offset(offset)))
        exact = total <= count_cap
        views = await self._with_contacts(rows)
        await self._with_inquired_properties(views)
        return views, min(total, count_cap), exact

    async def get(self, *, customer_id: UUID) -> CustomerView | None:
        row = await self._session.scalar(sa.select(Customer).where(Customer.id == customer_id))
        if row is None:
            return None
        [view] = await self._with_contacts([row])
        view.addresses = list(
            await self._session.scalars(
                sa.select(CustomerAddress)
                .where(CustomerAddress.customer_id == customer_id)
                .order_by(CustomerAddress.position)
            )
        )
        view.visits = list(
            await self._session.scalars(
                sa.select(CustomerVisit)
                .where(CustomerVisit.customer_id == customer_id)
                .order_by(CustomerVisit.starts_at.desc())
                .limit(50)
            )
        )
        view.inquiries = list(
            await self._session.scalars(
                sa.select(CustomerInquiry)
                .where(CustomerInquiry.customer_id == customer_id)
                .order_by(CustomerInquiry.received_at.desc())
            )
        )
        return view

    async def with_contacts(self, *, rows: list[Customer]) -> list[CustomerView]:
        """Views of ``rows`` (in their order) with their emails and phones."""
        return await self._with_contacts(rows)

    async def _with_contacts(self, rows: list[Customer]) -> list[CustomerView]:
        views = {c.id: CustomerView(customer=c) for c in rows}
        if not views:
            return []
        emails = await self._session.execute(
            sa.select(CustomerEmail.customer_id, CustomerEmail.email)
            .where(CustomerEmail.customer_id.in_(views))
            .order_by(CustomerEmail.position)
        )
        for customer_id, email in emails:
            views[customer_id].emails.append(email)
        phones = await self._session.scalars(
            sa.select(CustomerPhone)
            .where(CustomerPhone.customer_id.in_(views))
            .order_by(CustomerPhone.position)
        )
        for phone in phones:
            views[phone.customer_id].phones.append(phone.display)
            views[phone.customer_id].phone_details.append(phone)
        return list(views.values())

    async def _with_inquired_properties(self, views: list[CustomerView]) -> None:
        by_id = {v.customer.id: v for v in views}
        if not by_id:
            return
        i = CustomerInquiry
        latest = await self._session.execute(
            sa.select(i.customer_id, i.property_code, i.property_name, i.property_address,
                      i.property_price_yen)
            .where(i.customer_id.in_(by_id), i.property_name.is_not(None))
            .order_by(i.customer_id, i.received_at.desc())
            .ext(pg.distinct_on(i.customer_id))
        )  # fmt: skip
        for row in latest:
            by_id[row.customer_id].inquired_property = {
                "code": row.property_code,
                "name": row.property_name,
                "address": row.property_address,
                "price_yen": row.property_price_yen,
            }

    # -- writes of the profile (CUS-1, CUS-4) ---------------------------------------------

    async def row(self, *, customer_id: UUID, for_update: bool = False) -> Customer | None:
        # populate_existing: a Core UPDATE earlier in this unit must show in the row.
        query = (
            sa.select(Customer)
            .where(Customer.id == customer_id)
            .execution_options(populate_existing=True)
        )
        if for_update:
            query = query.with_for_update()
        return await self._session.scalar(query)

    async def next_customer_number(self) -> str:
        number = await self._session.scalar(sa.text("SELECT nextval('customer_number_seq')"))
        return f"C{int(number):08d}"

    async def next_customer_numbers(self, *, count: int) -> list[str]:
        if count == 0:
            return []
        numbers = await self._session.scalars(
            sa.text("SELECT nextval('customer_number_seq') FROM generate_series(1, :n)"),
            {"n": count},
        )
        return [f"C{int(n):08d}" for n in numbers]

    async def taken_customer_numbers(self, *, numbers: list[str]) -> set[str]:
        found = await self._probe(key=Customer.customer_number, owner=Customer.id, values=numbers)
        return {number for number, _ in found}

    async def insert_many(
        self,
        *,
        customers: list[dict],
        phones: list[dict],
        emails: list[dict],
        addresses: list[dict],
    ) -> None:
        """The import's new customers and contacts: one COPY per table, in the unit's
        transaction. Every dict of one list has the same keys."""
        for table, rows in (
            (Customer, customers),
            (CustomerPhone, phones),
            (CustomerEmail, emails),
            (CustomerAddress, [{"id": uuid4(), **a} for a in addresses]),
        ):
            if rows:
                await self._copy(table.__table__, rows)

    async def _copy(self, table: sa.Table, rows: list[dict]) -> None:
        columns = list(rows[0])
        values = operator.itemgetter(*columns)
        as_json = [n for n, name in enumerate(columns) if isinstance(table.c[name].type, pg.JSONB)]
        records = []
        for row in rows:
            record = [self._tenant_id, *values(row)]
            for n in as_json:  # JSON columns go as text (the connection's jsonb codec)
                if record[n + 1] is not None:
                    record[n + 1] = _json(record[n + 1])
            records.append(record)
        await copy_rows(self._session, table.name, columns=["tenant_id", *columns], records=records)

    async def id_by_customer_number(self, *, number: str) -> UUID | None:
        return await self._session.scalar(
            sa.select(Customer.id).where(Customer.customer_number == number)
        )

    async def ids_by_email_keys(self, *, keys: list[str]) -> dict[str, UUID]:
        """Who owns each email: a customer that has it, or whose identity it is (the first
        inquiry's email keeps routing to its customer after they changed their address)."""
        owners = dict(
            await self._probe(
                key=CustomerEmail.email_key, owner=CustomerEmail.customer_id, values=keys
            )
        )
        rest = [k for k in keys if k not in owners]
        owners.update(
            await self._probe(key=Customer.identity_email, owner=Customer.id, values=rest)
        )
        return owners

    async def _probe(self, *, key: Any, owner: Any, values: list[str]) -> list[tuple[str, UUID]]:
        """(value, owner) for each of ``values`` present in ``key``'s column: one index
        probe per value. An IN list lets the planner scan all of the tenant's rows when the
        statistics are stale — as they are while an import fills the table — which made the
        import's duplicate check grow with every chunk."""
        if not values:
            return []
        wanted = (
            sa.func.unnest(sa.bindparam("values", list(set(values)), type_=pg.ARRAY(sa.Text)))
            .table_valued("value")
            .render_derived(name="wanted")
        )
        found = (
            sa.select(owner)
            .where(key.class_.tenant_id == self._tenant_id, key == wanted.c.value)
            .limit(1)
            .lateral("found")
        )
        rows = await self._session.execute(
            sa.select(wanted.c.value, *found.c).select_from(wanted).join(found, sa.true())
        )
        return [tuple(row) for row in rows]

    async def insert(self, *, values: dict) -> None:
        await self._session.execute(sa.insert(Customer).values(tenant_id=self._tenant_id, **values))

    async def update(self, *, customer_id: UUID, values: dict) -> None:
        await self._session.execute(
            sa.update(Customer)
            .where(Customer.id == customer_id)
            .values(**values, updated_at=sa.func.now())
        )

    async def replace_phones(self, *, customer_id: UUID, phones: list[Phone]) -> None:
        await self._session.execute(
            sa.delete(CustomerPhone).where(CustomerPhone.customer_id == customer_id)
        )
        for phone in phones:
            await self.add_phone(
                customer_id=customer_id,
                digits=phone.digits,
                display=phone.display,
                kind=phone.kind,
                e164=phone.e164,
            )

    async def replace_emails(self, *, customer_id: UUID, emails: list[Email]) -> None:
        await self._session.execute(
            sa.delete(CustomerEmail).where(CustomerEmail.customer_id == customer_id)
        )
        for email in emails:
            await self.add_email(customer_id=customer_id, email=email.email, key=email.key)

    async def replace_addresses(self, *, customer_id: UUID, addresses: list[Address]) -> None:
        await self._session.execute(
            sa.delete(CustomerAddress).where(CustomerAddress.customer_id == customer_id)
        )
        for position, address in enumerate(addresses):
            await self._session.execute(
                sa.insert(CustomerAddress).values(
                    id=uuid4(),
                    tenant_id=self._tenant_id,
                    customer_id=customer_id,
                    position=position,
                    **address.__dict__,
                )
            )

    async def delete(self, *, customer_id: UUID) -> None:
        for table in (CustomerEmail, CustomerPhone, CustomerAddress, CustomerInquiry):
            await self._session.execute(sa.delete(table).where(table.customer_id == customer_id))
        await self._session.execute(sa.delete(Customer).where(Customer.id == customer_id))

    async def required_fields(self) -> list[str] | None:
        return await self._session.scalar(sa.select(CustomerSettingsRow.required_fields))

    async def save_required_fields(self, *, fields: list[str]) -> None:
        await self._session.execute(
            pg.insert(CustomerSettingsRow)
            .values(tenant_id=self._tenant_id, required_fields=fields)
            .on_conflict_do_update(
                index_elements=["tenant_id"],
                set_={"required_fields": fields, "updated_at": sa.func.now()},
            )
        )


def _json(value: object) -> str:
    return "[]" if value == [] else json.dumps(value, ensure_ascii=False)
