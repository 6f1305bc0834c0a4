"""The embedded mode end to end: embedded PostgreSQL (pgserver), in-memory bus, every service
in this process; driven through the gateway's public API only."""

import json
import uuid

import httpx
import pytest
from contracts import InquiryLinkedV2, InquiryReceivedV1

from tests.e2e.flows import (
    customers_by_email,
    eventually,
    identity_flow,
    inquiry_body,
    login,
    post_inquiry,
    samples_of,
    scrape,
    sign,
)
from tests.e2e.tracing import EXPORTER

pytestmark = [pytest.mark.e2e, pytest.mark.database]


async def test_identity_by_first_inquiry_email(client: httpx.AsyncClient) -> None:
    await identity_flow(client)


async def test_webhook_refuses_bad_signature_and_invalid_body(client: httpx.AsyncClient) -> None:
    headers = await login(client)
    body = inquiry_body(
        email=f"sig-{uuid.uuid4().hex[:6]}@example.com", name="署名 確認", phone="090-3333-0003"
    )
    raw = json.dumps(body).encode()
    bad = await client.post(
        "/api/v1/portal/demo/inquiries",
        content=raw,
        headers={"x-portal-signature": sign(raw, "wrong-secret")},
    )
    assert bad.status_code == 401
    missing = await client.post("/api/v1/portal/demo/inquiries", content=raw)
    assert missing.status_code == 401

    invalid = dict(body, kind="spam", customer=dict(body["customer"], email="not-an-email"))
    r = await post_inquiry(client, invalid)
    assert r.status_code == 422
    fields = {e["field"] for e in r.json()["detail"]["errors"]}
    assert "kind" in fields and "customer.email" in fields

    unknown_store = await post_inquiry(client, dict(body, store_code="99999999999"))
    assert unknown_store.status_code == 422
    assert unknown_store.json()["detail"]["field"] == "store_code"

    not_json = b"{not json"
    r = await client.post(
        "/api/v1/portal/demo/inquiries",
        content=not_json,
        headers={"x-portal-signature": sign(not_json)},
    )
    assert r.status_code == 422
    assert (
        await client.get(
            "/api/v1/customers", params={"email": body["customer"]["email"]}, headers=headers
        )
    ).json()["total"] == 0
    unknown_tenant = await post_inquiry(client, body, tenant="nobody")
    assert unknown_tenant.status_code == 404


