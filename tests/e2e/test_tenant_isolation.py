"""Another tenant's id answers 404 everywhere (DESIGN: auth and tenancy). The routes are not
listed by hand: every operation of the gateway's /openapi.json and every web route of its app
that takes an id (in the path or the query) is called by tenant B's admin and staff with the
ids of tenant A's real resources, and must answer 404 and change nothing of A's. A new route
is covered by itself; one the test cannot fill fails it until it is given an id or a body."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from gateway.adapters.orm import Partner

from tests.e2e.flows import (
    STORE_CODE,
    TICKET_EXPIRY,
    VISIT_DAY,
    eventually,
    inquiry_body,
    login,
    post_inquiry,
)

pytestmark = [pytest.mark.e2e, pytest.mark.database]

DAY = VISIT_DAY.isoformat()
# Values for required parameters that are no id (the id is what the test is about).
FILL = {"day": DAY, "store_code": STORE_CODE}
# The orders service's masters: /api/v1/mail-order/<kind>/{entry_id}, one entry of each.
ORDER_MASTERS = {
    "staff": {"name": "領域 受付", "role": "operator"},
    "media": {"name": "領域チラシ", "code": "area"},
    "product-categories": {"name": "領域の品"},
    "products": {
        "code": "AREA-1",
        "name": "領域の青汁",
        "price_yen": 3240,
        "tax_rate": 8,
        "subscription_eligible": True,
    },
    "shipping-fees": {"prefecture": "東京都", "fee_yen": 1100},
    "reasons": {"kind": "cancel", "text": "領域の都合"},
    "survey-questions": {"text": "領域の問い", "answer_kind": "text"},
    "campaigns": {
        "name": "領域の送料無料",
        "kind": "free_shipping",
        "starts_on": "2026-01-01",
        "ends_on": "2026-01-31",
    },
}
# The same, as the masters' pages post them (web/orders/masters.py).
WEB_MASTERS = {
    "staff": {"name": "乗っ取り", "role": "operator"},
    "media": {"name": "乗っ取り"},
    "product-categories": {"name": "乗っ取り"},
    "set-products": {"name": "乗っ取り", "kind": "bundle", "items.0.product_id": "{product_id}",
                     "items.0.quantity": "2"},
    "reasons": {"kind": "cancel", "text": "乗っ取り"},
    "survey-questions": {"text": "乗っ取り", "answer_kind": "text"},
    "campaigns": {"name": "乗っ取り", "kind": "free_shipping", "starts_on": "2026-01-01",
                  "ends_on": "2026-01-31"},
}  # fmt: skip
DELIVERY = {
    "kind": "home",
    "name": "領域 花子",
    "postal_code": "100-0001",
    "prefecture": "東京都",
    "address": "千代田区千代田1-1",
}
# A body each mutating operation would accept for its own tenant, so that only the foreign id
# can be the reason it is refused. A mutating operation missing here fails the test.
BODIES: dict[str, Any] = {
    "POST /admin/dead-letters/{service}/{event_id}/redrive": {"confirm": "1"},
    "PUT /api/v1/booking/stores/{store_id}": {"name": "乗っ取り店", "staff_count": 1,
                                               "hours": {"0": ["09:00", "10:00"]}},
    "PUT /api/v1/booking/properties/{property_id}": {"store_id": "{store_id}", "name": "乗っ取り"},
    "PATCH /api/v1/booking/visits/{visit_id}": {"starts_at": f"{DAY}T15:00:00+09:00",
                                                 "ends_at": f"{DAY}T16:00:00+09:00"},
    "POST /api/v1/booking/visits/{visit_id}/status": {"status": "visited"},
    "POST /api/v1/booking/visits/{visit_id}/cancel": {"reason": "customer"},
    "POST /api/v1/booking/coupon-tickets/{ticket_id}/use": {"visit_id": "{visit_id}"},
    "POST /api/v1/booking/stores/{store_id}/notification-targets": {
        "name": "乗っ取り", "email": "intruder@example.com"},
    "DELETE /api/v1/booking/notification-targets/{target_id}": None,
    "PUT /api/v1/booking/visits/{visit_id}/sales-report": {"body": "乗っ取り"},
    "PUT /api/v1/booking/menus/{menu_id}": {"name": "乗っ取り", "duration_minutes": 30,
                                             "price_yen": 1},
    "POST /api/v1/booking/menus/{menu_id}/retire": None,
    "PUT /api/v1/booking/staff-members/{staff_member_id}": {"name": "乗っ取り"},
    "POST /api/v1/booking/staff-members/{staff_member_id}/retire": None,
    "POST /api/v1/booking/properties/{property_id}/retire": None,
    "POST /api/v1/booking/properties/{property_id}/restore": None,
    "POST /api/v1/booking/menus/{menu_id}/restore": None,
    "POST /api/v1/booking/staff-members/{staff_member_id}/restore": None,
    "PUT /api/v1/media/{medium_id}": {"name": "乗っ取り"},
    "POST /api/v1/media/{medium_id}/retire": None,
    "POST /api/v1/media/{medium_id}/restore": None,
    "PUT /api/v1/inflow-sources/{source_id}": {"name": "乗っ取り"},
    "POST /api/v1/inflow-sources/{source_id}/retire": None,
    "POST /api/v1/inflow-sources/{source_id}/restore": None,
    "PUT /api/v1/stores/{store_id}": {"code": "HIJACK", "name": "乗っ取り店"},
    "POST /api/v1/stores/{store_id}/retire": None,
    "POST /api/v1/stores/{store_id}/restore": None,
    "PUT /api/v1/customers/{customer_id}": {
        "family_name": "乗取", "given_name": "太郎", "family_kana": "ノットリ",
        "given_kana": "タロウ", "birth_date": "1970-01-01", "phones": ["090-9999-0000"],
        "emails": []},
    "PUT /api/v1/customers/{customer_id}/flags": {"blacklisted": True, "blacklist_memo": "x"},
    "POST /api/v1/customers/{customer_id}/withdrawal": {"reason": "乗っ取り"},
    "DELETE /api/v1/customers/{customer_id}": None,
    "DELETE /api/v1/customers/{customer_id}/withdrawal": None,
    "POST /api/v1/customer-imports/{job_id}/overwrite": None,
    "PATCH /api/v1/customers/{customer_id}/follow-up": {"status": "contracted"},
    "POST /api/v1/customers/{customer_id}/memos": {"body": "乗っ取り"},
    "PUT /api/v1/customers/{customer_id}/hot-lead-target": {"target": False},
    "POST /api/v1/customers/{customer_id}/interactions": {"kind": "call_in", "body": "乗っ取り"},
    "POST /api/v1/customers/{customer_id}/actions": {"kind": "dm", "note": "乗っ取り"},
    "PUT /api/v1/interactions/{interaction_id}/instruction": {"instruction": "乗っ取り"},
    "PUT /api/v1/interactions/{interaction_id}": {"kind": "call_in", "body": "乗っ取り"},
    "DELETE /api/v1/interactions/{interaction_id}": None,
    "PUT /api/v1/actions/{action_id}": {"kind": "dm", "note": "乗っ取り"},
    "DELETE /api/v1/actions/{action_id}": None,
    "PUT /api/v1/faq/entries/{faq_id}": {"category_id": "{category_id}", "question": "乗っ取り",
                                         "answer": "乗っ取り"},
    "DELETE /api/v1/faq/entries/{faq_id}": None,
    "PUT /api/v1/faq/categories/{category_id}": {"name": "乗っ取り", "retired": True},
    "POST /monitor/{customer_id}/interactions": {"kind": "call_in", "body": "乗っ取り"},
    "POST /monitor/{customer_id}/actions": {"kind": "dm", "note": "乗っ取り"},
    "POST /histories/interactions/{interaction_id}/instruction": {"instruction": "乗っ取り"},
    "POST /monitor/{customer_id}/interactions/{interaction_id}/edit": {"kind": "call_in",
                                                                       "body": "乗っ取り"},
    "POST /monitor/{customer_id}/interactions/{interaction_id}/delete": {"confirm": "1"},
    "POST /monitor/{customer_id}/actions/{action_id}/edit": {"kind": "dm", "note": "乗っ取り"},
    "POST /monitor/{customer_id}/actions/{action_id}/delete": {"confirm": "1"},
    "POST /faq/entries/{faq_id}": {"category_id": "{category_id}", "question": "乗っ取り",
                                   "answer": "乗っ取り"},
    "POST /faq/entries/{faq_id}/delete": {},
    "POST /faq/categories/{category_id}": {"name": "乗っ取り", "retired": "1"},
    "POST /api/v1/customers/{customer_id}/proposals": {"property_ids": ["{property_id}"]},
    # The web client's forms.
    "POST /customers/{customer_id}/flags": {"blacklisted": "on", "blacklist_memo": "x"},
    "POST /customers/{customer_id}/edit": {
        "family_name": "乗取", "given_name": "太郎", "family_kana": "ノットリ",
        "given_kana": "タロウ", "birth_date": "1970-01-01", "phones.0": "090-9999-0000"},
    "POST /customers/{customer_id}/withdraw": {"reason": "乗っ取り"},
    "POST /customers/{customer_id}/delete": {},
    "POST /customers/{customer_id}/follow-up": {"status": "contracted"},
    "POST /customers/{customer_id}/memos": {"body": "乗っ取り"},
    "POST /customers/import/{job_id}/overwrite": {},
    "POST /booking/stores/{store_id}/settings": {"name": "乗っ取り店", "staff_count": "1"},
    "POST /booking/stores/{store_id}/properties": {"name": "乗っ取り"},
    "POST /booking/stores/{store_id}/menus": {"name": "乗っ取り", "duration_minutes": "30",
                                              "price_yen": "1"},
    "POST /booking/stores/{store_id}/staff": {"name": "乗っ取り"},
    "POST /booking/stores/{store_id}/notification-targets": {"name": "乗っ取り",
                                                             "email": "intruder@example.com"},
    "POST /booking/stores/{store_id}/notification-targets/{target_id}/delete": {},
    **{f"POST /booking/stores/{{store_id}}/{noun}/{{{key}}}/edit": {
        "name": "乗っ取り", "duration_minutes": "30", "price_yen": "1"}
       for noun, key in (("menus", "menu_id"), ("staff", "staff_member_id"),
                         ("properties", "property_id"))},
    **{f"POST /booking/stores/{{store_id}}/{noun}/{{{key}}}/restore": {}
       for noun, key in (("menus", "menu_id"), ("staff", "staff_member_id"),
                         ("properties", "property_id"))},
    **{f"POST /booking/stores/{{store_id}}/{noun}/{{{key}}}/retire": {"confirm": "1"}
       for noun, key in (("menus", "menu_id"), ("staff", "staff_member_id"),
                         ("properties", "property_id"))},
    "POST /settings/media/{medium_id}/edit": {"name": "乗っ取り"},
    "POST /settings/media/{medium_id}/retire": {"confirm": "1"},
    "POST /settings/media/{medium_id}/restore": {},
    "POST /settings/inflow-sources/{source_id}/edit": {"name": "乗っ取り"},
    "POST /settings/inflow-sources/{source_id}/retire": {"confirm": "1"},
    "POST /settings/inflow-sources/{source_id}/restore": {},
    "POST /settings/stores/{store_id}/edit": {"code": "HIJACK", "name": "乗っ取り店"},
    "POST /settings/stores/{store_id}/retire": {"confirm": "1"},
    "POST /settings/stores/{store_id}/restore": {},
    "POST /api/v1/partners/{partner_id}/rotate": None,
    "POST /api/v1/partners/{partner_id}/replay": {
        "from": "2026-01-01T00:00:00+09:00", "to": "2026-01-02T00:00:00+09:00"},
    "DELETE /api/v1/partners/{partner_id}": None,
    "POST /settings/partners/{partner_id}/rotate": {},
    "POST /settings/partners/{partner_id}/delete": {"confirm": "1"},
    "POST /booking/visits/{visit_id}/report": {"body": "乗っ取り"},
    "POST /booking/visits/{visit_id}/move": {"day": DAY, "start": "15:00", "end": "16:00"},
    "POST /booking/visits/{visit_id}/cancel": {"back": "/booking", "reason": "customer"},
    "POST /booking/visits/{visit_id}/status": {"back": "/booking", "status": "visited"},
    "POST /hot-leads/{customer_id}/target": {"target": "off"},
    "POST /hot-leads/{customer_id}/proposal": {"property_ids": "{property_id}"},
    "POST /booking/tickets/{ticket_id}/use": {"customer_id": "{customer_id}",
                                               "visit_id": "{visit_id}"},
    "PUT /api/v1/webhooks/endpoints/{endpoint_id}": {
        "url": "https://intruder.example/hook", "event_types": ["inquiry.received.v1"]},
    "DELETE /api/v1/webhooks/endpoints/{endpoint_id}": None,
    "POST /api/v1/webhooks/endpoints/{endpoint_id}/rotate-secret": None,
    "POST /api/v1/webhooks/endpoints/{endpoint_id}/replay": {
        "from": f"{DAY}T00:00:00+09:00", "to": f"{DAY}T01:00:00+09:00"},
    "POST /settings/webhooks/{endpoint_id}": {"url": "https://intruder.example/hook",
                                              "event_types": "inquiry.received.v1"},
    "POST /settings/webhooks/{endpoint_id}/rotate": {},
    "POST /settings/webhooks/{endpoint_id}/delete": {"confirm": "1"},
    "POST /settings/webhooks/{endpoint_id}/replay": {"from": DAY, "to": DAY},
    "PUT /api/v1/accounts/{user_id}": {"display_name": "乗っ取り", "role": "admin",
                                       "store_ids": [], "active": False},
    "POST /api/v1/accounts/{user_id}/invitation": None,
    "POST /accounts/{user_id}": {"display_name": "乗っ取り", "role": "admin"},
    "POST /accounts/{user_id}/invitation": {},
    # The mailed links' pages: the token is the proof, not an id; an unknown one is 404.
    "POST /invitations/{token}": {"password": "takeover-pass-1"},
    "POST /password-reset/{token}": {"password": "takeover-pass-1"},
    **{f"PUT /api/v1/mail-order/{kind}/{{entry_id}}": body for kind, body in ORDER_MASTERS.items()},
    **{f"POST /api/v1/mail-order/{kind}/{{entry_id}}/retire": None
       for kind in (*ORDER_MASTERS, "set-products")},
    "PUT /api/v1/mail-order/set-products/{entry_id}": {
        "name": "乗っ取り", "kind": "bundle", "items": [{"product_id": "{product_id}", "quantity": 1}]},
    "POST /api/v1/mail-order/orders/{order_id}/cancel": {"reason_id": "{reason_id}"},
    "POST /api/v1/mail-order/orders/{order_id}/reorder": {},
    "POST /api/v1/mail-order/orders/{order_id}/returns": {
        "reason_id": "{return_reason_id}", "lines": [{"line_no": 1, "quantity": 1}]},
    "POST /api/v1/mail-order/payments/{payment_id}/assign": {"order_id": "{order_id}"},
    "POST /api/v1/mail-order/subscriptions/{subscription_id}/skip": None,
    "POST /api/v1/mail-order/subscriptions/{subscription_id}/pause": None,
    "POST /api/v1/mail-order/subscriptions/{subscription_id}/resume": None,
    "POST /api/v1/mail-order/subscriptions/{subscription_id}/cancel": {"reason_id": "{reason_id}"},
    "POST /orders/new": {"code_0": "AREA-1", "quantity_0": "1", "action": "place"},
    "POST /orders/new/quote": {"code_0": "AREA-1", "quantity_0": "1"},
    "POST /orders/payments/{payment_id}/assign": {"order_number": "1"},
    "POST /subscriptions/new": {"product_0": "{product_id}", "quantity_0": "1", "unit": "months",
                                "every": "1", "anchor": "day", "day_of_month": "10",
                                "delivery": "home", "action": "save"},
    "POST /orders/products/{entry_id}": {"code": "HIJACK", "name": "乗っ取り", "price_yen": "1"},
    "POST /orders/products/{entry_id}/retire": {},
    # 受注のマスタ・設定's pages of one entry: each kind's own id (entry_id:<kind>).
    **{f"POST /orders/masters/{kind}/{{entry_id}}": WEB_MASTERS[kind] for kind in WEB_MASTERS},
    **{f"POST /orders/masters/{kind}/{{entry_id}}/retire": {"confirm": "on"} for kind in WEB_MASTERS},
    "POST /orders/{order_id}/cancel": {"reason_id": "{reason_id}"},
    "POST /orders/{order_id}/returns": {"reason_id": "{return_reason_id}", "line_1": "1"},
    "POST /orders/{order_id}/reorder": {},
    "POST /subscriptions/{subscription_id}/skip": {},
    "POST /subscriptions/{subscription_id}/pause": {},
    "POST /subscriptions/{subscription_id}/resume": {},
    "POST /subscriptions/{subscription_id}/cancel": {"reason_id": "{reason_id}"},
    "PUT /api/v1/mail-order/subscriptions/{subscription_id}/cycle": {
        "cycle": {"unit": "weeks", "every": 2}},
    "POST /api/v1/mail-order/subscriptions/{subscription_id}/cycle/preview": {
        "cycle": {"unit": "weeks", "every": 2}},
    "POST /subscriptions/{subscription_id}/cycle": {"unit": "weeks", "every": "2",
                                                    "action": "save"},
}  # fmt: skip
# Searches whose ids are filters, not a resource the answer is about: another tenant's id
# matches nothing, like any unknown value. They must answer 200 with none of A's data (the
# full exports are the admin's: a 一般 user gets 403, which says nothing of A either).
SEARCH_FILTERS = {
    "GET /api/v1/inquiries": "反響一覧の絞り込み (store_id, customer_id)",
    "GET /api/v1/inquiries.csv": "反響一覧の CSV, 同じ絞り込み",
    "GET /api/v1/customers": "顧客一覧の絞り込み (assignee_id, menu_id, staff_member_id…)",
    "GET /api/v1/customers.csv": "顧客一覧の CSV, 同じ絞り込み",
    "GET /api/v1/customers/dm-list.csv": "DM宛名リスト, 同じ絞り込み",
    "GET /api/v1/customers/dm-list/count": "DM宛名リストの件数, 同じ絞り込み",
    "GET /api/v1/mail-order/orders": "受注一覧の絞り込み (customer_id)",
    "GET /api/v1/mail-order/subscriptions": "定期一覧の絞り込み (customer_id)",
    "GET /api/v1/mail-order/presents": "プレゼント履歴の絞り込み (customer_id)",
}


@dataclass
class World:
    client: httpx.AsyncClient
    owner: dict[str, str]  # tenant A's admin
    ids: dict[str, str]  # tenant A's resources, by the parameter name that carries them
    intruders: dict[str, dict[str, str]]  # tenant B's admin and staff

    async def snapshot(self) -> dict[str, Any]:
        """What tenant A sees of its resources; any change by B shows here."""
        i = self.ids
        paths = [
            f"/api/v1/booking/stores/{i['store_id']}",
            f"/api/v1/booking/properties/{i['property_id']}",
            f"/api/v1/booking/properties?store_id={i['store_id']}",
            f"/api/v1/booking/visits?customer_id={i['customer_id']}",
            f"/api/v1/booking/menus?store_id={i['store_id']}&include_retired=true",
            f"/api/v1/booking/properties?store_id={i['store_id']}&include_retired=true",
            f"/api/v1/booking/staff-members?store_id={i['store_id']}&include_retired=true",
            "/api/v1/media",
            "/api/v1/inflow-sources",
            "/api/v1/stores",
            f"/api/v1/booking/staff-members?store_id={i['store_id']}",
            f"/api/v1/booking/stores/{i['store_id']}/notification-targets",
            f"/api/v1/booking/visits/{i['visit_id']}",
            f"/api/v1/booking/coupon-tickets?customer_id={i['customer_id']}",
            "/api/v1/booking/sales-reports",
            f"/api/v1/customers/{i['customer_id']}",
            f"/api/v1/customers/{i['customer_id']}/follow-up",
            f"/api/v1/customers/{i['customer_id']}/interactions",
            f"/api/v1/customers/{i['customer_id']}/actions",
            f"/api/v1/customers/{i['customer_id']}/deleted-entries",
            f"/api/v1/interactions/{i['interaction_id']}/changes",
            f"/api/v1/actions/{i['action_id']}/changes",
            f"/api/v1/faq/entries/{i['faq_id']}",
            "/api/v1/customer-ranks",
            f"/api/v1/customer-imports/{i['job_id']}",
            f"/api/v1/inquiries/{i['inquiry_id']}",
            "/api/v1/accounts",
            "/api/v1/partners",
            "/api/v1/webhooks/endpoints",
            f"/api/v1/webhooks/endpoints/{i['endpoint_id']}/deliveries",
            f"/api/v1/mail-order/orders/{i['order_id']}",
            f"/api/v1/mail-order/orders/{i['order_id']}/returns",
            f"/api/v1/mail-order/orders?customer_id={i['customer_id']}",  # no reorder made
            f"/api/v1/mail-order/subscriptions?customer_id={i['customer_id']}&status=active",
            f"/api/v1/mail-order/subscriptions/{i['subscription_id']}",
            "/api/v1/mail-order/payments",
            *(
                f"/api/v1/mail-order/{kind}/{i[f'entry_id:{kind}']}"
                for kind in (*ORDER_MASTERS, "set-products")
            ),
        ]
        seen = {}
        for path in paths:
            r = await self.client.get(path, headers=self.owner)
            assert r.status_code == 200, (path, r.text)
            seen[path] = r.json()
        return seen


@pytest.fixture(scope="module")
async def world(system) -> World:  # type: ignore[no-untyped-def]
    from gateway.use_cases.tenants import NewStaff, NewTenant, provision_tenant

    transport = httpx.ASGITransport(app=system.gateway_app)
    client = httpx.AsyncClient(transport=transport, base_url="http://gateway")
    owner = await login(client)
    ids = await _tenant_a(system, client, owner)
    slug = f"b{uuid.uuid4().hex[:8]}"

    async def provision(uow) -> None:  # type: ignore[no-untyped-def]
        await provision_tenant(
            NewTenant(slug=slug, name="別会社", industry="real_estate", portal_secret="b-secret",
                      stores=[(STORE_CODE, "別会社 本店")],
                      staff=[NewStaff(f"admin@{slug}.example", "b-admin-pass", "別 管理者", "admin"),
                             NewStaff(f"staff@{slug}.example", "b-staff-pass", "別 営業")]),
            uow=uow,
        )  # fmt: skip

    await system.runtimes["gateway"].transactions(tenant_id=None).run(provision)
    intruders = {
        "admin": await login(client, f"admin@{slug}.example", "b-admin-pass"),
        "staff": await login(client, f"staff@{slug}.example", "b-staff-pass"),
    }
    yield World(client, owner, ids, intruders)
    await client.aclose()


async def _dead_letter(system, tenant_id: uuid.UUID) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A dead letter of tenant A in the customer service's DLQ: an event it cannot read."""
    from contracts import Envelope, InquiryReceivedV1
    from kit.bus import Message

    envelope = Envelope(event_type=InquiryReceivedV1.event_type, version=1,
                        routing_key=InquiryReceivedV1.routing_key(), tenant_id=tenant_id,
                        producer="inquiry", payload={"unreadable": True})  # fmt: skip
    event_id = str(envelope.event_id)
    await system.bus.publish(
        Message(envelope.routing_key, envelope.model_dump_json().encode(), event_id)
    )

    async def parked() -> bool:
        letters = await system.bus.dead_letters("customer.events")
        return any(m.message_id == event_id for m in letters)

    await eventually(parked)
    return {"service": "customer", "event_id": event_id}


