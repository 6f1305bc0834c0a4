"""The roles the gateway's OpenAPI document states (``x-roles``) are the services' rules: every
operation documented as 管理者のみ refuses a 一般 user of the same tenant, on the tenant's
own resources, and changes nothing. The operations are taken from the document, so a new
admin-only declaration without a case here fails."""

import uuid

import httpx
import pytest
from gateway.entrypoints.orders_api import REPORTS

from tests.e2e.flows import login, open_demo_store_every_day

pytestmark = [pytest.mark.e2e, pytest.mark.database]


async def _partner_row(system, client: httpx.AsyncClient, admin: dict) -> str:  # type: ignore[no-untyped-def]
    """A partner of the demo tenant (its row: the embedded mode makes no feed on a broker)."""
    from gateway.adapters.orm import Partner

    tenant_id = uuid.UUID((await client.get("/api/v1/me", headers=admin)).json()["tenant_id"])
    partner_id = uuid.uuid4()

    async def add(uow) -> None:  # type: ignore[no-untyped-def]
        await uow.partners.add(Partner(id=partner_id, tenant_id=tenant_id, name="役割パートナー",
                                       event_types=["customer.merged.v1"],
                                       queue=f"crm.partner.{partner_id}"))  # fmt: skip

    await system.runtimes["gateway"].transactions(tenant_id=tenant_id).run(add)
    return str(partner_id)


class FILES:
    """A multipart body (an upload) instead of JSON."""

    def __init__(self, files: dict) -> None:
        self.files = files


