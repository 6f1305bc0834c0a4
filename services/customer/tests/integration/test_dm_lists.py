"""CUS-14 DM lists by purchase on a real PostgreSQL: customers' orders fed through the bus
to the real handlers (OrderPlaced / OrderCancelled / OrderReturned), then lists by order
date, region and product; cancelled and returned orders count for nothing; 郵送DM不要 is
never on a list; a period of ten years or upside down is refused in Japanese."""

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest
from contracts import OrderCancelledV1, OrderPlacedV1, OrderReturnedV1
from contracts.orders import OrderLine, ReturnedLine

from .conftest import Service, profile

pytestmark = [pytest.mark.database]


async def _customer(service: Service, name: str, postal: str, **extra: object) -> uuid.UUID:
    body = profile(
        family_name=name, given_name="花子", emails=[f"{uuid.uuid4().hex[:10]}@example.com"],
        phones=[f"090-{uuid.uuid4().int % 10**8:08d}"],
        addresses=[{"kind": "home", "postal_code": postal, "street": "1-2-3"}], **extra,
    )  # fmt: skip
    r = await service.post("/customers", body)
    assert r.status_code == 201, r.text
    return uuid.UUID(r.json()["id"])


async def _order(
    service: Service, customer_id: uuid.UUID, when: datetime, *products: str
) -> uuid.UUID:
    order_id = uuid.uuid4()
    lines = [
        OrderLine(product_id=uuid.uuid4(), product_name=p, quantity=1, unit_price_yen=1000,
                  tax_rate_percent=8, amount_yen=1000)
        for p in products
    ]  # fmt: skip
    await service.publish(
        OrderPlacedV1(
            order_id=order_id, customer_id=customer_id, channel="phone", ordered_at=when,
            lines=lines, subtotal_yen=1000 * len(lines), tax_yen=0, shipping_fee_yen=0,
            discount_yen=0, total_yen=1000 * len(lines), order_number=1,
        )
    )  # fmt: skip
    return order_id


def _names(content: bytes) -> list[str]:
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert rows[0][5] == "宛名"
    return sorted(row[5].removesuffix(" 花子 様") for row in rows[1:])


async def test_dm_lists_by_order_date_region_and_product(service: Service) -> None:
    tokyo = await _customer(service, "東京", "105-0023")  # 東京都港区
    osaka = await _customer(service, "大阪", "530-0001")  # 大阪府大阪市北区
    yokohama = await _customer(service, "横浜", "231-0023")  # 神奈川県横浜市中区
    cancelled = await _customer(service, "取消", "105-0023")
    returned = await _customer(service, "返品", "105-0023")
    refuses = await _customer(service, "不要", "105-0023", dm_opt_out=True)
    await _customer(service, "未購入", "105-0023")
    # 2026-03-31 23:30 in Japan is 14:30 UTC: a March order, whatever UTC says.
    await _order(service, tokyo, datetime(2026, 3, 31, 14, 30, tzinfo=UTC), "青汁", "サプリA")
    await _order(service, osaka, datetime(2026, 4, 1, 1, tzinfo=UTC), "青汁")
    await _order(service, yokohama, datetime(2025, 6, 1, 1, tzinfo=UTC), "ｻﾌﾟﾘ A")
    await _order(service, yokohama, datetime(2026, 4, 2, 1, tzinfo=UTC), "黒酢")
    c = await _order(service, cancelled, datetime(2026, 3, 10, 1, tzinfo=UTC), "青汁")
    r = await _order(service, returned, datetime(2026, 3, 10, 1, tzinfo=UTC), "青汁")
    await _order(service, refuses, datetime(2026, 3, 10, 1, tzinfo=UTC), "青汁")
    await service.settle()
    await service.publish(
        OrderCancelledV1(order_id=c, customer_id=cancelled, order_number=1,
                         cancelled_at=datetime(2026, 3, 11, tzinfo=UTC), reason_id=uuid.uuid4(),
                         reason="お客様都合", total_yen=1000)
    )  # fmt: skip
    await service.publish(
        OrderReturnedV1(
            return_id=uuid.uuid4(), order_id=r, customer_id=returned, order_number=1,
            returned_at=datetime(2026, 3, 20, tzinfo=UTC), reason_id=uuid.uuid4(), reason="破損",
            lines=[ReturnedLine(product_id=uuid.uuid4(), product_name="青汁", quantity=1,
                                amount_yen=1000)], refund_yen=1080,
        )
    )  # fmt: skip
    await service.settle()
    # The read model keeps the product id from now on, and the names as keys.
    keys = await service.scalar(
        "SELECT product_keys FROM customer_purchases WHERE customer_id = :c", c=yokohama
    )
    assert keys in (["サプリa"], ["黒酢"])

    async def dm(**params: object) -> list[str]:
        r = await service.get("/customers/dm-list.csv", params=params)
        assert r.status_code == 200, r.text
        return _names(r.content)

    async def count(**params: object) -> dict:
        r = await service.get("/customers/dm-list/count", params=params)
        assert r.status_code == 200, r.text
        return r.json()

    # Without a purchase criterion the list is the search's; never the 郵送DM不要 customer.
    everyone = await dm()
    assert everyone == ["取消", "大阪", "未購入", "東京", "横浜", "返品"]  # not 不要
    assert await count() == {"total": 6, "opted_out": 1, "max_rows": 100_000}
    # March 2026 (Japan days): Tokyo's 23:30 order is in, cancelled and returned are out.
    march = {"ordered_from": "2026-03-01", "ordered_to": "2026-03-31"}
    assert await dm(**march) == ["東京"]
    assert await count(**march) == {"total": 1, "opted_out": 1, "max_rows": 100_000}
    assert await dm(ordered_from="2026-04-01", ordered_to="2026-04-30") == ["大阪", "横浜"]
    # Region: the DM's address, one or several prefectures, a city.
    april = {"ordered_from": "2026-03-01", "ordered_to": "2026-04-30"}
    assert await dm(**april, prefecture=["東京都", "大阪府"]) == ["大阪", "東京"]
    assert await dm(**april, prefecture="神奈川県", city="横浜市") == ["横浜"]
    # Products: any of / all of, names compared by width and spaces (ｻﾌﾟﾘ A = サプリA).
    assert await dm(product="青汁") == ["大阪", "東京"]
    assert await dm(product=["サプリA", "黒酢"]) == ["東京", "横浜"]
    assert await dm(product=["サプリA", "黒酢"], product_match="all") == ["横浜"]  # two orders
    assert await dm(product=["青汁", "サプリA"], product_match="all") == ["東京"]
    assert await dm(**march, product=["サプリA", "黒酢"], product_match="all") == []
    assert await dm(product="青汁", prefecture="大阪府") == ["大阪"]
    # Any order that stands, in a period: not the cancelled, returned or buying-nothing ones.
    assert await dm(ordered_from="2025-01-01") == ["大阪", "東京", "横浜"]


