"""ORD-2 order entry, the same for the phone (受注入力) and the web shop: lines checked against
the tenant's products, campaigns evaluated, tax by the invoice rule, an order number, and
``OrderPlaced`` in the outbox of the same transaction. Callers own the transaction."""

import json
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import sqlalchemy as sa
from contracts.orders import OrderLine as OrderLineFact
from contracts.orders import OrderPlacedV1, TaxByRate
from kit.clock import japan_date
from kit.errors import Invalid

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain import campaigns as rules
from orders.domain.payments import payer_key
from orders.domain.prefectures import PREFECTURES
from orders.domain.tax import Rounding, TaxedAmount, Totals, compute_totals
from orders.use_cases import order_sets as sets
from orders.use_cases.catalogue import Catalogue
from orders.use_cases.masters import MAX_QUANTITY
from orders.use_cases.order_sets import BundleRequest, PlannedLine

DELIVERY_KINDS = ("home", "office", "gift")  # 自宅, 会社, ギフト(別の送付先)


@dataclass(frozen=True)
class LineRequest:
    product_id: UUID
    quantity: int


@dataclass(frozen=True)
class Delivery:
    kind: str
    name: str
    postal_code: str
    prefecture: str
    address: str
    phone: str | None = None


@dataclass(frozen=True)
class PlaceOrder:
    customer_id: UUID | None  # None: a web-shop order whose customer is not known yet
    lines: tuple[LineRequest, ...]
    delivery: Delivery | None  # None only in a quote: shipping not priced yet
    channel: str = "phone"
    staff_id: UUID | None = None
    medium_id: UUID | None = None
    campaign_ids: tuple[UUID, ...] | None = None  # None: every campaign running today
    shop_order_number: str | None = None
    product_field: str = "product_id"  # how the request names a line's product
    ships_on: date | None = None  # None: the day it is placed
    bundles: tuple[BundleRequest, ...] = ()  # set products ordered as one line each
    payer_kana: str = ""  # 振込名義 (フリガナ as typed), for the bank-transfer reconciliation
    subscription_id: UUID | None = None  # the 定期 a daily run placed it for
    shop_customer: dict[str, Any] | None = None  # the web shop's facts of an unknown customer


@dataclass(frozen=True)
class PlacedOrder:
    order: orm.Order
    lines: list[orm.OrderLine]


def _invalid(message: str, code: str, field: str) -> Invalid:
    return Invalid(message, code=code, field=field)


def check_delivery(delivery: Delivery) -> None:
    if delivery.kind not in DELIVERY_KINDS:
        raise _invalid("送付先の区分が正しくありません。", "invalid_choice", "delivery.kind")
    for name, label in (("name", "お届け先の氏名"), ("address", "お届け先の住所")):
        if not getattr(delivery, name).strip():
            raise _invalid(f"{label}を入力してください。", "required", f"delivery.{name}")
    if delivery.prefecture not in PREFECTURES:
        raise _invalid(
            "都道府県名が正しくありません。", "unknown_prefecture", "delivery.prefecture"
        )


async def _products(cmd: PlaceOrder, cat: Catalogue) -> dict[UUID, orm.Product]:
    if not cmd.lines and not cmd.bundles:
        raise _invalid("商品を1つ以上入力してください。", "required", "lines")
    found = await cat.many(orm.Product, ids={line.product_id for line in cmd.lines})
    for i, line in enumerate(cmd.lines):
        product = found.get(line.product_id)
        if not 1 <= line.quantity <= MAX_QUANTITY:
            raise _invalid(f"数量は1〜{MAX_QUANTITY:,}で入力してください。", "invalid_quantity",
                           f"lines.{i}.quantity")  # fmt: skip
        if product is None:
            field = f"lines.{i}.{cmd.product_field}"
            raise _invalid("指定された商品が見つかりません。", "unknown_product", field)
        if product.retired_at is not None or product.discontinued:
            field = f"lines.{i}.{cmd.product_field}"
            message = f"「{product.name}」は販売を終了しています。"
            raise _invalid(message, "product_discontinued", field)
    return found


async def _reference(cat: Catalogue, model: type, entry_id: UUID | None, field: str) -> None:
    if entry_id is None:
        return
    row = await cat.get(model, id=entry_id)
    if row is None or row.retired_at is not None:
        raise _invalid("指定されたマスタが見つかりません。", "unknown_reference", field)


