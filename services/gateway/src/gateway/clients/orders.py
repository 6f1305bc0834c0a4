"""The orders service as the pages read it (受注・定期): the products for order entry, the
campaigns running, orders (the day's list, one order), cancellation, returns and reorder,
subscriptions with the preview of their next deliveries and their steps (skip, pause,
resume, cancel), the masters (商品マスタ and the others by their kind: 担当者, 広告, セット商品,
送料, 理由, アンケート, キャンペーン), the 受注設定 and the shipper's settings; the delivery
calendar, the year-end check and the daily run's record; the label files, the tracking-number
import and 出荷確認一覧; the bank file and the payments left for a person."""

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


class Entry(Read):
    """One entry of any master, its fields as the service sends them (``entry.get(name)``)."""

    id: UUID
    retired_at: datetime | None = None


class OrdersSettings(Read):
    tax_rounding: str  # floor | half_up | ceil
    shop_secret_set: bool = False


class Shipper(Read):
    name: str
    phone: str
    postal_code: str
    address: str


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


class ClosedDay(Read):
    day: date
    reason: str


class LateDelivery(Read):
    subscription_id: UUID
    customer_id: UUID
    cycle_no: int
    nominal_on: date
    delivers_on: date
    days_late: int
    reason: str | None = None


class Run(Read):
    id: UUID
    run_on: date
    started_at: datetime
    finished_at: datetime | None = None
    created: int
    skipped: int
    failed: int
    error: str | None = None
    replica: str | None = None  # the process that ran it
    started_by: UUID | None = None  # who pressed 今すぐ実行; None: the worker's own pass


class LabelProblem(Read):
    order_number: int
    field: str
    message: str


class CheckLine(Read):
    order_id: UUID
    order_number: int
    channel: str
    ships_on: date
    delivery: dict[str, Any]
    items: str
    total_yen: int
    carrier: str | None = None
    tracking_number: str | None = None


class Payment(Read):
    id: UUID
    line: int
    paid_on: date
    amount_yen: int
    payer: str
    status: str  # matched | unmatched | assigned
    order_id: UUID | None = None
    note: str | None = None


