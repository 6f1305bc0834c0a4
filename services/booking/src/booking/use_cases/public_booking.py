"""The public booking site (予約サイト, BKG-10's API): a guest books a salon menu, with a
named staff member or with whoever is free (指名なし). Seed 003: a blacklisted guest sees
exactly what a full slot shows — 「申し訳ございませんが、ご希望の時間帯は予約がいっぱいとなって
おります。」 — so the blacklist is never revealed.

A reservation is two steps so that a refused guest is never registered as a customer: the
slots are held first (``hold``), the gateway then asks the customer service for the guest's
customer, and ``confirm`` turns the hold into the visit — or the gateway ``release``s it.
A hold left behind (the gateway gone between the steps) expires and is swept."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from contracts.envelope import new_event_id
from kit.errors import Invalid

from booking.adapters.orm import ReservationHold, Visit
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.errors import CustomerBlacklisted, InvalidVisitTime, PublicFull, SlotFull
from booking.domain.slots import local
from booking.domain.visits import VisitKind
from booking.use_cases.capacity import give_back
from booking.use_cases.salon import salon_target
from booking.use_cases.site_visits import SiteMail, confirmation_mail
from booking.use_cases.visits import (
    Claim,
    ScheduleVisit,
    bookable_customer,
    claim_slots,
    record_visit,
    store_for_visit,
)

# Long enough for one call to the customer service; short enough that a lost hold soon
# gives its seat back.
HOLD_TTL = timedelta(minutes=2)


@dataclass(frozen=True)
class PublicHold:
    store_id: UUID
    menu_id: UUID
    starts_at: datetime
    staff_member_id: UUID | None = None  # None: 指名なし


async def hold(cmd: PublicHold, *, now: datetime, uow: BookingUnitOfWork) -> ReservationHold:
    if local(cmd.starts_at) <= now:  # a time without its offset is refused, in Japanese
        raise Invalid("過去の日時は予約できません。日時を選び直してください。", field="starts_at")
    if cmd.staff_member_id is not None:
        candidates = [cmd.staff_member_id]
    else:
        candidates = [m.id for m in await uow.salon.staff_members(store_id=cmd.store_id)]
    outside_hours: InvalidVisitTime | None = None
    taken = False
    for member_id in candidates:
        try:
            # A savepoint per candidate: a taken member undoes only that attempt.
            async with uow.session.begin_nested():
                claim = await claim_slots(
                    kind=VisitKind.SALON, store_id=cmd.store_id, starts_at=cmd.starts_at,
                    ends_at=None, property_id=None, menu_id=cmd.menu_id,
                    staff_member_id=member_id, uow=uow,
                )  # fmt: skip
                return await _keep(claim, menu_id=cmd.menu_id, starts_at=cmd.starts_at,
                                   now=now, uow=uow)  # fmt: skip
        except SlotFull:
            taken = True
        except InvalidVisitTime as exc:
            if cmd.staff_member_id is not None:
                raise
            outside_hours = outside_hours or exc
    if outside_hours is not None and not taken:  # nobody works then: say why
        raise outside_hours
    raise PublicFull()


async def _keep(
    claim: Claim, *, menu_id: UUID, starts_at: datetime, now: datetime, uow: BookingUnitOfWork
) -> ReservationHold:
    assert claim.salon is not None
    row = ReservationHold(
        id=new_event_id(), store_id=claim.store.store_id, menu_id=menu_id,
        staff_member_id=claim.salon.member.id, starts_at=starts_at, ends_at=claim.ends_at,
        held_slots=claim.held, expires_at=now + HOLD_TTL,
    )  # fmt: skip
    await uow.holds.add(row)
    return row


async def confirm(
    *, hold_id: UUID, customer_id: UUID, customer_name: str, now: datetime,
    uow: BookingUnitOfWork, mail: SiteMail | None = None,
) -> Visit:  # fmt: skip
    """The held slots become the guest's visit (and, with ``mail``, the guest's confirmation
    mail). A refusal raises and so keeps the hold; the gateway releases it."""
    held = await uow.holds.pop(hold_id=hold_id)
    if held is None:  # released, or expired and swept: its seat may be anyone's by now
        raise PublicFull()
    # A guest identified a moment ago may not have reached booking by event yet.
    await uow.customers.known(customer_id=customer_id, name=customer_name)
    try:
        customer = await bookable_customer(customer_id=customer_id, uow=uow)
    except CustomerBlacklisted:
        raise PublicFull() from None
    store = await store_for_visit(store_id=held.store_id, uow=uow)
    salon = await salon_target(
        store=store, menu_id=held.menu_id, staff_member_id=held.staff_member_id,
        starts_at=held.starts_at, uow=uow,
    )  # fmt: skip
    cmd = ScheduleVisit(
        kind=VisitKind.SALON, store_id=held.store_id, customer_id=customer_id,
        starts_at=held.starts_at, menu_id=held.menu_id, staff_member_id=held.staff_member_id,
    )  # fmt: skip
    claim = Claim(store, None, salon, held.ends_at, held.held_slots)
    visit = await record_visit(cmd, claim, customer=customer, now=now, uow=uow)
    if mail is not None:
        await confirmation_mail(visit, mail, uow=uow)
    return visit


async def release(*, hold_id: UUID, uow: BookingUnitOfWork) -> None:
    """Give a hold's slots back; releasing twice (or after it turned into a visit) is a no-op."""
    held = await uow.holds.pop(hold_id=hold_id)
    if held is not None:
        await give_back(held.held_slots, uow=uow)


async def sweep_expired(*, store_id: UUID, now: datetime, uow: BookingUnitOfWork) -> int:
    """Give back the slots of the store's holds nobody confirmed or released in time. Its own
    transaction, before a new hold takes slots: releasing and taking never interleave."""
    expired = await uow.holds.pop_expired(store_id=store_id, now=now)
    for row in expired:
        await give_back(row.held_slots, uow=uow)
    return len(expired)
