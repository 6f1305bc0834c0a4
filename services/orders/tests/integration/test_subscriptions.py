"""ORD-3 subscriptions through the API on the real PostgreSQL: the tenant calendar stored and
applied, created from products or from an order, skip (never twice in a row), pause and
resume without a burst, cancel with a reason of the master, a cycle change from the one after
next, the preview with reasons, the year-end check, bad input in Japanese, tenant scoping."""

from datetime import date, timedelta

import pytest
from kit import clock

pytestmark = pytest.mark.database

HOME = {"kind": "home", "name": "佐賀 太郎", "postal_code": "840-0000", "prefecture": "佐賀県",
        "address": "佐賀市城内1-1", "phone": "090-0000-0000"}  # fmt: skip
SUN = 6
# 年末年始 closed, Sundays closed; deliveries on closed days move later unless told.
CALENDAR = {
    "closed_weekdays": [SUN],
    "closed_periods": [{"starts_on": "2027-12-29", "ends_on": "2028-01-04", "label": "年末年始休業"}],
    "open_days": [], "shift": "later", "order_lead_days": 3,
}  # fmt: skip


async def setup(tenant, **calendar) -> dict:  # type: ignore[no-untyped-def]
    r = await tenant.client.put("/subscription-settings", json={**CALENDAR, **calendar})
    assert r.status_code == 200, r.text
    tonic = await tenant.product("健康トニック", 3000, subscription_eligible=True)
    await tenant.add("shipping-fees", prefecture="佐賀県", fee_yen=500)
    return tonic


async def subscribe(tenant, product: dict, cycle: dict, starts_on: str, **extra) -> dict:  # type: ignore[no-untyped-def]
    r = await tenant.client.post("/subscriptions", json={
        "customer_id": await tenant.customer(), "delivery": HOME, "cycle": cycle, "starts_on": starts_on,
        "lines": [{"product_id": product["id"], "quantity": 2}], **extra,
    })  # fmt: skip
    assert r.status_code == 201, r.text
    return r.json()


