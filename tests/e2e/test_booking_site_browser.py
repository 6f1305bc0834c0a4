"""The salon booking site (予約サイト) in a real browser (Debian's Chromium) at 1366 and 375 px,
mails read from the local SMTP sink: register, receive the temporary password, log in and
set a password, choose a menu, a member and a time, book, see it under my reservations,
cancel it. Each screen is kept as a screenshot, must not scroll sideways, and no label,
button, time or badge may break inside a word (its height against its line height)."""

import re
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from kit import clock

from tests.e2e.flows import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, CHROMIUM_ENV, screenshot_that_fits
from tests.e2e.site_flows import (  # noqa: F401 (the fixtures sink and system)
    SITE,
    demo_salon,
    mail_to,
    mailing_system,
    sink_fixture,
    temporary_password,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]
WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]
# What must stay on one line: buttons, times, chips, badges, the summary's labels.
ONE_LINE = (".site-button, .site-time, .site-staff-pick a, .site-required, .site-summary dt, "
            ".nowrap, .site-account a, .site-status, .site-staff li")  # fmt: skip
BROKEN_JS = """(selector) => [...document.querySelectorAll(selector)].filter(e => {
  const style = getComputedStyle(e);
  if (style.display === 'none') return false;
  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.7;
  const pad = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)
            + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
  return e.getBoundingClientRect().height - pad > line * 1.5;
}).map(e => e.textContent.trim())"""


@pytest.fixture(scope="module")
async def salon(system, served):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=served) as client:
        yield {**await demo_salon(system, client), "base": served}


async def _shot(page, name: str, label: str) -> None:  # type: ignore[no-untyped-def]
    broken = await page.evaluate(BROKEN_JS, ONE_LINE)
    assert broken == [], f"site-{name}-{label}: broken inside a word: {broken}"
    await screenshot_that_fits(page, f"site-{name}-{label}")


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_register_log_in_book_see_and_cancel_in_a_real_browser(
    salon, sink, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    base = salon["base"]
    email = f"browser-{label}-{uuid.uuid4().hex[:6]}@example.com"
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await page.goto(f"{base}{SITE}/")
        assert "5,500円" in await page.locator(".site-menus").inner_text()
        await _shot(page, "menus", label)

        # 会員登録: every wrong field at once, beside its field; then the real thing.
        await page.get_by_role("link", name="会員登録").click()
        await page.get_by_label("電話番号").fill("12-34")
        await page.get_by_role("button", name="登録する").click()
        assert await page.locator(".site-error").count() == 4
        assert (
            "形式が正しくありません。例: 090-1234-5678"
            in await page.locator("#e-phone").inner_text()
        )
        await _shot(page, "register-errors", label)
        await page.get_by_label("お名前").fill("予約 花子")
        await page.get_by_label("フリガナ").fill("ヨヤク ハナコ")
        await page.get_by_label("メールアドレス").fill(email)
        await page.get_by_label("電話番号").fill("090-1234-5678")
        await page.get_by_role("button", name="登録する").click()
        await page.get_by_role("heading", name="メールをお送りしました").wait_for()
        await _shot(page, "sent", label)
        temporary = temporary_password(await mail_to(sink, email, "仮パスワード"))

        # ログイン with the temporary password, then a password of one's own.
        await page.get_by_role("link", name="ログインへ").click()
        await page.get_by_label("メールアドレス").fill(email)
        await page.get_by_label("パスワード（仮パスワード）").fill("wrong-pass1")
        await page.get_by_role("button", name="ログイン").click()
        assert (
            "メールアドレスまたはパスワードが正しくありません。"
            in await page.locator("[role=alert]").inner_text()
        )
        await _shot(page, "login-refused", label)
        await page.get_by_label("パスワード（仮パスワード）").fill(temporary)
        await page.get_by_role("button", name="ログイン").click()
        await page.wait_for_url(re.compile(r"/password$"))
        await page.get_by_label("現在のパスワード（仮パスワード）").fill(temporary)
        await page.locator("#f-new_password").fill("short1")
        await page.get_by_label("新しいパスワード（確認）").fill("short1")
        await page.get_by_role("button", name="変更する").click()
        assert "8文字以上" in await page.locator("#e-new_password").inner_text()
        await _shot(page, "password-weak", label)
        await page.get_by_label("現在のパスワード（仮パスワード）").fill(temporary)
        await page.locator("#f-new_password").fill("hanako2026")
        await page.get_by_label("新しいパスワード（確認）").fill("hanako2026")
        await page.get_by_role("button", name="変更する").click()
        await page.wait_for_url(re.compile(r"/my$"))
        assert "パスワードを変更しました。" in await page.locator("[role=status]").inner_text()
        await _shot(page, "my-empty", label)

        # メニュー → スタッフ → 日時 → 予約を確定する (three days ahead: still cancellable).
        await page.get_by_role("link", name="メニューから予約する").click()
        await page.locator(".site-card", has_text="カット").get_by_role("link").click()
        member = "佐藤" if label == "pc" else "鈴木"
        await page.locator(".site-staff-pick").get_by_role("link", name=member).click()
        ahead = (clock.today() + timedelta(days=3)).isoformat()
        await page.goto(page.url + f"&day={ahead}")
        assert "定休日" in await page.locator("main").inner_text()
        await _shot(page, "slots", label)
        await page.locator(".site-time").first.click()
        await page.get_by_role("heading", name="ご予約内容の確認").wait_for()
        await _shot(page, "book", label)
        await page.get_by_role("button", name="予約を確定する").click()
        await page.get_by_role("heading", name="ご予約を承りました").wait_for()
        assert member in await page.locator(".site-summary").inner_text()
        await _shot(page, "done", label)
        await mail_to(sink, email, "ご予約を承りました")

        # マイページ: the reservation, then キャンセル with its confirmation.
        await page.get_by_role("link", name="マイページでご予約を見る").click()
        visit = page.locator(".site-visit").first
        assert "カット" in await visit.inner_text() and "5,500円" in await visit.inner_text()
        await _shot(page, "my", label)
        await visit.get_by_role("link", name="キャンセル").click()
        await _shot(page, "cancel", label)
        await page.get_by_role("button", name="キャンセルする").click()
        await page.wait_for_url(re.compile(r"/my$"))
        assert "ご予約をキャンセルしました。" in await page.locator("[role=status]").inner_text()
        assert "これからのご予約はありません。" in await page.locator("main").inner_text()
        await _shot(page, "my-cancelled", label)
        await mail_to(sink, email, "ご予約のキャンセルを承りました")
        await browser.close()
