"""Consumption tax by the invoice rule (インボイス制度): amounts are summed per tax rate and
each rate's tax is rounded once per order, never per line. Prices are tax-exclusive (税抜).
Shipping is taxed at the standard rate; a discount is shared between the rates in
proportion to their goods (the invoice must show the discount per rate)."""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

STANDARD_RATE = 10
REDUCED_RATE = 8
RATES = (STANDARD_RATE, REDUCED_RATE)


class Rounding(StrEnum):
    FLOOR = "floor"  # 切捨て
    HALF_UP = "half_up"  # 四捨五入
    CEIL = "ceil"  # 切上げ


def round_yen(value: Fraction, method: Rounding) -> int:
    if method is Rounding.FLOOR:
        return math.floor(value)
    if method is Rounding.CEIL:
        return math.ceil(value)
    return math.floor(value + Fraction(1, 2))


@dataclass(frozen=True)
class TaxedAmount:
    amount_yen: int
    tax_rate: int


@dataclass(frozen=True)
class RateTotal:
    tax_rate: int
    goods_yen: int
    discount_yen: int
    shipping_fee_yen: int
    taxable_yen: int  # goods − discount + shipping: the base the tax is computed on
    tax_yen: int


@dataclass(frozen=True)
class Totals:
    by_rate: tuple[RateTotal, ...]
    subtotal_yen: int  # goods before discount
    discount_yen: int
    shipping_fee_yen: int
    tax_yen: int
    total_yen: int


def share_discount(goods: dict[int, int], discount_yen: int) -> dict[int, int]:
    """The discount split over the rates in proportion to their goods; the remainder of the
    division goes to the largest share so that the parts add up exactly."""
    total = sum(goods.values())
    if total == 0 or discount_yen == 0:
        return {rate: 0 for rate in goods}
    shares = {rate: discount_yen * amount // total for rate, amount in goods.items()}
    largest = max(goods, key=lambda r: (goods[r], r))
    shares[largest] += discount_yen - sum(shares.values())
    return shares


def compute_totals(
    lines: Iterable[TaxedAmount], *, shipping_fee_yen: int, discount_yen: int, rounding: Rounding
) -> Totals:
    goods: dict[int, int] = defaultdict(int)
    for line in lines:
        goods[line.tax_rate] += line.amount_yen
    if shipping_fee_yen:
        goods.setdefault(STANDARD_RATE, 0)
    subtotal = sum(goods.values())
    discount = min(discount_yen, subtotal)  # a discount never makes the goods negative
    shares = share_discount(dict(goods), discount)
    by_rate = []
    for rate in sorted(goods, reverse=True):
        shipping = shipping_fee_yen if rate == STANDARD_RATE else 0
        taxable = goods[rate] - shares[rate] + shipping
        tax = round_yen(Fraction(taxable * rate, 100), rounding)
        by_rate.append(RateTotal(rate, goods[rate], shares[rate], shipping, taxable, tax))
    tax_yen = sum(r.tax_yen for r in by_rate)
    return Totals(
        by_rate=tuple(by_rate),
        subtotal_yen=subtotal,
        discount_yen=discount,
        shipping_fee_yen=shipping_fee_yen,
        tax_yen=tax_yen,
        total_yen=sum(r.taxable_yen for r in by_rate) + tax_yen,
    )
