"""Store membership (GW-1): a 一般 user's inquiries (one, the list, the CSV) are those of
their stores and of no store; an admin sees them all. The inquiry service on a fresh real
PostgreSQL database, driven with service tokens as the gateway mints them."""

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from inquiry.bootstrap import build_runtime
from inquiry.entrypoints.http import create_app
from inquiry.settings import InquirySettings
from kit.settings import CommonSettings
from kit.testing import in_process_client, service_headers

pytestmark = pytest.mark.database
COMMON = CommonSettings(bus="memory", retry_delays_ms=[50], outbox_poll_interval_s=0.2)


@pytest.fixture
async def app(database_factory) -> AsyncIterator[object]:  # type: ignore[no-untyped-def]
    runtime = build_runtime(
        InquirySettings(database_url=database_factory("inquiry"), db_pool_size=2), common=COMMON
    )
    await runtime.start()
    yield create_app(runtime, manage_lifecycle=False)
    await runtime.stop()


def client(app: object, tenant_id: uuid.UUID, **token: object) -> httpx.AsyncClient:
    headers = service_headers(COMMON, tenant_id=tenant_id, **token)  # type: ignore[arg-type]
    return in_process_client(app, base_url="http://inquiry", headers=headers)  # type: ignore[arg-type]


async def test_a_general_user_sees_their_stores_and_no_stores_inquiries(app: object) -> None:
    tenant, mine, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    ids = {}
    async with client(app, tenant) as admin:
        for n, (tag, store) in enumerate((("mine", mine), ("other", other), ("none", None))):
            r = await admin.post("/inquiries", json={
                "medium": "own_site", "kind": "question",
                "store_id": str(store) if store else None,
                "customer": {"name": f"反響 {tag}", "email": f"{tag}-{n}@example.com"}})  # fmt: skip
            assert r.status_code == 202, r.text
            ids[tag] = r.json()["inquiry_id"]
        assert (await admin.get("/inquiries")).json()["total"] == 3
    async with client(app, tenant, role="general", store_ids=(mine,)) as general:
        page = (await general.get("/inquiries")).json()
        assert sorted(i["id"] for i in page["items"]) == sorted([ids["mine"], ids["none"]])
        assert page["total"] == 2
        assert (await general.get(f"/inquiries/{ids['mine']}")).status_code == 200
        r = await general.get(f"/inquiries/{ids['other']}")
        assert r.status_code == 404 and not r.json()["detail"]["message"].isascii()
        r = await general.get("/inquiries.csv")  # the full export is the admin's
        assert r.status_code == 403 and "管理者のみ" in r.json()["detail"]["message"]
