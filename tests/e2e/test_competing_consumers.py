"""Two replicas of the customer and booking services (multi-process mode, real PostgreSQL and
RabbitMQ) give the results one would: the broker hands each delivery to one of them, and what
depends on order holds (decision 108):
- 名寄せ: inquiries of one person linked by either replica, concurrently, make one customer
  (the unique identity key lets one create it; the other's delivery, retried, joins it);
- counters: visits scheduled at once for one customer are all counted (row locks on the
  customer's counters, whichever replica takes the event);
- read models: a name changed several times in a row ends as the last one in booking, in
  whatever order the replicas apply the events (``changed_at`` wins, an older event is a no-op).
"""

import asyncio
import uuid
from datetime import timedelta

import aio_pika
import httpx
import pytest

from tests.e2e.flows import (
    VISIT_DAY,
    customers_by_email,
    eventually,
    inquiry_body,
    login,
    multiprocess_system,
    open_demo_store_every_day,
    post_inquiry,
)

pytestmark = [pytest.mark.e2e, pytest.mark.database, pytest.mark.broker]

PEOPLE = 8
INQUIRIES_EACH = 3
VISITS_EACH = 2


@pytest.fixture(scope="module")
def deployment(pg_server_url: str, amqp_url: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with multiprocess_system(
        pg_server_url, amqp_url, tmp_path_factory.mktemp("logs"),
        replicas={"customer": 2, "booking": 2}, extra={"CRM_LOG_LEVEL": "WARNING"},
        ready_timeout_s=120,
    ) as system:  # fmt: skip
        yield system


async def test_two_replicas_consume_as_one(deployment, amqp_url: str) -> None:  # type: ignore[no-untyped-def]
    namespace = deployment["namespace"]
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for service in ("customer", "booking"):
            queue = await channel.declare_queue(f"{namespace}.{service}.events", passive=True)
            assert queue.declaration_result.consumer_count == 2, service  # both replicas

    base = f"http://127.0.0.1:{deployment['ports']['gateway']}"
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        headers = await login(client)
        store = await open_demo_store_every_day(client, headers)
        tag = uuid.uuid4().hex[:6]
        emails = [f"replica-{tag}-{p}@example.com" for p in range(PEOPLE)]

        # Every inquiry at once: a person's three arrive together and race to the replicas.
        bodies = [
            inquiry_body(email=emails[p], name=f"複製 {p}号", phone=f"090-6000-{p:04d}")
            for _ in range(INQUIRIES_EACH)
            for p in range(PEOPLE)
        ]
        accepted = await asyncio.gather(*(post_inquiry(client, b) for b in bodies))
        assert [r.status_code for r in accepted] == [202] * len(bodies)

        async def linked() -> list[dict] | None:
            found = [await customers_by_email(client, headers, e) for e in emails]
            if any(len(items) != 1 for items in found):
                assert all(len(items) <= 1 for items in found), "one person, two customers"
                return None
            customers = [items[0] for items in found]
            for customer in customers:
                detail = await client.get(f"/api/v1/customers/{customer['id']}", headers=headers)
                if len(detail.json()["inquiries"]) != INQUIRIES_EACH:
                    return None
            return customers

        customers = await eventually(linked, timeout=60)

        # Visits for every customer at once; booking learns each customer by event first.
        day = VISIT_DAY + timedelta(days=1)

        async def book(p: int, n: int) -> None:
            async def booked() -> bool:
                r = await client.post("/api/v1/booking/visits", headers=headers, json={
                    "kind": "store_consultation", "store_id": store["id"],
                    "customer_id": customers[p]["id"],
                    "starts_at": f"{day}T{9 + p:02d}:{30 * n:02d}:00+09:00",
                    "ends_at": f"{day}T{9 + p:02d}:{30 * n + 29:02d}:00+09:00"})  # fmt: skip
                assert r.status_code in (201, 404, 422), r.text  # 404/422: not known yet
                return r.status_code == 201

            await eventually(booked, timeout=30)

        await asyncio.gather(*(book(p, n) for p in range(PEOPLE) for n in range(VISITS_EACH)))

        async def counted() -> bool:
            rows = [(await customers_by_email(client, headers, e))[0] for e in emails]
            return all(r["reservation_count"] == VISITS_EACH for r in rows)

        await eventually(counted, timeout=60)
        for email in emails:
            [row] = await customers_by_email(client, headers, email)
            assert row["reservation_count"] == VISITS_EACH  # none counted twice either
            assert row["latest_visit_number"] == VISITS_EACH

        # One customer renamed five times in a row: booking's two replicas may apply the
        # profile events in any order; the calendar ends with the last name.
        first = customers[0]["id"]
        body = {"family_name": "複製", "family_kana": "フクセイ", "given_kana": "カイメイ",
                "birth_date": "1990-01-01", "phones": ["090-6000-0000"], "emails": [emails[0]]}  # fmt: skip
        for n in range(5):
            body["given_name"] = f"改名{n}"
            r = await client.put(f"/api/v1/customers/{first}", headers=headers, json=body)
            assert r.status_code in (200, 204), r.text
        last = (await client.get(f"/api/v1/customers/{first}", headers=headers)).json()["name"]
        assert "改名4" in last

        async def renamed() -> bool:
            visits = await client.get(
                "/api/v1/booking/visits", params={"customer_id": first}, headers=headers
            )
            return {v["customer_name"] for v in visits.json()} == {last}

        await eventually(renamed, timeout=30)
        await asyncio.sleep(1.0)  # anything still in flight would be an older name
        assert await renamed()
