"""The vocabulary a listing and a buyer's 希望条件 share (LEAD-6, CUS-1): the facts booking
keeps of a property and the conditions the customer service keeps of a buyer, typed once
here so that leads can match one against the other with a query. Schemas only."""

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

PropertyKind = Literal["mansion", "house", "land", "rental"]
PROPERTY_KIND_LABELS: dict[str, str] = {
    "mansion": "マンション",
    "house": "一戸建て",
    "land": "土地",
    "rental": "賃貸",
}
# 間取り: rooms + the letters of the common ones (R, K, DK, LDK, with S for a storeroom).
LAYOUT_PATTERN = r"^([1-9]|1[0-9])(R|K|DK|LDK|SK|SDK|SLDK)$"
LAYOUT_EXAMPLE = "間取りは 1R、1K、1LDK、2LDK、3SLDK のように指定してください。"
ProposalDelivery = Literal["automatic", "manual", "stopped"]
PROPOSAL_DELIVERY_LABELS: dict[str, str] = {
    "automatic": "自動",
    "manual": "手動",
    "stopped": "停止",
}
MAX_PRICE_YEN = 100_000_000_000  # 1,000億円: beyond any listing; a typo of units is caught

Text = Annotated[str, Field(min_length=1, max_length=50)]
Layout = Annotated[str, Field(pattern=LAYOUT_PATTERN, max_length=6)]
PriceYen = Annotated[int, Field(ge=0, le=MAX_PRICE_YEN)]
SizeM2 = Annotated[float, Field(gt=0, le=100_000)]


class Area(BaseModel):
    """A place as buyers name it: a prefecture, optionally a city in it, or a station."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    prefecture: Text | None = None
    city: Text | None = None
    station: Text | None = None

    @model_validator(mode="after")
    def _names_a_place(self) -> Self:
        if not (self.prefecture or self.city or self.station):
            raise PydanticCustomError(
                "area_empty", "エリアには都道府県・市区町村・駅のいずれかを指定してください。"
            )
        return self


class ListingFacts(BaseModel):
    """What a property offers, in the terms of a buyer's conditions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: PropertyKind
    prefecture: Text
    city: Text | None = None
    station: Text | None = None
    price_yen: PriceYen  # 賃貸: the monthly rent
    layout: Layout | None = None  # 土地 has none
    size_m2: SizeM2 | None = None  # 専有面積 / 建物面積 / 土地面積


class DesiredConditions(BaseModel):
    """A buyer's 希望条件. An empty list or a missing bound means "any"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    areas: list[Area] = Field(default_factory=list, max_length=30)
    kinds: list[PropertyKind] = Field(default_factory=list, max_length=4)
    layouts: list[Layout] = Field(default_factory=list, max_length=20)
    price_min_yen: PriceYen | None = None
    price_max_yen: PriceYen | None = None
    size_min_m2: SizeM2 | None = None
    # What an older free-form record said that maps to none of the above (kept, not lost).
    note: Annotated[str, Field(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _bounds_in_order(self) -> Self:
        low, high = self.price_min_yen, self.price_max_yen
        if low is not None and high is not None and low > high:
            raise PydanticCustomError("price_range", "希望価格の下限は上限以下にしてください。")
        return self
