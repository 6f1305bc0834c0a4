"""Order entry's extras on the real PostgreSQL: a bundle as one line (price and rate of its
items, totals checked by hand), companions added with their trigger (alone or inside a
bundle), reorder from history in one step, survey answers with an order (refused answers
write nothing), the presents history."""

import uuid
from datetime import UTC, datetime

import pytest
from kit.clock import japan_date

pytestmark = pytest.mark.database

HOME = {"kind": "home", "name": "佐賀 太郎", "postal_code": "840-0801", "prefecture": "佐賀県",
        "address": "佐賀市駅前中央1-2-3", "phone": "090-0000-0001"}  # fmt: skip


async def catalogue(tenant) -> dict:  # type: ignore[no-untyped-def]
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    p = {
        "vinegar": await tenant.product("黒酢ドリンク", 1000, rate=8),
        "honey": await tenant.product("はちみつ", 500, rate=8),
        "tonic": await tenant.product("健康トニック", 3000, rate=10),
        "leaflet": await tenant.product("ご利用ガイド", 0, rate=10),
    }
    return {k: v["id"] for k, v in p.items()}


async def place(tenant, **body) -> dict:  # type: ignore[no-untyped-def]
    customer = body.pop("customer_id", None) or await tenant.customer()
    r = await tenant.client.post(
        "/orders", json={"customer_id": customer, "delivery": HOME, **body}
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_a_bundle_is_one_line_and_companions_follow_their_trigger(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    bundle = await tenant.add("set-products", name="黒酢はちみつセット", kind="bundle", items=[
        {"product_id": p["vinegar"], "quantity": 1}, {"product_id": p["honey"], "quantity": 2}])  # fmt: skip
    await tenant.add("set-products", name="はちみつにガイド", kind="companion",
                     trigger_product_id=p["honey"], items=[{"product_id": p["leaflet"], "quantity": 1}])  # fmt: skip
    order = await place(tenant, bundles=[{"set_id": bundle["id"], "quantity": 2}], campaign_ids=[])
    assert [(ln["kind"], ln["product_name"], ln["quantity"], ln["unit_price_yen"], ln["amount_yen"])
            for ln in order["lines"]] == [
        ("bundle", "黒酢はちみつセット", 2, 2000, 4000),
        ("companion", "ご利用ガイド", 4, 0, 0),  # two sets of two jars each
    ]  # fmt: skip
    assert [c["product_name"] for c in order["lines"][0]["components"]] == [
        "黒酢ドリンク",
        "はちみつ",
    ]
    # By hand: 4,000 @8 % → 320; shipping 500 @10 % → 50; 4,000 + 500 + 320 + 50 = 4,870.
    assert [(t["tax_rate"], t["tax_yen"]) for t in order["tax_by_rate"]] == [(10, 50), (8, 320)]
    assert order["total_yen"] == 4870
    alone = await place(tenant, lines=[{"product_id": p["honey"], "quantity": 3}], campaign_ids=[])
    assert [(ln["kind"], ln["quantity"]) for ln in alone["lines"]] == [
        ("product", 3),
        ("companion", 3),
    ]


async def test_bundles_of_two_rates_or_retired_sets_are_refused(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    mixed = await tenant.add("set-products", name="トニック黒酢セット", kind="bundle", items=[
        {"product_id": p["tonic"], "quantity": 1}, {"product_id": p["vinegar"], "quantity": 1}])  # fmt: skip
    r = await tenant.client.post("/orders", json={"customer_id": await tenant.customer(), "delivery": HOME,
                                                  "bundles": [{"set_id": mixed["id"], "quantity": 1}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "bundles.0.set_id"
    assert "税率の異なる" in r.json()["detail"]["message"]
    r = await tenant.client.post("/orders", json={"customer_id": await tenant.customer(), "delivery": HOME,
                                                  "bundles": [{"set_id": str(uuid.uuid4()), "quantity": 1}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["code"] == "unknown_set"
    assert await tenant.scalar("SELECT count(*) FROM orders WHERE tenant_id = :t", t=tenant.id) == 0


async def test_reorder_from_history_in_one_step(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    bundle = await tenant.add("set-products", name="黒酢はちみつセット", kind="bundle", items=[
        {"product_id": p["vinegar"], "quantity": 1}, {"product_id": p["honey"], "quantity": 1}])  # fmt: skip
    first = await place(tenant, lines=[{"product_id": p["tonic"], "quantity": 2}],
                        bundles=[{"set_id": bundle["id"], "quantity": 1}], campaign_ids=[])  # fmt: skip
    r = await tenant.client.post(f"/orders/{first['id']}/reorder")
    assert r.status_code == 201, r.text
    again = r.json()
    assert again["id"] != first["id"] and again["order_number"] == first["order_number"] + 1
    assert (again["customer_id"], again["delivery"], again["channel"]) == (
        first["customer_id"], first["delivery"], "phone")  # fmt: skip
    assert [(ln["kind"], ln["product_name"], ln["quantity"]) for ln in again["lines"]] == [
        (ln["kind"], ln["product_name"], ln["quantity"]) for ln in first["lines"]]  # fmt: skip
    assert (await tenant.client.post(f"/orders/{uuid.uuid4()}/reorder")).status_code == 404


async def test_survey_answers_are_entered_with_the_order(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    where = await tenant.add("survey-questions", text="何でお知りになりましたか", answer_kind="choice",
                             choices=["新聞", "テレビ", "知人"])  # fmt: skip
    words = await tenant.add("survey-questions", text="ご要望", answer_kind="text")
    r = await tenant.client.post("/survey-questions", json={"text": "x", "answer_kind": "choice",
                                                             "choices": ["一つだけ"]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "choices"
    line = [{"product_id": p["tonic"], "quantity": 1}]
    r = await tenant.client.post("/orders", json={"customer_id": await tenant.customer(), "delivery": HOME,
        "lines": line, "survey_answers": [{"question_id": where["id"], "answer": "ラジオ"}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "survey_answers.0.answer"
    assert await tenant.scalar("SELECT count(*) FROM orders WHERE tenant_id = :t", t=tenant.id) == 0
    order = await place(tenant, lines=line, survey_answers=[
        {"question_id": where["id"], "answer": "テレビ"}, {"question_id": words["id"], "answer": "小瓶も欲しい"}])  # fmt: skip
    got = (await tenant.client.get(f"/orders/{order['id']}/survey-answers")).json()
    assert sorted((a["question_text"], a["answer"]) for a in got) == sorted(
        [("何でお知りになりましたか", "テレビ"), ("ご要望", "小瓶も欲しい")])  # fmt: skip


async def test_presents_history(tenant) -> None:  # type: ignore[no-untyped-def]
    p = await catalogue(tenant)
    sample = await tenant.product("試供品", 0, rate=8, is_present=True)
    today = japan_date(datetime.now(UTC)).isoformat()
    await tenant.add("campaigns", name="トニックにガイド", kind="gift_with_product", starts_on=today,
                     ends_on=today, trigger_product_id=p["tonic"], gift_product_id=p["leaflet"])  # fmt: skip
    customer = await tenant.customer()
    first = await place(
        tenant, customer_id=customer, lines=[{"product_id": p["tonic"], "quantity": 1}]
    )
    second = await place(tenant, customer_id=customer, lines=[{"product_id": sample["id"], "quantity": 1},
                                                              {"product_id": p["honey"], "quantity": 1}])  # fmt: skip
    r = await tenant.client.get("/presents", params={"customer_id": customer})
    assert r.status_code == 200, r.text
    assert sorted((x["order_number"], x["product_name"], x["by_campaign"]) for x in r.json()) == [
        (first["order_number"], "ご利用ガイド", True), (second["order_number"], "試供品", False)]  # fmt: skip
