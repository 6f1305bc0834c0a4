"""The campaign rules (キャンペーン), one engine for phone and web-shop orders: which campaigns
apply to an order, what each does, and why (the reason is shown on the order)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID


class CampaignKind(StrEnum):
    FREE_SHIPPING = "free_shipping"  # 期間限定で送料無料
    NEW_CUSTOMER_DISCOUNT = "new_customer_discount"  # 新規顧客には N 円割引
    GIFT_WITH_PRODUCT = "gift_with_product"  # A 商品を購入した人にはプレゼント B を同梱


@dataclass(frozen=True)
class Campaign:
    id: UUID
    name: str
    kind: CampaignKind
    starts_on: date
    ends_on: date
    discount_yen: int = 0
    trigger_product_id: UUID | None = None
    gift_product_id: UUID | None = None

    def runs_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class OrderFacts:
    today: date  # Japan's date of the order
    new_customer: bool  # no earlier order of this customer
    product_names: Mapping[UUID, str]  # the ordered products
    gift_names: Mapping[UUID, str] = field(default_factory=dict)  # gifts that can ship


@dataclass(frozen=True)
class Applied:
    campaign_id: UUID
    name: str
    kind: CampaignKind
    reason: str


@dataclass(frozen=True)
class Outcome:
    applied: tuple[Applied, ...] = ()
    free_shipping: bool = False
    discount_yen: int = 0
    gift_product_ids: tuple[UUID, ...] = ()


def _md(day: date) -> str:
    return f"{day.month}/{day.day}"


def _reason(campaign: Campaign, facts: OrderFacts) -> str | None:
    """Why the campaign applies to this order, or None when it does not."""
    if not campaign.runs_on(facts.today):
        return None
    if campaign.kind is CampaignKind.FREE_SHIPPING:
        return f"{_md(campaign.starts_on)}〜{_md(campaign.ends_on)} の送料無料期間中のため送料無料"
    if campaign.kind is CampaignKind.NEW_CUSTOMER_DISCOUNT:
        if facts.new_customer and campaign.discount_yen > 0:
            return f"初回のご注文のため {campaign.discount_yen:,}円割引"
        return None
    trigger, gift = campaign.trigger_product_id, campaign.gift_product_id
    if trigger in facts.product_names and gift in facts.gift_names:
        return f"「{facts.product_names[trigger]}」ご購入のため「{facts.gift_names[gift]}」を同梱"
    return None


def evaluate(campaigns: Iterable[Campaign], facts: OrderFacts) -> Outcome:
    applied: list[Applied] = []
    free_shipping, discount, gifts = False, 0, []
    for campaign in sorted(campaigns, key=lambda c: (c.starts_on, c.name, str(c.id))):
        reason = _reason(campaign, facts)
        if reason is None:
            continue
        applied.append(Applied(campaign.id, campaign.name, campaign.kind, reason))
        if campaign.kind is CampaignKind.FREE_SHIPPING:
            free_shipping = True
        elif campaign.kind is CampaignKind.NEW_CUSTOMER_DISCOUNT:
            discount += campaign.discount_yen
        elif campaign.gift_product_id is not None:
            gifts.append(campaign.gift_product_id)
    return Outcome(tuple(applied), free_shipping, discount, tuple(gifts))
