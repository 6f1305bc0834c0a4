"""Dependencies of the booking routes: the kit's transaction boundary and the reading unit of
work, typed with booking's own unit of work, and the staff check."""

from typing import Annotated

from fastapi import Depends
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden
from kit.http import tenant_transactions, tenant_uow
from kit.transactions import Transactions

from booking.adapters.unit_of_work import BookingUnitOfWork

TxDep = Annotated[Transactions[BookingUnitOfWork], Depends(tenant_transactions)]
UowDep = Annotated[BookingUnitOfWork, Depends(tenant_uow)]


async def staff_only(principal: CurrentPrincipal) -> None:
    """Partners (portal tokens) read availability; only staff and the system change bookings."""
    if principal.role not in ("admin", "general", "system"):
        raise Forbidden("この操作は店舗スタッフのみ行えます。")


StaffOnly = Depends(staff_only)
