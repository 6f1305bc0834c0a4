"""ORD-5 shipping: the tenant's shipper details (ご依頼主), label data for Yamato B2クラウド and
Sagawa e飛伝Ⅱ of the orders to ship (characters outside JIS X 0208 reported per order, never
replaced), the tracking-number import of the carrier's re-export (matched by お客様管理番号,
else by phone and postal code; the whole file or nothing), and the shipping check list
(出荷確認一覧). Callers own the transaction."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from kit import clock
from kit.errors import Invalid

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain import labels, tracking
from orders.domain.jis import outside_jis

SHIPPER_FIELDS = {"name": "ご依頼主名", "phone": "電話番号", "postal_code": "郵便番号",
                  "address": "住所"}  # fmt: skip


async def get_shipper(*, uow: OrdersUnitOfWork) -> orm.ShipperSettings | None:
    return await uow.shipping.shipper()


def _check_shipper(fields: dict[str, Any]) -> None:
    for name, label in SHIPPER_FIELDS.items():
        fields[name] = str(fields.get(name) or "").strip()
        if not fields[name]:
            raise Invalid(f"{label}を入力してください。", code="required", field=name)
        bad = outside_jis(fields[name])
        if bad:
            raise Invalid(f"{label}に送り状で使えない文字「{'」「'.join(bad)}」があります。",
                          code="outside_jis", field=name)  # fmt: skip
    digit_rules = (("phone", 10, 11, "電話番号は10〜11桁の数字です。"),
                   ("postal_code", 7, 7, "郵便番号は7桁の数字です。"))  # fmt: skip
    for name, low, high, message in digit_rules:
        if not low <= len(re.sub(r"\D", "", fields[name])) <= high:
            raise Invalid(message, code="invalid_format", field=name)
    codes = (("yamato_billing_code", r"(\d{10,12})?", "ご請求先顧客コードは10〜12桁の数字です。"),
             ("yamato_billing_class", r"(\d{3})?", "ご請求先分類コードは3桁の数字です。"),
             ("yamato_freight_number", r"\d{2}", "運賃管理番号は2桁の数字です。"),
             ("sagawa_customer_code", r"(\d{8,12})?", "佐川のお客様コードは8〜12桁の数字です。"))  # fmt: skip
    for name, pattern, message in codes:
        fields[name] = str(fields.get(name) or "").strip()
        if not re.fullmatch(pattern, fields[name]):
            raise Invalid(message, code="invalid_format", field=name)


async def put_shipper(*, fields: dict[str, Any], uow: OrdersUnitOfWork) -> orm.ShipperSettings:
    _check_shipper(fields)
    row = await uow.shipping.shipper()
    if row is None:
        row = orm.ShipperSettings(tenant_id=uow.tenant_id, **fields)
        uow.shipping.add(row)
    else:
        for name, value in fields.items():
            setattr(row, name, value)
    await uow.shipping.flush()
    return row


async def _shipper_for(carrier: labels.Carrier, uow: OrdersUnitOfWork) -> labels.Shipper:
    row = await uow.shipping.shipper()
    if row is None:
        raise Invalid("ご依頼主（出荷元）の設定がありません。先に出荷元を登録してください。",
                      code="shipper_missing", field="carrier")  # fmt: skip
    if carrier is labels.Carrier.YAMATO_B2 and not row.yamato_billing_code:
        raise Invalid("ヤマトのご請求先顧客コードが登録されていません。", code="shipper_missing",
                      field="carrier")  # fmt: skip
    return labels.Shipper(row.name, row.phone, row.postal_code, row.address,
                          row.yamato_billing_code, row.yamato_billing_class,
                          row.yamato_freight_number, row.sagawa_customer_code)  # fmt: skip


def _parcel(order: orm.Order, lines: list[orm.OrderLine]) -> labels.Parcel:
    d = order.delivery
    return labels.Parcel(
        order_number=order.order_number, ships_on=order.ships_on, name=d["name"],
        phone=d.get("phone") or "", postal_code=d.get("postal_code") or "",
        prefecture=d["prefecture"], address=d["address"],
        items=tuple(f"{ln.product_name}×{ln.quantity}" for ln in lines),
    )  # fmt: skip


@dataclass(frozen=True)
class LabelFile:
    content: bytes
    orders: int
    problems: list[labels.Problem]


async def label_file(
    *, carrier: labels.Carrier, day: date, leave_out: bool, uow: OrdersUnitOfWork
) -> LabelFile:
    """The label data of the orders to ship by ``day``. An order with a problem refuses the
    file (422 listing every problem), unless ``leave_out``: then the file has the others."""
    shipper = await _shipper_for(carrier, uow)
    orders = await uow.shipping.to_ship(until=day)
    lines = await uow.orders.lines(order_ids=[o.id for o in orders])
    rows, problems = labels.label_rows(carrier, [_parcel(o, lines[o.id]) for o in orders], shipper)
    if problems and not leave_out:
        raise Invalid(
            f"{len({p.order_number for p in problems})}件の受注に送り状にできない内容があります。",
            code="label_problems", field="orders", errors=[_error(p) for p in problems],
        )  # fmt: skip
    return LabelFile(labels.label_file(carrier, rows), len(rows), problems)


def _error(problem: labels.Problem) -> dict[str, str]:
    return {"code": "label_problem", "field": f"orders.{problem.order_number}",
            "message": f"受注番号 {problem.order_number}: {problem.message}"}  # fmt: skip


async def label_problems(
    *, carrier: labels.Carrier, day: date, uow: OrdersUnitOfWork
) -> list[labels.Problem]:
    return (await label_file(carrier=carrier, day=day, leave_out=True, uow=uow)).problems


@dataclass(frozen=True)
class CheckLine:
    order: orm.Order
    items: str
    shipment: orm.Shipment | None


async def check_list(*, day: date, uow: OrdersUnitOfWork) -> list[CheckLine]:
    """出荷確認一覧: every order that ships on ``day``, with its items and tracking number."""
    found = await uow.shipping.shipping_on(day=day)
    lines = await uow.orders.lines(order_ids=[o.id for o, _ in found])
    return [CheckLine(o, "、".join(f"{ln.product_name}×{ln.quantity}" for ln in lines[o.id]), s)
            for o, s in found]  # fmt: skip


@dataclass(frozen=True)
class TrackingImported:
    rows: int
    applied: int
    already: int  # rows whose order had this tracking number already (a re-import)
    by_phone: int = 0  # rows matched by phone and postal code (no お客様管理番号 of ours)


def _row_error(row: tracking.TrackingRow, message: str, code: str) -> dict[str, str]:
    return {"code": code, "field": f"rows.{row.line}", "message": f"{row.line}行目: {message}"}


async def _match(
    row: tracking.TrackingRow, uow: OrdersUnitOfWork, by_number: dict, imported: dict
) -> Any:
    if row.order_number.isdigit() and int(row.order_number) in by_number:
        return by_number[int(row.order_number)]
    if row.tracking_number in imported:  # a re-import: the order it went to the first time
        return await uow.orders.get(order_id=imported[row.tracking_number].order_id)
    if row.phone_digits and row.postal_digits:
        found = await uow.shipping.unshipped_by_phone_and_postal(
            phone=row.phone_digits, postal=row.postal_digits
        )
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            return "ambiguous"
    return None


async def import_tracking(
    *, carrier: labels.Carrier, content: bytes, uow: OrdersUnitOfWork
) -> TrackingImported:
    """Every row matched and valid, or nothing applied: a 422 lists each row that is not."""
    try:
        rows = tracking.read(content)
    except tracking.TrackingFileError as exc:
        raise Invalid(exc.message, code=exc.code, field="file") from None
    numbers = {
        int(r.order_number) for r in rows if r.order_number.isdigit() and len(r.order_number) < 19
    }
    by_number = await uow.shipping.by_numbers(numbers=numbers)
    imported = await uow.shipping.by_tracking(numbers={r.tracking_number for r in rows})
    errors, matched, phoned = [], [], set()
    for row in rows:
        if not re.fullmatch(r"\d{12}", row.tracking_number):
            errors.append(_row_error(row, "伝票番号は12桁の数字です。", "invalid_tracking_number"))
            continue
        order = await _match(row, uow, by_number, imported)
        if order == "ambiguous":
            errors.append(_row_error(row, "電話番号と郵便番号に合う受注が複数あり、特定できません。",
                                     "ambiguous_order"))  # fmt: skip
        elif order is None:
            errors.append(_row_error(row, f"お客様管理番号「{row.order_number}」の受注が見つかりません。",
                                     "unknown_order"))  # fmt: skip
        else:
            matched.append((row, order))
            if not (row.order_number.isdigit() and int(row.order_number) in by_number) and (
                row.tracking_number not in imported
            ):
                phoned.add(row.tracking_number)
    seen: dict[Any, str] = {}
    for row, order in matched:
        if seen.setdefault(order.id, row.tracking_number) != row.tracking_number:
            errors.append(_row_error(row, f"受注番号 {order.order_number} に別の伝票番号の行があります。",
                                     "duplicate_order"))  # fmt: skip
    existing = await uow.shipping.shipments(order_ids={o.id for _, o in matched})
    for row, order in matched:
        shipped = existing.get(order.id)
        if shipped is not None and shipped.tracking_number != row.tracking_number:
            errors.append(_row_error(row, f"受注番号 {order.order_number} は既に伝票番号 "
                                     f"{shipped.tracking_number} で出荷済みです。", "already_shipped"))  # fmt: skip
    if errors:
        errors.sort(key=lambda e: int(e["field"].split(".")[1]))
        raise Invalid(f"{len(errors)}行を取り込めません。ファイルのどの行も反映していません。",
                      code="tracking_rows_refused", field="file", errors=errors)  # fmt: skip
    applied = already = 0
    now = clock.now()
    for order_id, number in seen.items():
        if order_id in existing:
            already += 1
            continue
        uow.shipping.add(orm.Shipment(order_id=order_id, carrier=str(carrier),
                                      tracking_number=number, imported_at=now))  # fmt: skip
        applied += 1
    await uow.shipping.flush()
    return TrackingImported(rows=len(rows), applied=applied, already=already,
                            by_phone=len(phoned))  # fmt: skip
