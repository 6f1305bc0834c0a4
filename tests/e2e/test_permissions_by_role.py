"""The permission table of docs/permissions.md, through the public API: each operation that
is the 管理者's refuses a 一般 user of the same tenant (403, in Japanese, nothing changed) and
works for an admin. One row per operation; the table's order is the document's. Last, the
one admin-only area that is pages alone: 処理できなかったイベント (the dead letters), 403 for
a 一般 user, its own tenant's for a 管理者, who sees them and re-drives one or all."""

import html
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from contracts import Envelope, Event, InquiryLinkedV2, InquiryReceivedV1
from kit.bus import Message

from tests.e2e.flows import eventually, login, open_demo_store_every_day, samples_of, scrape

pytestmark = [pytest.mark.e2e, pytest.mark.database]


@dataclass
class Ctx:
    client: httpx.AsyncClient
    admin: dict[str, str]
    staff: dict[str, str]
    store_id: str
    system: object = None

    async def customer(self, given: str = "一郎") -> str:
        tag = uuid.uuid4().hex[:8]
        r = await self.client.post("/api/v1/customers", headers=self.admin, json={
            "family_name": "権限", "given_name": given, "family_kana": "ケンゲン",
            "given_kana": "テスト", "birth_date": "1980-04-01", "phones": [f"090-{uuid.uuid4().int % 10**4:04d}-{uuid.uuid4().int % 10**4:04d}"],
            "emails": [f"perm-{tag}@example.com"]})  # fmt: skip
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def target(self) -> str:
        r = await self.client.post(
            f"/api/v1/booking/stores/{self.store_id}/notification-targets", headers=self.admin,
            json={"name": "本部", "email": f"hq-{uuid.uuid4().hex[:6]}@example.com"})  # fmt: skip
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def property(self) -> str:
        r = await self.client.post("/api/v1/booking/properties", headers=self.admin,
                                   json={"store_id": self.store_id, "name": "権限確認マンション"})  # fmt: skip
        assert r.status_code == 201, r.text
        return r.json()["id"]


# A request: method, path and keywords for httpx, made from the context (fresh ids per call).
Request = Callable[[Ctx], Awaitable[tuple[str, str, dict]]]


def fixed(method: str, path: str, **kwargs: object) -> Request:
    async def make(ctx: Ctx) -> tuple[str, str, dict]:
        return method, path.format(store_id=ctx.store_id), kwargs

    return make


async def _delete_target(ctx: Ctx) -> tuple[str, str, dict]:
    return "DELETE", f"/api/v1/booking/notification-targets/{await ctx.target()}", {}


async def _merge(ctx: Ctx, path: str = "/api/v1/merges") -> tuple[str, str, dict]:
    given = f"統合{uuid.uuid4().hex[:4]}"  # 統合 joins customers of one name only
    body = {"source_id": await ctx.customer(given), "target_id": await ctx.customer(given),
            "confirm": True}  # fmt: skip
    return "POST", path, {"json": body}


async def _merge_preview(ctx: Ctx) -> tuple[str, str, dict]:
    method, _, kwargs = await _merge(ctx)
    return method, "/api/v1/merges/preview", kwargs


async def _import(ctx: Ctx) -> tuple[str, str, dict]:
    header = "お客様番号,姓,名,セイ,メイ,電話番号1,電話番号2,メールアドレス"
    row = f",一括,登録,イッカツ,トウロク,,,bulk-{uuid.uuid4().hex[:8]}@example.com"
    content = f"{header}\r\n{row}\r\n".encode("cp932")
    return (
        "POST",
        "/api/v1/customer-imports",
        {"files": {"file": ("顧客.csv", content, "text/csv")}},
    )


async def _edit_property(ctx: Ctx) -> tuple[str, str, dict]:
    path = f"/api/v1/booking/properties/{await ctx.property()}"
    return "PUT", path, {"json": {"store_id": ctx.store_id, "name": "権限確認マンション改"}}


