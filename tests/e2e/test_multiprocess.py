"""The multi-process mode on the real PostgreSQL and RabbitMQ: every service its own process.
Includes the broker outage: inquiries posted while RabbitMQ is stopped all arrive after it
returns, none lost."""

import json
import shutil
import subprocess
import uuid

import aio_pika
import httpx
import pytest
from kit.trace_file import read_spans, traces

from tests.e2e.flows import (
    DEMO_SECRET,
    VISIT_DAY,
    customers_by_email,
    eventually,
    identity_flow,
    inquiry_body,
    jp_day,
    login,
    multiprocess_system,
    post_inquiry,
    sign,
)

pytestmark = [pytest.mark.e2e, pytest.mark.database, pytest.mark.broker, pytest.mark.exclusive]


@pytest.fixture(scope="module")
def deployment(pg_server_url: str, amqp_url: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    logs = tmp_path_factory.mktemp("logs")
    traces = {"CRM_TRACES": "file", "CRM_TRACES_FILE": str(logs / "traces-{service}.jsonl")}
    with multiprocess_system(pg_server_url, amqp_url, logs, extra=traces) as system:
        yield system


@pytest.fixture
async def client(deployment):  # type: ignore[no-untyped-def]
    base = f"http://127.0.0.1:{deployment['ports']['gateway']}"
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        yield c


async def test_identity_flow_across_processes(client: httpx.AsyncClient) -> None:
    await identity_flow(client)


async def test_one_trace_crosses_every_process_over_the_real_broker(
    client: httpx.AsyncClient,
    deployment,  # type: ignore[no-untyped-def]
) -> None:
    """OPS-1 on the real broker: a portal inquiry sent with a W3C traceparent is one trace
    through gateway → inquiry (HTTP, its SQL, the outbox publish) → RabbitMQ → customer
    (receive, the InquiryLinked publish) → booking and leads (receive), read back from the
    files the six processes wrote (CRM_TRACES=file)."""
    trace_id, client_span = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    email = f"trace-{uuid.uuid4().hex[:8]}@example.com"
    raw = json.dumps(
        inquiry_body(email=email, name="追跡 次郎", phone="090-5555-0015"), ensure_ascii=False
    ).encode()
    r = await client.post(
        "/api/v1/portal/demo/inquiries",
        content=raw,
        headers={
            "content-type": "application/json",
            "x-portal-signature": sign(raw, DEMO_SECRET),
            "traceparent": f"00-{trace_id}-{client_span}-01",
        },
    )
    assert r.status_code == 202, r.text
    files = str(deployment["logs"] / "traces-*.jsonl")

    def hops(spans: list[dict]) -> dict[str, list[dict]]:
        def where(service: str, test) -> list[dict]:  # type: ignore[no-untyped-def]
            return [s for s in spans if s["service"] == service and test(s)]

        return {
            "gateway HTTP": where("gateway", lambda s: s["kind"] == "SERVER"
                                  and s["name"] == "POST /api/v1/portal/{tenant}/inquiries"),
            "inquiry HTTP": where("inquiry", lambda s: s["kind"] == "SERVER"),
            "inquiry SQL": where("inquiry", lambda s: s["attributes"].get("db.system") == "postgresql"),
            "inquiry INSERT": where("inquiry", lambda s: s["name"].startswith("INSERT")),
            "outbox publish": where("inquiry", lambda s: s["name"] == "inquiry.received.v1 publish"),
            "customer receive": where("customer", lambda s: s["name"] == "inquiry.received.v1 receive"),
            "customer SQL": where("customer", lambda s: s["name"].startswith("INSERT")),
            "linked publish": where("customer", lambda s: s["name"] == "customer.inquiry_linked.v2 publish"),
            "booking receive": where("booking", lambda s: s["name"] == "customer.inquiry_linked.v2 receive"),
            "leads receive": where("leads", lambda s: s["name"] == "customer.inquiry_linked.v2 receive"),
        }  # fmt: skip

    def closed(spans: list[dict]) -> bool:
        """Every span's parent is in the files too (the root's is the portal's): the spans
        of later hops (say, the gateway's feed log) are written by each process's batch,
        possibly before their parent's."""
        ids = {s["span_id"] for s in spans} | {client_span}
        return all(s["parent_id"] in ids for s in spans)

    async def complete() -> list[dict]:
        spans = traces(read_spans([files])).get(trace_id, [])
        return spans if all(hops(spans).values()) and closed(spans) else []

    try:
        spans = await eventually(complete, timeout=30)
    except AssertionError:
        spans = traces(read_spans([files])).get(trace_id, [])
        missing = [hop for hop, found in hops(spans).items() if not found]
        ids = {s["span_id"] for s in spans} | {client_span}
        orphans = [f"{s['service']}: {s['name']}" for s in spans if s["parent_id"] not in ids]
        raise AssertionError(
            f"trace {trace_id}: hops missing {missing}, spans whose parent is not there {orphans}"
        ) from None
    found = hops(spans)
    assert {s["trace_id"] for s in spans} == {trace_id}
    # One tree: the gateway's span is the child of the portal's, every other span's parent
    # is a span of the same trace (no hop started a trace of its own and was re-joined).
    ids = {s["span_id"] for s in spans}
    assert [s["parent_id"] for s in found["gateway HTTP"]] == [client_span]
    assert all(s["parent_id"] in ids for s in spans if s not in found["gateway HTTP"])
    assert found["outbox publish"][0]["kind"] == "PRODUCER"
    assert found["customer receive"][0]["parent_id"] == found["outbox publish"][0]["span_id"]
    linked = found["linked publish"][0]["span_id"]
    assert found["booking receive"][0]["parent_id"] == linked
    assert found["leads receive"][0]["parent_id"] == linked


async def test_portal_reservation_reaches_the_follow_up_list(client: httpx.AsyncClient) -> None:
    """Seed 000 end to end on the real servers: a portal visit reservation → inquiry →
    customer linked (名寄せ) → visit placed in booking by itself → the customer list shows the
    latest visit 「接客1回目」 with the property, as the follow-up list's row does."""
    headers = await login(client)
    store = next(s for s in (await client.get("/api/v1/stores", headers=headers)).json()
                 if s["code"] == "00000100101")  # fmt: skip
    every_day = {str(d): ["09:00", "20:00"] for d in range(7)}
    r = await client.put(
        f"/api/v1/booking/stores/{store['id']}",
        json={"name": store["name"], "staff_count": 3, "hours": every_day},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    r = await client.post(
        "/api/v1/booking/properties",
        json={"store_id": store["id"], "code": "P-1", "name": "スームマンション",
              "concurrent_groups": 1, "portal_listed": True},
        headers=headers,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    email = f"reserve-{uuid.uuid4().hex[:8]}@example.com"
    body = inquiry_body(email=email, name="住まい 花子", phone="090-1234-5678",
                        kind="visit_reservation")  # fmt: skip
    assert (await post_inquiry(client, body)).status_code == 202

    async def latest_visit() -> dict | None:
        items = await customers_by_email(client, headers, email)
        return items[0] if items and items[0]["latest_visit_number"] == 1 else None

    customer = await eventually(latest_visit, timeout=30)
    assert customer["latest_visit_property"] == "スームマンション"
    assert customer["inquired_property"] == {
        "code": "P-1", "name": "スームマンション", "address": "東京都住まい区スーム村1-1-1",
        "price_yen": 70_000_000,
    }  # fmt: skip
    assert customer["latest_visit_at"].startswith(f"{VISIT_DAY}T02:00:00")  # 11:00 in Japan
    visits = await client.get(
        "/api/v1/booking/visits", params={"customer_id": customer["id"]}, headers=headers
    )
    assert [v["kind"] for v in visits.json()] == ["listed_property_tour"]
    page = await client.get("/customers", params={"q": "住まい花子"}, headers=headers)
    row = page.text[page.text.index(email) - 2000 : page.text.index(email) + 2000]
    assert f"{jp_day(VISIT_DAY)} 11:00 接客1回目" in row and "スームマンション" in row
    assert "東京都住まい区スーム村1-1-1" in row and "7,000万円" in row  # seed 000's row


async def test_inquiries_posted_while_broker_is_down_all_arrive(client: httpx.AsyncClient) -> None:
    assert shutil.which("rabbitmqctl"), "rabbitmqctl is needed to stop the broker"
    headers = await login(client)
    tag = uuid.uuid4().hex[:8]
    emails = [f"outage-{tag}-{n}@example.com" for n in range(10)]
    subprocess.run(["rabbitmqctl", "-q", "stop_app"], check=True, timeout=120)
    try:
        for n, email in enumerate(emails):
            r = await post_inquiry(
                client, inquiry_body(email=email, name=f"停止 {n}", phone=f"090-7777-{n:04d}")
            )
            assert r.status_code == 202, r.text  # accepted: the outbox holds the event
    finally:
        subprocess.run(["rabbitmqctl", "-q", "start_app"], check=True, timeout=180)

    async def all_linked() -> bool:
        for email in emails:
            if len(await customers_by_email(client, headers, email)) != 1:
                return False
        return True

    await eventually(all_linked, timeout=90)


async def test_poison_event_is_dead_lettered_and_later_events_flow(
    client: httpx.AsyncClient,
    deployment,
    amqp_url: str,  # type: ignore[no-untyped-def]
) -> None:
    headers = await login(client)
    me = (await client.get("/api/v1/me", headers=headers)).json()
    namespace = deployment["namespace"]
    poison_id = str(uuid.uuid4())
    envelope = {
        "event_id": poison_id,
        "event_type": "inquiry.received",
        "version": 1,
        "routing_key": "inquiry.received.v1",
        "tenant_id": me["tenant_id"],
        "producer": "inquiry",
        "payload": {"inquiry_id": "not-a-uuid"},
    }
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        exchange = await channel.get_exchange(f"{namespace}.events")
        body = json.dumps(envelope).encode()
        await exchange.publish(aio_pika.Message(body, message_id=poison_id), "inquiry.received.v1")
    email = f"after-poison-{uuid.uuid4().hex[:6]}@example.com"
    r = await post_inquiry(
        client, inquiry_body(email=email, name="後続 太郎", phone="090-8888-0008")
    )
    assert r.status_code == 202
    await eventually(lambda: customers_by_email(client, headers, email))

    async def dead_lettered() -> bool:
        connection = await aio_pika.connect(amqp_url)
        async with connection:
            channel = await connection.channel()
            dlq = await channel.declare_queue(
                f"{namespace}.customer.events.dlq",
                durable=True,
                arguments={"x-queue-type": "quorum"},
            )
            return dlq.declaration_result.message_count >= 1

    await eventually(dead_lettered, timeout=30)


async def test_every_service_is_ready(deployment) -> None:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient() as c:
        for name, port in deployment["ports"].items():
            r = await c.get(f"http://127.0.0.1:{port}/readyz")
            assert r.status_code == 200, (name, r.text)
            assert r.json()["database"] == "ok" and r.json()["bus"] == "ok"
