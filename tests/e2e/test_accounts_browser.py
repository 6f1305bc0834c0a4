"""GW-1 from an empty database, in a real browser at PC and phone widths: the operator's
command creates a company (and a second store), the first admin's invitation arrives in the
local mail sink, the admin sets a password, adds a 一般 user of one store (another
invitation), who sets a password, signs in, sees the company and their store in the header,
and sees only that store's visits. Screenshots are kept as artefacts."""

import asyncio
import os
import re
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from kit import clock
from kit.mailsink import MailSink
from kit.settings import CommonSettings

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    eventually,
    free_port,
    login,
    screenshot_that_fits,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]
DAY = clock.today() + timedelta(days=12)


@pytest.fixture(scope="module")
async def empty(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """An embedded system with no demo tenant, sending its mail to a local sink, served on
    a real port; the gateway's database URL is the operator's."""
    from host.embedded import EmbeddedSystem, start_embedded_postgres, stop_embedded_postgres

    sink = MailSink()
    smtp_port = await sink.start()
    folder = tmp_path_factory.mktemp("pg-accounts")
    url = start_embedded_postgres(folder)
    common = CommonSettings(bus="memory", retry_delays_ms=[50, 100], outbox_poll_interval_s=0.2,
                            smtp_host="127.0.0.1", smtp_port=smtp_port, mail_poll_interval_s=0.5)  # fmt: skip
    system = EmbeddedSystem(url_template=url, common=common, seed_demo=False)
    await system.start()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(system.gateway_app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))  # fmt: skip
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield {"base": f"http://127.0.0.1:{port}", "sink": sink,
           "gateway_db": url.format(db="crm_gateway")}  # fmt: skip
    server.should_exit = True
    await task
    await system.stop()
    stop_embedded_postgres(folder)
    await sink.stop()


async def operator(gateway_db: str, *args: str) -> str:
    """``python -m gateway.operator …`` as an operator runs it, in its own process."""
    env = {**os.environ, "GATEWAY_DATABASE_URL": gateway_db}
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "gateway.operator", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


async def mailed_link(sink: MailSink, recipient: str) -> str:
    """The path of the link in the latest mail to ``recipient`` (delivered by the gateway)."""

    async def found() -> str | None:
        for message in reversed(sink.messages):
            if message["To"] == recipient:
                body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
                match = re.search(r"https?://[^/\s]+(/invitations/\S+)", body)
                return match.group(1) if match else None
        return None

    return await eventually(found)


async def set_password(page, base: str, path: str, password: str, label: str, name: str) -> None:  # type: ignore[no-untyped-def]
    await page.goto(f"{base}{path}")
    await page.get_by_label("新しいパスワード").fill("short")
    await page.get_by_role("button", name="パスワードを設定").click()
    await page.get_by_text("10文字以上にしてください").wait_for()
    await screenshot_that_fits(page, f"accounts-{name}-weak-password-{label}")
    await page.get_by_label("新しいパスワード").fill(password)
    await page.get_by_role("button", name="パスワードを設定").click()
    await page.get_by_text("パスワードを設定しました").wait_for()


