"""A report's month range (``2026-01`` to ``2026-12``): at most 36 months, the end not before
the start; every problem found at once, each with the field as the request spells it."""

import re
from dataclasses import dataclass
from datetime import date

from kit.errors import Invalid

MAX_MONTHS = 36
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class MonthRange:
    first: date  # the first day of the first month
    last: date  # the first day of the last month

    @property
    def months(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1


def _month(text: str) -> date | None:
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found[2]) <= 12 or not 2000 <= int(found[1]) <= 2100:
        return None
    return date(int(found[1]), int(found[2]), 1)


def add_months(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_range(from_month: str | None, to_month: str | None, *, today: date) -> MonthRange:
    """Unset: the twelve months to this one (Japan's today); one end set: twelve from it."""
    errors = []
    first = _month(from_month) if from_month else None
    last = _month(to_month) if to_month else None
    for name, text, found in (("from_month", from_month, first), ("to_month", to_month, last)):
        if text and found is None:
            errors.append({"code": "invalid_month", "field": name,
                           "message": "月は 2026-01 の形で入力してください。"})  # fmt: skip
    if errors:
        raise Invalid(errors[0]["message"], code="invalid_month", field=errors[0]["field"],
                      errors=errors)  # fmt: skip
    if first is None and last is None:
        last = today.replace(day=1)
    if first is None:
        first = add_months(last, -11)  # type: ignore[arg-type]
    if last is None:
        last = min(add_months(first, 11), today.replace(day=1))
        last = max(last, first)
    chosen = MonthRange(first, last)
    if last < first:
        message = "終了月は開始月と同じか、それより後の月を指定してください。"
        raise Invalid(message, code="range_reversed", field="to_month",
                      errors=[{"code": "range_reversed", "field": "to_month", "message": message},
                              {"code": "range_reversed", "field": "from_month",
                               "message": "開始月は終了月より前の月を指定してください。"}])  # fmt: skip
    if chosen.months > MAX_MONTHS:
        message = f"集計期間は{MAX_MONTHS}か月以内で指定してください。"
        raise Invalid(message, code="range_too_long", field="to_month",
                      errors=[{"code": "range_too_long", "field": "to_month", "message": message},
                              {"code": "range_too_long", "field": "from_month", "message": message}])  # fmt: skip
    return chosen
