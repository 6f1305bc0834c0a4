"""ORD-6 reports from the reporting model the service's own events feed, on the real
PostgreSQL: totals checked against figures computed by hand (three orders in two media and
two prefectures, reduced-rate items, a cancel and a return), the same event twice counted
once, churn from an old order and by the last contact (対応・アクション), bad month ranges
refused with the fields named, the CSV's cells, and 一般 refused."""

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from contracts import CustomerMergedV1, Envelope, Event
from contracts.customer import ContactRecordedV1
from contracts.orders import OrderLine, OrderPlacedV1
from kit import clock
from kit.bus import Message
from kit.consumer import EventConsumer
from orders.adapters.report_rebuild import rebuild
from orders.handlers import HANDLERS

pytestmark = pytest.mark.database

SAGA = {"kind": "home", "name": "佐賀 太郎", "postal_code": "840-0801", "prefecture": "佐賀県",
        "address": "佐賀市駅前中央1-2-3", "phone": "090-0000-0001"}  # fmt: skip
TOKYO = SAGA | {"prefecture": "東京都", "address": "港区芝浦1-1-1", "postal_code": "108-0023"}


async def _setup(tenant) -> dict:  # type: ignore[no-untyped-def]
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    await tenant.add("shipping-fees", prefecture="東京都", fee_yen=700)
    tonic = await tenant.product("健康トニック", 3000, rate=10)  # cost 1,000
    vinegar = await tenant.product("黒酢ドリンク", 1280, rate=8)  # cost 426 (軽減税率)
    tv = await tenant.add("media", name="テレビ通販", code="tv")
    paper = await tenant.add("media", name="新聞広告", code="paper")
    yamada = await tenant.add("staff", name="山田 花子", role="operator")
    question = await tenant.add("survey-questions", text="ご購入のきっかけ", answer_kind="choice",
                                choices=["テレビ", "新聞"])  # fmt: skip
    return {"tonic": tonic["id"], "vinegar": vinegar["id"], "tv": tv["id"], "paper": paper["id"],
            "yamada": yamada["id"], "question": question["id"]}  # fmt: skip


async def _order(tenant, delivery: dict, lines: list, **extra) -> dict:  # type: ignore[no-untyped-def]
    body = {"customer_id": await tenant.customer(), "delivery": delivery, "campaign_ids": [],
            "lines": [{"product_id": p, "quantity": q} for p, q in lines], **extra}  # fmt: skip
    r = await tenant.client.post("/orders", json=body)
    assert r.status_code == 201, r.text
    return r.json()


async def _applied(tenant, count: int) -> dict:  # type: ignore[no-untyped-def]
    async def check():  # type: ignore[no-untyped-def]
        r = await tenant.client.get("/reports/sales-by-medium")
        fresh = r.json()["freshness"]
        return r.json() if fresh and fresh["events_applied"] >= count else None

    return await tenant.until(check)


