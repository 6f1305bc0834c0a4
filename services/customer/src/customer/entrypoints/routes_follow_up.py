"""追客 (CUS-2): change status and rep, memos, the history of both; thin routes."""

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from kit.auth import CurrentPrincipal
from pydantic import BaseModel, ConfigDict, Field

from customer.entrypoints.deps import TxDep, UowDep
from customer.use_cases import follow_up

router = APIRouter()


class FollowUpWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: str | None = None
    assignee_id: UUID | None = None  # null: 担当を外す (only when the key is sent)


class MemoWrite(BaseModel):
    body: str = Field(max_length=follow_up.MAX_MEMO + 100)


class ChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    field: str
    old_value: str | None
    new_value: str | None
    changed_by: UUID | None
    changed_at: datetime


class MemoRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    body: str
    written_by: UUID | None
    written_at: datetime


class FollowUpRead(BaseModel):
    status: str
    assignee_id: UUID | None
    history: list[ChangeRead]
    memos: list[MemoRead]
    unassigned: int


@router.patch("/customers/{customer_id}/follow-up", status_code=status.HTTP_204_NO_CONTENT)
async def change(
    customer_id: UUID, body: FollowUpWrite, principal: CurrentPrincipal, tx: TxDep
) -> None:
    given: dict[str, Any] = body.model_dump(exclude_unset=True)
    by = principal.user_id
    await tx.run(lambda uow: follow_up.change_follow_up(customer_id, **given, by=by, uow=uow))


@router.get("/customers/{customer_id}/follow-up")
async def show(customer_id: UUID, uow: UowDep) -> FollowUpRead:
    view = await follow_up.show_follow_up(customer_id, uow=uow)
    return FollowUpRead.model_validate(view, from_attributes=True)


@router.post("/customers/{customer_id}/memos", status_code=status.HTTP_201_CREATED)
async def add_memo(
    customer_id: UUID, body: MemoWrite, principal: CurrentPrincipal, tx: TxDep
) -> MemoRead:
    text, by = body.body, principal.user_id
    memo = await tx.run(lambda uow: follow_up.add_memo(customer_id, body=text, by=by, uow=uow))
    return MemoRead.model_validate(memo)
