"""Set products in order entry (セット商品マスタ): a bundle (２個口以上のセット) is ordered as one
line, its price the sum of its items' and its rate theirs (a bundle mixing 10 % and 8 % items
is refused: the invoice needs its tax per rate), its items kept on the line for the picking
and the label; a companion set adds its items, at their own prices, to every order with its
trigger product (必ずセットでお届けする商品), whether the trigger is ordered alone or inside a
bundle. Callers own the transaction."""

from dataclasses import dataclass
from uuid import UUID

from kit.errors import Invalid

from orders.adapters import orm
from orders.use_cases.catalogue import Catalogue
from orders.use_cases.masters import MAX_QUANTITY


@dataclass(frozen=True)
class BundleRequest:
    set_id: UUID
    quantity: int


@dataclass(frozen=True)
class PlannedLine:
    """A line before it is numbered: a product, a bundle or a companion."""

    product_id: UUID  # the set's id for a bundle
    name: str
    quantity: int
    unit_price_yen: int
    tax_rate: int
    kind: str  # product | bundle | companion
    # a bundle's items: [{product_id, product_name, quantity, unit_price_yen, unit_cost_yen}]
    components: list[dict] | None = None


def _sellable(product: orm.Product | None) -> bool:
    return product is not None and product.retired_at is None and not product.discontinued


async def bundles(requests: tuple[BundleRequest, ...], *, cat: Catalogue) -> list[PlannedLine]:
    if not requests:
        return []
    sets = await cat.many(orm.SetProduct, ids={r.set_id for r in requests})
    item_ids = {UUID(str(i["product_id"])) for s in sets.values() for i in s.items}
    products = await cat.many(orm.Product, ids=item_ids)
    planned = []
    for i, req in enumerate(requests):
        found = sets.get(req.set_id)
        field = f"bundles.{i}"
        if found is None or found.retired_at is not None or found.kind != "bundle":
            raise Invalid("指定されたセット商品が見つかりません。", code="unknown_set",
                          field=f"{field}.set_id")  # fmt: skip
        if not 1 <= req.quantity <= MAX_QUANTITY:
            raise Invalid(f"数量は1〜{MAX_QUANTITY:,}で入力してください。", code="invalid_quantity",
                          field=f"{field}.quantity")  # fmt: skip
        items = [(products.get(UUID(str(it["product_id"]))), it["quantity"]) for it in found.items]
        for product, _ in items:
            if not _sellable(product):
                name = product.name if product else "商品"
                raise Invalid(f"セット「{found.name}」の「{name}」は販売を終了しています。",
                              code="product_discontinued", field=f"{field}.set_id")  # fmt: skip
        rates = {p.tax_rate for p, _ in items if p is not None}
        if len(rates) != 1:
            raise Invalid(f"セット「{found.name}」は税率の異なる商品を含むため1行で受注できません。",
                          code="mixed_rate_bundle", field=f"{field}.set_id")  # fmt: skip
        planned.append(PlannedLine(
            product_id=found.id, name=found.name, quantity=req.quantity,
            unit_price_yen=sum(p.price_yen * q for p, q in items if p is not None),
            tax_rate=rates.pop(), kind="bundle",
            # each item's list price and cost as ordered: the reports share the set out by them
            components=[{"product_id": str(p.id), "product_name": p.name, "quantity": q,
                         "unit_price_yen": p.price_yen, "unit_cost_yen": p.cost_yen}
                        for p, q in items if p is not None],
        ))  # fmt: skip
    return planned


async def companions(ordered: dict[UUID, int], *, cat: Catalogue) -> list[PlannedLine]:
    """The companions of the ordered products (product id → quantity, bundles' items counted),
    each item times its trigger's quantity."""
    planned = []
    for found in await cat.companion_sets(trigger_ids=set(ordered)):
        trigger_quantity = ordered[found.trigger_product_id]
        ids = {UUID(str(it["product_id"])) for it in found.items}
        products = await cat.many(orm.Product, ids=ids)
        for item in found.items:
            product = products.get(UUID(str(item["product_id"])))
            if not _sellable(product):
                raise Invalid(f"「{found.name}」で同梱する商品が販売を終了しています。マスタを確認してください。",
                              code="companion_discontinued", field="lines")  # fmt: skip
            assert product is not None
            planned.append(PlannedLine(product.id, product.name,
                                       item["quantity"] * trigger_quantity, product.price_yen,
                                       product.tax_rate, "companion"))  # fmt: skip
    return planned
