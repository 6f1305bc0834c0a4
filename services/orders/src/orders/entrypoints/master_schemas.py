"""Bodies and answers of the masters (ORD-1). Writes carry every field (PUT replaces)."""

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    retired_at: datetime | None
    created_at: datetime


class StaffWrite(BaseModel):
    name: str
    role: str  # operator | sales


class StaffRead(StaffWrite, Read):
    pass


class MediumWrite(BaseModel):
    name: str
    code: str | None = None


class MediumRead(MediumWrite, Read):
    pass


class CategoryWrite(BaseModel):
    name: str


class CategoryRead(CategoryWrite, Read):
    pass


class ProductWrite(BaseModel):
    code: str
    name: str
    category_id: UUID | None = None
    price_yen: int
    cost_yen: int = 0
    tax_rate: int = 10
    subscription_eligible: bool = False
    is_present: bool = False
    discontinued: bool = False


class ProductRead(ProductWrite, Read):
    pass


class SetItem(BaseModel):
    product_id: UUID
    quantity: int = 1


class SetProductWrite(BaseModel):
    name: str
    kind: str  # bundle | companion
    trigger_product_id: UUID | None = None
    items: list[SetItem]


class SetProductRead(SetProductWrite, Read):
    pass


class ShippingFeeWrite(BaseModel):
    prefecture: str
    fee_yen: int


class ShippingFeeRead(ShippingFeeWrite, Read):
    pass


class ReasonWrite(BaseModel):
    kind: str  # return | cancel
    text: str


class ReasonRead(ReasonWrite, Read):
    pass


class CampaignWrite(BaseModel):
    name: str
    kind: str  # free_shipping | new_customer_discount | gift_with_product
    starts_on: date
    ends_on: date
    discount_yen: int = 0
    trigger_product_id: UUID | None = None
    gift_product_id: UUID | None = None


class CampaignRead(CampaignWrite, Read):
    pass


class SurveyQuestionWrite(BaseModel):
    text: str = Field(max_length=200)
    answer_kind: str  # choice | text
    choices: list[str] = Field(default_factory=list, max_length=30)


class SurveyQuestionRead(SurveyQuestionWrite, Read):
    pass


SCHEMAS: dict[str, tuple[type[BaseModel], type[BaseModel]]] = {
    "staff": (StaffWrite, StaffRead),
    "media": (MediumWrite, MediumRead),
    "product-categories": (CategoryWrite, CategoryRead),
    "products": (ProductWrite, ProductRead),
    "set-products": (SetProductWrite, SetProductRead),
    "shipping-fees": (ShippingFeeWrite, ShippingFeeRead),
    "reasons": (ReasonWrite, ReasonRead),
    "campaigns": (CampaignWrite, CampaignRead),
    "survey-questions": (SurveyQuestionWrite, SurveyQuestionRead),
}
