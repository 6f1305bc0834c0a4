"""The feed log and the tenant's webhook endpoints, deliveries and attempts, scoped by the
unit of work's tenant (the delivery worker's cross-tenant claims are in webhook_delivery)."""

from datetime import datetime
from uuid import UUID

import sqlalchemy as sa
from contracts import Envelope
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.adapters.webhook_orm import (
    FeedEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookReplay,
)

CHANNEL = "webhooks_gateway"  # the delivery worker LISTENs here


class WebhookRepository:
    def __init__(self, session: AsyncSession, *, tenant_id: UUID | None) -> None:
        self._session = session
        self._tenant_id = tenant_id

    async def record_event(self, envelope: Envelope, *, now: datetime) -> int:
        """The event into the feed log and one delivery per active endpoint subscribed to
        it, in the consumer's transaction; a NOTIFY wakes the delivery worker at commit.
        Returns how many deliveries were queued."""
        stored = await self._session.execute(
            insert(FeedEvent)
            .values(
                event_id=envelope.event_id,
                tenant_id=envelope.tenant_id,
                routing_key=envelope.routing_key,
                occurred_at=envelope.occurred_at,
                recorded_at=now,
                envelope=envelope.model_dump(mode="json"),
            )
            .on_conflict_do_nothing(index_elements=["event_id"])
        )
        if not stored.rowcount:  # type: ignore[attr-defined]
            return 0
        e = WebhookEndpoint
        chosen = sa.select(
            e.tenant_id, e.id, sa.literal(envelope.event_id, sa.Uuid),
            sa.literal(envelope.routing_key), sa.literal("pending"), sa.literal(now, e.created_at.type),
            sa.literal(now, e.created_at.type),
        ).where(
            e.tenant_id == envelope.tenant_id, e.status == "active",
            e.event_types.any_() == envelope.routing_key,
        )  # fmt: skip
        queued = await self._session.execute(
            sa.insert(WebhookDelivery)
            .from_select(
                [
                    "tenant_id",
                    "endpoint_id",
                    "event_id",
                    "routing_key",
                    "status",
                    "created_at",
                    "next_attempt_at",
                ],
                chosen,
            )
            .returning(WebhookDelivery.id)
        )
        count = len(queued.all())
        if count:
            await self._session.execute(sa.select(sa.func.pg_notify(CHANNEL, "")))
        return count

    async def notify(self) -> None:
        await self._session.execute(sa.select(sa.func.pg_notify(CHANNEL, "")))

    # --- endpoints (the admin API) ---

    def add(self, row: object) -> None:
        self._session.add(row)

    async def endpoints(self) -> list[WebhookEndpoint]:
        query = sa.select(WebhookEndpoint).order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
        return list(await self._session.scalars(query))

    async def endpoint(
        self, *, endpoint_id: UUID, for_update: bool = False
    ) -> WebhookEndpoint | None:
        query = sa.select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
        if for_update:
            query = query.with_for_update()
        return await self._session.scalar(query)

    async def delete(self, endpoint: WebhookEndpoint) -> None:
        await self._session.delete(endpoint)

    async def deliveries(self, *, endpoint_id: UUID, limit: int) -> list[WebhookDelivery]:
        query = (
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
        return list(await self._session.scalars(query))

    async def attempts(self, *, delivery_ids: list[int]) -> dict[int, list[WebhookAttempt]]:
        found: dict[int, list[WebhookAttempt]] = {i: [] for i in delivery_ids}
        if not delivery_ids:
            return found
        query = (
            sa.select(WebhookAttempt)
            .where(WebhookAttempt.delivery_id.in_(delivery_ids))
            .order_by(WebhookAttempt.id)
        )
        for attempt in await self._session.scalars(query):
            found[attempt.delivery_id].append(attempt)
        return found

    async def replays(self, *, endpoint_id: UUID) -> list[WebhookReplay]:
        query = (
            sa.select(WebhookReplay)
            .where(WebhookReplay.endpoint_id == endpoint_id)
            .order_by(WebhookReplay.requested_at.desc())
            .limit(20)
        )
        return list(await self._session.scalars(query))

    async def events_in(self, *, start: datetime, end: datetime, kinds: list[str]) -> int:
        query = sa.select(sa.func.count()).where(
            FeedEvent.occurred_at >= start, FeedEvent.occurred_at < end,
            FeedEvent.routing_key.in_(kinds),
        )  # fmt: skip
        return int(await self._session.scalar(query) or 0)
