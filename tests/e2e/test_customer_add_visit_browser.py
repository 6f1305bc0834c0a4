"""予定を追加 from the customer's own page (seed 000: per customer), in a real browser at PC
and phone widths: the booking form opens with the customer and their store chosen; a second
visit of the same customer at the same time is refused with the reason and booked only when
staff confirm (重複を承知で登録する). Screenshots are kept as artefacts."""

import re
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from kit import clock

from tests.e2e.flows import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    CHROMIUM_ENV,
    eventually,
    login,
    open_demo_store_every_day,
    portal_customer,
    screenshot_that_fits,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.database]

WIDTHS = [("pc", 1366, 900), ("phone", 375, 812)]
DAY = clock.today() + timedelta(days=9)  # ahead whatever the zone: bookings must be


@pytest.fixture(scope="module")
async def customers(system, served):  # type: ignore[no-untyped-def]
    """The demo store open every day with 3 staff; one portal customer per screen width,
    already known to booking (it learns them by event)."""
    tag = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=served) as client:
        headers = await login(client)
        store = await open_demo_store_every_day(client, headers)
        found = {}
        for label, _, _ in WIDTHS:
            email = f"add-visit-{label}-{tag}@example.com"
            name = f"予定{tag}{label} 花子"
            customer = await portal_customer(client, headers, email=email, name=name)

            async def known(customer_id: str = customer["id"]) -> str | None:
                probe = await client.post("/api/v1/booking/visits", headers=headers, json={
                    "kind": "store_consultation", "store_id": store["id"],
                    "customer_id": customer_id, "starts_at": f"{DAY}T09:00:00+09:00",
                    "ends_at": f"{DAY}T09:30:00+09:00"})  # fmt: skip
                return probe.json()["id"] if probe.status_code == 201 else None

            probe_id = await eventually(known)
            cancelled = await client.post(
                f"/api/v1/booking/visits/{probe_id}/cancel", headers=headers, json={}
            )
            assert cancelled.status_code == 200, cancelled.text
            found[label] = {"id": customer["id"], "name": name}
    return {"base": served, "customers": found, "store_id": store["id"]}


@pytest.mark.parametrize(("label", "width", "height"), WIDTHS)
async def test_add_a_visit_from_the_customer_page_and_confirm_an_overlap(
    customers, label: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (make system-deps)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    base, customer = customers["base"], customers["customers"][label]
    start, end = {"pc": ("11:00", "12:00"), "phone": ("14:00", "15:00")}[label]  # 3 staff
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        page = await browser.new_page(viewport={"width": width, "height": height}, locale="ja-JP")
        await page.goto(f"{base}/login?next=/customers/{customer['id']}")
        await page.get_by_label("メールアドレス").fill("staff@demo.example")
        await page.get_by_label("パスワード").fill("demo-staff-pass")
        await page.get_by_role("button", name="ログイン").click()
        await page.wait_for_url(re.compile(rf"/customers/{customer['id']}$"))
        add = page.get_by_role("link", name="予定を追加")
        assert await add.count() == 1 and await add.is_visible()
        await screenshot_that_fits(page, f"customer-add-visit-customer-{label}")

        for attempt in ("first", "second"):
            await page.goto(f"{base}/customers/{customer['id']}")
            await page.get_by_role("link", name="予定を追加").click()
            await page.wait_for_url(re.compile(r"/booking/visits/new\?"))
            assert f"customer_id={customer['id']}" in page.url
            assert f"store_id={customers['store_id']}" in page.url
            assert customer["name"] in await page.locator(".chosen").inner_text()
            await page.get_by_label("種別").select_option(value="store_consultation")
            await page.get_by_label("日付").fill(DAY.isoformat())
            await page.get_by_label("開始時刻").fill(start)
            await page.get_by_label("終了時刻").fill(end)
            await page.get_by_role("button", name="予定を登録").click()
            if attempt == "first":
                await page.wait_for_url(re.compile(r"/booking/calendar\?"))
                assert "予定を追加しました。" in await page.locator("[role=status]").inner_text()

        # The same customer at the same time: the reason, the typed input kept, and the offer.
        alert = page.locator("#visit-form [role=alert]")
        assert "同じ時間帯に別の予定があります" in await alert.inner_text()
        assert await page.get_by_label("開始時刻").input_value() == start
        confirm = page.get_by_role("button", name="重複を承知で登録する")
        assert await confirm.is_visible()
        await screenshot_that_fits(page, f"customer-add-visit-overlap-{label}")
        await confirm.click()
        await page.wait_for_url(re.compile(r"/booking/calendar\?"))
        assert "予定を追加しました。" in await page.locator("[role=status]").inner_text()
        await browser.close()

    async with httpx.AsyncClient(base_url=base) as client:
        headers = await login(client)
        visits = await client.get(
            "/api/v1/booking/visits", params={"customer_id": customer["id"]}, headers=headers
        )
        active = [v for v in visits.json() if v["status"] == "reserved"]
        assert [v["starts_at"] for v in active] == [f"{DAY}T{start}:00+09:00"] * 2