async def _report(tenant, kind: str, **params) -> dict:  # type: ignore[no-untyped-def]
    r = await tenant.client.get(f"/reports/{kind}", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _pick(report: dict, *keys: str) -> list[tuple]:
    return [tuple(row[k] for k in keys) for row in report["rows"]]


async def test_reports_add_up_to_the_figures_computed_by_hand(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await _setup(tenant)
    # A: テレビ, 佐賀, 山田: 2 × 3,000 + 3 × 1,280 = 9,840 (cost 2,000 + 1,278), 送料 500
    a = await _order(tenant, SAGA, [(p["tonic"], 2), (p["vinegar"], 3)], medium_id=p["tv"],
                     staff_id=p["yamada"])  # fmt: skip
    # B: 新聞, 東京: 3,000 (cost 1,000), 送料 700, with a survey answer
    await _order(tenant, TOKYO, [(p["tonic"], 1)], medium_id=p["paper"],
                 survey_answers=[{"question_id": p["question"], "answer": "新聞"}])  # fmt: skip
    # C: テレビ, 東京: 1,280, then cancelled: counted nowhere
    c = await _order(tenant, TOKYO, [(p["vinegar"], 1)], medium_id=p["tv"])
    cancel = await tenant.add("reasons", kind="cancel", text="気が変わった")
    r = await tenant.client.post(f"/orders/{c['id']}/cancel", json={"reason_id": cancel["id"]})
    assert r.status_code == 200, r.text
    # A returns one tonic: −3,000 sales, −1,000 cost
    back = await tenant.add("reasons", kind="return", text="破損")
    r = await tenant.client.post(f"/orders/{a['id']}/returns", json={
        "reason_id": back["id"], "lines": [{"line_no": 1, "quantity": 1}]})  # fmt: skip
    assert r.status_code == 201, r.text
    medium = await _applied(tenant, 6)  # 3 placed, 1 survey, 1 cancel, 1 return
    month = clock.today().strftime("%Y-%m")

    # テレビ: 9,840 − 3,000 = 6,840, gross 6,840 − (3,278 − 1,000) = 4,562; 新聞 3,000 / 2,000
    assert sorted(_pick(medium, "month", "medium", "orders", "sales_yen", "gross_yen")) == [
        (month, "テレビ通販", 1, 6840, 4562), (month, "新聞広告", 1, 3000, 2000)]  # fmt: skip
    assert medium["totals"] == {"orders": 2, "sales_yen": 9840, "gross_yen": 6562}
    assert medium["freshness"]["last_event_type"] == "orders.order_returned"

    region = await _report(tenant, "sales-by-region")
    # 送料比率: 500 / 6,840 = 7.3 %, 700 / 3,000 = 23.3 % (C's 700 cancelled with it)
    assert _pick(region, "prefecture", "orders", "sales_yen", "shipping_yen", "shipping_rate") == [
        ("東京都", 1, 3000, 700, 23.3), ("佐賀県", 1, 6840, 500, 7.3)]  # fmt: skip
    assert region["totals"]["shipping_rate"] == 12.2  # 1,200 / 9,840 = 12.19…

    product = await _report(tenant, "sales-by-product")
    # トニック: shipped 2 + 1, one back: 6,000 (cost 2,000); 黒酢: 3 (C's one cancelled), 3,840
    assert _pick(product, "product_name", "quantity", "returned_quantity", "sales_yen",
                 "cost_yen", "gross_yen", "gross_rate") == [
        ("健康トニック", 3, 1, 6000, 2000, 4000, 66.7),
        ("黒酢ドリンク", 3, 0, 3840, 1278, 2562, 66.7)]  # fmt: skip

    staff = await _report(tenant, "sales-by-staff")
    assert sorted(_pick(staff, "staff", "orders", "sales_yen", "cost_yen", "gross_yen")) == [
        ("山田 花子", 1, 6840, 2278, 4562), ("（担当なし）", 1, 3000, 1000, 2000)]  # fmt: skip

    customers = await _report(tenant, "sales-by-customer")
    assert _pick(customers, "orders", "sales_yen", "gross_yen") == [
        (1, 6840, 4562),
        (1, 3000, 2000),
    ]

    shipped = await _report(tenant, "shipments-by-medium")
    assert sorted(_pick(shipped, "medium", "quantity", "returned_quantity")) == [
        ("テレビ通販", 5, 1), ("新聞広告", 1, 0)]  # fmt: skip
    by_region = await _report(tenant, "shipments-by-region")
    assert _pick(by_region, "prefecture", "quantity") == [("東京都", 1), ("佐賀県", 5)]

    survey = await _report(tenant, "survey")
    assert _pick(survey, "question_text", "answer", "product_name", "answers") == [
        ("ご購入のきっかけ", "新聞", "健康トニック", 1)]  # fmt: skip

    r = await tenant.client.get("/reports/sales-by-medium.csv")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0] == ["月", "広告", "受注件数", "売上（税抜）", "粗利"]
    assert table[-1] == ["合計", "", "2", "9840", "6562"]
    assert sorted(table[1:-1]) == [[month.replace("-", "/"), "テレビ通販", "1", "6840", "4562"],
                                   [month.replace("-", "/"), "新聞広告", "1", "3000", "2000"]]  # fmt: skip


def _placed(customer: uuid.UUID, product: uuid.UUID, when: datetime) -> OrderPlacedV1:
    line = OrderLine(product_id=product, product_name="定期のお茶", quantity=2,
                     unit_price_yen=1000, tax_rate_percent=8, amount_yen=2000, cost_yen=300)  # fmt: skip
    return OrderPlacedV1(order_id=uuid.uuid4(), customer_id=customer, channel="phone",
                         ordered_at=when, lines=[line], subtotal_yen=2000, tax_yen=160,
                         shipping_fee_yen=0, discount_yen=0, total_yen=2160,
                         delivery_prefecture="北海道")  # fmt: skip


def _message(tenant, event: Event) -> Message:  # type: ignore[no-untyped-def]
    envelope = Envelope(event_type=event.event_type, version=1, routing_key=event.routing_key(),
                        tenant_id=tenant.id, producer=event.producer,
                        payload=event.model_dump(mode="json"))  # fmt: skip
    return Message(routing_key=envelope.routing_key, body=envelope.model_dump_json().encode(),
                   message_id=str(envelope.event_id))  # fmt: skip


async def test_the_same_event_twice_counts_once_and_churn_counts_the_stopped(tenant) -> None:  # type: ignore[no-untyped-def]
    runtime = tenant.runtime
    consumer = EventConsumer(service="orders", handlers=HANDLERS,
                             transactions=runtime.transactions, tracer=runtime.telemetry.tracer)  # fmt: skip
    tea, old = uuid.uuid4(), datetime.now(UTC) - timedelta(days=200)
    stopped, active = uuid.uuid4(), uuid.uuid4()
    first = _message(tenant, _placed(stopped, tea, old))
    await consumer.handle(first)
    await consumer.handle(first)  # redelivered: no second effect
    await consumer.handle(_message(tenant, _placed(active, tea, old)))
    await consumer.handle(_message(tenant, _placed(active, tea, datetime.now(UTC))))
    span = {"from_month": (old - timedelta(days=31)).strftime("%Y-%m"),
            "to_month": clock.today().strftime("%Y-%m")}  # fmt: skip
    product = await _report(tenant, "sales-by-product", **span)
    assert _pick(product, "product_name", "quantity", "sales_yen", "cost_yen") == [
        ("定期のお茶", 6, 6000, 1800)]  # three orders of 2, not four  # fmt: skip
    churn = await _report(tenant, "churn", days=180, **span)
    assert churn["totals"] == {"customers": 1}  # the active one ordered again
    assert _pick(churn, "group", "item", "customers", "share") == [
        ("最後に購入した商品", "定期のお茶", 1, 100.0),
        ("最後の受注の結果", "返品・キャンセルなし", 1, 100.0),
        ("最後の対応・アクション", "（対応・アクションなし）", 1, 100.0)]  # fmt: skip
    fresh = (await _report(tenant, "survey", **span))["freshness"]
    assert fresh["events_applied"] == 3

    # 統合: the stopped customer merged into the active one: one customer, who has not stopped
    merged = CustomerMergedV1(source_customer_id=stopped, target_customer_id=active,
                              merged_at=datetime.now(UTC))  # fmt: skip
    await consumer.handle(_message(tenant, merged))
    customers = await _report(tenant, "sales-by-customer", **span)
    assert _pick(customers, "customer_id", "orders", "sales_yen") == [(str(active), 3, 6000)]
    assert (await _report(tenant, "churn", days=180, **span))["totals"] == {"customers": 0}


@pytest.mark.parametrize(
    ("params", "code", "fields"),
    [
        (
            {"from_month": "2026-06", "to_month": "2026-01"},
            "range_reversed",
            ["to_month", "from_month"],
        ),
        (
            {"from_month": "2016-01", "to_month": "2025-12"},
            "range_too_long",
            ["to_month", "from_month"],
        ),
        (
            {"from_month": "2026-13", "to_month": "令和8年"},
            "invalid_month",
            ["from_month", "to_month"],
        ),
    ],
)
async def test_bad_ranges_are_refused_with_the_fields_named(tenant, params, code, fields) -> None:  # type: ignore[no-untyped-def]
    for path in ("/reports/sales-by-medium", "/reports/churn.csv"):
        r = await tenant.client.get(path, params=params)
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert detail["code"] == code and not detail["message"].isascii()
        assert [e["field"] for e in detail["errors"]] == fields


async def test_reports_are_for_admins(tenant_factory) -> None:  # type: ignore[no-untyped-def]
    general = await tenant_factory(role="general")
    r = await general.client.get("/reports/sales-by-medium")
    assert (
        r.status_code == 403 and r.json()["detail"]["message"] == "帳票は管理者のみ閲覧できます。"
    )


async def test_an_order_event_after_its_customers_merge_counts_under_the_survivor(tenant) -> None:  # type: ignore[no-untyped-def]
    """Decision 95: merges delivered first (C into B, then B into A), then OrderPlaced events
    published before them naming B and C: all count under A, whatever the arrival order."""
    runtime = tenant.runtime
    consumer = EventConsumer(service="orders", handlers=HANDLERS,
                             transactions=runtime.transactions, tracer=runtime.telemetry.tracer)  # fmt: skip
    tea, now = uuid.uuid4(), datetime.now(UTC)
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await consumer.handle(_message(tenant, _placed(a, tea, now)))
    for source, target in ((c, b), (b, a)):
        merged = CustomerMergedV1(source_customer_id=source, target_customer_id=target,
                                  merged_at=now)  # fmt: skip
        await consumer.handle(_message(tenant, merged))
    await consumer.handle(_message(tenant, _placed(b, tea, now)))  # in flight: names B
    await consumer.handle(_message(tenant, _placed(c, tea, now)))  # names C, merged via B
    month = clock.today().strftime("%Y-%m")
    customers = await _report(tenant, "sales-by-customer", from_month=month, to_month=month)
    # three orders of 2 × 1,000 = 2,000 each (cost 2 × 300): 6,000, gross profit 4,200
    assert _pick(customers, "customer_id", "orders", "sales_yen") == [(str(a), 3, 6000)]


def _contact(number: int, customer: uuid.UUID, kind: str, label: str, at: datetime,
             **extra) -> ContactRecordedV1:  # type: ignore[no-untyped-def]  # fmt: skip
    entry = "interaction" if kind in ("call_in", "inquiry") else "action"
    return ContactRecordedV1(**{
        "contact_id": f"{entry}:{number}", "entry": entry, "customer_id": customer,
        "kind": kind, "kind_label": label, "occurred_at": at, "changed_at": datetime.now(UTC),
        **extra})  # fmt: skip


async def test_churn_counts_the_customers_by_their_last_contact(tenant) -> None:  # type: ignore[no-untyped-def]
    """Decision 93: four customers who stopped 200 days ago. A's last contact is a DM that
    names F, merged into A before it arrived; B's a DM recorded on E before E was merged into
    B, after B's own 電話営業; C's DM was deleted (the deletion delivered before the addition
    it follows), leaving its 電話営業; D has none: only a call today, after it had left."""
    runtime = tenant.runtime
    consumer = EventConsumer(service="orders", handlers=HANDLERS,
                             transactions=runtime.transactions, tracer=runtime.telemetry.tracer)  # fmt: skip
    tea, old, day = uuid.uuid4(), datetime.now(UTC) - timedelta(days=200), timedelta(days=1)
    a, b, c, d, e, f = (uuid.uuid4() for _ in range(6))
    for customer in (a, b, c, d):
        await consumer.handle(_message(tenant, _placed(customer, tea, old)))
    await consumer.handle(
        _message(tenant, _contact(2, b, "phone_sales", "電話営業", old + 5 * day))
    )
    await consumer.handle(_message(tenant, _contact(3, e, "dm", "DM", old + 20 * day)))
    for source, target in ((f, a), (e, b)):
        await consumer.handle(_message(tenant, CustomerMergedV1(
            source_customer_id=source, target_customer_id=target, merged_at=datetime.now(UTC))))  # fmt: skip
    await consumer.handle(_message(tenant, _contact(1, f, "dm", "DM", old + 10 * day)))
    await consumer.handle(
        _message(tenant, _contact(4, c, "phone_sales", "電話営業", old + 3 * day))
    )
    added = _contact(5, c, "dm", "DM", old + 30 * day)
    deleted = added.model_copy(update={"deleted": True, "changed_at": datetime.now(UTC)})
    await consumer.handle(_message(tenant, deleted))
    await consumer.handle(_message(tenant, added))  # older: the deletion stands
    await consumer.handle(
        _message(tenant, _contact(6, d, "call_in", "電話受信", datetime.now(UTC)))
    )

    span = {"from_month": (old - timedelta(days=31)).strftime("%Y-%m"),
            "to_month": clock.today().strftime("%Y-%m"), "days": 180}  # fmt: skip
    churn = await _report(tenant, "churn", **span)
    assert churn["totals"] == {"customers": 4}
    # DM: A and B, 2 of 4 = 50.0 %; 電話営業: C; none: D (each 25.0 %)
    assert _pick(churn, "group", "item", "customers", "share") == [
        ("最後に購入した商品", "定期のお茶", 4, 100.0),
        ("最後の受注の結果", "返品・キャンセルなし", 4, 100.0),
        ("最後の対応・アクション", "DM", 2, 50.0),
        ("最後の対応・アクション", "電話営業", 1, 25.0),
        ("最後の対応・アクション", "（対応・アクションなし）", 1, 25.0)]  # fmt: skip
    assert "離脱とみなした時点まで" in churn["note"]
    r = await tenant.client.get("/reports/churn.csv", params=span)
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0] == ["区分", "項目", "離脱顧客数", "割合（%）"]
    assert table[3:6] == [["最後の対応・アクション", "DM", "2", "50.0"],
                          ["最後の対応・アクション", "電話営業", "1", "25.0"],
                          ["最後の対応・アクション", "（対応・アクションなし）", "1", "25.0"]]  # fmt: skip
    assert table[-1] == ["合計", "", "4", ""]

    # the rebuild (from the orders tables, which these events never touched) keeps the
    # contacts: they are the customer service's, not rebuilt from anything here
    kept = (
        "SELECT string_agg(contact_id || '>' || customer_id || '>' || deleted::text, ','"
        " ORDER BY contact_id) FROM report_contacts WHERE tenant_id = :t"
    )
    before = await tenant.scalar(kept, t=tenant.id)
    assert f"action:1>{a}>false" in before and before.count(f">{b}>") == 2
    assert f"action:5>{c}>true" in before
    await rebuild(runtime.engine, tenant.id)
    assert await tenant.scalar(kept, t=tenant.id) == before
