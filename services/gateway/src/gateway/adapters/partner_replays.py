"""Partners' replays (decision 109): a replay's events are read from the feed log a window
at a time, in the order they occurred, and sent straight into the partner's queue with their
original ids (the envelope as it was, ``crm-replay`` naming the replay); the cursor moves in
the same transaction. A partner's queue already holding ``MAX_QUEUED`` messages pauses its
replay until the partner has read them (its queue drops its oldest beyond 100,000): the
replay never pushes out what it sends. At least once: a window sent and not committed (the
gateway stopped) is sent again; partners deduplicate by the message id, as they do anyway."""

import json
from typing import TYPE_CHECKING, Any
from uuid import UUID

import sqlalchemy as sa
from kit.bus import Message
from kit.bus.base import EVENT_HEADER, TENANT_HEADER
from kit.db import asyncpg_dsn
from kit.worker import NotifiedWorker
from opentelemetry.instrumentation.utils import suppress_instrumentation

from gateway.adapters.orm import Partner, PartnerReplay
from gateway.adapters.webhook_orm import FeedEvent

if TYPE_CHECKING:
    from gateway.bootstrap import GatewayRuntime

CHANNEL = "partner_replays_gateway"
WINDOW = 200
MAX_QUEUED = 10_000
REPLAY_HEADER = "crm-replay"


class PartnerReplaySender(NotifiedWorker):
    def __init__(self, runtime: "GatewayRuntime", *, poll_interval_s: float = 5.0) -> None:
        super().__init__(name="partner-replays", dsn=asyncpg_dsn(runtime.settings.database_url),
                         channel=CHANNEL, poll_interval_s=poll_interval_s)  # fmt: skip
        self._runtime = runtime

    async def drain_once(self) -> int:
        """One window of the oldest open replay whose partner has room; 0: none to do now."""
        with suppress_instrumentation():  # polling is no business flow
            candidates = await self._open_replays()
        for replay_id, tenant_id, queue in candidates:
            ready = await self._runtime.bus.ready_in(queue)
            if ready is None or ready >= MAX_QUEUED:
                continue  # the partner's queue is gone or full enough: later
            tx = self._runtime.transactions(tenant_id=tenant_id)
            sent = await tx.run(lambda uow, r=replay_id: self._window(r, uow=uow))
            if sent:
                return sent
        return 0

    async def _open_replays(self) -> list[tuple[UUID, UUID, str]]:
        engine = self._runtime.engine
        assert engine is not None
        async with engine.connect() as conn:
            rows = await conn.execute(sa.text(
                "SELECT r.id, r.tenant_id, p.queue FROM partner_replays r "
                "JOIN partners p ON p.id = r.partner_id WHERE r.finished_at IS NULL "
                "ORDER BY r.requested_at LIMIT 20"))  # fmt: skip
            return [(r[0], r[1], r[2]) for r in rows]

    async def _window(self, replay_id: UUID, *, uow: Any) -> int:
        s = uow.session
        replay = await s.scalar(
            sa.select(PartnerReplay).where(PartnerReplay.id == replay_id,
                                           PartnerReplay.finished_at.is_(None))
            .with_for_update(skip_locked=True))  # fmt: skip
        if replay is None:
            return 0  # finished, or another replica is sending this window
        partner = await s.get(Partner, replay.partner_id)
        if partner is None:  # deleted meanwhile (its replays go with it)
            return 0
        f = FeedEvent
        query = sa.select(f.event_id, f.routing_key, f.occurred_at, f.envelope).where(
            f.routing_key.in_(list(partner.event_types)),
            f.occurred_at >= replay.range_from, f.occurred_at < replay.range_to,
        )  # fmt: skip
        if replay.cursor_at is not None:
            query = query.where(sa.tuple_(f.occurred_at, f.event_id)
                                > sa.tuple_(sa.literal(replay.cursor_at),
                                            sa.literal(replay.cursor_event_id)))  # fmt: skip
        rows = (await s.execute(query.order_by(f.occurred_at, f.event_id).limit(WINDOW))).all()
        for row in rows:  # one by one, confirmed: the partner reads them in order
            await self._runtime.bus.send_to_queue(partner.queue, _message(row, replay))
        if rows:
            replay.cursor_at, replay.cursor_event_id = rows[-1].occurred_at, rows[-1].event_id
            replay.published += len(rows)
        if len(rows) < WINDOW:
            replay.finished_at = self._runtime.clock.now()
        return max(len(rows), 1)  # a finished replay counts: look for the next one


def _message(row: Any, replay: PartnerReplay) -> Message:
    return Message(
        routing_key=row.routing_key,
        body=json.dumps(row.envelope, ensure_ascii=False).encode(),
        message_id=str(row.event_id),
        headers={
            TENANT_HEADER: str(replay.tenant_id),
            EVENT_HEADER: row.routing_key,
            REPLAY_HEADER: str(replay.id),
        },
    )


async def notify(session: Any) -> None:
    """Wake the replay worker of every replica at commit."""
    await session.execute(sa.select(sa.func.pg_notify(CHANNEL, "")))


def partner_replay_sender(runtime: "GatewayRuntime") -> PartnerReplaySender:
    return PartnerReplaySender(runtime)
