"""CUS-9 to CUS-12 on the real PostgreSQL: interactions, actions and the sale they led to,
ranks recomputed from the order events and on a master change, 長期放置, the FAQ search, and
all of it following a merge."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from contracts import EmailSentV1, OrderCancelledV1, OrderPlacedV1
from contracts.orders import OrderLine
from kit import clock

from .conftest import Service, profile

RANKS = {
    "period_days": 365,
    "ranks": [
        {"name": "プラチナ", "min_orders": 3},
        {"name": "ゴールド", "min_orders": 1, "max_orders": 2},
    ],
}


async def _customer(service: Service, **overrides: object) -> str:
    r = await service.post("/customers", profile(**overrides))
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _order(customer_id: str, *, yen: int = 5000, at: datetime | None = None) -> OrderPlacedV1:
    line = OrderLine(product_id=uuid.uuid4(), product_name="健康トニック", quantity=1,
                     unit_price_yen=yen, tax_rate_percent=8, amount_yen=yen)  # fmt: skip
    return OrderPlacedV1(
        order_id=uuid.uuid4(), customer_id=uuid.UUID(customer_id), channel="phone",
        ordered_at=at or datetime.now(UTC), lines=[line], subtotal_yen=yen, tax_yen=0,
        shipping_fee_yen=0, discount_yen=0, total_yen=yen,
    )  # fmt: skip


async def test_interactions_timeline_daily_list_and_instruction(service: Service) -> None:
    customer = await _customer(service)
    r = await service.post(f"/customers/{customer}/interactions", {
        "kind": "call_in", "body": "  健康テープの使い方の問い合わせ  ",
        "next_step": "使用感を確認する", "next_due": clock.today().isoformat(),
    })  # fmt: skip
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["body"] == "健康テープの使い方の問い合わせ" and first["kind_label"] == "電話受信"
    assert first["staff_id"] == str(service.user_id)  # who: the token's staff member
    assert first["occurred_at"].endswith("+09:00")
    await service.post(
        f"/customers/{customer}/interactions", {"kind": "complaint", "body": "配送遅れ"}
    )

    timeline = (await service.get(f"/customers/{customer}/interactions")).json()
    assert [i["kind"] for i in timeline] == ["complaint", "call_in"]  # newest first

    bad = await service.post(f"/customers/{customer}/interactions",
                             {"kind": "fax", "body": " ", "next_due": "2000-01-01"})  # fmt: skip
    assert bad.status_code == 422
    fields = {e["field"] for e in bad.json()["detail"]["errors"]}
    assert fields == {"kind", "body", "next_due", "next_step"}
    assert "電話受信" in bad.json()["detail"]["message"]

    other = uuid.uuid4()
    foreign = await service.post(f"/customers/{customer}/interactions",
                                 {"kind": "call_in", "body": "x"},
                                 headers=service.headers(tenant_id=other))  # fmt: skip
    assert foreign.status_code == 404
    assert (await service.get(f"/customers/{customer}/interactions",
                              headers=service.headers(tenant_id=other))).status_code == 404  # fmt: skip

    staff = await service.get("/interactions/daily", headers=service.headers(role="general"))
    assert staff.status_code == 403 and "管理者" in staff.json()["detail"]["message"]
    daily = (await service.get("/interactions/daily")).json()
    assert daily["day"] == clock.today().isoformat()
    assert [i["customer_name"] for i in daily["items"]] == ["山田 太郎", "山田 太郎"]

    said = await service.client.put(f"/interactions/{first['id']}/instruction",
                                    json={"instruction": "明日午前に折り返し"},
                                    headers=service.headers())  # fmt: skip
    assert said.status_code == 200 and said.json()["instruction"] == "明日午前に折り返し"
    hidden = await service.client.put(f"/interactions/{first['id']}/instruction",
                                      json={"instruction": "x"},
                                      headers=service.headers(tenant_id=other))  # fmt: skip
    assert hidden.status_code == 404


async def test_actions_the_sale_they_led_to_and_mail_sends(service: Service) -> None:
    customer = await _customer(service)
    old = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    await service.post(f"/customers/{customer}/actions", {"kind": "catalogue", "occurred_at": old})
    r = await service.post(f"/customers/{customer}/actions", {"kind": "dm", "note": "冬のDM"})
    assert r.status_code == 201, r.text
    sent = EmailSentV1(message_id=uuid.uuid4(), message_kind="newsletter",
                       customer_id=uuid.UUID(customer), sent_at=datetime.now(UTC),
                       subject="12月のお知らせ")  # fmt: skip
    await service.publish(sent)
    await service.publish(sent)  # redelivered: one action
    await service.settle()
    order = _order(customer, yen=7000)
    await service.publish(order)
    await service.publish(order)
    await service.settle()

    actions = (await service.get(f"/customers/{customer}/actions")).json()
    by_kind = {a["kind"]: a for a in actions}
    assert len(actions) == 3 and by_kind["newsletter"]["note"] == "12月のお知らせ"
    # Last touch: the newsletter (latest) is credited, the 40-day-old catalogue never.
    assert by_kind["newsletter"]["led_to_order_id"] == str(order.order_id)
    assert by_kind["dm"]["led_to_order_id"] is None
    assert by_kind["catalogue"]["led_to_order_id"] is None

    report = (await service.get("/actions/sales")).json()
    rows = {i["kind"]: i for i in report["items"]}
    assert rows["newsletter"] == {"kind": "newsletter", "label": "メルマガ", "actions": 1,
                                  "led_to_sale": 1, "sales_yen": 7000}  # fmt: skip
    assert rows["dm"]["actions"] == 1 and rows["catalogue"]["actions"] == 0  # 40 days ago
    await service.publish(OrderCancelledV1(
        order_id=order.order_id, customer_id=order.customer_id, order_number=1, total_yen=7000,
        cancelled_at=datetime.now(UTC), reason_id=uuid.uuid4(), reason="都合"))  # fmt: skip
    await service.settle()
    rows = {i["kind"]: i for i in (await service.get("/actions/sales")).json()["items"]}
    assert rows["newsletter"]["led_to_sale"] == 0 and rows["newsletter"]["sales_yen"] == 0

    # A second order credits the DM (the latest action not yet credited); the CSV has the
    # same figures as the JSON, a 合計 row last (hand-computed: 2 actions, 1 sale, 3,200円).
    await service.publish(_order(customer, yen=3200))
    await service.settle()
    today = clock.today().isoformat()
    csv = await service.get("/actions/sales.csv", params={"from": today, "to": today})
    assert csv.status_code == 200, csv.text
    assert csv.content.startswith("\ufeff".encode()) and b"\r\n" in csv.content
    assert csv.headers["content-disposition"] == (
        f'attachment; filename="action-sales-{today}-{today}.csv"'
    )
    lines = csv.content.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "アクション,件数,受注につながった件数,受注率（%）,売上（円）"
    assert lines[1:7] == ["電話営業,0,0,,0", "DM,1,1,100.0,3200", "メルマガ,1,0,0.0,0",
                          "カタログ送付,0,0,,0", "メール送信,0,0,,0", "合計,2,1,50.0,3200"]  # fmt: skip

    # Bounds, the JSON's and the CSV's alike: every problem beside its field, in Japanese.
    for path in ("/actions/sales", "/actions/sales.csv"):
        reversed_ = await service.get(path, params={"from": "2026-03-02", "to": "2026-03-01"})
        assert reversed_.status_code == 422
        detail = reversed_.json()["detail"]
        assert detail["code"] == "range_reversed" and detail["field"] == "to"
        assert {e["field"] for e in detail["errors"]} == {"from", "to"}
        assert "終了日" in detail["message"]
        long = await service.get(path, params={"from": "2025-01-01", "to": "2026-01-02"})
        assert long.status_code == 422 and long.json()["detail"]["field"] == "from"
        assert "366日" in long.json()["detail"]["message"]
        typo = await service.get(path, params={"from": "2026-13-01"})
        assert typo.status_code == 422 and typo.json()["detail"]["field"] == "from"
        assert typo.json()["detail"]["message"].isascii() is False

    bad = await service.post(f"/customers/{customer}/actions", {"kind": "mail"})
    assert bad.status_code == 422 and "電話営業" in bad.json()["detail"]["message"]


async def test_ranks_master_refuses_overlaps_and_follows_orders(service: Service) -> None:
    customer = await _customer(service)
    overlapping = {"ranks": [{"name": "ゴールド", "min_orders": 1, "max_orders": 5},
                             {"name": "プラチナ", "min_orders": 5}]}  # fmt: skip
    r = await service.put("/ranks", overlapping)
    assert r.status_code == 422
    assert r.json()["detail"]["code"] == "rank_overlap"
    assert "重なって" in r.json()["detail"]["message"]
    assert (await service.get("/ranks")).json()["ranks"] == []  # nothing half-written

    await service.publish(_order(customer))
    await service.settle()
    saved = await service.put("/ranks", RANKS)
    assert saved.status_code == 200, saved.text
    assert saved.json()["recomputed"] == 1  # the master change ranked the customer
    assert (await service.get(f"/customers/{customer}")).json()["rank_name"] == "ゴールド"

    for _ in range(2):
        await service.publish(_order(customer))
    await service.settle()
    detail = (await service.get(f"/customers/{customer}")).json()
    assert detail["rank_name"] == "プラチナ"
    listed = (await service.get("/customers")).json()["items"]
    assert listed[0]["rank_name"] == "プラチナ"

    staff = await service.client.put("/ranks", json=RANKS, headers=service.headers(role="general"))
    assert staff.status_code == 403


async def test_neglected_customers_by_days_and_rank(service: Service) -> None:
    quiet = await _customer(service, phones=["090-1111-2222"], emails=["q@example.com"])
    busy = await _customer(service, family_name="佐藤", phones=["090-3333-4444"],
                           emails=["b@example.com"])  # fmt: skip
    await service.put("/ranks", RANKS)
    long_ago = datetime.now(UTC) - timedelta(days=200)
    await service.publish(_order(quiet, at=long_ago))
    await service.settle()
    await service.post(f"/customers/{busy}/interactions", {"kind": "call_out", "body": "ご挨拶"})

    r = (await service.get("/neglected-customers", params={"min_days": 90})).json()
    assert [i["id"] for i in r["items"]] == [quiet]
    row = r["items"][0]
    assert row["days"] == 200 and row["last_activity_label"] == "受注"
    assert row["rank_name"] == "ゴールド" and row["phones"] == ["090-1111-2222"]
    gold = row["rank_id"]
    assert (await service.get("/neglected-customers",
                              params={"min_days": 0, "rank_id": gold})).json()["total"] == 1  # fmt: skip
    recent = (await service.get("/neglected-customers", params={"min_days": 0})).json()
    assert recent["items"][-1]["last_activity_label"] == "対応（電話発信）"
    unknown = await service.get("/neglected-customers", params={"rank_id": str(uuid.uuid4())})
    assert unknown.status_code == 404


async def test_faq_search_in_kana_or_kanji(service: Service) -> None:
    category = (await service.post("/faq/categories", {"name": "商品の説明"})).json()
    complaints = (await service.post("/faq/categories", {"name": "クレーム対応"})).json()
    for body in (
        {"category_id": category["id"], "question": "健康テープの使い方",
         "answer": "肩や腰に貼ってください。", "keywords": "けんこうてーぷ"},
        {"category_id": complaints["id"], "question": "商品が届かない",
         "answer": "お詫びし、配送状況を確認します。", "keywords": "はいそう おくれ"},
    ):  # fmt: skip
        assert (await service.post("/faq/entries", body)).status_code == 201
    found = (await service.get("/faq/entries", params={"q": "けんこう"})).json()
    assert [e["question"] for e in found["items"]] == ["健康テープの使い方"]
    assert (await service.get("/faq/entries", params={"q": "ﾃｰﾌﾟ"})).json()["total"] == 1
    assert (await service.get("/faq/entries", params={"q": "配送　確認"})).json()["total"] == 1
    assert (await service.get("/faq/entries", params={"q": "健康 配送"})).json()["total"] == 0
    one = await service.get("/faq/entries", params={"q": "健"})
    assert one.status_code == 422 and "2文字以上" in one.json()["detail"]["message"]
    listed = await service.get("/faq/entries", params={"category_id": complaints["id"]})
    assert [e["question"] for e in listed.json()["items"]] == ["商品が届かない"]
    staff = await service.post("/faq/entries", {"category_id": category["id"], "question": "x",
                               "answer": "y"}, headers=service.headers(role="general"))  # fmt: skip
    assert staff.status_code == 403


async def test_a_merge_brings_histories_purchases_and_rank(service: Service) -> None:
    await service.put("/ranks", RANKS)
    target = await _customer(service)
    source = await _customer(service, emails=["other@example.com"], phones=["090-5555-6666"])
    await service.publish(_order(target))
    await service.publish(_order(source))
    await service.publish(_order(source))
    await service.settle()
    await service.post(f"/customers/{source}/interactions", {"kind": "sales_talk", "body": "商談"})
    await service.post(f"/customers/{source}/actions", {"kind": "phone_sales"})
    assert (await service.get(f"/customers/{target}")).json()["rank_name"] == "ゴールド"

    r = await service.post("/merges", {"source_id": source, "target_id": target, "confirm": True})
    assert r.status_code == 200, r.text
    assert r.json()["moved"]["interactions"] == 1 and r.json()["moved"]["actions"] == 1
    merged = (await service.get(f"/customers/{target}")).json()
    assert merged["rank_name"] == "プラチナ"  # three orders now
    assert merged["last_activity_kind"] == "action:phone_sales"
    assert len((await service.get(f"/customers/{target}/interactions")).json()) == 1
    assert len((await service.get(f"/customers/{target}/actions")).json()) == 1
    assert (await service.get(f"/customers/{target}/purchases")).json()["orders"] == 3
    # Later entries naming the source land on the target.
    late = await service.post(
        f"/customers/{source}/interactions", {"kind": "other", "body": "後日"}
    )
    assert late.status_code == 201 and late.json()["customer_id"] == target


async def test_the_daily_run_ranks_again_as_the_calendar_moves(service: Service) -> None:
    from customer.entrypoints.rank_worker import RankWorker

    customer = await _customer(service)
    master = {"ranks": [{"name": "最近のお客様", "min_orders": 1, "max_days_since": 30},
                        {"name": "休眠", "min_orders": 1, "min_days_since": 31}]}  # fmt: skip
    assert (await service.put("/ranks", master)).status_code == 200
    await service.publish(_order(customer, at=datetime.now(UTC) - timedelta(days=30)))
    await service.settle()
    assert (await service.get(f"/customers/{customer}")).json()["rank_name"] == "最近のお客様"
    worker = RankWorker(service.runtime, poll_s=600)
    assert await worker.drain_once() == 0  # ranked today already (the master's save)
    # A day later the order is 31 days old: the run of that day moves the customer.
    assert service.runtime.engine is not None
    async with service.runtime.engine.begin() as conn:
        await conn.execute(
            sa.text("UPDATE customer_purchases SET ordered_at = ordered_at - interval '1 day'")
        )
        await conn.execute(
            sa.text("UPDATE customer_rank_masters SET recomputed_on = recomputed_on - 1")
        )
    assert await worker.drain_once() == 1
    assert (await service.get(f"/customers/{customer}")).json()["rank_name"] == "休眠"
    assert await worker.drain_once() == 0


async def test_a_large_tenants_master_change_is_finished_by_the_worker(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from customer.entrypoints.rank_worker import RankWorker
    from customer.use_cases import ranks

    customers = [await _customer(service, emails=[f"c{n}@example.com"], phones=[f"090-2222-000{n}"])
                 for n in range(3)]  # fmt: skip
    for customer in customers:
        await service.publish(_order(customer))
    await service.settle()
    monkeypatch.setattr(ranks, "BATCH", 2)  # a tenant "larger than one batch"
    saved = (await service.put("/ranks", RANKS)).json()
    assert (saved["recomputed"], saved["complete"]) == (2, False)
    ranked = "SELECT count(*) FROM customers WHERE rank_name = 'ゴールド'"
    assert await service.scalar(ranked) == 2
    assert await RankWorker(service.runtime, poll_s=600).drain_once() == 1
    assert await service.scalar(ranked) == 3
    assert await service.scalar("SELECT recompute_after FROM customer_rank_masters") is None
