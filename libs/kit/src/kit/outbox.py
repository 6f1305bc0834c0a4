"""Transactional outbox and inbox: the event commits with the state change, or not at all;
a redelivered event has no second effect."""

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from contracts import Envelope, Event
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.ext.asyncio import AsyncSession

from kit.db import copy_rows
from kit.telemetry import inject_context

_metadata = sa.MetaData()

outbox_table = sa.Table(
    "outbox",
    _metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("event_id", sa.Uuid),
    sa.Column("tenant_id", sa.Uuid),
    sa.Column("routing_key", sa.Text),
    sa.Column("envelope", pg.JSONB),
    sa.Column("headers", pg.JSONB),
    sa.Column("created_at", sa.DateTime(timezone=True)),
    sa.Column("published_at", sa.DateTime(timezone=True)),
    sa.Column("attempts", sa.Integer),
    sa.Column("last_error", sa.Text),
)

inbox_table = sa.Table(
    "inbox",
    _metadata,
    sa.Column("consumer", sa.Text, primary_key=True),
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("processed_at", sa.DateTime(timezone=True)),
)


# up to this many events go in one multi-row INSERT; more in one COPY (its set-up costs more
# than a statement's, and pays off only for many rows)
FEW = 32


def notify_channel(producer: str) -> str:
    return f"outbox_{producer}"


class Outbox:
    """Adds events to the outbox inside the caller's transaction."""

    def __init__(self, session: AsyncSession, *, producer: str) -> None:
        self._session = session
        self._producer = producer
        self._notified = False

    async def add(
        self,
        event: Event,
        *,
        tenant_id: UUID,
        correlation_id: UUID | None = None,
        causation_id: UUID | None = None,
    ) -> Envelope:
        envelope = self._envelope(event, tenant_id, correlation_id, causation_id)
        headers: dict[str, Any] = inject_context({})
        await self._session.execute(
            sa.insert(outbox_table).values(
                event_id=envelope.event_id,
                tenant_id=tenant_id,
                routing_key=envelope.routing_key,
                envelope=json.loads(envelope.model_dump_json()),
                headers=headers,
            )
        )
        await self._notify()
        return envelope

    async def add_many(
        self,
        events: Sequence[Event],
        *,
        tenant_id: UUID,
        correlation_id: UUID | None = None,
        causation_id: UUID | None = None,
    ) -> list[Envelope]:
        """Many events of one transaction in one statement and one notify: the same rows, in
        the same order, as ``add`` called for each. A few in one multi-row INSERT; a bulk
        import's many in one COPY."""
        envelopes = [self._envelope(e, tenant_id, correlation_id, causation_id) for e in events]
        if not envelopes:
            return []
        if len(envelopes) <= FEW:
            trace_headers = inject_context({})
            await self._session.execute(sa.insert(outbox_table).values([
                {"event_id": e.event_id, "tenant_id": tenant_id, "routing_key": e.routing_key,
                 "envelope": json.loads(e.model_dump_json()), "headers": trace_headers}
                for e in envelopes
            ]))  # fmt: skip
            await self._notify()
            return envelopes
        await self._notify()  # also begins the transaction the COPY joins
        headers = json.dumps(inject_context({}))
        await copy_rows(
            self._session,
            outbox_table.name,
            columns=("event_id", "tenant_id", "routing_key", "envelope", "headers"),
            records=[
                (e.event_id, tenant_id, e.routing_key, e.model_dump_json(), headers)
                for e in envelopes
            ],
        )
        return envelopes

    def _envelope(
        self,
        event: Event,
        tenant_id: UUID,
        correlation_id: UUID | None,
        causation_id: UUID | None,
    ) -> Envelope:
        return Envelope(
            event_type=event.event_type,
            version=event.version,
            routing_key=event.routing_key(),
            tenant_id=tenant_id,
            producer=self._producer,
            correlation_id=correlation_id,
            causation_id=causation_id,
            payload=event.model_dump(mode="json"),
        )

    async def _notify(self) -> None:
        if not self._notified:
            # Delivered at commit, so the relay wakes exactly when the row becomes visible.
            await self._session.execute(
                sa.select(sa.func.pg_notify(notify_channel(self._producer), ""))
            )
            self._notified = True


class Inbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, event_id: UUID, *, consumer: str) -> bool:
        """True the first time ``consumer`` sees ``event_id``; the claim commits with the effect."""
        result = await self._session.execute(
            pg.insert(inbox_table)
            .values(consumer=consumer, event_id=event_id)
            .on_conflict_do_nothing()
            .returning(inbox_table.c.event_id)
        )
        return result.first() is not None
