"""The daily run as a kit worker (decision 21): every replica runs it; each pass finds the
tenants with subscription orders due on Japan's today and runs each one chunk by chunk, each
chunk one transaction of the kit's boundary. Replicas share the work through the chunks'
row locks (SKIP LOCKED) and never repeat it (the unique key on subscription and cycle). A
pass is recorded per tenant (``subscription_runs``: started, finished, created, skipped,
failed); a pass that crashed keeps no ``finished_at`` and the next pass does the rest."""

import asyncio
import contextlib
import os
import socket
import time
from datetime import date
from typing import Any
from uuid import UUID

from kit import clock
from kit.logging import get_logger
from kit.runtime import ServiceRuntime
from kit.transactions import Transactions
from kit.worker import Worker
from opentelemetry.instrumentation.utils import suppress_instrumentation

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.use_cases import daily_run

log = get_logger("orders.daily_run")
REPLICA = f"{socket.gethostname()}:{os.getpid()}"  # which replica ran a pass (its record)


async def run_tenant(
    tx: Transactions[OrdersUnitOfWork],
    *,
    today: date,
    chunk: int = daily_run.CHUNK,
    max_chunks: int | None = None,
    started_by: UUID | None = None,
) -> orm.SubscriptionRun:
    """One tenant's run to the end (or ``max_chunks`` chunks); its record, naming this
    replica and, for 今すぐ実行, the user."""
    run = await tx.run(lambda uow: daily_run.start_run(today=today, uow=uow, replica=REPLICA,
                                                       started_by=started_by))  # fmt: skip
    done = 0
    try:
        while max_chunks is None or done < max_chunks:
            result = await tx.run(
                lambda uow: daily_run.run_chunk(run_id=run.id, today=today, limit=chunk, uow=uow)
            )
            done += 1
            if result.claimed == 0:  # a moved-on subscription may be due again: ask until none
                break
    except Exception as exc:
        error = type(exc).__name__
        await tx.run(lambda uow: daily_run.finish_run(run_id=run.id, error=error, uow=uow))
        raise
    return await tx.run(lambda uow: daily_run.finish_run(run_id=run.id, error=None, uow=uow))


class SubscriptionRunner(Worker):
    name = "subscription-run"

    def __init__(self, runtime: ServiceRuntime, *, interval_s: float) -> None:
        self._runtime = runtime
        self._interval_s = interval_s
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.last_pass: dict[str, Any] = {}

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="subscription-run")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def health(self) -> dict[str, Any]:
        return {"subscription_run_last_pass": self.last_pass.get("finished_at")}

    async def run_once(self, today: date | None = None) -> list[orm.SubscriptionRun]:
        today = today or clock.today()
        any_tenant: Transactions[OrdersUnitOfWork] = self._runtime.transactions(tenant_id=None)
        with suppress_instrumentation():  # looking for work is no business flow
            tenants: list[UUID] = await any_tenant.run(
                lambda uow: uow.subscriptions.tenants_due(today=today)
            )
        runs = []
        for tenant_id in tenants:
            with self._runtime.telemetry.tracer.start_as_current_span(
                "orders subscription run", attributes={"crm.tenant_id": str(tenant_id)}
            ):
                try:
                    runs.append(await run_tenant(self._runtime.transactions(tenant_id=tenant_id),
                                                 today=today))  # fmt: skip
                except Exception as exc:  # recorded on its run; the other tenants go on
                    log.warning("subscription run of a tenant failed", error=type(exc).__name__)
        self.last_pass = {"finished_at": clock.now().isoformat(), "tenants": len(runs)}
        return runs

    async def _loop(self) -> None:
        while True:
            try:
                await self.run_once()
                self.last_round_at = time.monotonic()  # the metrics' worker age
            except Exception as exc:  # the database is away: the next pass does it
                log.warning("subscription run failed", error=type(exc).__name__)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._interval_s)
