"""CUS-11 長期放置: customers with no activity of any kind — an interaction, an action, an
order, an inquiry, a booking — for at least ``min_days`` days, the longest first, with what
their last activity was; by rank."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from uuid import UUID

from kit import clock
from kit.errors import NotFound

from customer.adapters.orm import Customer
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import HistoryError

MAX_DAYS = 3650
PER_PAGE_MAX = 200


@dataclass(frozen=True)
class NeglectedPage:
    items: list[Customer]
    total: int


async def neglected(
    *,
    min_days: int,
    rank_id: UUID | None,
    no_rank: bool,
    page: int,
    per_page: int,
    uow: CustomerUnitOfWork,
) -> NeglectedPage:
    if not 0 <= min_days <= MAX_DAYS:
        raise HistoryError(f"放置日数は0〜{MAX_DAYS}日で入力してください。", field="min_days")
    if rank_id is not None and await uow.ranks.get(rank_id=rank_id) is None:
        raise NotFound("ランクが見つかりません。")
    # "N days without activity": nothing since the start of the Japan day N days ago.
    before = (
        datetime.combine(clock.today() - timedelta(days=min_days - 1), time(), tzinfo=clock.JST)
        if min_days > 0
        else None
    )
    items, total = await uow.activity.neglected(
        before=before, rank_id=rank_id, no_rank=no_rank, limit=per_page,
        offset=(page - 1) * per_page,
    )  # fmt: skip
    return NeglectedPage(items, total)


def days_since(moment: datetime | None) -> int | None:
    return None if moment is None else (clock.today() - clock.japan_date(moment)).days
