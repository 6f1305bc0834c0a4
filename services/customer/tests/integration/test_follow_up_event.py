"""A follow-up status change (追客中 → 成約) leaves as FollowUpChanged through the outbox, in
the change's transaction; the rep alone, or the same status again, sends nothing."""

import uuid

import pytest

from .conftest import Service, profile

pytestmark = [pytest.mark.database]


async def test_a_status_change_is_announced_once_with_the_status_before(service: Service) -> None:
    r = await service.post("/customers", profile())
    assert r.status_code == 201, r.text
    customer = r.json()["id"]
    path = f"/customers/{customer}/follow-up"

    assert (await service.client.patch(path, json={"status": "contracted"},
                                       headers=service.headers())).status_code == 204  # fmt: skip
    await service.client.patch(path, json={"status": "contracted"}, headers=service.headers())
    await service.client.patch(
        path, json={"assignee_id": str(uuid.uuid4())}, headers=service.headers()
    )
    r = await service.client.patch(path, json={"status": "won"}, headers=service.headers())
    assert r.status_code == 422

    [event] = await service.events("customer.follow_up_changed.v1")
    assert (event["customer_id"], event["status"], event["previous_status"]) == (
        customer, "contracted", "following",
    )  # fmt: skip
    assert event["changed_by"] == str(service.user_id)
    assert event["changed_at"].endswith("+09:00")
