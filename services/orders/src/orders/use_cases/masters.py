"""ORD-1 masters: added, edited and retired (a retired entry stays on old orders and can be
read by id; lists leave it out unless asked). Each kind checks its own fields and
references within the tenant. Callers own the transaction."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from kit.errors import Conflict, Invalid, NotFound

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain.campaigns import CampaignKind
from orders.domain.prefectures import PREFECTURES
from orders.domain.tax import RATES

Fields = dict[str, Any]
MAX_YEN = 100_000_000  # one price or fee; keeps every amount inside its integer column
MAX_QUANTITY = 9_999
Check = Callable[[Fields, UUID | None, OrdersUnitOfWork], Awaitable[None]]


@dataclass(frozen=True)
class MasterKind:
    model: type
    label: str  # what the user calls it, for messages
    check: Check


def _text(fields: Fields, name: str, label: str) -> None:
    value = fields.get(name)
    if value is None or not str(value).strip():
        raise Invalid(f"{label}を入力してください。", code="required", field=name)
    fields[name] = str(value).strip()


def _not_negative(fields: Fields, name: str, label: str) -> None:
    value = fields.get(name, 0)
    if value < 0:
        raise Invalid(f"{label}は0以上で入力してください。", code="negative", field=name)
    if value > MAX_YEN:
        raise Invalid(f"{label}が大きすぎます。", code="too_large", field=name)


def _one_of(fields: Fields, name: str, allowed: tuple[str, ...], label: str) -> None:
    if fields.get(name) not in allowed:
        raise Invalid(f"{label}が正しくありません。", code="invalid_choice", field=name)


async def _current(
    uow: OrdersUnitOfWork, model: type, entry_id: UUID | None, field: str, label: str
) -> None:
    """A reference must name a current entry of the same tenant."""
    if entry_id is None:
        return
    row = await uow.masters.get(model, id=entry_id)
    if row is None or row.retired_at is not None:
        raise Invalid(f"指定された{label}が見つかりません。", code="unknown_reference", field=field)


async def _check_staff(fields: Fields, _: UUID | None, uow: OrdersUnitOfWork) -> None:
    _text(fields, "name", "担当者名")
    _one_of(fields, "role", ("operator", "sales"), "担当区分")


async def _check_medium(fields: Fields, _: UUID | None, uow: OrdersUnitOfWork) -> None:
    _text(fields, "name", "広告名")


async def _check_category(fields: Fields, _: UUID | None, uow: OrdersUnitOfWork) -> None:
    _text(fields, "name", "商品分類名")


async def _check_product(fields: Fields, entry_id: UUID | None, uow: OrdersUnitOfWork) -> None:
    _text(fields, "code", "商品コード")
    _text(fields, "name", "商品名")
    _not_negative(fields, "price_yen", "価格")
    _not_negative(fields, "cost_yen", "原価")
    if fields.get("tax_rate") not in RATES:
        raise Invalid("税率は10%または軽減税率8%です。", code="invalid_tax_rate", field="tax_rate")
    await _current(uow, orm.ProductCategory, fields.get("category_id"), "category_id", "商品分類")
    same_code = await uow.masters.product_by_code(code=fields["code"])
    if same_code is not None and same_code.id != entry_id:
        raise Conflict(
            f"商品コード「{fields['code']}」は既に登録されています。",
            code="duplicate_code",
            field="code",
        )


async def _check_set(fields: Fields, _: UUID | None, uow: OrdersUnitOfWork) -> None:
    _text(fields, "name", "セット商品名")
    _one_of(fields, "kind", ("bundle", "companion"), "セット区分")
    items = fields.get("items") or []
    if not items:
        raise Invalid("セットの商品を1つ以上指定してください。", code="required", field="items")
    for i, item in enumerate(items):
        if not 1 <= item["quantity"] <= MAX_QUANTITY:
            raise Invalid(
                f"数量は1〜{MAX_QUANTITY:,}で入力してください。",
                code="invalid_quantity",
                field=f"items.{i}.quantity",
            )
        await _current(uow, orm.Product, item["product_id"], f"items.{i}.product_id", "商品")
        item["product_id"] = str(item["product_id"])
    if fields["kind"] == "bundle" and sum(item["quantity"] for item in items) < 2:
        raise Invalid(
            "セット商品は2個以上の商品で作成してください。", code="bundle_too_small", field="items"
        )
    if fields["kind"] == "companion":
        if fields.get("trigger_product_id") is None:
            raise Invalid(
                "対象の商品を指定してください。", code="required", field="trigger_product_id"
            )
        await _current(uow, orm.Product, fields["trigger_product_id"], "trigger_product_id", "商品")


async def _check_shipping(fields: Fields, entry_id: UUID | None, uow: OrdersUnitOfWork) -> None:
    if fields.get("prefecture") not in PREFECTURES:
        raise Invalid(
            "都道府県名が正しくありません。", code="unknown_prefecture", field="prefecture"
        )
    _not_negative(fields, "fee_yen", "送料")
    current = await uow.masters.shipping_fee(prefecture=fields["prefecture"])
    if current is not None and current.id != entry_id:
        raise Conflict(
            f"{fields['prefecture']}の送料は既に登録されています。",
            code="duplicate_prefecture",
            field="prefecture",
        )


async def _check_reason(fields: Fields, _: UUID | None, uow: OrdersUnitOfWork) -> None:
    _one_of(fields, "kind", ("return", "cancel"), "理由の区分")
    _text(fields, "text", "理由")


async def _check_campaign(fields: Fields, _: UUID | None, uow: OrdersUnitOfWork) -> None:
    _text(fields, "name", "キャンペーン名")
    _one_of(fields, "kind", tuple(CampaignKind), "キャンペーンの種類")
    if fields["ends_on"] < fields["starts_on"]:
        raise Invalid(
            "終了日は開始日以降の日付にしてください。", code="invalid_period", field="ends_on"
        )
    kind = CampaignKind(fields["kind"])
    _not_negative(fields, "discount_yen", "割引額")
    if kind is CampaignKind.NEW_CUSTOMER_DISCOUNT and fields.get("discount_yen", 0) <= 0:
        raise Invalid(
            "割引額は1円以上で入力してください。", code="invalid_discount", field="discount_yen"
        )
    if kind is CampaignKind.GIFT_WITH_PRODUCT:
        for name in ("trigger_product_id", "gift_product_id"):
            if fields.get(name) is None:
                raise Invalid("商品を指定してください。", code="required", field=name)
            await _current(uow, orm.Product, fields[name], name, "商品")


async def _check_survey(fields: Fields, _: UUID | None, uow: OrdersUnitOfWork) -> None:
    _text(fields, "text", "設問")
    _one_of(fields, "answer_kind", ("choice", "text"), "回答の形式")
    choices = [str(c).strip() for c in fields.get("choices") or []]
    if fields["answer_kind"] == "text":
        fields["choices"] = []
        return
    if len(choices) < 2:
        raise Invalid("選択肢を2つ以上入力してください。", code="too_few_choices", field="choices")
    for i, choice in enumerate(choices):
        if not choice or choice in choices[:i]:
            raise Invalid("選択肢は空欄にせず、重ならないように入力してください。",
                          code="invalid_choice", field=f"choices.{i}")  # fmt: skip
    fields["choices"] = choices


KINDS: dict[str, MasterKind] = {
    "staff": MasterKind(orm.Staff, "担当者", _check_staff),
    "media": MasterKind(orm.Medium, "広告", _check_medium),
    "product-categories": MasterKind(orm.ProductCategory, "商品分類", _check_category),
    "products": MasterKind(orm.Product, "商品", _check_product),
    "set-products": MasterKind(orm.SetProduct, "セット商品", _check_set),
    "shipping-fees": MasterKind(orm.ShippingFee, "送料", _check_shipping),
    "reasons": MasterKind(orm.Reason, "解約・返品理由", _check_reason),
    "campaigns": MasterKind(orm.CampaignRow, "キャンペーン", _check_campaign),
    "survey-questions": MasterKind(orm.SurveyQuestion, "アンケートの設問", _check_survey),
}


async def get_entry(kind: MasterKind, *, entry_id: UUID, uow: OrdersUnitOfWork) -> Any:
    row = await uow.masters.get(kind.model, id=entry_id)
    if row is None:
        raise NotFound(f"{kind.label}が見つかりません。")
    return row


async def list_entries(kind: MasterKind, *, include_retired: bool, uow: OrdersUnitOfWork) -> list:
    return await uow.masters.entries(kind.model, include_retired=include_retired)


async def add_entry(kind: MasterKind, *, fields: Fields, uow: OrdersUnitOfWork) -> Any:
    await kind.check(fields, None, uow)
    row = kind.model(id=uuid4(), **fields)
    uow.masters.add(row)
    await uow.masters.flush()
    return row


async def update_entry(
    kind: MasterKind, *, entry_id: UUID, fields: Fields, uow: OrdersUnitOfWork
) -> Any:
    row = await get_entry(kind, entry_id=entry_id, uow=uow)
    await kind.check(fields, entry_id, uow)
    for name, value in fields.items():
        setattr(row, name, value)
    await uow.masters.flush()
    return row


async def retire_entry(kind: MasterKind, *, entry_id: UUID, uow: OrdersUnitOfWork) -> Any:
    """Retiring twice keeps the first date."""
    row = await get_entry(kind, entry_id=entry_id, uow=uow)
    if row.retired_at is None:
        row.retired_at = datetime.now(UTC)
        await uow.masters.flush()
    return row
