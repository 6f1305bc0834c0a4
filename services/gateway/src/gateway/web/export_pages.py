"""The customer list's downloads (CUS-14): the CSV of the current search and the DM list
(宛名リスト) by region. A refusal (too many rows, a wrong region) brings the user back to the
list with the message instead of a file."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from kit.errors import refusal_message

from gateway.entrypoints.customers_api import search_params, stream_customers
from gateway.entrypoints.deps import OptionalStaff, ServicesDep
from gateway.entrypoints.streaming import relay_download

router = APIRouter(include_in_schema=False)


@router.get("/customers/export.csv")
async def export_customers(
    request: Request, staff: OptionalStaff, services: ServicesDep
) -> Response:
    if staff is None:
        return _login(request)
    params = search_params(request)
    upstream = await stream_customers(request, staff, services, params)
    return await _download_or_back(upstream, params)


@router.get("/customers/dm-list.csv")
async def export_dm_list(request: Request, staff: OptionalStaff, services: ServicesDep) -> Response:
    if staff is None:
        return _login(request)
    params = search_params(request)
    region = {k: request.query_params.get(k, "")[:100] for k in ("prefecture", "city")}
    upstream = await services.stream(
        "customer", "/customers/dm-list.csv", principal=staff.principal(),
        params={**params, **region},
    )  # fmt: skip
    return await _download_or_back(upstream, params)


async def _download_or_back(upstream, params: dict[str, str]) -> Response:  # type: ignore[no-untyped-def]
    if upstream.status_code == 200:
        return await relay_download(upstream)
    await upstream.aread()
    await upstream.aclose()
    try:
        message = refusal_message(upstream.json())
    except ValueError:
        message = None
    query = {
        **params,
        "export_error": message or "ダウンロードできませんでした。条件を確認してください。",
    }
    return RedirectResponse(f"/customers?{urlencode(query)}", status_code=303)


def _login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?{urlencode({'next': request.url.path})}", status_code=303)
