"""The calendar day every date parameter and field takes (kit.inputs re-exports it): a
schema constraint, here so that an API contract (contracts.customer_search) can use it.

Python's calendar ends at 0001-01-01 and 9999-12-31, so a range bound of a filter one day
past it overflowed; a day is bounded to what the domain can mean, and arithmetic of a day
or two stays inside Python's."""

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
DAY_RANGE_MESSAGE = f"日付は{EARLIEST:%Y/%m/%d}から{LATEST:%Y/%m/%d}までで指定してください。"


def _within_calendar(value: date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise PydanticCustomError("date_out_of_range", DAY_RANGE_MESSAGE)
    return value


Day = Annotated[date, AfterValidator(_within_calendar)]
"""A calendar day between 1900-01-01 and 2100-12-31 (birthdays to coupon expiries)."""

Moment = Annotated[datetime, AfterValidator(_within_calendar)]
"""A point in time whose day lies within ``Day``'s range."""
