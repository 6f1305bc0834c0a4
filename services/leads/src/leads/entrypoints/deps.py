"""Dependencies of the leads routes: the kit's transaction boundary and the reading unit of
work, typed with leads' own unit of work, and the staff and admin checks."""

from typing import Annotated

from fastapi import Depends
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden
from kit.http import tenant_transactions, tenant_uow
from kit.transactions import Transactions

from leads.adapters.unit_of_work import LeadsUnitOfWork

TxDep = Annotated[Transactions[LeadsUnitOfWork], Depends(tenant_transactions)]
UowDep = Annotated[LeadsUnitOfWork, Depends(tenant_uow)]


async def staff_only(principal: CurrentPrincipal) -> None:
    if principal.role not in ("admin", "general", "system"):
        raise Forbidden("この操作は事業所のスタッフのみ行えます。")


async def admin_only(principal: CurrentPrincipal) -> None:
    if principal.role != "admin":
        raise Forbidden("ホットリードの指標は管理者のみ変更できます。", code="admin_only")


StaffOnly = Depends(staff_only)
AdminOnly = Depends(admin_only)
