"""All SQL of the customer service. Tenant scoping is applied by the session (kit.db)."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from customer.adapters.orm import Customer, CustomerEmail, CustomerInquiry, CustomerPhone


@dataclass
class CustomerView:
    customer: Customer
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    inquiries: list[CustomerInquiry] = field(default_factory=list)


@dataclass(frozen=True)
class CustomerFilter:
    email_key: str | None = None
    phone_digits: str | None = None
    text: str | None = None  # normalised name / kana fragment


class CustomerRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

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

    async def add_phone(self, *, customer_id: UUID, digits: str, display: str) -> None:
        await self._session.execute(
            pg.insert(CustomerPhone)
            .values(
                tenant_id=self._tenant_id, customer_id=customer_id, digits=digits, display=display
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
        self, *, where: CustomerFilter, limit: int, offset: int
    ) -> tuple[list[CustomerView], int]:
        query = sa.select(Customer)
        if where.email_key:
            query = query.where(
                Customer.id.in_(
                    sa.select(CustomerEmail.customer_id).where(
                        CustomerEmail.email_key == where.email_key
                    )
                )
            )
        if where.phone_digits:
            query = query.where(
                Customer.id.in_(
                    sa.select(CustomerPhone.customer_id).where(
                        CustomerPhone.digits == where.phone_digits
                    )
                )
            )
        if where.text:
            pattern = f"%{_escape_like(where.text)}%"
            query = query.where(
                sa.or_(
                    Customer.name_search.like(pattern, escape="\\"),
                    Customer.kana_search.like(pattern, escape="\\"),
                )
            )
        total = await self._session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        rows = list(
            await self._session.scalars(
                query.order_by(Customer.first_inquiry_at.desc().nulls_last(), Customer.id)
                .limit(limit)
                .offset(offset)
            )
        )
        return await self._with_contacts(rows), int(total or 0)

    async def get(self, *, customer_id: UUID) -> CustomerView | None:
        row = await self._session.scalar(sa.select(Customer).where(Customer.id == customer_id))
        if row is None:
            return None
        [view] = await self._with_contacts([row])
        view.inquiries = list(
            await self._session.scalars(
                sa.select(CustomerInquiry)
                .where(CustomerInquiry.customer_id == customer_id)
                .order_by(CustomerInquiry.received_at.desc())
            )
        )
        return view

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
        phones = await self._session.execute(
            sa.select(CustomerPhone.customer_id, CustomerPhone.display)
            .where(CustomerPhone.customer_id.in_(views))
            .order_by(CustomerPhone.position)
        )
        for customer_id, display in phones:
            views[customer_id].phones.append(display)
        return list(views.values())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