async def sign_in(page, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    await page.get_by_label("メールアドレス").fill(email)
    await page.get_by_label("パスワード", exact=True).fill(password)
    await page.get_by_role("button", name="ログイン").click()


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_from_an_empty_database_to_a_general_user_of_one_store(
    empty, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    base, sink, tag = empty["base"], empty["sink"], uuid.uuid4().hex[:6]
    slug, owner, staff = (
        f"soom-{label}-{tag}",
        f"owner-{tag}@soom.example",
        f"hanako-{tag}@soom.example",
    )
    await operator(empty["gateway_db"], "create-company", "--name", "(株)スーム不動産",
                   "--slug", slug, "--business-type", "real_estate", "--store-code", "00000100101",
                   "--store-name", "田町支店", "--admin-email", owner, "--admin-name", "山田 太郎")  # fmt: skip
    await operator(empty["gateway_db"], "add-store", "--slug", slug, "--code", "00000100102",
                   "--name", "品川支店")  # fmt: skip
    invitation = await mailed_link(sink, owner)

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        viewport = {"width": width, "height": height}
        page = await browser.new_page(viewport=viewport, locale="ja-JP")
        await set_password(page, base, invitation, "owner-pass-2026", label, "owner")
        await sign_in(page, owner, "owner-pass-2026")
        await page.get_by_text("(株)スーム不動産").first.wait_for()
        await screenshot_that_fits(page, f"accounts-owner-signed-in-{label}")

        # Both stores open; one customer with a visit in each (set up through the API).
        async with httpx.AsyncClient(base_url=base) as client:
            admin = await login(client, owner, "owner-pass-2026")
            stores = {s["code"]: s["id"] for s in
                      (await client.get("/api/v1/stores", headers=admin)).json()}  # fmt: skip
            assert set(stores) == {"00000100101", "00000100102"}
            every_day = {str(d): ["09:00", "20:00"] for d in range(7)}
            for code, name in (("00000100101", "田町支店"), ("00000100102", "品川支店")):
                r = await client.put(f"/api/v1/booking/stores/{stores[code]}", headers=admin,
                                     json={"name": name, "staff_count": 2, "hours": every_day})  # fmt: skip
                assert r.status_code == 200, r.text
            r = await client.post("/api/v1/customers", headers=admin, json={
                "family_name": "来店", "given_name": tag, "family_kana": "ライテン",
                "given_kana": "テスト", "birth_date": "1985-01-01",
                "phones": [f"090-{uuid.uuid4().int % 10**4:04d}-{uuid.uuid4().int % 10**4:04d}"],
                "emails": [f"visit-{tag}@example.com"]})  # fmt: skip
            assert r.status_code == 201, r.text
            customer = r.json()["id"]
            visits = {}
            for code, hour in (("00000100101", 11), ("00000100102", 15)):

                async def booked(code: str = code, hour: int = hour) -> str | None:
                    r = await client.post("/api/v1/booking/visits", headers=admin, json={
                        "kind": "store_consultation", "store_id": stores[code],
                        "customer_id": customer, "starts_at": f"{DAY}T{hour}:00:00+09:00",
                        "ends_at": f"{DAY}T{hour}:30:00+09:00"})  # fmt: skip
                    return r.json()["id"] if r.status_code == 201 else None

                visits[code] = await eventually(booked)  # booking learns the customer by event

        # The admin adds a 一般 user of 田町支店 only.
        await page.goto(f"{base}/accounts")
        await page.get_by_label("氏名").fill("営業 花子")
        await page.get_by_label("メールアドレス").fill(staff)
        await page.get_by_label("権限").select_option("general")
        await page.get_by_label("田町支店（00000100101）").check()
        await page.get_by_role("button", name="追加して招待メールを送る").click()
        await page.get_by_text("招待メールを送りました").wait_for()
        await screenshot_that_fits(page, f"accounts-list-{label}")
        await page.goto(f"{base}/me")
        await screenshot_that_fits(page, f"accounts-my-account-{label}")

        # The new user, on their own device.
        invitation = await mailed_link(sink, staff)
        own = await browser.new_page(viewport=viewport, locale="ja-JP")
        await set_password(own, base, invitation, "hanako-pass-2026", label, "staff")
        await sign_in(own, staff, "hanako-pass-2026")
        await own.get_by_text("田町支店 (00000100101)").wait_for()
        await own.goto(f"{base}/booking/calendar?store_id={stores['00000100101']}&day={DAY}")
        await own.get_by_text(f"来店 {tag} 様").first.wait_for()
        await screenshot_that_fits(own, f"accounts-staff-calendar-{label}")
        await own.goto(f"{base}/booking/calendar?store_id={stores['00000100102']}&day={DAY}")
        await own.wait_for_load_state()
        assert await own.get_by_text(f"来店 {tag} 様").count() == 0
        await own.goto(f"{base}/booking/visits/{visits['00000100102']}")
        assert "見つかりません" in await own.content()
        await own.goto(f"{base}/accounts")
        assert "管理者のみ" in await own.content()
        await browser.close()
