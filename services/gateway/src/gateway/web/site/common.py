"""What the booking site's pages share: the store of the path (another tenant's or an unknown
store is the site's 404 page), the signed-in customer, the page frame's context and the
throttles of sign-in, registration and reset."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request
from fastapi.responses import Response
from kit.clock import JST
from limits import RateLimitItem, RateLimitItemPerHour, RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from gateway.domain.client_address import client_address
from gateway.domain.site_forms import normal
from gateway.entrypoints.deps import UowDep
from gateway.use_cases import site
from gateway.use_cases.site import SiteStore
from gateway.web.common.templating import render, templates
from gateway.web.site.session import SiteCustomer, signed_in


class SiteNotFound(Exception):
    """Answered by the site's own 404 page (``web.install``); ``message``: a retired store's."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        self.message = message


CLOSED = "この店舗の予約受付は終了しました。"


async def site_not_found(request: Request, exc: SiteNotFound) -> Response:
    context = {"store": None, "me": None, "message": exc.message}
    return render(request, "site_not_found.html", context, 404)


def site_unavailable(request: Request, exc: Exception) -> Response:
    message = "ただいま予約の受付を表示できません。しばらくしてから再度お試しください。"
    return render(
        request, "site_not_found.html", {"store": None, "me": None, "message": message}, 503
    )


async def site_store(tenant: str, store: str, uow: UowDep) -> SiteStore:
    found = await site.find(tenant=tenant, code=store, uow=uow)
    if found is None:
        raise SiteNotFound()
    if found.retired:
        raise SiteNotFound(CLOSED)
    return found


StoreDep = Annotated[SiteStore, Depends(site_store)]


def customer_of(request: Request, store: SiteStore) -> SiteCustomer | None:
    return signed_in(request, tenant_id=store.tenant_id)


def page(request: Request, store: SiteStore, name: str, status_code: int = 200,
         **context: Any) -> Response:  # fmt: skip
    me = context.pop("me", None) or customer_of(request, store)
    return render(request, name, {"store": store, "me": me, **context}, status_code)


def base_url(request: Request) -> str:
    """Where the mails' links point: GATEWAY_SITE_BASE_URL, or the address this request came
    to (development; behind a proxy set the setting, a Host header is not to be trusted)."""
    configured = request.app.state.runtime.settings.site_base_url
    return configured or str(request.base_url)


def parse_uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


# Sign-in: per mail (10 tries in 15 minutes, whether or not the mail has an account, so the
# limit reveals nothing) and per client address; registration and reset (mails sent) per
# mail and per address. In memory per replica, as the public API's limits.
_limiter = MovingWindowRateLimiter(MemoryStorage())
SIGN_IN_PER_MAIL = RateLimitItemPerMinute(10, 15)
SIGN_IN_PER_CLIENT = RateLimitItemPerMinute(30)
MAILS_PER_MAIL = RateLimitItemPerHour(5)
MAILS_PER_CLIENT = RateLimitItemPerMinute(10)
THROTTLED = "試行回数が多すぎます。しばらく時間をおいてから再度お試しください。"
# The week of times asks booking what the public API's salon view asks: the same 120/min.
VIEWS_PER_CLIENT = RateLimitItemPerMinute(120)
BUSY = "アクセスが集中しています。しばらくしてから再度お試しください。"


def _client(request: Request) -> str:
    return client_address(
        request.client.host if request.client else None,
        request.headers.getlist("x-forwarded-for"),
        trusted=request.app.state.runtime.settings.trusted_proxies,
    )


def view_allowed(request: Request, store: SiteStore) -> bool:
    return _limiter.hit(VIEWS_PER_CLIENT, "site", "view", str(store.tenant_id), _client(request))


def allowed(request: Request, store: SiteStore, *, action: str, email: str,
            per_mail: RateLimitItem, per_client: RateLimitItem) -> bool:  # fmt: skip
    client = _client(request)
    tenant = str(store.tenant_id)
    by_client = _limiter.hit(per_client, "site", action, tenant, client)
    by_mail = _limiter.hit(per_mail, "site", action, tenant, normal(email).lower())
    return by_client and by_mail


def _time(value: datetime | str) -> str:
    """10:00 in Japan time, from a datetime or its ISO form."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{moment.astimezone(JST):%H:%M}"


templates.env.filters["site_time"] = _time
