"""帳票 (ORD-6, 集計関係 of seed 002): the list of reports and each report as a page with its
month range (every error beside its field, what was typed kept), a chart drawn here in SVG
(``charts.py``), the table with its totals, how fresh the figures are, and the CSV the orders
service writes (streamed through). Reports are 管理者のみ: the service refuses a 一般 user,
whose page says so in its words. アクション別売上集計 is one more kind read from the customer
service (its own figures and CSV, counted as asked, a range of days, any staff)."""

import asyncio
from dataclasses import dataclass, field, replace
from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from kit import clock

from gateway.clients.base import Reply
from gateway.clients.customer_histories import ActionSales
from gateway.clients.reports import Column, Report
from gateway.entrypoints.streaming import relay_download
from gateway.web.common.answers import refusal
from gateway.web.common.deps import ClientsDep, PageServicesDep, StaffPage
from gateway.web.common.templating import render
from gateway.web.reports import charts

router = APIRouter(include_in_schema=False)
BAR_ROWS = 15  # a bar chart shows the first rows; the table has them all
NAMED_CUSTOMERS = 20  # 顧客別: names looked up for the first rows


@dataclass(frozen=True)
class Page:
    title: str
    group: str
    about: str
    chart: str  # monthly | bars
    label: str  # the row's name (a bar's label, a monthly chart's series)
    values: tuple[tuple[str, str], ...]  # (key, legend) of the bars
    unit: str = "円"
    extra: dict[str, Any] = field(default_factory=dict)
    # where the figures come from: the service and its path (the CSV at ``<path>.csv``)
    source: tuple[str, str] = ("orders", "")
    # the range form's fields: (name as the service spells it, label, input type)
    fields: tuple[tuple[str, str, str], ...] = (
        ("from_month", "開始月", "month"), ("to_month", "終了月", "month"))  # fmt: skip
    also: tuple[tuple[tuple[tuple[str, str], ...], str], ...] = ()  # more charts: (values, unit)
    live: bool = False  # counted when asked (no reporting model, so no freshness to tell)
    split: str = ""  # a chart of its own for each value of this key (churn: each 区分)


SALES = (("sales_yen", "売上"),)
DAYS = (("from", "開始日", "date"), ("to", "終了日", "date"))
PAGES = {
    "sales-by-medium": Page("広告月別売上", "売上", "広告ごとの月別の受注件数・売上・粗利", "monthly", "medium", SALES),
    "sales-by-product": Page("商品別売上", "売上", "商品ごとの出荷数・売上・原価・粗利", "bars", "product_name", SALES),
    "sales-by-region": Page("地区別売上・送料対比", "売上", "都道府県ごとの売上と送料の対比", "bars", "prefecture",
                            (("sales_yen", "売上"), ("shipping_yen", "送料"))),
    "sales-by-customer": Page("顧客別売上", "売上", "お客様ごとの売上（上位1,000名）", "bars", "customer", SALES),
    "sales-by-staff": Page("担当者別売上・粗利", "売上", "担当者ごとの月別の売上・原価・粗利", "bars", "staff",
                           (("sales_yen", "売上"), ("gross_yen", "粗利"))),
    "action-sales": Page("アクション別売上集計", "売上", "電話営業・DM・メルマガなどのどのアクションが受注につながったか",
                         "bars", "label", (("actions", "件数"), ("led_to_sale", "受注につながった件数")), "件",
                         source=("customer", "/actions/sales"), fields=DAYS,
                         also=((SALES, "円"),), live=True),
    "churn": Page("顧客離脱分析", "分析", "どの商品・どの対応のあとにお客様が離れたか", "bars", "item",
                  (("customers", "離脱顧客数"),), "名", split="group"),
    "survey": Page("アンケート集計", "分析", "アンケートの回答を商品別に集計", "bars", "answer_label",
                   (("answers", "回答数"),), "件"),
    "shipments-by-medium": Page("広告別出荷個数", "出荷", "広告ごとの出荷個数", "bars", "medium",
                                (("quantity", "出荷個数"),), "個"),
    "shipments-by-product": Page("商品別出荷個数", "出荷", "商品ごとの出荷個数", "bars", "product_name",
                                 (("quantity", "出荷個数"),), "個"),
    "shipments-by-region": Page("地区別出荷個数", "出荷", "都道府県ごとの出荷個数", "bars", "prefecture",
                                (("quantity", "出荷個数"),), "個"),
}  # fmt: skip
MonthParam = Annotated[str, Query(max_length=7)]


