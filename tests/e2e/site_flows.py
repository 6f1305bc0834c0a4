"""Shared steps and fixtures (``sink``; ``system``, the embedded system mailing to it: a
module imports both) of the booking site's end-to-end tests (予約サイト): a salon set up in the
demo store, a second salon tenant, and the mails read from the local SMTP sink."""

import re
import uuid
from email.message import EmailMessage

import httpx
import pytest
from kit.mailsink import MailSink
from kit.settings import CommonSettings

from tests.e2e.flows import STORE_CODE, eventually, login

SITE = f"/r/demo/{STORE_CODE}"


@pytest.fixture(scope="module", name="sink")
async def sink_fixture():  # type: ignore[no-untyped-def]
    sink = MailSink()
    await sink.start()
    yield sink
    await sink.stop()


@pytest.fixture(scope="module", name="system")
async def mailing_system(tmp_path_factory: pytest.TempPathFactory, sink):  # type: ignore[no-untyped-def]
    from host.embedded import EmbeddedSystem, start_embedded_postgres, stop_embedded_postgres

    folder = tmp_path_factory.mktemp("pg")
    url = start_embedded_postgres(folder)
    common = CommonSettings(bus="memory", retry_delays_ms=[50, 100], outbox_poll_interval_s=0.2,
                            smtp_host="127.0.0.1", smtp_port=sink.port, mail_poll_interval_s=0.2)  # fmt: skip
    system = EmbeddedSystem(url_template=url, common=common)
    await system.start()
    yield system
    await system.stop()
    stop_embedded_postgres(folder)


async def demo_salon(system, client: httpx.AsyncClient) -> dict:  # type: ignore[no-untyped-def]
    """Open Monday–Saturday 10:00–19:00 (Sunday is 定休日), 30-minute slots, changes until
    24 hours before; カット (60 min, 5,500円) and カラー; 佐藤 and 鈴木."""
    headers = await login(client)
    tenant_id = uuid.UUID((await client.get("/api/v1/me", headers=headers)).json()["tenant_id"])
    async with system.runtimes["gateway"].uow(tenant_id=tenant_id) as uow:
        store_id = str(next(s.id for s in await uow.accounts.stores() if s.code == STORE_CODE))
    await store_policy(client, headers, store_id, hours=24)
    menus = {}
    for name, minutes, price in (("カット", 60, 5500), ("カラー", 90, 8800)):
        r = await client.post("/api/v1/booking/menus", headers=headers, json={
            "store_id": store_id, "name": name, "duration_minutes": minutes, "price_yen": price})  # fmt: skip
        assert r.status_code == 201, r.text
        menus[name] = r.json()["id"]
    members = {}
    for name in ("佐藤", "鈴木"):
        r = await client.post("/api/v1/booking/staff-members", headers=headers,
                              json={"store_id": store_id, "name": name})  # fmt: skip
        assert r.status_code == 201, r.text
        members[name] = r.json()["id"]
    return {"headers": headers, "store_id": store_id, "tenant_id": tenant_id, "menus": menus,
            "members": members}  # fmt: skip


async def store_policy(
    client: httpx.AsyncClient, headers: dict, store_id: str, *, hours: int
) -> None:
    monday_to_saturday = {str(d): ["10:00", "19:00"] for d in range(6)}
    r = await client.put(f"/api/v1/booking/stores/{store_id}", headers=headers, json={
        "name": "サロン田町", "staff_count": 2, "slot_minutes": 30, "hours": monday_to_saturday,
        "last_minute_cancel_hours": hours})  # fmt: skip
    assert r.status_code == 200, r.text


async def mail_to(
    sink: MailSink, address: str, subject_part: str, *, after: int = 0
) -> EmailMessage:
    async def arrived() -> EmailMessage | None:
        found = [m for m in sink.messages if m["To"] == address and subject_part in m["Subject"]]
        return found[after] if len(found) > after else None

    return await eventually(arrived)


def temporary_password(mail: EmailMessage) -> str:
    found = re.search(r"仮パスワード: (\S+)", mail.get_content())
    assert found, mail.get_content()
    return found.group(1)


def first_start(html: str) -> str:
    """The first time offered on a times page (its booking link's starts_at)."""
    found = re.search(r'/book\?[^"]*starts_at=([^"&]+)', html)
    assert found, "no time offered"
    return httpx.QueryParams(f"s={found.group(1)}")["s"]
