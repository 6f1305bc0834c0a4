"""CUS-14 exports: the customer CSV and DM lists (宛名リスト). Registered before the
/customers/{id} routes, whose path would otherwise take "dm-list.csv" for an id."""

from collections.abc import AsyncIterator
from datetime import date
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
    # Checked by domain/exports.region (every mistake answered in Japanese, by its field).
    prefecture: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=47, description="都道府県（DMの送付先住所、複数可）"
    )
    city: str | None = Field(None, max_length=100, description="市区町村の先頭（都道府県1つと）")
    ordered_from: date | None = Field(None, description="注文日（開始、日本時間）")
    ordered_to: date | None = Field(None, description="注文日（終了、省略すると今日）。3年以内")
    product: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=50, description="購入した商品名（受注時の商品名）"
    )
    product_match: str | None = Field(
        None, max_length=10, description="any: いずれかの商品 / all: すべての商品"
    )

    def target(self) -> exporting.DmTarget:
        return exporting.DmTarget(
            prefecture=self.prefecture, city=self.city, ordered_from=self.ordered_from,
            ordered_to=self.ordered_to, product=self.product, product_match=self.product_match,
        )  # fmt: skip


class DmCountRead(BaseModel):
    total: int = Field(description="リストに載る件数（上限+1 まで数えます）")
    opted_out: int = Field(description="郵送DM不要のため除外した件数")
    max_rows: int = Field(description="書き出せる上限の件数")


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
        params, params.target(), max_rows=_max_rows(request), uow=uow
    )
    title = "_".join(["DM宛名リスト", *(p for p in (place.prefecture, place.city) if p)])
    return _csv(body, title=title, ascii_name="dm-list")


@router.get("/customers/dm-list/count", response_model=DmCountRead, dependencies=EXPORT_ADMIN)
async def count_dm_list(
    params: Annotated[DmParams, Query()], uow: UowDep, request: Request
) -> DmCountRead:
    """How many the DM list would hold, and how many 郵送DM不要 leaves out (the page's
    preview before the download)."""
    count = await exporting.count_dm_list(
        params, params.target(), max_rows=_max_rows(request), uow=uow
    )
    return DmCountRead(total=count.total, opted_out=count.opted_out, max_rows=count.max_rows)


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
