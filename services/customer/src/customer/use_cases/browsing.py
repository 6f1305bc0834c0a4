"""Find and show customers (CUS-3, CUS-13): every criterion of seed 003's simple and
advanced search, combinable, paged with totals, sortable."""

from datetime import date
from uuid import UUID

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


def build_criteria(  # one keyword per criterion of the search form
    *,
    q: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    customer_number: str | None = None,
    follow_up_status: str | None = None,
    assignee_id: UUID | None = None,
    assigned: bool | None = None,
    first_inquiry_from: date | None = None,
    first_inquiry_to: date | None = None,
    registered_from: date | None = None,
    registered_to: date | None = None,
    reservation_from: date | None = None,
    reservation_to: date | None = None,
    last_visit_from: date | None = None,
    last_visit_to: date | None = None,
    reservation_status: str | None = None,
    cancel_count_min: int | None = None,
    cancel_count_max: int | None = None,
    reservation_count_min: int | None = None,
    reservation_count_max: int | None = None,
    visit_count_min: int | None = None,
    visit_count_max: int | None = None,
    frequency_days: int | None = None,
    frequency_visits: int | None = None,
    last_minute_cancel: bool | None = None,
    line_linked: bool | None = None,
    caution: bool | None = None,
    blacklisted: bool | None = None,
    phone_registration: bool | None = None,
    withdrawn: bool = False,
    menu_id: str | None = None,
    staff_member_id: str | None = None,
    last_menu_id: str | None = None,
    sort: str | None = None,
) -> SearchCriteria:
    if follow_up_status and follow_up_status not in {s.value for s in FollowUpStatus}:
        raise SearchError("追客状況の値が正しくありません。", field="follow_up_status")
    days, visits = check_frequency(frequency_days, frequency_visits)
    return SearchCriteria(
        text=name_fragment(q),
        email_key=email_fragment(email),
        phone_digits=phone_fragment(phone),
        customer_number=(customer_number or "").strip() or None,
        follow_up_status=follow_up_status or None,
        assignee_id=assignee_id,
        assigned=assigned,
        first_inquiry=day_range(first_inquiry_from, first_inquiry_to, label="初回反響日"),
        registered=day_range(registered_from, registered_to, label="初回登録日"),
        reservation_date=day_range(reservation_from, reservation_to, label="予約日"),
        last_visit=day_range(last_visit_from, last_visit_to, label="最終来店日"),
        reservation_status=check_status(reservation_status),
        cancel_count=count_range(cancel_count_min, cancel_count_max, label="キャンセル回数"),
        reservation_count=count_range(
            reservation_count_min, reservation_count_max, label="予約回数"
        ),
        visit_count=count_range(visit_count_min, visit_count_max, label="来店回数"),
        frequency_days=days,
        frequency_visits=visits,
        last_minute_cancel=last_minute_cancel,
        line_linked=line_linked,
        caution=caution,
        blacklisted=blacklisted,
        phone_registration=phone_registration,
        withdrawn=withdrawn,
        menu_id=check_id(menu_id, field="menu_id", label="メニュー"),
        staff_member_id=check_id(staff_member_id, field="staff_member_id", label="スタッフ"),
        last_menu_id=check_id(last_menu_id, field="last_menu_id", label="最終利用メニュー"),
        sort=check_sort(sort),
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
