"""Salon menus and staff members (admins add them; staff read)."""

from uuid import UUID

from fastapi import APIRouter, status
from kit.auth import CurrentPrincipal

from booking.entrypoints.deps import StaffOnly, TxDep, UowDep
from booking.entrypoints.schemas import MenuRead, MenuWrite, StaffMemberRead, StaffMemberWrite
from booking.entrypoints.store_routes import admin_only
from booking.use_cases import queries, salon

router = APIRouter(dependencies=[StaffOnly])


@router.get("/menus")
async def menus(store_id: UUID, uow: UowDep) -> list[MenuRead]:
    return [MenuRead.model_validate(m) for m in await queries.menus(store_id=store_id, uow=uow)]


@router.post("/menus", status_code=status.HTTP_201_CREATED)
async def add_menu(body: MenuWrite, tx: TxDep, principal: CurrentPrincipal) -> MenuRead:
    admin_only(principal)
    menu = await tx.run(lambda uow: salon.add_menu(**body.model_dump(), uow=uow))
    return MenuRead.model_validate(menu)


@router.get("/staff-members")
async def staff_members(store_id: UUID, uow: UowDep) -> list[StaffMemberRead]:
    members = await queries.staff_members(store_id=store_id, uow=uow)
    return [StaffMemberRead.model_validate(m) for m in members]


@router.post("/staff-members", status_code=status.HTTP_201_CREATED)
async def add_staff_member(
    body: StaffMemberWrite, tx: TxDep, principal: CurrentPrincipal
) -> StaffMemberRead:
    admin_only(principal)
    member = await tx.run(
        lambda uow: salon.add_staff_member(
            store_id=body.store_id, name=body.name, hours=body.hours, uow=uow
        )
    )
    return StaffMemberRead.model_validate(member)
