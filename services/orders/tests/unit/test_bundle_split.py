"""A bundle's line split into its items for the product reports, and a return of some of its
sets taking back each item's share: figures by hand."""

import uuid
from datetime import UTC, datetime

from orders.domain import reporting as model
from orders.domain.allocation import allocate
from orders.domain.bundles import Component, SetLine, component, split

TONIC, VINEGAR, SET = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ITEMS = [Component(TONIC, "健康トニック", 1, 1000, 400),
         Component(VINEGAR, "黒酢ドリンク", 2, 1000, 300)]  # fmt: skip


def test_shares_follow_the_list_prices_and_keep_the_total() -> None:
    assert allocate(3000, [1000, 2000]) == [1000, 2000]
    # 1,001 split 1:2 → 333.67 and 667.33: floors 333 + 667 = 1,000, the yen left to the
    # larger remainder (the first's .67)
    assert allocate(1001, [1, 2]) == [334, 667]
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]  # a tie goes to the first
    assert allocate(-1001, [1, 2]) == [-334, -667]  # a return takes back the same shares
    assert allocate(500, [0, 0]) == [250, 250]
    assert allocate(0, [3, 5]) == [0, 0]


def test_a_set_line_becomes_its_items_shared_out_per_set() -> None:
    # 3 sets at 2,700 (a set price below the items' 3,000): per set 1,000 : 2 × 1,000 →
    # 900 + 1,800, so 2,700 + 5,400 = 8,100 for the three
    lines = split(SetLine(SET, "お試しセット", 2, 3, 8100), ITEMS)
    assert [(ln.product_id, ln.quantity, ln.amount_yen, ln.unit_cost_yen, ln.per_set)
            for ln in lines] == [(TONIC, 3, 2700, 400, 1), (VINEGAR, 6, 5400, 300, 2)]  # fmt: skip
    assert {(ln.set_id, ln.set_name, ln.set_line) for ln in lines} == {(SET, "お試しセット", 2)}
    # a set price of 1,001: 333.67 + 667.33 → 334 + 667 per set, × 2 sets
    odd = split(SetLine(SET, "お試しセット", 1, 2, 2002), ITEMS)
    assert [ln.amount_yen for ln in odd] == [668, 1334]
    # a total that is not sets × one price is shared out as a whole
    whole = split(SetLine(SET, "お試しセット", 1, 3, 8000), ITEMS)
    assert [ln.amount_yen for ln in whole] == [2667, 5333]


def _order(lines: list[model.LineFact]) -> model.OrderFact:
    return model.OrderFact(uuid.uuid4(), uuid.uuid4(), datetime(2026, 12, 1, tzinfo=UTC),
                           model.NONE, model.NONE, "佐賀県", 0, 500, tuple(lines))  # fmt: skip


def test_a_returned_set_takes_back_each_items_share() -> None:
    tonic_alone = model.LineFact(TONIC, "健康トニック", 2, 2000, 400)  # also bought on its own
    fact = _order([tonic_alone, *split(SetLine(SET, "お試しセット", 2, 3, 8100), ITEMS)])
    # one of the three sets back at its price, 2,700: 900 tonic + 1,800 vinegar (2 bottles)
    after, deltas = model.returned(fact, [model.Returned(SET, 1, 2700)])
    assert [(d.product_id, d.returned_quantity, d.sales_yen, d.cost_yen) for d in deltas.products
            ] == [(TONIC, 1, -900, -400), (VINEGAR, 2, -1800, -600)]  # fmt: skip
    assert after.lines[0] == tonic_alone  # the tonic bought alone is not the set's
    assert (deltas.order.sales_yen, deltas.order.cost_yen) == (-2700, -1000)
    assert after.sales_yen == 2000 + 8100 - 2700
    # the tonic returned on its own comes off its own line; the two sets left can come back,
    # a third cannot (nothing is taken back twice)
    after, deltas = model.returned(after, [model.Returned(TONIC, 1, 1000),
                                           model.Returned(SET, 3, 8100)])  # fmt: skip
    assert [(d.product_id, d.returned_quantity, d.sales_yen) for d in deltas.products] == [
        (TONIC, 1, -1000), (TONIC, 2, -1800), (VINEGAR, 4, -3600)]  # fmt: skip
    assert [ln.kept_quantity for ln in after.lines] == [1, 0, 0]


def test_an_item_without_the_price_it_was_ordered_at_takes_the_masters() -> None:
    class Now:
        price_yen, cost_yen = 1200, 500

    kept = {"product_id": str(TONIC), "product_name": "健康トニック", "quantity": 2}
    assert component(kept, {TONIC: Now()}) == Component(TONIC, "健康トニック", 2, 1200, 500)
    kept |= {"unit_price_yen": 1000, "unit_cost_yen": 400}
    assert component(kept, {TONIC: Now()}) == Component(TONIC, "健康トニック", 2, 1000, 400)
