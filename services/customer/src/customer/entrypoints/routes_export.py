"""CUS-14 exports: the customer CSV and DM lists (宛名リスト). Registered before the
/customers/{id} routes, whose path would otherwise take "dm-list.csv" for an id."""

from datetime import datetime
from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from kit.http import UowDep
from pydantic import BaseModel, Field

from customer.domain.exports import Directory, region
from customer.entrypoints.routes import SearchParams
from customer.use_cases import browsing, exporting

router = APIRouter()
_NOT_CRITERIA = {"page", "per_page", "prefecture", "city"}


class ExportNames(BaseModel):
    """What the gateway owns and the CSV names: staff (担当) and stores, by id."""

    staff: dict[str, str] = Field(default_factory=dict, max_length=10_000)
    stores: dict[str, str] = Field(default_factory=dict, max_length=10_000)


class DmParams(SearchParams):
    # Checked by domain/exports.region (a wrong prefecture is answered in Japanese).
    prefecture: str | None = Field(None, max_length=100)
    city: str | None = Field(None, max_length=100)


@router.post("/customers/export.csv")
async def export_customers(
    params: Annotated[SearchParams, Query()],
    uow: UowDep,
    request: Request,
    names: ExportNames | None = None,
) -> StreamingResponse:
    """POST: the gateway sends the names in the body; the criteria are the list's."""
    criteria = browsing.build_criteria(**params.model_dump(exclude=_NOT_CRITERIA))
    max_rows = _max_rows(request)
    await exporting.check_customers(criteria, max_rows=max_rows, uow=uow)
    directory = Directory(**names.model_dump()) if names else Directory()
    body = exporting.customers_csv(criteria, names=directory, max_rows=max_rows, uow=uow)
    return _csv(body, "顧客一覧")


@router.get("/customers/dm-list.csv")
async def export_dm_list(
    params: Annotated[DmParams, Query()], uow: UowDep, request: Request
) -> StreamingResponse:
    place = region(prefecture=params.prefecture, city=params.city)
    criteria = exporting.dm_criteria(
        browsing.build_criteria(**params.model_dump(exclude=_NOT_CRITERIA))
    )
    max_rows = _max_rows(request)
    await exporting.check_dm_list(criteria, place=place, max_rows=max_rows, uow=uow)
    title = "_".join(["DM宛名リスト", *(p for p in (place.prefecture, place.city) if p)])
    return _csv(exporting.dm_list_csv(criteria, place=place, max_rows=max_rows, uow=uow), title)


def _max_rows(request: Request) -> int:
    return request.app.state.runtime.settings.export_max_rows


def _csv(body, title: str) -> StreamingResponse:  # type: ignore[no-untyped-def]
    today = datetime.now(ZoneInfo("Asia/Tokyo")).strftime("%Y%m%d")
    disposition = (
        f'attachment; filename="customers_{today}.csv"; '
        f"filename*=UTF-8''{quote(f'{title}_{today}.csv')}"
    )
    return StreamingResponse(
        body, media_type="text/csv; charset=utf-8", headers={"content-disposition": disposition}
    )
