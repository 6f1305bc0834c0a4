"""Issue 13 in a real browser (Debian's Chromium) at 1366 and 375 px: an admin corrects and
retires a medium (with the confirmation page), corrects a property's listing facts and
retires a salon menu (listed folded under 廃止したメニュー); turns 電話番号 off and メールアドレス on in 必須項目 and sees the
registration form's marks follow; types a postal code and sees the address filled (half
width on a PC, full width on a phone); gives 田町支店 its address (the postal code fills it)
and phone (a short one refused beside its field), retires 品川支店 through the confirmation
page and restores it. And the 管理者's 処理できなかったイベント (issue 16): the list of the
tenant's dead letters, one with its message, its re-drive through the confirmation page.
Nothing scrolls sideways; screenshots are kept."""

import re
import uuid
from pathlib import Path

import httpx
import pytest
from contracts import Envelope, InquiryLinkedV2
from kit.bus import Message

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    eventually,
    login,
    open_demo_store_every_day,
    screenshot_that_fits,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

WIDTHS = [("pc", 1366, 900, "1050023"), ("phone", 375, 812, "１５０－００４３")]
ADDRESS = {"pc": ("東京都", "港区", "芝浦"), "phone": ("東京都", "渋谷区", "道玄坂")}
# Tabs and list headers keep each label on one line (UI.md).
UNBROKEN = ".tabs a, table.list th, .row-actions .button, .row-actions button"
BROKEN = """(selector) => [...document.querySelectorAll(selector)].map((e) => {
  const cs = getComputedStyle(e); const r = e.getBoundingClientRect();
  if (!r.width || !r.height) return null;
  const line = cs.lineHeight === "normal" ? parseFloat(cs.fontSize) * 1.2 : parseFloat(cs.lineHeight);
  const inner = r.height - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)
    - parseFloat(cs.borderTopWidth) - parseFloat(cs.borderBottomWidth);
  return inner > line * 1.5 ? e.innerText.trim() : null;
}).filter(Boolean)"""


@pytest.fixture(scope="module")
async def prepared(served):  # type: ignore[no-untyped-def]
    """Per width: a medium, a salon menu and a property with its facts, of the demo store."""
    async with httpx.AsyncClient(base_url=served) as client:
        admin = await login(client)
        store_id = (await open_demo_store_every_day(client, admin))["id"]
        made = {}
        for label, *_ in WIDTHS:
            tag = uuid.uuid4().hex[:4]
            medium = await client.post("/api/v1/media", headers=admin,
                                       json={"code": f"flyer_{tag}", "name": f"チラシ{tag}"})  # fmt: skip
            menu = await client.post("/api/v1/booking/menus", headers=admin, json={
                "store_id": store_id, "name": f"カット{tag}", "duration_minutes": 60,
                "price_yen": 4400})  # fmt: skip
            prop = await client.post("/api/v1/booking/properties", headers=admin, json={
                "store_id": store_id, "name": f"マスタ確認マンション{tag}",
                "facts": {"kind": "mansion", "prefecture": "東京都", "city": "港区",
                          "price_yen": 58_000_000, "layout": "2LDK", "size_m2": 60.5}})  # fmt: skip
            for r in (medium, menu, prop):
                assert r.status_code == 201, r.text
            made[label] = {"tag": tag, "medium": medium.json(), "menu": menu.json(),
                           "property": prop.json()}  # fmt: skip
    return served, store_id, made


