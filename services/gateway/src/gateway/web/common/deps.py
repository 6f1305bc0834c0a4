"""What a page depends on: the signed-in member of staff (an anonymous visitor of any page
is sent to the login page and comes back after signing in), the services' typed clients
for that member of staff (``Clients``) and, for downloads, the services as a page sees
them."""

from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response

from gateway.clients.booking import BookingClient
from gateway.clients.customer import CustomerClient
from gateway.clients.customer_histories import CustomerHistoriesClient
from gateway.clients.inquiry import InquiryClient
from gateway.clients.leads import LeadsClient
from gateway.clients.orders import OrdersClient
from gateway.clients.reports import ReportsClient
from gateway.clients.transport import ServiceClients, ServiceUnavailable
from gateway.entrypoints.deps import OptionalStaff, ServicesDep
from gateway.use_cases.accounts import Staff
from gateway.web.common.business import area_of, uses
from gateway.web.common.templating import render


class LoginRequired(Exception):
    def __init__(self, next_url: str | None) -> None:
        self.next_url = next_url


def _return_to(request: Request) -> str | None:
    """Where to come back to: the page itself; for a form post, the page the form was on
    (the post's own path may answer POST only)."""
    if request.method == "GET":
        query = request.url.query
        return request.url.path + (f"?{query}" if query else "")
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "") or None


async def page_staff(request: Request, staff: OptionalStaff) -> Staff:
    if staff is None:
        raise LoginRequired(_return_to(request))
    return staff


class AreaNotUsed(Exception):
    def __init__(self, staff: Staff) -> None:
        self.staff = staff


async def area_guard(request: Request, staff: OptionalStaff) -> None:
    """A page of an area the tenant's business types do not use is not there (404)."""
    feature = area_of(request.url.path)
    if feature and staff is not None and not uses(staff.business_types, feature):
        raise AreaNotUsed(staff)


def area_not_used(request: Request, exc: AreaNotUsed) -> Response:
    context = {"staff": exc.staff, "message": "このページは見つかりません。"}
    return render(request, "not_found.html", context, 404)


def to_login(_: Request, exc: LoginRequired) -> RedirectResponse:
    query = f"?{urlencode({'next': exc.next_url})}" if exc.next_url else ""
    return RedirectResponse(f"/login{query}", status_code=303)


StaffPage = Annotated[Staff, Depends(page_staff)]


class PageServices:
    """The services as a download sees them (the pages' reads and writes go through
    ``Clients``): an answer of 5xx is the service being down, like no answer at all
    (ServiceUnavailable), so that no page ever relays a 5xx body."""

    def __init__(self, services: ServiceClients) -> None:
        self._services = services

    @property
    def transport(self) -> ServiceClients:
        return self._services

    async def stream(self, service: str, path: str, **kwargs: Any) -> Any:
        response = await self._services.stream(service, path, **kwargs)
        if response.status_code >= 500:
            await response.aclose()
            raise ServiceUnavailable(service)
        return response


async def page_services(services: ServicesDep) -> PageServices:
    return PageServices(services)


PageServicesDep = Annotated[PageServices, Depends(page_services)]


class Clients:
    """The services' typed clients, each calling for the signed-in member of staff; a 5xx
    or no answer raises ServiceUnavailable, the page's 「ただいま…」."""

    def __init__(self, transport: ServiceClients, staff: Staff) -> None:
        self.transport = transport
        self.principal = staff.principal()
        self.booking = BookingClient(transport, self.principal)
        self.customer = CustomerClient(transport, self.principal)
        self.histories = CustomerHistoriesClient(transport, self.principal)
        self.inquiry = InquiryClient(transport, self.principal)
        self.leads = LeadsClient(transport, self.principal)
        self.orders = OrdersClient(transport, self.principal)
        self.reports = ReportsClient(transport, self.principal)


async def page_clients(services: PageServicesDep, staff: StaffPage) -> Clients:
    return Clients(services.transport, staff)


ClientsDep = Annotated[Clients, Depends(page_clients)]


def tenant_uow(request: Request, staff: Staff):  # type: ignore[no-untyped-def]
    """The gateway's own data (stores, staff) of the signed-in staff's tenant."""
    return request.app.state.runtime.uow(tenant_id=staff.tenant_id)
