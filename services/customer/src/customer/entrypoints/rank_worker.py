"""The daily rank run (CUS-10): ranks over a period and by days since the last purchase move
with the calendar, not only with order events. Once a Japan day, each tenant with ranks has
every customer ranked again (one set-based statement, in the tenant's own transaction);
any replica may do it, the master row's lock keeps two from doing one tenant at once."""

from typing import Any

from kit.db import asyncpg_dsn
from kit.runtime import ServiceRuntime
from kit.worker import NotifiedWorker

from customer.use_cases import ranks

CHANNEL = "customer_ranks"
TENANTS_PER_ROUND = 10


class RankWorker(NotifiedWorker):
    def __init__(self, runtime: ServiceRuntime, *, poll_s: float) -> None:
        super().__init__(name="customer-ranks", dsn=asyncpg_dsn(runtime.settings.database_url),
                         channel=CHANNEL, poll_interval_s=poll_s)  # fmt: skip
        self._runtime = runtime
        self.last_changed = 0

    async def drain_once(self) -> int:
        anyone = self._runtime.transactions(tenant_id=None)
        due = await anyone.run(lambda uow: ranks.stale_tenants(limit=TENANTS_PER_ROUND, uow=uow))  # type: ignore[arg-type]
        for tenant_id in due:
            tx = self._runtime.transactions(tenant_id=tenant_id)
            self.last_changed = await tx.run(lambda uow: ranks.recompute_tenant(uow=uow))  # type: ignore[arg-type]
        return len(due)

    async def health(self) -> dict[str, Any]:
        return {"ranks_last_changed": self.last_changed}
