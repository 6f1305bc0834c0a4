"""A bundle's (セット商品) line split into its items for the reporting model (issue 14,
decision 95): each item's quantity is the sets × its quantity in the set, the set's price is
shared out in proportion to the items' list prices × their quantities in the set (yen
integers by the largest remainder, so that the set's total is kept exactly), each item
keeps its own unit cost. The shares are taken per set, so that a return of some of the sets
at the set's price takes back the same shares exactly (``reporting.returned``)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from orders.domain.allocation import allocate
from orders.domain.reporting import LineFact


@dataclass(frozen=True)
class Component:
    product_id: UUID
    product_name: str
    quantity: int  # per set
    list_price_yen: int
    unit_cost_yen: int


def component(kept: dict[str, Any], master: Mapping[UUID, Any]) -> Component:
    """An item as the order line kept it (``components``), its list price or cost the
    master's (``price_yen``, ``cost_yen``) where the line did not keep it."""
    product_id = UUID(str(kept["product_id"]))
    now = master.get(product_id)
    price, cost = kept.get("unit_price_yen"), kept.get("unit_cost_yen")
    return Component(
        product_id, kept["product_name"], kept["quantity"],
        price if price is not None else (now.price_yen if now else 0),
        cost if cost is not None else (now.cost_yen if now else 0),
    )  # fmt: skip


@dataclass(frozen=True)
class SetLine:
    """The bundle line as ordered: ``quantity`` sets of ``set_id`` for ``amount_yen``."""

    set_id: UUID
    set_name: str
    line_no: int
    quantity: int
    amount_yen: int


def split(line: SetLine, components: list[Component]) -> list[LineFact]:
    """The bundle line as its items' lines, each naming the set it came in."""
    weights = [c.list_price_yen * c.quantity for c in components]
    if line.quantity > 0 and line.amount_yen % line.quantity == 0:
        per_set = allocate(line.amount_yen // line.quantity, weights)
        shares = [share * line.quantity for share in per_set]
    else:  # a price that is not sets × one price: shared out as a whole
        shares = allocate(line.amount_yen, weights)
    return [
        LineFact(product_id=c.product_id, product_name=c.product_name,
                 quantity=line.quantity * c.quantity, amount_yen=share,
                 unit_cost_yen=c.unit_cost_yen, set_id=line.set_id, set_name=line.set_name,
                 set_line=line.line_no, per_set=c.quantity)
        for c, share in zip(components, shares, strict=True)
    ]  # fmt: skip
