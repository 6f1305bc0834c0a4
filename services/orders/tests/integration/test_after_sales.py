"""ORD-4 through the API on the real PostgreSQL: returns with reasons (refund by the invoice
rule, hand-checked; never more than ordered; OrderReturned in the outbox), cancellations
(OrderCancelled; not once shipped), and payment reconciliation of a bank file (amount and
kana name; the unmatched left for a person and assigned; rows of another format refuse the
file with each listed; the same file twice is refused)."""

import json

import pytest
from contracts import Envelope, OrderCancelledV1, OrderReturnedV1
from kit import clock

pytestmark = pytest.mark.database

HOME = {"kind": "home", "name": "佐賀 太郎", "postal_code": "840-0801", "prefecture": "佐賀県",
        "address": "佐賀市駅前中央1-2-3", "phone": "090-0000-0001"}  # fmt: skip


async def catalogue(tenant) -> dict:  # type: ignore[no-untyped-def]
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    tonic = await tenant.product("健康トニック", 3000, rate=10)
    vinegar = await tenant.product("黒酢ドリンク", 1280, rate=8)
    return {"tonic": tonic["id"], "vinegar": vinegar["id"]}


async def order(tenant, p: dict, *, payer: str = "", tonic: int = 2, vinegar: int = 3) -> dict:  # type: ignore[no-untyped-def]
    lines = [{"product_id": p["tonic"], "quantity": tonic}]
    if vinegar:
        lines.append({"product_id": p["vinegar"], "quantity": vinegar})
    r = await tenant.client.post("/orders", json={"customer_id": await tenant.customer(), "delivery": HOME,
                                                  "lines": lines, "payer_kana": payer})  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()


async def events(tenant, key: str) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = await tenant.scalar(
        "SELECT coalesce(json_agg(envelope ORDER BY id), '[]') FROM outbox WHERE routing_key = :k "
        "AND tenant_id = :t", k=key, t=tenant.id,
    )  # fmt: skip
    found = json.loads(rows) if isinstance(rows, str) else rows
    return [Envelope.model_validate(e).payload for e in found]


