"""A leads runtime that sends to a real SMTP sink, and the events that feed its mails."""

import asyncio
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import sqlalchemy as sa
from contracts import CustomerWishesChangedV1, Envelope, Event, PropertyListedV1
from contracts.listings import DesiredConditions, ListingFacts
from kit.bus import Message
from kit.runtime import ServiceRuntime
from kit.testing import service_headers

from .conftest import COMMON

BASE = "https://crm.example.jp"
FACTS = ListingFacts(kind="mansion", prefecture="東京都", city="港区", station="田町",
                     price_yen=52_800_000, layout="2LDK", size_m2=55.2)  # fmt: skip


@dataclass
class MailTenant:
    id: uuid.UUID
    client: httpx.AsyncClient
    public: httpx.AsyncClient
    runtime: ServiceRuntime

    async def publish(self, event: Event) -> None:
        envelope = Envelope(
            event_type=event.event_type, version=event.version, routing_key=event.routing_key(),
            tenant_id=self.id, producer=type(event).producer,
            payload=event.model_dump(mode="json"),
        )  # fmt: skip
        await self.runtime.bus.publish(
            Message(
                envelope.routing_key, envelope.model_dump_json().encode(), str(envelope.event_id)
            )
        )

    async def buyer(
        self, *, name: str = "住まい 花子", email: str | None = "hanako@example.com",
        delivery: str = "automatic", opt_in: bool = False, **conditions: object,
    ) -> uuid.UUID:  # fmt: skip
        customer_id = uuid.uuid4()
        await self.publish(CustomerWishesChangedV1(
            customer_id=customer_id, name=name, email=email, side="buyer",
            conditions=DesiredConditions.model_validate(conditions),
            proposal_delivery=delivery, newsletter_opt_in=opt_in,  # type: ignore[arg-type]
            changed_at=datetime.now(UTC),
        ))  # fmt: skip
        await until(lambda: self.scalar(
            "SELECT count(*) FROM lead_buyers WHERE customer_id = :c", c=customer_id))  # fmt: skip
        return customer_id

    async def listing(self, *, name: str = "パークハウス田町", facts: ListingFacts = FACTS,
                      property_id: uuid.UUID | None = None) -> uuid.UUID:  # fmt: skip
        property_id = property_id or uuid.uuid4()
        await self.publish(PropertyListedV1(
            property_id=property_id, store_id=uuid.uuid4(), code=None, name=name, facts=facts,
            listed_at=datetime.now(UTC),
        ))  # fmt: skip
        await until(lambda: self.scalar(
            "SELECT count(*) FROM lead_listings WHERE property_id = :p", p=property_id))  # fmt: skip
        return property_id

    async def scalar(self, sql: str, **params: object):  # type: ignore[no-untyped-def]
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            return await conn.scalar(sa.text(sql), params)

    async def rows(self, sql: str, **params: object) -> list:  # type: ignore[type-arg]
        assert self.runtime.engine is not None
        async with self.runtime.engine.connect() as conn:
            return list((await conn.execute(sa.text(sql), params)).mappings())


def tenant_of(app, tenant_id: uuid.UUID | None = None, role: str = "admin") -> MailTenant:  # type: ignore[no-untyped-def]
    tenant_id = tenant_id or uuid.uuid4()
    transport = httpx.ASGITransport(app=app)
    headers = service_headers(COMMON, tenant_id=tenant_id, role=role)
    return MailTenant(
        id=tenant_id,
        client=httpx.AsyncClient(transport=transport, base_url="http://leads", headers=headers),
        public=httpx.AsyncClient(transport=transport, base_url="http://leads"),
        runtime=app.state.runtime,
    )


async def until(check, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    async with asyncio.timeout(timeout):
        while not (result := await check()):
            await asyncio.sleep(0.05)
    return result


def pixel_token(mail) -> str:  # type: ignore[no-untyped-def]
    markup = mail.get_body(("html",)).get_content()
    found = re.search(re.escape(BASE) + r"/t/o/([A-Za-z0-9_-]+)\.gif", markup)
    assert found, markup
    return found.group(1)


def unsubscribe_token(mail) -> str:  # type: ignore[no-untyped-def]
    found = re.fullmatch(
        "<" + re.escape(BASE) + r"/t/u/([A-Za-z0-9_-]+)>", mail["List-Unsubscribe"]
    )
    assert found, mail["List-Unsubscribe"]
    return found.group(1)
