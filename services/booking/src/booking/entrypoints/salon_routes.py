"""Salon menus and staff members (admins add, change and retire them; staff read). A change
of one entry looks it up before the admin check, so that another tenant's entry is 404 for
everyone (as the properties)."""

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from kit.auth import CurrentPrincipal, Principal

from booking.adapters.unit_of_work import BookingUnitOfWork
from booking.entrypoints.deps import StaffOnly, TxDep, UowDep
from booking.entrypoints.schemas import (
    MenuFields,
    MenuRead,
    MenuWrite,
    StaffMemberFields,
    StaffMemberRead,
    StaffMemberWrite,
)
from booking.entrypoints.store_routes import admin_only
from booking.use_cases import queries, salon

router = APIRouter(dependencies=[StaffOnly])
Change = Callable[[BookingUnitOfWork], Awaitable[Any]]


async def _found_then_admin(tx: TxDep, principal: Principal, find: Change, change: Change) -> Any:
    async def work(uow: BookingUnitOfWork) -> Any:
        await find(uow)  # another tenant's: 404
        admin_only(principal)
        return await change(uow)

    return await tx.run(work)


@router.get("/menus")
async def menus(store_id: UUID, uow: UowDep, include_retired: bool = False) -> list[MenuRead]:
    """Retired menus only with ``include_retired`` (to name them on the visits that used them)."""
    found = await queries.menus(store_id=store_id, uow=uow, include_retired=include_retired)
    return [MenuRead.model_validate(m) for m in found]


@router.post("/menus", status_code=status.HTTP_201_CREATED)
async def add_menu(body: MenuWrite, tx: TxDep, principal: CurrentPrincipal) -> MenuRead:
    admin_only(principal)
    menu = await tx.run(lambda uow: salon.add_menu(**body.model_dump(), uow=uow))
    return MenuRead.model_validate(menu)


@router.put("/menus/{menu_id}")
async def update_menu(
    menu_id: UUID, body: MenuFields, tx: TxDep, principal: CurrentPrincipal
) -> MenuRead:
    fields = body.model_dump()
    menu = await _found_then_admin(
        tx, principal, lambda uow: salon.get_menu(menu_id, uow=uow),
        lambda uow: salon.update_menu(menu_id, **fields, uow=uow),
    )  # fmt: skip
    return MenuRead.model_validate(menu)


@router.post("/menus/{menu_id}/retire")
async def retire_menu(menu_id: UUID, tx: TxDep, principal: CurrentPrincipal) -> MenuRead:
    menu = await _found_then_admin(
        tx, principal, lambda uow: salon.get_menu(menu_id, uow=uow),
        lambda uow: salon.retire_menu(menu_id, uow=uow),
    )  # fmt: skip
    return MenuRead.model_validate(menu)


@router.get("/staff-members")
async def staff_members(
    store_id: UUID, uow: UowDep, include_retired: bool = False
) -> list[StaffMemberRead]:
    members = await queries.staff_members(
        store_id=store_id, uow=uow, include_retired=include_retired
    )
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


@router.put("/staff-members/{staff_member_id}")
async def update_staff_member(
    staff_member_id: UUID, body: StaffMemberFields, tx: TxDep, principal: CurrentPrincipal
) -> StaffMemberRead:
    member = await _found_then_admin(
        tx, principal, lambda uow: salon.get_staff_member(staff_member_id, uow=uow),
        lambda uow: salon.update_staff_member(staff_member_id, name=body.name,
                                              hours=body.hours, uow=uow),
    )  # fmt: skip
    return StaffMemberRead.model_validate(member)


@router.post("/staff-members/{staff_member_id}/retire")
async def retire_staff_member(
    staff_member_id: UUID, tx: TxDep, principal: CurrentPrincipal
) -> StaffMemberRead:
    member = await _found_then_admin(
        tx, principal, lambda uow: salon.get_staff_member(staff_member_id, uow=uow),
        lambda uow: salon.retire_staff_member(staff_member_id, uow=uow),
    )  # fmt: skip
    return StaffMemberRead.model_validate(member)


@router.post("/menus/{menu_id}/restore")
async def restore_menu(menu_id: UUID, tx: TxDep, principal: CurrentPrincipal) -> MenuRead:
    menu = await _found_then_admin(
        tx, principal, lambda uow: salon.get_menu(menu_id, uow=uow),
        lambda uow: salon.restore_menu(menu_id, uow=uow),
    )  # fmt: skip
    return MenuRead.model_validate(menu)


@router.post("/staff-members/{staff_member_id}/restore")
async def restore_staff_member(
    staff_member_id: UUID, tx: TxDep, principal: CurrentPrincipal
) -> StaffMemberRead:
    member = await _found_then_admin(
        tx, principal, lambda uow: salon.get_staff_member(staff_member_id, uow=uow),
        lambda uow: salon.restore_staff_member(staff_member_id, uow=uow),
    )  # fmt: skip
    return StaffMemberRead.model_validate(member)