async def test_a_return_refunds_by_the_invoice_rule_and_emits_order_returned(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    placed = await order(tenant, p)
    reason = await tenant.add("reasons", kind="return", text="破損していた")
    r = await tenant.client.post(f"/orders/{placed['id']}/returns", json={
        "reason_id": reason["id"], "lines": [{"line_no": 1, "quantity": 1}, {"line_no": 2, "quantity": 2}]})  # fmt: skip
    assert r.status_code == 201, r.text
    # By hand: 3,000 @10 % → tax 300; 2,560 @8 % → 204.8, 切捨て 204; 3,000 + 300 + 2,560 + 204.
    assert r.json()["refund_yen"] == 6064
    assert [(ln["product_name"], ln["quantity"], ln["amount_yen"]) for ln in r.json()["lines"]] == [
        ("健康トニック", 1, 3000), ("黒酢ドリンク", 2, 2560)]  # fmt: skip
    [event] = [
        OrderReturnedV1.model_validate(e) for e in await events(tenant, "orders.order_returned.v1")
    ]
    assert (str(event.order_id), event.refund_yen, event.reason) == (
        placed["id"],
        6064,
        "破損していた",
    )
    # one tonic left to return, none beyond it
    r = await tenant.client.post(f"/orders/{placed['id']}/returns", json={
        "reason_id": reason["id"], "lines": [{"line_no": 1, "quantity": 2}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "lines.0.quantity"
    assert "1〜1" in r.json()["detail"]["message"]
    cancel_reason = await tenant.add("reasons", kind="cancel", text="気が変わった")
    r = await tenant.client.post(f"/orders/{placed['id']}/returns", json={
        "reason_id": cancel_reason["id"], "lines": [{"line_no": 1, "quantity": 1}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "reason_id"
    r = await tenant.client.post(f"/orders/{placed['id']}/returns", json={
        "reason_id": reason["id"], "lines": [{"line_no": 9, "quantity": 1}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "lines.0.line_no"
    listed = (await tenant.client.get(f"/orders/{placed['id']}/returns")).json()
    assert [x["refund_yen"] for x in listed] == [6064]


async def test_cancel_before_shipping_emits_order_cancelled(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    placed = await order(tenant, p)
    shipped = await order(tenant, p)
    reason = await tenant.add("reasons", kind="cancel", text="重複注文")
    r = await tenant.client.post(f"/orders/{placed['id']}/cancel", json={"reason_id": reason["id"]})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"
    [event] = [
        OrderCancelledV1.model_validate(e)
        for e in await events(tenant, "orders.order_cancelled.v1")
    ]
    assert (str(event.order_id), event.reason, event.total_yen) == (
        placed["id"],
        "重複注文",
        placed["total_yen"],
    )
    r = await tenant.client.post(f"/orders/{placed['id']}/cancel", json={"reason_id": reason["id"]})
    assert r.status_code == 409
    await tenant.execute(
        "INSERT INTO shipments (order_id, tenant_id, carrier, tracking_number, imported_at) "
        "VALUES (:o, :t, 'yamato_b2', '400011112222', now())", o=shipped["id"], t=tenant.id,
    )  # fmt: skip
    r = await tenant.client.post(
        f"/orders/{shipped['id']}/cancel", json={"reason_id": reason["id"]}
    )
    assert r.status_code == 409 and r.json()["detail"]["code"] == "already_shipped"
    # the cancelled order is off the shipping check list
    check = (
        await tenant.client.get("/shipping-check", params={"day": clock.today().isoformat()})
    ).json()
    assert [c["order_id"] for c in check] == [shipped["id"]]


def bank_file(
    *rows: str, header: str = "入金日,金額,振込依頼人名", encoding: str = "cp932"
) -> bytes:
    return "\r\n".join([header, *rows, ""]).encode(encoding)


async def test_bank_transfers_are_matched_by_amount_and_kana_the_rest_left_for_a_person(
    tenant,
) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    taro = await order(tenant, p, payer="サガ タロウ")
    hanako = await order(tenant, p, payer="やまだ はなこ", tonic=1, vinegar=0)
    stranger = await order(tenant, p, payer="タナカ イチロウ", tonic=3, vinegar=0)
    content = bank_file(f"2027/06/07,\"{taro['total_yen']:,}\",ｻｶﾞ ﾀﾛｳ",
                        f"20270607,{hanako['total_yen']},ﾔﾏﾀﾞ ﾊﾅｺ",
                        f"2027-06-08,{stranger['total_yen'] - 1},ﾀﾅｶ ｲﾁﾛｳ")  # fmt: skip
    r = await tenant.client.post("/payment-imports", content=content)
    assert r.status_code == 200, r.text
    assert (r.json()["rows"], r.json()["matched"], r.json()["unmatched"]) == (3, 2, 1)
    for o, paid in ((taro, True), (hanako, True), (stranger, False)):
        got = (await tenant.client.get(f"/orders/{o['id']}")).json()
        assert (got["paid_at"] is not None) is paid
    left = (await tenant.client.get("/payments", params={"status": "unmatched"})).json()
    assert [(x["payer"], x["line"]) for x in left["items"]] == [("ﾀﾅｶ ｲﾁﾛｳ", 4)]
    assert "合う未入金の受注がありません" in left["items"][0]["note"]
    found = await tenant.client.get("/orders", params={"order_number": stranger["order_number"]})
    assert [o["id"] for o in found.json()["items"]] == [stranger["id"]]  # the number typed
    r = await tenant.client.post(f"/payments/{left['items'][0]['id']}/assign",
                                 json={"order_id": stranger["id"]})  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "assigned"
    assert (await tenant.client.get(f"/orders/{stranger['id']}")).json()["paid_at"] is not None
    r = await tenant.client.post("/payment-imports", content=content)
    assert r.status_code == 409 and r.json()["detail"]["code"] == "already_imported"


async def test_two_open_orders_of_one_name_and_amount_are_left_for_a_person(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    a = await order(tenant, p, payer="サガ タロウ")
    b = await order(tenant, p, payer="サガ タロウ")
    r = await tenant.client.post("/payment-imports",
                                 content=bank_file(f"2027/06/07,{a['total_yen']},ｻｶﾞ ﾀﾛｳ"))  # fmt: skip
    assert r.json()["unmatched"] == 1
    [left] = (await tenant.client.get("/payments", params={"status": "unmatched"})).json()["items"]
    assert f"{a['order_number']}、{b['order_number']}" in left["note"]


async def test_rows_of_another_format_refuse_the_file_listing_each(tenant) -> None:  # type: ignore[no-untyped-def]
    await catalogue(tenant)
    content = bank_file("2027/06/07,1000,ｻｶﾞ ﾀﾛｳ", "2027/13/07,1000,ｻｶﾞ ﾀﾛｳ", "2027/06/07,千円,ｻｶﾞ",
                        "2027/06/07,1000,佐賀太郎", "2027/06/07,1000")  # fmt: skip
    r = await tenant.client.post("/payment-imports", content=content)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert detail["code"] == "bank_rows_refused" and "何も取り込んでいません" in detail["message"]
    assert [e["field"] for e in detail["errors"]] == ["rows.3", "rows.4", "rows.5", "rows.6"]
    r = await tenant.client.post("/payment-imports", content=bank_file("x", header="日付,金額"))
    assert r.status_code == 422 and r.json()["detail"]["code"] == "unknown_layout"
    r = await tenant.client.post("/payment-imports",
                                 content=bank_file("2027/06/07,1000,ｻｶﾞ", encoding="utf-16"))  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["code"] == "bad_encoding"
    assert (
        await tenant.scalar("SELECT count(*) FROM payments WHERE tenant_id = :t", t=tenant.id) == 0
    )


async def test_another_tenants_order_is_not_found(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    placed = await order(tenant, p)
    other = await tenant_factory()
    reason = await other.add("reasons", kind="cancel", text="x")
    r = await other.client.post(f"/orders/{placed['id']}/cancel", json={"reason_id": reason["id"]})
    assert r.status_code == 404
    assert (await other.client.get(f"/orders/{placed['id']}/returns")).status_code == 404
