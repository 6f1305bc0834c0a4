"""Dependencies of the leads routes: the transaction of the caller's tenant, staff and
admin checks."""

from typing import Annotated

from fastapi import Depends, Request
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden
from kit.transactions import Transactions


async def transactions(request: Request, principal: CurrentPrincipal) -> Transactions:
    return Transactions(request.app.state.runtime, tenant_id=principal.tenant_id)


TxDep = Annotated[Transactions, Depends(transactions)]


async def staff_only(principal: CurrentPrincipal) -> None:
    if principal.role not in ("admin", "general", "system"):
        raise Forbidden("この操作は事業所のスタッフのみ行えます。")


async def admin_only(principal: CurrentPrincipal) -> None:
    if principal.role != "admin":
        raise Forbidden("ホットリードの指標は管理者のみ変更できます。", code="admin_only")


StaffOnly = Depends(staff_only)
AdminOnly = Depends(admin_only)
