"""A visit dated in the past (Japan time) is never saved as 予約中来店前: it is refused with a
message that says what to do, or recorded knowingly as 来店済み (``record_as_visited``), a
field added to the API within its version (off by default)."""

from datetime import timedelta

import pytest
from kit import clock

pytestmark = pytest.mark.database

# A Wednesday one to two weeks ago: an open weekday of the tests' store, surely past.
LAST_WEEK = clock.today() - timedelta(days=7 + (clock.today().weekday() - 2) % 7)


def at(hour: int) -> str:
    return f"{LAST_WEEK.isoformat()}T{hour:02d}:00:00+09:00"


async def test_a_past_visit_is_refused_unless_recorded_knowingly_as_visited(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    await tenant.client.post(f"/stores/{tenant.store_id}/notification-targets",
                             json={"name": "田町支店", "email": "tamachi@example.com"})  # fmt: skip
    customer = str(await tenant.customer())
    visit = {"kind": "store_consultation", "customer_id": customer,
             "starts_at": at(11), "ends_at": at(12)}  # fmt: skip

    refused = await tenant.visit(**visit)
    assert refused.status_code == 422, refused.text
    detail = refused.json()["detail"]
    assert detail["code"] == "visit_in_past" and detail["field"] == "starts_at"
    assert (
        f"{LAST_WEEK:%Y/%m/%d}" in detail["message"]
        and "来店済みとして記録する" in detail["message"]
    )
    assert (await tenant.client.get("/visits", params={"customer_id": customer})).json() == []

    recorded = await tenant.visit(**visit, record_as_visited=True)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["status"] == "visited"
    notices = await tenant.client.get(f"/visits/{recorded.json()['id']}/notifications")
    assert notices.json() == []  # a record of a past visit is not announced as 新規予約
    status = await tenant.scalar(
        "SELECT envelope->'payload'->>'status' FROM outbox"
        " WHERE envelope->'payload'->>'visit_id' = :id",
        id=recorded.json()["id"],
    )
    assert status == "visited"  # the customer's 来店 count, never 接客n回目 of a reservation


async def test_only_a_visit_that_has_begun_is_recorded_as_visited(tenant) -> None:  # type: ignore[no-untyped-def]
    from .conftest import DAY

    await tenant.setup_store()
    customer = str(await tenant.customer())
    early = await tenant.visit(
        kind="store_consultation", customer_id=customer, record_as_visited=True,
        starts_at=f"{DAY}T11:00:00+09:00", ends_at=f"{DAY}T12:00:00+09:00",
    )  # fmt: skip
    assert early.status_code == 422, early.text
    assert early.json()["detail"]["code"] == "visit_not_past"
    assert early.json()["detail"]["field"] == "record_as_visited"
    plain = await tenant.visit(
        kind="store_consultation", customer_id=customer,
        starts_at=f"{DAY}T11:00:00+09:00", ends_at=f"{DAY}T12:00:00+09:00",
    )  # fmt: skip
    assert plain.status_code == 201 and plain.json()["status"] == "reserved"