async def _shipping_fee(delivery: Delivery, cat: Catalogue) -> int:
    fee = await cat.shipping_fee(delivery.prefecture)
    if fee is None:
        raise _invalid(f"{delivery.prefecture}の送料が登録されていません。", "shipping_fee_missing",
                       "delivery.prefecture")  # fmt: skip
    return fee.fee_yen


@dataclass(frozen=True)
class BuiltOrder:
    """An order checked and priced, not yet written (no number yet): its row and its lines'
    rows as column → value (plain values: the daily run builds thousands of them)."""

    order: dict[str, Any]
    lines: list[dict[str, Any]]
    subscription_id: UUID | None

    @property
    def order_id(self) -> UUID:
        return self.order["id"]


async def build_order(cmd: PlaceOrder, *, cat: Catalogue, now: datetime) -> BuiltOrder:
    """Every check and price of an order, reading through the catalogue and writing nothing:
    a refusal here leaves the transaction as it was."""
    today = japan_date(now)
    if cmd.delivery is not None:
        check_delivery(cmd.delivery)
    products = await _products(cmd, cat)
    planned = [PlannedLine(p.id, p.name, r.quantity, p.price_yen, p.tax_rate, "product")
               for r in cmd.lines for p in (products[r.product_id],)]  # fmt: skip
    planned += await sets.bundles(cmd.bundles, cat=cat)
    planned += await sets.companions(_ordered_products(planned), cat=cat)
    await _reference(cat, orm.Staff, cmd.staff_id, "staff_id")
    await _reference(cat, orm.Medium, cmd.medium_id, "medium_id")
    campaigns = await cat.campaigns(cmd.campaign_ids)
    gifts = await cat.many(
        orm.Product, ids={c.gift_product_id for c in campaigns if c.gift_product_id}
    )
    facts = rules.OrderFacts(
        today=today,
        # a customer not known yet (a web-shop order waiting for its link) is not taken as
        # new: whether they ordered before is known only once linked (decision 65)
        new_customer=cmd.customer_id is not None and await cat.new_customer(cmd.customer_id),
        product_names=_ordered_names(planned),
        gift_names={
            g.id: g.name for g in gifts.values() if g.retired_at is None and not g.discontinued
        },
    )
    outcome = rules.evaluate(campaigns, facts)
    no_fee = outcome.free_shipping or cmd.delivery is None
    shipping = 0 if no_fee else await _shipping_fee(cmd.delivery, cat)  # type: ignore[arg-type]

    order_id = uuid4()
    for gift_id in outcome.gift_product_ids:
        gift = gifts[gift_id]
        planned.append(PlannedLine(gift.id, gift.name, 1, 0, gift.tax_rate, "gift"))
    lines = [_line(order_id, i, p) for i, p in enumerate(planned)]
    settings = await cat.settings()
    rounding = Rounding(settings.tax_rounding if settings else Rounding.FLOOR)
    totals = compute_totals(
        (TaxedAmount(ln["amount_yen"], ln["tax_rate"]) for ln in lines),
        shipping_fee_yen=shipping,
        discount_yen=outcome.discount_yen,
        rounding=rounding,
    )
    if cmd.customer_id is not None:
        cat.ordered(cmd.customer_id)
    order = _order(cmd, order_id, now, totals, rounding, outcome)
    return BuiltOrder(order, lines, cmd.subscription_id)


_ORDER_COLUMNS = tuple(c.name for c in orm.Order.__table__.columns)
_LINE_COLUMNS = tuple(c.name for c in orm.OrderLine.__table__.columns)
_JSON_COLUMNS = frozenset({"delivery", "tax_by_rate", "campaigns", "components", "shop_customer"})