async def test_api_requires_a_session(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/customers")).status_code == 401
    bad = await client.post(
        "/api/v1/auth/token", data={"username": "admin@demo.example", "password": "wrong"}
    )
    assert bad.status_code == 401
    r = await client.get("/api/v1/customers", headers={"authorization": "Bearer forged"})
    assert r.status_code == 401


async def test_another_tenants_customer_answers_404(system, client: httpx.AsyncClient) -> None:  # type: ignore[no-untyped-def]
    from gateway.use_cases.tenants import NewStaff, NewTenant, provision_tenant

    slug = f"t{uuid.uuid4().hex[:8]}"

    async def provision(uow) -> None:  # type: ignore[no-untyped-def]
        await provision_tenant(
            NewTenant(
                slug=slug,
                name="別会社",
                industry="real_estate",
                portal_secret="other-secret",
                stores=[("00000100101", "本店")],
                staff=[NewStaff(f"admin@{slug}.example", "other-pass-123", "別 管理者", "admin")],
            ),
            uow=uow,
        )

    await system.runtimes["gateway"].transactions(tenant_id=None).run(provision)
    email = f"mine-{slug}@example.com"
    r = await post_inquiry(
        client, inquiry_body(email=email, name="自社 顧客", phone="090-4444-0004")
    )
    assert r.status_code == 202
    demo = await login(client)
    ours = await eventually(lambda: _items(client, demo, email))
    other = await login(client, f"admin@{slug}.example", "other-pass-123")
    assert (
        await client.get(f"/api/v1/customers/{ours[0]['id']}", headers=other)
    ).status_code == 404
    assert (await client.get("/api/v1/customers", params={"email": email}, headers=other)).json()[
        "total"
    ] == 0
    # The other tenant's portal secret does not sign for the demo tenant.
    forged = await post_inquiry(
        client, inquiry_body(email=email, name="x", phone="1"), secret="other-secret"
    )
    assert forged.status_code == 401


async def _items(client: httpx.AsyncClient, headers: dict[str, str], email: str) -> list:
    return (await client.get("/api/v1/customers", params={"email": email}, headers=headers)).json()[
        "items"
    ]


async def test_one_trace_spans_gateway_inquiry_publish_consume_and_customer_write(
    client: httpx.AsyncClient,
) -> None:
    headers = await login(client)
    email = f"trace-{uuid.uuid4().hex[:6]}@example.com"
    EXPORTER.clear()
    r = await post_inquiry(
        client, inquiry_body(email=email, name="追跡 太郎", phone="090-5555-0005")
    )
    assert r.status_code == 202
    await eventually(lambda: _items(client, headers, email))

    def _flow_trace() -> list:
        spans = EXPORTER.get_finished_spans()
        publish = [s for s in spans if s.name == "inquiry.received.v1 publish"]
        if not publish:
            return []
        trace_id = publish[-1].context.trace_id
        return [s for s in spans if s.context.trace_id == trace_id]

    async def complete() -> list:
        spans = _flow_trace()
        names = {(s.resource.attributes["service.name"], s.name) for s in spans}
        wrote = any(
            s.resource.attributes["service.name"] == "customer" and s.name.startswith("INSERT")
            for s in spans
        )
        has_receive = ("customer", "inquiry.received.v1 receive") in names
        return spans if wrote and has_receive else []

    spans = await eventually(complete)
    services = {s.resource.attributes["service.name"] for s in spans}
    assert {"gateway", "inquiry", "customer"} <= services
    names = {s.name for s in spans}
    assert "POST /api/v1/portal/{tenant}/inquiries" in names
    assert "inquiry.received.v1 publish" in names
    assert "inquiry.received.v1 receive" in names
    assert len({s.context.trace_id for s in spans}) == 1


async def test_web_client_login_and_customer_list_in_japanese(client: httpx.AsyncClient) -> None:
    page = await client.get("/login")
    assert page.status_code == 200
    assert "ログイン" in page.text and 'lang="ja"' in page.text
    assert (await client.get("/customers")).status_code == 303
    wrong = await client.post("/login", data={"email": "admin@demo.example", "password": "x"})
    assert wrong.status_code == 401
    assert "メールアドレスまたはパスワードが正しくありません" in wrong.text
    ok = await client.post(
        "/login", data={"email": "admin@demo.example", "password": "demo-admin-pass"}
    )
    assert ok.status_code == 303
    client.cookies.set("crm_session", ok.cookies["crm_session"])
    listing = await client.get("/customers")
    assert listing.status_code == 200
    assert "お客様管理" in listing.text and "件中" in listing.text


SERVICES = ("inquiry", "customer", "booking", "leads", "orders", "gateway")
# every service that consumes; the gateway too, into its feed log (decision 101)
CONSUMERS = ("inquiry", "customer", "booking", "leads", "orders", "gateway")


async def test_metrics_after_an_inquiry_show_every_service(client: httpx.AsyncClient) -> None:
    admin = await login(client)
    email = f"metrics-{uuid.uuid4().hex[:8]}@example.com"
    r = await post_inquiry(
        client, inquiry_body(email=email, name="計測 太郎", phone="090-5555-0101")
    )
    assert r.status_code < 300, r.text

    async def linked() -> bool:
        return bool(await customers_by_email(client, admin, email))

    await eventually(linked)
    # customer links the inquiry; booking and leads take the linked one (decision 97)
    consumed = {"customer": InquiryReceivedV1.routing_key(),
                "booking": InquiryLinkedV2.routing_key(), "leads": InquiryLinkedV2.routing_key()}  # fmt: skip

    async def handled_by_its_consumers() -> tuple[str, list] | None:
        text, m = await scrape(client)
        done = all(
            samples_of(m, "crm_events_handled_total", service=s, routing_key=key, outcome="ok")
            for s, key in consumed.items()
        )
        return (text, m) if done else None

    text, m = await eventually(handled_by_its_consumers)
    for family in ("crm_http_requests_total", "crm_outbox_pending_rows",
                   "crm_events_handled_total", "crm_worker_last_run_age_seconds"):  # fmt: skip
        assert text.count(f"# TYPE {family} ") == 1, family  # one family, every service in it
    route = "/api/v1/portal/{tenant}/inquiries"
    portal = samples_of(m, "crm_http_requests_total", service="gateway", method="POST", route=route)
    accepted = [s for s in portal if s.labels["status"].startswith("2")]
    assert accepted and sum(s.value for s in accepted) >= 1  # (the module's refusals beside)
    assert not samples_of(m, "crm_http_requests_total", route=f"/api/v1/customers?email={email}")
    assert samples_of(m, "crm_http_requests_total", service="customer")  # relayed in-process
    timed = samples_of(m, "crm_http_request_duration_seconds_count", service="gateway",
                       method="POST", route=route)  # fmt: skip
    assert timed[0].value == sum(s.value for s in portal)
    for service, key in consumed.items():
        (ok,) = samples_of(
            m, "crm_events_handled_total", service=service, routing_key=key, outcome="ok"
        )
        assert ok.value >= 1, service
    for service in SERVICES:
        (pending,) = samples_of(m, "crm_outbox_pending_rows", service=service)
        (oldest,) = samples_of(m, "crm_outbox_oldest_age_seconds", service=service)
        assert pending.value >= 0 and 0 <= oldest.value < 3600, service
        (outbox_age,) = samples_of(
            m, "crm_worker_last_run_age_seconds", service=service, worker="outbox"
        )
        assert 0 <= outbox_age.value < 60, service
    for service in CONSUMERS:
        (lag,) = samples_of(m, "crm_consumer_lag_messages", service=service)
        assert lag.labels["queue"] == f"crm.{service}.events" and lag.value >= 0
        dlq = f"crm.{service}.events.dlq"
        assert samples_of(m, "crm_dead_letter_queue_messages", service=service, queue=dlq)
