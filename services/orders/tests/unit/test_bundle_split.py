"""A bundle's line split into its items for the product reports, figures by hand."""

import uuid

from orders.domain.bundles import Component, allocate, split

TONIC, VINEGAR = uuid.uuid4(), uuid.uuid4()


def test_shares_follow_the_list_prices_and_keep_the_total() -> None:
    assert allocate(3000, [1000, 2000]) == [1000, 2000]
    # 1,001 split 1:2 → 333.67 and 667.33: floors 333 + 667 = 1,000, the yen left to the
    # larger remainder (the first's .67)
    assert allocate(1001, [1, 2]) == [334, 667]
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]  # a tie goes to the first
    assert allocate(-1001, [1, 2]) == [-334, -667]  # a return takes back the same shares
    assert allocate(500, [0, 0]) == [250, 250]
    assert allocate(0, [3, 5]) == [0, 0]


def test_a_set_line_becomes_its_items() -> None:
    items = [Component(TONIC, "健康トニック", 1, 1000, 400),
             Component(VINEGAR, "黒酢ドリンク", 2, 1000, 300)]  # fmt: skip
    # 3 sets for 8,000: weights 1,000 and 2 × 1,000 → 2,666.67 and 5,333.33 → 2,667 + 5,333
    lines = split(3, 8000, items)
    assert [(ln.product_id, ln.quantity, ln.amount_yen, ln.unit_cost_yen) for ln in lines] == [
        (TONIC, 3, 2667, 400), (VINEGAR, 6, 5333, 300)]  # fmt: skip
    assert sum(ln.amount_yen for ln in lines) == 8000
