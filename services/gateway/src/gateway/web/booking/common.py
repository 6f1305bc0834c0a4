"""What the booking pages share: Japanese labels and filters, the customer's profile beside
a visit and the answers the pages give (not found, back with a notice or the service's
reason). The pages call the booking service through its client (``clients.booking``).
The rules themselves stay in the booking service; its Japanese messages are shown as-is."""

import unicodedata
from typing import Any
from uuid import UUID

from contracts.booking import VISIT_KIND_LABELS, VISIT_STATUS_LABELS
from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from gateway.clients.base import Reply
from gateway.clients.customer import Customer
from gateway.clients.transport import ServiceUnavailable
from gateway.use_cases.accounts import Staff
from gateway.web.common import answers
from gateway.web.common.deps import Clients
from gateway.web.common.formatting import jst
from gateway.web.common.templating import templates

__all__ = ["jst"]
KINDS = VISIT_KIND_LABELS
STATUSES = VISIT_STATUS_LABELS


HINT = "入力内容を確認してください。"  # a form's field errors, unless it says more


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
            (s.label for s in await uow.accounts.stores() if str(s.id) == str(store_id)), None
        )


async def store_retired(request: Request, staff: Staff, store_id: object) -> bool:
    """The store is one of the tenant's and 廃止: it takes no new visit (its old ones stay)."""
    async with request.app.state.runtime.uow(tenant_id=staff.tenant_id) as uow:
        return any(str(s.id) == str(store_id) and not s.active
                   for s in await uow.accounts.stores())  # fmt: skip


def back_to(back: str, reply: Reply, *, done: str) -> RedirectResponse:
    """Back to a booking page with 「…しました。」 or the service's reason as an error."""
    target = back if back.startswith("/booking") and not back.startswith("//") else "/booking"
    if reply.ok:
        return answers.back(target, notice=done)
    return answers.back(target, error=answers.refusal(reply, HINT))


def number(value: object) -> int | None:
    """Staff type 「４，４００円」 as often as 4400: full width, commas, 円 and 分 are fine."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = text.replace(",", "").removesuffix("円").removesuffix("分").strip()
    return int(text) if text.isdigit() else None


async def customer_profile(clients: Clients, customer_id: str) -> Customer | None:
    """The customer service's profile: name, ❗, blacklist, alerts and karte for the page."""
    try:
        found = UUID(customer_id) if customer_id else None
    except ValueError:  # a form's id that is none: no such customer
        return None
    return await clients.customer.customer(found) if found else None


async def customer_or_unavailable(clients: Clients, customer_id: UUID) -> Any:
    """The profile for a page that is booking's (a visit): if the customer service cannot
    answer, the page still shows, with that sentence where the customer would be."""
    try:
        return await clients.customer.customer(customer_id)
    except ServiceUnavailable:
        return {"unavailable": answers.unavailable_message("customer")}
