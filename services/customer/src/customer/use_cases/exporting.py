"""CUS-14: the customer CSV (the list's search applied) and DM lists (宛名リスト) by
region, both as CSV that Japanese Excel opens (kit.excel_csv), streamed.

A too-large export is refused by the ``check_*`` functions before the first byte goes out:
once streaming has begun, an error can no longer be told to the user."""

from collections.abc import AsyncIterator
from dataclasses import replace

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
)
from customer.domain.search import SearchCriteria


async def check_customers(
    criteria: SearchCriteria, *, max_rows: int, uow: CustomerUnitOfWork
) -> None:
    count = await uow.exports.count_customers(criteria=criteria, cap=max_rows)
    check_size(count, max_rows=max_rows, label="CSVの書き出し")


def dm_criteria(criteria: SearchCriteria) -> SearchCriteria:
    """Never withdrawn or blacklisted customers (asking for them is refused)."""
    check_dm_criteria(criteria)
    return replace(criteria, withdrawn=False, blacklisted=False)


async def check_dm_list(
    criteria: SearchCriteria, *, place: Region, max_rows: int, uow: CustomerUnitOfWork
) -> None:
    count = await uow.exports.count_dm_list(criteria=criteria, place=place, cap=max_rows)
    check_size(count, max_rows=max_rows, label="DM宛名リスト")


async def customers_csv(
    criteria: SearchCriteria, *, names: Directory, max_rows: int, uow: CustomerUnitOfWork
) -> AsyncIterator[bytes]:
    async def rows() -> AsyncIterator[list[object]]:
        async for record in uow.exports.customers(criteria=criteria, limit=max_rows):
            yield customer_row(record, names=names)

    async for chunk in excel_csv(CUSTOMER_HEADER, rows()):
        yield chunk


async def dm_list_csv(
    criteria: SearchCriteria, *, place: Region, max_rows: int, uow: CustomerUnitOfWork
) -> AsyncIterator[bytes]:
    async def rows() -> AsyncIterator[list[object]]:
        async for record in uow.exports.dm_list(criteria=criteria, place=place, limit=max_rows):
            yield dm_row(record)

    async for chunk in excel_csv(DM_HEADER, rows()):
        yield chunk
