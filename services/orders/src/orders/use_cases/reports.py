"""ORD-6 reports (集計関係 of seed 002), read from the reporting model: each a title, its
columns (with the kind of figure), rows and totals, the same for the page and the CSV.
Callers give a checked month range (``domain/report_range.py``)."""

from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from kit.clock import JST

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain.prefectures import PREFECTURES
from orders.domain.report_range import MonthRange
from orders.domain.reporting import NONE

CUSTOMER_LIMIT = 1000  # 顧客別: the top customers by sales
CHURN_DAYS = 180  # 解約分析: "stopped" = no order for this many days (default)
UNKNOWN_PREFECTURE = "（不明）"

Row = dict[str, Any]

# セット商品 in the product reports: its items, the set's price shared out (domain/bundles.py)
BUNDLES_NOTE = (
    "セット商品はセットの中の商品ごとに数え、セットの金額は各商品の定価の割合で按分しています。"
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | month | yen | count | percent


@dataclass
class Report:
    kind: str
    title: str
    columns: list[Column]
    rows: list[Row]
    totals: Row = field(default_factory=dict)
    note: str = ""
    from_month: str = ""  # 2026-01, as the range was chosen
    to_month: str = ""


def _rate(part: int, whole: int) -> float | None:
    return None if not whole else round(part * 100 / whole, 1)


def _gross(row: Row) -> Row:
    gross = row["sales_yen"] - row["cost_yen"]
    return row | {"gross_yen": gross, "gross_rate": _rate(gross, row["sales_yen"])}


def _totals(columns: list[Column], rows: list[Row]) -> Row:
    return {c.key: sum(r[c.key] or 0 for r in rows) for c in columns if c.kind in ("yen", "count")}


async def _medium_names(rows: list[Row], uow: OrdersUnitOfWork) -> None:
    names = await uow.report_queries.names(orm.Medium, {r["medium_key"] for r in rows} - {NONE})
    for r in rows:
        r["medium"] = names.get(
            r["medium_key"], "（広告なし）" if r["medium_key"] == NONE else "（削除された広告）"
        )


def _prefecture_order(rows: list[Row]) -> list[Row]:
    rank = {p: i for i, p in enumerate(PREFECTURES)}
    for r in rows:
        r["prefecture"] = r["prefecture"] or UNKNOWN_PREFECTURE
    return sorted(rows, key=lambda r: rank.get(r["prefecture"], 99))


ORDERS, SALES = Column("orders", "受注件数", "count"), Column("sales_yen", "売上（税抜）", "yen")
COST, GROSS = Column("cost_yen", "原価", "yen"), Column("gross_yen", "粗利", "yen")
GROSS_RATE = Column("gross_rate", "粗利率（%）", "percent")
MONTH = Column("month", "月", "month")
SHIPPED = Column("quantity", "出荷個数", "count")


async def sales_by_medium(span: MonthRange, uow: OrdersUnitOfWork, **_: Any) -> Report:
    """広告月別集計: each medium's orders, sales and gross profit, month by month."""
    rows = await uow.report_queries.by_order_keys(first=span.first, last=span.last,
                                                  keys=("month", "medium_key"))  # fmt: skip
    await _medium_names(rows, uow)
    rows.sort(key=lambda r: (r["month"], -r["sales_yen"], r["medium"]))
    columns = [MONTH, Column("medium", "広告"), ORDERS, SALES, GROSS]
    return Report("sales-by-medium", "広告月別売上", columns, [_gross(r) for r in rows])


async def sales_by_staff(span: MonthRange, uow: OrdersUnitOfWork, **_: Any) -> Report:
    """担当者別集計 and 担当者別粗利集計: each staff member's month."""
    rows = await uow.report_queries.by_order_keys(first=span.first, last=span.last,
                                                  keys=("month", "staff_key"))  # fmt: skip
    ids = {r["staff_key"] for r in rows} - {NONE}
    names = await uow.report_queries.names(orm.Staff, ids)
    for r in rows:
        r["staff"] = names.get(
            r["staff_key"], "（担当なし）" if r["staff_key"] == NONE else "（削除された担当者）"
        )
    rows.sort(key=lambda r: (r["month"], -r["sales_yen"], r["staff"]))
    columns = [MONTH, Column("staff", "担当者"), ORDERS, SALES, COST, GROSS, GROSS_RATE]
    return Report("sales-by-staff", "担当者別売上・粗利", columns, [_gross(r) for r in rows])


async def sales_by_region(span: MonthRange, uow: OrdersUnitOfWork, **_: Any) -> Report:
    """地区別売上送料対比表: each prefecture's sales beside the shipping fees charged."""
    rows = await uow.report_queries.by_order_keys(first=span.first, last=span.last,
                                                  keys=("prefecture",))  # fmt: skip
    rows = _prefecture_order(rows)
    for r in rows:
        r["shipping_rate"] = _rate(r["shipping_yen"], r["sales_yen"])
    columns = [Column("prefecture", "都道府県"), ORDERS, SALES,
               Column("shipping_yen", "送料", "yen"), Column("shipping_rate", "送料比率（%）", "percent")]  # fmt: skip
    report = Report("sales-by-region", "地区別売上・送料対比", columns, rows)
    return report


async def sales_by_product(span: MonthRange, uow: OrdersUnitOfWork, **_: Any) -> Report:
    rows = await uow.report_queries.by_product_keys(first=span.first, last=span.last,
                                                    keys=("product_id",))  # fmt: skip
    rows = sorted((_gross(r) for r in rows), key=lambda r: (-r["sales_yen"], r["product_name"]))
    columns = [Column("product_name", "商品"), SHIPPED, Column("returned_quantity", "返品数", "count"),
               Column("sales_yen", "売上（税抜・値引前）", "yen"), COST, GROSS, GROSS_RATE]  # fmt: skip
    note = f"商品別の売上は値引き前の金額です（値引きは受注ごとのため）。{BUNDLES_NOTE}"
    return Report("sales-by-product", "商品別売上", columns, rows, note=note)


async def sales_by_customer(span: MonthRange, uow: OrdersUnitOfWork, **_: Any) -> Report:
    rows = await uow.report_queries.by_customer(first=span.first, last=span.last,
                                                limit=CUSTOMER_LIMIT)  # fmt: skip
    rows = [_gross(r) for r in rows]
    columns = [Column("customer_id", "顧客ID"), ORDERS, SALES, GROSS,
               Column("last_month", "最終購入月", "month")]  # fmt: skip
    note = f"売上の多い順に上位{CUSTOMER_LIMIT:,}名までです。"
    return Report("sales-by-customer", "顧客別売上", columns, rows, note=note)


async def _shipments(span: MonthRange, uow: OrdersUnitOfWork, key: str) -> list[Row]:
    return await uow.report_queries.by_product_keys(first=span.first, last=span.last, keys=(key,))


SHIPMENT_COLUMNS = [SHIPPED, Column("returned_quantity", "うち返品", "count")]


async def shipments_by_medium(span: MonthRange, uow: OrdersUnitOfWork, **_: Any) -> Report:
    rows = await _shipments(span, uow, "medium_key")
    await _medium_names(rows, uow)
    columns = [Column("medium", "広告"), *SHIPMENT_COLUMNS]
    return Report("shipments-by-medium", "広告別出荷個数", columns, rows)


async def shipments_by_product(span: MonthRange, uow: OrdersUnitOfWork, **_: Any) -> Report:
    rows = await _shipments(span, uow, "product_id")
    rows.sort(key=lambda r: (-r["quantity"], r["product_name"]))
    columns = [Column("product_name", "商品"), *SHIPMENT_COLUMNS]
    return Report("shipments-by-product", "商品別出荷個数", columns, rows, note=BUNDLES_NOTE)


async def shipments_by_region(span: MonthRange, uow: OrdersUnitOfWork, **_: Any) -> Report:
    rows = _prefecture_order(await _shipments(span, uow, "prefecture"))
    columns = [Column("prefecture", "都道府県"), *SHIPMENT_COLUMNS]
    return Report("shipments-by-region", "地区別出荷個数", columns, rows)


async def survey(span: MonthRange, uow: OrdersUnitOfWork, **_: Any) -> Report:
    rows = await uow.report_queries.survey(first=span.first, last=span.last)
    columns = [Column("question_text", "設問"), Column("answer", "回答"),
               Column("product_name", "商品"), Column("answers", "回答数", "count")]  # fmt: skip
    note = "1件の受注の回答は、その受注の商品それぞれに数えます。"
    return Report("survey", "アンケート集計（商品別）", columns, rows, note=note)


NO_CONTACT = "（対応・アクションなし）"
CHURN_GROUPS = ("最後に購入した商品", "最後の受注の結果", "最後の対応・アクション")


async def churn(
    span: MonthRange, uow: OrdersUnitOfWork, *, today: date, days: int = CHURN_DAYS
) -> Report:
    """顧客離脱集計表: the customers whose last standing order was in the range and who have
    not ordered for ``days`` days since, counted by the products of that last order, by what
    happened to it (a return or cancellation with its reason), and by their last contact
    (対応 or アクション) up to the moment they became churned: ``days`` days after that order
    (decision 93; a contact after it, a win-back call say, came once they had left)."""
    before = datetime.combine(today - timedelta(days=days), time(0), JST)
    found = await uow.report_queries.last_orders(first=span.first, last=span.last,
                                                 before=before, days=days)  # fmt: skip
    products: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    contacts: Counter[str] = Counter()
    for r in found:
        # a bundle's items are one purchase of the set
        for name in {ln.get("set_name") or ln["product_name"] for ln in r["lines"]}:
            products[name] += 1
        outcomes[r["outcome"] or "返品・キャンセルなし"] += 1
        contacts[r["last_contact"] or NO_CONTACT] += 1
    whole = len(found)
    rows = [{"group": group, "item": k, "customers": n, "share": _rate(n, whole)}
            for group, counts in zip(CHURN_GROUPS, (products, outcomes, contacts), strict=True)
            for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]  # fmt: skip
    columns = [Column("group", "区分"), Column("item", "項目"),
               Column("customers", "離脱顧客数", "count"), Column("share", "割合（%）", "percent")]  # fmt: skip
    note = (
        f"離脱顧客: 最後の受注（キャンセルを除く）がこの期間にあり、その後{days}日以上"
        f"受注のないお客様 {whole:,}名。1件の受注に複数の商品があれば、それぞれに数えます。"
        f"最後の対応・アクションは、最後の受注から{days}日以内（離脱とみなした時点まで）の"
        "最も新しい対応履歴・アクション履歴（削除されたものを除く）です。"
    )
    return Report("churn", "顧客離脱分析", columns, rows, {"customers": whole}, note)


Builder = Callable[..., Awaitable[Report]]
REPORTS: dict[str, Builder] = {
    "sales-by-medium": sales_by_medium,
    "sales-by-product": sales_by_product,
    "sales-by-region": sales_by_region,
    "sales-by-customer": sales_by_customer,
    "sales-by-staff": sales_by_staff,
    "churn": churn,
    "survey": survey,
    "shipments-by-medium": shipments_by_medium,
    "shipments-by-product": shipments_by_product,
    "shipments-by-region": shipments_by_region,
}


async def build(kind: str, span: MonthRange, *, uow: OrdersUnitOfWork, **params: Any) -> Report:
    report = await REPORTS[kind](span, uow, **params)
    report.from_month, report.to_month = span.first.strftime("%Y-%m"), span.last.strftime("%Y-%m")
    totals = report.totals = report.totals or _totals(report.columns, report.rows)
    keys = {c.key for c in report.columns}
    if "gross_rate" in keys:
        totals["gross_rate"] = _rate(totals["gross_yen"], totals["sales_yen"])
    if "shipping_rate" in keys:
        totals["shipping_rate"] = _rate(totals["shipping_yen"], totals["sales_yen"])
    return report
