"""The rank worker (CUS-10): finishes a master change's run for a tenant larger than one
batch (woken by NOTIFY at the save's commit), and ranks every tenant with ranks again once a
Japan day, since periods and days since the last purchase move with the calendar. Each batch
of customers is one set-based statement in its own transaction, so order events of the
tenant wait for one batch at most; any replica may do it, the master row's lock keeps two
from doing one batch twice."""

from typing import Any

from kit.db import asyncpg_dsn
from kit.runtime import ServiceRuntime
from kit.worker import NotifiedWorker

from customer.adapters.ranks import CHANNEL
from customer.use_cases import ranks

TENANTS_PER_ROUND = 10


class RankWorker(NotifiedWorker):
    def __init__(self, runtime: ServiceRuntime, *, poll_s: float) -> None:
        super().__init__(name="customer-ranks", dsn=asyncpg_dsn(runtime.settings.database_url),
                         channel=CHANNEL, poll_interval_s=poll_s)  # fmt: skip
        self._runtime = runtime
        self.last_changed = 0  # customers whose rank the worker changed since it started

    async def drain_once(self) -> int:
        anyone = self._runtime.transactions(tenant_id=None)
        due = await anyone.run(lambda uow: ranks.stale_tenants(limit=TENANTS_PER_ROUND, uow=uow))  # type: ignore[arg-type]
        for tenant_id in due:
            tx = self._runtime.transactions(tenant_id=tenant_id)
            finished = False
            while not finished:
                changed, finished = await tx.run(lambda uow: ranks.continue_run(uow=uow))  # type: ignore[arg-type]
                self.last_changed += changed
        return len(due)

    async def health(self) -> dict[str, Any]:
        return {"ranks_last_changed": self.last_changed}
