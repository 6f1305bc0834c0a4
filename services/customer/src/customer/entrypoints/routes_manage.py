"""Registration, edits, flags, withdrawal and deletion (CUS-4..6): thin routes."""

from uuid import UUID

from fastapi import APIRouter, status
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden

from customer.entrypoints.deps import UowDep
from customer.entrypoints.schemas import (
    Created,
    CustomerWrite,
    FlagsWrite,
    PhoneRegistration,
    RequiredFields,
    Withdrawal,
)
from customer.use_cases import flags, lifecycle, registration

router = APIRouter()


def _admin(principal: CurrentPrincipal) -> None:
    if not principal.is_admin:
        raise Forbidden("この操作は管理者のみ行えます。")


@router.post("/customers", status_code=status.HTTP_201_CREATED)
async def register(body: CustomerWrite, uow: UowDep) -> Created:
    return Created(id=await registration.register_customer(body.to_input(), uow=uow))


@router.post("/customers/phone-registrations", status_code=status.HTTP_201_CREATED)
async def register_by_phone(body: PhoneRegistration, uow: UowDep) -> Created:
    customer_id = await registration.register_by_phone(
        family_name=body.family_name, given_name=body.given_name, phone=body.phone, uow=uow
    )
    return Created(id=customer_id)


@router.put("/customers/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
async def update(customer_id: UUID, body: CustomerWrite, uow: UowDep) -> None:
    await registration.update_profile(customer_id, body.to_input(), uow=uow)


@router.put("/customers/{customer_id}/flags", status_code=status.HTTP_204_NO_CONTENT)
async def set_flags(customer_id: UUID, body: FlagsWrite, uow: UowDep) -> None:
    await flags.set_flags(customer_id, **body.model_dump(exclude_unset=True), uow=uow)


@router.post("/customers/{customer_id}/withdrawal", status_code=status.HTTP_204_NO_CONTENT)
async def withdraw(customer_id: UUID, body: Withdrawal, uow: UowDep) -> None:
    await lifecycle.withdraw(customer_id, reason=body.reason, uow=uow)


@router.delete("/customers/{customer_id}/withdrawal", status_code=status.HTTP_204_NO_CONTENT)
async def reinstate(customer_id: UUID, uow: UowDep) -> None:
    await lifecycle.reinstate(customer_id, uow=uow)


@router.delete("/customers/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete(customer_id: UUID, uow: UowDep, principal: CurrentPrincipal) -> None:
    await lifecycle.delete(customer_id, uow=uow, deleted_by=principal.user_id)


@router.get("/settings/required-fields")
async def get_required_fields(uow: UowDep) -> RequiredFields:
    return RequiredFields(required_fields=await registration.required_fields(uow=uow))


@router.put("/settings/required-fields")
async def put_required_fields(
    body: RequiredFields, uow: UowDep, principal: CurrentPrincipal
) -> RequiredFields:
    _admin(principal)
    saved = await registration.set_required_fields(body.required_fields, uow=uow)
    return RequiredFields(required_fields=saved)
