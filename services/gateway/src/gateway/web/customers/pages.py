"""お客様一覧 (the search of seed 003, simple and advanced, with 「担当設定なし N件」) and the
お客様詳細 page (profile, flags, 追客)."""

from typing import Annotated
from urllib.parse import urlencode
from uuid import UUID

from contracts.customer_search import Group, criteria
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from kit.japanese import PREFECTURES

from gateway.clients.base import Reply
from gateway.clients.customer import CustomerPage
from gateway.use_cases.accounts import Staff
from gateway.use_cases.salon_catalog import SalonCatalog, salon_catalog, tenant_stores
from gateway.use_cases.staff_directory import staff_of_tenant
from gateway.web.common.answers import not_found, refusal
from gateway.web.common.deps import Clients, ClientsDep, StaffPage, tenant_uow
from gateway.web.common.formatting import FOLLOW_UP
from gateway.web.common.paging import pager
from gateway.web.common.templating import render

router = APIRouter(include_in_schema=False)
PER_PAGE = 20
# The form's fields are the search contract's criteria; 高度な検索 opens when one of its own
# is given.
SEARCH_FIELDS = criteria()
ADVANCED_FIELDS = criteria(Group.ADVANCED)
Page = Annotated[int, Query(ge=1, le=100_000)]


@router.get("/customers", response_class=HTMLResponse)
async def customers_page(
    request: Request, staff: StaffPage, clients: ClientsDep, page: Page = 1
) -> Response:
    # Every criterion of seed 003's simple and advanced search, as typed in the form.
    query = {k: v for k, v in request.query_params.items() if k in SEARCH_FIELDS and v}
    context = await _list(request, staff, clients, query=query, page=page)
    return render(request, "customers.html", context)


@router.get("/customers/{customer_id}", response_class=HTMLResponse)
async def customer_page(
    customer_id: UUID,
    request: Request,
    staff: StaffPage,
    clients: ClientsDep,
) -> Response:
    customer = await clients.customer.customer(customer_id)
    if customer is None:  # another tenant's customer is not found either
        return not_found(request, staff, "お客様が見つかりません。")
    context = {"staff": staff, "customer": customer,
               "follow": await clients.customer.follow_up(customer_id),
               "staff_names": await staff_names(request, staff),
               "store_names": await _store_names(request, staff)}  # fmt: skip
    return render(request, "customer.html", context)


# The active filters as chips (UI.md: the phone's folded search shows what it filters by).
# The list's tabs (退会顧客 …) and the order are not filters to remove.
NOT_CHIPS = {"withdrawn", "phone_registration", "caution", "blacklisted", "sort"}
CHIP_LABELS = {
    "q": "お名前", "customer_number": "お客様番号", "phone": "電話番号", "email": "メール",
    "follow_up_status": "追客状況", "assignee_id": "担当", "assigned": "担当設定",
    "last_menu_id": "最終利用メニュー", "staff_member_id": "スタッフ", "menu_id": "メニュー",
    "reservation_status": "予約ステータス", "cancel_count_min": "キャンセル回数（下限）",
    "cancel_count_max": "キャンセル回数（上限）", "reservation_count_min": "予約回数（下限）",
    "reservation_count_max": "予約回数（上限）", "visit_count_min": "来店回数（下限）",
    "visit_count_max": "来店回数（上限）", "first_inquiry_from": "初回反響日（開始）",
    "first_inquiry_to": "初回反響日（終了）", "registered_from": "初回登録日（開始）",
    "registered_to": "初回登録日（終了）", "reservation_from": "予約日（開始）",
    "reservation_to": "予約日（終了）", "last_visit_from": "最終来店日（開始）",
    "last_visit_to": "最終来店日（終了）", "frequency_days": "平均来店頻度（日数）",
    "frequency_visits": "平均来店頻度（回数）", "last_minute_cancel": "直前キャンセル",
    "line_linked": "LINE",
}  # fmt: skip
_YES_NO = {"true": "あり", "false": "なし"}


def chips(
    query: dict[str, str], *, staff_names: dict[str, str], names: dict[str, str]
) -> list[dict[str, str]]:
    """Each active filter with the list's address without it."""
    out = []
    for key, value in query.items():
        if key in NOT_CHIPS:
            continue
        shown = {
            "follow_up_status": FOLLOW_UP.get(value, value),
            "assignee_id": staff_names.get(value, value),
            "assigned": {"true": "設定済み", "false": "設定なし"}.get(value, value),
            "last_minute_cancel": _YES_NO.get(value, value),
            "line_linked": "登録済み",
            "last_menu_id": names.get(value, value),
            "menu_id": names.get(value, value),
            "staff_member_id": names.get(value, value),
        }.get(key, value)
        rest = {k: v for k, v in query.items() if k != key}
        without = "/customers" + (f"?{urlencode(rest)}" if rest else "")
        out.append({"label": CHIP_LABELS.get(key, key), "value": shown, "without": without})
    return out


async def _list(
    request: Request, staff: Staff, clients: Clients, *, query: dict[str, str], page: int
) -> dict:
    found = await clients.customer.customers({**query, "page": page, "per_page": PER_PAGE})
    error = refusal(found, "検索条件を確認してください。") if isinstance(found, Reply) else None
    data = found if isinstance(found, CustomerPage) else CustomerPage(items=[], total=0)
    # Seed 000's 「担当設定なし N件」: customers still without a rep, whatever the filters.
    unassigned = await clients.customer.customers({"assigned": "false", "per_page": 1})
    names = await staff_names(request, staff)
    catalog = await _catalog(request, staff, clients)
    return {
        "staff": staff, "data": data, "query": query, "error": error, "catalog": catalog,
        "unassigned": unassigned if isinstance(unassigned, CustomerPage) else None,
        "advanced": bool(set(query) & ADVANCED_FIELDS),
        "staff_names": names,
        "chips": chips(query, staff_names=names, names=catalog.names()),
        "export_error": request.query_params.get("export_error", "")[:200],
        "export_query": urlencode(query), "prefectures": PREFECTURES,
        **pager("/customers", query, page=page, per_page=PER_PAGE, total=data.total),
    }  # fmt: skip


async def _catalog(request: Request, staff: Staff, clients: Clients) -> SalonCatalog:
    """The choices of seed 003's メニュー, 最終利用メニュー and スタッフ."""
    async with tenant_uow(request, staff) as uow:
        stores = await tenant_stores(uow=uow)
    return await salon_catalog(
        stores=stores, services=clients.transport, principal=clients.principal
    )


async def _store_names(request: Request, staff: Staff) -> dict[str, str]:
    """所属店舗: the gateway owns the stores."""
    async with tenant_uow(request, staff) as uow:
        return {str(s.id): s.name for s in await tenant_stores(uow=uow, retired=True)}


async def staff_names(request: Request, staff: Staff) -> dict[str, str]:
    """担当: the gateway owns the accounts, so names are filled in here."""
    async with tenant_uow(request, staff) as uow:
        return {str(s.user_id): s.display_name for s in await staff_of_tenant(uow=uow)}
