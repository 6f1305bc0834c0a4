"""The gateway's app: the public API (/api/v1) and the web client (``gateway.web``).

The API's routers are included in this order: ``customers_api`` before ``api``, because the
former's fixed paths /api/v1/customers/lookup and /customers/dm-list.csv would otherwise be
read as api.py's /customers/{customer_id}; the others share no path. The web client's areas
own disjoint prefixes and are composed in ``gateway/web/__init__.py``."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from kit.http import create_service_app
from kit.runtime import ServiceRuntime

from gateway import web
from gateway.adapters.services import ServiceUnavailable
from gateway.entrypoints.api import router as api_router
from gateway.entrypoints.booking_api import router as booking_api_router
from gateway.entrypoints.customers_api import router as customers_api_router
from gateway.entrypoints.inquiries_api import router as inquiries_router
from gateway.entrypoints.portal_api import router as portal_router
from gateway.entrypoints.public_api import router as public_router

API_ROUTERS = (customers_api_router, api_router, portal_router, inquiries_router,
               booking_api_router, public_router)  # fmt: skip


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
        routers=[*API_ROUTERS, web.router],
        title="顧客管理 API",
        manage_lifecycle=manage_lifecycle,
    )
    web.install(app, api_unavailable=_unavailable)
    return app
