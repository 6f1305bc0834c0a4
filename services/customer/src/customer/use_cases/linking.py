"""INQ-3 名寄せ: an inquiry joins the customer whose first inquiry had the same email, whatever
the medium and even if name, address or phone differ (seed 000); otherwise a new customer."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contracts import PORTAL_MEDIUM, Envelope, InquiryLinkedV1, InquiryLinkedV2, InquiryReceivedV1
from contracts.customer import ShopCustomerLinkedV1
from contracts.envelope import new_event_id
from contracts.orders import ShopOrderReceivedV1
from kit.japanese import search_text

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import ProfileError
from customer.domain.model import FollowUpStatus, Origin
from customer.domain.normalize import email_key, phone_digits
from customer.domain.profile import Phone, parse_phone
from customer.use_cases.notify import profile_changed


def _phone(value: str | None) -> Phone | None:
    """The inquiry's phone as typed on the portal; an odd one is kept as its digits, since
    staff may still recognise it."""
    try:
        return parse_phone(value) if value else None
    except ProfileError:
        digits = phone_digits(value)
        return Phone(digits=digits, display=digits, kind="other", e164=None) if digits else None


@dataclass(frozen=True)
class Contact:
    """Who got in touch, as they typed it: an inquiry's contact or a booking-site guest."""

    name: str
    name_kana: str | None
    email: str | None
    phone: str | None
    store_id: UUID | None
    origin: Origin
    first_inquiry_at: datetime | None = None
    portal_linked: bool = False


async def resolve_contact(contact: Contact, *, uow: CustomerUnitOfWork) -> tuple[UUID, bool]:
    """The customer of this contact by the identity rule (a new one if none), with the
    contact's email and phone added to it. Returns (customer id, created)."""
    key = email_key(contact.email)
    customer_id, created = await _find_or_create(contact, key=key, uow=uow)
    if contact.email and key:
        await uow.customers.add_email(customer_id=customer_id, email=contact.email.strip(), key=key)
    phone = _phone(contact.phone)
    if phone is not None:
        await uow.customers.add_phone(
            customer_id=customer_id,
            digits=phone.digits,
            display=phone.display,
            kind=phone.kind,
            e164=phone.e164,
        )
    if contact.portal_linked and not created:
        await uow.customers.update(customer_id=customer_id, values={"portal_linked": True})
    return customer_id, created


async def link_inquiry_to_customer(
    event: InquiryReceivedV1, *, envelope: Envelope, uow: CustomerUnitOfWork
) -> None:
    contact = event.contact
    customer_id, created = await resolve_contact(
        Contact(
            name=contact.name,
            name_kana=contact.name_kana,
            email=contact.email,
            phone=contact.phone,
            store_id=event.store_id,
            origin=Origin.INQUIRY,
            first_inquiry_at=event.received_at,
            portal_linked=event.medium == PORTAL_MEDIUM,
        ),
        uow=uow,
    )
    prop = event.property
    visit = event.requested_visit
    await uow.customers.add_inquiry(
        values={
            "inquiry_id": event.inquiry_id,
            "customer_id": customer_id,
            "medium": event.medium,
            "kind": event.kind,
            "received_at": event.received_at,
            "store_id": event.store_id,
            "contact_name": contact.name,
            "contact_email": contact.email,
            "contact_phone": contact.phone,
            "property_code": prop.code if prop else None,
            "property_name": prop.name if prop else None,
            "property_address": prop.address if prop else None,
            "property_price_yen": prop.price_yen if prop else None,
            "requested_visit_starts_at": visit.starts_at if visit else None,
            "requested_visit_ends_at": visit.ends_at if visit else None,
        }
    )
    await uow.customers.note_inquiry_time(customer_id=customer_id, received_at=event.received_at)
    await uow.activity.touch(customer_id=customer_id, at=event.received_at, kind="inquiry")
    if created:
        await profile_changed(customer_id, uow=uow, causation_id=envelope.event_id)
    # v2 carries the inquiry, so that its consumers need nothing else; v1 beside it for any
    # consumer not moved yet (decision 97)
    await uow.add_events(
        [
            InquiryLinkedV1(
                inquiry_id=event.inquiry_id, customer_id=customer_id, new_customer=created
            ),
            InquiryLinkedV2(customer_id=customer_id, new_customer=created, inquiry=event),
        ],
        correlation_id=envelope.correlation_id,
        causation_id=envelope.event_id,
    )


async def link_shop_order(
    event: ShopOrderReceivedV1, *, envelope: Envelope, uow: CustomerUnitOfWork
) -> None:
    """A web-shop order without our customer id: its customer by the same rule as an
    inquiry's (a new one, origin Webショップ, if the mail is new), answered to the orders
    service with ``ShopCustomerLinked``. A redelivery is the inbox's: no second effect."""
    who = event.customer
    customer_id, created = await resolve_contact(
        Contact(name=who.name, name_kana=who.name_kana or None, email=who.email,
                phone=who.phone, store_id=None, origin=Origin.WEB_SHOP),
        uow=uow,
    )  # fmt: skip
    if created:
        await profile_changed(customer_id, uow=uow, causation_id=envelope.event_id)
    await uow.add_event(
        ShopCustomerLinkedV1(
            order_id=event.order_id, customer_id=customer_id, new_customer=created
        ),
        correlation_id=envelope.correlation_id,
        causation_id=envelope.event_id,
    )


async def _find_or_create(
    contact: Contact, *, key: str | None, uow: CustomerUnitOfWork
) -> tuple[UUID, bool]:
    if key is not None:
        existing = await uow.customers.id_by_identity_email(email_key=key)
        if existing is not None:
            return existing, False
        # The customer of that first inquiry may since have been merged into another.
        merged = await uow.merges.target_by_identity_email(email_key=key)
        if merged is not None and await uow.customers.row(customer_id=merged) is not None:
            return merged, False
    new_id = await uow.customers.add_if_absent(
        values={
            "id": new_event_id(),
            "name": contact.name.strip(),
            "name_kana": contact.name_kana,
            "name_search": search_text(contact.name),
            "kana_search": search_text(contact.name_kana),
            "identity_email": key,
            "follow_up_status": FollowUpStatus.FOLLOWING.value,
            "store_id": contact.store_id,
            "first_inquiry_at": contact.first_inquiry_at,
            "customer_number": await uow.customers.next_customer_number(),
            "portal_linked": contact.portal_linked,
            "origin": contact.origin.value,
        }
    )
    if new_id is not None:
        return new_id, True
    # A concurrent contact with the same email created the customer first: join it.
    assert key is not None
    winner = await uow.customers.id_by_identity_email(email_key=key)
    assert winner is not None
    return winner, False
