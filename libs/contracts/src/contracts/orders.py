"""Events produced by the orders service (受注)."""

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.base import Event


class OrderLine(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    product_id: UUID
    product_name: str
    quantity: int
    unit_price_yen: int
    tax_rate_percent: int
    amount_yen: int
    is_gift: bool = False  # shipped free by a campaign (プレゼント同梱)
    # product, bundle (a set product as one line: product_id is the set's), companion (added
    # with its trigger product) or gift
    kind: str = "product"
    # the unit cost (原価, tax-exclusive) when ordered: a bundle's is its items' sum; reports
    # take gross profit from it
    cost_yen: int | None = None


class TaxByRate(BaseModel):
    """One tax rate's part of an order (インボイス制度: one rounding per rate and order)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    tax_rate_percent: int
    taxable_yen: int
    tax_yen: int


class OrderPlacedV1(Event):
    """An order was placed (phone, web shop or subscription run)."""

    event_type = "orders.order_placed"
    version = 1
    producer = "orders"

    order_id: UUID
    customer_id: UUID
    channel: str
    ordered_at: datetime
    lines: list[OrderLine]
    subtotal_yen: int
    tax_yen: int
    shipping_fee_yen: int
    discount_yen: int
    total_yen: int
    subscription_id: UUID | None = None
    order_number: int | None = None  # the tenant's 受注番号
    tax_by_rate: list[TaxByRate] | None = None
    medium_id: UUID | None = None  # the advertising medium (広告) the order came through
    staff_id: UUID | None = None  # who took it (担当者)
    delivery_prefecture: str | None = None  # お届け先の都道府県 (地区別 reports)
    campaign_ids: list[UUID] | None = None  # the campaigns that applied


class ReturnedLine(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    product_id: UUID
    product_name: str
    quantity: int
    amount_yen: int  # tax-exclusive, at the order's unit price


class OrderReturnedV1(Event):
    """Goods of an order came back (返品), with the reason of the tenant's reasons master."""

    event_type = "orders.order_returned"
    version = 1
    producer = "orders"

    return_id: UUID
    order_id: UUID
    customer_id: UUID
    order_number: int
    returned_at: datetime
    reason_id: UUID
    reason: str  # the reason's text as it was
    lines: list[ReturnedLine]
    refund_yen: int  # tax included, one rounding per rate (the order's method)


class OrderCancelledV1(Event):
    """An order was cancelled before it shipped (キャンセル), with the reason of the master."""

    event_type = "orders.order_cancelled"
    version = 1
    producer = "orders"

    order_id: UUID
    customer_id: UUID
    order_number: int
    cancelled_at: datetime
    reason_id: UUID
    reason: str
    total_yen: int


class ShopCustomer(BaseModel):
    """Who placed a web-shop order, as the shop sent it."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    name_kana: str | None = None
    email: str
    phone: str | None = None


class ShopOrderReceivedV1(Event):
    """A web-shop order came without our customer id: the customer service resolves who
    placed it by the identity rule of inquiries (名寄せ by the first contact's email) and
    answers ``customer.shop_customer_linked``. The order's ``OrderPlaced`` follows the link."""

    event_type = "orders.shop_order_received"
    version = 1
    producer = "orders"

    order_id: UUID
    order_number: int
    shop_order_number: str
    received_at: datetime
    customer: ShopCustomer


class SurveyAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    question_id: UUID
    question_text: str  # as it was asked
    answer: str


class SurveyProduct(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    product_id: UUID
    product_name: str


class SurveyAnsweredV1(Event):
    """A customer's answers to the tenant's survey were recorded with an order (アンケート入力);
    the order's date and products come along, so that a consumer counts answers by product
    without the order's own event."""

    event_type = "orders.survey_answered"
    version = 1
    producer = "orders"

    order_id: UUID
    customer_id: UUID
    ordered_at: datetime
    products: list[SurveyProduct]
    answers: list[SurveyAnswer]


# Every event this producer publishes; the registry collects these.
EVENTS: tuple[type[Event], ...] = (
    OrderPlacedV1,
    OrderReturnedV1,
    OrderCancelledV1,
    ShopOrderReceivedV1,
    SurveyAnsweredV1,
)
