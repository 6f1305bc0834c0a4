"""The webhook sender (issue 16): a kit worker that claims due deliveries, POSTs each event
signed the Standard Webhooks way, and records every attempt.

A claim is a short transaction (``FOR UPDATE SKIP LOCKED``: replicas share the rows) that
leases the row by moving its ``next_attempt_at`` past the request's timeout; the POST runs
outside any transaction, and its outcome is written in another. A gateway that dies
mid-request leaves the lease to expire: the delivery is sent again with the same
``webhook-id`` (at-least-once, as receivers are told).

Fairness: at most ``concurrency`` requests in flight per process and ``per_endpoint`` of them
to one endpoint, so a receiver that hangs holds a few slots for at most the timeout and the
other endpoints go on; live deliveries are claimed before replayed ones, and a replay is
turned into deliveries a window at a time (``REPLAY_WINDOW``)."""

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import httpx
import sqlalchemy as sa
from kit.db import asyncpg_dsn, unscoped
from kit.logging import get_logger
from kit.worker import NotifiedWorker
from opentelemetry.instrumentation.utils import suppress_instrumentation

from gateway.adapters.orm import Tenant, User
from gateway.adapters.webhook_orm import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from gateway.adapters.webhook_repository import CHANNEL
from gateway.domain import webhooks

if TYPE_CHECKING:
    from gateway.bootstrap import GatewayRuntime

log = get_logger("gateway.webhooks")

REPLAY_WINDOW = 100  # pending deliveries a replay may have at once
LEASE_MARGIN = timedelta(seconds=60)

# The oldest due rows, live ones and replayed ones each a window of their own (a replay's
# older rows never hide a live one), ranked per endpoint so that one endpoint takes at most
# ``per_endpoint`` of a claim; the partial index on due rows serves both windows.
_CLAIM = sa.text("""
WITH due AS (
    (SELECT d.id, d.endpoint_id, false AS replayed, d.next_attempt_at FROM webhook_deliveries d
     WHERE d.status = 'pending' AND d.next_attempt_at <= :now AND d.replay_id IS NULL
       AND d.endpoint_id <> ALL(CAST(:full AS uuid[])) AND d.id <> ALL(CAST(:flying AS bigint[]))
     ORDER BY d.next_attempt_at LIMIT :window)
    UNION ALL
    (SELECT d.id, d.endpoint_id, true, d.next_attempt_at FROM webhook_deliveries d
     WHERE d.status = 'pending' AND d.next_attempt_at <= :now AND d.replay_id IS NOT NULL
       AND d.endpoint_id <> ALL(CAST(:full AS uuid[])) AND d.id <> ALL(CAST(:flying AS bigint[]))
     ORDER BY d.next_attempt_at LIMIT :window)
), ranked AS (
    SELECT due.*, row_number() OVER (PARTITION BY due.endpoint_id
                                     ORDER BY due.replayed, due.next_attempt_at, due.id) AS rn
    FROM due JOIN webhook_endpoints e ON e.id = due.endpoint_id WHERE e.status = 'active'
), picked AS (
    SELECT d.id FROM webhook_deliveries d JOIN ranked r ON r.id = d.id
    WHERE r.rn <= :per_endpoint AND d.status = 'pending'
    ORDER BY r.replayed, r.next_attempt_at, d.id
    LIMIT :n
    FOR UPDATE OF d SKIP LOCKED
)
UPDATE webhook_deliveries d SET next_attempt_at = :lease_until
FROM picked WHERE d.id = picked.id
RETURNING d.id
""")

# A success, the common case, in one statement: the attempt, the delivery, and the
# endpoint's failure streak ended (a row lock only when there was one).
_DELIVERED = sa.text("""
WITH attempt AS (
    INSERT INTO webhook_attempts (tenant_id, delivery_id, attempted_at, status_code, error, latency_ms)
    VALUES (:tenant_id, :id, :now, :code, NULL, :latency_ms)
), delivery AS (
    UPDATE webhook_deliveries SET status = 'delivered', finished_at = :now, attempts = :attempts,
        last_status_code = :code, last_error = NULL
    WHERE id = :id
)
UPDATE webhook_endpoints SET failing_since = NULL WHERE id = :endpoint_id AND failing_since IS NOT NULL
""")
WINDOW = 500
REPLAYS_EVERY_S = 1.0


_LOAD = sa.text("""
SELECT d.id, d.tenant_id, d.endpoint_id, d.event_id, d.attempts, e.url, e.secret,
       e.previous_secret, e.previous_secret_until, f.envelope
FROM webhook_deliveries d
JOIN webhook_endpoints e ON e.id = d.endpoint_id
JOIN feed_events f ON f.event_id = d.event_id
WHERE d.id = ANY(CAST(:ids AS bigint[]))
""")


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    latency_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        return self.status_code == 410


