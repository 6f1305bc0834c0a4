"""パートナー連携 in a real browser (Debian's Chromium) at 1366 and 375 px, on the real
RabbitMQ (decision 104): an admin adds a partner with two event types ticked, reads its
credentials once, finds it in the list, and deletes it through the confirmation page; a
form without an event type is refused beside the checkboxes with the name kept. Nothing
scrolls sideways; screenshots are kept."""

import asyncio
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
import uvicorn
from gateway.bootstrap import build_runtime
from gateway.entrypoints.http import create_app
from gateway.settings import GatewaySettings
from gateway.use_cases.tenants import NewStaff, NewTenant, provision_tenant
from kit.settings import CommonSettings
from kit.testing import delete_bus_namespace, unique_name

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    free_port,
    screenshot_that_fits,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database, pytest.mark.broker]
WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]
ADMIN = ("admin@feed-page.example", "feed-page-pass")


@pytest.fixture
async def gateway_on_broker(database_factory, amqp_url, amqp_management):  # type: ignore[no-untyped-def]
    namespace = unique_name("t")
    common = CommonSettings(bus="amqp", amqp_url=amqp_url, bus_namespace=namespace,
                            amqp_management_url=amqp_management, retry_delays_ms=[100],
                            outbox_poll_interval_s=0.2)  # fmt: skip
    runtime = build_runtime(GatewaySettings(database_url=database_factory("gateway"),
                                            db_pool_size=3), common=common)  # fmt: skip
    await runtime.start()
    spec = NewTenant(slug="feed-page", name="(株)連携不動産", industry="real_estate",
                     portal_secret=None, stores=[("00000100101", "田町支店")],
                     staff=[NewStaff(*ADMIN, "山田 太郎", "admin")])  # fmt: skip
    await runtime.transactions(tenant_id=None).run(lambda uow: provision_tenant(spec, uow=uow))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(runtime, manage_lifecycle=False),
                                           host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))  # fmt: skip
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    yield f"http://127.0.0.1:{port}", runtime
    server.should_exit = True
    await task
    async with runtime.engine.connect() as conn:  # type: ignore[union-attr]  # what a failed test left
        left = list(await conn.scalars(sa.text("SELECT id FROM partners")))
    for partner_id in left:
        await runtime.partner_feeds.close(partner_id=partner_id)
    await runtime.stop()
    await delete_bus_namespace(amqp_url, namespace, queues=(), retry_delays_ms=[100])


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_an_admin_adds_reads_and_deletes_a_partner(
    gateway_on_broker, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright, expect

    base, _ = gateway_on_broker
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                          env=CHROMIUM_ENV)  # fmt: skip
        page = await browser.new_page(viewport={"width": width, "height": height},
                                      locale="ja-JP")  # fmt: skip
        await sign_in(page, base, "/settings/partners", account=ADMIN)
        await expect(page.get_by_role("heading", name="パートナーを追加")).to_be_visible()
        name = f"物件ポータル{label}"
        await page.get_by_label("名前").fill(name)
        await page.get_by_role("button", name="パートナーを追加").click()
        await expect(page.get_by_text("受け取るイベントを1つ以上選んでください。")).to_be_visible()
        await expect(page.get_by_label("名前")).to_have_value(name)
        await page.get_by_label("customer.merged.v1").check()
        await page.get_by_label("gateway.store_changed.v1").check()
        await screenshot_that_fits(page, f"partners-form-{label}")
        await page.get_by_role("button", name="パートナーを追加").click()

        await expect(
            page.get_by_role("heading", name=f"パートナー「{name}」の接続情報")
        ).to_be_visible()
        password = (await page.locator("#partner-password").inner_text()).strip()
        assert len(password) >= 24
        await screenshot_that_fits(page, f"partners-credentials-{label}")
        await page.get_by_role("link", name="パートナー連携へ戻る").click()
        row = page.locator("tr", has_text=name)
        await expect(row).to_contain_text("gateway.store_changed.v1")
        assert password not in await page.content()  # shown once
        await screenshot_that_fits(page, f"partners-list-{label}")

        await row.get_by_role("button", name="削除").click()
        await expect(
            page.get_by_role("heading", name=f"パートナー「{name}」を削除しますか")
        ).to_be_visible()
        await screenshot_that_fits(page, f"partners-delete-{label}")
        await page.get_by_role("button", name="削除する").click()
        await page.wait_for_url(re.compile(r"/settings/partners$"))
        await expect(page.get_by_text("パートナーを削除しました。")).to_be_visible()
        await expect(page.locator("tr", has_text=name)).to_have_count(0)
        await browser.close()