async def test_every_admin_only_operation_refuses_a_general_user(system) -> None:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=system.gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        admin = await login(client)
        staff = await login(client, "staff@demo.example", "demo-staff-pass")
        store_id = (await open_demo_store_every_day(client, admin))["id"]
        r = await client.post("/api/v1/booking/properties", headers=admin,
                              json={"store_id": store_id, "name": "役割確認マンション"})  # fmt: skip
        assert r.status_code == 201, r.text
        property_id = r.json()["id"]
        r = await client.post(f"/api/v1/booking/stores/{store_id}/notification-targets",
                              headers=admin, json={"name": "本部", "email": "hq-roles@example.com"})  # fmt: skip
        assert r.status_code == 201, r.text
        staff_id = (await client.get("/api/v1/me", headers=staff)).json()["user_id"]
        target_id = r.json()["id"]
        r = await client.post("/api/v1/customer-imports", headers=admin, files={"file": (
            "顧客.csv", "姓,名,メールアドレス\r\n役割,確認,roles@example.com\r\n".encode("cp932"),
            "text/csv")})  # fmt: skip
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        masters = await _own_masters(client, admin, store_id)
        hook = {"url": "https://hooks.example/roles", "event_types": ["inquiry.received.v1"]}
        r = await client.post("/api/v1/webhooks/endpoints", headers=admin, json=hook)
        assert r.status_code == 201, r.text
        masters["endpoint_id"] = r.json()["id"]
        ids = {"store_id": store_id, "property_id": property_id, "target_id": target_id,
               "job_id": job_id, "user_id": staff_id, **masters,
               **await _histories(client, admin)}  # fmt: skip
        customer = "00000000-0000-4000-8000-000000000002"
        other = "00000000-0000-4000-8000-000000000003"
        csv = "お客様番号,姓,名\r\n,一般,登録\r\n".encode("cp932")
        bodies = {
            "PUT /api/v1/booking/stores/{store_id}": {"name": "一般が変更", "staff_count": 1,
                                                      "hours": {"0": ["09:00", "18:00"]}},
            "POST /api/v1/booking/properties": {"store_id": store_id, "name": "一般が追加"},
            "PUT /api/v1/booking/properties/{property_id}": {
                "store_id": store_id, "name": "一般が変更"},
            "POST /api/v1/booking/menus": {"store_id": store_id, "name": "一般が追加",
                                           "duration_minutes": 30, "price_yen": 1000},
            "POST /api/v1/booking/staff-members": {"store_id": store_id, "name": "一般が追加"},
            "PUT /api/v1/settings/customer-required-fields": {"required_fields": ["birth_date"]},
            "POST /api/v1/media": {"code": "by_general", "name": "一般が追加"},
            "PUT /api/v1/media/{medium_id}": {"name": "一般が変更"},
            "POST /api/v1/media/{medium_id}/retire": None,
            "POST /api/v1/media/{medium_id}/restore": None,
            "POST /api/v1/inflow-sources": {"name": "一般が追加"},
            "PUT /api/v1/inflow-sources/{source_id}": {"name": "一般が変更"},
            "POST /api/v1/inflow-sources/{source_id}/retire": None,
            "POST /api/v1/inflow-sources/{source_id}/restore": None,
            "PUT /api/v1/booking/menus/{menu_id}": {"name": "一般が変更", "duration_minutes": 30,
                                                     "price_yen": 1000},
            "POST /api/v1/booking/menus/{menu_id}/retire": None,
            "PUT /api/v1/booking/staff-members/{staff_member_id}": {"name": "一般が変更"},
            "POST /api/v1/booking/staff-members/{staff_member_id}/retire": None,
            "POST /api/v1/booking/properties/{property_id}/retire": None,
            "POST /api/v1/booking/properties/{property_id}/restore": None,
            "POST /api/v1/booking/menus/{menu_id}/restore": None,
            "POST /api/v1/booking/staff-members/{staff_member_id}/restore": None,
            "PUT /api/v1/stores/{store_id}": {"code": "BY-GENERAL", "name": "一般が変更"},
            "POST /api/v1/stores/{store_id}/retire": None,
            "POST /api/v1/stores/{store_id}/restore": None,
            "POST /api/v1/admin/portal-secret": None,
            "PUT /api/v1/hot-leads/settings": {"preset": "no_proposals"},
            "POST /api/v1/booking/stores/{store_id}/notification-targets": {
                "name": "一般が追加", "email": "general@example.com"},
            "DELETE /api/v1/booking/notification-targets/{target_id}": None,
            "POST /api/v1/merges/preview": {"source_id": customer, "target_id": other},
            "POST /api/v1/merges": {"source_id": customer, "target_id": other, "confirm": True},
            "POST /api/v1/customer-imports": FILES({"file": ("顧客.csv", csv, "text/csv")}),
            "POST /api/v1/customer-imports/{job_id}/overwrite": None,
            "GET /api/v1/customers.csv": None,
            "GET /api/v1/customers/dm-list.csv": None,
            "GET /api/v1/customers/dm-list/count": None,
            "GET /api/v1/inquiries.csv": None,
            "GET /api/v1/accounts": None,
            "POST /api/v1/accounts": {"email": "by-general@demo.example",
                                      "display_name": "一般が追加", "role": "admin"},
            "PUT /api/v1/accounts/{user_id}": {"display_name": "一般が変更", "role": "admin",
                                               "store_ids": []},
            "POST /api/v1/accounts/{user_id}/invitation": None,
            "GET /api/v1/interactions/daily": None,
            "GET /api/v1/customers/{customer_id}/deleted-entries": None,
            "PUT /api/v1/interactions/{interaction_id}/instruction": {"instruction": "一般が指示"},
            "PUT /api/v1/staff-instructions": {"staff_id": str(uuid.uuid4()), "instruction": "一般が指示"},
            "PUT /api/v1/customer-ranks": {"ranks": [{"name": "一般のランク", "min_orders": 1}]},
            "POST /api/v1/faq/categories": {"name": "一般の分類"},
            "POST /api/v1/faq/entries": {"category_id": ids["category_id"], "question": "一般",
                                         "answer": "一般が追加"},
            "PUT /api/v1/faq/entries/{faq_id}": {"category_id": ids["category_id"],
                                                 "question": "一般", "answer": "一般が変更"},
            "DELETE /api/v1/faq/entries/{faq_id}": None,
            "PUT /api/v1/faq/categories/{category_id}": {"name": "一般が変更", "retired": True},
            "GET /api/v1/partners": None,
            "POST /api/v1/partners": {"name": "一般が追加", "event_types": ["customer.merged.v1"]},
            "POST /api/v1/partners/{partner_id}/rotate": None,
            "POST /api/v1/partners/{partner_id}/replay": {
                "from": "2026-01-01T00:00:00+09:00", "to": "2026-01-02T00:00:00+09:00"},
            "DELETE /api/v1/partners/{partner_id}": None,
            "GET /api/v1/webhooks/event-types": None,
            "GET /api/v1/webhooks/endpoints": None,
            "POST /api/v1/webhooks/endpoints": hook,
            "GET /api/v1/webhooks/endpoints/{endpoint_id}": None,
            "PUT /api/v1/webhooks/endpoints/{endpoint_id}": {**hook, "active": False},
            "DELETE /api/v1/webhooks/endpoints/{endpoint_id}": None,
            "POST /api/v1/webhooks/endpoints/{endpoint_id}/rotate-secret": None,
            "GET /api/v1/webhooks/endpoints/{endpoint_id}/deliveries": None,
            "POST /api/v1/webhooks/endpoints/{endpoint_id}/replay": {
                "from": "2026-01-01T00:00:00+09:00", "to": "2026-01-02T00:00:00+09:00"},
        }  # fmt: skip
        ids["partner_id"] = await _partner_row(system, client, admin)
        entries = await _order_masters(client, admin)
        bodies.update(await _order_bodies(client, admin, entries))
        document = (await client.get("/openapi.json")).json()
        admin_only = [
            (method.upper(), path)
            for path, item in document["paths"].items()
            for method, op in item.items()
            if op.get("x-roles") == ["admin"]
        ]
        assert len(admin_only) >= 8
        before = await _state(client, admin, store_id, property_id)
        for method, path in admin_only:
            key = f"{method} {path}"
            assert key in bodies, f"{key}: give the test a body an admin would send"
            body = bodies[key]
            sent = {"files": body.files} if isinstance(body, FILES) else {"json": body}
            kind = path.removeprefix("/api/v1/mail-order/").split("/")[0]
            where = path.format(**ids, entry_id=entries.get(kind, ""))
            r = await client.request(method, where, headers=staff, **sent)
            assert r.status_code == 403, (key, r.status_code, r.text)
            assert not r.json()["detail"]["message"].isascii(), key  # said in Japanese
        assert await _state(client, admin, store_id, property_id) == before


