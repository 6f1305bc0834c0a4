"""Which campaigns an order is judged against: those the operator named (each must run
today), or every campaign running today. The rules themselves are domain.campaigns."""

from datetime import date
from uuid import UUID

from kit.errors import Invalid

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain.campaigns import Campaign, CampaignKind


def to_rule(row: orm.CampaignRow) -> Campaign:
    return Campaign(
        id=row.id, name=row.name, kind=CampaignKind(row.kind), starts_on=row.starts_on,
        ends_on=row.ends_on, discount_yen=row.discount_yen,
        trigger_product_id=row.trigger_product_id, gift_product_id=row.gift_product_id,
    )  # fmt: skip


async def candidate_campaigns(
    ids: tuple[UUID, ...] | None, *, today: date, uow: OrdersUnitOfWork
) -> list[Campaign]:
    if ids is None:
        return [to_rule(row) for row in await uow.masters.campaigns_running(day=today)]
    found = await uow.masters.many(orm.CampaignRow, ids=set(ids))
    chosen = []
    for i, campaign_id in enumerate(ids):
        row = found.get(campaign_id)
        if row is None or row.retired_at is not None:
            raise Invalid("指定されたキャンペーンが見つかりません。", code="unknown_campaign",
                          field=f"campaign_ids[{i}]")  # fmt: skip
        rule = to_rule(row)
        if not rule.runs_on(today):
            raise Invalid(f"「{rule.name}」は本日は実施期間外です。", code="campaign_not_running",
                          field=f"campaign_ids[{i}]")  # fmt: skip
        chosen.append(rule)
    return chosen
