"""The campaign rules engine: which campaigns apply, what they do and why."""

import uuid
from datetime import date

from kit.clock import japan_date
from orders.domain.campaigns import Campaign, CampaignKind, OrderFacts, evaluate

A, B, OTHER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def campaign(kind: CampaignKind, **extra) -> Campaign:  # type: ignore[no-untyped-def]
    return Campaign(uuid.uuid4(), str(kind), kind, *MARCH, **extra)


FREE = campaign(CampaignKind.FREE_SHIPPING)
NEW = campaign(CampaignKind.NEW_CUSTOMER_DISCOUNT, discount_yen=500)
GIFT = campaign(CampaignKind.GIFT_WITH_PRODUCT, trigger_product_id=A, gift_product_id=B)


def facts(*, today: date = date(2026, 3, 10), new: bool = True, products=(A,)) -> OrderFacts:  # type: ignore[no-untyped-def]
    names = {A: "健康トニック", OTHER: "健康テープ"}
    return OrderFacts(today=today, new_customer=new, product_names={p: names[p] for p in products},
                      gift_names={B: "ミニボトル"})  # fmt: skip


def test_all_three_apply_with_their_reasons() -> None:
    outcome = evaluate([FREE, NEW, GIFT], facts())
    assert outcome.free_shipping and outcome.discount_yen == 500
    assert outcome.gift_product_ids == (B,)
    reasons = {a.kind: a.reason for a in outcome.applied}
    assert reasons == {
        CampaignKind.FREE_SHIPPING: "3/1〜3/31 の送料無料期間中のため送料無料",
        CampaignKind.NEW_CUSTOMER_DISCOUNT: "初回のご注文のため 500円割引",
        CampaignKind.GIFT_WITH_PRODUCT: "「健康トニック」ご購入のため「ミニボトル」を同梱",
    }


def test_outside_the_period_nothing_applies_and_the_last_day_counts() -> None:
    assert evaluate([FREE, NEW, GIFT], facts(today=date(2026, 4, 1))).applied == ()
    assert evaluate([FREE], facts(today=date(2026, 3, 31))).free_shipping


def test_repeat_customer_gets_no_new_customer_discount() -> None:
    outcome = evaluate([NEW], facts(new=False))
    assert outcome.discount_yen == 0 and outcome.applied == ()


def test_gift_needs_the_trigger_product_and_a_gift_that_can_ship() -> None:
    assert evaluate([GIFT], facts(products=(OTHER,))).gift_product_ids == ()
    no_gift = OrderFacts(today=date(2026, 3, 10), new_customer=True,
                         product_names={A: "健康トニック"})  # fmt: skip
    assert evaluate([GIFT], no_gift).applied == ()


def test_japans_date_not_the_machines() -> None:
    from datetime import UTC, datetime

    assert japan_date(datetime(2026, 3, 31, 15, 30, tzinfo=UTC)) == date(2026, 4, 1)
    assert japan_date(datetime(2026, 3, 31, 14, 59, tzinfo=UTC)) == date(2026, 3, 31)
