"""Decisions 94 and 96 in a real browser (Debian's Chromium) at 1366 and 375 px: an
administrator corrects an interaction and an action on the monitor, follows 「修正済み」 to
the entry's 修正履歴 and reads the text before; deletes both and finds them on 削除された
履歴, each linking to its history with the deletion. A 一般 user gets the Japanese 403 page
for another's entry and for the deleted list, an unknown id the 404 page. Screenshots under
artifacts/screenshots/."""

import re
import uuid
from pathlib import Path

import httpx
import pytest

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    login,
    screenshot_that_fits,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]
FIRST = "配送日のお問い合わせ（最初の入力）"
FIXED = "配送日と時間帯のお問い合わせ（修正後）"


async def _prepare(client: httpx.AsyncClient) -> dict[str, str]:
    h = await login(client)

    async def made(path: str, body: dict) -> dict:
        r = await client.post(path, headers=h, json=body)
        assert r.status_code == 201, (path, r.text)
        return r.json()

    customer = (await made("/api/v1/customers", {
        "family_name": "修正", "given_name": "花子", "family_kana": "シュウセイ",
        "given_kana": "ハナコ", "birth_date": "1975-05-05", "phones": ["090-8282-0001"],
        "emails": [f"shusei-{uuid.uuid4().hex[:6]}@example.com"]}))["id"]  # fmt: skip
    interaction = await made(f"/api/v1/customers/{customer}/interactions", {
        "kind": "call_in", "body": FIRST, "next_step": "折り返し"})  # fmt: skip
    action = await made(f"/api/v1/customers/{customer}/actions",
                        {"kind": "dm", "note": "冬のDM（修正前）"})  # fmt: skip
    return {"customer": customer, "interaction": interaction["id"], "action": str(action["id"])}


async def test_corrections_and_deletions_read_back(system, served) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    async with httpx.AsyncClient(base_url=served) as client:
        ids = await _prepare(client)
    customer = ids["customer"]
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        try:
            pc = await browser.new_page(viewport={"width": 1366, "height": 900}, locale="ja-JP")
            await sign_in(pc, served, f"/monitor/{customer}?tab=interactions", who="admin")
            await _interaction(pc, "pc")
            await _action(pc, "pc")
            await _deleted(pc, "pc")
            phone = await browser.new_page(viewport={"width": 375, "height": 812}, locale="ja-JP")
            await sign_in(phone, served, f"/monitor/{customer}/deleted", who="admin")
            await _deleted_on_phone(phone)
            staff = await browser.new_page(viewport={"width": 375, "height": 812}, locale="ja-JP")
            await sign_in(staff, served, f"/monitor/{customer}?tab=interactions")
            await _general(staff, served, ids)
        finally:
            await browser.close()


async def _interaction(page, label: str) -> None:  # type: ignore[no-untyped-def]
    entry = page.locator(".timeline li").first
    await entry.locator(".report-body").get_by_text(FIRST).wait_for()
    await entry.get_by_text("修正", exact=True).click()
    await entry.get_by_label("修正後の種類").select_option(label="問合せ")
    await entry.get_by_label("修正後の対応内容").fill(FIXED)
    await entry.get_by_role("button", name="修正を保存").click()
    await page.get_by_role("status").get_by_text("対応履歴を修正しました。").wait_for()
    entry = page.locator(".timeline li").first
    await (
        page.locator("#panel-interactions")
        .get_by_role("link", name="削除された対応履歴")
        .wait_for()
    )
    await screenshot_that_fits(page, f"entry-changes-monitor-{label}")
    await entry.get_by_role("link", name=re.compile("^修正済み")).click()
    await page.wait_for_url(re.compile(r"/interactions/[0-9a-f-]+/changes$"))
    await page.get_by_role("heading", name="対応履歴の修正履歴").wait_for()
    now = page.locator(".change-current")
    await now.get_by_text(FIXED).wait_for()
    await now.get_by_text("問合せ").wait_for()
    change = page.locator(".change-list li").first
    await change.locator(".change-badge").get_by_text("修正").wait_for()
    await change.get_by_text("管理者 太郎").wait_for()  # who, and when in Japan time
    assert re.search(r"\d{4}/\d{2}/\d{2}\(.\) \d{2}:\d{2}", await change.inner_text())
    await change.get_by_text(FIRST).wait_for()  # the text before
    await change.get_by_text("電話受信").wait_for()
    await change.get_by_text("折り返し").wait_for()
    await screenshot_that_fits(page, f"entry-changes-interaction-{label}")
    await page.get_by_role("link", name="修正 花子 様の顧客モニタへ戻る").click()
    entry = page.locator(".timeline li").first
    await entry.get_by_text("削除", exact=True).click()
    await entry.get_by_label("この対応履歴を削除します").check()
    await entry.get_by_role("button", name="削除する").click()
    await page.get_by_role("status").get_by_text("対応履歴を削除しました。").wait_for()
    assert await page.get_by_text(FIXED).count() == 0


