"""Seed 000's permission table (INQ-6), one test per cell, through the public API as staff
would use it. Columns: a portal inquiry (SUUMO反響: 予約・資料請求ほか), a portal contact that
is not reflected automatically (電話・直接来場: medium portal_phone, typed in by staff) and an
inquiry from another medium (他媒体: another portal). ○ must work, × must be refused.

    操作                  SUUMO反響  SUUMO(電話・来場)  他媒体
    反響の自動連携          ○          ×              ×
    お客様登録             ×          ○              ○
    お客様情報を変更        ○          ○              ○
    お客様情報の削除        ×          ○ (接客履歴なし)  ○ (接客履歴なし)
    お客様担当を設定        ○          ○              ○
    予定を追加             ○          ○              ○
    追客状況の変更          ○          ○              ○
    予定を変更/キャンセル    ○          ○              ○
"""

import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from kit import clock

from tests.e2e.flows import eventually, inquiry_body, login, post_inquiry, sign

pytestmark = [pytest.mark.e2e, pytest.mark.database]

COLUMNS = ("portal", "portal_phone", "other_portal")
MATRIX = {
    "反響の自動連携": "○××",
    "お客様登録": "×○○",
    "お客様情報を変更": "○○○",
    "お客様情報の削除": "×○○",
    "お客様担当を設定": "○○○",
    "予定を追加": "○○○",
    "追客状況の変更": "○○○",
    "予定を変更/キャンセル": "○○○",
}
CELLS = [
    (operation, medium, marks[n] == "○")
    for operation, marks in MATRIX.items()
    for n, medium in enumerate(COLUMNS)
]
DAY = (clock.today() + timedelta(days=20)).isoformat()


@dataclass
class Staff:
    client: httpx.AsyncClient
    headers: dict[str, str]
    user_id: str
    store_id: str

    async def customer_of(self, medium: str) -> dict:
        """A new customer whose first inquiry came by ``medium``, as it would arrive."""
        tag = uuid.uuid4().hex[:10]
        email = f"matrix-{tag}@example.com"
        name = f"権限 {tag[:4]}"
        if medium == "portal":
            body = inquiry_body(email=email, name=name, phone="090-2222-3333")
            assert (await post_inquiry(self.client, body)).status_code == 202
        else:
            r = await self.register(medium, email=email, name=name)
            assert r.status_code == 202, r.text
        return await self.wait_for(email)

    async def register(self, medium: str, *, email: str, name: str) -> httpx.Response:
        body = {
            "medium": medium,
            "kind": "question",
            "received_at": "2026-11-21T10:30:00+09:00",
            "customer": {"name": name, "email": email, "phone": "03-5555-1234"},
            "message": "電話で問い合わせ",
        }
        return await self.client.post("/api/v1/inquiries", json=body, headers=self.headers)

    async def wait_for(self, email: str) -> dict:
        async def found() -> list:
            r = await self.client.get(
                "/api/v1/customers", params={"email": email}, headers=self.headers
            )
            return r.json()["items"]

        return (await eventually(found))[0]

    async def none_with(self, email: str) -> bool:
        r = await self.client.get(
            "/api/v1/customers", params={"email": email}, headers=self.headers
        )
        return r.json()["total"] == 0

    async def page(self, path: str) -> str:
        r = await self.client.get(path, headers=self.headers)
        assert r.status_code == 200, r.text
        return r.text

    async def book(self, customer_id: str, hour: int) -> dict:
        """予定を追加 (店舗接客); booking learns a new customer by event, so it may take a moment."""
        body = {"kind": "store_consultation", "store_id": self.store_id,
                "customer_id": customer_id, "starts_at": f"{DAY}T{hour:02d}:00:00+09:00",
                "ends_at": f"{DAY}T{hour + 1:02d}:00:00+09:00"}  # fmt: skip

        async def booked() -> dict | None:
            r = await self.client.post("/api/v1/booking/visits", json=body, headers=self.headers)
            if r.status_code == 422 and r.json()["detail"]["field"] == "customer_id":
                return None  # not known to booking yet
            assert r.status_code == 201, r.text
            return r.json()

        return await eventually(booked)


