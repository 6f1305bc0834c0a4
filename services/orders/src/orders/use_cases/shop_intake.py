"""Web-shop orders (seed 002 拡張機能, Web予約システムとの連携): the shop posts its order signed
with the tenant's shop secret; it becomes an order like a phone one (same checks, campaigns
and tax), without typing. Idempotent on the shop's order number: a repeated post answers
the order already made and emits nothing. Callers own the transaction."""

from uuid import UUID

from kit.errors import DomainError, Invalid
from kit.signing import signature_matches
from pydantic import BaseModel

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.use_cases.placing import Delivery, LineRequest, PlacedOrder, PlaceOrder, place_order


class BadSignature(DomainError):
    status_code = 401
    code = "bad_signature"


class ShopLine(BaseModel):
    product_code: str
    quantity: int


class ShopDelivery(BaseModel):
    kind: str = "home"
    name: str
    postal_code: str = ""
    prefecture: str
    address: str
    phone: str | None = None


class ShopOrder(BaseModel):
    shop_order_number: str
    customer_id: UUID | None = None  # our customer id, when the shop's member is linked
    lines: list[ShopLine]
    delivery: ShopDelivery
    payer_kana: str = ""  # the member's フリガナ, for bank transfers


async def receive_shop_order(
    shop: ShopOrder, *, body: bytes, signature: str | None, uow: OrdersUnitOfWork
) -> tuple[PlacedOrder, bool]:
    """The order (parsed from ``body``, over which the signature is checked) and whether
    this call made it."""
    settings = await uow.masters.settings()
    if settings is None or not signature_matches(body, signature, [settings.shop_secret]):
        raise BadSignature("署名が正しくありません。")
    number = shop.shop_order_number.strip()
    if not number or len(number) > 64:
        raise Invalid("ショップの注文番号が正しくありません。", code="invalid_shop_order_number",
                      field="shop_order_number")  # fmt: skip
    await uow.orders.lock_shop_number(shop_order_number=number)
    existing = await uow.orders.by_shop_number(shop_order_number=number)
    if existing is not None:
        lines = await uow.orders.lines(order_ids=[existing.id])
        return PlacedOrder(existing, lines[existing.id]), False
    if shop.customer_id is None:
        # Linking an unknown shop customer needs the customer service (see docs/orders.md).
        raise Invalid("顧客を特定できません。顧客IDを指定してください。", code="customer_unlinked",
                      field="customer_id")  # fmt: skip
    products = await uow.masters.products_by_code(codes={line.product_code for line in shop.lines})
    for i, line in enumerate(shop.lines):
        if line.product_code not in products:
            raise Invalid(f"商品コード「{line.product_code}」は登録されていません。",
                          code="unknown_product", field=f"lines.{i}.product_code")  # fmt: skip
    cmd = PlaceOrder(
        customer_id=shop.customer_id,
        lines=tuple(LineRequest(products[ln.product_code].id, ln.quantity) for ln in shop.lines),
        delivery=Delivery(**shop.delivery.model_dump()),
        channel="web",
        shop_order_number=number,
        product_field="product_code",
        payer_kana=shop.payer_kana[:100],
    )
    return await place_order(cmd, uow=uow), True