@pytest.mark.parametrize(("label", "width", "height", "postal"), WIDTHS)
async def test_an_admin_corrects_and_retires_masters_and_the_forms_follow(  # type: ignore[no-untyped-def]
    prepared, label, width, height, postal
) -> None:
    from playwright.async_api import async_playwright, expect

    base, store_id, made = prepared
    mine = made[label]
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await sign_in(page, base, "/settings/media", who="admin")

        # 媒体: 変更, then 廃止 through its confirmation page.
        medium = mine["medium"]
        row = page.locator("tr", has_text=medium["name"])
        await row.get_by_role("link", name="変更").click()
        await page.get_by_label("媒体名").fill(f"駅前チラシ{mine['tag']}")
        await page.get_by_role("button", name="保存").click()
        await expect(page.get_by_role("status")).to_contain_text("を保存しました")
        row = page.locator("tr", has_text=f"駅前チラシ{mine['tag']}")
        await row.get_by_role("button", name="廃止").click()
        await expect(page.locator("h1")).to_contain_text("を廃止しますか")
        await page.get_by_role("button", name="廃止する").click()
        await expect(page.get_by_role("status")).to_contain_text("を廃止しました")
        await expect(row.locator(".retired")).to_have_text("廃止")
        assert await page.evaluate(BROKEN, UNBROKEN) == []
        await screenshot_that_fits(page, f"masters-media-{label}")

        # A property's facts: the price cut and another layout.
        prop = mine["property"]
        await page.goto(f"{base}/booking/stores/{store_id}/settings")
        await page.locator("tr", has_text=prop["name"]).get_by_role("link").click()
        await page.get_by_label("価格（万円。賃貸は月額の円）").fill("5480")
        await page.get_by_label("間取り").fill("3ldk")
        await screenshot_that_fits(page, f"masters-property-edit-{label}")
        await page.get_by_role("button", name="保存").click()
        await expect(page.get_by_role("status")).to_contain_text("を保存しました")
        await page.goto(f"{base}/booking/stores/{store_id}/properties/{prop['id']}/edit")
        await expect(page.get_by_label("間取り")).to_have_value("3LDK")
        await expect(page.get_by_label("価格（万円。賃貸は月額の円）")).to_have_value("5480")

        # A salon menu retired: gone from the list.
        menu = mine["menu"]
        await page.goto(f"{base}/booking/stores/{store_id}/menus")
        await page.locator("tr", has_text=menu["name"]).get_by_role("link").click()
        await page.get_by_role("button", name="廃止する…").click()
        await page.get_by_role("button", name="廃止する").click()
        await expect(page.get_by_role("status")).to_contain_text("を廃止しました")
        listed = page.locator("td[data-label=メニュー名]", has_text=menu["name"])
        await expect(listed).to_have_count(0)
        await expect(page.locator(".retired-entries summary")).to_contain_text("廃止したメニュー")
        await screenshot_that_fits(page, f"masters-menus-{label}")

        # 必須項目: 電話番号 off, メールアドレス on; the registration form follows.
        await page.goto(f"{base}/settings/required-fields")
        await page.get_by_label("電話番号").uncheck()
        await page.get_by_label("メールアドレス").check()
        await page.get_by_role("button", name="保存").click()
        await expect(page.get_by_role("status")).to_have_text("必須項目を保存しました。")
        await screenshot_that_fits(page, f"masters-required-{label}")
        await page.goto(f"{base}/customers/new")
        await expect(page.locator("label[for=emails-0] .req")).to_have_text("必須")
        await expect(page.locator("label[for=phones-0] .req")).to_have_count(0)

        # 郵便番号から住所: 7 digits typed fill the row's prefecture, city and town.
        await page.locator("#addresses-0-postal_code").press_sequentially(postal)
        prefecture, city, town = ADDRESS[label]
        await expect(page.locator("#addresses-0-prefecture")).to_have_value(prefecture)
        await expect(page.locator("#addresses-0-city")).to_have_value(city)
        await expect(page.locator("#addresses-0-street")).to_have_value(town)
        await page.locator("#addresses-0-street").fill(f"{town}1-1-1")  # still typed by hand
        await expect(page.locator("#addresses-0-street")).to_have_value(re.compile("1-1-1$"))
        await page.locator("#addresses-0-postal_code").evaluate(
            "e => e.scrollIntoView({block: 'center'})"
        )
        await screenshot_that_fits(page, f"masters-postal-{label}")

        # 店舗: its address from the postal code and its phone; 品川 retired, then restored.
        await page.goto(f"{base}/settings/stores")
        await page.locator("tr", has_text="田町支店").get_by_role("link", name="変更・廃止").click()
        for field in ("郵便番号", "市区町村", "町域・番地"):  # the other width's address
            await page.get_by_label(field).fill("")
        await page.get_by_label("郵便番号").press_sequentially(postal)
        await expect(page.get_by_label("市区町村")).to_have_value(city)
        await page.get_by_label("町域・番地").fill(f"{town}3-1-1")
        await page.get_by_label("電話番号").fill("03-1234-567")
        await page.get_by_role("button", name="保存").click()
        await expect(page.locator("#f-phone-error")).to_have_text(
            "電話番号の形式が正しくありません。例: 03-1234-5678"
        )
        await expect(page.get_by_label("町域・番地")).to_have_value(f"{town}3-1-1")  # kept
        await screenshot_that_fits(page, f"masters-store-edit-{label}")
        await page.get_by_label("電話番号").fill("03-1234-5678")
        await page.get_by_role("button", name="保存").click()
        await expect(page.get_by_role("status")).to_contain_text("を保存しました")
        tamachi = page.locator("tr", has_text="田町支店")
        await expect(tamachi).to_contain_text(f"{prefecture}{city}{town}3-1-1")
        await page.locator("tr", has_text="品川支店").get_by_role("link", name="変更・廃止").click()
        await page.get_by_role("button", name="廃止する…").click()
        await expect(page.locator("h1")).to_contain_text("「品川支店」を廃止しますか")
        await screenshot_that_fits(page, f"masters-store-retire-{label}")
        await page.get_by_role("button", name="廃止する").click()
        await expect(page.get_by_role("status")).to_contain_text("を廃止しました")
        await expect(page.locator("tr", has_text="品川支店").locator(".retired")).to_have_text(
            "廃止"
        )
        assert await page.evaluate(BROKEN, UNBROKEN) == []
        await screenshot_that_fits(page, f"masters-stores-{label}")
        await page.locator("tr", has_text="品川支店").get_by_role("link", name="変更・廃止").click()
        await page.get_by_role("button", name="再開する").click()
        await expect(page.get_by_role("status")).to_contain_text("を再開しました")
        await browser.close()


