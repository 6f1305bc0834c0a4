"""統合 (CUS-7): preview, then the irreversible merge with an explicit confirmation."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from kit.auth import CurrentPrincipal, admin_only
from kit.errors import Invalid
from pydantic import BaseModel

from customer.entrypoints.deps import TxDep, UowDep
from customer.entrypoints.schemas import CustomerRead
from customer.use_cases import merging

router = APIRouter()


class MergeRequest(BaseModel):
    source_id: UUID
    target_id: UUID
    confirm: bool = False


class MergePreviewRead(BaseModel):
    source: CustomerRead
    target: CustomerRead
    moves: dict[str, int]
    allowed: bool
    reason: str | None


class MergeDone(BaseModel):
    source_id: UUID
    target_id: UUID
    moved: dict[str, int]


class MergeLogRead(BaseModel):
    source_id: UUID
    target_id: UUID
    source_name: str
    target_name: str
    merged_by: UUID | None
    merged_at: datetime
    moved: dict[str, int]


# 統合 cannot be undone: the admin's.
MERGE_ADMIN = [admin_only("お客様の統合は管理者のみ行えます。")]


@router.post("/merges/preview", dependencies=MERGE_ADMIN)
async def preview(body: MergeRequest, uow: UowDep) -> MergePreviewRead:
    p = await merging.preview_merge(source_id=body.source_id, target_id=body.target_id, uow=uow)
    return MergePreviewRead(
        source=CustomerRead.of(p.source),
        target=CustomerRead.of(p.target),
        moves=p.moves,
        allowed=p.allowed,
        reason=p.reason,
    )


@router.post("/merges", dependencies=MERGE_ADMIN)
async def merge(body: MergeRequest, tx: TxDep, principal: CurrentPrincipal) -> MergeDone:
    if not body.confirm:
        raise Invalid("統合は取り消せません。確認のうえ confirm=true で実行してください。")
    source, target, by = body.source_id, body.target_id, principal.user_id
    moved = await tx.run(
        lambda uow: merging.merge_customers(
            source_id=source, target_id=target, merged_by=by, uow=uow
        )
    )
    return MergeDone(source_id=body.source_id, target_id=body.target_id, moved=moved)


@router.get("/merges")
async def merge_log(uow: UowDep) -> list[MergeLogRead]:
    return [
        MergeLogRead.model_validate(m, from_attributes=True)
        for m in await merging.merge_log(uow=uow)
    ]