async def _tenant_a(system, client: httpx.AsyncClient, h: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """One of each resource an id of the routes names, in the demo tenant."""
    me = (await client.get("/api/v1/me", headers=h)).json()
    tenant_id = uuid.UUID(me["tenant_id"])
    async with system.runtimes["gateway"].uow(tenant_id=tenant_id) as uow:
        store_id = str(next(s.id for s in await uow.accounts.stores() if s.code == STORE_CODE))

    partner_id = uuid.uuid4()  # a partner's row (the embedded mode makes no feed on a broker)

    async def add_partner(uow) -> None:  # type: ignore[no-untyped-def]
        await uow.partners.add(Partner(id=partner_id, tenant_id=tenant_id, name="領域パートナー",
                                       event_types=["customer.merged.v1"],
                                       queue=f"crm.partner.{partner_id}"))  # fmt: skip

    await system.runtimes["gateway"].transactions(tenant_id=tenant_id).run(add_partner)

    async def made(method: str, path: str, **kwargs: Any) -> dict:
        r = await client.request(method, path, headers=h, **kwargs)
        assert r.status_code in (200, 201, 202, 204), (path, r.text)
        return r.json() if r.content else {}

    every_day = {str(d): ["09:00", "20:00"] for d in range(7)}
    await made("PUT", f"/api/v1/booking/stores/{store_id}",
               json={"name": "田町支店", "staff_count": 50, "hours": every_day})  # fmt: skip
    tag = uuid.uuid4().hex[:8]
    customer = await made("POST", "/api/v1/customers", json={
        "family_name": "領域", "given_name": "花子", "family_kana": "リョウイキ",
        "given_kana": "ハナコ", "birth_date": "1980-01-01", "phones": ["090-7777-0001"],
        "emails": [f"a-{tag}@example.com"],
    })  # fmt: skip
    customer_id = customer["id"]
    visit_body = {"kind": "store_consultation", "store_id": store_id, "customer_id": customer_id,
                  "starts_at": f"{DAY}T10:00:00+09:00", "ends_at": f"{DAY}T11:00:00+09:00"}  # fmt: skip

    async def booked() -> dict | None:  # booking learns a new customer by event
        r = await client.post("/api/v1/booking/visits", json=visit_body, headers=h)
        if r.status_code == 422 and r.json()["detail"].get("field") == "customer_id":
            return None
        assert r.status_code == 201, r.text
        return r.json()

    visit = await eventually(booked)
    prop = await made("POST", "/api/v1/booking/properties",
                      json={"store_id": store_id, "name": "領域マンション"})  # fmt: skip
    menu = await made(
        "POST",
        "/api/v1/booking/menus",
        json={"store_id": store_id, "name": "カット", "duration_minutes": 60, "price_yen": 4400},
    )
    member = await made("POST", "/api/v1/booking/staff-members",
                        json={"store_id": store_id, "name": "佐藤"})  # fmt: skip
    target = await made("POST", f"/api/v1/booking/stores/{store_id}/notification-targets",
                        json={"name": "田町支店", "email": "tamachi@example.com"})  # fmt: skip
    ticket = await made("POST", "/api/v1/booking/coupon-tickets", json={
        "customer_id": customer_id, "name": "カット5回券", "count": 5,
        "expires_on": TICKET_EXPIRY.isoformat()})  # fmt: skip
    await made("PUT", f"/api/v1/booking/visits/{visit['id']}/sales-report",
               json={"body": "ご案内済み。"})  # fmt: skip
    inquiry = await post_inquiry(client, inquiry_body(
        email=f"a-inq-{tag}@example.com", name="反響 一郎", phone="090-7777-0002"))  # fmt: skip
    assert inquiry.status_code == 202, inquiry.text
    header = "姓,名,セイ,メイ,電話番号1,メールアドレス"
    csv = f"{header}\r\n取込,次郎,トリコミ,ジロウ,090-7777-0003,a-imp-{tag}@example.com\r\n"
    job = await made("POST", "/api/v1/customer-imports",
                     files={"file": ("顧客.csv", csv.encode("cp932"), "text/csv")})  # fmt: skip

    async def finished() -> bool:
        r = await client.get(f"/api/v1/customer-imports/{job['id']}", headers=h)
        return r.json()["status"] == "finished"

    await eventually(finished)
    medium = await made("POST", "/api/v1/media", json={"code": "area_flyer", "name": "領域チラシ"})
    source = await made("POST", "/api/v1/inflow-sources", json={"name": "領域の紹介"})
    mail_order = await _mail_order(client, h, customer_id, made)
    hook = await made("POST", "/api/v1/webhooks/endpoints", json={
        "url": "https://a.example/hook", "event_types": ["inquiry.received.v1"]})  # fmt: skip
    histories = await _histories(customer_id, made)
    dead_letter = await _dead_letter(system, tenant_id)
    return {**mail_order, **histories, **dead_letter,
        "store_id": store_id, "customer_id": customer_id, "visit_id": visit["id"],
        "property_id": prop["id"], "menu_id": menu["id"], "staff_member_id": member["id"],
        "last_menu_id": menu["id"], "assignee_id": me["user_id"],
        "target_id": target["id"], "ticket_id": ticket["id"], "job_id": job["id"],
        "inquiry_id": inquiry.json()["inquiry_id"],
        "medium_id": medium["id"], "source_id": source["id"], "endpoint_id": hook["id"],
        "token": "not-a-mailed-token", "partner_id": str(partner_id),
        "user_id": next(a["id"] for a in (await client.get("/api/v1/accounts", headers=h)).json()
                        if a["role"] == "general"),
    }  # fmt: skip


async def _histories(customer_id: str, made) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """An interaction and an action of A's customer, a rank, an FAQ category and entry."""
    interaction = await made("POST", f"/api/v1/customers/{customer_id}/interactions",
                             json={"kind": "call_in", "body": "領域の問い合わせ"})  # fmt: skip
    action = await made("POST", f"/api/v1/customers/{customer_id}/actions", json={"kind": "dm"})
    # A deleted one too: 削除された履歴 (decision 96) has something of A's to keep from B.
    gone = await made("POST", f"/api/v1/customers/{customer_id}/interactions",
                      json={"kind": "inquiry", "body": "領域の削除済み"})  # fmt: skip
    await made("DELETE", f"/api/v1/interactions/{gone['id']}")
    master = await made("PUT", "/api/v1/customer-ranks",
                        json={"ranks": [{"name": "領域ゴールド", "min_orders": 1}]})  # fmt: skip
    category = await made("POST", "/api/v1/faq/categories", json={"name": "領域の分類"})
    entry = await made("POST", "/api/v1/faq/entries", json={
        "category_id": category["id"], "question": "領域の質問", "answer": "領域の回答"})  # fmt: skip
    return {"interaction_id": str(interaction["id"]), "action_id": str(action["id"]),
            "rank_id": master["ranks"][0]["id"],
            "category_id": category["id"], "faq_id": entry["id"]}  # fmt: skip


async def _mail_order(client, h, customer_id: str, made) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Tenant A's masters, an order, a subscription and an unmatched bank transfer."""
    ids = {}
    for kind, body in ORDER_MASTERS.items():
        ids[f"entry_id:{kind}"] = (await made("POST", f"/api/v1/mail-order/{kind}", json=body))[
            "id"
        ]
    product_id = ids["entry_id:products"]
    ids["entry_id:set-products"] = (await made("POST", "/api/v1/mail-order/set-products", json={
        "name": "領域セット", "kind": "bundle",
        "items": [{"product_id": product_id, "quantity": 2}]}))["id"]  # fmt: skip
    returned = await made("POST", "/api/v1/mail-order/reasons",
                          json={"kind": "return", "text": "領域の返品"})  # fmt: skip
    lines = [{"product_id": product_id, "quantity": 1}]

    async def ordered() -> dict | None:  # orders learns a new customer by event
        r = await client.post("/api/v1/mail-order/orders", headers=h, json={
            "customer_id": customer_id, "lines": lines, "delivery": DELIVERY})  # fmt: skip
        if r.status_code in (404, 422) and "customer" in r.text:
            return None
        assert r.status_code == 201, r.text
        return r.json()

    order = await eventually(ordered)
    sub = await made("POST", "/api/v1/mail-order/subscriptions", json={
        "customer_id": customer_id, "lines": lines, "delivery": DELIVERY,
        "cycle": {"unit": "months", "every": 1, "day_of_month": 10}})  # fmt: skip
    bank = "入金日,金額,振込依頼人名\r\n2026-01-05,98765,ﾘｮｳｲｷ ﾀﾛｳ\r\n".encode()
    await made("POST", "/api/v1/mail-order/payment-imports", content=bank)
    payments = await made("GET", "/api/v1/mail-order/payments?status=unmatched")
    payment = next(p for p in payments["items"] if p["amount_yen"] == 98765)
    return {**ids, "entry_id": product_id, "product_id": product_id, "order_id": order["id"],
            "from_order_id": order["id"], "subscription_id": sub["id"], "payment_id": payment["id"],
            "reason_id": ids["entry_id:reasons"], "return_reason_id": returned["id"]}  # fmt: skip


@dataclass(frozen=True)
class Call:
    key: str  # "METHOD /path/{template}"
    method: str
    path_params: tuple[str, ...]
    query_ids: tuple[str, ...]  # id-like query parameters
    required_query: tuple[str, ...]  # the other required ones
    web: bool


def _id_like(name: str, schema: dict | None = None) -> bool:
    text = str(schema or {})
    return name.endswith("_id") or "'format': 'uuid'" in text


def api_calls(openapi: dict) -> list[Call]:
    calls = []
    for path, operations in openapi["paths"].items():
        for method, op in operations.items():
            params = op.get("parameters", [])
            in_path = tuple(p["name"] for p in params if p["in"] == "path")
            query = [p for p in params if p["in"] == "query"]
            query_ids = tuple(p["name"] for p in query if _id_like(p["name"], p.get("schema")))
            if not any(_id_like(p["name"], p.get("schema")) for p in params if p["in"] == "path") \
                    and not query_ids:  # fmt: skip
                continue
            required = tuple(p["name"] for p in query if p.get("required") and
                             p["name"] not in query_ids)  # fmt: skip
            calls.append(Call(f"{method.upper()} {path}", method.upper(), in_path, query_ids,
                              required, web=False))  # fmt: skip
    return calls


def _routes(routes: list, prefix: str = "", listed: bool = True) -> Iterator[tuple]:
    """(path, route) of every APIRoute, also inside the routers FastAPI includes lazily."""
    for route in routes:
        if context := getattr(route, "include_context", None):
            inner = route.original_router.routes
            yield from _routes(inner, prefix + context.prefix, listed and context.include_in_schema)
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route, listed and route.include_in_schema


# Public links whose path holds their own credential, a token signed per tenant that names
# its tenant (the leads service verifies it): there is no caller's tenant to cross, and the
# answer is the same whatever the token (a GIF, a 204; docs/leads.md). Their forgery is
# tested in the leads service and in test_lead_mails_embedded.py.
TOKEN_ROUTES = ("/t/",)


def web_calls(app) -> list[Call]:  # type: ignore[no-untyped-def]
    calls = []
    for path, route, listed in _routes(app.routes):
        if listed or path.startswith(TOKEN_ROUTES):  # listed: api_calls has it
            continue
        if path.startswith("/r/"):  # the public booking site: its tenant is the path's, and
            continue  # its customers' other-tenant ids are tests/e2e/test_booking_site.py's
        in_path = tuple(p.name for p in route.dependant.path_params)
        query = route.dependant.query_params
        query_ids = tuple(
            p.name for p in query if _id_like(p.name) or p.field_info.annotation is uuid.UUID
            or "UUID" in str(p.field_info.annotation)
        )  # fmt: skip
        if not in_path and not query_ids:
            continue
        required = tuple(p.name for p in query if p.field_info.is_required() and
                         p.name not in query_ids)  # fmt: skip
        for method in sorted(route.methods):
            calls.append(Call(f"{method} {path}", method, in_path, query_ids, required,
                              web=True))  # fmt: skip
    return calls


def _fill(template: Any, ids: dict[str, str]) -> Any:
    if isinstance(template, str):
        return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], template)
    if isinstance(template, dict):
        return {k: _fill(v, ids) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, ids) for v in template]
    return template