async def _state(client: httpx.AsyncClient, admin: dict, store_id: str, property_id: str) -> list:
    paths = [f"/api/v1/booking/stores/{store_id}", f"/api/v1/booking/properties/{property_id}",
             f"/api/v1/booking/menus?store_id={store_id}",
             f"/api/v1/booking/staff-members?store_id={store_id}",
             f"/api/v1/booking/menus?store_id={store_id}&include_retired=true",
             f"/api/v1/booking/staff-members?store_id={store_id}&include_retired=true",
             f"/api/v1/booking/properties?store_id={store_id}&include_retired=true",
             "/api/v1/settings/customer-required-fields", "/api/v1/media",
             "/api/v1/inflow-sources",
             f"/api/v1/booking/stores/{store_id}/notification-targets", "/api/v1/accounts",
             "/api/v1/partners",
             "/api/v1/merges", "/api/v1/me", "/api/v1/hot-leads/settings",
             "/api/v1/customer-ranks", "/api/v1/faq/categories", "/api/v1/faq/entries",
             "/api/v1/webhooks/endpoints"]  # fmt: skip
    paths += [f"/api/v1/mail-order/{kind}?include_retired=true" for kind in ORDER_MASTERS]
    paths += [
        "/api/v1/mail-order/settings",
        "/api/v1/mail-order/subscription-settings",
        "/api/v1/mail-order/shipper-settings",
        "/api/v1/mail-order/subscription-runs/last",
    ]
    return [(await client.get(p, headers=admin)).json() for p in paths]


async def _histories(client: httpx.AsyncClient, admin: dict) -> dict[str, str]:
    """A new customer with an interaction, an FAQ category and entry, as an admin adds them."""
    r = await client.post("/api/v1/customers", headers=admin, json={
        "family_name": "役割", "given_name": "確認", "family_kana": "ヤクワリ",
        "given_kana": "カクニン", "birth_date": "1980-01-01", "phones": ["090-7777-0101"],
        "emails": ["roles-histories@example.com"]})  # fmt: skip
    assert r.status_code == 201, r.text
    customer_id = r.json()["id"]
    r = await client.post(f"/api/v1/customers/{customer_id}/interactions", headers=admin,
                          json={"kind": "call_in", "body": "役割確認"})  # fmt: skip
    assert r.status_code == 201, r.text
    interaction_id = str(r.json()["id"])
    r = await client.post("/api/v1/faq/categories", headers=admin, json={"name": "役割確認"})
    assert r.status_code == 201, r.text
    category_id = r.json()["id"]
    r = await client.post("/api/v1/faq/entries", headers=admin, json={
        "category_id": category_id, "question": "役割確認", "answer": "役割確認の回答"})  # fmt: skip
    assert r.status_code == 201, r.text
    return {"interaction_id": interaction_id, "category_id": category_id, "faq_id": r.json()["id"],
            "customer_id": customer_id}  # fmt: skip