Chart = tuple[str, list[charts.Series], str]  # the SVG, its legend, its heading (or none)


def _charts(page: Page, report: Report) -> list[Chart]:
    """The page's chart (one per value of ``split``, headed by it), then its ``also`` charts
    (bars of other figures of the same rows)."""
    if page.split:
        groups: dict[str, list[dict[str, Any]]] = {}
        for row in report.rows:
            groups.setdefault(str(row.get(page.split) or ""), []).append(row)
        return [(*_chart(replace(page, title=f"{page.title}（{g}）"),
                         report.model_copy(update={"rows": rows})), g)
                for g, rows in groups.items()]  # fmt: skip
    found = [(*_chart(page, report), "")]
    for values, unit in page.also:
        found.append((*_chart(replace(page, chart="bars", values=values, unit=unit), report), ""))
    return found


def _chart(page: Page, report: Report) -> tuple[str, list[charts.Series]]:
    key = page.values[0][0]
    if page.chart == "monthly":
        months = _months(report.from_month, report.to_month)
        values: dict[str, dict[str, float]] = {}
        for row in report.rows:
            series = values.setdefault(str(row[page.label]), {})
            series[row["month"]] = series.get(row["month"], 0) + (row[key] or 0)
        return charts.monthly(months, values, unit=page.unit, title=page.title)
    summed: dict[str, list[float]] = {}
    for row in report.rows:
        found = summed.setdefault(str(row.get(page.label) or ""), [0.0] * len(page.values))
        for i, (name, _) in enumerate(page.values):
            found[i] += row.get(name) or 0
    items = sorted(summed.items(), key=lambda kv: -kv[1][0])[:BAR_ROWS]
    svg = charts.bars(items, series=[s for _, s in page.values], unit=page.unit, title=page.title)
    legend = [charts.Series(s, charts.PALETTE[i]) for i, (_, s) in enumerate(page.values)]
    return svg, legend if len(legend) > 1 else []


def _months(first: str, last: str) -> list[str]:
    year, month, found = int(first[:4]), int(first[5:]), []
    while f"{year}-{month:02d}" <= last:
        found.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


async def _customer_names(report: Report, clients: ClientsDep) -> None:
    rows = report.rows[:NAMED_CUSTOMERS]
    found = await asyncio.gather(*(clients.customer.customer(UUID(r["customer_id"])) for r in rows))
    for row, customer in zip(rows, found, strict=True):
        row["customer"] = f"{customer.name} 様" if customer else "（不明なお客様）"
    for row in report.rows[NAMED_CUSTOMERS:]:
        row["customer"] = ""


def _field_errors(reply: Reply) -> dict[str, str]:
    detail = reply.data.get("detail") if isinstance(reply.data, dict) else None
    errors = detail.get("errors") if isinstance(detail, dict) else None
    if not errors and isinstance(detail, dict) and detail.get("field"):
        errors = [detail]
    return {
        e["field"]: e["message"] for e in errors or [] if isinstance(e, dict) and e.get("field")
    }


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _action_report(found: ActionSales) -> Report:
    """The customer service's figures in the shape of the orders service's reports (the range
    is of days: ``from_month``/``to_month`` carry the dates, shown as 2026/12/01)."""
    rows = [{"label": i.label, "actions": i.actions, "led_to_sale": i.led_to_sale,
             "rate": _percent(i.led_to_sale, i.actions), "sales_yen": i.sales_yen}
            for i in found.items]  # fmt: skip
    taken, led = sum(r["actions"] for r in rows), sum(r["led_to_sale"] for r in rows)
    return Report(
        kind="action-sales", title=PAGES["action-sales"].title,
        from_month=found.start.isoformat(), to_month=found.end.isoformat(),
        columns=[Column(key="label", label="アクション"),
                 Column(key="actions", label="件数", kind="count"),
                 Column(key="led_to_sale", label="受注につながった件数", kind="count"),
                 Column(key="rate", label="受注率", kind="percent"),
                 Column(key="sales_yen", label="売上", kind="yen")],
        rows=rows, totals={"actions": taken, "led_to_sale": led, "rate": _percent(led, taken),
                           "sales_yen": sum(r["sales_yen"] for r in rows)},
        note=f"受注の前{found.attribution_days}日以内で最も新しいアクションを、その受注につながった"
             "アクションとして数えます（定期の受注・キャンセル・返品は除きます）。",
    )  # fmt: skip