def _request(call: Call, world: World) -> dict[str, Any]:
    """The call with A's ids; a parameter the test cannot fill fails it here."""
    unknown = [n for n in call.path_params + call.query_ids if n not in world.ids]
    unknown += [n for n in call.required_query if n not in FILL]
    assert not unknown, f"{call.key}: give the test an id or value for {unknown}"
    template = call.key.split(" ", 1)[1]
    kind = template.removeprefix("/api/v1/mail-order/").removeprefix("/orders/masters/")
    kind = kind.split("/")[0]
    entry_id = world.ids.get(f"entry_id:{kind}", world.ids["entry_id"])  # the product's
    path = _fill(template, {**world.ids, "entry_id": entry_id})
    params = {n: world.ids[n] for n in call.query_ids} | {n: FILL[n] for n in call.required_query}
    kwargs: dict[str, Any] = {"params": params}
    if call.method != "GET":
        assert call.key in BODIES, f"{call.key}: give the test a body it would accept"
        body = _fill(BODIES[call.key], world.ids)
        if body is not None:
            kwargs["data" if call.web else "json"] = body
    return {"method": call.method, "url": path, **kwargs}


async def test_every_route_with_an_id_is_called(system, world: World) -> None:  # type: ignore[no-untyped-def]
    """The lists are not empty and every mutating route has a body: nothing is left out."""
    openapi = (await world.client.get("/openapi.json")).json()
    api, web = api_calls(openapi), web_calls(system.gateway_app)
    assert len(api) > 30 and len(web) > 20
    for call in api + web:
        _request(call, world)
    assert {"GET /booking/visits/new", "GET /api/v1/booking/stores/{store_id}/notification-targets"} <= {c.key for c in api + web}  # fmt: skip


