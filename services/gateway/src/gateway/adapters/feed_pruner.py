"""Keeps the feed log at its stated length: events older than 35 days go (a replay reaches
31 days back), and with them the deliveries finished that long ago and their attempts."""

from typing import TYPE_CHECKING

import sqlalchemy as sa
from kit.db import asyncpg_dsn
from kit.worker import NotifiedWorker
from opentelemetry.instrumentation.utils import suppress_instrumentation

from gateway.domain.webhooks import PRUNE_AFTER

if TYPE_CHECKING:
    from gateway.bootstrap import GatewayRuntime

BATCH = 5000


class FeedPruner(NotifiedWorker):
    """Hourly (nothing NOTIFYs its channel: it only polls); a batch per statement so that a
    first run after a long stop holds no long lock."""

    def __init__(self, runtime: "GatewayRuntime", *, interval_s: float = 3600.0) -> None:
        super().__init__(name="feed-pruner", dsn=asyncpg_dsn(runtime.settings.database_url),
                         channel="feed_prune_gateway", poll_interval_s=interval_s)  # fmt: skip
        self._runtime = runtime

    async def drain_once(self) -> int:
        cutoff = self._runtime.clock.now() - PRUNE_AFTER
        engine = self._runtime.engine
        assert engine is not None
        with suppress_instrumentation():
            async with engine.begin() as conn:
                # a delivery still pending (its endpoint disabled for weeks) whose event goes
                await conn.execute(sa.text(
                    "UPDATE webhook_deliveries SET status = 'failed', last_error = 'expired', "
                    "finished_at = :now WHERE status = 'pending' AND created_at < :c"),
                    {"c": cutoff, "now": self._runtime.clock.now()})  # fmt: skip
                deliveries = await conn.execute(sa.text(
                    "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries"
                    " WHERE finished_at < :c LIMIT :n)"), {"c": cutoff, "n": BATCH})  # fmt: skip
                await conn.execute(sa.text(
                    "DELETE FROM webhook_replays WHERE finished_at < :c"), {"c": cutoff})  # fmt: skip
                events = await conn.execute(sa.text(
                    "DELETE FROM feed_events WHERE event_id IN (SELECT event_id FROM feed_events"
                    " WHERE occurred_at < :c LIMIT :n)"), {"c": cutoff, "n": BATCH})  # fmt: skip
        return deliveries.rowcount + events.rowcount  # type: ignore[attr-defined]


def feed_pruner(runtime: "GatewayRuntime") -> FeedPruner:
    return FeedPruner(runtime)
