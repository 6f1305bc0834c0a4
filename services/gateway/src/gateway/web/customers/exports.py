"""The customer list's downloads (CUS-14): the CSV of the current search and the DM list
(宛名リスト) by order period, region and product, on its own page with a count before the
download. A refused CSV brings the user back to the list with the message, a refused DM list
back to its page with each reason beside its input — never a file cut short."""

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from kit.japanese import PREFECTURES

from gateway.clients.base import Reply
from gateway.clients.transport import ServiceUnavailable
from gateway.entrypoints.streaming import relay_download
from gateway.use_cases import customer_master
from gateway.use_cases.staff_directory import export_names
from gateway.web.common.answers import back, refusal
from gateway.web.common.deps import Clients, ClientsDep, PageServicesDep, StaffPage, tenant_uow
from gateway.web.common.templating import render
from gateway.web.customers.profile_form import field_errors, split

router = APIRouter(include_in_schema=False)
REFUSED = "ダウンロードできませんでした。条件を確認してください。"


@router.get("/customers/export.csv")
async def export_customers(
    request: Request, staff: StaffPage, services: PageServicesDep
) -> Response:
    params = customer_master.search_params(request.query_params)
    async with tenant_uow(request, staff) as uow:
        names = await export_names(uow=uow)
    upstream = await customer_master.stream_customers(
        names=names,
        services=services,
        principal=staff.principal(),
        params=params,  # type: ignore[arg-type]
    )
    return await _download_or_back(upstream, params)


@router.get("/customers/dm-list", response_class=HTMLResponse)
async def dm_list_page(request: Request, staff: StaffPage, clients: ClientsDep) -> Response:
    """DM宛名リスト: the list's search (kept as it came) narrowed by order period,
    prefectures and products; 「件数を確認」 shows how many before the download."""
    if not staff.is_admin:
        context = {"staff": staff, "message": "DM宛名リストの出力は管理者のみ行えます。"}
        return render(request, "not_found.html", context, 403)
    criteria = customer_master.search_params(request.query_params)
    target = dm_target(request.query_params)
    count, errors, error = None, {}, None
    if request.query_params.get("check") or request.query_params.get("refused"):
        answer = await clients.customer.dm_count(_pairs({**criteria, **target}))
        if isinstance(answer, Reply):  # the page's own inputs get their reason beside them
            errors = {k: v for k, v in field_errors(answer).items() if k in DM_INPUTS}
            error = None if errors else refusal(answer, REFUSED)
        else:
            count = answer
    products = await _products(clients)
    context = {
        "staff": staff, "nav": "customers", "criteria": criteria,
        "entered": _entered(request.query_params), "prefectures": PREFECTURES,
        "products": products, "count": count, "errors": errors, "error": error,
        "back_query": urlencode(criteria),
    }  # fmt: skip
    return render(request, "customer_dm_list.html", context)


@router.get("/customers/dm-list.csv")
async def export_dm_list(request: Request, staff: StaffPage, services: PageServicesDep) -> Response:
    params = customer_master.search_params(request.query_params)
    target = dm_target(request.query_params)
    upstream = await services.stream(
        "customer", "/customers/dm-list.csv", principal=staff.principal(),
        params=_pairs({**params, **target}),
    )  # fmt: skip
    if upstream.status_code == 200:
        return await relay_download(upstream)
    await upstream.aread()
    await upstream.aclose()
    # Back to the DM page, which asks again and shows each reason beside its input.
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("check", "refused")]
    return RedirectResponse(
        f"/customers/dm-list?{urlencode([*query, ('refused', '1')])}", status_code=303
    )


DM_FIELDS = ("city", "ordered_from", "ordered_to", "product_match")
DM_INPUTS = (*DM_FIELDS, "prefecture", "product")


def dm_target(query: Any) -> dict[str, Any]:
    """The DM page's inputs as the customer service's query spells them: prefectures and
    products may be several (the master's picks and the names typed, 、-separated)."""
    target: dict[str, Any] = {k: query.get(k, "")[:200] for k in DM_FIELDS if query.get(k)}
    target["prefecture"] = [p[:100] for p in query.getlist("prefecture") if p][:47]
    typed = split(query.get("product_text", "")[:2000])
    picked = [p[:200] for p in query.getlist("product") if p]
    target["product"] = list(dict.fromkeys([*picked, *typed]))[:50]
    return {k: v for k, v in target.items() if v}


def _pairs(params: dict[str, Any]) -> list[tuple[str, str]]:
    """A query with repeated names (prefecture=東京都&prefecture=大阪府)."""
    return [(k, item) for k, v in params.items() for item in (v if isinstance(v, list) else [v])]


def _entered(query: Any) -> dict[str, Any]:
    entered: dict[str, Any] = {k: query.get(k, "") for k in (*DM_FIELDS, "product_text")}
    entered["prefecture"] = query.getlist("prefecture")
    entered["product"] = query.getlist("product")
    return entered


async def _products(clients: Clients) -> list[Any] | None:
    """The orders service's 商品マスタ for the picker (retired ones too: old orders bought
    them); None when it does not answer — the names can still be typed."""
    try:
        return await clients.orders.products(include_retired=True)
    except ServiceUnavailable:
        return None


async def _download_or_back(upstream: Any, params: dict[str, str]) -> Response:
    if upstream.status_code == 200:
        return await relay_download(upstream)
    await upstream.aread()
    await upstream.aclose()
    return back("/customers", **params, export_error=refusal(Reply.of(upstream), REFUSED))