def body_of(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookSender(NotifiedWorker):
    def __init__(
        self,
        runtime: "GatewayRuntime",
        *,
        timeout_s: float,
        concurrency: int,
        per_endpoint: int,
        poll_interval_s: float,
    ) -> None:
        super().__init__(
            name="webhooks",
            dsn=asyncpg_dsn(runtime.settings.database_url),
            channel=CHANNEL,
            poll_interval_s=poll_interval_s,
        )
        self._runtime = runtime
        runtime.metrics.on_refresh(self._refresh_metrics)  # crm_webhook_pending_deliveries
        self._timeout_s = timeout_s
        self._concurrency = concurrency
        self._per_endpoint = per_endpoint
        self._flying: dict[int, UUID] = {}  # delivery id → endpoint, in this process
        self._tasks: set[asyncio.Task[None]] = set()
        self._replays_at = 0.0
        self._waiting: list[dict[str, Any]] = []  # leased here, for the next free slot
        self._http = httpx.AsyncClient(
            timeout=timeout_s, follow_redirects=False, trust_env=False,
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
            headers={"user-agent": "crm-webhooks/1", "content-type": "application/json"},
        )  # fmt: skip

    def _now(self) -> datetime:
        return self._runtime.clock.now()

    async def stop(self) -> None:
        await super().stop()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)
        await self._http.aclose()

    async def health(self) -> dict[str, int]:
        return {"webhook_lag": await self._due()}

    async def _due(self) -> int:
        with suppress_instrumentation():
            async with self._runtime.engine.connect() as conn:  # type: ignore[union-attr]
                count = await conn.scalar(sa.text(
                    "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' "
                    "AND next_attempt_at <= :now"), {"now": self._now()})  # fmt: skip
        return int(count or 0)

    async def _refresh_metrics(self) -> None:
        metrics = self._runtime.metrics
        metrics.webhook_pending.labels(metrics.service).set(await self._due())

    async def drain_once(self) -> int:
        with suppress_instrumentation():
            enqueued = 0
            # replays advance once a second, not at every claim (each delivery's end wakes
            # the loop for the next claim)
            if time.monotonic() - self._replays_at >= REPLAYS_EVERY_S:
                self._replays_at = time.monotonic()
                enqueued = await self._advance_replays()
            return enqueued + await self._claim()

    async def idle(self) -> None:
        """Until nothing is in flight in this process (tests, the benchmark)."""
        while self._tasks or self._waiting:
            if self._tasks:
                await asyncio.wait(set(self._tasks))
            else:
                await asyncio.sleep(0.01)

    async def _claim(self) -> int:
        """Leases up to twice the concurrency (at most twice ``per_endpoint`` per endpoint):
        the ones beyond the slots wait here, so a finished delivery starts the next at once
        without a claim of its own, and no row waits longer than two timeouts of its lease."""
        held = {**self._flying, **{r["id"]: r["endpoint_id"] for r in self._waiting}}
        room = 2 * self._concurrency - len(held)
        if room <= 0 or len(self._waiting) >= self._concurrency:
            return 0
        per: dict[UUID, int] = {}
        for endpoint in held.values():
            per[endpoint] = per.get(endpoint, 0) + 1
        full = [str(e) for e, n in per.items() if n >= 2 * self._per_endpoint]
        now = self._now()
        lease_until = now + 2 * timedelta(seconds=self._timeout_s) + LEASE_MARGIN
        engine = self._runtime.engine
        assert engine is not None
        async with engine.begin() as conn:
            ids = list((await conn.execute(_CLAIM, {
                "now": now, "full": full, "flying": list(held), "n": room,
                "per_endpoint": 2 * self._per_endpoint, "lease_until": lease_until,
                "window": WINDOW})).scalars())  # fmt: skip
            if not ids:
                return 0
            rows = (await conn.execute(_LOAD, {"ids": ids})).mappings().all()
        self._waiting.extend(dict(row) for row in rows)
        self._start_waiting()
        return len(rows)

    def _start_waiting(self) -> None:
        """Start waiting deliveries while slots are free, an endpoint at its bound skipped."""
        per: dict[UUID, int] = {}
        for endpoint in self._flying.values():
            per[endpoint] = per.get(endpoint, 0) + 1
        kept = []
        for row in self._waiting:
            endpoint = row["endpoint_id"]
            if len(self._flying) >= self._concurrency or per.get(endpoint, 0) >= self._per_endpoint:
                kept.append(row)
                continue
            per[endpoint] = per.get(endpoint, 0) + 1
            self._flying[row["id"]] = endpoint
            task = asyncio.create_task(self._deliver(row))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        self._waiting = kept

    async def _deliver(self, row: dict[str, Any]) -> None:
        try:
            outcome = await self._post(row)
            await self._record(row, outcome)
        except Exception:
            log.exception("webhook delivery not recorded; retried after its lease",
                          delivery_id=row["id"])  # fmt: skip
        finally:
            self._flying.pop(row["id"], None)
            self._start_waiting()
            if len(self._waiting) < self._concurrency:
                self.wake()

    async def _post(self, row: dict[str, Any]) -> Outcome:
        now = self._now()
        body = body_of(row["envelope"])
        msg_id, stamp = str(row["event_id"]), int(now.timestamp())
        live = webhooks.live_secrets(row["secret"], row["previous_secret"],
                                     row["previous_secret_until"], now=now)  # fmt: skip
        headers = {
            "webhook-id": msg_id,
            "webhook-timestamp": str(stamp),
            "webhook-signature": webhooks.signature_header(live, msg_id=msg_id, timestamp=stamp,
                                                           body=body),
        }  # fmt: skip
        started = time.perf_counter()
        try:
            answer = await self._http.post(row["url"], content=body, headers=headers)
            code, error = answer.status_code, None
            if answer.is_redirect or 300 <= code < 400:
                error = "redirect"  # never followed: the receiver must name its final URL
        except Exception as exc:  # a cancellation is no Exception: it still stops the worker
            # httpx.HTTPError mostly; InvalidURL and the like are not HTTPErrors but fail the
            # attempt the same way (a row that raised here would be retried forever unlogged)
            code, error = None, type(exc).__name__
        return Outcome(code, error, round((time.perf_counter() - started) * 1000))

    async def _record(self, row: dict[str, Any], outcome: Outcome) -> None:
        kind = "delivered" if outcome.delivered else "gone" if outcome.gone else "failed"
        self._runtime.metrics.webhook_attempt(kind, outcome.latency_ms / 1000)
        now = self._now()
        tenant_id: UUID = row["tenant_id"]
        if outcome.delivered:
            engine = self._runtime.engine
            assert engine is not None
            async with engine.begin() as conn:
                await conn.execute(_DELIVERED, {
                    "tenant_id": tenant_id, "id": row["id"], "now": now,
                    "code": outcome.status_code, "latency_ms": outcome.latency_ms,
                    "attempts": row["attempts"] + 1, "endpoint_id": row["endpoint_id"]})  # fmt: skip
            return

        async def work(uow: Any) -> None:
            s = uow.session
            s.add(WebhookAttempt(tenant_id=tenant_id, delivery_id=row["id"], attempted_at=now,
                                 status_code=outcome.status_code, error=outcome.error,
                                 latency_ms=outcome.latency_ms))  # fmt: skip
            attempts = row["attempts"] + 1
            change: dict[str, Any] = {"attempts": attempts,
                                      "last_status_code": outcome.status_code,
                                      "last_error": outcome.error}  # fmt: skip
            endpoint = await s.get(WebhookEndpoint, row["endpoint_id"], with_for_update=True)
            if outcome.delivered:
                change.update(status="delivered", finished_at=now)
                if endpoint is not None:
                    endpoint.failing_since = None
            else:
                retry = None if outcome.gone else webhooks.next_attempt(attempts, now=now)
                if retry is None:
                    change.update(status="failed", finished_at=now)
                else:
                    change.update(next_attempt_at=retry)
                if endpoint is not None and endpoint.status == "active":
                    await self._judge_endpoint(uow, endpoint, outcome, now=now)
            await s.execute(sa.update(WebhookDelivery)
                            .where(WebhookDelivery.id == row["id"]).values(**change))  # fmt: skip

        await self._runtime.transactions(tenant_id=tenant_id).run(work)

    async def _judge_endpoint(
        self, uow: Any, endpoint: WebhookEndpoint, outcome: Outcome, *, now: datetime
    ) -> None:
        if endpoint.failing_since is None:
            endpoint.failing_since = now
        if outcome.gone:
            reason = "受信側が 410 Gone を返したため、配信を停止しました（購読解除）。"
        elif now - endpoint.failing_since >= webhooks.DISABLE_AFTER:
            reason = "5日間、配信に失敗し続けたため、配信を停止しました。"
        else:
            return
        endpoint.status, endpoint.disabled_reason, endpoint.disabled_at = "disabled", reason, now
        endpoint.updated_at = now
        log.warning("webhook endpoint disabled", endpoint_id=str(endpoint.id),
                    status_code=outcome.status_code, error=outcome.error)  # fmt: skip
        await _tell_admins(
            uow, endpoint, reason=reason, public_url=self._runtime.settings.public_url
        )

    async def _advance_replays(self) -> int:
        """A window of each unfinished replay's events becomes deliveries, while the replay
        has fewer than REPLAY_WINDOW pending: a replay of a month never floods the table nor
        the receivers, and is resumed where it stopped after a restart."""
        engine = self._runtime.engine
        assert engine is not None
        now = self._now()
        done = 0
        async with engine.begin() as conn:
            replays = (await conn.execute(sa.text(
                "SELECT r.*, e.event_types FROM webhook_replays r "
                "JOIN webhook_endpoints e ON e.id = r.endpoint_id "
                "WHERE r.finished_at IS NULL AND e.status = 'active' "
                "ORDER BY r.requested_at LIMIT 10 FOR UPDATE OF r SKIP LOCKED"))).mappings().all()  # fmt: skip
            for r in replays:
                pending = await conn.scalar(sa.text(
                    "SELECT count(*) FROM webhook_deliveries "
                    "WHERE replay_id = :r AND status = 'pending'"), {"r": r["id"]})  # fmt: skip
                room = REPLAY_WINDOW - int(pending or 0)
                if room <= 0:
                    continue
                events = (await conn.execute(sa.text(
                    "SELECT event_id, routing_key, occurred_at FROM feed_events "
                    "WHERE tenant_id = :t AND routing_key = ANY(:kinds) "
                    "AND occurred_at >= :start AND occurred_at < :end "
                    "AND (CAST(:at AS timestamptz) IS NULL "
                    "     OR (occurred_at, event_id) > (:at, CAST(:eid AS uuid))) "
                    "ORDER BY occurred_at, event_id LIMIT :n"), {
                        "t": r["tenant_id"], "kinds": list(r["event_types"]),
                        "start": r["range_from"], "end": r["range_to"], "at": r["cursor_at"],
                        "eid": r["cursor_event_id"], "n": room})).all()  # fmt: skip
                if events:
                    await conn.execute(sa.insert(WebhookDelivery.__table__), [
                        {"tenant_id": r["tenant_id"], "endpoint_id": r["endpoint_id"],
                         "event_id": e.event_id, "routing_key": e.routing_key,
                         "replay_id": r["id"], "status": "pending", "attempts": 0,
                         "created_at": now, "next_attempt_at": now} for e in events])  # fmt: skip
                last = events[-1] if events else None
                await conn.execute(sa.text(
                    "UPDATE webhook_replays SET enqueued = enqueued + :k, "
                    "cursor_at = COALESCE(:at, cursor_at), "
                    "cursor_event_id = COALESCE(CAST(:eid AS uuid), cursor_event_id), "
                    "finished_at = CASE WHEN :k < :room THEN CAST(:now AS timestamptz) END "
                    "WHERE id = :r"), {
                        "k": len(events), "room": room, "now": now, "r": r["id"],
                        "at": last.occurred_at if last else None,
                        "eid": last.event_id if last else None})  # fmt: skip
                done += len(events)
        return done


