"""CUS-14: the customer CSV (the list's search applied) and DM lists (宛名リスト) by
region and purchase, both as CSV that Japanese Excel opens (kit.excel_csv), streamed.

Each entry point checks everything first — the criteria, the region, the size — and only
then hands back the stream: once streaming has begun, an error can no longer be told to
the user, so a too-large export is refused rather than cut off."""

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import date

from contracts.customer_search import CustomerSearch
from kit import clock
from kit.excel_csv import excel_csv

from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.exports import (
    CUSTOMER_HEADER,
    DM_HEADER,
    Directory,
    Region,
    check_dm_criteria,
    check_size,
    customer_row,
    dm_row,
    region,
)
from customer.domain.search import SearchCriteria
from customer.use_cases.browsing import build_criteria


async def export_customers(
    search: CustomerSearch, *, names: Directory, max_rows: int, uow: CustomerUnitOfWork
) -> AsyncIterator[bytes]:
    """``search``: the list's criteria."""
    criteria = build_criteria(search)
    count = await uow.exports.count_customers(criteria=criteria, cap=max_rows)
    check_size(count, max_rows=max_rows, label="CSVの書き出し")
    return _customers_csv(criteria, names=names, max_rows=max_rows, uow=uow)


@dataclass(frozen=True)
class DmTarget:
    """What a DM list asks beyond the list's search (domain/exports.region checks it)."""

    prefecture: list[str] = field(default_factory=list)
    city: str | None = None
    ordered_from: date | None = None
    ordered_to: date | None = None
    product: list[str] = field(default_factory=list)
    product_match: str | None = None


@dataclass(frozen=True)
class DmCount:
    total: int  # on the list, up to max_rows + 1
    opted_out: int  # left out for 郵送DM不要 (otherwise on it), up to max_rows + 1
    max_rows: int


def _dm_criteria(search: CustomerSearch, target: DmTarget) -> tuple[SearchCriteria, Region]:
    place = region(
        prefecture=target.prefecture, city=target.city, ordered_from=target.ordered_from,
        ordered_to=target.ordered_to, products=target.product,
        product_match=target.product_match, today=clock.today(),
    )  # fmt: skip
    criteria = build_criteria(search)
    check_dm_criteria(criteria)
    return replace(criteria, withdrawn=False, blacklisted=False), place


async def count_dm_list(
    search: CustomerSearch, target: DmTarget, *, max_rows: int, uow: CustomerUnitOfWork
) -> DmCount:
    """The page's preview before the download: 「該当 123件（うちDM不要 4件を除外）」."""
    criteria, place = _dm_criteria(search, target)
    total = await uow.exports.count_dm_list(criteria=criteria, place=place, cap=max_rows)
    opted_out = await uow.exports.count_dm_list(
        criteria=criteria, place=place, cap=max_rows, opted_out=True
    )
    return DmCount(total=total, opted_out=opted_out, max_rows=max_rows)


async def export_dm_list(
    search: CustomerSearch, target: DmTarget, *, max_rows: int, uow: CustomerUnitOfWork
) -> tuple[Region, AsyncIterator[bytes]]:
    """The region as understood (for the file name) and the list: never withdrawn or
    blacklisted customers (asking for them is refused), never a customer who asked for no
    postal DM (郵送DM不要)."""
    criteria, place = _dm_criteria(search, target)
    count = await uow.exports.count_dm_list(criteria=criteria, place=place, cap=max_rows)
    check_size(count, max_rows=max_rows, label="DM宛名リスト")
    return place, _dm_list_csv(criteria, place=place, max_rows=max_rows, uow=uow)


async def _customers_csv(
    criteria: SearchCriteria, *, names: Directory, max_rows: int, uow: CustomerUnitOfWork
) -> AsyncIterator[bytes]:
    async def rows() -> AsyncIterator[list[object]]:
        async for record in uow.exports.customers(criteria=criteria, limit=max_rows):
            yield customer_row(record, names=names)

    async for chunk in excel_csv(CUSTOMER_HEADER, rows()):
        yield chunk


async def _dm_list_csv(
    criteria: SearchCriteria, *, place: Region, max_rows: int, uow: CustomerUnitOfWork
) -> AsyncIterator[bytes]:
    async def rows() -> AsyncIterator[list[object]]:
        async for record in uow.exports.dm_list(criteria=criteria, place=place, limit=max_rows):
            yield dm_row(record)

    async for chunk in excel_csv(DM_HEADER, rows()):
        yield chunk
