"""The boundary owns the transaction: one unit of work per write, committed here and only
here (use cases and repositories never commit). Like booking's, without its retries: orders
take no contended locks but the order counter's row. A unique index that a concurrent write
won (two products given one code at once) answers 409 naming the field, never a 500."""

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from kit.auth import CurrentPrincipal
from kit.errors import Conflict, Forbidden
from kit.runtime import ServiceRuntime
from sqlalchemy.exc import IntegrityError

from orders.adapters.unit_of_work import OrdersUnitOfWork

T = TypeVar("T")
# unique index → the request's field it guards
UNIQUE_FIELDS = {"products_code": "code", "shipping_fees_prefecture": "prefecture"}


def _conflict(exc: IntegrityError) -> Conflict:
    constraint = getattr(getattr(exc.orig, "__cause__", None), "constraint_name", None)
    return Conflict(
        "同時に同じ内容が登録されました。内容を確認してもう一度お試しください。",
        code="concurrent_update",
        field=UNIQUE_FIELDS.get(constraint or ""),
    )


class Transactions:
    def __init__(self, runtime: ServiceRuntime, *, tenant_id) -> None:  # type: ignore[no-untyped-def]
        self._runtime = runtime
        self._tenant_id = tenant_id

    async def run(self, work: Callable[[OrdersUnitOfWork], Awaitable[T]]) -> T:
        try:
            async with self._runtime.uow(tenant_id=self._tenant_id) as uow:
                result = await work(uow)  # type: ignore[arg-type]
                await uow.commit()
                return result
        except IntegrityError as exc:
            raise _conflict(exc) from None


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
