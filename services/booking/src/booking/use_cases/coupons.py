"""Coupon tickets (回数券, BKG-9): issue with a count and an expiry, use one on a visit of the
same customer; refused when used up or expired. Concurrent uses cannot overdraw a ticket."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from contracts.envelope import new_event_id
from kit.clock import JST
from kit.errors import Conflict, Invalid, NotFound

from booking.adapters.orm import CouponTicket
from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.domain.visits import HOLDING, VisitStatus
from booking.use_cases.customers import get_customer


@dataclass(frozen=True)
class IssueTicket:
    customer_id: UUID
    name: str
    count: int
    expires_on: date


async def issue_ticket(cmd: IssueTicket, *, now: datetime, uow: BookingUnitOfWork) -> CouponTicket:
    if await uow.customers.get(customer_id=cmd.customer_id) is None:
        raise Invalid("お客様が見つかりません。お客様を選び直してください。", field="customer_id")
    if cmd.expires_on < now.astimezone(JST).date():
        raise Invalid("有効期限には今日以降の日付を指定してください。", field="expires_on")
    ticket = CouponTicket(
        id=new_event_id(),
        customer_id=cmd.customer_id,
        name=cmd.name,
        total_count=cmd.count,
        remaining=cmd.count,
        expires_on=cmd.expires_on,
        issued_at=now,
    )
    uow.coupons.add(ticket)
    await uow.coupons.flush()
    return ticket


async def use_ticket(
    *, ticket_id: UUID, visit_id: UUID, now: datetime, uow: BookingUnitOfWork
) -> CouponTicket:
    ticket = await uow.coupons.get(ticket_id=ticket_id)
    if ticket is None:
        raise NotFound("回数券が見つかりません。")
    visit = await uow.visits.get(visit_id=visit_id)
    if visit is None or visit.customer_id != ticket.customer_id:
        raise Invalid("この回数券のお客様の予定を選んでください。", field="visit_id")
    if VisitStatus(visit.status) not in HOLDING:
        raise Invalid("キャンセルされた予定には回数券を使えません。", field="visit_id")
    if not await uow.coupons.record_use(visit_id=visit_id, ticket_id=ticket_id, used_at=now):
        raise Conflict("この予定には既に回数券が使われています。")
    today = now.astimezone(JST).date()
    remaining = await uow.coupons.take_one(ticket_id=ticket_id, today=today)
    if remaining is None:
        if ticket.expires_on < today:
            raise Conflict(f"回数券の有効期限（{ticket.expires_on:%Y/%m/%d}）が過ぎています。")
        raise Conflict("回数券を使い切っています。")
    return await uow.coupons.reload(ticket)


async def tickets_of(*, customer_id: UUID, uow: BookingUnitOfWork) -> list[CouponTicket]:
    await get_customer(customer_id=customer_id, uow=uow)
    return await uow.coupons.of_customer(customer_id=customer_id)
