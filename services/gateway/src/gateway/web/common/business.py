"""What each business type shows (業種): the one declaration the header, the pages and the
area guard read. A tenant has one or several types (``Staff.business_types``); it sees what
any of its types uses. A broker (real_estate) sees 反響, 物件, ホットリード and tours; a salon
sees menus, staff, 回数券, 営業報告 and prepayment; a mail-order shop sees 受注 and 定期.
A tenant with no type recorded sees everything (nothing is hidden by accident).

Templates ask ``uses('visit.tickets')``; a route of an area the tenant does not use answers
the 404 page (``AREA_PATHS``), never a half page."""

import re
from typing import Any

from jinja2 import pass_context

REAL_ESTATE, SALON, MAIL_ORDER = "real_estate", "salon", "mail_order"
ALL = frozenset({REAL_ESTATE, SALON, MAIL_ORDER})
RE = frozenset({REAL_ESTATE})
SA = frozenset({SALON})
MO = frozenset({MAIL_ORDER})

FEATURES: dict[str, frozenset[str]] = {
    # The header's areas.
    "inquiries": RE,  # 反響 from the portals
    "customers": ALL,
    "monitor": ALL,
    "booking": RE | SA,  # 予約: tours and consultations, or salon reservations
    "properties": RE,  # 物件 (店舗設定's 物件 and the tours)
    "leads": RE,  # ホットリード
    "orders": MO,  # 受注
    "subscriptions": MO,  # 定期
    # The booking pages.
    "menus": SA,  # メニュー and スタッフ of a salon
    "tickets": SA,  # 回数券
    "reports": SA,  # 営業報告
    "prepayment": SA,  # 事前決済
    # The customer monitor's panes and facts.
    "monitor.interactions": ALL,  # 対応履歴
    "monitor.actions": ALL,  # アクション履歴
    "monitor.hot_lead": RE,
    "monitor.rank": MO,
    "monitor.subscriptions": MO,
    "monitor.purchases": MO,
    "monitor.inquiries": RE,
    "monitor.visits": RE | SA,
}

# Panes whose block in monitor.html is not built yet: not shown to anyone (no 「準備中」
# reaches a user). Add a key here for a pane that is not filled yet; remove it when it is.
NOT_BUILT: frozenset[str] = frozenset()

# The pages of each area (a path's first match wins); their own guard is this list.
AREA_PATHS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), feature)
    for pattern, feature in (
        (r"^/inquiries(/|$)", "inquiries"),
        (r"^/hot-leads(/|$)", "leads"),
        (r"^/orders(/|$)", "orders"),
        (r"^/subscriptions(/|$)", "subscriptions"),
        (r"^/booking/tickets(/|$)", "tickets"),
        (r"^/booking/reports(/|$)", "reports"),
        (r"^/booking/visits/[^/]+/report$", "reports"),
        (r"^/booking/stores/[^/]+/(menus|staff)$", "menus"),
        (r"^/booking/stores/[^/]+/properties$", "properties"),
        (r"^/booking/properties$", "properties"),
        (r"^/booking(/|$)", "booking"),
    )
)


def uses(business_types: tuple[str, ...] | list[str], feature: str) -> bool:
    if feature in NOT_BUILT:
        return False
    types = set(business_types) or ALL
    return bool(types & FEATURES.get(feature, ALL))


def area_of(path: str) -> str | None:
    return next((feature for pattern, feature in AREA_PATHS if pattern.search(path)), None)


@pass_context
def uses_in_template(context: Any, feature: str) -> bool:
    """``{% if uses('tickets') %}``: for the signed-in staff of the page's context."""
    staff = context.get("staff")
    return uses(staff.business_types if staff else (), feature)