async def _tell_admins(
    uow: Any, endpoint: WebhookEndpoint, *, reason: str, public_url: str
) -> None:
    """A mail to each active 管理者 of the tenant (the mail queue, in this transaction)."""
    s = uow.session
    tenant = await s.get(Tenant, endpoint.tenant_id)
    with unscoped(s):
        admins = list(await s.scalars(sa.select(User).where(
            User.tenant_id == endpoint.tenant_id, User.role == "admin", User.active)))  # fmt: skip
    company = tenant.name if tenant else "顧客管理"
    for admin in admins:
        await uow.mail.add(
            tenant_id=endpoint.tenant_id,
            recipient=admin.email,
            subject=f"【{company}】Webhook の配信を停止しました",
            body=(
                f"{admin.display_name} 様\n\n"
                f"Webhook の送信先 {endpoint.url} への配信を停止しました。\n"
                f"理由: {reason}\n\n"
                "受信側を確認のうえ、設定 > Webhook から送信先を有効に戻してください。"
                "停止中のイベントは、有効に戻すと送信されます（再送も依頼できます）。\n\n"
                f"{public_url.rstrip('/')}/settings/webhooks/{endpoint.id}\n"
            ),
        )


def webhook_sender(runtime: "GatewayRuntime") -> WebhookSender:
    s = runtime.settings
    return WebhookSender(
        runtime, timeout_s=s.webhook_timeout_s, concurrency=s.webhook_concurrency,
        per_endpoint=s.webhook_per_endpoint, poll_interval_s=s.webhook_poll_interval_s,
    )  # fmt: skip
