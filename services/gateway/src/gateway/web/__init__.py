"""The Japanese web client, one folder per area of the navigation: ``login``, ``customers``
(お客様), ``inquiries`` (反響), ``monitor`` (顧客モニタ), ``booking`` (予約), ``leads``
(ホットリード), ``orders`` (受注・定期), ``reports`` (帳票); each holds its
routes and its templates. ``common`` holds what they share: the one template environment,
the staff-page dependency, the answers (back, not found, 「ただいま…表示できません」) and the
pager. A new page touches only its area's folder (and a new area adds itself to AREAS here
and in ``common/templating.py``)."""

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from gateway.clients.transport import ServiceUnavailable
from gateway.web import (
    accounts,
    booking,
    customers,
    histories,
    inquiries,
    leads,
    login,
    masters,
    monitor,
    operations,
    orders,
    reports,
    site,
)
from gateway.web.common.answers import unavailable_page
from gateway.web.common.deps import AreaNotUsed, LoginRequired, area_guard, area_not_used, to_login
from gateway.web.common.flash import FlashMiddleware
from gateway.web.common.templating import WEB
from gateway.web.site.common import SiteNotFound, site_not_found, site_unavailable

# The areas own disjoint path prefixes (/login, /customers, /inquiries, /monitor, /booking,
# /hot-leads, /orders, /subscriptions, /reports, /r for the booking site; accounts: /accounts,
# /me, /store, /logout-all, /invitations, /password-reset; histories: /histories, /ranks,
# /faq; masters: /settings; operations: /admin): their order here does not matter.
AREAS = (login, customers, inquiries, monitor, booking, leads, orders, reports, site, accounts,
         histories, masters, operations)  # fmt: skip

router = APIRouter(include_in_schema=False)
for area in AREAS:
    router.include_router(area.router, dependencies=[Depends(area_guard)])


def install(app: FastAPI, *, api_unavailable) -> None:  # type: ignore[no-untyped-def]
    """The pages' static files and answers: an anonymous visitor goes to the login page; a
    service that cannot answer is a Japanese page (the API keeps its JSON envelope)."""
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")
    app.add_exception_handler(LoginRequired, to_login)  # type: ignore[arg-type]
    app.add_exception_handler(AreaNotUsed, area_not_used)  # type: ignore[arg-type]
    app.add_middleware(FlashMiddleware)
    app.add_exception_handler(SiteNotFound, site_not_found)  # type: ignore[arg-type]

    async def unavailable(request: Request, exc: ServiceUnavailable) -> Response:
        if request.url.path.startswith("/api/"):
            return await api_unavailable(request, exc)
        if request.url.path.startswith("/r/"):  # the booking site: its own frame
            return site_unavailable(request, exc)
        return await unavailable_page(request, exc)

    app.add_exception_handler(ServiceUnavailable, unavailable)  # type: ignore[arg-type]
