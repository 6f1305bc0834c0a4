"""The answers a page gives besides itself: back to a page with 「…しました。」 or the
service's reason, the 404 page (another tenant's id, a deleted resource), and the page or
section that says a service cannot answer now — never the service's JSON."""

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from gateway.clients.base import Reply
from gateway.clients.transport import ServiceUnavailable
from gateway.entrypoints.deps import optional_staff
from gateway.use_cases.accounts import Staff
from gateway.web.common import flash
from gateway.web.common.templating import render

# What each service is to the staff: 「ただいま予約の情報を表示できません。」
SERVICE_NAMES = {"inquiry": "反響", "customer": "顧客", "booking": "予約",
                 "leads": "ホットリード", "orders": "受注"}  # fmt: skip


def back(path: str, *, anchor: str = "", **message: str) -> RedirectResponse:
    """Back to ``path`` with ``notice=`` or ``error=`` for the page to show once (a signed
    cookie, ``flash.py``; never in the URL); any other key is kept in the query (a list's
    search, for instance)."""
    once = {k: v for k, v in message.items() if k in flash.KINDS}
    query = urlencode({k: v for k, v in message.items() if k not in flash.KINDS})
    sep = "&" if "?" in path else "?"
    response = RedirectResponse(f"{path}{sep if query else ''}{query}{anchor}", status_code=303)
    if any(once.values()):
        response.headers[flash.MARK.decode()] = flash.mark(once)
    return response


def refusal(reply: Reply, fallback: str, *, invalid: str | None = None) -> str:
    """The service's own words for a refusal (a rule of its domain); field errors of
    validation get ``invalid`` (the form's hint), anything else the ``fallback``."""
    detail = reply.data.get("detail") if isinstance(reply.data, dict) else None
    if invalid is not None and isinstance(detail, dict) and "errors" in detail:
        return invalid
    return reply.message or fallback


def not_found(request: Request, staff: Staff, message: str, **context: Any) -> Response:
    """The 404 page: what another tenant's id (or a deleted resource) gets, never a form."""
    return render(request, "not_found.html", {"staff": staff, "message": message, **context}, 404)


def forbidden(request: Request, staff: Staff, message: str, **context: Any) -> Response:
    """The 403 page: the service's (or the page's) Japanese reason, never a form."""
    context = {"staff": staff, "message": message, "title": "表示できません", **context}
    return render(request, "not_found.html", context, 403)


def unavailable_message(service: str) -> str:
    name = SERVICE_NAMES.get(service, service)
    return f"ただいま{name}の情報を表示できません。しばらくしてから再度お試しください。"


async def unavailable_page(request: Request, exc: ServiceUnavailable) -> Response:
    """A page whose own service is down or slow: the message inside the site's frame, so
    the navigation (the rest of the client) still works."""
    service = str(exc.args[0]) if exc.args else ""
    staff = await optional_staff(request)
    context = {"staff": staff, "message": unavailable_message(service)}
    return render(request, "unavailable.html", context, 503)


def field_errors(reply: Reply, fallback: str) -> dict[str, str]:
    """Each refused field's Japanese message, by the field's name as the form spells it
    (the service's ``errors``, else its one ``field``); ``""`` holds a reason of no field."""
    detail = reply.data.get("detail") if isinstance(reply.data, dict) else None
    if not isinstance(detail, dict):
        return {"": fallback}
    found: dict[str, str] = {}
    for error in detail.get("errors") or [detail]:
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            found.setdefault(str(error.get("field") or "").split(".")[0], error["message"])
    return found or {"": fallback}
