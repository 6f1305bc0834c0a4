"""EmailOpened leaves through the outbox and reaches the real RabbitMQ, as a consumer
(the customer service's action history) would bind to it, and leads' own consumer turns it
into the customer's level (黄)."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from contracts import EmailOpenedV1, Envelope
from kit.auth import Principal, mint_service_token
from kit.bus import Message, RabbitBus, Subscription
from kit.settings import CommonSettings
from kit.testing import delete_bus_namespace, unique_name
from leads.bootstrap import build_runtime
from leads.entrypoints.http import create_app
from leads.settings import LeadsSettings

from .conftest import IPHONE

pytestmark = [pytest.mark.database, pytest.mark.broker]
DELAYS = [100, 200]


async def test_an_open_is_published_as_email_opened(database_factory, amqp_url: str) -> None:  # type: ignore[no-untyped-def]
    namespace = unique_name("t")
    common = CommonSettings(bus="amqp", amqp_url=amqp_url, bus_namespace=namespace,
                            retry_delays_ms=DELAYS, outbox_poll_interval_s=0.2)  # fmt: skip
    runtime = build_runtime(LeadsSettings(database_url=database_factory("leads")), common=common)
    await runtime.start()
    listener = RabbitBus(url=amqp_url, namespace=namespace, retry_delays_ms=DELAYS)
    await listener.start()
    received: asyncio.Queue[Message] = asyncio.Queue()
    await listener.subscribe(Subscription("probe", ("leads.email_opened.v1",), received.put))
    tenant_id, customer, message_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    token = mint_service_token(
        Principal(tenant_id=tenant_id, role="system"), secret=common.service_token_secret
    )
    app = create_app(runtime, manage_lifecycle=False)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://leads"
        ) as client:
            sent = await client.post(
                "/sends",
                headers={"authorization": f"Bearer {token}"},
                json={"message_id": str(message_id), "customer_id": str(customer),
                      "message_kind": "proposal",
                      "sent_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()},
            )  # fmt: skip
            assert sent.status_code == 201, sent.text
            r = await client.get(sent.json()["pixel_path"], headers={"user-agent": IPHONE})
            assert r.status_code == 200

            # Leads' own consumer, bound on the real broker, scores the level from it.
            async def level() -> str | None:
                r = await client.get(f"/customers/{customer}/engagement",
                                     headers={"authorization": f"Bearer {token}"})  # fmt: skip
                return r.json()["level"]

            async with asyncio.timeout(20):
                while await level() != "yellow":
                    await asyncio.sleep(0.05)
        async with asyncio.timeout(20):
            message = await received.get()
        envelope = Envelope.model_validate_json(message.body)
        event = EmailOpenedV1.model_validate(envelope.payload)
        assert envelope.routing_key == "leads.email_opened.v1" and envelope.tenant_id == tenant_id
        assert (event.customer_id, event.message_id, event.machine_open) == (
            customer,
            message_id,
            False,
        )
        assert event.message_kind == "proposal" and envelope.producer == "leads"
    finally:
        await listener.close()
        await runtime.stop()
        await delete_bus_namespace(
            amqp_url, namespace, queues=("probe", "leads.events"), retry_delays_ms=DELAYS
        )
