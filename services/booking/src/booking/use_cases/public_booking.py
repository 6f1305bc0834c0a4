"""The public booking site (予約サイト, BKG-10's API): a guest books a salon menu, with a
named staff member or with whoever is free (指名なし). Seed 003: a blacklisted guest sees
exactly what a full slot shows — 「申し訳ございませんが、ご希望の時間帯は予約がいっぱいとなって
おります。」 — so the blacklist is never revealed."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kit.errors import Conflict, Invalid

from booking.adapters.orm import Visit
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.errors import (
    PUBLIC_FULL_MESSAGE,
    CustomerBlacklisted,
    InvalidVisitTime,
    SlotFull,
)
from booking.domain.visits import VisitKind
from booking.use_cases.visits import ScheduleVisit, schedule_visit


class PublicFull(Conflict):
    code = "slot_full"

    def __init__(self) -> None:
        super().__init__(PUBLIC_FULL_MESSAGE)


@dataclass(frozen=True)
class PublicReservation:
    store_id: UUID
    customer_id: UUID
    customer_name: str
    menu_id: UUID
    starts_at: datetime
    staff_member_id: UUID | None = None  # None: 指名なし


async def reserve(cmd: PublicReservation, *, now: datetime, uow: BookingUnitOfWork) -> Visit:
    if cmd.starts_at <= now:
        raise Invalid("過去の日時は予約できません。日時を選び直してください。", field="starts_at")
    # A guest identified a moment ago may not have reached booking by event yet.
    await uow.customers.known(customer_id=cmd.customer_id, name=cmd.customer_name)
    if cmd.staff_member_id is not None:
        candidates = [cmd.staff_member_id]
    else:
        candidates = [m.id for m in await uow.salon.staff_members(store_id=cmd.store_id)]
    outside_hours: InvalidVisitTime | None = None
    taken = False
    for member_id in candidates:
        schedule = ScheduleVisit(
            kind=VisitKind.SALON, store_id=cmd.store_id, customer_id=cmd.customer_id,
            starts_at=cmd.starts_at, menu_id=cmd.menu_id, staff_member_id=member_id,
        )  # fmt: skip
        try:
            # A savepoint per candidate: a taken member undoes only that attempt.
            async with uow.session.begin_nested():
                return await schedule_visit(schedule, now=now, uow=uow)
        except CustomerBlacklisted:
            raise PublicFull() from None
        except SlotFull:
            taken = True
        except InvalidVisitTime as exc:
            if cmd.staff_member_id is not None:
                raise
            outside_hours = outside_hours or exc
    if outside_hours is not None and not taken:  # nobody works then: say why
        raise outside_hours
    raise PublicFull()
