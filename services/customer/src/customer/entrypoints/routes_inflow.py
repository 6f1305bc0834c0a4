"""流入経路マスタ (CUS-1): everyone of the staff reads it (the forms pick from it); admins add,
rename, retire and restore entries. A change of one entry looks it up before the admin check,
so that another tenant's entry is 404 for everyone."""

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from kit.auth import CurrentPrincipal, admin_only, require_admin
from pydantic import BaseModel, ConfigDict, Field

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.entrypoints.deps import TxDep, UowDep
from customer.use_cases import inflow_sources

router = APIRouter()
ADMIN = "流入経路マスタの変更は管理者のみ行えます。"


class InflowSourceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    retired_at: datetime | None  # 廃止: offered to nobody new, kept on its customers


class InflowSourceWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200)


@router.get("/inflow-sources")
async def list_sources(uow: UowDep) -> list[InflowSourceRead]:
    return [InflowSourceRead.model_validate(s) for s in await inflow_sources.list_sources(uow=uow)]


@router.post("/inflow-sources", status_code=status.HTTP_201_CREATED,
             dependencies=[admin_only(ADMIN)])  # fmt: skip
async def add_source(body: InflowSourceWrite, tx: TxDep) -> InflowSourceRead:
    name = body.name
    found = await tx.run(lambda uow: inflow_sources.add_source(name=name, uow=uow))
    return InflowSourceRead.model_validate(found)


async def _change(
    source_id: UUID, principal: Any, tx: TxDep,
    change: Callable[[CustomerUnitOfWork], Awaitable[Any]],
) -> InflowSourceRead:  # fmt: skip
    async def work(uow: CustomerUnitOfWork) -> Any:
        await inflow_sources.get_source(source_id, uow=uow)  # another tenant's: 404
        require_admin(principal, ADMIN)
        return await change(uow)

    return InflowSourceRead.model_validate(await tx.run(work))


@router.put("/inflow-sources/{source_id}")
async def rename_source(
    source_id: UUID, body: InflowSourceWrite, tx: TxDep, principal: CurrentPrincipal
) -> InflowSourceRead:
    """A correction: every customer carrying the old name carries the new one."""
    name = body.name
    return await _change(source_id, principal, tx,
                         lambda uow: inflow_sources.rename_source(source_id, name=name, uow=uow))  # fmt: skip


@router.post("/inflow-sources/{source_id}/retire")
async def retire_source(
    source_id: UUID, tx: TxDep, principal: CurrentPrincipal
) -> InflowSourceRead:
    return await _change(source_id, principal, tx,
                         lambda uow: inflow_sources.retire_source(source_id, uow=uow))  # fmt: skip


@router.post("/inflow-sources/{source_id}/restore")
async def restore_source(
    source_id: UUID, tx: TxDep, principal: CurrentPrincipal
) -> InflowSourceRead:
    return await _change(source_id, principal, tx,
                         lambda uow: inflow_sources.restore_source(source_id, uow=uow))  # fmt: skip
