"""Store membership (GW-1): a 一般 user's token names their stores, and booking's reads of
visits (one visit, a customer's visits, the calendar, conflicts) and its changes of them see
those stores only; an admin sees every store."""

import uuid

import pytest
from kit.testing import in_process_client, service_headers

from .conftest import COMMON, DAY

pytestmark = pytest.mark.database


def at(hour: int) -> str:
    return f"{DAY}T{hour:02d}:00:00+09:00"


async def test_a_general_user_sees_the_visits_of_their_stores_only(tenant) -> None:  # type: ignore[no-untyped-def]
    mine, other = tenant.store_id, uuid.uuid4()
    for store in (mine, other):
        await tenant.setup_store(store_id=store)
    customer = str(await tenant.customer())
    visits = {}
    for store, hour in ((mine, 11), (other, 14)):
        r = await tenant.client.post("/visits", json={
            "store_id": str(store), "kind": "store_consultation", "customer_id": customer,
            "starts_at": at(hour), "ends_at": at(hour + 1)})  # fmt: skip
        assert r.status_code == 201, r.text
        visits[store] = r.json()["id"]
    await tenant.execute("UPDATE booking_visits SET conflict = true")
    app = tenant.client._transport.app  # type: ignore[attr-defined]
    headers = service_headers(COMMON, tenant_id=tenant.id, role="general", store_ids=(mine,))
    async with in_process_client(app, base_url="http://booking", headers=headers) as general:
        assert (await general.get(f"/visits/{visits[mine]}")).status_code == 200
        r = await general.get(f"/visits/{visits[other]}")
        assert r.status_code == 404 and not r.json()["detail"]["message"].isascii()
        listed = (await general.get("/visits", params={"customer_id": customer})).json()
        assert [v["id"] for v in listed] == [visits[mine]]
        assert [v["id"] for v in (await general.get("/conflicts")).json()] == [visits[mine]]
        calendar = await general.get("/availability", params={
            "store_id": str(other), "day": DAY, "with_visits": "true"})  # fmt: skip
        assert calendar.json()["visits"] == []
        r = await general.post(f"/visits/{visits[other]}/cancel", json={})
        assert r.status_code == 404
    # the admin sees both, and the other store's visit was not cancelled
    listed = (await tenant.client.get("/visits", params={"customer_id": customer})).json()
    assert sorted(v["id"] for v in listed) == sorted(visits.values())
    assert {v["status"] for v in listed} == {"reserved"}


async def test_a_general_user_of_no_store_sees_no_visit(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    customer = str(await tenant.customer())
    r = await tenant.visit(
        kind="store_consultation", customer_id=customer, starts_at=at(11), ends_at=at(12)
    )
    assert r.status_code == 201, r.text
    app = tenant.client._transport.app  # type: ignore[attr-defined]
    headers = service_headers(COMMON, tenant_id=tenant.id, role="general")
    async with in_process_client(app, base_url="http://booking", headers=headers) as general:
        assert (await general.get(f"/visits/{r.json()['id']}")).status_code == 404
        assert (await general.get("/visits", params={"customer_id": customer})).json() == []
