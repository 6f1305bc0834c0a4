"""The salon booking site (予約サイト, BKG-10) as the gateway composes it for its pages
(``web/site``): the store by the tenant's slug and its code, the week of a menu and a staff
member with the times that fit, a reservation by a guest (who then gets an account and a
temporary password, seed 003) or by the signed-in customer, and that customer's own
reservations. The services are called as role ``public``; a signed-in customer is the
token's subject, so booking and the customer service take the customer from the token."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from kit import clock
from kit.auth import Principal

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.clients.booking import BookingClient, Calendar, Menu, Named, Salon
from gateway.clients.site import MyReservationsClient, SiteAccountsClient
from gateway.clients.transport import ServiceClients
from gateway.domain.site_slots import FreeSlot, startable
from gateway.domain.store_contact import StoreContact
from gateway.use_cases import public_booking
from gateway.use_cases.public_booking import Answer, PublicStore

DAYS_AHEAD = 14  # the site shows the next two weeks
WEEK = 7


@dataclass(frozen=True)
class SiteStore:
    tenant_id: UUID
    store_id: UUID
    tenant: str  # the slug in the path
    code: str
    name: str  # the store's name, as the mails and the header say it
    company: str
    contact: tuple[str, ...] = ()  # 「〒… 住所」「TEL …」: the footer and the mails
    retired: bool = False  # 廃止: the site answers 「この店舗の予約受付は終了しました」

    @property
    def public(self) -> PublicStore:
        return PublicStore(self.tenant_id, self.store_id)

    @property
    def path(self) -> str:
        return f"/r/{self.tenant}/{self.code}"

    def principal(self, customer_id: UUID | None = None) -> Principal:
        return Principal(tenant_id=self.tenant_id, role="public", user_id=customer_id)

    def accounts(
        self, services: ServiceClients, customer_id: UUID | None = None
    ) -> SiteAccountsClient:
        return SiteAccountsClient(services, self.principal(customer_id))

    def reservations(self, services: ServiceClients, customer_id: UUID) -> MyReservationsClient:
        return MyReservationsClient(services, self.principal(customer_id))


async def find(*, tenant: str, code: str, uow: GatewayUnitOfWork) -> SiteStore | None:
    found = await uow.accounts.tenant_by_slug(slug=tenant)
    if found is None:
        return None
    store = await uow.accounts.store_by_code(tenant_id=found.id, code=code)
    if store is None:
        return None
    contact = StoreContact(store.postal_code, store.prefecture, store.city, store.street,
                           store.building, store.phone)  # fmt: skip
    return SiteStore(found.id, store.id, tenant, code, store.name, found.name,
                     tuple(contact.lines), not store.active)  # fmt: skip


@dataclass(frozen=True)
class SiteDay:
    day: date
    open: bool
    starts: list[datetime]


@dataclass(frozen=True)
class Week:
    menu: Menu
    staff: Named | None  # None: 指名なし
    first: date
    days: list[SiteDay]
    earlier: date | None
    later: date | None


@dataclass
class Catalogue:
    menus: list[Menu] = field(default_factory=list)
    staff_members: list[Named] = field(default_factory=list)

    def menu(self, menu_id: UUID | None) -> Menu | None:
        return next((m for m in self.menus if m.id == menu_id), None)

    def member(self, member_id: UUID | None) -> Named | None:
        return next((m for m in self.staff_members if m.id == member_id), None)


async def catalogue(store: SiteStore, *, services: ServiceClients) -> Catalogue | None:
    salon: Salon | None = await BookingClient(services, store.principal()).salon(store.store_id)
    return Catalogue(list(salon.menus), list(salon.staff_members)) if salon else None


def first_day(requested: date | None) -> date:
    """The week's first day: today at the earliest, the last week of the two at the latest."""
    today = clock.today()
    if requested is None or requested < today:
        return today
    return min(requested, today + timedelta(days=DAYS_AHEAD - WEEK))


async def week(
    store: SiteStore, *, menu: Menu, staff: Named | None, members: list[Named], day: date | None,
    services: ServiceClients,
) -> Week | None:  # fmt: skip
    first = first_day(day)
    found: Calendar | None = await public_booking.calendar(store.public, day=first, days=WEEK,
                                                           services=services)  # fmt: skip
    if found is None:
        return None
    now = clock.now()
    days = []
    for d in found.days:
        slots = [FreeSlot(s.starts_at, frozenset(m.staff_member_id for m in s.members
                                                 if m.remaining > 0)) for s in d.slots]  # fmt: skip
        starts = startable(slots, duration_minutes=menu.duration_minutes,
                           slot_minutes=found.slot_minutes, now=now,
                           staff=staff.id if staff else None,
                           members=[m.id for m in members]) if d.open else []  # fmt: skip
        days.append(SiteDay(d.day, d.open, starts))
    today = clock.today()
    earlier = max(first - timedelta(days=WEEK), today) if first > today else None
    last_first = today + timedelta(days=DAYS_AHEAD - WEEK)
    later = min(first + timedelta(days=WEEK), last_first) if first < last_first else None
    return Week(menu, staff, first, days, earlier, later)


def links(store: SiteStore, base_url: str) -> dict[str, str]:
    base = base_url.rstrip("/") + store.path
    return {"shop": store.name, "login_url": f"{base}/login", "reset_url": f"{base}/reset"}


def site_mail(store: SiteStore, base_url: str, email: str) -> dict[str, str]:
    return {
        "email": email,
        "shop": store.name,
        "site_url": base_url.rstrip("/") + store.path + "/my",
        **({"contact": "\n".join(store.contact)} if store.contact else {}),
    }


async def book_as_guest(
    store: SiteStore, *, slot: dict[str, Any], guest: dict[str, str], base_url: str,
    services: ServiceClients,
) -> Answer:  # fmt: skip
    """The guest's reservation; once booked, the account is opened (its temporary password
    mailed) unless the customer has one."""
    mail = site_mail(store, base_url, guest["email"])
    answer, customer_id = await public_booking.reserve_guest(
        store.public, body={**slot, "guest": guest}, services=services, mail=mail
    )
    if customer_id is not None:
        await store.accounts(services).open_for_booking({
            "customer_id": str(customer_id), "email": guest["email"],
            "links": links(store, base_url)})  # fmt: skip
    return answer


async def book_signed_in(
    store: SiteStore, *, slot: dict[str, Any], customer_id: UUID, name: str, email: str,
    base_url: str, services: ServiceClients,
) -> Answer:  # fmt: skip
    return await public_booking.reserve_known(
        store.public, customer_id=customer_id, customer_name=name, body=slot, services=services,
        mail=site_mail(store, base_url, email),
    )  # fmt: skip
