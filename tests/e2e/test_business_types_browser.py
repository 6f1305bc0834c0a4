"""The business type drives the client (GW-2, UI.md), in a real browser at PC and phone
widths: a broker's company sees 物件 and tours and no salon words, a salon's sees 回数券,
営業報告 and 事前決済 and no 物件 or 反響; an area the tenant does not use answers 404; no
「準備中」 reaches a page. Forms people trust: a notice shown once (not in the URL), an empty
list that says what to do next, a past visit refused then recorded knowingly as 来店済み, a
withdrawn customer without follow-up actions and 退会 behind a confirmation step. The phone
header stays compact. Date inputs show 年/月/日 (Debian's chromium-l10n)."""

import re
import uuid
from datetime import timedelta

import httpx
import pytest
from kit import clock

from tests.e2e.flows import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    eventually,
    inquiry_body,
    login,
    post_inquiry,
    screenshot_that_fits,
    sign_in,
    single_type_tenant,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]
TOMORROW = clock.today() + timedelta(days=1)
YESTERDAY = clock.today() - timedelta(days=1)
SALON_WORDS = ("回数券", "営業報告", "事前決済")
# The phone header: brand and account, company and store, the areas — three short rows.
PHONE_HEADER_MAX_PX = 175


async def _customer(client: httpx.AsyncClient, headers: dict, family: str, given: str) -> str:
    body = {"family_name": family, "given_name": given, "family_kana": "テスト",
            "given_kana": "イチロウ", "birth_date": "1980-04-01", "phones": ["090-7777-0001"],
            "emails": [f"bt-{uuid.uuid4().hex[:6]}@example.com"]}  # fmt: skip
    r = await client.post("/api/v1/customers", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _visit(client: httpx.AsyncClient, headers: dict, body: dict) -> str:
    """Booked once the customer has reached the booking service (an event away)."""

    async def booked() -> str | None:
        r = await client.post("/api/v1/booking/visits", headers=headers, json=body)
        return r.json()["id"] if r.status_code == 201 else None

    return await eventually(booked)


@pytest.fixture(scope="module")
async def world(system, served):  # type: ignore[no-untyped-def]
    estate = await single_type_tenant(system, "bt-estate", "real_estate", "(株)業種テスト不動産")
    salon = await single_type_tenant(system, "bt-salon", "salon", "サロン業種テスト")
    transport = httpx.ASGITransport(app=system.gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        h, store = estate["headers"], estate["store_id"]
        r = await client.post("/api/v1/booking/properties", headers=h, json={
            "store_id": store, "name": "業種テストマンション", "portal_listed": True,
            "concurrent_groups": 1})  # fmt: skip
        assert r.status_code == 201, r.text
        buyer = await _customer(client, h, "不動", "一郎")
        tour = {"kind": "listed_property_tour", "store_id": store, "customer_id": buyer,
                "property_id": r.json()["id"], "starts_at": f"{TOMORROW}T11:00:00+09:00",
                "ends_at": f"{TOMORROW}T12:00:00+09:00"}  # fmt: skip
        estate |= {"customer": buyer, "visit": await _visit(client, h, tour),
                   "leaving": await _customer(client, h, "退会", "予定")}  # fmt: skip
        h, store = salon["headers"], salon["store_id"]
        menu = await client.post("/api/v1/booking/menus", headers=h, json={
            "store_id": store, "name": "カット", "duration_minutes": 60, "price_yen": 4400})  # fmt: skip
        member = await client.post("/api/v1/booking/staff-members", headers=h,
                                   json={"store_id": store, "name": "佐藤"})  # fmt: skip
        assert menu.status_code == member.status_code == 201, menu.text + member.text
        guest = await _customer(client, h, "美容", "花子")
        salon |= {"customer": guest, "visit": await _visit(client, h, {
            "kind": "salon", "store_id": store, "customer_id": guest,
            "menu_id": menu.json()["id"], "staff_member_id": member.json()["id"],
            "starts_at": f"{TOMORROW}T11:00:00+09:00"})}  # fmt: skip
    return {"base": served, "estate": estate, "salon": salon}


@pytest.fixture(scope="module")
async def browser():  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        launched = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        yield launched
        await launched.close()


async def _page(browser, width: int, height: int):  # type: ignore[no-untyped-def]
    context = await browser.new_context(viewport={"width": width, "height": height}, locale="ja-JP")
    return await context.new_page()


async def _date_fields(page, selector: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The accessible names of a date input's fields, as Chromium's own UI language has them."""
    await page.locator(selector).focus()
    cdp = await page.context.new_cdp_session(page)
    tree = await cdp.send("Accessibility.getFullAXTree")
    return [n["name"]["value"] for n in tree["nodes"]
            if n.get("role", {}).get("value") == "spinbutton" and "name" in n]  # fmt: skip


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_a_broker_and_a_salon_each_see_their_own_business(  # type: ignore[no-untyped-def]
    world, browser, label: str, width: int, height: int
) -> None:
    base, estate, salon = world["base"], world["estate"], world["salon"]
    page = await _page(browser, width, height)
    await sign_in(page, base, f"/booking/visits/{estate['visit']}", account=estate["account"])
    main = await page.locator("main").inner_text()
    assert "業種テストマンション" in main
    assert not [w for w in SALON_WORDS if w in main], main
    nav = await page.locator("nav.nav").inner_text()
    assert "物件" in nav and "反響" in nav and "受注" not in nav and "定期" not in nav
    fields = await _date_fields(page, "#move-day")
    assert [f[0] for f in fields[:3]] == ["年", "月", "日"], fields  # the page's first date input
    await screenshot_that_fits(page, f"business-estate-visit-{label}")
    if width <= 430:
        header = await page.locator("header.topbar").bounding_box()
        assert header and header["height"] <= PHONE_HEADER_MAX_PX, header
    await page.get_by_role("link", name="物件").click()
    await page.wait_for_url(re.compile(r"/settings#properties$"))
    settings = await page.locator("main").inner_text()
    assert "業種テストマンション" in settings and "事前決済" not in settings
    assert "メニュー" not in await page.locator("nav.tabs").inner_text()
    await page.goto(f"{base}/monitor/{estate['customer']}")
    assert "準備中" not in await page.content()
    assert (await page.goto(f"{base}/booking/tickets")).status == 404
    await page.context.close()

    page = await _page(browser, width, height)
    await sign_in(page, base, f"/booking/visits/{salon['visit']}", account=salon["account"])
    main = await page.locator("main").inner_text()
    assert "回数券" in main and "営業報告" in main and "カット" in main
    nav = await page.locator("nav.nav").inner_text()
    assert "物件" not in nav and "反響" not in nav and "予約" in nav
    assert await page.locator(".account-menu a", has_text="店舗設定").count() == 1
    await screenshot_that_fits(page, f"business-salon-visit-{label}")
    assert (await page.goto(f"{base}/inquiries")).status == 404
    await page.goto(f"{base}/booking/stores/{salon['store_id']}/settings")
    settings = await page.locator("main").inner_text()
    assert "事前決済機能を利用する" in settings and "物件" not in settings
    await page.context.close()

    if width <= 430:  # the demo's header is the longest: eight areas and a store switcher
        page = await _page(browser, width, height)
        await sign_in(page, base, "/customers")
        header = await page.locator("header.topbar").bounding_box()
        assert header and header["height"] <= PHONE_HEADER_MAX_PX, header
        await screenshot_that_fits(page, f"business-demo-header-{label}")
        await page.context.close()


async def test_a_past_visit_is_refused_then_recorded_knowingly_as_visited(world, browser) -> None:  # type: ignore[no-untyped-def]
    base, estate = world["base"], world["estate"]
    page = await _page(browser, 1366, 900)
    query = f"store_id={estate['store_id']}&customer_id={estate['customer']}&day={YESTERDAY}"
    await sign_in(page, base, "/booking", account=estate["account"])
    await page.goto(f"{base}/booking/visits/new?{query}&start=10:00")
    await page.get_by_label(re.compile("^種別")).select_option(value="store_consultation")
    await page.get_by_role("button", name="予定を登録").click()
    error = await page.locator("#visit-error").inner_text()
    assert "過ぎています" in error and f"{YESTERDAY:%Y/%m/%d}" in error, error
    await screenshot_that_fits(page, "business-past-visit-refused-pc")
    async with page.expect_navigation(url=re.compile(r"/booking/calendar\?")):
        await page.get_by_role("button", name="来店済みとして記録する").click()
    assert "来店済みとして記録しました。" in await page.locator(".notice").inner_text()
    assert "notice=" not in page.url
    status = await page.locator("table.list td[data-label=ステータス]").all_inner_texts()
    assert status == ["来店済み"], status  # never 予約中来店前
    await page.context.close()


async def test_withdrawal_is_confirmed_the_notice_shows_once_and_lists_say_what_next(  # type: ignore[no-untyped-def]
    world, browser
) -> None:
    base, estate = world["base"], world["estate"]
    page = await _page(browser, 375, 812)
    await sign_in(page, base, f"/customers/{estate['leaving']}", account=estate["account"])
    assert await page.get_by_role("button", name="担当を設定").count() == 1
    await page.get_by_label("退会理由").fill("転居のため")
    await page.get_by_role("button", name="退会の確認へ").click()
    assert "退会 予定 様を退会にしますか" in await page.locator("main").inner_text()
    assert await page.get_by_label("退会理由").input_value() == "転居のため"  # kept
    await screenshot_that_fits(page, "business-withdraw-confirm-phone")
    async with page.expect_navigation(url=re.compile(rf"/customers/{estate['leaving']}$")):
        await page.get_by_role("button", name="退会する").click()
    assert "退会の手続きをしました。" in await page.locator(".notice").inner_text()
    assert "退会されたお客様" in await page.locator("#withdrawn-note").inner_text()
    for action in ("担当を設定", "追客状況を変更"):
        assert await page.get_by_role("button", name=action).count() == 0, action
    assert await page.get_by_role("button", name="メモを追加").count() == 1  # a note is kept
    assert await page.get_by_role("link", name="予定を追加").count() == 0
    await screenshot_that_fits(page, "business-withdrawn-customer-phone")
    await page.reload()
    assert await page.locator(".notice").count() == 0  # shown once

    await page.goto(f"{base}/customers?q=該当者なし山")
    empty = await page.locator("#empty-result").inner_text()
    assert "条件を変えるか" in empty and "お客様登録" in empty
    assert "0〜0件" not in await page.locator("main").inner_text()
    await screenshot_that_fits(page, "business-empty-list-phone")
    await page.context.close()


async def test_no_page_of_any_tenant_says_not_ready(world, client) -> None:  # type: ignore[no-untyped-def]
    """「準備中」 never reaches a user: the pages of a broker, a salon and the demo (all three
    types), each signed in through the login form."""
    estate, salon = world["estate"], world["salon"]
    demo = await login(client)
    demo_customer = await _customer(client, demo, "見本", "太郎")
    today = inquiry_body(email=f"bt-{uuid.uuid4().hex[:6]}@example.com", name="本日 反響",
                         phone="090-7777-0009")  # fmt: skip
    today["received_at"] = clock.now().isoformat()
    assert (await post_inquiry(client, today)).status_code == 202
    for account, customer in ((estate["account"], estate["customer"]),
                              (salon["account"], salon["customer"]),
                              (("admin@demo.example", "demo-admin-pass"), demo_customer)):  # fmt: skip
        client.cookies.clear()
        r = await client.post("/login", data={"email": account[0], "password": account[1],
                                              "next": "/customers"})  # fmt: skip
        assert r.status_code == 303, r.text
        for path in ("/customers", f"/customers/{customer}", f"/monitor/{customer}", "/booking",
                     "/inquiries", "/hot-leads", "/orders", "/subscriptions", "/me"):  # fmt: skip
            for tab in ("", "?tab=interactions", "?tab=purchases"):
                page = await client.get(path + (tab if path.startswith("/monitor") else ""))
                assert page.status_code in (200, 404), (path, page.status_code)
                assert "準備中" not in page.text, path
        badge = await client.get("/inquiries/today-count")  # the header's 反響 badge
        if account == estate["account"]:
            assert badge.status_code == 200 and badge.text == "0"
        elif account == salon["account"]:
            assert badge.status_code == 404  # a salon has no 反響
        else:

            async def counted() -> bool:
                return (await client.get("/inquiries/today-count")).text == "1"

            await eventually(counted)