@pytest.fixture(scope="module")
async def staff(system, tmp_path_factory) -> Staff:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=system.gateway_app)
    client = httpx.AsyncClient(transport=transport, base_url="http://gateway")
    headers = await login(client)
    me = (await client.get("/api/v1/me", headers=headers)).json()
    async with system.runtimes["gateway"].uow(tenant_id=uuid.UUID(me["tenant_id"])) as uow:
        store_id = str(next(s.id for s in await uow.accounts.stores() if s.code == "00000100101"))
    every_day = {str(d): ["09:00", "20:00"] for d in range(7)}
    r = await client.put(
        f"/api/v1/booking/stores/{store_id}",
        json={"name": "田町支店", "staff_count": 50, "hours": every_day},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    yield Staff(client, headers, me["user_id"], store_id)
    await client.aclose()


async def automatic_link(staff: Staff, medium: str, allowed: bool) -> None:
    tag = uuid.uuid4().hex[:10]
    email = f"auto-{tag}@example.com"
    body = inquiry_body(email=email, name=f"自動 {tag[:4]}", phone="090-4444-5555")
    if allowed:  # the portal's webhook: the customer appears with no typing, portal-linked
        assert (await post_inquiry(staff.client, body)).status_code == 202
        customer = await staff.wait_for(email)
        detail = await staff.client.get(
            f"/api/v1/customers/{customer['id']}", headers=staff.headers
        )
        assert detail.json()["portal_linked"] is True
        return
    # Nothing but the portal's own inquiries arrives by itself: the webhook takes no medium.
    raw = json.dumps({**body, "medium": medium}, ensure_ascii=False).encode()
    r = await staff.client.post(
        "/api/v1/portal/demo/inquiries",
        content=raw,
        headers={"content-type": "application/json", "x-portal-signature": sign(raw)},
    )
    assert r.status_code == 422, r.text
    assert await staff.none_with(email)


async def registration(staff: Staff, medium: str, allowed: bool) -> None:
    tag = uuid.uuid4().hex[:10]
    email = f"hand-{tag}@example.com"
    r = await staff.register(medium, email=email, name=f"手入力 {tag[:4]}")
    if allowed:
        assert r.status_code == 202, r.text
        customer = await staff.wait_for(email)
        detail = await staff.client.get(
            f"/api/v1/customers/{customer['id']}", headers=staff.headers
        )
        assert detail.json()["portal_linked"] is False
    else:
        assert r.status_code == 403 and "自動で連携" in r.json()["detail"]["message"]
        assert await staff.none_with(email)


async def profile_change(staff: Staff, medium: str, allowed: bool) -> None:
    customer = await staff.customer_of(medium)
    body = {"family_name": "変更", "given_name": "後子", "family_kana": "ヘンコウ",
            "given_kana": "ノチコ", "phones": ["090-1212-3434"],
            "emails": [customer["emails"][0]], "birth_date": "1985-04-01"}  # fmt: skip
    r = await staff.client.put(
        f"/api/v1/customers/{customer['id']}", json=body, headers=staff.headers
    )
    assert (r.status_code == 204) is allowed, r.text
    detail = await staff.client.get(f"/api/v1/customers/{customer['id']}", headers=staff.headers)
    assert detail.json()["name"] == "変更 後子"


async def deletion(staff: Staff, medium: str, allowed: bool) -> None:
    without_visits = await staff.customer_of(medium)
    page = await staff.page(f"/customers/{without_visits['id']}")
    assert ("削除する</button>" in page) is allowed  # the client offers only what is allowed
    if not allowed:
        assert "ポータルから連携されたお客様のため、削除できません" in page
    r = await staff.client.delete(
        f"/api/v1/customers/{without_visits['id']}", headers=staff.headers
    )
    if not allowed:  # a portal-linked customer, even without any visit
        assert r.status_code == 409 and "ポータル" in r.json()["detail"]["message"]
        return
    assert r.status_code == 204, r.text
    # ○ only without visit history: once a visit is known, deletion is refused.
    with_visit = await staff.customer_of(medium)
    await staff.book(with_visit["id"], 10)

    async def history_known() -> bool:
        path = f"/api/v1/customers/{with_visit['id']}"
        return (await staff.client.get(path, headers=staff.headers)).json()["reservation_count"]

    await eventually(history_known)
    page = await staff.page(f"/customers/{with_visit['id']}")
    assert "接客の履歴があるため、削除できません" in page and "削除する</button>" not in page
    refused = await staff.client.delete(
        f"/api/v1/customers/{with_visit['id']}", headers=staff.headers
    )
    assert refused.status_code == 409 and "接客" in refused.json()["detail"]["message"]


async def assign_rep(staff: Staff, medium: str, allowed: bool) -> None:
    customer = await staff.customer_of(medium)
    r = await staff.client.patch(
        f"/api/v1/customers/{customer['id']}/follow-up",
        json={"assignee_id": staff.user_id},
        headers=staff.headers,
    )
    assert (r.status_code == 204) is allowed, r.text
    follow = await staff.client.get(
        f"/api/v1/customers/{customer['id']}/follow-up", headers=staff.headers
    )
    assert follow.json()["assignee_id"] == staff.user_id


async def add_visit(staff: Staff, medium: str, allowed: bool) -> None:
    customer = await staff.customer_of(medium)
    visit = await staff.book(customer["id"], 11)
    assert visit["customer_id"] == customer["id"] and allowed


async def follow_up_status(staff: Staff, medium: str, allowed: bool) -> None:
    customer = await staff.customer_of(medium)
    r = await staff.client.patch(
        f"/api/v1/customers/{customer['id']}/follow-up",
        json={"status": "contracted"},
        headers=staff.headers,
    )
    assert (r.status_code == 204) is allowed, r.text
    follow = await staff.client.get(
        f"/api/v1/customers/{customer['id']}/follow-up", headers=staff.headers
    )
    assert follow.json()["status"] == "contracted"


async def change_or_cancel_visit(staff: Staff, medium: str, allowed: bool) -> None:
    customer = await staff.customer_of(medium)
    visit = await staff.book(customer["id"], 12)
    moved = await staff.client.patch(
        f"/api/v1/booking/visits/{visit['id']}",
        json={"starts_at": f"{DAY}T14:00:00+09:00", "ends_at": f"{DAY}T15:00:00+09:00"},
        headers=staff.headers,
    )
    assert (moved.status_code == 200) is allowed, moved.text
    cancelled = await staff.client.post(
        f"/api/v1/booking/visits/{visit['id']}/cancel",
        json={"reason": "customer"},
        headers=staff.headers,
    )
    assert (cancelled.status_code == 200) is allowed, cancelled.text
    assert cancelled.json()["status"] in ("cancelled", "cancel_fee_unpaid")


CHECKS: dict[str, Callable[[Staff, str, bool], Awaitable[None]]] = {
    "反響の自動連携": automatic_link,
    "お客様登録": registration,
    "お客様情報を変更": profile_change,
    "お客様情報の削除": deletion,
    "お客様担当を設定": assign_rep,
    "予定を追加": add_visit,
    "追客状況の変更": follow_up_status,
    "予定を変更/キャンセル": change_or_cancel_visit,
}


def test_the_table_is_seed_000s_whole_table() -> None:
    assert len(CELLS) == 24 and set(CHECKS) == set(MATRIX)


@pytest.mark.parametrize(
    ("operation", "medium", "allowed"),
    CELLS,
    ids=[f"{op}-{medium}-{'○' if ok else '×'}" for op, medium, ok in CELLS],
)
async def test_cell(staff: Staff, operation: str, medium: str, allowed: bool) -> None:
    await CHECKS[operation](staff, medium, allowed)