async def test_dm_opt_out_is_kept_in_the_profile_and_its_history(service: Service) -> None:
    cid = await _customer(service, "変更", "105-0023")
    body = profile(family_name="変更", given_name="花子",
                   addresses=[{"kind": "home", "postal_code": "105-0023", "street": "1-2-3"}])  # fmt: skip
    detail = (await service.get(f"/customers/{cid}")).json()
    assert detail["dm_opt_out"] is False
    r = await service.get("/customers/dm-list.csv")
    assert "変更" in _names(r.content)
    body.update(emails=detail["emails"], phones=detail["phones"], dm_opt_out=True)
    r = await service.put(f"/customers/{cid}", body)
    assert r.status_code == 204, r.text
    assert (await service.get(f"/customers/{cid}")).json()["dm_opt_out"] is True
    assert "変更" not in _names((await service.get("/customers/dm-list.csv")).content)
    history = (await service.get(f"/customers/{cid}/follow-up")).json()
    assert any("dm_opt_out" in (h.get("new_value") or "") for h in history["history"]), history


@pytest.mark.parametrize(
    ("params", "fields", "message"),
    [
        ({"ordered_from": "2016-01-01", "ordered_to": "2026-01-01"},
         ["ordered_from", "ordered_to"], "注文日の期間は3年以内で指定してください。"),
        ({"ordered_from": "2026-05-01", "ordered_to": "2026-04-01"},
         ["ordered_from", "ordered_to"], "注文日の終了日は開始日以降の日付にしてください。"),
        ({"ordered_to": "2026-04-01"}, ["ordered_from"], "注文日の開始日を入力してください。"),
        ({"product_match": "some"}, ["product_match"],
         "商品の条件は「いずれか」か「すべて」を選んでください。"),
        ({"prefecture": ["東京都", "大阪府"], "city": "大阪市"}, ["city"],
         "市区町村で絞り込むときは都道府県を1つだけ選んでください。"),
    ],
)  # fmt: skip
async def test_dm_list_refuses_a_period_it_cannot_answer(
    service: Service, params: dict, fields: list[str], message: str
) -> None:
    for path in ("/customers/dm-list.csv", "/customers/dm-list/count"):
        r = await service.get(path, params=params)
        assert r.status_code == 422, r.text
        detail = r.json()["detail"]
        assert detail["message"] == message
        assert [e["field"] for e in detail.get("errors") or [detail]] == fields


async def test_dm_list_count_is_the_admins_and_the_tenants(service: Service) -> None:
    await _customer(service, "他社", "105-0023")
    r = await service.get("/customers/dm-list/count", headers=service.headers(role="general"))
    assert r.status_code == 403
    other = service.headers(tenant_id=uuid.uuid4())
    r = await service.client.get("/customers/dm-list/count", headers=other)
    assert r.status_code == 200 and r.json()["total"] == 0


async def test_a_merge_keeps_the_opt_out_of_either_customer(service: Service) -> None:
    target = await _customer(service, "統合", "105-0023")
    source = await _customer(service, "統合", "105-0023", dm_opt_out=True)
    r = await service.post(
        "/merges", {"source_id": str(source), "target_id": str(target), "confirm": True}
    )
    assert r.status_code == 200, r.text
    assert (await service.get(f"/customers/{target}")).json()["dm_opt_out"] is True
    assert "統合" not in _names((await service.get("/customers/dm-list.csv")).content)
