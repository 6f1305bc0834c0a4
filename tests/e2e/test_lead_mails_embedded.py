"""LEAD-6 end to end in the embedded mode: a buyer registered with 自動 delivery in the customer
service, a matching property listed in booking, the proposal mail delivered over SMTP to the
local sink by leads; its pixel fetched by a phone's mail client → EmailOpened → the customer
is 黄 with its reason; another's fetched as bare `Mozilla/5.0` right after delivery (Apple
Mail Privacy Protection's prefetch) → counted nowhere, attention mark shown. The pixels and
the unsubscribe link are fetched through the gateway's public /t/ relay, as a reader would;
the gateway believes the test's X-Forwarded-For as it would a trusted proxy's."""

import asyncio
import re
import uuid

import httpx
import pytest
from kit.mailsink import MailSink
from kit.settings import CommonSettings
from kit.testing import service_headers

from tests.e2e.flows import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.database]
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148"
)
FACTS = {"kind": "mansion", "prefecture": "東京都", "city": "港区", "station": "田町",
         "price_yen": 52_800_000, "layout": "2LDK", "size_m2": 55.2}  # fmt: skip


@pytest.fixture(scope="module")
async def sink():  # type: ignore[no-untyped-def]
    sink = MailSink()
    await sink.start()
    yield sink
    await sink.stop()


@pytest.fixture(scope="module")
async def system(tmp_path_factory: pytest.TempPathFactory, sink):  # type: ignore[no-untyped-def]
    from host.embedded import EmbeddedSystem, start_embedded_postgres, stop_embedded_postgres

    patch = pytest.MonkeyPatch()
    patch.setenv("GATEWAY_TRUSTED_PROXIES", "127.0.0.1/32")  # the test client stands behind it

    folder = tmp_path_factory.mktemp("pg")
    url = start_embedded_postgres(folder)
    common = CommonSettings(bus="memory", retry_delays_ms=[50, 100], outbox_poll_interval_s=0.2,
                            smtp_host="127.0.0.1", smtp_port=sink.port, mail_poll_interval_s=0.2)  # fmt: skip
    system = EmbeddedSystem(url_template=url, common=common, seed_demo=False)
    await system.start()
    yield system
    await system.stop()
    stop_embedded_postgres(folder)
    patch.undo()


def _client(system, name: str, tenant_id: uuid.UUID | None = None) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    headers = service_headers(system.common, tenant_id=tenant_id) if tenant_id else {}
    app = system.gateway_app if name == "gateway" else system.apps[name]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                             base_url=f"http://{name}", headers=headers)  # fmt: skip


async def _buyer(customers: httpx.AsyncClient, family: str, email: str) -> str:
    r = await customers.post("/customers", json={
        "family_name": family, "given_name": "花子", "family_kana": "スマイ", "given_kana": "ハナコ",
        "phones": ["090-1234-5678"], "emails": [email], "birth_date": "1985-04-01",
        "side": "buyer", "proposal_delivery": "automatic",
        "desired_conditions": {"areas": [{"city": "港区"}], "layouts": ["2LDK"]},
    })  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _pixel(mail) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r"/t/o/([A-Za-z0-9_-]+)\.gif", mail.get_body(("html",)).get_content())
    assert found
    return found.group(1)


async def test_proposal_to_the_sink_its_open_makes_the_customer_yellow(system, sink) -> None:  # type: ignore[no-untyped-def]
    tenant = uuid.uuid4()
    customers, booking = _client(system, "customer", tenant), _client(system, "booking", tenant)
    leads, public = _client(system, "leads", tenant), _client(system, "gateway")
    try:
        reader = await _buyer(customers, "住まい", "reader@example.com")
        prefetched = await _buyer(customers, "住吉", "iphone-mpp@example.com")
        await eventually(lambda: _buyers(system, 2))
        store = str(uuid.uuid4())
        r = await booking.put(f"/stores/{store}", json={
            "name": "田町支店", "staff_count": 2, "slot_minutes": 60,
            "hours": {str(d): ["10:00", "18:00"] for d in range(6)},
        })  # fmt: skip
        assert r.status_code == 200, r.text
        r = await booking.post(
            "/properties", json={"store_id": store, "name": "パークハウス田町", "facts": FACTS}
        )
        assert r.status_code == 201, r.text

        def arrived(address: str):  # type: ignore[no-untyped-def]
            async def check():  # type: ignore[no-untyped-def]
                return next((m for m in sink.messages if m["To"] == address), None)

            return check

        mpp_mail = await eventually(arrived("iphone-mpp@example.com"))
        # Apple's prefetch: the bare agent, at delivery, through Apple's network.
        await public.get(f"/t/o/{_pixel(mpp_mail)}.gif",
                         headers={"user-agent": "Mozilla/5.0", "x-forwarded-for": "172.224.224.9"})  # fmt: skip
        mail = await eventually(arrived("reader@example.com"))
        assert mail["Subject"] == "【新着物件のご案内】パークハウス田町"
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        await asyncio.sleep(1.6)  # a person opens it later than a scanner would (1.5 s)
        await public.get(f"/t/o/{_pixel(mail)}.gif",
                         headers={"user-agent": IPHONE, "x-forwarded-for": "203.0.113.7"})  # fmt: skip

        async def yellow():  # type: ignore[no-untyped-def]
            body = (await leads.get(f"/customers/{reader}/engagement")).json()
            return body if body.get("level") == "yellow" else None

        engaged = await eventually(yellow)
        assert "→ 黄" in engaged["reason"] and engaged["attention"] is False
        other = (await leads.get(f"/customers/{prefetched}/engagement")).json()
        assert other["level"] is None and other["attention"] is True
        assert other["proposal_open_rate"]["label"] == "0% (0/1)"
        listed = (await leads.get("/hot-leads")).json()
        assert [i["customer_id"] for i in listed["items"]] == [reader]

        # The mail's unsubscribe link: GET only asks (scanners follow links), POST stops.
        link = re.search(r"<(http[^>]+/t/u/[^>]+)>", mail["List-Unsubscribe"])
        assert link
        path = httpx.URL(link.group(1)).path
        asked = await public.get(path)
        assert asked.status_code == 200 and "配信を停止" in asked.text
        stopped = await public.post(path, content=b"List-Unsubscribe=One-Click")
        assert stopped.status_code == 200 and "配信を停止しました" in stopped.text
        assert (await public.get("/t/u/forged-token")).status_code == 404
    finally:
        for c in (customers, booking, leads, public):
            await c.aclose()


async def _buyers(system, count: int) -> bool:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    async with system.runtimes["leads"].engine.connect() as conn:
        return (await conn.scalar(sa.text("SELECT count(*) FROM lead_buyers"))) >= count
