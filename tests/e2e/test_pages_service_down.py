"""Pages never show JSON: when a service behind a page answers 503 (here: the embedded
service app refuses every request, as an overloaded or stopping service would), the page
says so in Japanese inside the site's frame, and the pages and sections that do not need
that service still work."""

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from fastapi import HTTPException
from kit.auth import current_principal

from tests.e2e.flows import VISIT_DAY, eventually, login

DAY = VISIT_DAY.isoformat()


def _says(service: str) -> str:
    return f"ただいま{service}の情報を表示できません。しばらくしてから再度お試しください。"


@contextmanager
def down(system, name: str) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The service's app answers 503 to every authenticated request while inside."""

    async def unavailable() -> None:
        raise HTTPException(503, "ただいま処理できません。")

    app = system.apps[name]
    app.dependency_overrides[current_principal] = unavailable
    try:
        yield
    finally:
        app.dependency_overrides.pop(current_principal)


def _html_page(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert '"detail"' not in response.text
    assert 'aria-label="メインメニュー"' in response.text  # the rest of the client is a click away
    return response.text


async def _visit(client: httpx.AsyncClient, headers: dict[str, str], phone: str) -> str:
    store = (await client.get("/api/v1/stores", headers=headers)).json()[0]["id"]
    hours = {str(d): ["09:00", "20:00"] for d in range(7)}
    settings = {"name": "店舗", "staff_count": 3, "hours": hours}
    r = await client.put(f"/api/v1/booking/stores/{store}", json=settings, headers=headers)
    assert r.status_code == 200, r.text
    body = {"family_name": "停止", "phone": phone}
    r = await client.post("/api/v1/customer-phone-registrations", json=body, headers=headers)
    assert r.status_code == 201, r.text
    visit = {"kind": "store_consultation", "store_id": store, "customer_id": r.json()["id"],
             "starts_at": f"{DAY}T16:00:00+09:00", "ends_at": f"{DAY}T17:00:00+09:00"}  # fmt: skip

    async def booked() -> str | None:  # booking knows the customer once the event is in
        r = await client.post("/api/v1/booking/visits", json=visit, headers=headers)
        return r.json()["id"] if r.status_code == 201 else None

    return await eventually(booked)


async def test_booking_down_is_said_on_its_pages_and_the_rest_works(
    system, client: httpx.AsyncClient
) -> None:  # type: ignore[no-untyped-def]
    headers = await login(client)
    visit_id = await _visit(client, headers, "090-7100-0001")
    with down(system, "booking"):
        for path in ("/booking", f"/booking/visits/{visit_id}", "/booking/reports"):
            page = _html_page(await client.get(path, headers=headers), 503)
            assert _says("予約") in page
        # The customer list needs booking only for its menu choices: it still searches.
        page = _html_page(await client.get("/customers", headers=headers), 200)
        assert "メニュー・スタッフの選択肢を予約から取得できませんでした" in page
        _html_page(await client.get("/inquiries", headers=headers), 200)
        # The API keeps its envelope: programs get JSON, people get the page.
        api = await client.get("/api/v1/booking/conflicts", headers=headers)
        assert api.status_code == 503 and "detail" in api.json()
    _html_page(await client.get(f"/booking/visits/{visit_id}", headers=headers), 200)


async def test_customer_down_costs_the_customer_section_of_a_visit(
    system, client: httpx.AsyncClient
) -> None:  # type: ignore[no-untyped-def]
    headers = await login(client)
    visit_id = await _visit(client, headers, "090-7100-0002")
    with down(system, "customer"):
        page = _html_page(await client.get(f"/booking/visits/{visit_id}", headers=headers), 200)
        assert _says("顧客") in page and "日時変更" in page
        for path in ("/customers", "/customers/merge", "/monitor?q=090-7100-0002"):
            assert _says("顧客") in _html_page(await client.get(path, headers=headers), 503)
        _html_page(await client.get("/booking", headers=headers), 200)


async def test_inquiry_down_is_said_on_the_inquiry_pages(system, client: httpx.AsyncClient) -> None:  # type: ignore[no-untyped-def]
    headers = await login(client)
    with down(system, "inquiry"):
        for path in ("/inquiries", "/inquiries/new", "/inquiries/export"):
            assert _says("反響") in _html_page(await client.get(path, headers=headers), 503)
        _html_page(await client.get("/customers", headers=headers), 200)


async def test_orders_down_is_said_on_its_pages_and_the_monitor_works(
    system, client: httpx.AsyncClient
) -> None:  # type: ignore[no-untyped-def]
    headers = await login(client)
    body = {"family_name": "受注停止", "phone": "090-7100-0009"}
    r = await client.post("/api/v1/customer-phone-registrations", json=body, headers=headers)
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]
    with down(system, "orders"):
        for path in ("/orders", f"/orders/new?customer_id={customer_id}", "/subscriptions",
                     "/orders/products", "/orders/masters/staff", "/orders/masters/shipping-fees",
                     "/orders/settings"):  # fmt: skip
            page = _html_page(await client.get(path, headers=headers), 503)
            assert _says("受注") in page
        # The monitor needs no orders: its 受注入力 button is there.
        page = _html_page(await client.get(f"/monitor/{customer_id}", headers=headers), 200)
        assert f"/orders/new?customer_id={customer_id}" in page
        api = await client.get("/api/v1/mail-order/orders", headers=headers)
        assert api.status_code == 503 and "detail" in api.json()
    _html_page(await client.get("/orders", headers=headers), 200)
