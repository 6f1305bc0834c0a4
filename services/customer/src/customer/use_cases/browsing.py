"""Find and show customers (the foundation's part of CUS-3)."""

from uuid import UUID

from kit.errors import Invalid, NotFound

from customer.adapters.repository import CustomerFilter, CustomerView
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.normalize import email_key, phone_digits, search_text


def build_filter(*, email: str | None, phone: str | None, q: str | None) -> CustomerFilter:
    digits = phone_digits(phone) if phone else None
    if phone and not digits:
        raise Invalid("電話番号は数字で入力してください。例: 090-1234-5678", field="phone")
    return CustomerFilter(
        email_key=email_key(email), phone_digits=digits, text=search_text(q) or None
    )


async def find_customers(
    where: CustomerFilter, *, page: int, per_page: int, uow: CustomerUnitOfWork
) -> tuple[list[CustomerView], int]:
    return await uow.customers.search(where=where, limit=per_page, offset=(page - 1) * per_page)


async def show_customer(customer_id: UUID, *, uow: CustomerUnitOfWork) -> CustomerView:
    view = await uow.customers.get(customer_id=customer_id)
    if view is None:
        raise NotFound("お客様が見つかりません。")
    return view
