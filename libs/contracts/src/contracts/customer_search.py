"""The customer service's search API (``GET /customers`` and its exports): seed 003's
simple and advanced search, the one place its criteria are named.

Owned by the customer service, as its events are: the customer service derives its query
parameters, its criteria and its export filters from ``CustomerSearch``; the gateway its
public parameters (and so its OpenAPI document) and the fields its search form carries.
Adding a criterion is one field here, its meaning in the customer service, and its input
in the gateway's template. Each field carries its Japanese label (``title``) and where the
search form shows it (``x-group``). Values are checked here only as far as a schema can;
the customer service's use case says in Japanese what is wrong with the rest.
"""

from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from contracts.days import Day


class Group(StrEnum):
    """Where the search form shows a criterion."""

    BASIC = "basic"  # the form's first rows
    ADVANCED = "advanced"  # 高度な検索 (the form opens it when one of these is given)
    LIST = "list"  # the tabs: which list is shown (退会顧客, 要注意人物 …)


def criterion(label: str, *, group: Group, default: Any = None, **constraints: Any) -> Any:
    return Field(default, title=label, json_schema_extra={"x-group": group.value}, **constraints)


B, A, L = Group.BASIC, Group.ADVANCED, Group.LIST


class CustomerSearch(BaseModel):
    """The criteria of the customer list, all optional, combinable (AND)."""

    q: str | None = criterion("お客様名・フリガナ・LINE名", group=B, max_length=100)
    email: str | None = criterion("メールアドレス", group=B, max_length=254)
    phone: str | None = criterion("電話番号", group=B, max_length=30)
    customer_number: str | None = criterion("お客様番号", group=B, max_length=50)
    follow_up_status: str | None = criterion(
        "追客状況", group=B, max_length=20, description="following / stopped / contracted"
    )
    assignee_id: UUID | None = criterion("お客様担当", group=B)
    assigned: bool | None = criterion("担当設定", group=B)
    # Ids of the booking service's menus and staff members; the customer service checks
    # them, so that a wrong one is answered in Japanese.
    last_menu_id: str | None = criterion("最終利用メニュー", group=B, max_length=40)
    staff_member_id: str | None = criterion("スタッフ", group=B, max_length=40)
    menu_id: str | None = criterion("メニュー（予約・利用）", group=B, max_length=40)
    sort: str | None = criterion(
        "並び順",
        group=B,
        max_length=30,
        description="first_inquiry_desc (default), created_desc, created_asc, kana_asc, "
        "last_visit_desc, visit_count_desc, customer_number_asc",
    )
    reservation_status: str | None = criterion("予約ステータス", group=A, max_length=30)
    cancel_count_min: int | None = criterion("キャンセル回数（下限）", group=A)
    cancel_count_max: int | None = criterion("キャンセル回数（上限）", group=A)
    reservation_count_min: int | None = criterion("予約回数（下限）", group=A)
    reservation_count_max: int | None = criterion("予約回数（上限）", group=A)
    visit_count_min: int | None = criterion("来店回数（下限）", group=A)
    visit_count_max: int | None = criterion("来店回数（上限）", group=A)
    first_inquiry_from: Day | None = criterion("初回反響日（開始）", group=A)
    first_inquiry_to: Day | None = criterion("初回反響日（終了）", group=A)
    registered_from: Day | None = criterion("初回登録日（開始）", group=A)
    registered_to: Day | None = criterion("初回登録日（終了）", group=A)
    reservation_from: Day | None = criterion("予約日（開始）", group=A)
    reservation_to: Day | None = criterion("予約日（終了）", group=A)
    last_visit_from: Day | None = criterion("最終来店日（開始）", group=A)
    last_visit_to: Day | None = criterion("最終来店日（終了）", group=A)
    frequency_days: int | None = criterion(
        "平均来店頻度（日数）", group=A, description="with frequency_visits: ≥ M visits per N days"
    )
    frequency_visits: int | None = criterion("平均来店頻度（回数）", group=A)
    last_minute_cancel: bool | None = criterion("直前キャンセル", group=A)
    line_linked: bool | None = criterion("LINE 登録済み", group=A)
    phone_registration: bool | None = criterion("新規電話予約", group=L)
    caution: bool | None = criterion("要注意人物", group=L)
    blacklisted: bool | None = criterion("ブラックリスト", group=L)
    withdrawn: bool = criterion(
        "退会顧客", group=L, default=False, description="true: the withdrawn customers only"
    )


class CustomerSearchPage(CustomerSearch):
    """A page of the customer list: the criteria and where to start."""

    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


def criteria(group: Group | None = None) -> frozenset[str]:
    """The criteria's names (as the query spells them), of one group or all."""
    return frozenset(
        name
        for name, field in CustomerSearch.model_fields.items()
        if group is None or (field.json_schema_extra or {}).get("x-group") == group.value
    )
