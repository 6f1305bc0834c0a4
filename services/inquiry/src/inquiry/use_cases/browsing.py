"""INQ-4: the inquiry list, its search, and the CSV that Japanese Excel opens correctly."""

from collections.abc import AsyncIterator
from datetime import date
from uuid import UUID

from kit.errors import Invalid, NotFound
from kit.excel_csv import excel_csv
from kit.japanese import search_text

from inquiry.adapters.orm import Inquiry
from inquiry.adapters.unit_of_work import InquiryUnitOfWork
from inquiry.domain.listing import CSV_HEADER, InquiryFilter, csv_row

MAX_EXPORT_ROWS = 100_000


def build_filter(
    *,
    medium: str | None = None,
    kind: str | None = None,
    property_text: str | None = None,
    name: str | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    customer_id: UUID | None = None,
    store_id: UUID | None = None,
) -> InquiryFilter:
    if received_from and received_to and received_from > received_to:
        raise Invalid("期間の開始日は終了日以前の日付を指定してください。", field="received_from")
    return InquiryFilter(
        medium=medium or None, kind=kind or None,
        property_text=search_text(property_text) or None, contact_text=search_text(name) or None,
        received_from=received_from, received_to=received_to,
        customer_id=customer_id, store_id=store_id,
    )  # fmt: skip


async def find_inquiries(
    where: InquiryFilter, *, page: int, per_page: int, uow: InquiryUnitOfWork
) -> tuple[list[Inquiry], int]:
    return await uow.inquiries.search(where=where, limit=per_page, offset=(page - 1) * per_page)


async def show_inquiry(inquiry_id: UUID, *, uow: InquiryUnitOfWork) -> Inquiry:
    inquiry = await uow.inquiries.get(inquiry_id=inquiry_id)
    if inquiry is None:
        raise NotFound("反響が見つかりません。")
    return inquiry


async def export_csv(where: InquiryFilter, *, uow: InquiryUnitOfWork) -> AsyncIterator[bytes]:
    """UTF-8 with BOM and CRLF (what Japanese Excel opens as Unicode), every list column."""
    media = {m.code: m.name for m in await uow.media.all()}
    stores = await uow.stores.names()

    async def rows() -> AsyncIterator[list[str]]:
        async for row in uow.inquiries.stream(where=where, limit=MAX_EXPORT_ROWS):
            store = stores.get(row.store_id, "") if row.store_id else ""
            yield csv_row(row, medium_name=media.get(row.medium, row.medium), store_name=store)

    async for chunk in excel_csv(CSV_HEADER, rows()):
        yield chunk
