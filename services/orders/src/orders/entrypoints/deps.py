"""Dependencies of the orders routes: the kit's transaction boundary and the reading unit of
work, typed with orders' own unit of work, and the staff and admin checks. Orders' unique
indexes and the fields they guard are in bootstrap (``UNIQUE_FIELDS``)."""

from typing import Annotated

from fastapi import Depends
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden
from kit.http import tenant_transactions, tenant_uow
from kit.transactions import Transactions

from orders.adapters.unit_of_work import OrdersUnitOfWork

TxDep = Annotated[Transactions[OrdersUnitOfWork], Depends(tenant_transactions)]
UowDep = Annotated[OrdersUnitOfWork, Depends(tenant_uow)]


async def staff_only(principal: CurrentPrincipal) -> None:
    if principal.role not in ("admin", "general", "system"):
        raise Forbidden("この操作はスタッフのみ行えます。")


async def admin_only(principal: CurrentPrincipal) -> None:
    if principal.role not in ("admin", "system"):
        raise Forbidden("マスタと設定は管理者のみ変更できます。")


StaffOnly = Depends(staff_only)
AdminOnly = Depends(admin_only)
