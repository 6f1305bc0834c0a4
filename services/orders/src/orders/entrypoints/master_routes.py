"""ORD-1: the same five routes for every master, /<kind>[/{id}[/retire]]. Staff read them;
admins change them. A change of one entry looks the entry up before the admin check, so that
another tenant's entry is 404 for everyone (as booking's properties): a 403 first would
answer a general user differently for ids of the tenant and ids of nobody's."""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, status
from kit.auth import CurrentPrincipal
from pydantic import BaseModel

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.entrypoints.deps import AdminOnly, StaffOnly, TxDep, UowDep, admin_only
from orders.entrypoints.master_schemas import SCHEMAS
from orders.use_cases import masters

router = APIRouter(dependencies=[StaffOnly])


def _routes(path: str, write: type[BaseModel], read: type[BaseModel]) -> None:
    kind = masters.KINDS[path]

    def fields(body: BaseModel) -> dict[str, Any]:
        return body.model_dump()

    async def list_(uow: UowDep, include_retired: bool = False) -> list[read]:  # type: ignore[valid-type]
        rows = await masters.list_entries(kind, include_retired=include_retired, uow=uow)
        return [read.model_validate(r) for r in rows]

    async def get(entry_id: UUID, uow: UowDep) -> read:  # type: ignore[valid-type]
        return read.model_validate(await masters.get_entry(kind, entry_id=entry_id, uow=uow))

    async def add(body: write, tx: TxDep) -> read:  # type: ignore[valid-type]
        row = await tx.run(lambda uow: masters.add_entry(kind, fields=fields(body), uow=uow))
        return read.model_validate(row)

    async def found_then_admin(entry_id: UUID, principal: Any, uow: OrdersUnitOfWork) -> None:
        await masters.get_entry(kind, entry_id=entry_id, uow=uow)  # another tenant's: 404
        await admin_only(principal)

    async def update(entry_id: UUID, body: write, tx: TxDep, principal: CurrentPrincipal) -> read:  # type: ignore[valid-type]
        async def work(uow: OrdersUnitOfWork) -> Any:
            await found_then_admin(entry_id, principal, uow)
            return await masters.update_entry(kind, entry_id=entry_id, fields=fields(body), uow=uow)

        return read.model_validate(await tx.run(work))

    async def retire(entry_id: UUID, tx: TxDep, principal: CurrentPrincipal) -> read:  # type: ignore[valid-type]
        async def work(uow: OrdersUnitOfWork) -> Any:
            await found_then_admin(entry_id, principal, uow)
            return await masters.retire_entry(kind, entry_id=entry_id, uow=uow)

        return read.model_validate(await tx.run(work))

    name = path.replace("-", "_")
    router.add_api_route(f"/{path}", list_, methods=["GET"], name=f"list_{name}")
    router.add_api_route(f"/{path}/{{entry_id}}", get, methods=["GET"], name=f"get_{name}")
    admin = [AdminOnly]
    router.add_api_route(f"/{path}", add, methods=["POST"], status_code=status.HTTP_201_CREATED,
                         dependencies=admin, name=f"add_{name}")  # fmt: skip
    router.add_api_route(f"/{path}/{{entry_id}}", update, methods=["PUT"], name=f"update_{name}")
    router.add_api_route(f"/{path}/{{entry_id}}/retire", retire, methods=["POST"],
                         name=f"retire_{name}")  # fmt: skip


for _path, (_write, _read) in SCHEMAS.items():
    _routes(_path, _write, _read)
