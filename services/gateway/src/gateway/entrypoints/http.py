"""The gateway's app: the public API (/api/v1) and the web client (``gateway.web``).

The API's routers share no path (inside ``customers_api`` the fixed paths come before
/customers/{customer_id}); the web client's areas own disjoint prefixes and are composed in
``gateway/web/__init__.py``. The OpenAPI document is the gateway's own operations and the
relayed ones, whose schemas come from the services' documents (``clients/documents.py``)."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from kit.http import create_service_app
from kit.runtime import ServiceRuntime

from gateway import web
from gateway.clients import documents
from gateway.clients.transport import SERVICES, ServiceUnavailable
from gateway.entrypoints import tracking
from gateway.entrypoints.accounts_api import router as accounts_router
from gateway.entrypoints.api import router as api_router
from gateway.entrypoints.booking_api import BOOKING
from gateway.entrypoints.customers_api import CUSTOMER
from gateway.entrypoints.inquiries_api import INQUIRY
from gateway.entrypoints.leads_api import LEADS
from gateway.entrypoints.orders_api import ORDERS
from gateway.entrypoints.partners_api import router as partners_router
from gateway.entrypoints.portal_api import router as portal_router
from gateway.entrypoints.public_api import router as public_router
from gateway.entrypoints.webhooks_api import router as webhooks_router

RELAYS = (CUSTOMER, INQUIRY, BOOKING, LEADS, ORDERS)
API_ROUTERS = (
    api_router,
    accounts_router,
    partners_router,
    webhooks_router,
    *(r.router for r in RELAYS),
    portal_router,
    public_router,
)


async def _unavailable(_: Request, exc: ServiceUnavailable) -> JSONResponse:
    return JSONResponse(
        {
            "detail": {
                "code": "service_unavailable",
                "message": "ただいま処理できません。しばらくしてから再度お試しください。",
            }
        },
        status_code=503,
    )


def create_app(runtime: ServiceRuntime, *, manage_lifecycle: bool = True) -> FastAPI:
    app = create_service_app(
        runtime,
        routers=[*API_ROUTERS, tracking.router, web.router],
        title="顧客管理 API",
        manage_lifecycle=manage_lifecycle,
        answers_any_input=(tracking.router.prefix + "/",),  # leads judges every hit itself
    )
    web.install(app, api_unavailable=_unavailable)
    _document_relayed_schemas(app)
    # The relays took what they need of the services' documents as they were declared; the
    # parsed documents (~2 MB) are read again only to write /openapi.json (issue 15's memory).
    documents.service_document.cache_clear()
    return app


def _document_relayed_schemas(app: FastAPI) -> None:
    """The services' schemas that the relayed operations name, under each service's prefix."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            document = generate()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for service in SERVICES:  # relayed operations, and the composed routes' answers
                schemas.update(documents.components(service))
            documents.service_document.cache_clear()
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