@router.get("/reports", response_class=HTMLResponse)
async def index(request: Request, staff: StaffPage) -> Response:
    return render(request, "reports.html", {"staff": staff, "nav": "histories", "pages": PAGES})


async def download(
    kind: str, request: Request, staff: StaffPage, services: PageServicesDep
) -> Response:
    params = dict(request.query_params)
    service, path = PAGES[kind].source
    upstream = await services.stream(service, f"{path or f'/reports/{kind}'}.csv",
                                     principal=staff.principal(), params=params)  # fmt: skip
    if upstream.status_code == 200:
        return await relay_download(upstream)
    await upstream.aread()
    await upstream.aclose()
    # the page with the same range says what is wrong, beside the fields
    return RedirectResponse(f"/reports/{kind}?{urlencode(params)}", status_code=303)


async def _found(kind: str, params: dict[str, str], clients: ClientsDep) -> Report | Reply:
    if kind != "action-sales":
        return await clients.reports.report(kind, params)
    found = await clients.histories.action_sales(params)
    return found if isinstance(found, Reply) else _action_report(found)


async def report(
    kind: str, request: Request, staff: StaffPage, clients: ClientsDep, typed: dict[str, str]
) -> Response:
    """``typed``: the range form's fields as the request spelled them (and churn's days)."""
    page = PAGES[kind]
    params = {k: v for k, v in typed.items() if v and (k != "days" or kind == "churn")}
    found = await _found(kind, params, clients)
    context: dict[str, Any] = {"staff": staff, "nav": "histories", "kind": kind, "page": page,
                               "typed": typed, "errors": {}, "report": None}  # fmt: skip
    if isinstance(found, Reply):
        context["errors"] = _field_errors(found)
        if not context["errors"]:
            context["refused"] = refusal(found, "帳票を表示できません。")
        return render(request, "report.html", context, 403 if found.status_code == 403 else 422)
    if kind == "sales-by-customer":
        await _customer_names(found, clients)
    if kind == "survey":
        for row in found.rows:
            row["answer_label"] = f"{row['question_text']}: {row['answer']}"
    (first, _, _), (last, _, _) = page.fields
    chosen = {first: found.from_month, last: found.to_month}
    query = urlencode(chosen | ({"days": params["days"]} if params.get("days") else {}))
    context |= {"report": found, "charts": _charts(page, found), "csv": f"/reports/{kind}.csv?{query}",
                "typed": typed | chosen, "counted_at": clock.now()}  # fmt: skip
    return render(request, "report.html", context)


def _routes(kind: str) -> None:
    """Each report its own two paths (no ``{kind}`` parameter: the paths are the list)."""

    async def shown(
        request: Request, staff: StaffPage, clients: ClientsDep, from_month: MonthParam = "",
        to_month: MonthParam = "", days: Annotated[str, Query(max_length=4)] = "",
    ) -> Response:  # fmt: skip
        typed = {"from_month": from_month, "to_month": to_month, "days": days}
        return await report(kind, request, staff, clients, typed)

    async def shown_days(
        request: Request, staff: StaffPage, clients: ClientsDep,
        first: Annotated[str, Query(alias="from", max_length=20)] = "",
        last: Annotated[str, Query(alias="to", max_length=20)] = "",
    ) -> Response:  # fmt: skip
        return await report(kind, request, staff, clients, {"from": first, "to": last})

    async def csv(request: Request, staff: StaffPage, services: PageServicesDep) -> Response:
        return await download(kind, request, staff, services)

    name = kind.replace("-", "_")
    page = shown_days if PAGES[kind].fields == DAYS else shown
    router.add_api_route(f"/reports/{kind}", page, methods=["GET"], name=f"report_page_{name}",
                         response_class=HTMLResponse)  # fmt: skip
    router.add_api_route(f"/reports/{kind}.csv", csv, methods=["GET"], name=f"report_csv_{name}")


for _kind in PAGES:
    _routes(_kind)
