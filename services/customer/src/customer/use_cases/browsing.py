"""Find and show customers (CUS-3, CUS-13): every criterion of seed 003's simple and
advanced search, combinable, paged with totals, sortable."""

from uuid import UUID

from contracts.customer_search import CustomerSearch
from kit.errors import NotFound

from customer.adapters.repository import CustomerView
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import SearchError
from customer.domain.model import FollowUpStatus
from customer.domain.search import (
    COUNT_CAP,
    MAX_PER_PAGE,
    SearchCriteria,
    check_frequency,
    check_id,
    check_sort,
    check_status,
    count_range,
    day_range,
    email_fragment,
    lookup,
    name_fragment,
    phone_fragment,
)


def build_criteria(search: CustomerSearch) -> SearchCriteria:
    """The criteria of the search contract, checked and normalised for the repository."""
    if search.follow_up_status and search.follow_up_status not in {f.value for f in FollowUpStatus}:
        raise SearchError("追客状況の値が正しくありません。", field="follow_up_status")
    days, visits = check_frequency(search.frequency_days, search.frequency_visits)
    return SearchCriteria(
        text=name_fragment(search.q),
        email_key=email_fragment(search.email),
        phone_digits=phone_fragment(search.phone),
        customer_number=(search.customer_number or "").strip() or None,
        follow_up_status=search.follow_up_status or None,
        assignee_id=search.assignee_id,
        assigned=search.assigned,
        first_inquiry=day_range(
            search.first_inquiry_from, search.first_inquiry_to, label="初回反響日"
        ),
        registered=day_range(search.registered_from, search.registered_to, label="初回登録日"),
        reservation_date=day_range(search.reservation_from, search.reservation_to, label="予約日"),
        last_visit=day_range(search.last_visit_from, search.last_visit_to, label="最終来店日"),
        reservation_status=check_status(search.reservation_status),
        cancel_count=count_range(
            search.cancel_count_min, search.cancel_count_max, label="キャンセル回数"
        ),
        reservation_count=count_range(
            search.reservation_count_min, search.reservation_count_max, label="予約回数"
        ),
        visit_count=count_range(search.visit_count_min, search.visit_count_max, label="来店回数"),
        frequency_days=days,
        frequency_visits=visits,
        last_minute_cancel=search.last_minute_cancel,
        line_linked=search.line_linked,
        caution=search.caution,
        blacklisted=search.blacklisted,
        phone_registration=search.phone_registration,
        withdrawn=search.withdrawn,
        menu_id=check_id(search.menu_id, field="menu_id", label="メニュー"),
        staff_member_id=check_id(search.staff_member_id, field="staff_member_id", label="スタッフ"),
        last_menu_id=check_id(search.last_menu_id, field="last_menu_id", label="最終利用メニュー"),
        sort=check_sort(search.sort),
    )


async def find_customers(
    criteria: SearchCriteria, *, page: int, per_page: int, uow: CustomerUnitOfWork
) -> tuple[list[CustomerView], int, bool]:
    """The page, the total (at most COUNT_CAP) and whether the total is exact."""
    per_page = min(per_page, MAX_PER_PAGE)
    return await uow.customers.search(
        criteria=criteria, limit=per_page, offset=(page - 1) * per_page, count_cap=COUNT_CAP
    )


async def lookup_customers(
    term: str | None, *, limit: int, uow: CustomerUnitOfWork
) -> tuple[str, list[CustomerView], int, bool]:
    """The monitor's lookup: the first reading of the term with matches (how it was read),
    those matches and their total."""
    readings = lookup(term)
    for reading in readings:
        views, total, exact = await uow.customers.search(
            criteria=reading.criteria, limit=min(limit, MAX_PER_PAGE), offset=0,
            count_cap=COUNT_CAP,
        )  # fmt: skip
        if total:
            return reading.matched_by, views, total, exact
    return readings[0].matched_by, [], 0, True


async def show_customer(customer_id: UUID, *, uow: CustomerUnitOfWork) -> CustomerView:
    view = await uow.customers.get(customer_id=customer_id)
    if view is None:
        raise NotFound("お客様が見つかりません。")
    return view
