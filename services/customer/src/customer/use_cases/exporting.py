"""CUS-14: the customer CSV (the list's search applied) and DM lists (宛名リスト) by
region, both as CSV that Japanese Excel opens (kit.excel_csv), streamed.

Each entry point checks everything first — the criteria, the region, the size — and only
then hands back the stream: once streaming has begun, an error can no longer be told to
the user, so a too-large export is refused rather than cut off."""

from collections.abc import AsyncIterator
from dataclasses import replace

from contracts.customer_search import CustomerSearch
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


async def export_dm_list(
    search: CustomerSearch,
    *,
    prefecture: str | None,
    city: str | None,
    max_rows: int,
    uow: CustomerUnitOfWork,
) -> tuple[Region, AsyncIterator[bytes]]:
    """The region as understood (for the file name) and the list: never withdrawn or
    blacklisted customers (asking for them is refused)."""
    place = region(prefecture=prefecture, city=city)
    criteria = build_criteria(search)
    check_dm_criteria(criteria)
    criteria = replace(criteria, withdrawn=False, blacklisted=False)
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
