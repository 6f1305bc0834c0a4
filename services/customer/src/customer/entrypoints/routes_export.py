"""CUS-14 exports: the customer CSV and DM lists (宛名リスト). Registered before the
/customers/{id} routes, whose path would otherwise take "dm-list.csv" for an id."""

from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import quote

from contracts.customer_search import CustomerSearch
from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from kit import clock
from kit.auth import admin_only
from kit.http import CSV, file_answer
from pydantic import BaseModel, Field

from customer.domain.exports import Directory
from customer.entrypoints.deps import UowDep
from customer.use_cases import exporting

router = APIRouter()


class ExportNames(BaseModel):
    """What the gateway owns and the CSV names: staff (担当) and stores, by id."""

    staff: dict[str, str] = Field(default_factory=dict, max_length=10_000)
    stores: dict[str, str] = Field(default_factory=dict, max_length=10_000)


class DmParams(CustomerSearch):
    # Checked by domain/exports.region (a wrong prefecture is answered in Japanese).
    prefecture: str | None = Field(None, max_length=100)
    city: str | None = Field(None, max_length=100)


# The whole customer list leaves the system: the admin's (permissions, docs/permissions.md).
EXPORT_ADMIN = [admin_only("お客様一覧の出力は管理者のみ行えます。")]


@router.post(
    "/customers/export.csv",
    **file_answer(CSV, "お客様一覧（CSV, Excel 用 UTF-8 BOM 付き）"),
    dependencies=EXPORT_ADMIN,
)
async def export_customers(
    params: Annotated[CustomerSearch, Query()],
    uow: UowDep,
    request: Request,
    names: ExportNames | None = None,
) -> StreamingResponse:
    """POST: the gateway sends the names in the body; the criteria are the list's."""
    body = await exporting.export_customers(
        params,
        names=Directory(**names.model_dump()) if names else Directory(),
        max_rows=_max_rows(request),
        uow=uow,
    )
    return _csv(body, title="顧客一覧", ascii_name="customers")


@router.get(
    "/customers/dm-list.csv", **file_answer(CSV, "DM 宛名リスト（CSV）"), dependencies=EXPORT_ADMIN
)
async def export_dm_list(
    params: Annotated[DmParams, Query()], uow: UowDep, request: Request
) -> StreamingResponse:
    place, body = await exporting.export_dm_list(
        params, prefecture=params.prefecture, city=params.city,
        max_rows=_max_rows(request), uow=uow,
    )  # fmt: skip
    title = "_".join(["DM宛名リスト", *(p for p in (place.prefecture, place.city) if p)])
    return _csv(body, title=title, ascii_name="dm-list")


def _max_rows(request: Request) -> int:
    return request.app.state.runtime.settings.export_max_rows


def _csv(body: AsyncIterator[bytes], *, title: str, ascii_name: str) -> StreamingResponse:
    today = clock.today().strftime("%Y%m%d")
    disposition = (
        f'attachment; filename="{ascii_name}_{today}.csv"; '
        f"filename*=UTF-8''{quote(f'{title}_{today}.csv')}"
    )
    return StreamingResponse(
        body, media_type="text/csv; charset=utf-8", headers={"content-disposition": disposition}
    )
