"""A guest of the public booking site (予約サイト) is a customer by the same identity rule as an
inquiry (the first contact's email): a known email finds its customer, a new one registers
one (origin 予約サイト). The booking service decides whether the guest may book."""

from uuid import UUID

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import ProfileError
from customer.domain.model import Origin
from customer.domain.profile import parse_email, parse_phone
from customer.use_cases.linking import Contact, resolve_contact
from customer.use_cases.notify import profile_changed


async def identify_guest(
    *,
    name: str,
    name_kana: str | None,
    email: str,
    phone: str,
    store_id: UUID | None,
    uow: CustomerUnitOfWork,
) -> tuple[UUID, bool]:
    if not name.strip():
        raise ProfileError("お名前を入力してください。", field="name")
    address = parse_email(email, field_name="email")
    typed_phone = parse_phone(phone, field_name="phone").display
    customer_id, created = await resolve_contact(
        Contact(
            name=name,
            name_kana=name_kana or None,
            email=address.email,
            phone=typed_phone,
            store_id=store_id,
            origin=Origin.BOOKING_SITE,
        ),
        uow=uow,
    )
    if created:
        await profile_changed(customer_id, uow=uow)
    return customer_id, created
