"""送り状データ, 追跡番号取込 and 出荷確認一覧 (ORD-5, seed 002): the label file of the orders to
ship (ヤマト B2クラウド or 佐川 e飛伝Ⅱ, CP932 as the service writes it, streamed through) with,
before the download, every character outside JIS level 1/2 per order and a link to fix the
order; the carrier's re-export uploaded, every row applied or none (the rows refused listed
with their reasons); and the day's shipping check list, printable."""

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from kit import clock

from gateway.clients.base import Reply
from gateway.entrypoints.streaming import relay_download
from gateway.web.common.answers import back
from gateway.web.common.deps import ClientsDep, PageServicesDep, StaffPage
from gateway.web.orders.common import CHANNELS, page, reasons_of

router = APIRouter(include_in_schema=False)
CARRIERS = {"yamato_b2": "ヤマト運輸（B2クラウド）", "sagawa_ehiden": "佐川急便（e飛伝Ⅱ）"}
BAD_DAY = "日付は 2026-01-31 の形で入力してください。"
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_LISTED = 100  # orders with a problem linked to their page


def day_of(value: str) -> date | None:
    """The day typed, Japan's today when none; None when it cannot be read."""
    try:
        return date.fromisoformat(value) if value else clock.today()
    except ValueError:
        return None


def row_errors(reply: Reply) -> list[dict[str, str]]:
    """The service's errors of each row (``rows.3``) or order (``orders.1024``)."""
    detail = reply.data.get("detail") if isinstance(reply.data, dict) else None
    found = detail.get("errors") if isinstance(detail, dict) else None
    return [e for e in found or [] if isinstance(e, dict) and isinstance(e.get("message"), str)]


async def upload_of(request: Request) -> bytes | None:
    """The uploaded file's bytes (a little past the limit, for the service to refuse)."""
    upload = (await request.form()).get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        return None
    return await upload.read(MAX_FILE_BYTES + 1)


@router.get("/orders/labels", response_class=HTMLResponse)
async def labels(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    carrier: Annotated[str, Query(max_length=20)] = "yamato_b2",
    day: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    chosen, error = day_of(day), request.query_params.get("error")
    if chosen is None:
        chosen, error = clock.today(), BAD_DAY
    carrier = carrier if carrier in CARRIERS else "yamato_b2"
    found = await clients.orders.label_problems(carrier, chosen)
    problems, refusal = (None, reasons_of(found, "確認できませんでした。")) if isinstance(
        found, Reply) else (found, [])  # fmt: skip
    by_order: dict[int, list[str]] = {}
    for p in problems or []:
        by_order.setdefault(p.order_number, []).append(p.message)
    numbers = list(by_order)[:MAX_LISTED]
    found_orders = await asyncio.gather(*(clients.orders.order_numbered(n) for n in numbers))
    orders = dict(zip(numbers, found_orders, strict=True))
    context = {"staff": staff, "carriers": CARRIERS, "carrier": carrier, "day": chosen,
               "error": error, "refusal": refusal, "problems": by_order, "orders": orders}  # fmt: skip
    return page(request, "labels.html", context)


@router.get("/orders/labels.csv")
async def label_file(
    staff: StaffPage,
    services: PageServicesDep,
    carrier: Annotated[str, Query(max_length=20)] = "yamato_b2",
    day: Annotated[str, Query(max_length=10)] = "",
    leave_out: bool = False,
) -> Response:
    chosen = day_of(day)
    if chosen is None or carrier not in CARRIERS:
        return back(
            "/orders/labels", error=BAD_DAY if chosen is None else "運送会社を選んでください。"
        )
    params = {"carrier": carrier, "day": chosen.isoformat(), "leave_out": str(leave_out).lower()}
    upstream = await services.stream("orders", "/shipping-labels.csv",
                                     principal=staff.principal(), params=params)  # fmt: skip
    if upstream.status_code == 200:
        return await relay_download(upstream)
    await upstream.aread()
    await upstream.aclose()
    error = reasons_of(Reply.of(upstream), "ダウンロードできませんでした。")[0]
    return back(f"/orders/labels?carrier={carrier}&day={chosen.isoformat()}", error=error)


def _tracking(request: Request, staff, context: dict, status_code: int = 200) -> Response:  # type: ignore[no-untyped-def]
    base = {"staff": staff, "carriers": CARRIERS, "carrier": "yamato_b2", "result": None,
            "errors": [], "rows": []}  # fmt: skip
    return page(request, "tracking.html", {**base, **context}, status_code)


@router.get("/orders/tracking", response_class=HTMLResponse)
async def tracking_form(request: Request, staff: StaffPage) -> Response:
    return _tracking(request, staff, {})


@router.post("/orders/tracking", response_class=HTMLResponse)
async def tracking_upload(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    form = await request.form()
    carrier = form.get("carrier") if form.get("carrier") in CARRIERS else "yamato_b2"
    content = await upload_of(request)
    if content is None:
        return _tracking(request, staff, {"carrier": carrier,
                                          "errors": ["ファイルを選択してください。"]}, 422)  # fmt: skip
    reply = await clients.orders.import_tracking(str(carrier), content)
    if not reply.ok:
        message = reasons_of(reply, "取り込めませんでした。")[0]
        context = {"carrier": carrier, "errors": [message], "rows": row_errors(reply)}
        return _tracking(request, staff, context, 422 if reply.status_code < 500 else 503)
    return _tracking(request, staff, {"carrier": carrier, "result": reply.data})


@router.get("/orders/shipping-check", response_class=HTMLResponse)
async def shipping_check(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    day: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    chosen, error = day_of(day), None
    if chosen is None:
        chosen, error = clock.today(), BAD_DAY
    found = await clients.orders.shipping_check(chosen)
    context = {"staff": staff, "day": chosen, "items": found, "error": error,
               "carriers": CARRIERS, "channels": CHANNELS,
               "shipped": sum(1 for c in found or [] if c.tracking_number)}  # fmt: skip
    return page(request, "shipping_check.html", context)
