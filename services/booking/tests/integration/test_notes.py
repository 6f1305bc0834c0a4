"""営業報告: written per visit, searchable by a part of the customer's name and a date range.
(通知先 and their mails: test_notifications.py.)"""

import pytest

from .conftest import DAY, day_after

pytestmark = pytest.mark.database


async def test_sales_reports_by_name_part_and_date_range(tenant, tenant_factory) -> None:  # type: ignore[no-untyped-def]
    await tenant.setup_store(staff_count=3)
    yamada = await tenant.customer(name="山田 太郎")
    sato = await tenant.customer(name="佐藤 花子", caution=True)
    ids = {}
    for who, day in ((yamada, DAY), (sato, DAY), (yamada, day_after(7))):
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
        f"/visits/{ids[(yamada, day_after(7))]}/sales-report", json={"body": "再来店の予定。"}
    )

    async def find(**params: str) -> list[str]:
        r = await tenant.client.get("/sales-reports", params=params)
        assert r.status_code == 200, r.text
        return [f"{x['customer_name']}:{x['body']}" for x in r.json()]

    assert await find(name="山田太郎") == [
        "山田 太郎:再来店の予定。",
        f"山田 太郎:{DAY} 物件をご案内。",
    ]
    assert await find(name="ｻﾄｳ") == []  # names are kanji here; kana typed by users is CUS's
    assert await find(name="花子") == [f"佐藤 花子:{DAY} 物件をご案内。"]
    flags = (await tenant.client.get("/sales-reports", params={"name": "佐藤"})).json()[0]
    assert (flags["customer_caution"], flags["customer_blacklisted"]) == (True, False)
    assert len(await find(date_from=DAY, date_to=DAY)) == 2
    assert await find(name="山田", date_from=day_after(1)) == ["山田 太郎:再来店の予定。"]
    other = await tenant_factory()
    assert (await other.client.get("/sales-reports")).json() == []
    stolen = await other.client.put(f"/visits/{ids[(sato, DAY)]}/sales-report", json={"body": "x"})
    assert stolen.status_code == 404