async def _dead_letter(system) -> str:  # type: ignore[no-untyped-def]
    """An InquiryLinked of the demo tenant that its consumers cannot read: dead-lettered."""
    async with system.runtimes["gateway"].uow(tenant_id=None) as uow:
        tenant = (await uow.accounts.tenant_by_slug(slug="demo")).id
    envelope = Envelope(event_type=InquiryLinkedV2.event_type, version=2,
                        routing_key=InquiryLinkedV2.routing_key(), tenant_id=tenant,
                        producer="customer", payload={"inquiry": {"customer": {
                            "name": "住まい花子", "email": "hanako@example.com"}}})  # fmt: skip
    event_id = str(envelope.event_id)
    await system.bus.publish(Message(envelope.routing_key, envelope.model_dump_json().encode(),
                                     event_id))  # fmt: skip

    async def parked() -> bool:
        return any(m.message_id == event_id for m in await system.bus.dead_letters("leads.events"))

    await eventually(parked)
    return event_id


@pytest.mark.parametrize(("label", "width", "height"), [w[:3] for w in WIDTHS])
async def test_an_admin_reads_and_redrives_a_dead_letter(
    system, served, label, width, height
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright, expect

    event_id = await _dead_letter(system)
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await sign_in(page, served, "/admin/dead-letters", who="admin")
        await expect(page.locator("h1")).to_have_text("処理できなかったイベント")
        row = page.locator("section h3", has_text="ホットリード").locator(
            "+ table tr", has_text=event_id
        )
        await expect(row).to_contain_text("ValidationError")
        await screenshot_that_fits(page, f"dead-letters-{label}")
        await row.get_by_role("link", name="詳細").click()
        await expect(page.locator("pre.payload")).to_contain_text('"name": "住まい花子"')
        await screenshot_that_fits(page, f"dead-letter-{label}")
        await page.get_by_role("button", name="再送").click()
        await expect(page.locator("h1")).to_contain_text("を再送しますか")
        await screenshot_that_fits(page, f"dead-letter-confirm-{label}")
        await page.get_by_role("button", name="再送する").click()
        await expect(page.get_by_role("status")).to_have_text("1件を再送しました。")
        await browser.close()
