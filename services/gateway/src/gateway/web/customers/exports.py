"""The customer list's downloads (CUS-14): the CSV of the current search and the DM list
(宛名リスト) by region. A refusal (too many rows, a wrong region) brings the user back to the
list with the message instead of a file."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gateway.clients.base import Reply
from gateway.entrypoints.streaming import relay_download
from gateway.use_cases import customer_master
from gateway.use_cases.staff_directory import export_names
from gateway.web.common.answers import back, refusal
from gateway.web.common.deps import PageServicesDep, StaffPage, tenant_uow

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


@router.get("/customers/dm-list.csv")
async def export_dm_list(request: Request, staff: StaffPage, services: PageServicesDep) -> Response:
    params = customer_master.search_params(request.query_params)
    region = {k: request.query_params.get(k, "")[:100] for k in ("prefecture", "city")}
    upstream = await services.stream(
        "customer", "/customers/dm-list.csv", principal=staff.principal(),
        params={**params, **region},
    )  # fmt: skip
    return await _download_or_back(upstream, params)


async def _download_or_back(upstream: Any, params: dict[str, str]) -> Response:
    if upstream.status_code == 200:
        return await relay_download(upstream)
    await upstream.aread()
    await upstream.aclose()
    return back("/customers", **params, export_error=refusal(Reply.of(upstream), REFUSED))
