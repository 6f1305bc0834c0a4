"""ORD-5 shipping: the shipper's details, label data for the carriers, the tracking-number
import and the shipping check list (出荷確認一覧)."""

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from kit.http import CSV, file_answer, raw_body
from kit.inputs import Day
from pydantic import BaseModel, ConfigDict, Field

from orders.domain.labels import Carrier
from orders.entrypoints.deps import AdminOnly, StaffOnly, TxDep, UowDep
from orders.use_cases import shipping

router = APIRouter(dependencies=[StaffOnly])
MAX_TRACKING_FILE_BYTES = 5 * 1024 * 1024
CarrierQuery = Annotated[Carrier, Query(description="yamato_b2 | sagawa_ehiden")]


class ShipperWrite(BaseModel):
    name: str = Field(max_length=100)
    phone: str = Field(max_length=20)
    postal_code: str = Field(max_length=10)
    address: str = Field(max_length=200)
    yamato_billing_code: str = Field("", max_length=12)  # ご請求先顧客コード
    yamato_billing_class: str = Field("", max_length=3)  # ご請求先分類コード
    yamato_freight_number: str = Field("01", max_length=2)  # 運賃管理番号
    sagawa_customer_code: str = Field("", max_length=12)  # お客様コード


class ShipperRead(ShipperWrite):
    model_config = ConfigDict(from_attributes=True)


class LabelProblem(BaseModel):
    order_number: int
    field: str  # the label's column
    message: str


class TrackingImportRead(BaseModel):
    rows: int
    applied: int
    already: int
    by_phone: int = 0  # of the rows: matched by phone and postal code, not our order number


class CheckLineRead(BaseModel):
    order_id: UUID
    order_number: int
    channel: str
    ships_on: date
    delivery: dict[str, Any]
    items: str
    total_yen: int
    carrier: str | None
    tracking_number: str | None


@router.get("/shipper-settings")
async def get_shipper(uow: UowDep) -> ShipperRead | None:
    found = await shipping.get_shipper(uow=uow)
    return None if found is None else ShipperRead.model_validate(found)


@router.put("/shipper-settings", dependencies=[AdminOnly])
async def put_shipper(body: ShipperWrite, tx: TxDep) -> ShipperRead:
    row = await tx.run(lambda uow: shipping.put_shipper(fields=body.model_dump(), uow=uow))
    return ShipperRead.model_validate(row)


@router.get("/shipping-labels.csv", **file_answer(CSV, "送り状発行データ (CP932)"))
async def label_csv(
    uow: UowDep, carrier: CarrierQuery, day: Day, leave_out: bool = False
) -> Response:
    """送り状発行データ (CP932, CRLF, header row) of the orders to ship by ``day``. A character
    outside JIS X 0208 in an order refuses the file with every problem listed (422), unless
    ``leave_out=true``: those orders are left out and counted in ``X-Label-Problems``."""
    found = await shipping.label_file(carrier=carrier, day=day, leave_out=leave_out, uow=uow)
    name = f"{carrier}-{day.isoformat()}.csv"
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        "X-Label-Orders": str(found.orders),
        "X-Label-Problems": str(len({p.order_number for p in found.problems})),
    }
    return Response(found.content, media_type="text/csv; charset=Shift_JIS", headers=headers)


@router.get("/shipping-labels/problems")
async def label_problems(uow: UowDep, carrier: CarrierQuery, day: Day) -> list[LabelProblem]:
    """What keeps orders off the label file, per order (characters, lengths, missing fields)."""
    found = await shipping.label_problems(carrier=carrier, day=day, uow=uow)
    return [LabelProblem(order_number=p.order_number, field=p.field, message=p.message)
            for p in found]  # fmt: skip


@router.post(
    "/tracking-imports",
    responses={200: {"model": TrackingImportRead}},
    openapi_extra=raw_body(CSV, "運送会社の発行済データ (CP932 または UTF-8)"),
)
async def import_tracking(request: Request, tx: TxDep, carrier: CarrierQuery) -> Response:
    """The carrier's re-export of issued labels as the raw request body (B2クラウド 発行済データ,
    CP932 or UTF-8): every row applied, or none (422 listing each row refused)."""
    content = await request.body()
    if len(content) > MAX_TRACKING_FILE_BYTES:
        detail = {
            "code": "too_large",
            "message": "ファイルが大きすぎます（5MBまで）。",
            "field": "file",
        }
        return JSONResponse({"detail": detail}, status_code=413)
    done = await tx.run(
        lambda uow: shipping.import_tracking(carrier=carrier, content=content, uow=uow)
    )
    read = TrackingImportRead(rows=done.rows, applied=done.applied, already=done.already,
                              by_phone=done.by_phone)  # fmt: skip
    return JSONResponse(read.model_dump())


@router.get("/shipping-check")
async def check_list(uow: UowDep, day: Day) -> list[CheckLineRead]:
    """出荷確認一覧: the orders that ship on ``day``, with their tracking numbers once imported."""
    found = await shipping.check_list(day=day, uow=uow)
    return [
        CheckLineRead(
            order_id=c.order.id,
            order_number=c.order.order_number,
            channel=c.order.channel,
            ships_on=c.order.ships_on,
            delivery=c.order.delivery,
            items=c.items,
            total_yen=c.order.total_yen,
            carrier=c.shipment.carrier if c.shipment else None,
            tracking_number=c.shipment.tracking_number if c.shipment else None,
        )
        for c in found
    ]
