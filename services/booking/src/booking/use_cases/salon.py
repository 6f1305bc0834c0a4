"""Salon menus and staff members (BKG-1/2): a reservation takes one named staff member for
every slot the menu's duration covers, within the staff member's working hours."""

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from uuid import UUID

from contracts.envelope import new_event_id
from kit.errors import Invalid, NotFound

from booking.adapters.orm import Menu, StaffMember, StoreSettings, Visit
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.errors import InvalidVisitTime
from booking.domain.slots import OpeningHours, StoreRules, check_visit_time
from booking.use_cases.stores import get_store, rules_of


async def add_menu(
    *, store_id: UUID, name: str, duration_minutes: int, price_yen: int, uow: BookingUnitOfWork
) -> Menu:
    await get_store(store_id=store_id, uow=uow)
    menu = Menu(id=new_event_id(), store_id=store_id, name=name,
                duration_minutes=duration_minutes, price_yen=price_yen)  # fmt: skip
    uow.salon.add(menu)
    await uow.salon.flush()
    return menu


async def add_staff_member(
    *, store_id: UUID, name: str, hours: dict[int, tuple[time, time]] | None, uow: BookingUnitOfWork
) -> StaffMember:
    await get_store(store_id=store_id, uow=uow)
    member = StaffMember(id=new_event_id(), store_id=store_id, name=name, hours=_hours(hours))
    uow.salon.add(member)
    await uow.salon.flush()
    return member


def _hours(hours: dict[int, tuple[time, time]] | None) -> dict | None:
    if hours is not None and any(closes <= opens for opens, closes in hours.values()):
        raise Invalid("勤務時間は開始より後の終了時刻を指定してください。", field="hours")
    if hours is None:
        return None
    return {str(d): [o.strftime("%H:%M"), c.strftime("%H:%M")] for d, (o, c) in hours.items()}


async def get_menu(menu_id: UUID, *, uow: BookingUnitOfWork) -> Menu:
    menu = await uow.salon.menu(menu_id=menu_id)
    if menu is None:  # another tenant's too
        raise NotFound("メニューが見つかりません。")
    return menu


async def get_staff_member(staff_member_id: UUID, *, uow: BookingUnitOfWork) -> StaffMember:
    member = await uow.salon.staff_member(staff_member_id=staff_member_id)
    if member is None:
        raise NotFound("スタッフが見つかりません。")
    return member


async def update_menu(
    menu_id: UUID, *, name: str, duration_minutes: int, price_yen: int, uow: BookingUnitOfWork
) -> Menu:
    """A new duration applies to reservations made from now on; booked visits keep theirs."""
    menu = await get_menu(menu_id, uow=uow)
    menu.name, menu.duration_minutes, menu.price_yen = name, duration_minutes, price_yen
    await uow.salon.flush()
    return menu


async def update_staff_member(
    staff_member_id: UUID,
    *,
    name: str,
    hours: dict[int, tuple[time, time]] | None,
    uow: BookingUnitOfWork,
) -> StaffMember:
    member = await get_staff_member(staff_member_id, uow=uow)
    member.name, member.hours = name, _hours(hours)
    await uow.salon.flush()
    return member


async def retire_menu(menu_id: UUID, *, uow: BookingUnitOfWork) -> Menu:
    """廃止 (idempotent): no new reservation takes it; visits that did keep its name."""
    menu = await get_menu(menu_id, uow=uow)
    menu.retired_at = menu.retired_at or datetime.now(UTC)
    await uow.salon.flush()
    return menu


async def retire_staff_member(staff_member_id: UUID, *, uow: BookingUnitOfWork) -> StaffMember:
    member = await get_staff_member(staff_member_id, uow=uow)
    member.retired_at = member.retired_at or datetime.now(UTC)
    await uow.salon.flush()
    return member


async def restore_menu(menu_id: UUID, *, uow: BookingUnitOfWork) -> Menu:
    """再開: offered again."""
    menu = await get_menu(menu_id, uow=uow)
    menu.retired_at = None
    await uow.salon.flush()
    return menu


async def restore_staff_member(staff_member_id: UUID, *, uow: BookingUnitOfWork) -> StaffMember:
    member = await get_staff_member(staff_member_id, uow=uow)
    member.retired_at = None
    await uow.salon.flush()
    return member


def member_rules(store: StoreSettings, member: StaffMember) -> StoreRules:
    """The store's days and closures, the member's own hours when set."""
    rules = rules_of(store)
    if member.hours is None:
        return rules
    hours = {
        int(d): OpeningHours(time.fromisoformat(span[0]), time.fromisoformat(span[1]))
        for d, span in member.hours.items()
    }
    return replace(rules, hours=hours)


@dataclass(frozen=True)
class SalonTarget:
    menu: Menu
    member: StaffMember
    ends_at: datetime


async def salon_target(
    *,
    store: StoreSettings,
    menu_id: UUID | None,
    staff_member_id: UUID | None,
    starts_at: datetime,
    uow: BookingUnitOfWork,
) -> SalonTarget:
    menu = await uow.salon.menu(menu_id=menu_id) if menu_id else None
    if menu is None or menu.store_id != store.store_id or menu.retired_at is not None:
        raise Invalid(
            "メニューが見つかりません。この店舗のメニューを選んでください。", field="menu_id"
        )
    member = (
        await uow.salon.staff_member(staff_member_id=staff_member_id) if staff_member_id else None
    )
    if member is None or member.store_id != store.store_id or member.retired_at is not None:
        raise Invalid(
            "スタッフが見つかりません。この店舗のスタッフを選んでください。",
            field="staff_member_id",
        )
    return SalonTarget(menu, member, starts_at + timedelta(minutes=menu.duration_minutes))


def check_member_time(
    store: StoreSettings, member: StaffMember, *, starts_at: datetime, ends_at: datetime
) -> None:
    try:
        check_visit_time(member_rules(store, member), starts_at=starts_at, ends_at=ends_at)
    except InvalidVisitTime as exc:
        # The store's 「営業時間外です。」 would repeat what the member's sentence says.
        reason = exc.message.removeprefix("営業時間外です。")
        raise InvalidVisitTime(
            f"{member.name}さんの勤務時間外です。{reason}", field="starts_at"
        ) from None


async def salon_names(visit: Visit, *, uow: BookingUnitOfWork) -> tuple[str | None, str | None]:
    """The menu's and the staff member's names of a salon visit, for its events."""
    menu = await uow.salon.menu(menu_id=visit.menu_id) if visit.menu_id else None
    member = (
        await uow.salon.staff_member(staff_member_id=visit.staff_member_id)
        if visit.staff_member_id
        else None
    )
    return (menu.name if menu else None), (member.name if member else None)
