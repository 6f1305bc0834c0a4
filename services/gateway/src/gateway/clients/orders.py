"""The orders service as the pages read it (受注・定期): the products for order entry, the
campaigns running, orders (the day's list, one order), cancellation, returns and reorder,
subscriptions with the preview of their next deliveries and their steps (skip, pause,
resume, cancel), the products master (商品マスタ) and the reasons master for 取消・返品・解約."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import Field

from gateway.clients.base import Read, Reply, ServiceClient


class Product(Read):
    id: UUID
    code: str
    name: str
    price_yen: int
    tax_rate: int
    cost_yen: int = 0
    subscription_eligible: bool = False
    is_present: bool = False
    discontinued: bool = False
    retired_at: datetime | None = None


class Reason(Read):
    id: UUID
    kind: str  # return | cancel
    text: str


class OrderLine(Read):
    line_no: int
    product_id: UUID
    product_name: str
    quantity: int
    unit_price_yen: int
    tax_rate: int
    amount_yen: int


class Order(Read):
    id: UUID
    order_number: int
    customer_id: UUID | None = None  # None: a web-shop order whose customer is being linked
    channel: str
    ordered_at: datetime
    ships_on: date
    status: str  # placed | cancelled
    delivery: dict[str, Any]
    subtotal_yen: int
    discount_yen: int
    shipping_fee_yen: int
    tax_yen: int
    total_yen: int
    tax_by_rate: list[dict[str, Any]]
    campaigns: list[dict[str, Any]]
    lines: list[OrderLine] = Field(default_factory=list)


class OrderPage(Read):
    items: list[Order]
    total: int
    page: int
    per_page: int


class Subscription(Read):
    id: UUID
    customer_id: UUID
    status: str  # active | paused | cancelled
    lines: list[dict[str, Any]]
    delivery: dict[str, Any]
    cycle: dict[str, Any]
    next_delivers_on: date
    next_order_on: date


class SubscriptionPage(Read):
    items: list[Subscription]
    total: int


class PreviewItem(Read):
    cycle_no: int
    nominal_on: date
    delivers_on: date
    order_on: date
    reason: str | None = None


class Shipment(Read):
    order_id: UUID
    order_number: int
    customer_id: UUID
    cycle_no: int
    delivers_on: date
    delivery: dict[str, Any]
    items: str
    total_yen: int


class OrdersClient(ServiceClient):
    service = "orders"

    async def products(self, *, include_retired: bool = False) -> list[Product] | None:
        params = {"include_retired": "true"} if include_retired else None
        return await self.read("/products", list[Product], params)

    async def product(self, product_id: UUID) -> Product | None:
        return await self.read(f"/products/{product_id}", Product)

    async def add_product(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/products", body)

    async def update_product(self, product_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/products/{product_id}", body)

    async def retire_product(self, product_id: UUID) -> Reply:
        return await self.send("POST", f"/products/{product_id}/retire", {})

    async def reasons(self) -> list[Reason] | None:
        return await self.read("/reasons", list[Reason])

    async def place(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/orders", body)

    async def orders(
        self, *, day: date | None, customer_id: UUID | None = None, page: int = 1
    ) -> OrderPage | None:
        params = {"ordered_on": day.isoformat() if day else None, "page": page,
                  "customer_id": str(customer_id) if customer_id else None}  # fmt: skip
        return await self.read("/orders", OrderPage, params)

    async def order(self, order_id: UUID) -> Order | None:
        return await self.read(f"/orders/{order_id}", Order)

    async def cancel(self, order_id: UUID, *, reason_id: str) -> Reply:
        return await self.send("POST", f"/orders/{order_id}/cancel", {"reason_id": reason_id})

    async def give_back(self, order_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("POST", f"/orders/{order_id}/returns", body)

    async def reorder(self, order_id: UUID) -> Reply:
        return await self.send("POST", f"/orders/{order_id}/reorder", {})

    async def shipments(self, day: date) -> list[Shipment] | None:
        """定期発送一覧: the subscription orders delivered on ``day``."""
        return await self.read("/subscription-shipments", list[Shipment], {"day": day.isoformat()})

    async def subscriptions(self, *, status: str | None, page: int = 1) -> SubscriptionPage | None:
        return await self.read("/subscriptions", SubscriptionPage, {"status": status, "page": page})

    async def subscription(self, subscription_id: UUID) -> Subscription | None:
        return await self.read(f"/subscriptions/{subscription_id}", Subscription)

    async def preview(self, subscription_id: UUID, *, count: int = 6) -> list[PreviewItem] | None:
        path = f"/subscriptions/{subscription_id}/preview"
        return await self.read(path, list[PreviewItem], {"count": count})

    async def subscription_step(
        self, subscription_id: UUID, step: str, body: dict[str, Any] | None = None
    ) -> Reply:
        """skip | pause | resume | cancel (with ``reason_id``)."""
        return await self.send("POST", f"/subscriptions/{subscription_id}/{step}", body or {})
