"""ORD-6's reporting model, the rules without I/O: what an order adds to the monthly
aggregates, and what a cancel or a return takes back out of them.

Sales (売上) are tax-exclusive: an order's are its goods less its discount (値引き is per order,
so the per-product figures are the lines' amounts before it); gross profit (粗利) is sales less
the cost (原価) the event carried for each line when ordered. A cancel takes the whole order
back out; a return its lines' amounts and costs (shipping and the discount stay with the
order, as the refund leaves them). Both are counted in the order's month (the month it was
placed, Japan's time): a report of a past month is restated, never booked twice. Shipped
quantities (出荷個数) are placed less cancelled: a returned item was shipped.

A bundle (セット商品) is kept as its items' lines, each naming its set (``domain/bundles.py``):
the product reports count the items, a return of the set takes back each item's share.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from kit.clock import japan_date

from orders.domain.allocation import allocate

NONE = UUID(int=0)  # no medium / no staff: a key of its own in the aggregates


def month_of(moment: datetime) -> date:
    return japan_date(moment).replace(day=1)


@dataclass(frozen=True)
class LineFact:
    product_id: UUID
    product_name: str
    quantity: int
    amount_yen: int
    unit_cost_yen: int
    returned_quantity: int = 0
    returned_yen: int = 0
    # an item of a bundle line: the set, its line in the order, the item's quantity per set
    set_id: UUID | None = None
    set_name: str = ""
    set_line: int = 0
    per_set: int = 1

    @property
    def ordered_as(self) -> UUID:
        """What the order line named: the set for a bundle's item, else the product."""
        return self.set_id or self.product_id

    @property
    def kept_quantity(self) -> int:
        return self.quantity - self.returned_quantity

    @property
    def sales_yen(self) -> int:
        return self.amount_yen - self.returned_yen

    @property
    def cost_yen(self) -> int:
        return self.unit_cost_yen * self.kept_quantity


@dataclass(frozen=True)
class OrderFact:
    order_id: UUID
    customer_id: UUID
    ordered_at: datetime
    medium_key: UUID
    staff_key: UUID
    prefecture: str
    discount_yen: int
    shipping_yen: int
    lines: tuple[LineFact, ...]
    status: str = "placed"
    outcome: str = ""

    @property
    def month(self) -> date:
        return month_of(self.ordered_at)

    @property
    def sales_yen(self) -> int:
        return sum(ln.sales_yen for ln in self.lines) - self.discount_yen

    @property
    def cost_yen(self) -> int:
        return sum(ln.cost_yen for ln in self.lines)


@dataclass(frozen=True)
class OrderDelta:
    orders: int
    sales_yen: int
    cost_yen: int
    shipping_yen: int


@dataclass(frozen=True)
class ProductDelta:
    product_id: UUID
    product_name: str
    quantity: int
    returned_quantity: int
    sales_yen: int
    cost_yen: int


@dataclass(frozen=True)
class Deltas:
    """What one event changes in the aggregates of its order's month and keys."""

    order: OrderDelta
    products: list[ProductDelta] = field(default_factory=list)


def placed(fact: OrderFact) -> Deltas:
    products = [ProductDelta(ln.product_id, ln.product_name, ln.quantity, 0, ln.amount_yen,
                             ln.unit_cost_yen * ln.quantity) for ln in fact.lines]  # fmt: skip
    return Deltas(OrderDelta(1, fact.sales_yen, fact.cost_yen, fact.shipping_yen), products)


def cancelled(fact: OrderFact) -> Deltas:
    """The order as it stands (less what was already returned) taken back out."""
    products = [ProductDelta(ln.product_id, ln.product_name, -ln.quantity, -ln.returned_quantity,
                             -ln.sales_yen, -ln.cost_yen) for ln in fact.lines]  # fmt: skip
    return Deltas(OrderDelta(-1, -fact.sales_yen, -fact.cost_yen, -fact.shipping_yen), products)


@dataclass(frozen=True)
class Returned:
    product_id: UUID
    quantity: int
    amount_yen: int


def returned(fact: OrderFact, items: list[Returned]) -> tuple[OrderFact, Deltas]:
    """The order with the returned items marked on its lines, and the deltas."""
    lines = list(fact.lines)
    products = [delta for item in items for delta in take_back(lines, item)]
    after = replace(fact, lines=tuple(lines))
    delta = OrderDelta(0, after.sales_yen - fact.sales_yen, after.cost_yen - fact.cost_yen, 0)
    return after, Deltas(delta, products)


def take_back(lines: list[LineFact], item: Returned) -> list[ProductDelta]:
    """One returned item marked on ``lines`` (in place): on the first lines of the product, or
    of the set, with room for it. A set's return is shared out over its items as the line
    was, in proportion to their amounts (so sets returned at the set's price take back each
    item's share exactly)."""
    products: list[ProductDelta] = []
    left_qty, left_yen = item.quantity, item.amount_yen
    for group in _ordered_lines(lines):
        first = lines[group[0]]
        kept = first.kept_quantity // first.per_set  # sets (or units) not yet back
        if first.ordered_as != item.product_id or kept <= 0 or left_qty <= 0:
            continue
        qty = min(left_qty, kept)
        line_qty = first.quantity // first.per_set
        line_yen = sum(lines[i].amount_yen for i in group)
        yen = left_yen if qty == left_qty else line_yen * qty // line_qty
        shares = allocate(yen, [lines[i].amount_yen for i in group])
        for i, share in zip(group, shares, strict=True):
            ln = lines[i]
            units = qty * ln.per_set
            lines[i] = replace(ln, returned_quantity=ln.returned_quantity + units,
                               returned_yen=ln.returned_yen + share)  # fmt: skip
            products.append(ProductDelta(ln.product_id, ln.product_name, 0, units, -share,
                                         -ln.unit_cost_yen * units))  # fmt: skip
        left_qty, left_yen = left_qty - qty, left_yen - yen
    return products


def _ordered_lines(lines: list[LineFact]) -> list[list[int]]:
    """The order's lines as ordered: a product line alone, a bundle line's items together."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i, ln in enumerate(lines):
        groups.setdefault((ln.set_line, i) if ln.set_id is None else (ln.set_line, -1), []).append(
            i
        )
    return list(groups.values())
