"""What the booking pages share: Japanese labels and filters, calls to the booking service
and the answers the pages give (login redirect, not found, back with a notice or an error).
The rules themselves stay in the booking service; its Japanese messages are shown as-is."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from contracts.booking import VISIT_KIND_LABELS, VISIT_STATUS_LABELS
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from kit.clock import JST
from kit.errors import refusal_message

from gateway.adapters.services import ServiceClients
from gateway.use_cases.accounts import Staff
from gateway.web import pages
from gateway.web.formatting import WEEKDAYS
from gateway.web.pages import templates

KINDS = VISIT_KIND_LABELS
STATUSES = VISIT_STATUS_LABELS


def jst(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(JST)


def day_label(day: date) -> str:
    """2026/12/12(土): a calendar day, no time zone involved."""
    return f"{day:%Y/%m/%d}({WEEKDAYS[day.weekday()]})"


def minutes_label(minutes: int) -> str:
    """所要時間: 90 → 1時間30分, 60 → 60分 (salon menus are read in minutes up to an hour)."""
    if minutes <= 60:
        return f"{minutes}分"
    hours, rest = divmod(minutes, 60)
    return f"{hours}時間{rest}分" if rest else f"{hours}時間"


templates.env.filters.update(
    visit_kind=lambda v: KINDS.get(v, v),
    booking_status=lambda v: STATUSES.get(v, v),
    jtime=lambda v: f"{jst(v):%H:%M}",  # 10:00, Japan time
    jday=lambda v: jst(v).date().isoformat(),  # for links and date inputs
    jdate_only=lambda v: day_label(v if isinstance(v, date) else date.fromisoformat(v)),
    jmonthday=lambda v: day_label(date.fromisoformat(v))[5:],  # 12/16(水): week columns
    minutes=minutes_label,
)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int
    data: Any = None
    message: str | None = None  # the service's Japanese reason when refused

    @property
    def code(self) -> str | None:
        """The service's stable code of a refusal (``slot_full``, ``visit_overlap`` …)."""
        detail = self.data.get("detail") if isinstance(self.data, dict) else None
        return detail.get("code") if isinstance(detail, dict) else None


def login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)


async def get_json(services: ServiceClients, staff: Staff, path: str, **params: Any) -> Any:
    result = await services.call("booking", "GET", path, principal=staff.principal(), params=params)
    return result.json() if result.status_code == 200 else None


async def send(
    services: ServiceClients,
    staff: Staff,
    method: str,
    path: str,
    body: dict | None = None,
    *,
    hint: str = "入力内容を確認してください。",
) -> Outcome:
    """``hint`` replaces pydantic's English field errors: it says what the form expects."""
    result = await services.call("booking", method, path, principal=staff.principal(), json=body)
    data = result.json() if result.content else None
    if result.status_code < 300:
        return Outcome(True, result.status_code, data)
    return Outcome(False, result.status_code, data, refusal_message(data) or hint)


def render(request: Request, name: str, context: dict, status_code: int = 200) -> Response:
    return templates.TemplateResponse(
        request, name, {"nav": "booking", **context}, status_code=status_code
    )


def not_found(request: Request, staff: Staff, message: str) -> Response:
    return pages.not_found(request, staff, message, nav="booking")


async def tenant_store_name(request: Request, staff: Staff, store_id: object) -> str | None:
    """The store's name if it is one of the signed-in staff's tenant (the gateway owns the
    stores), else None: a page for another tenant's store is not found."""
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        return next(
            (s.name for s in await uow.accounts.stores() if str(s.id) == str(store_id)), None
        )


def back_to(back: str, outcome: Outcome, *, done: str) -> RedirectResponse:
    """Back to a booking page with 「…しました。」 or the service's reason as an error."""
    target = back if back.startswith("/booking") and not back.startswith("//") else "/booking"
    key, text = ("notice", done) if outcome.ok else ("error", outcome.message or "")
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}{urlencode({key: text})}", status_code=303)


def number(value: object) -> int | None:
    """Staff type 「４，４００円」 as often as 4400: full width, commas, 円 and 分 are fine."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = text.replace(",", "").removesuffix("円").removesuffix("分").strip()
    return int(text) if text.isdigit() else None


async def customer_profile(services: ServiceClients, staff: Staff, customer_id: str) -> Any:
    """The customer service's profile: name, ❗, blacklist, alerts and karte for the page."""
    if not customer_id:
        return None
    result = await services.call(
        "customer", "GET", f"/customers/{customer_id}", principal=staff.principal()
    )
    return result.json() if result.status_code == 200 else None
