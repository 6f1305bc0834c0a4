"""The boundary owns the transaction: one unit of work per write, committed here and only
here (use cases and repositories never commit). Like booking's, without its retries:
orders take no contended locks but the order counter's row, held for one statement's span."""

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden
from kit.runtime import ServiceRuntime

from orders.adapters.unit_of_work import OrdersUnitOfWork

T = TypeVar("T")


class Transactions:
    def __init__(self, runtime: ServiceRuntime, *, tenant_id) -> None:  # type: ignore[no-untyped-def]
        self._runtime = runtime
        self._tenant_id = tenant_id

    async def run(self, work: Callable[[OrdersUnitOfWork], Awaitable[T]]) -> T:
        async with self._runtime.uow(tenant_id=self._tenant_id) as uow:
            result = await work(uow)  # type: ignore[arg-type]
            await uow.commit()
            return result


async def transactions(request: Request, principal: CurrentPrincipal) -> Transactions:
    return Transactions(request.app.state.runtime, tenant_id=principal.tenant_id)


TxDep = Annotated[Transactions, Depends(transactions)]


async def staff_only(principal: CurrentPrincipal) -> None:
    if principal.role not in ("admin", "general", "system"):
        raise Forbidden("この操作はスタッフのみ行えます。")


async def admin_only(principal: CurrentPrincipal) -> None:
    if principal.role not in ("admin", "system"):
        raise Forbidden("マスタと設定は管理者のみ変更できます。")


StaffOnly = Depends(staff_only)
AdminOnly = Depends(admin_only)