async def _edit_account(ctx: Ctx) -> tuple[str, str, dict]:
    r = await ctx.client.post("/api/v1/accounts", headers=ctx.admin, json={
        "email": f"perm-{uuid.uuid4().hex[:8]}@demo.example", "display_name": "権限 確認",
        "role": "general", "store_ids": [ctx.store_id]})  # fmt: skip
    assert r.status_code == 201, r.text
    body = {"display_name": "権限 変更", "role": "general", "store_ids": [], "active": False}
    return "PUT", f"/api/v1/accounts/{r.json()['id']}", {"json": body}


async def _orders_staff(ctx: Ctx) -> str:
    r = await ctx.client.post(f"{ORDERS}/staff", headers=ctx.admin,
                              json={"name": "権限 担当", "role": "operator"})  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _made(ctx: Ctx, path: str, body: dict) -> str:
    r = await ctx.client.post(path, headers=ctx.admin, json=_with_store({"json": body},
                                                                        ctx.store_id)["json"])  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _interaction(ctx: Ctx) -> str:
    r = await ctx.client.post(f"/api/v1/customers/{await ctx.customer()}/interactions",
                              headers=ctx.admin, json={"kind": "call_in", "body": "権限確認"})  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _edit_orders_master(ctx: Ctx) -> tuple[str, str, dict]:
    body = {"name": "権限 担当（変更）", "role": "sales"}
    return "PUT", f"{ORDERS}/staff/{await _orders_staff(ctx)}", {"json": body}


async def _retire_orders_master(ctx: Ctx) -> tuple[str, str, dict]:
    return "POST", f"{ORDERS}/staff/{await _orders_staff(ctx)}/retire", {}


def written_back(path: str) -> Request:
    """PUT of a settings document as it reads: the right to write it, nothing else."""

    async def make(ctx: Ctx) -> tuple[str, str, dict]:
        r = await ctx.client.get(path, headers=ctx.admin)
        assert r.status_code == 200, r.text
        return "PUT", path, {"json": r.json()}

    return make


def _on_entry(method: str, create: str, body: dict, path: str, sent: dict | None = None) -> Request:
    """A change of an entry an admin has just added (issue 13: 変更・廃止 of the masters)."""

    async def make(ctx: Ctx) -> tuple[str, str, dict]:
        fresh = {k: f"{v}{uuid.uuid4().hex[:4]}" if k in ("code", "name") else v
                 for k, v in body.items()}  # fmt: skip
        entry_id = await _made(ctx, create, fresh)
        return method, path.format(id=entry_id), {"json": sent} if sent is not None else {}

    return make


ORDERS = "/api/v1/mail-order"
SHIPPER = {"name": "権限確認通販", "phone": "03-0000-0000", "postal_code": "105-0014",
           "address": "東京都港区芝1-1-1"}  # fmt: skip
CAMPAIGN = {"name": "権限確認 送料無料", "kind": "free_shipping", "starts_on": "2027-01-01",
            "ends_on": "2027-01-31"}  # fmt: skip


async def _instruct(ctx: Ctx) -> tuple[str, str, dict]:
    path = f"/api/v1/interactions/{await _interaction(ctx)}/instruction"
    return "PUT", path, {"json": {"instruction": "明日折り返し"}}


async def _correct_others_interaction(ctx: Ctx) -> tuple[str, str, dict]:
    """An administrator's entry: a 一般 user corrects only their own (docs/permissions.md)."""
    path = f"/api/v1/interactions/{await _interaction(ctx)}"
    return "PUT", path, {"json": {"kind": "call_in", "body": "修正後の内容"}}


async def _delete_others_action(ctx: Ctx) -> tuple[str, str, dict]:
    customer = await ctx.customer()
    r = await ctx.client.post(f"/api/v1/customers/{customer}/actions", headers=ctx.admin,
                              json={"kind": "dm", "note": "管理者のDM"})  # fmt: skip
    assert r.status_code == 201, r.text
    return "DELETE", f"/api/v1/actions/{r.json()['id']}", {}


async def _deleted_entries(ctx: Ctx) -> tuple[str, str, dict]:
    """削除された履歴 of a customer with one deleted interaction (decision 96)."""
    customer = await ctx.customer()
    r = await ctx.client.post(f"/api/v1/customers/{customer}/interactions", headers=ctx.admin,
                              json={"kind": "call_in", "body": "削除する対応"})  # fmt: skip
    assert r.status_code == 201, r.text
    gone = await ctx.client.delete(f"/api/v1/interactions/{r.json()['id']}", headers=ctx.admin)
    assert gone.status_code == 204, gone.text
    return "GET", f"/api/v1/customers/{customer}/deleted-entries", {}


