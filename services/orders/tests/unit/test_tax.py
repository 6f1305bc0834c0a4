"""Consumption tax by the invoice rule: one rounding per tax rate and order."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from orders.domain.tax import Rounding, TaxedAmount, compute_totals, round_yen, share_discount


def test_rounding_methods() -> None:
    assert [round_yen(Fraction(2495, 10), m) for m in Rounding] == [249, 250, 250]
    assert [round_yen(Fraction(2494, 10), m) for m in Rounding] == [249, 249, 250]
    assert [round_yen(Fraction(249), m) for m in Rounding] == [249, 249, 249]


def test_tax_is_rounded_once_per_rate_not_per_line() -> None:
    # Three lines of 99円 at 8 %: per line 7.92 → 7 each (21円); per order 23.76 → 23円.
    lines = [TaxedAmount(99, 8)] * 3
    totals = compute_totals(lines, shipping_fee_yen=0, discount_yen=0, rounding=Rounding.FLOOR)
    assert totals.tax_yen == 23
    assert totals.total_yen == 297 + 23


def test_hand_checked_order_with_discount_shipping_and_both_rates() -> None:
    """健康トニック 3,000円 × 2 (10 %), 黒酢ドリンク 1,280円 × 3 (8 %), a gift at 0円,
    500円 new-customer discount, 800円 shipping.

    goods: 10 % 6,000, 8 % 3,840, total 9,840. Discount shared: 10 % ⌊500·6000/9840⌋ = 304,
    8 % ⌊500·3840/9840⌋ = 195, the remaining 1円 to the larger (10 %) → 305 / 195.
    taxable: 10 % 6,000 − 305 + 800 = 6,495; 8 % 3,840 − 195 = 3,645.
    tax: 649.5 and 291.6 → 切捨て 649 + 291, 四捨五入 650 + 292, 切上げ 650 + 292."""
    lines = [TaxedAmount(6000, 10), TaxedAmount(3840, 8), TaxedAmount(0, 8)]
    expected = {Rounding.FLOOR: (649, 291), Rounding.HALF_UP: (650, 292), Rounding.CEIL: (650, 292)}
    for rounding, (tax10, tax8) in expected.items():
        totals = compute_totals(lines, shipping_fee_yen=800, discount_yen=500, rounding=rounding)
        standard, reduced = totals.by_rate
        assert (standard.tax_rate, standard.discount_yen, standard.taxable_yen) == (10, 305, 6495)
        assert (reduced.tax_rate, reduced.discount_yen, reduced.taxable_yen) == (8, 195, 3645)
        assert (standard.tax_yen, reduced.tax_yen) == (tax10, tax8)
        assert totals.subtotal_yen == 9840 and totals.discount_yen == 500
        assert totals.total_yen == 6495 + 3645 + tax10 + tax8


def test_discount_never_exceeds_the_goods_and_shipping_alone_is_standard_rate() -> None:
    totals = compute_totals(
        [TaxedAmount(300, 8)], shipping_fee_yen=500, discount_yen=1000, rounding=Rounding.FLOOR
    )
    assert totals.discount_yen == 300
    assert [(r.tax_rate, r.taxable_yen, r.tax_yen) for r in totals.by_rate] == [
        (10, 500, 50),
        (8, 0, 0),
    ]


amounts = st.lists(
    st.tuples(st.integers(0, 200_000), st.sampled_from([8, 10])), min_size=1, max_size=12
)


@given(
    lines=amounts,
    shipping=st.integers(0, 3000),
    discount=st.integers(0, 5000),
    rounding=st.sampled_from(list(Rounding)),
)
def test_property_tax_is_rounded_once_per_rate(lines, shipping, discount, rounding) -> None:  # type: ignore[no-untyped-def]
    totals = compute_totals(
        [TaxedAmount(a, r) for a, r in lines],
        shipping_fee_yen=shipping,
        discount_yen=discount,
        rounding=rounding,
    )
    for part in totals.by_rate:
        goods = sum(a for a, r in lines if r == part.tax_rate)
        assert part.goods_yen == goods
        exact = Fraction(part.taxable_yen * part.tax_rate, 100)
        # One rounding of the rate's whole base: within one yen of the exact tax, as the method says.
        assert part.tax_yen == round_yen(exact, rounding)
        assert abs(part.tax_yen - exact) < 1
    assert sum(p.discount_yen for p in totals.by_rate) == totals.discount_yen
    assert totals.discount_yen == min(discount, totals.subtotal_yen)
    assert totals.tax_yen == sum(p.tax_yen for p in totals.by_rate)
    assert totals.total_yen == (
        totals.subtotal_yen - totals.discount_yen + shipping + totals.tax_yen
    )


@given(goods=st.dictionaries(st.sampled_from([8, 10]), st.integers(0, 10**6), min_size=1),
       discount=st.integers(0, 10**6))  # fmt: skip
def test_property_discount_shares_add_up_and_stay_proportional(goods, discount) -> None:  # type: ignore[no-untyped-def]
    discount = min(discount, sum(goods.values()))
    shares = share_discount(goods, discount)
    assert sum(shares.values()) == discount
    total = sum(goods.values())
    for rate, share in shares.items():
        assert 0 <= share <= goods[rate] or total == 0
        if total:
            assert abs(share - Fraction(discount * goods[rate], total)) < len(goods)
