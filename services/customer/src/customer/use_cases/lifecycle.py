"""CUS-5: withdrawal (退会) with a reason, listed separately; deletion only without visit
history and never for a portal-linked customer (seed 000's permission table)."""

from datetime import UTC, datetime
from uuid import UUID

from contracts.customer import CustomerDeletedV1
from kit.errors import NotFound

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import DeletionRefused, ProfileError
from customer.use_cases.notify import profile_changed


async def withdraw(customer_id: UUID, *, reason: str, uow: CustomerUnitOfWork) -> None:
    text = (reason or "").strip()
    if not text:
        raise ProfileError("退会理由を入力してください。", field="reason")
    if len(text) > 500:
        raise ProfileError("退会理由は500文字以内で入力してください。", field="reason")
    row = await uow.customers.row(customer_id=customer_id, for_update=True)
    if row is None:
        raise NotFound("お客様が見つかりません。")
    await uow.customers.update(
        customer_id=customer_id,
        values={"withdrawn_at": row.withdrawn_at or datetime.now(UTC), "withdrawal_reason": text},
    )
    await profile_changed(customer_id, uow=uow)


async def reinstate(customer_id: UUID, *, uow: CustomerUnitOfWork) -> None:
    row = await uow.customers.row(customer_id=customer_id, for_update=True)
    if row is None:
        raise NotFound("お客様が見つかりません。")
    await uow.customers.update(
        customer_id=customer_id, values={"withdrawn_at": None, "withdrawal_reason": None}
    )
    await profile_changed(customer_id, uow=uow)


async def delete(customer_id: UUID, *, uow: CustomerUnitOfWork, deleted_by: UUID | None) -> None:
    row = await uow.customers.row(customer_id=customer_id, for_update=True)
    if row is None:
        raise NotFound("お客様が見つかりません。")
    if row.portal_linked:
        raise DeletionRefused(
            "ポータルから連携されたお客様は削除できません。", code="portal_linked"
        )
    if row.reservation_count or await uow.visits.has_history(customer_id=customer_id):
        raise DeletionRefused(
            "接客（予約・来店）の履歴があるお客様は削除できません。退会をご利用ください。",
            code="has_visits",
        )
    await uow.customers.delete(customer_id=customer_id)
    await uow.add_event(
        CustomerDeletedV1(
            customer_id=customer_id, deleted_at=datetime.now(UTC), deleted_by=deleted_by
        )
    )
