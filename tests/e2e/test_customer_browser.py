"""The customer master screens in a real browser (Debian's Chromium via Playwright) at PC
and phone widths: search with the advanced criteria, the ❗ caution mark, registration with
a Japanese error, merge and import; screenshots kept as artefacts, nothing scrolls sideways."""

import re
import uuid
from pathlib import Path

import httpx
import pytest

from tests.e2e.flows import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, CHROMIUM_ENV, login, open_search

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]


@pytest.fixture(scope="module")
async def prepared(system, served):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(base_url=served) as client:
        customer_id = await _prepare(client)
    return served, customer_id


async def _prepare(client: httpx.AsyncClient) -> str:
    headers = await login(client)
    body = {
        "family_name": "佐賀", "given_name": "太郎", "family_kana": "サガ", "given_kana": "タロウ",
        "birth_date": "1975-05-05", "phones": ["0952-11-2222", "090-3333-4444"],
        "emails": [f"saga-{uuid.uuid4().hex[:6]}@example.com"], "attributes": ["車椅子"],
        "addresses": [{"kind": "home", "postal_code": "105-0023", "street": "1-1-1"}],
    }  # fmt: skip
    r = await client.post("/api/v1/customers", json=body, headers=headers)
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]
    r = await client.put(
        f"/api/v1/customers/{customer_id}/flags", headers=headers,
        json={"caution": True, "caution_memo": "大声で話される", "alert": "段差に注意"},
    )  # fmt: skip
    assert r.status_code == 204, r.text
    return customer_id


async def _no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


@pytest.mark.parametrize(("label", "width", "height"), [("pc", 1366, 900), ("phone", 375, 812)])
async def test_customer_master_screens_in_a_real_browser(
    prepared, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    base, customer_id = prepared
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            env=CHROMIUM_ENV,
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await page.goto(f"{base}/login?next=/customers")
        await page.get_by_label("メールアドレス").fill("admin@demo.example")
        await page.get_by_label("パスワード").fill("demo-admin-pass")
        await page.get_by_role("button", name="ログイン").click()
        await page.wait_for_url(re.compile(r"/customers$"))

        # Search: hiragana finds the katakana reading; the red ❗ shows on the list.
        await open_search(page)
        await page.get_by_label("お客様名・フリガナ・LINE名").fill("さが")
        await page.locator("summary", has_text="高度な検索").click()
        await page.get_by_label("来店回数（上限）").fill("0")
        await page.get_by_role("button", name="検索").click()
        await page.wait_for_load_state()
        assert "1〜1件 / 1件中" in await page.locator("#result-count").inner_text()
        assert await page.locator(".mark-caution").first.is_visible()
        await page.screenshot(path=ARTIFACTS / f"customer-search-{label}.png", full_page=True)
        await _no_sideways_scroll(page)

        await page.goto(f"{base}/customers/{customer_id}")
        assert "大声で話される" in await page.locator(".warnings").inner_text()
        await page.screenshot(path=ARTIFACTS / f"customer-detail-{label}.png", full_page=True)
        await _no_sideways_scroll(page)

        await page.goto(f"{base}/customers/new")
        await page.locator("#family_name").fill("山田")
        await page.locator("#phones-0").fill("12-34")
        await page.get_by_role("button", name="保存").click()
        await page.wait_for_load_state()
        assert "電話番号" in await page.locator("[role=alert]").inner_text()
        await page.screenshot(path=ARTIFACTS / f"customer-new-{label}.png", full_page=True)
        await _no_sideways_scroll(page)

        for path, name in (("/customers/merge", "merge"), ("/customers/import", "import")):
            await page.goto(f"{base}{path}")
            await page.screenshot(path=ARTIFACTS / f"customer-{name}-{label}.png", full_page=True)
            await _no_sideways_scroll(page)
        await browser.close()