def _refused(call: Call, r: httpx.Response, ids: dict[str, str]) -> bool:
    if call.key in SEARCH_FILTERS:
        if r.status_code == 403 and call.key.endswith((".csv", "/dm-list/count")):
            return "管理者" in r.json()["detail"]["message"]
        # A bare number (an action's id) would be found in any page's "page":1.
        named = [v for v in ids.values() if not v.isdigit()]
        return r.status_code == 200 and not any(v in r.text for v in named)
    if r.status_code != 404:
        return False
    if call.web and r.headers.get("content-type", "").startswith("text/html"):
        return "見つかりません" in r.text or "ありません" in r.text
    return True


@pytest.mark.parametrize("role", ["admin", "staff"])
async def test_another_tenants_ids_answer_404_and_change_nothing(
    system: Any, world: World, role: str
) -> None:
    openapi = (await world.client.get("/openapi.json")).json()
    calls = api_calls(openapi) + web_calls(system.gateway_app)
    headers = world.intruders[role]
    before = await world.snapshot()
    leaks = []
    for call in calls:
        r = await world.client.request(**_request(call, world), headers=headers)
        if not _refused(call, r, world.ids):
            leaks.append(f"{call.key} → {r.status_code} {r.text[:120]!r}")
    assert not leaks, "\n".join(leaks)
    after = await world.snapshot()  # once: every call was refused, so none may have changed
    assert [p for p in before if before[p] != after[p]] == []


