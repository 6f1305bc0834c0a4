from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class LineWrite(BaseModel):
    product_id: UUID
    quantity: int


class DeliveryWrite(BaseModel):
    kind: str  # home | office | gift
    name: str
    postal_code: str = ""
    prefecture: str
    address: str
    phone: str | None = None


class BundleWrite(BaseModel):
    set_id: UUID  # a bundle of the set products master
    quantity: int


class SurveyAnswerWrite(BaseModel):
    question_id: UUID
    answer: str = Field(max_length=500)


class OrderCreate(BaseModel):
    customer_id: UUID
    lines: list[LineWrite] = Field(default_factory=list, max_length=200)
    bundles: list[BundleWrite] = Field(default_factory=list, max_length=50)  # セット商品
    delivery: DeliveryWrite
    staff_id: UUID | None = None
    medium_id: UUID | None = None
    campaign_ids: list[UUID] | None = None  # omitted: every campaign running today
    payer_kana: str = Field("", max_length=100)  # 振込名義 (フリガナ): bank transfers match it
    survey_answers: list[SurveyAnswerWrite] = Field(default_factory=list, max_length=50)


class QuoteCreate(OrderCreate):
    delivery: DeliveryWrite | None = None  # None: the fee waits for the address


class ComponentRead(BaseModel):
    """One item of a bundle line (its cost stays with the reports)."""

    model_config = ConfigDict(extra="ignore")

    product_id: UUID
    product_name: str
    quantity: int  # per set
    unit_price_yen: int | None = None  # as ordered (orders before it was kept: None)


class LineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    line_no: int
    product_id: UUID
    product_name: str
    quantity: int
    unit_price_yen: int
    tax_rate: int
    amount_yen: int
    is_gift: bool
    kind: str  # product | bundle (one line for a set) | companion (added with its trigger) | gift
    components: list[ComponentRead] | None  # a bundle's items


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    order_number: int
    customer_id: UUID | None  # None: a web-shop order whose customer is being linked
    channel: str
    ordered_at: datetime
    ordered_on: date
    ships_on: date
    status: str  # placed | cancelled
    paid_at: datetime | None
    staff_id: UUID | None
    medium_id: UUID | None
    shop_order_number: str | None
    delivery: dict[str, Any]
    subtotal_yen: int
    discount_yen: int
    shipping_fee_yen: int
    tax_yen: int
    total_yen: int
    tax_rounding: str
    tax_by_rate: list[dict[str, Any]]
    campaigns: list[dict[str, Any]]  # applied, each with its reason
    created_at: datetime
    lines: list[LineRead] = []

    @classmethod
    def of(cls, placed: Any) -> "OrderRead":
        read = cls.model_validate(placed.order)
        read.lines = [LineRead.model_validate(ln) for ln in placed.lines]
        return read


class QuoteRead(BaseModel):
    """What placing the same body would make, nothing written (受注入力's live totals)."""

    model_config = ConfigDict(from_attributes=True)

    subtotal_yen: int
    discount_yen: int
    shipping_fee_yen: int
    tax_yen: int
    total_yen: int
    tax_rounding: str
    tax_by_rate: list[dict[str, Any]]
    campaigns: list[dict[str, Any]]  # what would apply, each with its reason
    shipping_priced: bool = True  # False: no delivery given, the fee is not in the totals
    lines: list[LineRead] = []

    @classmethod
    def of(cls, built: Any) -> "QuoteRead":
        read = cls.model_validate(built.order)
        read.shipping_priced = bool(built.order["delivery"])
        read.lines = [LineRead.model_validate(ln) for ln in built.lines]
        return read


class OrderPage(BaseModel):
    items: list[OrderRead]
    total: int
    page: int
    per_page: int


class SettingsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    tax_rounding: str
    shop_secret_set: bool = False


class SettingsWrite(BaseModel):
    tax_rounding: str  # floor | half_up | ceil
