"""THE transaction boundary of every service, for HTTP requests and event handlers alike.

A write is one unit of work that the boundary opens and commits (use cases and repositories
never commit); the work passed to :meth:`Transactions.run` is one attempt, retried a bounded
number of times when PostgreSQL aborts it for a deadlock or a serialization failure
(competing bookings may lock in turn). A unique index that a concurrent write won answers
409 ``concurrent_update``, naming the request's field when the service maps the index to it
(``ServiceRuntime(unique_fields={"products_code": "code"})``), never a 500.

The work may be run more than once: it must not call other services or send anything
itself (events go through the outbox, mail through the mail queue)."""

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
from uuid import UUID

from sqlalchemy.exc import DBAPIError, IntegrityError

from kit.errors import Conflict
from kit.uow import UnitOfWork

if TYPE_CHECKING:
    from kit.runtime import ServiceRuntime

T = TypeVar("T")
U = TypeVar("U", bound=UnitOfWork)
ATTEMPTS = 5
RETRYABLE = {"40001", "40P01"}  # serialization_failure, deadlock_detected
UNIQUE_VIOLATION = "23505"


def _causes(exc: DBAPIError) -> tuple[Any, ...]:
    return (exc.orig, getattr(exc.orig, "__cause__", None))


def _sqlstate(exc: DBAPIError) -> set[str]:
    codes = (getattr(c, "sqlstate", None) or getattr(c, "pgcode", None) for c in _causes(exc))
    return {code for code in codes if code}


def is_retryable(exc: DBAPIError) -> bool:
    return bool(_sqlstate(exc) & RETRYABLE)


def conflict(exc: IntegrityError, unique_fields: Mapping[str, str]) -> Conflict | None:
    """The 409 for a unique index a concurrent write won; None for any other integrity error
    (a bug, not a race: it stays a 500 and is logged)."""
    if UNIQUE_VIOLATION not in _sqlstate(exc):
        return None
    names = (getattr(c, "constraint_name", None) for c in _causes(exc))
    constraint = next((name for name in names if name), "")
    return Conflict(
        "同時に同じ内容が登録されました。内容を確認してもう一度お試しください。",
        code="concurrent_update",
        field=unique_fields.get(constraint),
    )


class Transactions(Generic[U]):
    """The boundary for one tenant (or none: the gateway's accounts, cross-tenant workers).
    ``Transactions[CustomerUnitOfWork]`` hands the work the service's own unit of work."""

    def __init__(
        self,
        runtime: "ServiceRuntime",
        *,
        tenant_id: UUID | None,
        store_scope: tuple[UUID, ...] | None = None,
    ) -> None:
        self._runtime = runtime
        self._tenant_id = tenant_id
        self._store_scope = store_scope

    async def run(self, work: Callable[[U], Awaitable[T]]) -> T:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self._runtime.uow(
                    tenant_id=self._tenant_id, store_scope=self._store_scope
                ) as uow:
                    result = await work(cast(U, uow))
                    await uow.commit()
                    return result
            except IntegrityError as exc:
                refusal = conflict(exc, self._runtime.unique_fields)
                if refusal is None:
                    raise
                raise refusal from None
            except DBAPIError as exc:
                if attempt == ATTEMPTS or not is_retryable(exc):
                    raise
                await asyncio.sleep(random.uniform(0, 0.01 * 2**attempt))
        raise AssertionError("unreachable")
