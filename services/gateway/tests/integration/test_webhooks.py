"""Signed webhooks on the real PostgreSQL and RabbitMQ (issue 16): events the gateway's own
outbox publishes come back through its consumer into the feed log and out to a local HTTP
receiver (kit.webhook_sink), signed as Standard Webhooks, verified here with the reference
library (``standardwebhooks``). Time is the runtime's ManualClock: a retry schedule of a day
and a half, five days of failures and a month of replay run in seconds."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine
from contracts.gateway import StoreChangedV1
from gateway.adapters.orm import Tenant, User
from gateway.adapters.webhook_delivery import WebhookSender
from gateway.bootstrap import GatewayRuntime, build_runtime
from gateway.domain import webhooks
from gateway.settings import GatewaySettings
from gateway.use_cases import webhooks as use_cases
from kit.clock import ManualClock
from kit.errors import Invalid
from kit.mailsink import MailSink
from kit.metrics import exposition
from kit.settings import CommonSettings
from kit.testing import delete_bus_namespace, unique_name
from kit.webhook_sink import Received, WebhookSink
from standardwebhooks.webhooks import Webhook

pytestmark = [pytest.mark.database, pytest.mark.broker]
DELAYS = [100]
ALL = ["gateway.store_changed.v1"]


class World:
    def __init__(self, runtime: GatewayRuntime, sink: WebhookSink, mails: MailSink) -> None:
        self.runtime, self.sink, self.mails = runtime, sink, mails
        self.clock = ManualClock(datetime.now(UTC).replace(microsecond=0))
        runtime.clock = self.clock
        self.tenant_id = uuid.uuid4()

    @property
    def sender(self) -> WebhookSender:
        return self.runtime.workers["webhooks"]  # type: ignore[return-value]

    async def company(self) -> None:
        async def work(uow) -> None:  # type: ignore[no-untyped-def]
            uow.session.add(Tenant(id=self.tenant_id, slug=unique_name("co"), name="(株)テスト",
                                   industry="real_estate", business_types=["real_estate"]))  # fmt: skip
            await uow.session.flush()
            uow.session.add(User(id=uuid.uuid4(), tenant_id=self.tenant_id, password_hash="x",
                                 email=f"{uuid.uuid4().hex[:8]}@co.example", role="admin",
                                 display_name="管理 花子"))  # fmt: skip

        await self.runtime.transactions(tenant_id=self.tenant_id).run(work)

    async def endpoint(self, url: str, kinds: list[str] = ALL) -> tuple[uuid.UUID, str]:
        change = use_cases.EndpointChange(url=url, event_types=kinds)
        found, secret = await self.runtime.transactions(tenant_id=self.tenant_id).run(
            lambda uow: use_cases.create_endpoint(change, allow_http=False, now=self.clock.now(),
                                                  uow=uow))  # fmt: skip
        return found.id, secret

    async def emit(self, n: int = 1) -> list[uuid.UUID]:
        events = [StoreChangedV1(store_id=uuid.uuid4(), code=f"{i:011d}", name=f"店舗{i}",
                                 changed_at=datetime.now(UTC)) for i in range(n)]  # fmt: skip

        async def work(uow):  # type: ignore[no-untyped-def]
            return await uow.outbox.add_many(events, tenant_id=self.tenant_id)

        envelopes = await self.runtime.transactions(tenant_id=self.tenant_id).run(work)
        ids = [e.event_id for e in envelopes]
        await self.until(lambda: self.rows(
            "SELECT count(*) FROM feed_events WHERE event_id = ANY(:ids)", ids=ids),
            lambda found: found[0][0] == n)  # fmt: skip
        return ids

    async def rows(self, sql: str, **params: object) -> list[tuple]:
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            return [tuple(r) for r in await conn.execute(sa.text(sql), params)]

    async def until(self, read, done: Callable[..., bool], timeout: float = 20):  # type: ignore[no-untyped-def]
        async with asyncio.timeout(timeout):
            while not done(found := await read()):
                await asyncio.sleep(0.03)
        return found

    async def attempts(self, endpoint_id: uuid.UUID) -> list[tuple]:
        return await self.rows(
            "SELECT d.event_id, a.attempted_at, a.status_code, a.error FROM webhook_attempts a "
            "JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.endpoint_id = :e "
            "ORDER BY a.id", e=endpoint_id)  # fmt: skip

    async def settle(self, endpoint_id: uuid.UUID, count: int) -> list[tuple]:
        """Wake the sender and wait until the endpoint has had ``count`` attempts."""
        self.sender.wake()
        return await self.until(lambda: self.attempts(endpoint_id), lambda a: len(a) >= count)

    async def advance(self, delta: timedelta) -> None:
        self.clock.advance(delta)
        self.sender.wake()


@pytest.fixture
async def world(database_factory, amqp_url) -> AsyncIterator[World]:  # type: ignore[no-untyped-def]
    mails = MailSink()
    await mails.start()
    namespace = unique_name("wh")
    common = CommonSettings(bus="amqp", amqp_url=amqp_url, bus_namespace=namespace,
                            retry_delays_ms=DELAYS, outbox_poll_interval_s=0.2,
                            smtp_host="127.0.0.1", smtp_port=mails.port,
                            mail_poll_interval_s=0.2)  # fmt: skip
    settings = GatewaySettings(database_url=database_factory("gateway"), db_pool_size=4,
                               webhook_timeout_s=1.0, webhook_per_endpoint=2,
                               webhook_poll_interval_s=0.2)  # fmt: skip
    runtime = build_runtime(settings, common=common)
    sink = WebhookSink()
    await sink.start()
    await runtime.start()
    world = World(runtime, sink, mails)
    await world.company()
    try:
        yield world
    finally:
        await world.runtime.stop()  # a test may have restarted it
        await sink.stop()
        await mails.stop()
        await delete_bus_namespace(amqp_url, namespace, queues=("gateway.events",),
                                   retry_delays_ms=DELAYS)  # fmt: skip


def verified(request: Received, secret: str) -> dict:
    """The reference algorithm, at the moment the request was signed (the clock is moved)."""
    moment = datetime.fromtimestamp(int(request.headers["webhook-timestamp"]), UTC)
    with time_machine.travel(moment, tick=False):
        return Webhook(secret).verify(request.body, request.headers)


async def test_a_receiver_that_fails_then_recovers_gets_every_event_once_signed(
    world: World,
) -> None:
    url = world.sink.on("/flaky", lambda n: (500, 0) if n < 3 else (200, 0))
    endpoint_id, secret = await world.endpoint(url)
    assert secret.startswith("whsec_") and len(secret) == len("whsec_") + 44
    start = world.clock.now()
    ids = await world.emit(3)

    first = await world.settle(endpoint_id, 3)
    assert sorted(e for e, *_ in first) == sorted(ids)
    assert {(at, code) for _, at, code, _ in first} == {(start, 500)}
    await world.advance(timedelta(seconds=5))
    attempts = await world.settle(endpoint_id, 6)
    assert [(at - start, code) for _, at, code, _ in attempts[3:]] == [
        (timedelta(seconds=5), 200)
    ] * 3

    delivered = [r for r in world.sink.at("/flaky")][3:]
    assert sorted(uuid.UUID(r.headers["webhook-id"]) for r in delivered) == sorted(ids)
    for request in world.sink.at("/flaky"):
        envelope = verified(request, secret)
        assert envelope["event_id"] == request.headers["webhook-id"]
        assert envelope["tenant_id"] == str(world.tenant_id)
    states = await world.rows("SELECT status, attempts FROM webhook_deliveries WHERE endpoint_id = :e",
                              e=endpoint_id)  # fmt: skip
    assert states == [("delivered", 2)] * 3
    # /metrics: each attempt counted by its outcome, the receiver's time, nothing left due
    metrics = world.runtime.metrics
    sample = metrics.registry.get_sample_value
    for outcome, count in (("failed", 3), ("delivered", 3)):
        labels = {"service": "gateway", "outcome": outcome}
        assert sample("crm_webhook_deliveries_total", labels) == count
    assert sample("crm_webhook_delivery_duration_seconds_count", {"service": "gateway"}) == 6
    text = (await exposition([world.runtime])).decode()
    assert 'crm_webhook_pending_deliveries{service="gateway"} 0.0' in text


async def test_the_retries_follow_the_schedule_then_fail_for_good(world: World) -> None:
    url = world.sink.on("/down", lambda n: (503, 0))
    endpoint_id, _ = await world.endpoint(url)
    start = world.clock.now()
    [event_id] = await world.emit(1)
    await world.settle(endpoint_id, 1)
    for n, step in enumerate(webhooks.RETRY_SCHEDULE, start=2):
        # a moment before it is due, nothing is sent; at the time, the next attempt
        await world.advance(step - timedelta(seconds=1))
        await world.advance(timedelta(seconds=1))
        await world.settle(endpoint_id, n)
    attempts = await world.attempts(endpoint_id)
    offsets = [at - start for _, at, _, _ in attempts]
    expected = [timedelta(0)]
    for step in webhooks.RETRY_SCHEDULE:
        expected.append(expected[-1] + step)
    assert offsets == expected  # 0, 5 s, 5 min 5 s, … 27 h 35 min 5 s
    assert {e for e, *_ in attempts} == {event_id}
    [(status, count)] = await world.rows(
        "SELECT status, attempts FROM webhook_deliveries WHERE endpoint_id = :e", e=endpoint_id
    )
    assert (status, count) == ("failed", 8)


async def test_a_hanging_receiver_is_bounded_and_another_endpoint_is_served(world: World) -> None:
    hang = world.sink.on("/hang", lambda n: (200, 3.0))
    hung_id, _ = await world.endpoint(hang)
    ok_id, _ = await world.endpoint(world.sink.on("/ok", lambda n: (204, 0)))
    ids = await world.emit(6)
    # Every event reaches the healthy endpoint while the hanging one holds its two slots.
    served = await world.settle(ok_id, 6)
    assert sorted(e for e, *_ in served) == sorted(ids)
    hung = await world.settle(hung_id, 2)
    assert {(code, error) for _, _, code, error in hung} == {(None, "ReadTimeout")}
    pending = await world.rows("SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = :e "
                               "AND status = 'pending'", e=hung_id)  # fmt: skip
    assert pending == [(6,)]  # each will be tried again, none lost


async def test_a_redirect_is_a_failure_and_is_not_followed(world: World) -> None:
    endpoint_id, _ = await world.endpoint(world.sink.on("/moved", lambda n: (302, 0)))
    await world.emit(1)
    [(_, _, code, error)] = await world.settle(endpoint_id, 1)
    assert (code, error) == (302, "redirect")
    assert world.sink.at("/elsewhere") == []
    [(status,)] = await world.rows("SELECT status FROM webhook_deliveries WHERE endpoint_id = :e",
                                   e=endpoint_id)  # fmt: skip
    assert status == "pending"


async def test_410_unsubscribes_the_endpoint(world: World) -> None:
    endpoint_id, _ = await world.endpoint(world.sink.on("/gone", lambda n: (410, 0)))
    await world.emit(1)
    await world.settle(endpoint_id, 1)
    [(status, reason)] = await world.rows(
        "SELECT status, disabled_reason FROM webhook_endpoints WHERE id = :e", e=endpoint_id
    )
    assert status == "disabled" and "410" in reason
    labels = {"service": "gateway", "outcome": "gone"}
    assert (
        world.runtime.metrics.registry.get_sample_value("crm_webhook_deliveries_total", labels) == 1
    )
    await world.emit(1)  # a later event is not queued for it
    assert await world.rows("SELECT status FROM webhook_deliveries WHERE endpoint_id = :e",
                            e=endpoint_id) == [("failed",)]  # fmt: skip


async def test_five_days_of_500_disable_the_endpoint_and_mail_the_admins(world: World) -> None:
    endpoint_id, _ = await world.endpoint(world.sink.on("/broken", lambda n: (500, 0)))
    await world.emit(1)
    await world.settle(endpoint_id, 1)
    await world.advance(timedelta(days=2))
    await world.emit(1)
    await world.settle(endpoint_id, 3)  # the first one's retry and the new event
    [(status,)] = await world.rows(
        "SELECT status FROM webhook_endpoints WHERE id = :e", e=endpoint_id
    )
    assert status == "active"  # two days of failures: not yet
    await world.advance(timedelta(days=3))
    await world.emit(1)
    await world.until(lambda: world.rows(
        "SELECT status, disabled_reason FROM webhook_endpoints WHERE id = :e", e=endpoint_id),
        lambda r: r[0][0] == "disabled")  # fmt: skip
    async with asyncio.timeout(20):
        while not world.mails.messages:
            await asyncio.sleep(0.05)
    [mail] = world.mails.messages
    assert "Webhook の配信を停止しました" in mail["Subject"]
    assert "5日間" in mail.get_content() and world.sink.url("/broken") in mail.get_content()


async def test_a_rotation_signs_with_both_secrets_until_the_old_one_expires(world: World) -> None:
    endpoint_id, old = await world.endpoint(world.sink.on("/rotating", lambda n: (200, 0)))
    _, new = await world.runtime.transactions(tenant_id=world.tenant_id).run(
        lambda uow: use_cases.rotate_secret(endpoint_id, admin=True, now=world.clock.now(), uow=uow)
    )
    await world.emit(1)
    await world.settle(endpoint_id, 1)
    [during] = world.sink.at("/rotating")
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    verified(during, old), verified(during, new)  # a receiver with either one accepts
    await world.advance(webhooks.ROTATION_GRACE)
    await world.emit(1)
    await world.settle(endpoint_id, 2)
    after = world.sink.at("/rotating")[1]
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    verified(after, new)
    with pytest.raises(Exception, match="No matching signature"):
        verified(after, old)


async def test_a_replay_of_30_days_sends_the_original_ids_and_a_year_is_refused(
    world: World,
) -> None:
    slow = world.sink.on("/replayed", lambda n: (200, 0.05))
    replay_id_, _ = await world.endpoint(slow)
    live_id, _ = await world.endpoint(world.sink.on("/live", lambda n: (200, 0)))
    now = world.clock.now()
    # The log as a month of events has left it: 60 in the range, one older, one of a type the
    # endpoint does not take, one of another tenant.
    month = [(uuid.uuid4(), now - timedelta(days=30) + timedelta(hours=12 * i)) for i in range(60)]
    others = [
        (uuid.uuid4(), now - timedelta(days=40), world.tenant_id, ALL[0]),
        (uuid.uuid4(), now - timedelta(days=3), world.tenant_id, "orders.order_placed.v1"),
        (uuid.uuid4(), now - timedelta(days=3), uuid.uuid4(), ALL[0]),
    ]
    async with world.runtime.engine.begin() as conn:  # type: ignore[union-attr]
        rows = [(e, at, world.tenant_id, ALL[0]) for e, at in month] + others
        for event_id, at, tenant, kind in rows:
            await conn.execute(sa.text(
                "INSERT INTO feed_events VALUES (:e, :t, :k, :at, :at, CAST(:env AS jsonb))"),
                {"e": event_id, "t": tenant, "k": kind, "at": at,
                 "env": f'{{"event_id": "{event_id}", "routing_key": "{kind}"}}'})  # fmt: skip

    async def ask(start: datetime, end: datetime):  # type: ignore[no-untyped-def]
        return await world.runtime.transactions(tenant_id=world.tenant_id).run(
            lambda uow: use_cases.replay(replay_id_, admin=True, start=start, end=end, now=world.clock.now(),
                                         requested_by=None, uow=uow))  # fmt: skip

    with pytest.raises(Invalid) as refused:
        await ask(now - timedelta(days=365), now)
    assert refused.value.code == "replay_too_long" and "31日" in refused.value.message
    _, count = await ask(now - timedelta(days=30), now)
    assert count == 60
    # A live event for another endpoint is not held behind the replay's month.
    [live] = await world.emit(1)
    await world.settle(live_id, 1)
    assert len(world.sink.at("/replayed")) < 61
    await world.settle(replay_id_, 61)  # the month and the live event
    sent = [uuid.UUID(r.headers["webhook-id"]) for r in world.sink.at("/replayed")]
    assert sorted(sent) == sorted([e for e, _ in month] + [live])
    [(enqueued, finished)] = await world.rows(
        "SELECT enqueued, finished_at IS NOT NULL FROM webhook_replays"
    )
    assert (enqueued, finished) == (60, True)


async def test_a_gateway_stopped_mid_request_delivers_after_its_restart(world: World) -> None:
    """The delivery is a row: a gateway stopped while the receiver still holds the request
    leaves it leased; the next gateway on the same database sends it once the lease is out,
    with the same webhook-id."""
    slow = {"hang": True}
    url = world.sink.on("/restart", lambda n: (200, 3.0) if slow["hang"] else (200, 0))
    endpoint_id, secret = await world.endpoint(url)
    ids = await world.emit(2)
    await world.until(lambda: asyncio.sleep(0, world.sink.at("/restart")), lambda r: len(r) == 2)
    await world.runtime.stop()  # mid-request: nothing recorded
    assert await world.attempts(endpoint_id) == []
    slow["hang"] = False
    runtime = build_runtime(world.runtime.settings, common=world.runtime.common)  # type: ignore[arg-type]
    await runtime.start()
    world.runtime = runtime
    runtime.clock = world.clock
    await world.advance(timedelta(minutes=3))  # past the lease (two timeouts and a minute)
    attempts = await world.settle(endpoint_id, 2)
    assert sorted(e for e, *_ in attempts) == sorted(ids)
    again = world.sink.at("/restart")[2:]
    assert sorted(uuid.UUID(r.headers["webhook-id"]) for r in again) == sorted(ids)
    for request in again:
        verified(request, secret)


async def test_the_feed_log_keeps_35_days(world: World) -> None:
    [kept] = await world.emit(1)
    old = uuid.uuid4()
    async with world.runtime.engine.begin() as conn:  # type: ignore[union-attr]
        await conn.execute(sa.text(
            "INSERT INTO feed_events VALUES (:e, :t, :k, :at, :at, CAST('{}' AS jsonb))"),
            {"e": old, "t": world.tenant_id, "k": ALL[0],
             "at": world.clock.now() - timedelta(days=35, minutes=1)})  # fmt: skip
    pruner = world.runtime.workers["feed-pruner"]
    assert await pruner.drain_once() == 1  # type: ignore[attr-defined]
    left = await world.rows("SELECT event_id FROM feed_events")
    assert left == [(kept,)]
