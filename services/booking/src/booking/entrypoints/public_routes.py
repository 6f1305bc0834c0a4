"""What the public booking site may do through the gateway (role ``public``): read a store's
salon menus and staff, and book. Staff routes stay closed to it."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, status
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden
from kit.http import UowDep
from pydantic import BaseModel, Field

from booking.entrypoints.schemas import MenuRead
from booking.entrypoints.transactions import TxDep
from booking.use_cases import public_booking, queries

router = APIRouter(prefix="/public")


async def _public_site(principal: CurrentPrincipal) -> None:
    if principal.role != "public":
        raise Forbidden("この操作は予約サイトからのみ行えます。")


_public = [Depends(_public_site)]


class StaffName(BaseModel):
    id: UUID
    name: str


class SalonRead(BaseModel):
    menus: list[MenuRead]
    staff_members: list[StaffName]  # names only: working hours stay internal


class ReservationWrite(BaseModel):
    store_id: UUID
    customer_id: UUID
    customer_name: Annotated[str, Field(min_length=1, max_length=100)]
    menu_id: UUID
    staff_member_id: UUID | None = None
    starts_at: datetime


class ReservationRead(BaseModel):
    reservation_id: UUID
    starts_at: datetime
    ends_at: datetime
    menu_id: UUID
    staff_member_id: UUID


@router.get("/salon", dependencies=_public)
async def salon(store_id: UUID, uow: UowDep) -> SalonRead:
    menus = await queries.menus(store_id=store_id, uow=uow)
    members = await queries.staff_members(store_id=store_id, uow=uow)
    return SalonRead(
        menus=[MenuRead.model_validate(m) for m in menus],
        staff_members=[StaffName(id=m.id, name=m.name) for m in members],
    )


@router.post("/reservations", status_code=status.HTTP_201_CREATED, dependencies=_public)
async def reserve(body: ReservationWrite, tx: TxDep) -> ReservationRead:
    cmd = public_booking.PublicReservation(**body.model_dump())
    now = datetime.now(UTC)
    visit = await tx.run(lambda uow: public_booking.reserve(cmd, now=now, uow=uow))
    assert visit.menu_id is not None and visit.staff_member_id is not None
    return ReservationRead(
        reservation_id=visit.id, starts_at=visit.starts_at, ends_at=visit.ends_at,
        menu_id=visit.menu_id, staff_member_id=visit.staff_member_id,
    )  # fmt: skip
