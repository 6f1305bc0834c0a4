"""A signed-in customer's reservations on the booking site (予約サイト, BKG-10): the list with
what may still be changed, a change to another time (same menu and staff member) and a
cancellation, each within the store's self-service window (``domain.self_service``), and
the mail that confirms it to the customer. A visit of another customer or another tenant is
not found (404). A full slot and a blacklisted customer get the same 満席 (seed 003)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kit.errors import Invalid, NotFound

from booking.adapters.orm import Menu, StaffMember, Visit
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.errors import CustomerBlacklisted, PublicFull, SlotFull
from booking.domain.self_service import changeable, check_changeable, deadline
from booking.domain.slots import local
from booking.domain.visits import CancelReason, VisitKind
from booking.use_cases import visit_changes
from booking.use_cases.notifications import _when as jp_when
from booking.use_cases.visits import store_for_visit


@dataclass(frozen=True)
class SiteMail:
    """Where the site's confirmation goes and what it names: the customer's mail, the shop
    and the page of their reservations."""

    email: str
    shop: str
    site_url: str
    contact: str = ""  # the store's 〒 address and TEL lines, as the gateway gives them


@dataclass(frozen=True)
class MyVisit:
    visit: Visit
    menu: Menu | None
    member: StaffMember | None
    changeable_until: datetime
    changeable: bool


async def my_visits(*, customer_id: UUID, now: datetime, uow: BookingUnitOfWork) -> list[MyVisit]:
    found = [v for v in await uow.visits.of_customer(customer_id=customer_id)
             if v.kind == VisitKind.SALON.value]  # fmt: skip
    hours: dict[UUID, int] = {}
    listed = []
    for v in found:
        if v.store_id not in hours:
            hours[v.store_id] = (
                await store_for_visit(store_id=v.store_id, uow=uow)
            ).last_minute_cancel_hours
        menu = await uow.salon.menu(menu_id=v.menu_id) if v.menu_id else None
        member = (
            await uow.salon.staff_member(staff_member_id=v.staff_member_id)
            if v.staff_member_id
            else None
        )
        n = hours[v.store_id]
        listed.append(MyVisit(
            v, menu, member, deadline(starts_at=v.starts_at, hours=n),
            changeable(kind=v.kind, status=v.status, starts_at=v.starts_at, now=now, hours=n),
        ))  # fmt: skip
    return listed


async def _mine(
    customer_id: UUID, visit_id: UUID, *, now: datetime, uow: BookingUnitOfWork
) -> Visit:
    visit = await uow.visits.get_for_update(visit_id=visit_id)
    if visit is None or visit.customer_id != customer_id:
        raise NotFound("ご予約が見つかりません。")
    store = await store_for_visit(store_id=visit.store_id, uow=uow)
    check_changeable(kind=visit.kind, status=visit.status, starts_at=visit.starts_at, now=now,
                     hours=store.last_minute_cancel_hours)  # fmt: skip
    return visit


async def cancel_mine(
    *, customer_id: UUID, visit_id: UUID, mail: SiteMail | None, now: datetime,
    uow: BookingUnitOfWork,
) -> Visit:  # fmt: skip
    await _mine(customer_id, visit_id, now=now, uow=uow)
    visit = await visit_changes.cancel_visit(
        visit_id=visit_id, reason=CancelReason.CUSTOMER, now=now, uow=uow
    )
    if mail:
        await _send(visit, mail, subject="ご予約のキャンセルを承りました",
                    lead="以下のご予約をキャンセルしました。", uow=uow)  # fmt: skip
    return visit


async def move_mine(
    *, customer_id: UUID, visit_id: UUID, starts_at: datetime, mail: SiteMail | None,
    now: datetime, uow: BookingUnitOfWork,
) -> Visit:  # fmt: skip
    await _mine(customer_id, visit_id, now=now, uow=uow)
    if local(starts_at) <= now:
        raise Invalid("過去の日時は予約できません。日時を選び直してください。", field="starts_at")
    try:
        visit = await visit_changes.move_visit(
            visit_changes.MoveVisit(visit_id=visit_id, starts_at=starts_at, ends_at=None),
            now=now, uow=uow,
        )  # fmt: skip
    except (SlotFull, CustomerBlacklisted):
        raise PublicFull() from None
    if mail:
        await _send(visit, mail, subject="ご予約の変更を承りました",
                    lead="ご予約を以下の日時に変更しました。", uow=uow)  # fmt: skip
    return visit


async def _send(visit: Visit, mail: SiteMail, *, subject: str, lead: str,
                uow: BookingUnitOfWork) -> None:  # fmt: skip
    assert uow.tenant_id is not None
    menu = await uow.salon.menu(menu_id=visit.menu_id) if visit.menu_id else None
    member = (
        await uow.salon.staff_member(staff_member_id=visit.staff_member_id)
        if visit.staff_member_id
        else None
    )
    lines = [lead, "", f"日時: {jp_when(visit.starts_at)}〜{local(visit.ends_at):%H:%M}"]
    if menu:
        lines.append(f"メニュー: {menu.name}（{menu.duration_minutes}分・{menu.price_yen:,}円）")
    lines.append(f"担当: {member.name if member else '指名なし'}")
    lines += ["", f"ご予約の確認・変更・キャンセル: {mail.site_url}", "",
              "お心当たりのない場合は、店舗までご連絡ください。"]  # fmt: skip
    if mail.contact:
        lines += ["", mail.shop, *mail.contact.splitlines()]
    await uow.mail.add(tenant_id=uow.tenant_id, recipient=mail.email,
                       subject=f"【{mail.shop}】{subject}", body="\n".join(lines) + "\n")  # fmt: skip


async def confirmation_mail(visit: Visit, mail: SiteMail, *, uow: BookingUnitOfWork) -> None:
    """The guest's 「ご予約を承りました」, in the reservation's transaction."""
    await _send(visit, mail, subject="ご予約を承りました", lead="以下の内容でご予約を承りました。",
                uow=uow)  # fmt: skip