# Creations that name A's ids in their body (the OpenAPI document does not describe the
# relayed bodies, so these are listed): refused with 404 or the field's 422, nothing made.
# An id in the path names the resource (404 above); one in a body is a field of the request.
BODY_IDS: dict[str, Any] = {
    "POST /api/v1/booking/visits": {"kind": "store_consultation", "store_id": "{store_id}",
                                    "customer_id": "{customer_id}",
                                    "starts_at": f"{DAY}T17:00:00+09:00",
                                    "ends_at": f"{DAY}T18:00:00+09:00"},
    "POST /api/v1/booking/properties": {"store_id": "{store_id}", "name": "乗っ取り"},
    "POST /api/v1/booking/menus": {"store_id": "{store_id}", "name": "乗っ取り",
                                   "duration_minutes": 30, "price_yen": 1},
    "POST /api/v1/booking/staff-members": {"store_id": "{store_id}", "name": "乗っ取り"},
    "POST /api/v1/booking/coupon-tickets": {"customer_id": "{customer_id}", "name": "乗っ取り",
                                            "count": 1, "expires_on": TICKET_EXPIRY.isoformat()},
    "POST /booking/visits": {"store_id": "{store_id}", "customer_id": "{customer_id}",
                             "kind": "store_consultation", "day": DAY, "start": "17:00",
                             "end": "18:00"},
    "POST /booking/tickets": {"customer_id": "{customer_id}", "name": "乗っ取り", "count": "1",
                              "expires_on": TICKET_EXPIRY.isoformat()},
    # The leader's instruction to A's staff member: 422 unknown_staff (decision 94).
    "PUT /api/v1/staff-instructions": {"staff_id": "{user_id}", "instruction": "乗っ取り"},
}  # fmt: skip


@pytest.mark.parametrize("role", ["admin", "staff"])
async def test_another_tenants_ids_in_a_body_create_nothing(world: World, role: str) -> None:
    before = await world.snapshot()
    leaks = []
    for key, template in BODY_IDS.items():
        method, path = key.split(" ", 1)
        body = {"data" if path.startswith("/booking") else "json": _fill(template, world.ids)}
        r = await world.client.request(method, path, headers=world.intruders[role], **body)
        # Staff may not create a store's properties, menus or staff at all (403, for any body).
        if r.status_code not in (404, 422) and not (role == "staff" and r.status_code == 403):
            leaks.append(f"{key} → {r.status_code} {r.text[:120]!r}")
    assert not leaks, "\n".join(leaks)
    after = await world.snapshot()
    assert [p for p in before if before[p] != after[p]] == []
