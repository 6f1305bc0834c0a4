"""パートナー連携 through the gateway on the real RabbitMQ (GW-4, decision 104): an admin
creates a partner of its company by the API; the partner, written with pika, reads the
company's events of its subscription from its queue and validates each against the JSON
Schema of the AsyncAPI document the gateway serves; a second company's events never reach
it; an unknown event type is 422; a rotation answers a new password; deleting the partner
closes the connection it holds open and answers 404 afterwards."""

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pika
import pika.exceptions
import pytest
import sqlalchemy as sa
from gateway.bootstrap import build_runtime
from gateway.entrypoints.http import create_app
from gateway.settings import GatewaySettings
from gateway.use_cases.tenants import NewStaff, NewTenant, provision_tenant
from jsonschema import Draft202012Validator
from kit.settings import CommonSettings
from kit.testing import delete_bus_namespace, unique_name

from tests.e2e.flows import login

pytestmark = [pytest.mark.e2e, pytest.mark.database, pytest.mark.broker]
STORE_CHANGED = "gateway.store_changed.v1"


def _connect(credentials: dict) -> pika.BlockingConnection:
    host = credentials["amqp_url"].split("//", 1)[1]
    params = pika.URLParameters(
        f"amqp://{credentials['username']}:{credentials['password']}@{host}"
    )
    params.connection_attempts, params.socket_timeout = 1, 5
    return pika.BlockingConnection(params)


def _read_until(connection: pika.BlockingConnection, queue: str, last_id: str) -> list[dict]:
    channel = connection.channel()
    got = []
    for method, props, body in channel.consume(queue, inactivity_timeout=20):
        assert method is not None, f"nothing more after {len(got)} messages"
        got.append({"headers": props.headers, "envelope": json.loads(body)})
        channel.basic_ack(method.delivery_tag)
        if props.message_id == last_id:
            break
    channel.cancel()
    return got


