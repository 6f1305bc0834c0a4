"""Web-shop orders (seed 002 拡張機能, Web予約システムとの連携): the shop posts its order signed
with the tenant's shop secret; it becomes an order like a phone one (same checks, campaigns
and tax), without typing. Idempotent on the shop's order number: a repeated post answers
the order already made and emits nothing. Callers own the transaction."""

from uuid import UUID

from contracts.orders import ShopCustomer
from kit import clock
from kit.errors import DomainError, Invalid
from kit.signing import signature_matches
from pydantic import BaseModel, Field

from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.use_cases.placing import Delivery, LineRequest, PlacedOrder, PlaceOrder, place_order
from orders.use_cases.shop_customers import ask_for_customer


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


class ShopMember(BaseModel):
    """Who ordered, as the shop knows them (its member, or a guest)."""

    name: str = Field(max_length=100)
    name_kana: str | None = Field(None, max_length=100)
    email: str = Field(max_length=254)
    phone: str | None = Field(None, max_length=30)


class ShopOrder(BaseModel):
    shop_order_number: str
    customer_id: UUID | None = None  # our customer id, when the shop's member is linked
    # who ordered, when the shop has no customer id of ours: resolved by the customer service
    customer: ShopMember | None = None
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
        _check_customer(shop.customer)
    products = await uow.masters.products_by_code(codes={line.product_code for line in shop.lines})
    for i, line in enumerate(shop.lines):
        if line.product_code not in products:
            raise Invalid(f"商品コード「{line.product_code}」は登録されていません。",
                          code="unknown_product", field=f"lines.{i}.product_code")  # fmt: skip
    member = None if shop.customer_id is not None else shop.customer
    customer = ShopCustomer(**member.model_dump()) if member else None
    cmd = PlaceOrder(
        customer_id=shop.customer_id,
        shop_customer=customer.model_dump() if customer else None,
        lines=tuple(LineRequest(products[ln.product_code].id, ln.quantity) for ln in shop.lines),
        delivery=Delivery(**shop.delivery.model_dump()),
        channel="web",
        shop_order_number=number,
        product_field="product_code",
        payer_kana=shop.payer_kana[:100],
    )
    now = clock.now()
    placed = await place_order(cmd, uow=uow, now=now)
    if customer is not None:
        await ask_for_customer(placed.order, customer=customer, received_at=now, uow=uow)
    return placed, True


def _check_customer(customer: ShopMember | None) -> None:
    """Without our customer id the shop must say who ordered: a name and a mail address (the
    identity rule joins by the mail)."""
    if customer is None:
        message = (
            "お客様を特定できません。顧客IDかお客様（お名前・メールアドレス）を指定してください。"
        )
        raise Invalid(message, code="customer_unlinked", field="customer")
    if not customer.name.strip():
        raise Invalid("お客様のお名前を入力してください。", code="required", field="customer.name")
    email = customer.email.strip()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise Invalid("お客様のメールアドレスが正しくありません。", code="invalid_email",
                      field="customer.email")  # fmt: skip
