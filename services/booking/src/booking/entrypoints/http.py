from fastapi import FastAPI
from kit.http import create_service_app
from kit.runtime import ServiceRuntime

from booking.entrypoints import (
    coupon_routes,
    note_routes,
    public_routes,
    salon_routes,
    site_routes,
    store_routes,
    visit_routes,
)
from booking.entrypoints.routes import router


def create_app(runtime: ServiceRuntime, *, manage_lifecycle: bool = True) -> FastAPI:
    return create_service_app(
        runtime,
        routers=[
            router,
            store_routes.router,
            visit_routes.router,
            coupon_routes.router,
            note_routes.router,
            salon_routes.router,
            public_routes.router,
            site_routes.router,
        ],
        title="booking service (予約)",
        manage_lifecycle=manage_lifecycle,
    )
