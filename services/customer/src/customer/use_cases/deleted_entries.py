"""削除された履歴 (decision 96): an administrator's view of one customer's deleted interactions
and staff-entered actions, the tombstones the timelines leave out (decision 92). Another
tenant's customer (or none) is 404 before the role is looked at."""

from uuid import UUID

from kit.auth import Principal, require_admin
from kit.errors import NotFound

from customer.adapters.orm_histories import CustomerAction, Interaction
from customer.adapters.unit_of_work import CustomerUnitOfWork

ADMIN_ONLY = "削除された履歴は管理者のみ閲覧できます。"
LIMIT = 200  # each kind, the latest deletion first


async def deleted_entries(
    *, customer_id: UUID, principal: Principal, uow: CustomerUnitOfWork
) -> tuple[list[Interaction], list[CustomerAction]]:
    if await uow.customers.row(customer_id=customer_id) is None:
        raise NotFound("お客様が見つかりません。")
    require_admin(principal, ADMIN_ONLY)
    interactions = await uow.interactions.deleted_of_customer(customer_id=customer_id, limit=LIMIT)
    actions = await uow.actions.deleted_of_customer(customer_id=customer_id, limit=LIMIT)
    return interactions, actions