async def _own_masters(client: httpx.AsyncClient, admin: dict, store_id: str) -> dict[str, str]:
    """A medium, an inflow source, a menu and a staff member of the tenant's (issue 13)."""
    made = {}
    for key, path, body in (
        ("medium_id", "/api/v1/media", {"code": "roles_flyer", "name": "役割確認チラシ"}),
        ("source_id", "/api/v1/inflow-sources", {"name": "役割確認の紹介"}),
        ("menu_id", "/api/v1/booking/menus", {"store_id": store_id, "name": "役割確認カット",
                                              "duration_minutes": 30, "price_yen": 1000}),
        ("staff_member_id", "/api/v1/booking/staff-members",
         {"store_id": store_id, "name": "役割 確認"}),
    ):  # fmt: skip
        r = await client.post(path, headers=admin, json=body)
        assert r.status_code == 201, (path, r.text)
        made[key] = r.json()["id"]
    return made


# One entry of each of the orders service's masters, as an admin adds it.
ORDER_MASTERS = {
    "staff": {"name": "役割 確認", "role": "operator"},
    "media": {"name": "役割確認チラシ", "code": "roles"},
    "product-categories": {"name": "役割確認"},
    "products": {"code": "ROLE-1", "name": "役割確認の品", "price_yen": 1000},
    "shipping-fees": {"prefecture": "沖縄県", "fee_yen": 1200},
    "reasons": {"kind": "cancel", "text": "役割確認"},
    "survey-questions": {"text": "役割確認の問い", "answer_kind": "text"},
    "campaigns": {
        "name": "役割確認",
        "kind": "free_shipping",
        "starts_on": "2026-01-01",
        "ends_on": "2026-01-31",
    },
}


async def _order_masters(client: httpx.AsyncClient, admin: dict) -> dict[str, str]:
    entries = {}
    for kind, body in ORDER_MASTERS.items():
        r = await client.post(f"/api/v1/mail-order/{kind}", headers=admin, json=body)
        assert r.status_code == 201, (kind, r.text)
        entries[kind] = r.json()["id"]
    body = {"name": "役割確認セット", "kind": "bundle",
            "items": [{"product_id": entries["products"], "quantity": 2}]}  # fmt: skip
    r = await client.post("/api/v1/mail-order/set-products", headers=admin, json=body)
    assert r.status_code == 201, r.text
    return {**entries, "set-products": r.json()["id"]}


async def _order_bodies(client: httpx.AsyncClient, admin: dict, entries: dict) -> dict:
    """What an admin would send to each admin-only operation of the orders service: the
    masters' entries changed, the settings as they are."""
    masters = {**ORDER_MASTERS, "set-products": {
        "name": "一般が変更", "kind": "bundle",
        "items": [{"product_id": entries["products"], "quantity": 1}]}}  # fmt: skip
    bodies: dict = {}
    for kind, body in masters.items():
        bodies[f"POST /api/v1/mail-order/{kind}"] = body
        bodies[f"PUT /api/v1/mail-order/{kind}/{{entry_id}}"] = body
        bodies[f"POST /api/v1/mail-order/{kind}/{{entry_id}}/retire"] = None
    for name in ("settings", "subscription-settings"):
        current = (await client.get(f"/api/v1/mail-order/{name}", headers=admin)).json()
        bodies[f"PUT /api/v1/mail-order/{name}"] = current
    bodies["PUT /api/v1/mail-order/shipper-settings"] = {
        "name": "一般の荷主", "phone": "03-0000-0000", "postal_code": "100-0001",
        "address": "東京都千代田区千代田1-1"}  # fmt: skip
    bodies["POST /api/v1/mail-order/settings/shop-secret"] = None
    bodies["POST /api/v1/mail-order/subscription-runs"] = None
    for kind in REPORTS:  # 帳票: 管理者のみ (seed 001: 指標は管理者のみ), figures and CSV
        bodies[f"GET /api/v1/mail-order/reports/{kind}"] = None
        bodies[f"GET /api/v1/mail-order/reports/{kind}.csv"] = None
    return bodies
