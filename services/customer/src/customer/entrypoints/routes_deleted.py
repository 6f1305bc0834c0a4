"""削除された履歴 (decision 96): one customer's deleted 対応履歴 and アクション履歴, for an
administrator; each entry's changes are read at /interactions|actions/{id}/changes."""

from uuid import UUID

from fastapi import APIRouter
from kit.auth import CurrentPrincipal
from kit.clock import JstDatetime
from pydantic import BaseModel

from customer.entrypoints.deps import UowDep
from customer.entrypoints.routes_histories import ActionRead, InteractionRead
from customer.use_cases import deleted_entries

router = APIRouter()


class DeletedInteraction(InteractionRead):
    deleted_at: JstDatetime
    deleted_by: UUID | None


class DeletedAction(ActionRead):
    deleted_at: JstDatetime
    deleted_by: UUID | None


class DeletedEntries(BaseModel):
    customer_id: UUID
    interactions: list[DeletedInteraction]  # the latest deletion first, at most 200
    actions: list[DeletedAction]  # likewise


@router.get("/customers/{customer_id}/deleted-entries")
async def deleted_of_customer(
    customer_id: UUID, principal: CurrentPrincipal, uow: UowDep
) -> DeletedEntries:
    """削除された履歴: the customer's deleted interactions and actions with who deleted them
    and when (管理者のみ; another tenant's customer is 404 before the role)."""
    found, done = await deleted_entries.deleted_entries(
        customer_id=customer_id, principal=principal, uow=uow
    )
    return DeletedEntries(
        customer_id=customer_id,
        interactions=[DeletedInteraction.of(r) for r in found],
        actions=[DeletedAction.of(r) for r in done],
    )