async def _rename_faq_category(ctx: Ctx) -> tuple[str, str, dict]:
    path = f"/api/v1/faq/categories/{await _faq_category(ctx)}"
    return "PUT", path, {"json": {"name": f"改名{uuid.uuid4().hex[:6]}", "retired": True}}


async def _instruct_staff(ctx: Ctx) -> tuple[str, str, dict]:
    accounts = (await ctx.client.get("/api/v1/accounts", headers=ctx.admin)).json()
    member = next(a["id"] for a in accounts if a["email"] == "staff@demo.example")
    body = {"staff_id": member, "instruction": "クレーム対応を優先"}  # an active account
    return "PUT", "/api/v1/staff-instructions", {"json": body}


async def _faq_category(ctx: Ctx) -> str:
    r = await ctx.client.post("/api/v1/faq/categories", headers=ctx.admin,
                              json={"name": f"権限{uuid.uuid4().hex[:6]}"})  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _faq_entry(ctx: Ctx) -> tuple[str, dict]:
    body = {"category_id": await _faq_category(ctx), "question": "権限確認", "answer": "回答"}
    r = await ctx.client.post("/api/v1/faq/entries", headers=ctx.admin, json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"], body


async def _add_faq(ctx: Ctx) -> tuple[str, str, dict]:
    body = {"category_id": await _faq_category(ctx), "question": "権限確認", "answer": "回答"}
    return "POST", "/api/v1/faq/entries", {"json": body}


async def _change_faq(ctx: Ctx) -> tuple[str, str, dict]:
    entry, body = await _faq_entry(ctx)
    return "PUT", f"/api/v1/faq/entries/{entry}", {"json": {**body, "answer": "変更"}}


async def _delete_faq(ctx: Ctx) -> tuple[str, str, dict]:
    entry, _ = await _faq_entry(ctx)
    return "DELETE", f"/api/v1/faq/entries/{entry}", {}


async def _rename_store(ctx: Ctx) -> tuple[str, str, dict]:
    stores = (await ctx.client.get("/api/v1/stores", headers=ctx.admin)).json()
    store = next(s for s in stores if s["id"] == ctx.store_id)  # the same: nothing moves
    return "PUT", f"/api/v1/stores/{ctx.store_id}", {"json": {"code": store["code"],
                                                              "name": store["name"]}}  # fmt: skip


HOOK = {"url": "https://hooks.example/crm", "event_types": ["inquiry.received.v1"]}


def _on_hook(method: str, suffix: str = "", body: dict | None = None) -> Request:
    """An operation on a webhook endpoint the admin made for it (another each call)."""

    async def make(ctx: Ctx) -> tuple[str, str, dict]:
        r = await ctx.client.post("/api/v1/webhooks/endpoints", headers=ctx.admin, json=HOOK)
        assert r.status_code == 201, r.text
        return method, f"/api/v1/webhooks/endpoints/{r.json()['id']}{suffix}", (
            {"json": body} if body is not None else {})  # fmt: skip

    return make


def _replay_body() -> dict:
    from kit import clock

    now = clock.now()
    return {"from": (now - timedelta(days=1)).isoformat(), "to": now.isoformat()}


MENU = {"store_id": "{store_id}", "name": "カット", "duration_minutes": 30, "price_yen": 3000}
MEMBER = {"store_id": "{store_id}", "name": "スタッフ"}
HOURS = {"0": ["09:00", "20:00"]}


async def _delete_partner(ctx: Ctx) -> tuple:
    """A partner's row of the demo tenant (the embedded mode makes no feed on a broker)."""
    from gateway.adapters.orm import Partner

    me = (await ctx.client.get("/api/v1/me", headers=ctx.admin)).json()
    tenant_id, partner_id = uuid.UUID(me["tenant_id"]), uuid.uuid4()

    async def add(uow) -> None:  # type: ignore[no-untyped-def]
        await uow.partners.add(Partner(id=partner_id, tenant_id=tenant_id, name="権限パートナー",
                                       event_types=["customer.merged.v1"],
                                       queue=f"crm.partner.{partner_id}"))  # fmt: skip

    await ctx.system.runtimes["gateway"].transactions(tenant_id=tenant_id).run(add)  # type: ignore[attr-defined]
    return "DELETE", f"/api/v1/partners/{partner_id}", {}


# 操作 → (the request, the admin's success status). 一般: 403 for every row.
TABLE: dict[str, tuple[Request, int]] = {
    "通知先の追加": (fixed("POST", "/api/v1/booking/stores/{store_id}/notification-targets",
                        json={"name": "一般", "email": "general-target@example.com"}), 201),
    "通知先の削除": (_delete_target, 204),
    "統合（確認）": (_merge_preview, 200),
    "統合": (_merge, 200),
    "一括登録": (_import, 202),
    "お客様一覧CSV": (fixed("GET", "/api/v1/customers.csv"), 200),
    "DM宛名リスト": (fixed("GET", "/api/v1/customers/dm-list.csv"), 200),
    "反響一覧CSV": (fixed("GET", "/api/v1/inquiries.csv"), 200),
    "店舗設定": (fixed("PUT", "/api/v1/booking/stores/{store_id}",
                    json={"name": "田町支店", "staff_count": 3, "hours": HOURS}), 200),
    "媒体マスタ": (fixed("POST", "/api/v1/media",
                      json={"code": f"perm_{uuid.uuid4().hex[:6]}", "name": "権限確認媒体"}), 201),
    "メニュー": (fixed("POST", "/api/v1/booking/menus", json={
        "store_id": "{store_id}", "name": "カット", "duration_minutes": 30, "price_yen": 3000}), 201),
    "スタッフ": (fixed("POST", "/api/v1/booking/staff-members",
                   json={"store_id": "{store_id}", "name": "スタッフ 一郎"}), 201),
    "物件の追加": (fixed("POST", "/api/v1/booking/properties",
                     json={"store_id": "{store_id}", "name": "権限確認戸建"}), 201),
    "物件の変更": (_edit_property, 200),
    "媒体の変更": (_on_entry("PUT", "/api/v1/media", {"code": "perm", "name": "権限"},
                          "/api/v1/media/{id}", {"name": "権限確認の変更"}), 200),
    "媒体の廃止・再開": (_on_entry("POST", "/api/v1/media", {"code": "perm", "name": "権限"},
                             "/api/v1/media/{id}/retire"), 200),
    "流入経路の追加": (fixed("POST", "/api/v1/inflow-sources",
                        json={"name": f"権限確認{uuid.uuid4().hex[:6]}"}), 201),
    "流入経路の変更": (_on_entry("PUT", "/api/v1/inflow-sources", {"name": "権限"},
                           "/api/v1/inflow-sources/{id}", {"name": f"改{uuid.uuid4().hex[:6]}"}),
                 200),
    "流入経路の廃止・再開": (_on_entry("POST", "/api/v1/inflow-sources", {"name": "権限"},
                              "/api/v1/inflow-sources/{id}/retire"), 200),
    "メニューの変更": (_on_entry("PUT", "/api/v1/booking/menus", MENU, "/api/v1/booking/menus/{id}",
                           {"name": "カット改", "duration_minutes": 45, "price_yen": 3300}), 200),
    "メニューの廃止": (_on_entry("POST", "/api/v1/booking/menus", MENU,
                           "/api/v1/booking/menus/{id}/retire"), 200),
    "スタッフの変更": (_on_entry("PUT", "/api/v1/booking/staff-members", MEMBER,
                           "/api/v1/booking/staff-members/{id}", {"name": "スタッフ改"}), 200),
    "スタッフの廃止": (_on_entry("POST", "/api/v1/booking/staff-members", MEMBER,
                           "/api/v1/booking/staff-members/{id}/retire"), 200),
    "メニューの再開": (_on_entry("POST", "/api/v1/booking/menus", MENU,
                           "/api/v1/booking/menus/{id}/restore"), 200),
    "物件の廃止": (_on_entry("POST", "/api/v1/booking/properties",
                          {"store_id": "{store_id}", "name": "権限確認"},
                          "/api/v1/booking/properties/{id}/retire"), 200),
    "店舗名・店舗コードの変更": (_rename_store, 200),
    "必須項目": (fixed("PUT", "/api/v1/settings/customer-required-fields",
                   json={"required_fields": []}), 200),
    "アカウント一覧": (fixed("GET", "/api/v1/accounts"), 200),
    "アカウントの追加": (fixed("POST", "/api/v1/accounts", json={
        "email": f"perm-add-{uuid.uuid4().hex[:8]}@demo.example", "display_name": "追加 確認",
        "role": "general"}), 201),
    "アカウントの変更・利用停止": (_edit_account, 200),
    "ホットリードの指標": (written_back("/api/v1/hot-leads/settings"), 200),
    "受注のマスタ（追加）": (fixed("POST", f"{ORDERS}/staff",
                            json={"name": "権限 追加", "role": "operator"}), 201),
    "受注のマスタ（変更）": (_edit_orders_master, 200),
    "受注のマスタ（廃止）": (_retire_orders_master, 200),
    "キャンペーン": (fixed("POST", f"{ORDERS}/campaigns", json=CAMPAIGN), 201),
    "受注設定": (written_back(f"{ORDERS}/settings"), 200),
    "Webショップ連携キーの発行": (fixed("POST", f"{ORDERS}/settings/shop-secret"), 200),
    "定期の設定": (written_back(f"{ORDERS}/subscription-settings"), 200),
    "定期の日次処理": (fixed("POST", f"{ORDERS}/subscription-runs"), 200),
    "ご依頼主の設定": (fixed("PUT", f"{ORDERS}/shipper-settings", json=SHIPPER), 200),
    "対応履歴一覧表": (fixed("GET", "/api/v1/interactions/daily"), 200),
    "翌日の指示": (_instruct, 200),
    "スタッフへの翌日の指示": (_instruct_staff, 204),
    "他の方の対応履歴の修正": (_correct_others_interaction, 200),
    "他の方のアクションの削除": (_delete_others_action, 204),
    "削除された履歴の閲覧": (_deleted_entries, 200),
    "ランクマスタの変更": (fixed("PUT", "/api/v1/customer-ranks", json={
        "period_days": 365, "ranks": [{"name": "権限ゴールド", "min_orders": 1}]}), 200),
    "FAQ分類の追加": (fixed("POST", "/api/v1/faq/categories",
                        json={"name": f"権限分類{uuid.uuid4().hex[:6]}"}), 201),
    "FAQ分類の名前変更・廃止": (_rename_faq_category, 200),
    "FAQの登録": (_add_faq, 201),
    "FAQの変更": (_change_faq, 200),
    "FAQの削除": (_delete_faq, 204),
    "帳票": (fixed("GET", "/api/v1/mail-order/reports/sales-by-medium"), 200),
    "パートナー連携の一覧": (fixed("GET", "/api/v1/partners"), 200),
    # the embedded mode has no RabbitMQ: an admin passes the role and meets that (409)
    "パートナーの作成": (fixed("POST", "/api/v1/partners", json={
        "name": "権限パートナー", "event_types": ["customer.merged.v1"]}), 409),
    "パートナーの削除": (_delete_partner, 204),
    "Webhookの一覧": (fixed("GET", "/api/v1/webhooks/endpoints"), 200),
    "Webhookの追加": (fixed("POST", "/api/v1/webhooks/endpoints", json=HOOK), 201),
    "Webhookの表示": (_on_hook("GET"), 200),
    "Webhookの変更": (_on_hook("PUT", body={**HOOK, "description": "変更"}), 200),
    "Webhookの削除": (_on_hook("DELETE"), 204),
    "Webhookの署名鍵の再発行": (_on_hook("POST", "/rotate-secret"), 200),
    "Webhookの配信履歴": (_on_hook("GET", "/deliveries"), 200),
    "Webhookの再送": (_on_hook("POST", "/replay", _replay_body()), 202),
}  # fmt: skip


def _with_store(kwargs: dict, store_id: str) -> dict:
    body = kwargs.get("json")
    if isinstance(body, dict) and body.get("store_id") == "{store_id}":
        return {**kwargs, "json": {**body, "store_id": store_id}}
    return kwargs


@pytest.fixture(scope="module")
async def ctx(system):  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=system.gateway_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        admin = await login(client)
        staff = await login(client, "staff@demo.example", "demo-staff-pass")
        store_id = (await open_demo_store_every_day(client, admin))["id"]
        yield Ctx(client, admin, staff, store_id, system)


async def _snapshot(ctx: Ctx) -> list:
    paths = [f"/api/v1/booking/stores/{ctx.store_id}",
             f"/api/v1/booking/stores/{ctx.store_id}/notification-targets",
             f"/api/v1/booking/properties?store_id={ctx.store_id}",
             f"/api/v1/booking/menus?store_id={ctx.store_id}&include_retired=true",
             f"/api/v1/booking/staff-members?store_id={ctx.store_id}&include_retired=true",
             f"/api/v1/booking/properties?store_id={ctx.store_id}&include_retired=true",
             "/api/v1/inflow-sources", "/api/v1/stores",
             "/api/v1/settings/customer-required-fields", "/api/v1/media", "/api/v1/merges",
             "/api/v1/accounts", "/api/v1/customers?per_page=100", "/api/v1/hot-leads/settings",
             "/api/v1/partners",
             f"{ORDERS}/staff?include_retired=true", f"{ORDERS}/campaigns", f"{ORDERS}/settings",
             f"{ORDERS}/subscription-settings", f"{ORDERS}/shipper-settings",
             f"{ORDERS}/subscription-runs/last"]  # fmt: skip
    return [(await ctx.client.get(p, headers=ctx.admin)).json() for p in paths]


@pytest.mark.parametrize("operation", list(TABLE))
async def test_the_operation_is_the_admins(ctx: Ctx, operation: str) -> None:
    make, admin_status = TABLE[operation]
    method, path, kwargs = await make(ctx)
    kwargs = _with_store(kwargs, ctx.store_id)
    before = await _snapshot(ctx)
    r = await ctx.client.request(method, path, headers=ctx.staff, **kwargs)
    assert r.status_code == 403, (operation, r.status_code, r.text)
    message = r.json()["detail"]["message"]
    assert not message.isascii() and "管理者" in message, (operation, message)
    assert await _snapshot(ctx) == before, f"{operation}: a 一般 user's attempt changed something"
    r = await ctx.client.request(method, path, headers=ctx.admin, **kwargs)
    assert r.status_code == admin_status, (operation, r.status_code, r.text[:300])


# 処理できなかったイベント (the dead letters): pages only, of the 管理者's own tenant.
PAGE = "/admin/dead-letters"


async def _tenant_id(system) -> uuid.UUID:  # type: ignore[no-untyped-def]
    async with system.runtimes["gateway"].uow(tenant_id=None) as uow:
        return (await uow.accounts.tenant_by_slug(slug="demo")).id


def _poison(tenant_id: uuid.UUID, event: type[Event] = InquiryReceivedV1) -> Message:
    """An event whose payload its consumers cannot read: each one dead-letters it."""
    envelope = Envelope(event_type=event.event_type, version=event.version,
                        routing_key=event.routing_key(), tenant_id=tenant_id,
                        producer="inquiry", payload={"customer": {"name": "住まい花子"}})  # fmt: skip
    return Message(
        envelope.routing_key, envelope.model_dump_json().encode(), str(envelope.event_id)
    )


async def _dead_in(system, queue: str, event_id: str, *, redrives: int = 0) -> bool:  # type: ignore[no-untyped-def]
    letters = await system.bus.dead_letters(queue)
    return any(m.message_id == event_id and m.headers.get("x-crm-redrives", 0) == redrives
               for m in letters)  # fmt: skip


def _signed_in(system, token: dict[str, str]) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=system.gateway_app),
                             base_url="http://gateway",
                             cookies={"crm_session": token["authorization"][7:]})  # fmt: skip