async def test_monthly_on_the_31st_with_a_preview_that_says_why(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    sub = await subscribe(tenant, tonic, {"unit": "months", "day_of_month": 31}, "2027-10-01")
    assert (sub["next_on"], sub["next_delivers_on"], sub["next_order_on"]) == (
        "2027-10-31", "2027-11-01", "2027-10-29")  # 10/31 is a Sunday  # fmt: skip
    r = await tenant.client.get(f"/subscriptions/{sub['id']}/preview", params={"count": 5})
    assert r.status_code == 200, r.text
    assert [(p["cycle_no"], p["nominal_on"], p["delivers_on"], p["reason"]) for p in r.json()] == [
        (1, "2027-10-31", "2027-11-01", "10/31 日曜定休日のため 11/1 に後ろ倒し"),
        (2, "2027-11-30", "2027-11-30", "11月に31日はないため月末 11/30"),
        (3, "2027-12-31", "2028-01-05", "12/31 年末年始休業のため 1/5 に後ろ倒し"),
        (4, "2028-01-31", "2028-01-31", None),
        (5, "2028-02-29", "2028-02-29", "2月に31日はないため月末 2/29"),
    ]  # fmt: skip


async def test_the_calendar_is_stored_and_moves_open_subscriptions(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    sub = await subscribe(tenant, tonic, {"unit": "weeks", "every": 2}, "2027-12-31")
    assert sub["next_delivers_on"] == "2028-01-05"
    # The tenant now ships earlier (前倒し), orders two business days ahead, and opens on
    # 12/29 specially (an open day wins over 年末年始).
    r = await tenant.client.put("/subscription-settings", json={
        **CALENDAR, "shift": "earlier", "open_days": ["2027-12-29"], "order_lead_days": 2,
        "lead_in_business_days": True})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["open_days"] == ["2027-12-29"] and r.json()["shift"] == "earlier"
    got = (await tenant.client.get(f"/subscriptions/{sub['id']}")).json()
    # 12/31 closed → 12/29 (special open day); two open days before it: 12/28, 12/27 (Mon).
    assert (got["next_delivers_on"], got["next_order_on"]) == ("2027-12-29", "2027-12-27")
    assert (await tenant.client.get("/subscription-settings")).json()["lead_in_business_days"]


async def test_skip_never_twice_in_a_row_unless_allowed(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    sub = await subscribe(tenant, tonic, {"unit": "days", "every": 10}, "2027-06-01")
    r = await tenant.client.post(f"/subscriptions/{sub['id']}/skip")
    assert r.status_code == 200, r.text
    assert (r.json()["next_on"], r.json()["next_cycle_no"]) == ("2027-06-11", 2)
    r = await tenant.client.post(f"/subscriptions/{sub['id']}/skip")
    assert r.status_code == 409 and r.json()["detail"]["code"] == "skip_twice"
    assert "2回続けて" in r.json()["detail"]["message"]
    await tenant.client.put("/subscription-settings",
                            json={**CALENDAR, "allow_consecutive_skips": True})  # fmt: skip
    r = await tenant.client.post(f"/subscriptions/{sub['id']}/skip")
    assert r.status_code == 200 and r.json()["next_on"] == "2027-06-21"
    detail = (await tenant.client.get(f"/subscriptions/{sub['id']}")).json()
    assert [(d["cycle_no"], d["status"]) for d in detail["deliveries"]] == [
        (1, "skipped"), (2, "skipped")]  # fmt: skip


async def test_resume_takes_the_later_of_the_stored_date_and_resume_plus_lead(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    soon = await subscribe(tenant, tonic, {"unit": "days", "every": 7},
                           (clock.today() + timedelta(days=4)).isoformat())  # fmt: skip
    far = await subscribe(tenant, tonic, {"unit": "days", "every": 7}, "2027-09-01")
    for sub in (soon, far):
        r = await tenant.client.post(f"/subscriptions/{sub['id']}/pause")
        assert r.status_code == 200 and r.json()["status"] == "paused"
    r = await tenant.client.post(f"/subscriptions/{far['id']}/pause")
    assert r.status_code == 409 and r.json()["detail"]["code"] == "invalid_status"
    # A longer lead since: resume + 10 + 1 is later than the stored date of the first.
    await tenant.client.put("/subscription-settings", json={**CALENDAR, "order_lead_days": 10})
    resumed = (await tenant.client.post(f"/subscriptions/{soon['id']}/resume")).json()
    assert resumed["status"] == "active"
    assert resumed["next_on"] == (clock.today() + timedelta(days=11)).isoformat()
    kept = (await tenant.client.post(f"/subscriptions/{far['id']}/resume")).json()
    assert kept["next_on"] == "2027-09-01"


async def test_cancel_needs_a_cancel_reason_of_the_master(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    sub = await subscribe(tenant, tonic, {"unit": "months", "last_day": True}, "2027-06-01")
    returned = await tenant.add("reasons", kind="return", text="破損")
    r = await tenant.client.post(f"/subscriptions/{sub['id']}/cancel",
                                 json={"reason_id": returned["id"]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "reason_id"
    reason = await tenant.add("reasons", kind="cancel", text="飲み切れない")
    r = await tenant.client.post(f"/subscriptions/{sub['id']}/cancel",
                                 json={"reason_id": reason["id"]})  # fmt: skip
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["cancel_reason_id"]) == ("cancelled", reason["id"])
    r = await tenant.client.post(f"/subscriptions/{sub['id']}/skip")
    assert r.status_code == 409


async def test_a_cycle_change_counts_from_the_one_after_next(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    sub = await subscribe(tenant, tonic, {"unit": "weeks", "every": 1}, "2027-06-01")
    r = await tenant.client.put(f"/subscriptions/{sub['id']}/cycle",
                                json={"cycle": {"unit": "months", "day_of_month": 10}})  # fmt: skip
    assert r.status_code == 200, r.text
    preview = (await tenant.client.get(f"/subscriptions/{sub['id']}/preview",
                                       params={"count": 3})).json()  # fmt: skip
    assert [p["nominal_on"] for p in preview] == ["2027-06-01", "2027-06-10", "2027-07-10"]


async def test_a_cycle_change_is_previewed_before_it_is_saved(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    sub = await subscribe(tenant, tonic, {"unit": "weeks", "every": 1}, "2027-06-01")
    path = f"/subscriptions/{sub['id']}/cycle/preview"
    r = await tenant.client.post(path, params={"count": 3},
                                 json={"cycle": {"unit": "months", "last_day": True}})  # fmt: skip
    assert r.status_code == 200, r.text
    assert [p["nominal_on"] for p in r.json()] == ["2027-06-01", "2027-06-30", "2027-07-31"]
    assert [p["cycle_no"] for p in r.json()] == [1, 2, 3]
    r = await tenant.client.post(path, json={"cycle": {"unit": "weeks", "day_of_month": 31}})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "cycle.day_of_month"
    r = await tenant.client.post(path, json={"cycle": {"unit": "days", "every": 0}})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "cycle.every"
    kept = (await tenant.client.get(f"/subscriptions/{sub['id']}")).json()
    assert kept["cycle"]["unit"] == "weeks"  # nothing saved


async def test_from_an_order(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    customer = await tenant.customer()
    order = await tenant.client.post("/orders", json={
        "customer_id": customer, "delivery": HOME,
        "lines": [{"product_id": tonic["id"], "quantity": 3}]})  # fmt: skip
    assert order.status_code == 201, order.text
    r = await tenant.client.post("/subscriptions", json={
        "from_order_id": order.json()["id"], "cycle": {"unit": "months", "every": 2,
        "nth_week": 2, "weekday": 1}, "starts_on": "2027-06-01"})  # fmt: skip
    assert r.status_code == 201, r.text
    sub = r.json()
    assert sub["customer_id"] == customer and sub["source_order_id"] == order.json()["id"]
    assert sub["lines"] == [{"product_id": tonic["id"], "quantity": 3}]
    assert sub["next_on"] == "2027-06-08"  # 第2火曜


async def test_year_end_check_lists_the_deliveries_closures_make_late(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    late = await subscribe(tenant, tonic, {"unit": "months", "day_of_month": 30}, "2027-11-01")
    await subscribe(tenant, tonic, {"unit": "months", "day_of_month": 20}, "2027-11-01")
    r = await tenant.client.get("/subscriptions/year-end-check",
                                params={"first": "2027-12-01", "last": "2028-01-31"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert [(x["subscription_id"], x["nominal_on"], x["delivers_on"], x["days_late"])
            for x in r.json()] == [(late["id"], "2027-12-30", "2028-01-05", 6)]  # fmt: skip
    assert r.json()[0]["reason"] == "12/30 年末年始休業のため 1/5 に後ろ倒し"
    r = await tenant.client.get("/subscriptions/year-end-check",
                                params={"first": "2028-01-31", "last": "2027-12-01"})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "last"


@pytest.mark.parametrize(
    ("cycle", "field", "words"),
    [
        ({"unit": "days", "every": 0}, "cycle.every", "1以上"),
        ({"unit": "weeks", "day_of_month": 31}, "cycle.day_of_month", "週ごと"),
        ({"unit": "months"}, "cycle.day_of_month", "いずれか1つ"),
        ({"unit": "months", "day_of_month": 32}, "cycle.day_of_month", "1〜31"),
        ({"unit": "fortnights"}, "cycle.unit", "days"),
        ({"unit": "days", "every": 10**12}, "cycle.every", "365日以内"),
    ],
)
async def test_bad_cycles_are_422_in_japanese_naming_the_field(tenant, cycle, field, words) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    r = await tenant.client.post("/subscriptions", json={
        "customer_id": await tenant.customer(), "delivery": HOME, "cycle": cycle,
        "lines": [{"product_id": tonic["id"], "quantity": 1}]})  # fmt: skip
    assert r.status_code == 422, r.text
    assert r.json()["detail"]["field"] == field and words in r.json()["detail"]["message"]
    assert await tenant.scalar("SELECT count(*) FROM subscriptions") == 0


async def test_other_refusals(tenant) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    plain = await tenant.product("単品", 100)
    body = {"customer_id": await tenant.customer(), "delivery": HOME, "cycle": {"unit": "days"}}
    r = await tenant.client.post("/subscriptions", json={
        **body, "lines": [{"product_id": plain["id"], "quantity": 1}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["code"] == "not_subscription_product"
    r = await tenant.client.post("/subscriptions", json={
        **body, "lines": [{"product_id": tonic["id"], "quantity": 0}]})  # fmt: skip
    assert r.json()["detail"]["field"] == "lines.0.quantity"
    r = await tenant.client.post("/subscriptions", json={
        **body, "starts_on": clock.today().isoformat(),
        "lines": [{"product_id": tonic["id"], "quantity": 1}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "starts_on"
    r = await tenant.client.put("/subscription-settings", json={**CALENDAR, "closed_weekdays": [7]})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "closed_weekdays.0"
    r = await tenant.client.put("/subscription-settings", json={**CALENDAR, "shift": "sideways"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "shift"
    assert await tenant.scalar("SELECT count(*) FROM subscriptions") == 0


async def test_another_tenants_subscription_is_not_found(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    tonic = await setup(tenant)
    sub = await subscribe(tenant, tonic, {"unit": "days", "every": 7}, "2027-06-01")
    other = await tenant_factory()
    for method, path in (("GET", ""), ("GET", "/preview"), ("POST", "/skip"), ("POST", "/pause")):
        r = await other.client.request(method, f"/subscriptions/{sub['id']}{path}")
        assert r.status_code == 404, (path, r.text)
    assert (await other.client.get("/subscriptions")).json()["total"] == 0
    # a customer of another tenant is not found (kit.customer_refs' customers_known) …
    r = await other.client.post("/subscriptions", json={
        "customer_id": await tenant.customer(), "delivery": HOME, "cycle": {"unit": "days"},
        "lines": [{"product_id": tonic["id"], "quantity": 1}]})  # fmt: skip
    assert r.status_code == 404 and r.json()["detail"]["code"] == "not_found", r.text
    assert await other.scalar("SELECT count(*) FROM subscriptions WHERE tenant_id = :t",
                              t=other.id) == 0  # fmt: skip
    # … and a product of another tenant is unknown
    r = await other.client.post("/subscriptions", json={
        "customer_id": await other.customer(), "delivery": HOME, "cycle": {"unit": "days"},
        "lines": [{"product_id": tonic["id"], "quantity": 1}]})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["code"] == "unknown_product"


def test_dates_used_above_are_what_the_comments_say() -> None:
    assert date(2027, 10, 31).weekday() == SUN and date(2027, 12, 27).weekday() == 0
    assert date(2027, 6, 8).weekday() == 1


async def test_the_draft_preview_and_the_closed_days_save_nothing(tenant) -> None:  # type: ignore[no-untyped-def]
    await setup(tenant)
    draft = {"cycle": {"unit": "months", "day_of_month": 31}, "starts_on": "2027-12-01", "count": 2}
    r = await tenant.client.post("/subscriptions/preview", json=draft)
    assert r.status_code == 200, r.text
    assert [(p["cycle_no"], p["delivers_on"], p["reason"]) for p in r.json()] == [
        (1, "2028-01-05", "12/31 年末年始休業のため 1/5 に後ろ倒し"), (2, "2028-01-31", None)]  # fmt: skip
    assert (await tenant.client.get("/subscriptions")).json()["total"] == 0
    r = await tenant.client.post(
        "/subscriptions/preview", json={"cycle": {"unit": "days", "every": 0}}
    )
    assert r.status_code == 422 and r.json()["detail"]["field"] == "cycle.every", r.text
    r = await tenant.client.get("/subscription-settings/closed-days",
                                params={"first": "2027-12-30", "last": "2028-01-02"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert [(d["day"], d["reason"]) for d in r.json()] == [
        ("2027-12-30", "年末年始休業"), ("2027-12-31", "年末年始休業"), ("2028-01-01", "祝日"),
        ("2028-01-02", "年末年始休業")]  # fmt: skip
    r = await tenant.client.get("/subscription-settings/closed-days",
                                params={"first": "2028-01-02", "last": "2027-12-30"})  # fmt: skip
    assert r.status_code == 422 and r.json()["detail"]["field"] == "last"
