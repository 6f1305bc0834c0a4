"""A bundle's (セット商品) line split into its items for the product-based reports (issue 14):
quantity × each item's quantity in the set, sales allocated in proportion to the items' list
prices × their quantities in the set, and the total kept exactly in yen by the largest
remainder. Not yet wired into the reporting handlers or the rebuild (see decision 95)."""

from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class Component:
    product_id: UUID
    product_name: str
    quantity: int  # per set
    list_price_yen: int
    unit_cost_yen: int


@dataclass(frozen=True)
class ComponentLine:
    product_id: UUID
    product_name: str
    quantity: int
    amount_yen: int
    unit_cost_yen: int


def allocate(total_yen: int, weights: list[int]) -> list[int]:
    """``total_yen`` split in proportion to ``weights``, integers summing to it exactly: each
    share floored, the yen left over given one each to the largest remainders (ties: first).
    All weights zero: equal weights."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    sign, total = (-1, -total_yen) if total_yen < 0 else (1, total_yen)
    floors = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return [sign * f for f in floors]


def split(quantity: int, amount_yen: int, components: list[Component]) -> list[ComponentLine]:
    """A bundle line of ``quantity`` sets for ``amount_yen`` as its items' lines."""
    shares = allocate(amount_yen, [c.list_price_yen * c.quantity for c in components])
    return [ComponentLine(c.product_id, c.product_name, quantity * c.quantity, share,
                          c.unit_cost_yen) for c, share in zip(components, shares, strict=True)]  # fmt: skip
