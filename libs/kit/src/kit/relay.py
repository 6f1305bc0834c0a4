"""Outbox relay: claims unpublished rows with ``FOR UPDATE SKIP LOCKED`` (so replicas share
the work without double sends), publishes the batch and awaits its broker confirms together,
then marks the confirmed rows sent in the same transaction (a row whose publish failed waits
for the next pass). Woken by LISTEN/NOTIFY; polls as a fallback."""

import asyncio
from datetime import datetime

import sqlalchemy as sa
from opentelemetry import trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.trace import SpanKind
from sqlalchemy.ext.asyncio import AsyncEngine

from kit.bus import Bus, BusUnavailable, Message
from kit.bus.base import EVENT_HEADER, TENANT_HEADER
from kit.db import asyncpg_dsn
from kit.logging import get_logger
from kit.outbox import notify_channel, outbox_table
from kit.telemetry import extract_context, inject_context
from kit.worker import NotifiedWorker

log = get_logger("kit.relay")
# The body as PostgreSQL prints the JSONB: the same JSON text json.dumps gave after decoding
# it, without decoding and encoding each envelope again (a sixth of the relay's CPU).
_ENVELOPE_TEXT = sa.cast(outbox_table.c.envelope, sa.Text).label("envelope")
_ROW = (outbox_table.c.id, outbox_table.c.routing_key, _ENVELOPE_TEXT, outbox_table.c.headers,
        outbox_table.c.event_id, outbox_table.c.tenant_id)  # fmt: skip


class OutboxRelay(NotifiedWorker):
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        database_url: str,
        bus: Bus,
        producer: str,
        tracer: trace.Tracer,
        poll_interval_s: float = 1.0,
        batch_size: int = 100,
    ) -> None:
        super().__init__(
            name="outbox",
            dsn=asyncpg_dsn(database_url),
            channel=notify_channel(producer),
            poll_interval_s=poll_interval_s,
        )
        self._engine = engine
        self._bus = bus
        self._tracer = tracer
        self._batch = batch_size

    def failed(self, exc: Exception) -> None:
        if isinstance(exc, BusUnavailable):
            log.warning("broker unavailable; outbox rows kept", error=str(exc))
        else:
            log.exception("outbox relay error")

    async def health(self) -> dict[str, int]:
        return {"outbox_lag": await self.lag()}

    async def lag(self) -> int:
        """Rows not yet published (a health figure)."""
        with suppress_instrumentation():
            return await self._lag()

    async def _lag(self) -> int:
        async with self._engine.connect() as conn:
            return int(
                await conn.scalar(
                    sa.select(sa.func.count()).where(outbox_table.c.published_at.is_(None))
                )
                or 0
            )

    async def republish_since(self, since: datetime) -> int:
        """Publish again the rows sent since ``since`` (the embedded mode's in-memory bus
        loses what was in flight when the process died); consumers' inboxes drop repeats."""
        t = outbox_table
        sent = 0
        with suppress_instrumentation():
            async with self._engine.connect() as conn:
                rows = await conn.stream(
                    sa.select(*_ROW).where(t.c.published_at >= since).order_by(t.c.id)
                )
                async for row in rows:
                    await self._publish(row)
                    sent += 1
        return sent

    async def drain_once(self) -> int:
        """Publish one batch; returns how many rows were sent."""
        # The relay's own polling is not part of any business flow: no spans for it; the
        # publish span below continues the trace stored with the row.
        with suppress_instrumentation():
            return await self._drain_once()

    async def _drain_once(self) -> int:
        t = outbox_table
        async with self._engine.begin() as conn:
            rows = (
                await conn.execute(
                    sa.select(*_ROW)
                    .where(t.c.published_at.is_(None))
                    .order_by(t.c.id)
                    .limit(self._batch)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            # The batch is published at once, in its order on the channel, and its confirms
            # awaited together: one broker round trip per batch, not one per row.
            results = await asyncio.gather(
                *(self._publish(row) for row in rows), return_exceptions=True
            )
            sent = [r.id for r, res in zip(rows, results, strict=True) if res is None]
            failed = [(r.id, res) for r, res in zip(rows, results, strict=True) if res is not None]
            if sent:
                await conn.execute(
                    sa.update(t).where(t.c.id.in_(sent)).values(published_at=sa.func.now())
                )
            if failed:
                await conn.execute(
                    sa.update(t)
                    .where(t.c.id.in_([row_id for row_id, _ in failed]))
                    .values(attempts=t.c.attempts + 1, last_error=str(failed[0][1])[:500])
                )
        if failed:  # the confirmed rows are committed as sent; the rest wait for the next pass
            raise failed[0][1]
        return len(sent)

    async def _publish(self, row: sa.Row) -> None:
        parent = extract_context(row.headers or {})
        with self._tracer.start_as_current_span(
            f"{row.routing_key} publish",
            context=parent,
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "rabbitmq",
                "messaging.destination.name": row.routing_key,
                "messaging.message.id": str(row.event_id),
            },
        ):
            headers = inject_context({})
            headers[EVENT_HEADER] = row.routing_key
            if row.tenant_id is not None:
                headers[TENANT_HEADER] = str(row.tenant_id)
            await self._bus.publish(
                Message(
                    routing_key=row.routing_key,
                    body=row.envelope.encode(),
                    message_id=str(row.event_id),
                    headers=dict(headers),
                )
            )