def _records(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """Rows as COPY records (JSON columns as their text; NULL stays NULL)."""
    return [
        tuple(
            json.dumps(v, ensure_ascii=False) if c in _JSON_COLUMNS and v is not None else v
            for c in columns
            for v in (row[c],)
        )
        for row in rows
    ]


async def persist(built: list[BuiltOrder], *, uow: OrdersUnitOfWork) -> None:
    """Numbers, rows and ``OrderPlaced`` events of built orders: one counter upsert, one COPY
    for the orders, one for their lines, one for the events (an order whose customer is not
    known yet announces itself once linked: ``shop_customers``)."""
    if not built:
        return
    first = await uow.orders.next_number(count=len(built))
    for i, b in enumerate(built):
        b.order["order_number"] = first + i
        b.order["tenant_id"] = uow.tenant_id
        for line in b.lines:
            line["tenant_id"] = uow.tenant_id
    await uow.orders.copy_orders(
        orders=_records([b.order for b in built], _ORDER_COLUMNS),
        lines=_records([ln for b in built for ln in b.lines], _LINE_COLUMNS),
        order_columns=_ORDER_COLUMNS,
        line_columns=_LINE_COLUMNS,
    )
    costs = await unit_costs([ln for b in built for ln in b.lines], uow=uow)
    events = [
        order_placed(b.order, b.lines, subscription_id=b.subscription_id, costs=costs)
        for b in built
        if b.order["customer_id"] is not None
    ]
    if len(events) == 1:
        await uow.add_event(events[0])
    elif events:
        await uow.add_events(events)


def placed_of(built: BuiltOrder) -> PlacedOrder:
    """The written order as the routes answer it (rows not attached to the session)."""
    return PlacedOrder(orm.Order(**built.order), [orm.OrderLine(**ln) for ln in built.lines])


async def quote_order(
    cmd: PlaceOrder, *, uow: OrdersUnitOfWork, now: datetime | None = None
) -> BuiltOrder:
    """What placing ``cmd`` would answer (lines, campaigns and why, totals per tax rate) by
    the same build, writing nothing: 受注入力's live totals. Without a delivery (a new
    address not typed yet) the shipping fee is left out."""
    now = now or datetime.now(UTC)
    if cmd.customer_id is not None:
        cmd = replace(cmd, customer_id=await uow.customer_refs.require(customer_id=cmd.customer_id))
    return await build_order(cmd, cat=Catalogue(uow, today=japan_date(now)), now=now)


async def place_order(
    cmd: PlaceOrder, *, uow: OrdersUnitOfWork, now: datetime | None = None
) -> PlacedOrder:
    """A phone, re-ordered or web-shop order. Its customer must be one of the tenant's (404
    otherwise; a merged-away id places it on the merge target) unless it is a web-shop order
    whose customer is not known yet."""
    if cmd.delivery is None:
        raise _invalid("お届け先を入力してください。", "required", "delivery")
    built = await quote_order(cmd, uow=uow, now=now)
    await persist([built], uow=uow)
    return placed_of(built)


async def unit_costs(lines: list[Any], *, uow: OrdersUnitOfWork) -> dict[UUID, int]:
    """Product (or set) id → its unit cost now (原価), a bundle's as its items' sum: one read
    for every order of a persist, for the events' gross profit. Lines as built (column →
    value) or as ORM rows read back."""
    lines = [ln if isinstance(ln, dict) else _row_values(ln) for ln in lines]
    ids = {ln["product_id"] for ln in lines if not ln["components"]}
    ids |= {UUID(str(c["product_id"])) for ln in lines for c in ln["components"] or []}
    found = await uow.masters.many(orm.Product, ids=ids)
    costs = {pid: p.cost_yen for pid, p in found.items()}
    for ln in lines:
        if ln["components"]:
            costs[ln["product_id"]] = sum(
                costs.get(UUID(str(c["product_id"])), 0) * c["quantity"] for c in ln["components"]
            )
    return costs


def _ordered_products(planned: list[PlannedLine]) -> dict[UUID, int]:
    """Product id → quantity ordered, a bundle's items counted (companions and gift rules
    see the products inside a bundle too)."""
    ordered: dict[UUID, int] = {}
    for p in planned:
        parts = p.components or [{"product_id": p.product_id, "quantity": 1}]
        for part in parts:
            key = UUID(str(part["product_id"]))
            ordered[key] = ordered.get(key, 0) + part["quantity"] * p.quantity
    return ordered


def _ordered_names(planned: list[PlannedLine]) -> dict[UUID, str]:
    names = {p.product_id: p.name for p in planned if p.kind == "product"}
    for p in planned:
        for part in p.components or []:
            names[UUID(str(part["product_id"]))] = part["product_name"]
    return names


def _line(order_id: UUID, i: int, p: PlannedLine) -> dict[str, Any]:
    return {
        "id": uuid4(),
        "tenant_id": None,
        "order_id": order_id,
        "line_no": i + 1,
        "product_id": p.product_id,
        "product_name": p.name,
        "quantity": p.quantity,
        "unit_price_yen": p.unit_price_yen,
        "tax_rate": p.tax_rate,
        "amount_yen": p.unit_price_yen * p.quantity,
        "is_gift": p.kind == "gift",
        "kind": p.kind,
        "components": p.components,
    }


def _flat(value: Any) -> dict[str, Any]:
    """A flat dataclass as a dict (``asdict`` copies deeply, and slowly)."""
    return {f.name: getattr(value, f.name) for f in fields(value)}


def _order(
    cmd: PlaceOrder,
    order_id: UUID,
    now: datetime,
    totals: Totals,
    rounding: Rounding,
    outcome: rules.Outcome,
) -> dict[str, Any]:
    return {
        "id": order_id,
        "tenant_id": None,
        "order_number": None,
        "customer_id": cmd.customer_id,
        "shop_customer": cmd.shop_customer,
        "channel": cmd.channel,
        "ordered_at": now,
        "ordered_on": japan_date(now),
        "ships_on": cmd.ships_on or japan_date(now),
        "staff_id": cmd.staff_id,
        "medium_id": cmd.medium_id,
        "shop_order_number": cmd.shop_order_number,
        "delivery": _flat(cmd.delivery) if cmd.delivery else {},
        "subtotal_yen": totals.subtotal_yen,
        "discount_yen": totals.discount_yen,
        "shipping_fee_yen": totals.shipping_fee_yen,
        "tax_yen": totals.tax_yen,
        "total_yen": totals.total_yen,
        "tax_rounding": str(rounding),
        "tax_by_rate": [_flat(part) for part in totals.by_rate],
        "campaigns": [_flat(a) | {"campaign_id": str(a.campaign_id)} for a in outcome.applied],
        "status": "placed",
        "cancelled_at": None,
        "cancel_reason_id": None,
        "payer_kana": payer_key(cmd.payer_kana),
        "paid_at": None,
        "payment_id": None,
        "created_at": now,
    }


def order_placed(
    order: Any,
    lines: list[Any],
    *,
    subscription_id: UUID | None = None,
    costs: dict[UUID, int] | None = None,
) -> OrderPlacedV1:
    """The facts consumers need (customer's history, lead activity, reports), of an order's
    row and lines as built (column → value) or as ORM rows read back."""
    o = order if isinstance(order, dict) else _row_values(order)
    rows = [ln if isinstance(ln, dict) else _row_values(ln) for ln in lines]
    return OrderPlacedV1(
        subscription_id=subscription_id,
        order_id=o["id"],
        customer_id=o["customer_id"],
        channel=o["channel"],
        ordered_at=o["ordered_at"],
        subtotal_yen=o["subtotal_yen"],
        tax_yen=o["tax_yen"],
        shipping_fee_yen=o["shipping_fee_yen"],
        discount_yen=o["discount_yen"],
        total_yen=o["total_yen"],
        order_number=o["order_number"],
        medium_id=o["medium_id"],
        staff_id=o["staff_id"],
        delivery_prefecture=(o["delivery"] or {}).get("prefecture"),
        campaign_ids=[UUID(str(c["campaign_id"])) for c in o["campaigns"] or []],
        lines=[
            OrderLineFact(
                product_id=ln["product_id"],
                product_name=ln["product_name"],
                quantity=ln["quantity"],
                unit_price_yen=ln["unit_price_yen"],
                tax_rate_percent=ln["tax_rate"],
                amount_yen=ln["amount_yen"],
                is_gift=ln["is_gift"],
                kind=ln["kind"],
                cost_yen=None if costs is None else costs.get(ln["product_id"]),
            )
            for ln in rows
        ],
        tax_by_rate=[
            TaxByRate(
                tax_rate_percent=part["tax_rate"],
                taxable_yen=part["taxable_yen"],
                tax_yen=part["tax_yen"],
            )
            for part in o["tax_by_rate"]
        ],
    )


def _row_values(row: Any) -> dict[str, Any]:
    return {c.key: getattr(row, c.key) for c in sa.inspect(type(row)).column_attrs}