async def test_a_partner_reads_its_companys_events_through_the_gateways_feed(
    database_factory, amqp_url, amqp_management
) -> None:  # type: ignore[no-untyped-def]
    namespace = unique_name("t")
    common = CommonSettings(bus="amqp", amqp_url=amqp_url, bus_namespace=namespace,
                            amqp_management_url=amqp_management, retry_delays_ms=[100],
                            outbox_poll_interval_s=0.2)  # fmt: skip
    runtime = build_runtime(GatewaySettings(database_url=database_factory("gateway"),
                                            db_pool_size=3), common=common)  # fmt: skip
    await runtime.start()
    app = create_app(runtime, manage_lifecycle=False)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")
    created: list[str] = []
    try:
        tx = runtime.transactions(tenant_id=None)
        for slug in ("feed-a", "feed-b"):
            spec = NewTenant(slug=slug, name=f"{slug} 不動産", industry="real_estate",
                             portal_secret=None, stores=[("00000100101", "本店")],
                             staff=[NewStaff(f"admin@{slug}.example", "feed-admin-pass", "管理者",
                                             "admin")])  # fmt: skip
            await tx.run(lambda uow, spec=spec: provision_tenant(spec, uow=uow))
        a = await login(client, "admin@feed-a.example", "feed-admin-pass")
        b = await login(client, "admin@feed-b.example", "feed-admin-pass")

        r = await client.post("/api/v1/partners", headers=a,
                              json={"name": "物件ポータルA", "event_types": ["nobody.nothing.v1"]})  # fmt: skip
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert (detail["code"], detail["field"]) == ("unknown_event_type", "event_types")
        assert not detail["message"].isascii()
        assert (await client.get("/api/v1/partners", headers=a)).json() == []

        r = await client.post("/api/v1/partners", headers=a,
                              json={"name": "物件ポータルA", "event_types": [STORE_CHANGED]})  # fmt: skip
        assert r.status_code == 201, r.text
        partner = r.json()
        created.append(partner["id"])
        credentials = partner["credentials"]
        assert credentials["queue"] == partner["queue"] == f"{namespace}.partner.{partner['id']}"
        assert "@" not in credentials["amqp_url"]  # the address; the user comes apart
        listed = (await client.get("/api/v1/partners", headers=a)).json()
        assert [p["id"] for p in listed] == [partner["id"]] and "credentials" not in listed[0]
        assert (await client.get("/api/v1/partners", headers=b)).json() == []
        # another company's admin cannot reach it
        r = await client.delete(f"/api/v1/partners/{partner['id']}", headers=b)
        assert r.status_code == 404, r.text

        async def rename(headers: dict, name: str) -> None:
            store = (await client.get("/api/v1/stores", headers=headers)).json()[0]
            r = await client.put(f"/api/v1/stores/{store['id']}", headers=headers,
                                 json={"code": store["code"], "name": name})  # fmt: skip
            assert r.status_code == 200, r.text

        await rename(b, "B社の本店")  # never the partner's
        await rename(a, "A社の本店")
        await rename(b, "B社の新本店")
        await rename(a, "A社の新本店")
        tenant_a = (await client.get("/api/v1/me", headers=a)).json()["tenant_id"]

        async def last_event_id() -> str:
            async with runtime.engine.connect() as conn:  # type: ignore[union-attr]
                import sqlalchemy as sa
                from kit.outbox import outbox_table as t

                query = sa.select(t.c.event_id, t.c.published_at).where(
                    t.c.tenant_id == uuid.UUID(tenant_a)).order_by(t.c.id.desc()).limit(1)  # fmt: skip
                row = (await conn.execute(query)).one()
                return str(row.event_id) if row.published_at else ""

        async with asyncio.timeout(20):
            while not (last := await last_event_id()):
                await asyncio.sleep(0.1)
        connection = await asyncio.to_thread(_connect, credentials)
        got = await asyncio.to_thread(_read_until, connection, credentials["queue"], last)
        document = (await client.get("/api/v1/asyncapi.json")).json()
        channel = next(c for c in document["channels"].values() if c["address"] == STORE_CHANGED)
        ref = next(iter(channel["messages"].values()))["$ref"]
        validator = Draft202012Validator({**document, "$ref": f"{ref}/payload"})
        assert [m["envelope"]["payload"]["name"] for m in got] == ["A社の本店", "A社の新本店"]
        for message in got:
            validator.validate(message["envelope"])
            assert message["envelope"]["tenant_id"] == tenant_a
            assert message["headers"]["crm-tenant"] == tenant_a

        # A replay (decision 109): the same events again, from the feed log, with their
        # original ids, in order, naming the replay; a year is refused; not another company's.
        async def logged() -> int:
            async with runtime.engine.connect() as conn:  # type: ignore[union-attr]
                return await conn.scalar(sa.text(
                    "SELECT count(*) FROM feed_events WHERE tenant_id = :t AND routing_key = :k"),
                    {"t": uuid.UUID(tenant_a), "k": STORE_CHANGED})  # fmt: skip

        async with asyncio.timeout(20):
            while await logged() < 3:
                await asyncio.sleep(0.1)
        now = datetime.now(UTC)
        hour = {"from": (now - timedelta(hours=1)).isoformat(), "to": now.isoformat()}
        replay_path = f"/api/v1/partners/{partner['id']}/replay"
        r = await client.post(replay_path, headers=b, json=hour)
        assert r.status_code == 404, r.text
        year = {"from": (now - timedelta(days=365)).isoformat(), "to": now.isoformat()}
        r = await client.post(replay_path, headers=a, json=year)
        assert r.status_code == 422 and r.json()["detail"]["code"] == "replay_too_long", r.text
        r = await client.post(replay_path, headers=a, json=hour)
        assert r.status_code == 202, r.text
        # the company's first store (its StoreChanged came before the partner) is in the hour
        assert r.json()["events"] == await logged() == 3
        again = await asyncio.to_thread(_read_until, connection, credentials["queue"], last)
        assert len(again) == 3 and again[0]["envelope"]["payload"]["name"] == "本店"
        assert [m["envelope"]["event_id"] for m in again[1:]] == [
            m["envelope"]["event_id"] for m in got
        ]
        assert {m["headers"]["crm-replay"] for m in again} == {r.json()["id"]}
        for message in again:
            validator.validate(message["envelope"])

        # a rotation answers a new password; the old one opens nothing any more
        r = await client.post(f"/api/v1/partners/{partner['id']}/rotate", headers=a)
        assert r.status_code == 200, r.text
        rotated = r.json()["credentials"]
        assert rotated["password"] != credentials["password"]
        with pytest.raises(pika.exceptions.AMQPConnectionError):
            await asyncio.to_thread(_connect, credentials)
        connection = await asyncio.to_thread(_connect, rotated)

        r = await client.delete(f"/api/v1/partners/{partner['id']}", headers=a)
        assert r.status_code == 204, r.text
        created.clear()

        def closed() -> bool:
            try:
                connection.process_data_events(time_limit=0.2)
            except pika.exceptions.AMQPError:
                return True
            return connection.is_closed

        async with asyncio.timeout(20):
            while not await asyncio.to_thread(closed):
                await asyncio.sleep(0.1)
        assert (await client.get("/api/v1/partners", headers=a)).json() == []
        r = await client.post(f"/api/v1/partners/{partner['id']}/rotate", headers=a)
        assert r.status_code == 404, r.text
    finally:
        for partner_id in created:
            await runtime.partner_feeds.close(partner_id=uuid.UUID(partner_id))
        await client.aclose()
        await runtime.stop()
        await delete_bus_namespace(amqp_url, namespace, queues=(), retry_delays_ms=[100])
