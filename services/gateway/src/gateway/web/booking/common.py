"""What the booking pages share: Japanese labels and filters, calls to the booking service
and the answers the pages give (login redirect, not found, back with a notice or an error).
The rules themselves stay in the booking service; its Japanese messages are shown as-is."""

import unicodedata
from dataclasses import dataclass
from typing import Any

from contracts.booking import VISIT_KIND_LABELS, VISIT_STATUS_LABELS
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from kit.errors import refusal_message

from gateway.clients.transport import ServiceUnavailable
from gateway.use_cases.accounts import Staff
from gateway.web.common import answers
from gateway.web.common.deps import PageServices
from gateway.web.common.formatting import jst
from gateway.web.common.templating import templates

__all__ = ["jst"]
KINDS = VISIT_KIND_LABELS
STATUSES = VISIT_STATUS_LABELS


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


async def get_json(services: PageServices, staff: Staff, path: str, **params: Any) -> Any:
    result = await services.call("booking", "GET", path, principal=staff.principal(), params=params)
    return result.json() if result.status_code == 200 else None


async def send(
    services: PageServices,
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
    return answers.not_found(request, staff, message, nav="booking")


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
    if outcome.ok:
        return answers.back(target, notice=done)
    return answers.back(target, error=outcome.message or "")


def number(value: object) -> int | None:
    """Staff type 「４，４００円」 as often as 4400: full width, commas, 円 and 分 are fine."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = text.replace(",", "").removesuffix("円").removesuffix("分").strip()
    return int(text) if text.isdigit() else None


async def customer_profile(services: PageServices, staff: Staff, customer_id: str) -> Any:
    """The customer service's profile: name, ❗, blacklist, alerts and karte for the page."""
    if not customer_id:
        return None
    result = await services.call(
        "customer", "GET", f"/customers/{customer_id}", principal=staff.principal()
    )
    return result.json() if result.status_code == 200 else None


async def customer_or_unavailable(services: PageServices, staff: Staff, customer_id: str) -> Any:
    """The profile for a page that is booking's (a visit): if the customer service cannot
    answer, the page still shows, with that sentence where the customer would be."""
    try:
        return await customer_profile(services, staff, customer_id)
    except ServiceUnavailable:
        return {"unavailable": answers.unavailable_message("customer")}
