"""The day's subscription shipping list (定期発送一覧, screen and printable CSV), and the daily
run's last record. Reads only."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from kit.errors import NotFound
from kit.excel_csv import Text, excel_csv

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork

HEADER = ("受注番号", "お届け日", "定期回数", "お届け先氏名", "郵便番号", "都道府県", "住所",
          "電話番号", "商品", "合計金額")  # fmt: skip


@dataclass(frozen=True)
class Shipment:
    order_id: UUID
    order_number: int
    subscription_id: UUID
    cycle_no: int
    customer_id: UUID
    delivers_on: date
    delivery: dict[str, Any]
    items: str
    total_yen: int


async def shipments(*, day: date, uow: OrdersUnitOfWork) -> list[Shipment]:
    found = await uow.subscriptions.shipments(day=day)
    lines = await uow.orders.lines(order_ids=[order.id for _, order in found])
    return [
        Shipment(
            order.id,
            order.order_number,
            d.subscription_id,
            d.cycle_no,
            order.customer_id,
            d.delivers_on,
            order.delivery,
            _items(lines[order.id]),
            order.total_yen,
        )
        for d, order in found
    ]


def _items(lines: list[orm.OrderLine]) -> str:
    return "、".join(f"{ln.product_name}×{ln.quantity}" for ln in lines)


async def shipments_csv(*, day: date, uow: OrdersUnitOfWork) -> AsyncIterator[bytes]:
    found = await shipments(day=day, uow=uow)

    async def rows() -> AsyncIterator[list[object]]:
        for s in found:
            d = s.delivery
            yield [s.order_number, s.delivers_on.strftime("%Y/%m/%d"), s.cycle_no, d["name"],
                   Text(d.get("postal_code") or ""), d["prefecture"], d["address"],
                   Text(d.get("phone") or ""), s.items, s.total_yen]  # fmt: skip

    return excel_csv(HEADER, rows())


async def last_run(*, uow: OrdersUnitOfWork) -> orm.SubscriptionRun:
    run = await uow.subscriptions.latest_run()
    if run is None:
        raise NotFound("定期の受注作成はまだ実行されていません。")
    return run
