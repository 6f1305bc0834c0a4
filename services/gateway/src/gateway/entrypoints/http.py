from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from kit.http import create_service_app
from kit.runtime import ServiceRuntime

from gateway.adapters.services import ServiceUnavailable
from gateway.entrypoints.api import router as api_router
from gateway.entrypoints.booking_api import router as booking_api_router
from gateway.entrypoints.customers_api import router as customers_api_router
from gateway.entrypoints.inquiries_api import router as inquiries_router
from gateway.entrypoints.portal_api import router as portal_router
from gateway.entrypoints.public_api import router as public_router
from gateway.web.booking_pages import router as booking_web_router
from gateway.web.booking_records_pages import router as booking_records_router
from gateway.web.booking_settings_pages import router as booking_settings_router
from gateway.web.booking_visit_pages import router as booking_visits_router
from gateway.web.customer_pages import router as customer_pages_router
from gateway.web.export_pages import router as export_pages_router
from gateway.web.follow_up_pages import router as follow_up_pages_router
from gateway.web.inquiry_pages import router as inquiry_pages_router
from gateway.web.monitor_pages import router as monitor_pages_router
from gateway.web.pages import router as web_router

STATIC = Path(__file__).parent.parent / "web" / "static"


def create_app(runtime: ServiceRuntime, *, manage_lifecycle: bool = True) -> FastAPI:
    app = create_service_app(
        runtime,
        routers=[
            customers_api_router,  # first: /api/v1/customers/dm-list.csv is no customer id
            api_router,
            portal_router,
            inquiries_router,
            customer_pages_router,
            export_pages_router,  # before web_router: /customers/export.csv is no id
            monitor_pages_router,
            follow_up_pages_router,
            web_router,
            inquiry_pages_router,
            booking_api_router,
            public_router,
            booking_web_router,
            booking_visits_router,
            booking_settings_router,
            booking_records_router,
        ],
        title="顧客管理 API",
        manage_lifecycle=manage_lifecycle,
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(ServiceUnavailable)
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

    return app
