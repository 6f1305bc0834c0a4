"""A write as one transaction, retried a bounded number of times when PostgreSQL aborts it
for a deadlock or a serialization failure (competing bookings may lock in turn)."""

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden
from kit.runtime import ServiceRuntime
from sqlalchemy.exc import DBAPIError

from booking.adapters.unit_of_work import BookingUnitOfWork

T = TypeVar("T")
ATTEMPTS = 5
RETRYABLE = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def is_retryable(exc: DBAPIError) -> bool:
    for candidate in (exc.orig, getattr(exc.orig, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if code in RETRYABLE:
            return True
    return False


class Transactions:
    def __init__(self, runtime: ServiceRuntime, *, tenant_id) -> None:  # type: ignore[no-untyped-def]
        self._runtime = runtime
        self._tenant_id = tenant_id

    async def run(self, work: Callable[[BookingUnitOfWork], Awaitable[T]]) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self._runtime.uow(tenant_id=self._tenant_id) as uow:
                    result = await work(uow)  # type: ignore[arg-type]
                    await uow.commit()
                    return result
            except DBAPIError as exc:
                if attempt == ATTEMPTS or not is_retryable(exc):
                    raise
                await asyncio.sleep(random.uniform(0, 0.01 * 2**attempt))
        raise AssertionError("unreachable")


async def transactions(request: Request, principal: CurrentPrincipal) -> Transactions:
    return Transactions(request.app.state.runtime, tenant_id=principal.tenant_id)


TxDep = Annotated[Transactions, Depends(transactions)]


async def staff_only(principal: CurrentPrincipal) -> None:
    """Partners (portal tokens) read availability; only staff and the system change bookings."""
    if principal.role not in ("admin", "general", "system"):
        raise Forbidden("この操作は店舗スタッフのみ行えます。")


StaffOnly = Depends(staff_only)