async def test_the_dead_letter_page_is_the_admins_and_redrives(system, client) -> None:  # type: ignore[no-untyped-def]
    async with (
        _signed_in(system, await login(client)) as admin,
        _signed_in(system, await login(client, "staff@demo.example", "demo-staff-pass")) as staff,
    ):
        await _dead_letter_page(system, client, admin, staff)


async def _dead_letter_page(system, client, admin, staff) -> None:  # type: ignore[no-untyped-def]
    tenant = await _tenant_id(system)
    # the customer service's; the linked one's in inquiry, booking and leads; another tenant's
    mine, linked, theirs = _poison(tenant), _poison(tenant, InquiryLinkedV2), _poison(uuid.uuid4())
    for message in (mine, linked, theirs):
        await system.bus.publish(message)
    for queue, message in (("customer.events", mine), ("customer.events", theirs),
                           ("inquiry.events", linked), ("booking.events", linked),
                           ("leads.events", linked)):  # fmt: skip
        await eventually(lambda q=queue, m=message: _dead_in(system, q, m.message_id))
    one = f"{PAGE}/customer/{mine.message_id}"

    assert (await client.get(PAGE)).status_code == 303  # anonymous: to the login page
    for method, path in (("GET", PAGE), ("GET", one), ("POST", f"{one}/redrive"),
                         ("POST", f"{PAGE}/redrive")):  # fmt: skip
        r = await staff.request(method, path, data={"confirm": "1"})
        assert r.status_code == 403 and "管理者" in r.text, (method, path)
    assert await _dead_in(system, "customer.events", mine.message_id)  # nothing moved

    page = await admin.get(PAGE)
    assert page.status_code == 200
    assert mine.message_id in page.text and page.text.count(linked.message_id) >= 3
    for name in ("反響", "顧客", "予約", "ホットリード"):  # each service's own table
        assert f"<h3>{name} <span" in page.text, name
    assert InquiryReceivedV1.event_type in page.text and InquiryLinkedV2.event_type in page.text
    assert "ValidationError" in page.text
    assert theirs.message_id not in page.text  # another tenant's: never shown
    shown = await admin.get(one)
    assert shown.status_code == 200
    pre = shown.text.split('<pre class="payload">', 1)[1].split("</pre>", 1)[0]
    assert '\n  "payload": {\n    "customer": {' in html.unescape(pre)  # pretty-printed
    assert json.loads(html.unescape(pre))["payload"] == {"customer": {"name": "住まい花子"}}
    other = await admin.get(f"{PAGE}/customer/{theirs.message_id}")
    assert other.status_code == 404
    gone = await admin.post(f"{PAGE}/customer/{theirs.message_id}/redrive", data={"confirm": "1"})
    assert gone.status_code == 404

    asked = await admin.post(f"{one}/redrive")  # no confirmation yet
    assert asked.status_code == 200 and "再送しますか" in asked.text
    assert await _dead_in(system, "customer.events", mine.message_id)
    done = await admin.post(f"{one}/redrive", data={"confirm": "1"})
    assert done.status_code == 303
    listed = await admin.get(done.headers["location"])
    assert "1件を再送しました。" in listed.text
    # back to its consumer, which fails on it again: after its retries, back here, marked
    await eventually(lambda: _dead_in(system, "customer.events", mine.message_id, redrives=1))

    _, m = await scrape(client)
    (depth,) = samples_of(m, "crm_dead_letter_queue_messages", service="customer")
    assert depth.value == len(await system.bus.dead_letters("customer.events")) >= 2
    assert samples_of(m, "crm_dead_letters_total", service="customer")[0].value >= 2

    asked = await admin.post(f"{PAGE}/redrive")
    # the tenant's six: 顧客's, the linked one's in 反響, 予約 and ホットリード, and both in the
    # gateway's feed log (decision 101), which cannot log an event it cannot read either
    assert asked.status_code == 200 and "6件を再送しますか" in asked.text
    done = await admin.post(f"{PAGE}/redrive", data={"confirm": "1"})
    listed = await admin.get(done.headers["location"])
    assert "6件を再送しました。" in listed.text
    assert await _dead_in(system, "customer.events", theirs.message_id)  # the other tenant's stays
