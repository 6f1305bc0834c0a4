"""What the public booking site may do through the gateway (role ``public``): read a store's
salon menus and staff, and book. Staff routes stay closed to it."""

from datetime import UTC, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, status
from kit.auth import CurrentPrincipal
from kit.clock import JstDatetime
from kit.errors import Forbidden
from pydantic import BaseModel, Field

from booking.entrypoints.deps import TxDep, UowDep
from booking.entrypoints.schemas import MenuRead
from booking.entrypoints.site_routes import SiteMailWrite
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


class HoldWrite(BaseModel):
    store_id: UUID
    menu_id: UUID
    staff_member_id: UUID | None = None
    starts_at: datetime


class HoldRead(BaseModel):
    hold_id: UUID
    expires_at: JstDatetime


class ConfirmWrite(BaseModel):
    customer_id: UUID
    customer_name: Annotated[str, Field(min_length=1, max_length=100)]
    mail: SiteMailWrite | None = None  # the guest's 「ご予約を承りました」


class ReservationRead(BaseModel):
    reservation_id: UUID
    starts_at: JstDatetime
    ends_at: JstDatetime
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


@router.post("/holds", status_code=status.HTTP_201_CREATED, dependencies=_public)
async def hold(body: HoldWrite, tx: TxDep) -> HoldRead:
    """Take the slots before the guest is registered: a refused guest leaves no customer."""
    cmd = public_booking.PublicHold(**body.model_dump())
    now = datetime.now(UTC)
    await tx.run(lambda uow: public_booking.sweep_expired(store_id=cmd.store_id, now=now, uow=uow))
    held = await tx.run(lambda uow: public_booking.hold(cmd, now=now, uow=uow))
    return HoldRead(hold_id=held.id, expires_at=held.expires_at)


@router.post(
    "/holds/{hold_id}/reservation", status_code=status.HTTP_201_CREATED, dependencies=_public
)
async def confirm(hold_id: UUID, body: ConfirmWrite, tx: TxDep) -> ReservationRead:
    now = datetime.now(UTC)
    given = body.model_dump(exclude={"mail"})
    mail = body.mail.mail() if body.mail else None
    visit = await tx.run(
        lambda uow: public_booking.confirm(hold_id=hold_id, **given, mail=mail, now=now, uow=uow)
    )
    assert visit.menu_id is not None and visit.staff_member_id is not None
    return ReservationRead(
        reservation_id=visit.id, starts_at=visit.starts_at, ends_at=visit.ends_at,
        menu_id=visit.menu_id, staff_member_id=visit.staff_member_id,
    )  # fmt: skip


@router.delete("/holds/{hold_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=_public)
async def release(hold_id: UUID, tx: TxDep) -> None:
    await tx.run(lambda uow: public_booking.release(hold_id=hold_id, uow=uow))
