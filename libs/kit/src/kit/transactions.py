"""A write as one transaction owned by the boundary (a route), retried a bounded number of
times when PostgreSQL aborts it for a deadlock or a serialization failure. Use cases and
repositories never commit; the work passed to :meth:`Transactions.run` is one attempt."""

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy.exc import DBAPIError

from kit.runtime import ServiceRuntime

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
    def __init__(self, runtime: ServiceRuntime, *, tenant_id: UUID | None) -> None:
        self._runtime = runtime
        self._tenant_id = tenant_id

    async def run(self, work: Callable[[Any], Awaitable[T]]) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self._runtime.uow(tenant_id=self._tenant_id) as uow:
                    result = await work(uow)
                    await uow.commit()
                    return result
            except DBAPIError as exc:
                if attempt == ATTEMPTS or not is_retryable(exc):
                    raise
                await asyncio.sleep(random.uniform(0, 0.01 * 2**attempt))
        raise AssertionError("unreachable")
