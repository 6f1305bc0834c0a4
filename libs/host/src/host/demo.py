"""Synthetic demo inquiries for the embedded mode, posted through the real portal webhook
(signed like the portal would). Fixed ids: re-posting on every start changes nothing."""

import json
import random
from datetime import timedelta

import httpx
from gateway.domain.security import portal_signature
from kit import clock

DEMO_SECRET = "demo-portal-secret"
STORE_CODE = "00000100101"

_FAMILY = [
    ("住まい", "スマイ"),
    ("かもめ", "カモメ"),
    ("田中", "タナカ"),
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
]
_GIVEN = [
    ("花子", "ハナコ"),
    ("一郎", "イチロウ"),
    ("太郎", "タロウ"),
    ("美咲", "ミサキ"),
    ("健太", "ケンタ"),
    ("陽菜", "ヒナ"),
    ("翔", "ショウ"),
    ("結衣", "ユイ"),
]
_PROPERTIES = [
    ("P-0001", "スームマンション田町", "東京都港区芝浦一丁目1-1", 70_000_000),
    ("P-0002", "スームレジデンス三田", "東京都港区三田二丁目2-2", 58_000_000),
    ("P-0003", "スーム戸建 高輪", "東京都港区高輪三丁目3-3", 98_000_000),
]
_KINDS = ["visit_reservation", "document_request", "question", "document_request"]


def demo_inquiries(count: int = 40) -> list[dict]:
    rng = random.Random(20261125)
    # Japan time: visits at 10:00, 13:00, 15:00 as a store would book them.
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    items = []
    for n in range(count):
        family, family_kana = rng.choice(_FAMILY)
        given, given_kana = rng.choice(_GIVEN)
        code, name, address, price = rng.choice(_PROPERTIES)
        kind = _KINDS[n % len(_KINDS)]
        received = now - timedelta(days=count - n, hours=rng.randint(0, 10))
        # Every fifth inquiry comes back from an earlier customer's email, under another
        # name and phone: the identity rule (名寄せ) joins it to that customer.
        who = n - 3 if n % 5 == 4 else n
        visit = None
        if kind == "visit_reservation":
            start = (now + timedelta(days=rng.randint(1, 14))).replace(
                hour=rng.choice([10, 13, 15])
            )
            visit = {
                "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=1)).isoformat(),
            }
        items.append(
            {
                "inquiry_id": f"demo-{n + 1:04d}",
                "kind": kind,
                "received_at": received.isoformat(),
                "store_code": STORE_CODE,
                "customer": {
                    "name": f"{family} {given}",
                    "name_kana": f"{family_kana} {given_kana}",
                    "email": f"demo.customer{who + 1:03d}@example.com",
                    "phone": f"090-0000-{n + 1:04d}",
                    "address": "東京都港区芝浦一丁目",
                },
                "property": {"code": code, "name": name, "address": address, "price_yen": price},
                "requested_visit": visit,
                "message": "見学を希望します。" if visit else "資料をお願いします。",
            }
        )
    return items


async def post_demo_inquiries(client: httpx.AsyncClient, *, tenant: str = "demo") -> int:
    posted = 0
    for item in demo_inquiries():
        body = json.dumps(item, ensure_ascii=False).encode()
        response = await client.post(
            f"/api/v1/portal/{tenant}/inquiries",
            content=body,
            headers={
                "content-type": "application/json",
                "x-portal-signature": portal_signature(body, DEMO_SECRET),
            },
        )
        response.raise_for_status()
        posted += response.status_code == 202
    return posted


async def prepare_demo_booking(client: httpx.AsyncClient, *, store_id: str) -> None:
    """The demo store's booking settings, its three portal-listed properties and one 通知先,
    so that the demo's portal reservations become visits on the calendar (and their
    notices land in the local mail folder). Only what is missing is added."""
    token = await client.post(
        "/api/v1/auth/token", data={"username": "admin@demo.example", "password": "demo-admin-pass"}
    )
    token.raise_for_status()
    headers = {"authorization": f"Bearer {token.json()['access_token']}"}
    stores = await client.get("/api/v1/booking/stores", headers=headers)
    if any(s["store_id"] == store_id for s in stores.json()):
        return  # set up on an earlier start; the staff may have changed it since
    weekdays = {str(d): ["10:00", "19:00"] for d in (0, 1, 3, 4, 5, 6)}  # 水曜定休
    settings = {"name": "田町支店", "staff_count": 2, "slot_minutes": 60, "hours": weekdays,
                "closed_on_holidays": False, "last_minute_cancel_hours": 24}  # fmt: skip
    (
        await client.put(f"/api/v1/booking/stores/{store_id}", json=settings, headers=headers)
    ).raise_for_status()
    for code, name, _address, _price in _PROPERTIES:
        prop = {"store_id": store_id, "code": code, "name": name, "concurrent_groups": 1,
                "portal_listed": True}  # fmt: skip
        (
            await client.post("/api/v1/booking/properties", json=prop, headers=headers)
        ).raise_for_status()
    target = {"name": "田町支店 店長", "email": "tamachi-manager@demo.example"}
    path = f"/api/v1/booking/stores/{store_id}/notification-targets"
    (await client.post(path, json=target, headers=headers)).raise_for_status()
