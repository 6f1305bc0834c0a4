"""Visits, availability, the calendar and the conflict list."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, status
from kit.inputs import Day

from booking.adapters.orm import BookingCustomer, Visit
from booking.entrypoints.deps import StaffOnly, TxDep, UowDep
from booking.entrypoints.schemas import (
    CalendarRead,
    VisitCancel,
    VisitCreate,
    VisitMove,
    VisitRead,
    VisitStatusWrite,
)
from booking.use_cases import availability, queries, visit_changes, visits

router = APIRouter()
_staff = [StaffOnly]  # every route but availability


def _read(visit: Visit, customer: BookingCustomer | None = None) -> VisitRead:
    read = VisitRead.model_validate(visit)
    if customer is not None:
        read.customer_name, read.customer_caution = customer.name, customer.caution
        read.customer_blacklisted = customer.blacklisted
    return read


@router.post("/visits", status_code=status.HTTP_201_CREATED, dependencies=_staff)
async def create_visit(body: VisitCreate, tx: TxDep) -> VisitRead:
    cmd = visits.ScheduleVisit(**body.model_dump())
    now = datetime.now(UTC)
    return _read(await tx.run(lambda uow: visits.schedule_visit(cmd, now=now, uow=uow)))


@router.get("/visits/{visit_id}", dependencies=_staff)
async def get_visit(visit_id: UUID, uow: UowDep) -> VisitRead:
    return _read(*await queries.visit_detail(visit_id=visit_id, uow=uow))


@router.get("/visits", dependencies=_staff)
async def customer_visits(customer_id: UUID, uow: UowDep) -> list[VisitRead]:
    return [_read(v, c) for v, c in await queries.customer_visits(customer_id=customer_id, uow=uow)]


@router.patch("/visits/{visit_id}", dependencies=_staff)
async def move_visit(visit_id: UUID, body: VisitMove, tx: TxDep) -> VisitRead:
    cmd = visit_changes.MoveVisit(
        visit_id=visit_id,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        property_id=body.property_id,
        keep_property="property_id" not in body.model_fields_set,
    )
    now = datetime.now(UTC)
    return _read(await tx.run(lambda uow: visit_changes.move_visit(cmd, now=now, uow=uow)))


@router.post("/visits/{visit_id}/status", dependencies=_staff)
async def set_status(visit_id: UUID, body: VisitStatusWrite, tx: TxDep) -> VisitRead:
    now = datetime.now(UTC)
    return _read(
        await tx.run(
            lambda uow: visit_changes.set_status(
                visit_id=visit_id, status=body.status, now=now, uow=uow
            )
        )
    )


@router.post("/visits/{visit_id}/cancel", dependencies=_staff)
async def cancel_visit(visit_id: UUID, body: VisitCancel, tx: TxDep) -> VisitRead:
    now = datetime.now(UTC)
    return _read(
        await tx.run(
            lambda uow: visit_changes.cancel_visit(
                visit_id=visit_id, reason=body.reason, now=now, uow=uow
            )
        )
    )


@router.get("/conflicts", dependencies=_staff)
async def conflicts(
    uow: UowDep, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[VisitRead]:
    return [_read(v, c) for v, c in await queries.conflicts(limit=limit, uow=uow)]


@router.get("/availability")
async def get_availability(
    uow: UowDep,
    store_id: UUID,
    day: Day,
    days: Annotated[int, Query(ge=1, le=31)] = 1,
    property_id: UUID | None = None,
    with_visits: bool = False,
) -> CalendarRead:
    calendar = await availability.availability(
        store_id=store_id,
        start=day,
        days=days,
        property_id=property_id,
        with_visits=with_visits,
        uow=uow,
    )
    visits = [_read(v, calendar.customers.get(v.customer_id)) for v in calendar.visits]
    return CalendarRead.of(calendar, visits=visits)
