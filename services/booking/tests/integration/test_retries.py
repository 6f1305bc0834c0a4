"""A deadlock or serialization failure retries the whole transaction, a bounded number of
times; any other database error is raised at once. (The boundary is the kit's: kit.transactions.)"""

import pytest
import sqlalchemy as sa
from kit.transactions import ATTEMPTS, Transactions
from sqlalchemy.exc import DBAPIError

pytestmark = pytest.mark.database

RAISE = "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = '{code}'; END $$"


@pytest.mark.parametrize("code", ["40P01", "40001"])
async def test_retryable_failures_are_retried_then_succeed(booking_runtime, code: str) -> None:  # type: ignore[no-untyped-def]
    tx = Transactions(booking_runtime, tenant_id=None)
    calls = []

    async def work(uow) -> str:  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) < 3:
            await uow.session.execute(sa.text(RAISE.format(code=code)))
        return "done"

    assert await tx.run(work) == "done"
    assert len(calls) == 3


async def test_retries_are_bounded_and_other_errors_are_not_retried(booking_runtime) -> None:  # type: ignore[no-untyped-def]
    tx = Transactions(booking_runtime, tenant_id=None)
    calls = []

    async def always(uow) -> None:  # type: ignore[no-untyped-def]
        calls.append(1)
        await uow.session.execute(sa.text(RAISE.format(code="40P01")))

    with pytest.raises(DBAPIError):
        await tx.run(always)
    assert len(calls) == ATTEMPTS

    calls.clear()

    async def broken(uow) -> None:  # type: ignore[no-untyped-def]
        calls.append(1)
        await uow.session.execute(sa.text(RAISE.format(code="22012")))

    with pytest.raises(DBAPIError):
        await tx.run(broken)
    assert len(calls) == 1