async def _action(page, label: str) -> None:  # type: ignore[no-untyped-def]
    await page.get_by_role("tab", name="アクション履歴").click()
    row = page.locator("#panel-actions tbody tr").first
    await row.get_by_text("冬のDM（修正前）").wait_for()
    await row.get_by_text("修正", exact=True).click()
    await row.get_by_label("修正後のアクション").select_option(label="カタログ送付")
    await row.get_by_label("修正後の内容").fill("冬のカタログ（修正後）")
    await row.get_by_role("button", name="修正を保存").click()
    await page.get_by_role("status").get_by_text("アクションを修正しました。").wait_for()
    row = page.locator("#panel-actions tbody tr").first
    await row.get_by_role("link", name="修正済み").click()
    await page.get_by_role("heading", name="アクション履歴の修正履歴").wait_for()
    await page.locator(".change-current").get_by_text("冬のカタログ（修正後）").wait_for()
    before = page.locator(".change-list li").first
    await before.get_by_text("冬のDM（修正前）").wait_for()
    await before.get_by_text("DM", exact=True).wait_for()
    await screenshot_that_fits(page, f"entry-changes-action-{label}")
    await page.go_back()
    await page.get_by_role("tab", name="アクション履歴").click()
    row = page.locator("#panel-actions tbody tr").first
    await row.get_by_text("削除", exact=True).click()
    await row.get_by_label("このアクションを削除します").check()
    await row.get_by_role("button", name="削除する").click()
    await page.get_by_role("status").get_by_text("アクションを削除しました。").wait_for()


async def _deleted(page, label: str) -> None:  # type: ignore[no-untyped-def]
    """An administrator reaches 削除された履歴 from the アクション履歴 pane."""
    await page.locator("#panel-actions").get_by_role("link", name="削除されたアクション").click()
    await page.get_by_role("heading", name="削除された履歴", exact=True).wait_for()
    interactions = page.locator("#deleted-interactions")
    await interactions.get_by_text("削除済み 1件").wait_for()
    row = interactions.locator("tbody tr").first
    await row.get_by_text(FIXED).wait_for()
    assert "管理者 太郎" in await row.locator("td[data-label='削除日時・削除者']").inner_text()
    actions = page.locator("#deleted-actions")
    await actions.locator("tbody tr").first.get_by_text("冬のカタログ（修正後）").wait_for()
    await screenshot_that_fits(page, f"entry-changes-deleted-{label}")
    await page.emulate_media(media="print")
    await screenshot_that_fits(page, f"entry-changes-deleted-print-{label}")
    await page.emulate_media(media="screen")
    await row.get_by_role("link", name="修正履歴を見る").click()
    await page.locator(".change-current .deleted-badge").get_by_text("削除済み").wait_for()
    await page.get_by_role("note").get_by_text("管理者 太郎").wait_for()
    changes = page.locator(".change-list li")
    assert await changes.count() == 2  # corrected, then deleted: oldest first
    await changes.nth(1).locator(".change-badge").get_by_text("削除").wait_for()
    await changes.nth(0).get_by_text(FIRST).wait_for()
    await screenshot_that_fits(page, f"entry-changes-deleted-history-{label}")


async def _deleted_on_phone(page) -> None:  # type: ignore[no-untyped-def]
    await page.locator("#deleted-interactions tbody tr").first.get_by_text(FIXED).wait_for()
    await screenshot_that_fits(page, "entry-changes-deleted-phone")
    await page.locator("#deleted-actions").get_by_role("link", name="修正履歴を見る").click()
    await page.get_by_role("heading", name="アクション履歴の修正履歴").wait_for()
    await page.locator(".change-list li").first.get_by_text("冬のDM（修正前）").wait_for()
    await screenshot_that_fits(page, "entry-changes-action-phone")


async def _general(page, base: str, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """A 一般 user: no link to the deleted list; their own correction's history readable,
    another's entry and the deleted list the 403 page, an unknown id the 404 page."""
    customer = ids["customer"]
    assert await page.get_by_role("link", name="削除された対応履歴").count() == 0
    await page.locator("#interaction-body").fill("一般の入力（修正前）")
    await page.get_by_role("button", name="対応履歴を登録").click()
    await page.get_by_role("status").get_by_text("対応履歴を登録しました。").wait_for()
    own = page.locator(".timeline li").first
    await own.get_by_text("修正", exact=True).click()
    await own.get_by_label("修正後の対応内容").fill("一般の入力（修正後）")
    await own.get_by_role("button", name="修正を保存").click()
    await (
        page.locator(".timeline li").first.get_by_role("link", name=re.compile("^修正済み")).click()
    )
    await page.locator(".change-list li").first.get_by_text("一般の入力（修正前）").wait_for()
    await screenshot_that_fits(page, "entry-changes-interaction-phone")

    answer = await page.goto(f"{base}/monitor/{customer}/interactions/{ids['interaction']}/changes")
    assert answer.status == 403
    await page.get_by_role(
        "heading", name="ご自身が入力した履歴の修正履歴のみ閲覧できます。"
    ).wait_for()
    await page.get_by_role("link", name="修正 花子 様の顧客モニタへ戻る").wait_for()
    await screenshot_that_fits(page, "entry-changes-forbidden-phone")
    answer = await page.goto(f"{base}/monitor/{customer}/deleted")
    assert answer.status == 403
    await page.get_by_role("heading", name="削除された履歴は管理者のみ閲覧できます。").wait_for()
    answer = await page.goto(f"{base}/monitor/{customer}/interactions/{uuid.uuid4()}/changes")
    assert answer.status == 404
    await page.get_by_role("heading", name="対応履歴が見つかりません。").wait_for()
