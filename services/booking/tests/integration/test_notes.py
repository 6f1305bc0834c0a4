"""通知先: a new reservation is recorded as a notification to each of the store's
destinations (staff and portal bookings alike); 営業報告: written per visit, searchable by a
part of the customer's name and a date range."""

import pytest

pytestmark = pytest.mark.database


async def test_new_reservations_notify_each_destination(tenant) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store()
    for name, email in (("店長", "manager@example.com"), ("受付", "front@example.com")):
        r = await tenant.client.post(
            f"/stores/{tenant.store_id}/notification-targets", json={"name": name, "email": email}
        )
        assert r.status_code == 201, r.text
    bad = await tenant.client.post(
        f"/stores/{tenant.store_id}/notification-targets", json={"name": "x", "email": "nope"}
    )
    assert bad.status_code == 422 and bad.json()["detail"]["field"] == "email"
    customer = await tenant.customer(name="住まい 花子")
    visit = await tenant.visit(
        kind="store_consultation", customer_id=str(customer),
        starts_at="2027-03-10T11:00:00+09:00", ends_at="2027-03-10T12:00:00+09:00",
    )  # fmt: skip
    sent = (await tenant.client.get(f"/visits/{visit.json()['id']}/notifications")).json()
    assert [n["email"] for n in sent] == ["front@example.com", "manager@example.com"]
    assert sent[0]["subject"] == "【新規予約】2027/03/10(水) 11:00 住まい 花子 様"
    assert sent[0]["sent_at"] is None  # the mail sender's job (not built yet)
    targets = (await tenant.client.get(f"/stores/{tenant.store_id}/notification-targets")).json()
    removed = await tenant.client.delete(f"/notification-targets/{targets[0]['id']}")
    assert removed.status_code == 204
    assert (
        await tenant.client.delete(f"/notification-targets/{targets[0]['id']}")
    ).status_code == 404


async def test_sales_reports_by_name_part_and_date_range(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=3)
    yamada = await tenant.customer(name="山田 太郎")
    sato = await tenant.customer(name="佐藤 花子", caution=True)
    ids = {}
    for who, day in ((yamada, "2027-03-10"), (sato, "2027-03-10"), (yamada, "2027-03-17")):
        r = await tenant.visit(
            kind="store_consultation", customer_id=str(who),
            starts_at=f"{day}T11:00:00+09:00", ends_at=f"{day}T12:00:00+09:00",
        )  # fmt: skip
        ids[(who, day)] = r.json()["id"]
        w = await tenant.client.put(
            f"/visits/{r.json()['id']}/sales-report", json={"body": f"{day} 物件をご案内。"}
        )
        assert w.status_code == 200, w.text
    # Rewriting replaces the report of that visit.
    await tenant.client.put(
        f"/visits/{ids[(yamada, '2027-03-17')]}/sales-report", json={"body": "再来店の予定。"}
    )

    async def find(**params: str) -> list[str]:
        r = await tenant.client.get("/sales-reports", params=params)
        assert r.status_code == 200, r.text
        return [f"{x['customer_name']}:{x['body']}" for x in r.json()]

    assert await find(name="山田太郎") == [
        "山田 太郎:再来店の予定。",
        "山田 太郎:2027-03-10 物件をご案内。",
    ]
    assert await find(name="ｻﾄｳ") == []  # names are kanji here; kana typed by users is CUS's
    assert await find(name="花子") == ["佐藤 花子:2027-03-10 物件をご案内。"]
    flags = (await tenant.client.get("/sales-reports", params={"name": "佐藤"})).json()[0]
    assert (flags["customer_caution"], flags["customer_blacklisted"]) == (True, False)
    assert len(await find(date_from="2027-03-10", date_to="2027-03-10")) == 2
    assert await find(name="山田", date_from="2027-03-11") == ["山田 太郎:再来店の予定。"]
    other = await tenant_factory()
    assert (await other.client.get("/sales-reports")).json() == []
    stolen = await other.client.put(
        f"/visits/{ids[(sato, '2027-03-10')]}/sales-report", json={"body": "x"}
    )
    assert stolen.status_code == 404
