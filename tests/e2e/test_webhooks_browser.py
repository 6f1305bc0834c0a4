"""設定 > Webhook in a real browser (Debian's Chromium) at 1366 and 375 px (issue 16): an
administrator adds an endpoint with two event types, copies the secret shown once, sees a
portal inquiry in the delivery log (status, latency), rotates the secret and deletes the
endpoint after the confirmation. Nothing scrolls sideways; screenshots are kept."""

import uuid
from pathlib import Path

import httpx
import pytest
from kit.webhook_sink import WebhookSink

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    inquiry_body,
    post_inquiry,
    screenshot_that_fits,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]


@pytest.fixture(scope="module")
async def sink():  # type: ignore[no-untyped-def]
    receiver = WebhookSink()
    await receiver.start()
    yield receiver
    await receiver.stop()


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_an_admin_adds_an_endpoint_copies_its_secret_and_reads_the_log(  # type: ignore[no-untyped-def]
    served, sink, label, width, height
) -> None:
    from playwright.async_api import async_playwright, expect

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    url = sink.url(f"/browser-{label}")
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        context = await browser.new_context(viewport={"width": width, "height": height},
                                            locale="ja-JP")  # fmt: skip
        await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served)
        page = await context.new_page()
        await sign_in(page, served, "/settings/webhooks", who="admin")
        await page.get_by_label("送信先URL").fill(url)
        await page.get_by_label("メモ").fill(f"基幹システム {label}")
        await page.get_by_label("反響を受信").check()
        await page.get_by_label("接客予定の登録").check()
        await screenshot_that_fits(page, f"webhooks-list-{label}")
        await page.get_by_role("button", name="追加してシークレットを表示").click()
        await expect(page.locator("h1")).to_have_text("送信先を追加しました")
        secret = await page.get_by_label("シークレット").input_value()
        assert secret.startswith("whsec_")
        await page.get_by_role("button", name="コピー").click()
        await expect(page.get_by_text("コピーしました。")).to_be_visible()
        assert await page.evaluate("navigator.clipboard.readText()") == secret
        await screenshot_that_fits(page, f"webhooks-secret-{label}")

        async with httpx.AsyncClient(base_url=served) as client:
            email = f"browser-{uuid.uuid4().hex[:6]}@example.com"
            r = await post_inquiry(client, inquiry_body(email=email, name="画面 花子",
                                                        phone="090-5656-7878"))  # fmt: skip
            assert r.status_code == 202, r.text
        await page.get_by_role("link", name="送信先の設定へ").click()
        log = page.locator("table.list")
        for _ in range(100):  # the delivery is a moment behind the inquiry
            if await log.count() and "配信済み" in await log.inner_text():
                break
            await page.wait_for_timeout(100)
            await page.reload()
        await expect(log).to_contain_text("反響を受信")
        await expect(log).to_contain_text("配信済み")
        await expect(log).to_contain_text("200")
        assert secret not in await page.content()
        await screenshot_that_fits(page, f"webhooks-detail-{label}")

        await page.get_by_role("button", name="シークレットを再発行").click()
        await expect(page.locator("h1")).to_have_text("シークレットを再発行しました")
        assert await page.get_by_label("シークレット").input_value() != secret
        await page.get_by_role("link", name="送信先の設定へ").click()
        await page.get_by_role("button", name="この送信先を削除").click()
        await expect(page.locator("h1")).to_have_text("送信先を削除しますか")
        await page.get_by_role("button", name="削除する").click()
        await expect(page.get_by_role("status")).to_have_text("送信先を削除しました。")
        await expect(page.locator("td.url", has_text=url)).to_have_count(0)
        await browser.close()
