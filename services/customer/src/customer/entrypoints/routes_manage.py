"""Registration, edits, flags, withdrawal and deletion (CUS-4..6): thin routes."""

from uuid import UUID

from fastapi import APIRouter, status
from kit.auth import CurrentPrincipal, admin_only

from customer.entrypoints.deps import TxDep, UowDep
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


@router.post("/customers", status_code=status.HTTP_201_CREATED)
async def register(body: CustomerWrite, tx: TxDep) -> Created:
    data = body.to_input()
    return Created(id=await tx.run(lambda uow: registration.register_customer(data, uow=uow)))


@router.post("/customers/phone-registrations", status_code=status.HTTP_201_CREATED)
async def register_by_phone(body: PhoneRegistration, tx: TxDep) -> Created:
    customer_id = await tx.run(
        lambda uow: registration.register_by_phone(
            family_name=body.family_name, given_name=body.given_name, phone=body.phone, uow=uow
        )
    )
    return Created(id=customer_id)


@router.put("/customers/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
async def update(
    customer_id: UUID, body: CustomerWrite, tx: TxDep, principal: CurrentPrincipal
) -> None:
    data = body.to_input()
    by = principal.user_id
    await tx.run(lambda uow: registration.update_profile(customer_id, data, uow=uow, by=by))


@router.put("/customers/{customer_id}/flags", status_code=status.HTTP_204_NO_CONTENT)
async def set_flags(customer_id: UUID, body: FlagsWrite, tx: TxDep) -> None:
    given = body.model_dump(exclude_unset=True)
    await tx.run(lambda uow: flags.set_flags(customer_id, **given, uow=uow))


@router.post("/customers/{customer_id}/withdrawal", status_code=status.HTTP_204_NO_CONTENT)
async def withdraw(customer_id: UUID, body: Withdrawal, tx: TxDep) -> None:
    await tx.run(lambda uow: lifecycle.withdraw(customer_id, reason=body.reason, uow=uow))


@router.delete("/customers/{customer_id}/withdrawal", status_code=status.HTTP_204_NO_CONTENT)
async def reinstate(customer_id: UUID, tx: TxDep) -> None:
    await tx.run(lambda uow: lifecycle.reinstate(customer_id, uow=uow))


@router.delete("/customers/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete(customer_id: UUID, tx: TxDep, principal: CurrentPrincipal) -> None:
    by = principal.user_id
    await tx.run(lambda uow: lifecycle.delete(customer_id, deleted_by=by, uow=uow))


@router.get("/settings/required-fields")
async def get_required_fields(uow: UowDep) -> RequiredFields:
    return RequiredFields(required_fields=await registration.required_fields(uow=uow))


@router.put(
    "/settings/required-fields",
    dependencies=[admin_only("必須項目の設定は管理者のみ変更できます。")],
)
async def put_required_fields(body: RequiredFields, tx: TxDep) -> RequiredFields:
    fields = body.required_fields
    saved = await tx.run(lambda uow: registration.set_required_fields(fields, uow=uow))
    return RequiredFields(required_fields=saved)
