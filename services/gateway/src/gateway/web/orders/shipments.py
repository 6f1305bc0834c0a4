"""定期発送一覧 (the day's subscription shipping list, seed 002): the subscription orders
delivered on a day (Japan's today by default), on screen and printable, and its CSV for
Excel as the orders service writes it (streamed through, never rebuilt here)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from kit import clock

from gateway.clients.base import Reply
from gateway.entrypoints.streaming import relay_download
from gateway.web.common.answers import back, refusal
from gateway.web.common.deps import ClientsDep, PageServicesDep, StaffPage
from gateway.web.orders.common import page

router = APIRouter(include_in_schema=False)
BAD_DAY = "日付は 2026-01-31 の形で入力してください。"


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else clock.today()
    except ValueError:
        return None


@router.get("/subscriptions/shipments", response_class=HTMLResponse)
async def shipments(
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
    day: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    chosen, error = _day(day), None
    if chosen is None:
        chosen, error = clock.today(), BAD_DAY
    found = await clients.orders.shipments(chosen)
    context = {"staff": staff, "day": chosen, "items": found, "error": error,
               "is_today": chosen == clock.today()}  # fmt: skip
    return page(request, "shipments.html", context, nav="subscriptions")


@router.get("/subscriptions/shipments.csv")
async def shipments_csv(
    staff: StaffPage,
    services: PageServicesDep,
    day: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    chosen = _day(day)
    if chosen is None:
        return back("/subscriptions/shipments", error=BAD_DAY)
    upstream = await services.stream("orders", "/subscription-shipments.csv",
                                     principal=staff.principal(),
                                     params={"day": chosen.isoformat()})  # fmt: skip
    if upstream.status_code == 200:
        return await relay_download(upstream)
    await upstream.aread()
    await upstream.aclose()
    error = refusal(Reply.of(upstream), "ダウンロードできませんでした。")
    return back(f"/subscriptions/shipments?day={chosen.isoformat()}", error=error)