class PaymentList(Read):
    items: list[Payment]
    total: int


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

    async def entries(self, kind: str, *, include_retired: bool = False) -> list[Entry] | None:
        """A master's entries by its kind as the service names it (``set-products``…)."""
        params = {"include_retired": "true"} if include_retired else None
        return await self.read(f"/{kind}", list[Entry], params)

    async def entry(self, kind: str, entry_id: UUID) -> Entry | None:
        return await self.read(f"/{kind}/{entry_id}", Entry)

    async def add_entry(self, kind: str, body: dict[str, Any]) -> Reply:
        return await self.send("POST", f"/{kind}", body)

    async def update_entry(self, kind: str, entry_id: UUID, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", f"/{kind}/{entry_id}", body)

    async def retire_entry(self, kind: str, entry_id: UUID) -> Reply:
        return await self.send("POST", f"/{kind}/{entry_id}/retire", {})

    async def settings(self) -> OrdersSettings | None:
        return await self.read("/settings", OrdersSettings)

    async def put_settings(self, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", "/settings", body)

    async def new_shop_secret(self) -> Reply:
        """A new web-shop secret; the answer is the only time it is shown."""
        return await self.send("POST", "/settings/shop-secret", {})

    async def shipper(self) -> Shipper | None:
        """None when none is registered yet (the service answers null)."""
        return await self.read("/shipper-settings", Shipper | None)  # type: ignore[arg-type]

    async def put_shipper(self, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", "/shipper-settings", body)

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

    async def cycle_preview(self, subscription_id: UUID, cycle: dict[str, Any]) -> Reply:
        """The next deliveries were the cycle changed (the next one kept); nothing is saved."""
        return await self.send("POST", f"/subscriptions/{subscription_id}/cycle/preview",
                               {"cycle": cycle})  # fmt: skip

    async def change_cycle(self, subscription_id: UUID, cycle: dict[str, Any]) -> Reply:
        """The new cycle, from the one after next (the next delivery keeps its date)."""
        return await self.send("PUT", f"/subscriptions/{subscription_id}/cycle", {"cycle": cycle})

    async def subscription_step(
        self, subscription_id: UUID, step: str, body: dict[str, Any] | None = None
    ) -> Reply:
        """skip | pause | resume | cancel (with ``reason_id``)."""
        return await self.send("POST", f"/subscriptions/{subscription_id}/{step}", body or {})

    # 受注入力's choices and live totals, the monitor's 定期 pane (the order-entry piece)
    async def entry_choices(self, kind: str) -> list[Read] | None:
        """A master's current entries as the entry form offers them: ``staff``, ``media``,
        ``set-products``, ``survey-questions``."""
        return await self.read(f"/{kind}", list[Read])

    async def quote(self, body: dict[str, Any]) -> Reply:
        """What ``place`` would make of the same body (lines, campaigns, tax per rate)."""
        return await self.send("POST", "/orders/quote", body)

    async def presents(self, customer_id: UUID) -> list[Read] | None:
        return await self.read("/presents", list[Read], {"customer_id": str(customer_id)})

    async def subscriptions_of(self, customer_id: UUID) -> SubscriptionPage | None:
        params = {"customer_id": str(customer_id), "per_page": 50}
        return await self.read("/subscriptions", SubscriptionPage, params)

    async def calendar(self) -> dict[str, Any] | None:
        """The delivery calendar and the daily run's settings (as the service spells them)."""
        return await self.read("/subscription-settings", dict[str, Any])

    async def put_calendar(self, body: dict[str, Any]) -> Reply:
        return await self.send("PUT", "/subscription-settings", body)

    async def closed_days(self, first: date, last: date) -> list[ClosedDay] | None:
        params = {"first": first.isoformat(), "last": last.isoformat()}
        return await self.read("/subscription-settings/closed-days", list[ClosedDay], params)

    async def year_end_check(self, first: date, last: date) -> list[LateDelivery] | Reply:
        params = {"first": first.isoformat(), "last": last.isoformat()}
        return await self.answer("/subscriptions/year-end-check", list[LateDelivery], params)

    async def last_run(self) -> Run | None:
        return await self.read("/subscription-runs/last", Run)

    async def run_now(self) -> Reply:
        return await self.send("POST", "/subscription-runs", {})

    async def draft_preview(self, body: dict[str, Any]) -> Reply:
        """The first deliveries of a subscription not yet made (``cycle``, ``starts_on``)."""
        return await self.send("POST", "/subscriptions/preview", body)

    async def subscribe(self, body: dict[str, Any]) -> Reply:
        return await self.send("POST", "/subscriptions", body)

    async def label_problems(self, carrier: str, day: date) -> list[LabelProblem] | Reply:
        params = {"carrier": carrier, "day": day.isoformat()}
        return await self.answer("/shipping-labels/problems", list[LabelProblem], params)

    async def import_tracking(self, carrier: str, content: bytes) -> Reply:
        """The carrier's re-export as the raw body: every row applied, or none (422)."""
        return await self.send("POST", "/tracking-imports", None, content=content,
                               params={"carrier": carrier})  # fmt: skip

    async def shipping_check(self, day: date) -> list[CheckLine] | None:
        return await self.read("/shipping-check", list[CheckLine], {"day": day.isoformat()})

    async def import_payments(self, content: bytes) -> Reply:
        """A bank-transfer file as the raw body."""
        return await self.send("POST", "/payment-imports", None, content=content)

    async def payments(self, *, status: str | None, page: int = 1) -> PaymentList | None:
        return await self.read("/payments", PaymentList, {"status": status, "page": page})

    async def assign_payment(self, payment_id: UUID, order_id: UUID) -> Reply:
        return await self.send(
            "POST", f"/payments/{payment_id}/assign", {"order_id": str(order_id)}
        )

    async def order_numbered(self, number: int) -> Order | None:
        found = await self.read("/orders", OrderPage, {"order_number": number})
        return found.items[0] if found and found.items else None
