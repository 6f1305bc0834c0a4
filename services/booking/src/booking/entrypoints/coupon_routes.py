"""Coupon tickets (回数券)."""

from datetime import UTC, date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, status
from kit.clock import JstDatetime
from kit.inputs import Day
from pydantic import BaseModel, ConfigDict, Field

from booking.entrypoints.deps import StaffOnly, TxDep, UowDep
from booking.use_cases import coupons

router = APIRouter(dependencies=[StaffOnly])


class TicketIssue(BaseModel):
    customer_id: UUID
    name: Annotated[str, Field(min_length=1, max_length=100)]  # 例) カット5回券
    count: Annotated[int, Field(ge=1, le=100)]
    expires_on: Day


class TicketUse(BaseModel):
    visit_id: UUID


class TicketRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    customer_id: UUID
    name: str
    total_count: int
    remaining: int
    expires_on: date
    issued_at: JstDatetime


@router.post("/coupon-tickets", status_code=status.HTTP_201_CREATED)
async def issue(body: TicketIssue, tx: TxDep) -> TicketRead:
    cmd = coupons.IssueTicket(**body.model_dump())
    now = datetime.now(UTC)
    return TicketRead.model_validate(
        await tx.run(lambda uow: coupons.issue_ticket(cmd, now=now, uow=uow))
    )


@router.get("/coupon-tickets")
async def of_customer(customer_id: UUID, uow: UowDep) -> list[TicketRead]:
    tickets = await coupons.tickets_of(customer_id=customer_id, uow=uow)
    return [TicketRead.model_validate(t) for t in tickets]


@router.post("/coupon-tickets/{ticket_id}/use")
async def use(ticket_id: UUID, body: TicketUse, tx: TxDep) -> TicketRead:
    now = datetime.now(UTC)
    ticket = await tx.run(
        lambda uow: coupons.use_ticket(
            ticket_id=ticket_id, visit_id=body.visit_id, now=now, uow=uow
        )
    )
    return TicketRead.model_validate(ticket)
