"""The level worker (LEAD-7, decision 21): re-scores the customers whose due-at has passed
(a window ended, or the settings changed), across tenants, in rounds of ``batch``. Woken by
NOTIFY when the settings change; otherwise it looks every ``poll_s``, which with a round's
time is the bound docs/leads.md states. The clock is injectable so that tests move time."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from kit import clock
from kit.db import asyncpg_dsn
from kit.runtime import ServiceRuntime
from kit.worker import NotifiedWorker

from leads.adapters.scores_repository import LEVELS_CHANNEL
from leads.adapters.unit_of_work import LeadsUnitOfWork
from leads.use_cases import scoring


class LevelWorker(NotifiedWorker):
    def __init__(
        self,
        runtime: ServiceRuntime,
        *,
        poll_s: float,
        batch: int = 2000,
        now: Callable[[], datetime] = clock.now,
    ) -> None:
        super().__init__(
            name="lead-levels",
            dsn=asyncpg_dsn(runtime.settings.database_url),
            channel=LEVELS_CHANNEL,
            poll_interval_s=poll_s,
        )
        self._runtime = runtime
        self._batch = batch
        self.now = now

    async def drain_once(self) -> int:
        now = self.now()
        anyone = self._runtime.transactions(tenant_id=None)
        by_tenant = await anyone.run(
            lambda uow: scoring.due(now=now, limit=self._batch, uow=uow)  # type: ignore[arg-type]
        )
        done = 0
        for tenant_id, customer_ids in by_tenant.items():
            tx = self._runtime.transactions(tenant_id=tenant_id)
            done += await tx.run(
                lambda uow, ids=customer_ids: scoring.rescore_due(  # type: ignore[misc]
                    customer_ids=ids, now=now, uow=uow
                )
            )
        return done

    async def health(self) -> dict[str, Any]:
        async with self._runtime.uow(tenant_id=None) as uow:
            assert isinstance(uow, LeadsUnitOfWork)
            return {"levels_due": await uow.levels.due_count(now=self.now())}
